// View models over a real SQLite catalogue written through the repository.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../data/db.ts';
import { LIMITS } from '../../data/limits.ts';
import { homeModel, SERVERS_PER_PAGE } from '../../site/src/lib/home.ts';
import { serverPolicy, toolPolicyDownload } from '../../site/src/lib/policy.ts';
import { resolveServerUrl } from '../../site/src/lib/resolve.ts';
import { searchModel } from '../../site/src/lib/search.ts';
import { serverModel, TOOLS_PER_SERVER_PAGE } from '../../site/src/lib/server.ts';
import { paramsOf, toolModel, typeLabel } from '../../site/src/lib/tool.ts';
import { HOSTILE_REF_FIELDS } from '../fixtures/servers/hostile-strings.mjs';
import { IDS, MANY_TOOLS, standardCatalog, verdict, writeCatalog } from '../helpers/site.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: Db;
beforeAll(() => {
  const file = writeCatalog(path.join(tempDir(), 'catalog.db'), [
    ...standardCatalog(),
    // A server whose id looks like another server's tool path: the whole id wins.
    {
      ref: { id: 'github:acme/repo', name: 'Repo', source: 'test', packages: [] },
      tools: [{ name: 'x', description: 'Reads x.', inputSchema: { type: 'object' } }],
      verdicts: { x: verdict('Read', 'low') },
    },
    {
      ref: { id: 'github:acme/repo/tools/x', name: 'Tricky id', source: 'test', packages: [] },
      tools: [],
    },
  ]);
  db = openDatabase(file, { readonly: true });
});
afterAll(() => db.close());

describe('homeModel', () => {
  it('counts servers, tools, failures, categories and risks', () => {
    const home = homeModel(db, 1)!;
    expect(home.totals).toEqual({ servers: 6, tools: 7 + 6 + MANY_TOOLS + 1, failedServers: 1 });
    expect(home.byCategory.map((c) => c.category)).toEqual(['Read', 'Write', 'Destructive', 'Execute']);
    expect(home.byRisk.find((r) => r.risk === 'critical')!.count).toBeGreaterThanOrEqual(1);
    expect(home.byCategory.reduce((n, c) => n + c.count, 0)).toBe(home.totals.tools);
    expect(home.servers.map((s) => s.href)).toContain('/servers/npm/@test/notes-server');
    expect(home.servers.find((s) => s.id === IDS.failed)).toMatchObject({ status: 'failed', toolCount: 0 });
    expect(home.pager).toMatchObject({ page: 1, pages: 1, perPage: SERVERS_PER_PAGE });
  });

  it('has no page past the last', () => {
    expect(homeModel(db, 2)).toBeNull();
  });
});

describe('searchModel', () => {
  it('finds tools by name prefix and servers by name, with links', () => {
    const result = searchModel(db, 'run_comm', 1)!;
    expect(result.searched).toBe(true);
    expect(result.tools.hits[0]).toMatchObject({
      name: 'run_command',
      href: '/servers/npm/@test/notes-server/tools/run_command',
      serverHref: '/servers/npm/@test/notes-server',
      category: 'Execute',
      risk: 'critical',
    });
    expect(searchModel(db, 'notes', 1)!.servers.hits.map((s) => s.id)).toContain(IDS.notes);
  });

  it('paginates tool hits and treats operators as words', () => {
    const page2 = searchModel(db, 'widgets', 2)!;
    expect(page2.tools.total).toBe(MANY_TOOLS);
    expect(page2.tools.hits).toHaveLength(50);
    expect(page2.tools.pager).toMatchObject({ page: 2, pages: 5, prevHref: '/search?q=widgets' });
    expect(searchModel(db, 'widgets', 6)).toBeNull();
    expect(searchModel(db, '" OR NEAR(', 1)!.tools.total).toBe(0);
  });

  it('does not search when the query holds nothing searchable', () => {
    expect(searchModel(db, '  ()*  ', 1)).toMatchObject({ searched: false, tools: { total: 0, hits: [] } });
  });
});

