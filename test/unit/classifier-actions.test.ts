// Multi-action tools get a verdict per enum value; the tool takes the most dangerous. Also inferred
// annotations and contradictions with the declared ones.
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../classifier/index.ts';
import { tool } from '../fixtures/classifier/tools.ts';

const byValue = (v: ReturnType<typeof classifyTool>): Record<string, string> =>
  Object.fromEntries(v.actions.map((a) => [a.value, a.category]));

describe('per-action verdicts', () => {
  it('an action enum gets one verdict per value and the tool takes the most dangerous', () => {
    const v = classifyTool(
      tool('shelf_admin', 'Administer shelves.', {
        action: { type: 'string', enum: ['list', 'create', 'rename', 'delete'] },
        name: { type: 'string' },
      }),
    );
    expect(byValue(v)).toEqual({ list: 'Read', create: 'Write', rename: 'Write', delete: 'Destructive' });
    expect(v.category).toBe('Destructive');
    expect(v.actions.every((a) => a.param === 'action' && a.rationale.length > 10)).toBe(true);
    expect(v.rationale).toContain('"delete"');
  });

  it('an Execute action outranks a Destructive one', () => {
    const v = classifyTool(
      tool('job_control', 'Control jobs.', {
        operation: { type: 'string', enum: ['status', 'cancel', 'purge', 'run'] },
      }),
    );
    expect(byValue(v)).toMatchObject({ status: 'Read', purge: 'Destructive', run: 'Execute' });
    expect(v.category).toBe('Execute');
  });

  it('HTTP method enums map GET/POST/PUT/DELETE to Read/Write/Write/Destructive', () => {
    const v = classifyTool(
      tool('http_call', 'Send an HTTP request.', {
        method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'DELETE'] },
        url: { type: 'string' },
      }),
    );
    expect(byValue(v)).toEqual({ GET: 'Read', POST: 'Write', PUT: 'Write', DELETE: 'Destructive' });
    expect(v.category).toBe('Destructive');
  });

  it('reset modes: hard discards, soft keeps', () => {
    const v = classifyTool(
      tool('vcs_reset', 'Move the current head to another revision.', {
        mode: { type: 'string', enum: ['soft', 'hard'] },
      }),
    );
    expect(byValue(v)).toEqual({ soft: 'Write', hard: 'Destructive' });
    expect(v.category).toBe('Destructive');
  });

  it('a mode enum whose values are not verbs is not an action list', () => {
    const v = classifyTool(
      tool('get_route', 'Route between two places.', {
        mode: { type: 'string', enum: ['driving', 'walking', 'cycling'] },
      }),
    );
    expect(v.actions).toEqual([]);
    expect(v.category).toBe('Read');
  });

  it('per-item deletions inside a commit are Write: history keeps the content', () => {
    const v = classifyTool(
      tool('commit_changes', 'Commit a set of file changes in a single commit.', {
        changes: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              action: { type: 'string', enum: ['create', 'update', 'delete'] },
              path: { type: 'string' },
            },
          },
        },
      }),
    );
    expect(byValue(v)).toEqual({ create: 'Write', update: 'Write', delete: 'Write' });
    expect(v.actions[0]?.param).toBe('changes[].action');
    expect(v.category).toBe('Write');
  });

  it('in a browser, opening a new tab at a URL is navigation; switching tabs is a write', () => {
    const v = classifyTool(
      tool('browser_tab_control', 'Work with browser tabs.', {
        action: { type: 'string', enum: ['list', 'new', 'select', 'close'] },
        url: { type: 'string' },
      }),
    );
    expect(byValue(v)).toEqual({ list: 'Read', new: 'Execute', select: 'Write', close: 'Write' });
    expect(v.category).toBe('Execute');
  });
});

describe('inferred annotations and contradictions', () => {
  it('a read tool infers read-only, idempotent, non-destructive', () => {
    const v = classifyTool(tool('list_playlists', 'List your playlists.'));
    expect(v.inferredAnnotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
  });

  it('additive writes are non-destructive and not idempotent; updates are the reverse', () => {
    const add = classifyTool(tool('create_playlist', 'Create a playlist.'));
    expect(add.inferredAnnotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
    const upd = classifyTool(tool('update_playlist', 'Update a playlist.'));
    expect(upd.inferredAnnotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
    });
  });

  it('flags a tool declared read-only that writes, and one declared non-destructive that deletes', () => {
    const w = classifyTool(tool('create_playlist', 'Create a playlist.', {}, { readOnlyHint: true }));
    expect(w.contradictions).toEqual([
      expect.objectContaining({ hint: 'readOnlyHint', declared: true, inferred: false }),
    ]);
    const d = classifyTool(
      tool('delete_playlist', 'Delete a playlist.', {}, { readOnlyHint: false, destructiveHint: false }),
    );
    expect(d.contradictions).toEqual([
      expect.objectContaining({ hint: 'destructiveHint', declared: false, inferred: true }),
    ]);
    expect(d.contradictions[0]?.message).toMatch(/non-destructive/);
  });

  it('flags a tool declared as changing state when it only reads', () => {
    const v = classifyTool(tool('list_playlists', 'List your playlists.', {}, { readOnlyHint: false }));
    expect(v.contradictions.map((c) => c.hint)).toContain('readOnlyHint');
  });

  it('destructiveHint on a tool declared read-only is not compared (the spec gives it no meaning)', () => {
    const v = classifyTool(
      tool('list_playlists', 'List your playlists.', {}, { readOnlyHint: true, destructiveHint: true }),
    );
    expect(v.contradictions).toEqual([]);
  });

  it('openWorldHint is inferred from URLs and local-only wording', () => {
    expect(
      classifyTool(tool('fetch_page', 'Fetch a page.', { url: { type: 'string' } })).inferredAnnotations
        .openWorldHint,
    ).toBe(true);
    const local = classifyTool(
      tool('read_note', 'Read a note from the local file system.', { path: { type: 'string' } }),
    );
    expect(local.inferredAnnotations.openWorldHint).toBe(false);
  });
});
