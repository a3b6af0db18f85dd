// The source crawl pipeline through the real octokit against the fake GitHub: discovery → queue → fetch →
// extract → classify → store; 404/451 repositories recorded as gone; an unchanged recrawl downloads
// nothing; a rate limit makes work wait without spending an attempt; failed items come back with
// retryFailed once their source is fixed.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSources, type SourceCrawlEvent, type SourceCrawlOptions } from '../../crawler/source-crawl.ts';
import { createSourceFetchers } from '../../crawler/source-fetchers.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import { HttpCache } from '../../data/http-cache.ts';
import type { ServerRef } from '../../data/model.ts';
import { getQueueItem } from '../../data/queue.ts';
import { secondaryLimit, startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';
import { startFakeNpm } from '../fakes/packages.ts';
import { generatedTree, unit } from '../fakes/github-seeded.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir('source-crawl-');
let gh: FakeGitHub;
let n = 0;

const ref = (repo: string, subdir?: string): ServerRef => ({
  id: `github:acme/${repo}${subdir ? `/${subdir}` : ''}`,
  name: `${repo}${subdir ? ` ${subdir}` : ''}`,
  source: 'seed',
  packages: [],
  github: { owner: 'acme', repo, ...(subdir ? { subdir } : {}) },
});

/** The tools generatedTree writes for a repository (and folder). */
const expectedTools = (key: string, folder = ''): string[] =>
  ['list_items', 'get_item', 'create_item', 'delete_item'].slice(0, 2 + Math.floor(unit(key + folder) * 3));

/** A FastMCP tool a fork adds (the generated notes server is Python or TypeScript; either way it is one more tool). */
const EXTRA_TOOL =
  'from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.tool()\ndef export_items(id: str) -> str:\n    \"\"\"Export items.\"\"\"\n    return id\n';

const toolNames = (db: Db, id: string): string[] =>
  (
    db.prepare('SELECT name FROM tools WHERE server_id = ? ORDER BY position').all(id) as { name: string }[]
  ).map((r) => r.name);

async function run(
  db: Db,
  refs: ServerRef[],
  extra: Partial<SourceCrawlOptions> = {},
  client: Parameters<typeof createSourceFetchers>[0]['client'] = {},
  settings: Partial<Parameters<typeof createSourceFetchers>[0]> = {},
) {
  const cache = new HttpCache(db);
  const events: SourceCrawlEvent[] = [];
  const fetchers = createSourceFetchers({
    githubApiUrl: gh.url,
    githubToken: 'test-token',
    workDir: path.join(dir, `work${++n}`),
    cache,
    client: { timeUnitMs: 1, graphqlMinTimeMs: 0, ...client },
    ...settings,
  });
  const summary = await crawlSources(db, {
    sources: refs.length ? [{ name: 'seed', refs }] : [],
    fetchers,
    cache,
    concurrency: 3,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { summary, events };
}

beforeAll(async () => {
  gh = await startFakeGitHub();
  for (const name of ['notes', 'weather']) {
    const r = gh.addRepo({
      owner: 'acme',
      name,
      files: () => generatedTree(`acme/${name}`, r.head ?? '', []),
    });
  }
  const mono = gh.addRepo({
    owner: 'acme',
    name: 'mono',
    files: () => generatedTree('acme/mono', mono.head ?? '', ['servers/a', 'servers/b']),
  });
  gh.addRepo({ owner: 'acme', name: 'deleted', state: 'deleted', files: { 'a.ts': '' } });
  gh.addRepo({ owner: 'acme', name: 'dmca', state: 'dmca', files: { 'a.ts': '' } });
  gh.addRepo({ owner: 'acme', name: 'docs-only', files: { 'README.md': '# nothing to see\n' } });
});
afterAll(() => gh.close());

describe('source crawl', () => {
  const refs = [
    ref('notes'),
    ref('weather'),
    ref('mono', 'servers/a'),
    ref('mono', 'servers/b'),
    ref('deleted'),
    ref('dmca'),
    ref('docs-only'),
  ];

  it('fills the catalogue, records gone and toolless servers, and recrawls an unchanged source for free', async () => {
    const db = openDatabase(path.join(dir, 'full.db'));
    gh.resetStats();
    const { summary, events } = await run(db, refs);
    expect(summary).toMatchObject({ ok: 4, gone: 2, failed: 1, passFinished: true, status: 'partial' });
    expect(toolNames(db, 'github:acme/notes')).toEqual(expectedTools('acme/notes'));
    expect(toolNames(db, 'github:acme/mono/servers/b')).toEqual(expectedTools('acme/mono', 'servers/b'));
    // One download for the monorepo however many of its folders are servers.
    expect(gh.stats.codeloadDownloads).toBe(4);
    expect(summary.failures.map((f) => [f.serverId, f.group, f.kind]).sort()).toEqual([
      ['github:acme/deleted', 'gone: not-found', 'http'],
      ['github:acme/dmca', 'gone: dmca', 'http'],
      ['github:acme/docs-only', 'extract: no tools', 'invalid'],
    ]);
    expect(getQueueItem(db, 'github:acme/dmca')).toMatchObject({ state: 'gone', lastKind: 'http' });
    const failure = db
      .prepare(`SELECT last_status, last_error FROM servers WHERE id = 'github:acme/deleted'`)
      .get() as { last_status: string; last_error: string };
    expect(failure.last_status).toBe('failed');
    expect(events.filter((e) => e.type === 'server-done' || e.type === 'server-failed')).toHaveLength(7);
    expect(events.at(-1)?.type).toBe('finish');

    gh.resetStats();
    const again = await run(db, refs);
    expect(again.summary).toMatchObject({ resumed: false, unchanged: 4, gone: 2, failed: 1, tools: 0 });
    expect(gh.stats.codeloadDownloads).toBe(1); // only the toolless repository is looked at again
    expect(gh.stats.rest).toBe(1);
    expect(toolNames(db, 'github:acme/notes')).toEqual(expectedTools('acme/notes'));
    db.close();
  });

  it('makes rate-limited work wait instead of failing it, spending no attempt', async () => {
    const db = openDatabase(path.join(dir, 'limited.db'));
    gh.resetStats();
    gh.faults.push(secondaryLimit(/\/repos\/acme\/weather\/tarball/, 429, 1, 2));
    const { summary } = await run(
      db,
      [ref('weather')],
      // One attempt only: had the limit cost one, the item would have failed.
      { policy: { maxAttempts: 1 } },
      // Octokit hands the wait to the queue at once instead of sleeping inside the request.
      { onRateLimit: () => false },
    );
    expect(summary).toMatchObject({ ok: 1, failed: 0 });
    expect(gh.stats.secondaryLimited).toBe(2);
    expect(getQueueItem(db, 'github:acme/weather')).toMatchObject({ state: 'done', attempts: 1 });
    expect(toolNames(db, 'github:acme/weather')).toEqual(expectedTools('acme/weather'));
    db.close();
  });

  it('retryFailed takes failed items again, without rediscovery', async () => {
    const db = openDatabase(path.join(dir, 'retry.db'));
    gh.addRepo({ owner: 'acme', name: 'later', files: { 'README.md': '# soon\n' } });
    const first = await run(db, [ref('later')]);
    expect(first.summary).toMatchObject({ failed: 1, passFinished: true });
    expect(getQueueItem(db, 'github:acme/later')?.state).toBe('failed');
    gh.push('acme/later', generatedTree('acme/later', 'x', []));
    const retried = await run(db, [], { retryFailed: true });
    expect(retried.summary).toMatchObject({ ok: 1, failed: 0, passFinished: true });
    expect(toolNames(db, 'github:acme/later')).toEqual(expectedTools('acme/later'));
    db.close();
  });

  it('without a GitHub token crawls npm packages and leaves GitHub-only servers queued', async () => {
    const npm = await startFakeNpm([
      {
        name: '@acme/tracks-mcp',
        version: '1.2.0',
        files: {
          'package.json': '{"name":"@acme/tracks-mcp","version":"1.2.0"}',
          'index.js':
            "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\n" +
            "const server = new McpServer({ name: 'tracks', version: '1.2.0' });\n" +
            "server.tool('list_tracks', 'List the tracks.', {}, async () => ({ content: [] }));\n",
        },
      },
    ]);
    try {
      const db = openDatabase(path.join(dir, 'no-token.db'));
      const fromNpm: ServerRef = {
        id: 'npm/@acme/tracks-mcp',
        name: 'tracks',
        source: 'seed',
        packages: [{ registry: 'npm', name: '@acme/tracks-mcp' }],
      };
      const { summary } = await run(
        db,
        [fromNpm, ref('notes')],
        {},
        {},
        {
          githubToken: undefined,
          npmRegistryUrl: npm.url,
        },
      );
      expect(summary).toMatchObject({ ok: 1, needsGitHub: 1, passFinished: false, status: 'partial' });
      expect(toolNames(db, 'npm/@acme/tracks-mcp')).toEqual(['list_tracks']);
      expect(getQueueItem(db, 'github:acme/notes')).toMatchObject({ state: 'pending', attempts: 0 });
      // With a token, the same pass resumes and does only what was left.
      const resumed = await run(db, [fromNpm, ref('notes')]);
      expect(resumed.summary).toMatchObject({ resumed: true, servers: 1, ok: 1, passFinished: true });
      expect(toolNames(db, 'github:acme/notes')).toEqual(expectedTools('acme/notes'));
      db.close();
    } finally {
      await npm.close();
    }
  });

  it('stops on abort with nothing held: the interrupted items wait for the next crawl, attempts given back', async () => {
    const db = openDatabase(path.join(dir, 'abort.db'));
    const controller = new AbortController();
    gh.slowDownloadMs = 300;
    try {
      const first = await run(db, refs.slice(0, 4), {
        concurrency: 1,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'server-done') controller.abort();
        },
      });
      expect(first.summary).toMatchObject({ ok: 1, passFinished: false, status: 'partial' });
    } finally {
      gh.slowDownloadMs = 0;
    }
    const states = db.prepare(`SELECT state, attempts FROM crawl_queue ORDER BY rowid`).all();
    expect(states).toEqual([
      { state: 'done', attempts: 1 },
      { state: 'pending', attempts: 0 },
      { state: 'pending', attempts: 0 },
      { state: 'pending', attempts: 0 },
    ]);
    const second = await run(db, refs.slice(0, 4));
    expect(second.summary).toMatchObject({
      resumed: true,
      reclaimed: 0,
      servers: 3,
      ok: 3,
      passFinished: true,
    });
    db.close();
  });

  it('does not store a fork whose tools are exactly those of a catalogued server', async () => {
    const db = openDatabase(path.join(dir, 'forks.db'));
    const copy = gh.addRepo({
      owner: 'someone',
      name: 'notes',
      fork: true,
      files: () => generatedTree('acme/notes', copy.head ?? '', []),
    });
    const changed = gh.addRepo({
      owner: 'other',
      name: 'notes',
      fork: true,
      files: () => ({ ...generatedTree('acme/notes', changed.head ?? '', []), 'extra.py': EXTRA_TOOL }),
    });
    const fork = (owner: string): ServerRef => ({
      id: `github:${owner}/notes`,
      name: 'notes fork',
      source: 'seed',
      packages: [],
      github: { owner, repo: 'notes' },
    });
    // One at a time, so the original is stored before its forks are looked at.
    const { summary } = await run(db, [ref('notes'), fork('someone'), fork('other')], { concurrency: 1 });
    expect(summary.duplicates).toEqual([{ serverId: 'github:someone/notes', of: 'github:acme/notes' }]);
    expect(toolNames(db, 'github:someone/notes')).toEqual([]);
    expect(getQueueItem(db, 'github:someone/notes')).toMatchObject({ state: 'done', lastKind: 'duplicate' });
    // A fork that adds a tool is a server of its own.
    expect(toolNames(db, 'github:other/notes').length).toBeGreaterThan(
      toolNames(db, 'github:acme/notes').length,
    );
    db.close();
  });
});
