// One describe per signal family: name, description, schema, declared annotations, server context, risk
// and tags. Every tool here is written for the test.
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../classifier/index.ts';
import { splitWords } from '../../classifier/text.ts';
import { tool } from '../fixtures/classifier/tools.ts';

describe('name splitting', () => {
  it.each([
    ['get_user_profile', ['get', 'user', 'profile']],
    ['getUserProfile', ['get', 'user', 'profile']],
    ['API-post-search', ['api', 'post', 'search']],
    ['fetchHTTPResponse', ['fetch', 'http', 'response']],
    ['repo.branches.list', ['repo', 'branches', 'list']],
    ['v2_listItems', ['v2', 'list', 'items']],
    ['', []],
  ])('%s → %j', (name, words) => {
    expect(splitWords(name)).toEqual(words);
  });
});

describe('name verbs', () => {
  it.each([
    ['list_invoices', 'Read'],
    ['create_folder', 'Write'],
    ['archive_thread', 'Write'],
    ['destroy_cluster', 'Destructive'],
    ['shell_exec', 'Execute'],
    ['widgets_list', 'Read'],
    ['widgets_delete', 'Destructive'],
    ['get_run_summary', 'Read'],
    ['merge_request_list', 'Read'],
  ] as const)('%s → %s', (name, category) => {
    expect(classifyTool(tool(name, '')).category).toBe(category);
  });

  it('an HTTP-method prefix before a read verb is a read sent as POST', () => {
    const v = classifyTool(tool('API-post-lookup', 'Lookup by title'));
    expect(v.category).toBe('Read');
  });

  describe('ambiguous verbs are settled by their object and description', () => {
    it.each([
      ['clear_selection', 'Clear the current selection in the editor.', 'Write', 'low'],
      ['clear_table', 'Clear all rows of a table.', 'Destructive', 'high'],
      ['reset_zoom', 'Reset the zoom level of the canvas.', 'Write', 'low'],
      ['reset_workspace', 'Reset the workspace to its initial state.', 'Destructive', 'high'],
      ['remove_star', 'Unstar a repository.', 'Write', 'medium'],
      ['remove_collaborator', "Take away a person's access to a repository.", 'Write', 'high'],
      ['remove_widget', 'Remove a widget from the dashboard.', 'Destructive', 'high'],
      ['open_entities', 'Open stored entities by their names.', 'Read', 'low'],
      ['start_timer', 'Start a countdown timer.', 'Write', 'medium'],
      ['start_workflow', 'Start a deployment workflow.', 'Execute', 'high'],
      ['set_tempo', 'Set the tempo of the current song.', 'Write', 'medium'],
      ['apply_theme', 'Apply a colour theme to the current view.', 'Write', 'low'],
    ] as const)('%s → %s/%s', (name, description, category, risk) => {
      const v = classifyTool(tool(name, description));
      expect(v.category).toBe(category);
      expect(v.risk).toBe(risk);
    });

    it('"confirm" that asks the user is an elicitation (Read); confirming an order is a Write', () => {
      expect(classifyTool(tool('confirm_choice', 'Ask the user to confirm a choice.')).category).toBe('Read');
      expect(classifyTool(tool('confirm_order', 'Confirm the pending order.')).category).toBe('Write');
    });

    it('a weak verb ("trigger" with an unknown object) defers to the description', () => {
      expect(classifyTool(tool('trigger_demo', 'Demonstrates progress notifications.')).category).toBe(
        'Read',
      );
      expect(classifyTool(tool('trigger_build', 'Queue a new build.')).category).toBe('Execute');
    });

    it('download is Read unless it saves into a local path', () => {
      expect(classifyTool(tool('download_invoice', 'Download an invoice as PDF bytes.')).category).toBe(
        'Read',
      );
      const local = classifyTool(
        tool('download_invoice', 'Download an invoice to a folder.', { outputDir: { type: 'string' } }),
      );
      expect(local.category).toBe('Write');
      expect(local.evidence.some((e) => e.excerpt === 'outputDir')).toBe(true);
    });
  });
});