describe('serverModel', () => {
  it('shows what the server claims, linking only http(s) URLs', () => {
    const notes = serverModel(db, IDS.notes, 1)!;
    expect(notes.repository).toEqual({
      text: 'https://github.com/test/notes-server',
      href: 'https://github.com/test/notes-server',
    });
    expect(notes.packages).toEqual([{ registry: 'npm', name: '@test/notes-server', version: '1.2.3' }]);
    expect(notes.info).toMatchObject({ name: 'notes-server', version: '1.2.3' });
    expect(notes.policyHref).toBe('/policy/npm/@test/notes-server.json');
    const hostile = serverModel(db, IDS.hostile, 1)!;
    expect(hostile.name).toBe(HOSTILE_REF_FIELDS.name);
    expect(hostile.repository).toEqual({ text: HOSTILE_REF_FIELDS.repositoryUrl, href: null });
    expect(hostile.homepage).toEqual({ text: HOSTILE_REF_FIELDS.homepageUrl, href: null });
  });

  it('pages tools 100 at a time with previous and next links', () => {
    const first = serverModel(db, IDS.many, 1)!;
    expect(first.tools).toHaveLength(TOOLS_PER_SERVER_PAGE);
    expect(first.tools[0]!.name).toBe('tool_0000');
    expect(first.pager.nextHref).toBe('/servers/github:acme/many-tools/sub?page=2');
    const last = serverModel(db, IDS.many, 3)!;
    expect(last.tools.map((t) => t.name)).toEqual(
      Array.from({ length: 50 }, (_, i) => `tool_${String(200 + i).padStart(4, '0')}`),
    );
    expect([last.pager.prevHref, last.pager.nextHref]).toEqual([
      '/servers/github:acme/many-tools/sub?page=2',
      null,
    ]);
    expect(serverModel(db, IDS.many, 4)).toBeNull();
    expect(serverModel(db, 'no/such-server', 1)).toBeUndefined();
  });

  it('reports a failed crawl', () => {
    expect(serverModel(db, IDS.failed, 1)).toMatchObject({
      status: 'failed',
      lastError: 'timed out after 2 s',
    });
  });
});