describe('description phrases', () => {
  it('a verb-less name takes the description lead verb, skipping filler', () => {
    expect(classifyTool(tool('widget_helper', 'This tool creates a widget.')).category).toBe('Write');
    expect(classifyTool(tool('widget_helper', 'Use this tool to list widgets.')).category).toBe('Read');
  });

  it('nouns listed after the lead verb are not read as verbs', () => {
    const v = classifyTool(tool('commit_history', 'Shows branches, tags, or commits for a path.'));
    expect(v.category).toBe('Read');
  });

  it('"manage X: a, b, or c" counts every coordinated verb', () => {
    const v = classifyTool(
      tool('shelf_manager', 'Manage shelves: list shelves, add a shelf, or delete a shelf.'),
    );
    expect(v.category).toBe('Destructive');
  });

  it('overwrite in the description makes a write Destructive; a negated overwrite does not', () => {
    const props = { title: { type: 'string' }, text: { type: 'string' } };
    const yes = classifyTool(
      tool('save_memo', 'Store a memo. Existing memos with the same title are overwritten.', props),
    );
    const no = classifyTool(tool('save_memo', 'Store a memo. It never overwrites existing memos.', props));
    expect(yes.category).toBe('Destructive');
    expect(yes.evidence.some((e) => e.signal === 'description' && /overwritten/.test(e.excerpt))).toBe(true);
    expect(no.category).toBe('Write');
  });

  it('a read-only claim is evidence but never outweighs raw query text', () => {
    const v = classifyTool(
      tool('warehouse_sql', 'Run a read-only SQL query against the warehouse.', { sql: { type: 'string' } }),
    );
    expect(v.category).toBe('Execute');
    expect(v.risk).toBe('high');
    expect(v.evidence.some((e) => e.suggests === 'Read' && /read-only/.test(e.excerpt))).toBe(true);
  });

  it('a stated permanent loss outranks a soft lead verb unless the name itself says it reads', () => {
    const chore = classifyTool(
      tool('notebook_housekeeping', 'Sort the pages and permanently delete stale ones.'),
    );
    expect(chore.category).toBe('Destructive');
    const listing = classifyTool(
      tool('list_trash', 'Lists items that will be permanently deleted after 30 days.'),
    );
    expect(listing.category).toBe('Read');
  });

  it('a stated side effect ("starts a new ...") makes a reading tool a Write', () => {
    const v = classifyTool(
      tool(
        'explain_crash',
        'Explain a crash report.\n\nThis tool checks for a cached answer and starts a new analysis job otherwise.',
      ),
    );
    expect(v.category).toBe('Write');
    expect(v.evidence.some((e) => /starts a new/.test(e.excerpt) && e.suggests === 'Write')).toBe(true);
    const plain = classifyTool(tool('explain_crash', 'Explain a crash report. It never starts a new job.'));
    expect(plain.category).toBe('Read');
  });

  it('"arbitrary code" in the description makes a verb-less tool Execute', () => {
    expect(
      classifyTool(tool('sandbox_helper', 'Executes arbitrary code that the caller supplies.')).category,
    ).toBe('Execute');
  });
});

describe('schema cues', () => {
  it('a free-text command parameter is Execute/critical', () => {
    const v = classifyTool(
      tool('workspace_task', 'Does work in the workspace.', { command: { type: 'string' } }),
    );
    expect(v.category).toBe('Execute');
    expect(v.risk).toBe('critical');
    expect(
      v.evidence.some((e) => e.signal === 'schema' && e.excerpt === 'command' && e.suggests === 'Execute'),
    ).toBe(true);
  });

  it('a command enum is a choice of actions, not free text', () => {
    const v = classifyTool(
      tool('player_control', 'Control playback.', {
        command: { type: 'string', enum: ['play', 'pause', 'stop'] },
      }),
    );
    expect(v.category).not.toBe('Execute');
  });

  it('unrestricted SQL is critical; a "query" for search stays Read', () => {
    expect(classifyTool(tool('run_statement', 'Runs SQL.', { sql: { type: 'string' } })).risk).toBe(
      'critical',
    );
    const search = classifyTool(
      tool('search_articles', 'Search help articles.', { query: { type: 'string' } }),
    );
    expect(search.category).toBe('Read');
  });

  it('process launch options are critical', () => {
    const v = classifyTool(
      tool('open_page', 'Open a page.', { url: { type: 'string' }, launchOptions: { type: 'object' } }),
    );
    expect(v.category).toBe('Execute');
    expect(v.risk).toBe('critical');
  });

  it('a force flag turns a write Destructive; on a read it is ignored', () => {
    const w = classifyTool(tool('sync_branch', 'Bring a branch up to date.', { force: { type: 'boolean' } }));
    expect(w.category).toBe('Destructive');
    expect(w.rationale).toContain('"force"');
    const r = classifyTool(tool('get_forecast', 'Get the forecast.', { force: { type: 'boolean' } }));
    expect(r.category).toBe('Read');
  });

  it('a destructive flag that defaults to true says so in the evidence', () => {
    const v = classifyTool(
      tool('upload_asset', 'Upload an asset.', {
        overwrite: { type: 'boolean', default: true },
        name: { type: 'string' },
      }),
    );
    expect(v.category).toBe('Destructive');
    expect(v.evidence.some((e) => e.excerpt === 'overwrite' && /defaults to true/.test(e.note))).toBe(true);
  });

  it('recipients make a write high risk and outbound', () => {
    const v = classifyTool(
      tool('dispatch_note', 'Compose and deliver a note.', {
        to: { type: 'string' },
        subject: { type: 'string' },
        body: { type: 'string' },
      }),
    );
    expect(v.category).toBe('Write');
    expect(v.risk).toBe('high');
    expect(v.tags).toContain('outbound-message');
  });

  it('moving money is critical and tagged financial', () => {
    const v = classifyTool(
      tool('transfer_funds', 'Move money between accounts.', { amount: { type: 'number' } }),
    );
    expect(v.risk).toBe('critical');
    expect(v.tags).toContain('financial');
  });

  it('an aggregation pipeline parameter is Execute/high', () => {
    const v = classifyTool(
      tool('aggregate', 'Aggregate documents in a collection.', { pipeline: { type: 'array' } }),
    );
    expect(v.category).toBe('Execute');
    expect(v.risk).toBe('high');
  });

  it('bulk updates by filter are Destructive and tagged bulk', () => {
    const v = classifyTool(
      tool('update_all', 'Updates all rows that match the filter.', {
        filter: { type: 'object' },
        set: { type: 'object' },
      }),
    );
    expect(v.category).toBe('Destructive');
    expect(v.tags).toContain('bulk');
  });

  it('parameters nested under a single wrapper object are still read', () => {
    const v = classifyTool(
      tool('project_tool', 'Does project work.', {
        params: { type: 'object', properties: { script: { type: 'string' } } },
      }),
    );
    expect(v.category).toBe('Execute');
  });
});

describe('declared annotations are evidence, never the verdict', () => {
  it('readOnlyHint: true on a delete tool is quoted, contradicted and ignored', () => {
    const v = classifyTool(
      tool('delete_album', 'Deletes an album.', { id: { type: 'string' } }, { readOnlyHint: true }),
    );
    expect(v.category).toBe('Destructive');
    expect(v.evidence.some((e) => e.signal === 'annotation' && e.excerpt === 'readOnlyHint: true')).toBe(
      true,
    );
    expect(v.contradictions).toContainEqual(
      expect.objectContaining({ hint: 'readOnlyHint', declared: true, inferred: false }),
    );
  });

  it('the same tool with and without annotations gets the same category and risk', () => {
    const bare = tool('rename_album', 'Rename an album.', {
      id: { type: 'string' },
      name: { type: 'string' },
    });
    const hinted = { ...bare, annotations: { readOnlyHint: true, destructiveHint: false } };
    const a = classifyTool(bare);
    const b = classifyTool(hinted);
    expect([b.category, b.risk]).toEqual([a.category, a.risk]);
  });
});