describe('toolModel', () => {
  it('carries the verdict, evidence, annotations declared vs inferred, parameters and policy', () => {
    const tool = toolModel(db, IDS.notes, 'delete_note')!;
    expect(tool).toMatchObject({
      category: 'Destructive',
      risk: 'high',
      rationale: 'Test rationale: Destructive at high risk.',
    });
    expect(tool.evidence).toEqual([
      { signal: 'name', excerpt: 'test', suggests: 'Destructive', note: 'Test evidence.' },
    ]);
    expect(tool.annotations.find((a) => a.hint === 'readOnlyHint')).toEqual({
      hint: 'readOnlyHint',
      declared: true,
      inferred: false,
      contradiction: 'Declared read-only, but it deletes notes.',
    });
    expect(tool.annotations.find((a) => a.hint === 'openWorldHint')!.declared).toBeNull();
    expect(tool.params).toEqual([
      { name: 'id', type: 'string', required: true, description: null, enumValues: [] },
    ]);
    expect(tool.policy).toMatchObject({ decision: 'deny', format: 'policy.json' });
    expect(tool.policy.downloadHref).toBe('/policy/npm/@test/notes-server/tools/delete_note.json');
    expect(JSON.parse(tool.policy.content)).toMatchObject({ default: 'deny', hide: ['delete_note'] });
  });

  it('recommends the PolicyLayer shape per category', () => {
    const policy = (name: string) =>
      JSON.parse(toolModel(db, IDS.notes, name)!.policy.content) as { tools: object };
    expect(policy('read_note').tools).toEqual({ read_note: {} });
    expect(policy('set_track_monitoring').tools).toEqual({
      set_track_monitoring: {
        limits: [{ counter: 'set_track_monitoring_rate', window: 'minute', max: 30, scope: 'grant' }],
      },
    });
    const execute = toolModel(db, IDS.notes, 'run_command')!.policy;
    expect(execute.decision).toBe('approve');
    expect(execute.approvalNote).toBeTruthy();
  });

  it('flags a tool stored shortened', () => {
    const tool = toolModel(db, IDS.hostile, 'huge_description')!;
    expect(tool.truncated).toEqual(['description']);
    expect(tool.flags.filter((f) => f.kind === 'truncated')).toHaveLength(1);
    expect(tool.description).toHaveLength(LIMITS.descriptionChars);
  });

  it('lists enum values and types of any shape', () => {
    const tool = toolModel(db, IDS.notes, 'set_track_monitoring')!;
    expect(tool.params).toEqual([
      { name: 'track', type: 'integer', required: true, description: null, enumValues: [] },
      { name: 'mode', type: 'string', required: true, description: null, enumValues: ['off', 'on', 'auto'] },
    ]);
    expect(typeLabel({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeLabel({ type: 'array', items: { type: 'number' } })).toBe('array of number');
    expect(typeLabel({ anyOf: [] })).toBe('one of several');
    expect(typeLabel('nonsense')).toBe('any');
    expect(paramsOf({ properties: 'x' })).toEqual({ rows: [], omitted: 0 });
    expect(paramsOf({ properties: { ['__proto__']: { type: 'string' } } }).rows).toHaveLength(1);
  });

  it('is undefined for an unknown tool', () => {
    expect(toolModel(db, IDS.notes, 'nope')).toBeUndefined();
  });
});

describe('resolveServerUrl', () => {
  const resolve = (href: string, json = false) => resolveServerUrl(db, new URL(href, 'http://t'), json);

  it('resolves server pages, tool pages and their JSON twins', () => {
    expect(resolve('/servers/npm/@test/notes-server')).toMatchObject({
      kind: 'server',
      model: { id: IDS.notes },
    });
    expect(resolve('/servers/npm/@test/notes-server/tools/notes%2Fexport')).toMatchObject({
      kind: 'tool',
      model: { name: 'notes/export' },
    });
    expect(resolve('/servers/npm/@test/notes-server/tools/read_note.json', true)).toMatchObject({
      kind: 'tool',
      model: { name: 'read_note' },
    });
  });

  it('tries the whole path as a server id first', () => {
    expect(resolve('/servers/github:acme/repo/tools/x')).toMatchObject({
      kind: 'server',
      model: { id: 'github:acme/repo/tools/x' },
    });
  });

  it('answers null (404) for unknown servers, unknown tools and bad pages', () => {
    expect(resolve('/servers/nope')).toBeNull();
    expect(resolve('/servers/npm/@test/notes-server/tools/nope')).toBeNull();
    expect(resolve('/servers/npm/@test/notes-server?page=0')).toBeNull();
    expect(resolve('/servers/npm/@test/notes-server?page=2')).toBeNull();
    expect(resolve('/servers/npm/@test/notes-server.json', false)).toBeNull();
  });
});

describe('policy downloads', () => {
  it('cover a whole server or one tool, with a safe file name', () => {
    const server = serverPolicy(db, IDS.notes, 'policy.json')!;
    expect(server.filename).toBe('npm-test-notes-server.policy.json');
    const parsed = JSON.parse(server.content) as { hide: string[]; tools: Record<string, unknown> };
    expect(parsed.hide).toEqual(['delete_note']);
    expect(Object.keys(parsed.tools).sort()).toEqual(
      ['long_word', 'notes/export', 'read_note', 'run_command', 'set_track_monitoring'].sort(),
    );
    const one = toolPolicyDownload(db, IDS.notes, 'notes/export', 'policy.json')!;
    expect(one.filename).toBe('npm-test-notes-server.notes-export.policy.json');
    expect(serverPolicy(db, 'nope', 'policy.json')).toBeUndefined();
    expect(serverPolicy(db, IDS.many, 'policy.json')!.content).toContain('tool_0249');
  });
});