describe('server context', () => {
  it('a browser server turns page verbs into Execute; elsewhere "press" is a write', () => {
    const t = tool('press', 'Press a key.', { key: { type: 'string' } });
    const browser = classifyTool(t, { serverName: 'acme-browser-automation' });
    expect(browser.category).toBe('Execute');
    expect(browser.evidence.some((e) => e.signal === 'server')).toBe(true);
    expect(classifyTool(t, { serverName: 'acme-keyboard-macros' }).category).toBe('Write');
  });

  it('page actions carry their own risk: hover low, fill medium, click high', () => {
    const sel = { selector: { type: 'string' } };
    expect(classifyTool(tool('hover', 'Hover over an element.', sel)).risk).toBe('low');
    expect(
      classifyTool(tool('fill', 'Fill an input field.', { ...sel, value: { type: 'string' } })).risk,
    ).toBe('medium');
    expect(classifyTool(tool('click', 'Click on an element.', sel)).risk).toBe('high');
  });
});

describe('reversibility decides Write vs Destructive', () => {
  it('deleting a file through a commit keeps it in history: Write; without a commit it is Destructive', () => {
    const committed = tool('delete_file', 'Remove a file from a hosted repository.', {
      path: { type: 'string' },
      branch: { type: 'string' },
      message: { type: 'string' },
    });
    expect(classifyTool(committed).category).toBe('Write');
    expect(
      classifyTool(tool('delete_file', 'Remove a file from disk.', { path: { type: 'string' } })).category,
    ).toBe('Destructive');
  });

  it('"set or remove" a value is unsetting it, not losing data', () => {
    expect(classifyTool(tool('change_priority', 'Set or remove the priority of a ticket.')).category).toBe(
      'Write',
    );
    expect(classifyTool(tool('ticket_admin', 'List, close, or remove tickets.')).category).toBe(
      'Destructive',
    );
  });
});

describe('context settles evaluate, go and fetch', () => {
  it('evaluating arithmetic is Read; evaluating JavaScript is Execute', () => {
    const expr = { expression: { type: 'string' } };
    expect(classifyTool(tool('calculate', 'Evaluate a math expression.', expr)).category).toBe('Read');
    expect(classifyTool(tool('evaluate', 'Evaluate JavaScript in the page.', expr)).category).toBe('Execute');
  });

  it('"go back" drives a browser page; elsewhere it is a weak write', () => {
    expect(classifyTool(tool('browser_go_back', 'Go back to the previous page.')).category).toBe('Execute');
  });

  it('fetching a public URL is a low-risk read; with caller credentials it is medium', () => {
    const url = { url: { type: 'string' } };
    expect(classifyTool(tool('fetch', 'Fetch a URL and return its contents.', url)).risk).toBe('low');
    const authed = classifyTool(tool('fetch', 'Fetch a URL.', { ...url, headers: { type: 'object' } }));
    expect(authed.risk).toBe('medium');
  });

  it('inviting attendees makes a write high risk', () => {
    const v = classifyTool(tool('schedule_meeting', 'Schedule a meeting.', { attendees: { type: 'array' } }));
    expect([v.category, v.risk]).toEqual(['Write', 'high']);
    expect(v.tags).toContain('outbound-message');
  });
});

describe('risk and tags within a category', () => {
  it.each([
    ['get_weather', 'Get the weather forecast for a city.', 'Read', 'low'],
    ['read_notebook_file', 'Read the full contents of a file.', 'Read', 'medium'],
    ['get_api_key', 'Returns the API key configured for a project.', 'Read', 'high'],
    ['post_comment', 'Post a comment on a ticket.', 'Write', 'high'],
    ['toggle_sidebar', 'Show or hide the sidebar.', 'Write', 'low'],
    ['delete_draft', 'Delete one of your unsent drafts.', 'Destructive', 'medium'],
    ['drop_database', 'Drops a database and all its tables.', 'Destructive', 'critical'],
  ] as const)('%s → %s/%s', (name, description, category, risk) => {
    const v = classifyTool(tool(name, description));
    expect([v.category, v.risk]).toEqual([category, risk]);
  });

  it('tags credentials, personal data and open-world content', () => {
    expect(classifyTool(tool('get_api_key', 'Returns the API key.')).tags).toContain('credentials');
    expect(
      classifyTool(tool('lookup_customer', 'Find a customer by email.', { email: { type: 'string' } })).tags,
    ).toContain('personal-data');
    expect(classifyTool(tool('fetch_page', 'Fetch a URL.', { url: { type: 'string' } })).tags).toContain(
      'open-world',
    );
  });
});
