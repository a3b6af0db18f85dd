// The GitHub fetcher through the real octokit against the fake GitHub: costs per repository (GraphQL
// points, REST requests), unchanged heads and subfolders, renames, deletions, DMCA, empty and archived
// repositories, secondary and primary rate limits, truncated and slow downloads, size caps.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type RateLimitEvent } from '../../crawler/github/client.ts';
import { GitHubFetcher, fetchAll } from '../../crawler/github/fetcher.ts';
import type { FetchOutcome } from '../../crawler/github/outcome.ts';
import { secondaryLimit, startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';
import { tempDir } from '../helpers/tmp.ts';

const work = tempDir('github-fetcher-');
let gh: FakeGitHub;

function fetcher(
  extra: Parameters<typeof createGitHubClient>[0] extends infer O ? Partial<O> : never = {},
  limits = {},
) {
  const client = createGitHubClient({
    baseUrl: gh.url,
    token: 'test-token',
    timeUnitMs: 1,
    graphqlMinTimeMs: 0,
    ...extra,
  });
  return new GitHubFetcher({ client, workDir: work, limits });
}

function expectStatus<S extends FetchOutcome['status']>(
  o: FetchOutcome,
  s: S,
): Extract<FetchOutcome, { status: S }> {
  expect(
    o.status,
    JSON.stringify(o, (_k, v: unknown) => (v instanceof Error ? v.message : v)),
  ).toBe(s);
  return o as Extract<FetchOutcome, { status: S }>;
}

beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addRepo({
    owner: 'acme',
    name: 'weather',
    files: { 'package.json': '{"name":"weather"}', 'src/index.ts': 'server.tool("get_forecast")' },
  });
  gh.addRepo({
    owner: 'acme',
    name: 'mono',
    files: {
      'README.md': 'root',
      'servers/notes/index.ts': 'notes',
      'servers/calendar/index.ts': 'calendar',
    },
    refs: { 'v2.0': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
  });
  gh.addRepo({ owner: 'acme', name: 'old-name', files: { 'main.py': '@mcp.tool()' } });
  gh.rename('acme/old-name', 'acme-org', 'new-name');
  gh.addRepo({ owner: 'acme', name: 'taken-down', files: { 'a.ts': '' }, state: 'dmca' });
  gh.addRepo({ owner: 'acme', name: 'deleted', files: {}, state: 'deleted' });
  gh.addRepo({ owner: 'acme', name: 'empty', files: {}, head: undefined });
  gh.addRepo({ owner: 'acme', name: 'retired', files: { 'index.js': '' }, archived: true });
});
afterAll(() => gh.close());
afterEach(() => {
  gh.faults.length = 0;
  gh.truncateDownloads = 0;
  gh.slowDownloadMs = 0;
  gh.resetStats();
});

describe('GitHub fetcher', () => {
  it('fetches a new repository for one REST request and one GraphQL point, then finds it unchanged for free', async () => {
    const f = fetcher();
    const first = expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'weather' } }), 'fetched');
    expect(first.version).toBe(`commit:${gh.getRepo('acme/weather')?.head}`);
    expect(fs.readFileSync(path.join(first.dir, 'src/index.ts'), 'utf8')).toContain('get_forecast');
    expect(gh.stats).toMatchObject({ rest: 1, graphqlPoints: 1, codeloadDownloads: 1 });

    gh.resetStats();
    const again = await f.fetch({ github: { owner: 'acme', repo: 'weather' }, known: first.version });
    expect(again).toEqual({ status: 'unchanged', version: first.version });
    expect(gh.stats).toMatchObject({ rest: 0, graphqlPoints: 1, codeloadDownloads: 0 });

    const pushed = gh.push('acme/weather');
    const changed = expectStatus(
      await f.fetch({ github: { owner: 'acme', repo: 'weather' }, known: first.version }),
      'fetched',
    );
    expect(changed.commit).toBe(pushed);
  });

  it('keys a monorepo subfolder by its tree: a push elsewhere leaves it unchanged', async () => {
    const f = fetcher();
    const notes = { owner: 'acme', repo: 'mono', subdir: 'servers/notes' };
    const first = expectStatus(await f.fetch({ github: notes }), 'fetched');
    expect(fs.readdirSync(first.dir)).toEqual(['index.ts']);
    expect(first.version).toMatch(/^tree:/);
    gh.push('acme/mono', {
      'README.md': 'changed',
      'servers/notes/index.ts': 'notes',
      'servers/calendar/index.ts': 'v2',
    });
    expect(await f.fetch({ github: notes, known: first.version })).toMatchObject({
      status: 'unchanged',
      version: first.version,
    });
    const cal = await f.fetch({ github: { ...notes, subdir: 'servers/missing' } });
    expect(cal).toMatchObject({ status: 'gone', reason: 'subdir-missing' });
  });

  it('downloads a monorepo once for all of its subfolders at one commit', async () => {
    const f = fetcher();
    const [notes, cal] = await Promise.all([
      f.fetch({ github: { owner: 'acme', repo: 'mono', subdir: 'servers/notes' } }),
      f.fetch({ github: { owner: 'acme', repo: 'mono', subdir: 'servers/calendar' } }),
    ]);
    expect(fs.readFileSync(path.join(expectStatus(notes, 'fetched').dir, 'index.ts'), 'utf8')).toBe('notes');
    expect(expectStatus(cal, 'fetched').files).toBe(1);
    expect(gh.stats).toMatchObject({ rest: 1, codeloadDownloads: 1, graphqlQueries: 1 });
  });

  it('spends no REST request on a repository already known to be gone', async () => {
    const f = fetcher();
    const first = expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'deleted' } }), 'gone');
    expect(first.version).toBe('gone:not-found');
    gh.resetStats();
    const again = await f.fetch({ github: { owner: 'acme', repo: 'deleted' }, known: first.version });
    expect(again).toMatchObject({ status: 'gone', reason: 'not-found' });
    expect(gh.stats).toMatchObject({ rest: 0, graphqlPoints: 1 });
  });

  it('batches many lookups into one GraphQL query per 100 repositories', async () => {
    const f = fetcher();
    const refs = Array.from({ length: 150 }, (_, i) => ({
      owner: 'acme',
      repo: 'mono',
      subdir: `servers/x${i}`,
    }));
    await f.prefetch(refs);
    expect(gh.stats.graphqlQueries).toBe(2);
    expect(gh.stats.graphqlPoints).toBe(2);
    const outcomes = await Promise.all(refs.map((github) => f.fetch({ github })));
    expect(outcomes.every((o) => o.status === 'gone')).toBe(true);
    expect(gh.stats.graphqlQueries).toBe(2);
    expect(gh.stats.rest).toBe(0);
  });

  it('fetchAll reads ahead, yields every item once and spends one query per batch', async () => {
    const f = fetcher();
    const items = Array.from({ length: 30 }, (_, i) => ({
      id: `item-${i}`,
      github: { owner: 'acme', repo: i % 2 ? 'weather' : 'retired' },
    }));
    const seen: string[] = [];
    for await (const { item, outcome } of fetchAll(f, items, { concurrency: 4, batchSize: 10 })) {
      expect(outcome.status).toBe('fetched');
      seen.push(item.id);
    }
    expect(seen.sort()).toEqual(items.map((i) => i.id).sort());
    expect(gh.stats.graphqlQueries).toBe(3);
    expect(gh.stats.rest).toBe(30);
  });

  it('follows a rename and reports where the repository went', async () => {
    const o = expectStatus(await fetcher().fetch({ github: { owner: 'acme', repo: 'old-name' } }), 'fetched');
    expect(o.movedTo).toBe('acme-org/new-name');
    expect(fs.readFileSync(path.join(o.dir, 'main.py'), 'utf8')).toBe('@mcp.tool()');
  });

  it('says why a repository is gone: 404, DMCA (451), empty; and flags archived ones', async () => {
    const f = fetcher();
    const [deleted, dmca, empty, archived] = await Promise.all([
      f.fetch({ github: { owner: 'acme', repo: 'deleted' } }),
      f.fetch({ github: { owner: 'acme', repo: 'taken-down' } }),
      f.fetch({ github: { owner: 'acme', repo: 'empty' } }),
      f.fetch({ github: { owner: 'acme', repo: 'retired' } }),
    ]);
    expect(deleted).toMatchObject({ status: 'gone', reason: 'not-found', httpStatus: 404 });
    expect(dmca).toMatchObject({
      status: 'gone',
      reason: 'dmca',
      httpStatus: 451,
      detail: 'acme/taken-down: repository access blocked (DMCA takedown)',
    });
    expect(empty).toMatchObject({ status: 'gone', reason: 'empty' });
    expect(archived).toMatchObject({ status: 'fetched', archived: true });
    expect(gh.stats.graphqlQueries).toBe(1);
  });

  it('resolves an explicit tag, and falls back to the default branch when the ref is gone', async () => {
    const f = fetcher();
    const tag = await f.fetch({
      github: { owner: 'acme', repo: 'mono', ref: 'v2.0', subdir: 'servers/notes' },
    });
    expect(expectStatus(tag, 'fetched').commit).toBe('a'.repeat(40));
    const gone = expectStatus(
      await f.fetch({ github: { owner: 'acme', repo: 'mono', ref: 'feature-x' } }),
      'fetched',
    );
    expect(gone.commit).toBe(gh.getRepo('acme/mono')?.head);
  });

  it('waits out secondary rate limits (403 and 429 with retry-after) and succeeds', async () => {
    gh.faults.push(secondaryLimit(/tarball/, 403, 1), secondaryLimit(/tarball/, 429, 1));
    const events: RateLimitEvent[] = [];
    const f = fetcher({ onRateLimit: (e) => (events.push(e), true) });
    expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'weather' } }), 'fetched');
    expect(gh.stats.secondaryLimited).toBe(2);
    expect(events.map((e) => [e.kind, e.retryAfterS])).toContainEqual(['secondary', 1]);
  });

  it('retries a GraphQL "Something went wrong" answer and a 502 from the API', async () => {
    gh.faults.push(
      {
        match: /graphql/,
        status: 200,
        times: 1,
        body: { data: null, errors: [{ message: 'Something went wrong while executing your query.' }] },
      },
      { match: /tarball/, status: 502, times: 1, body: { message: 'Server Error' } },
    );
    expectStatus(await fetcher().fetch({ github: { owner: 'acme', repo: 'weather' } }), 'fetched');
    expect(gh.faults.every((f) => f.times === 0)).toBe(true);
  });

  it('splits a head batch GitHub keeps failing on, so the repositories still resolve', async () => {
    const f = fetcher({ retries: 0 });
    const graphqlBefore = gh.log.filter((l) => l === 'POST /graphql').length;
    gh.faults.push({ match: /graphql/, status: 502, times: 1, body: { message: 'Server Error' } });
    gh.faults.push({
      match: /graphql/,
      status: 200,
      times: 1,
      body: { data: null, errors: [{ message: 'Timeout on validation of query' }] },
    });
    const refs = [
      { owner: 'acme', repo: 'weather' },
      { owner: 'acme', repo: 'retired' },
      { owner: 'acme', repo: 'mono' },
    ];
    await f.prefetch(refs);
    const outcomes = await Promise.all(refs.map((github) => f.fetch({ github })));
    expect(outcomes.map((o) => o.status)).toEqual(['fetched', 'fetched', 'fetched']);
    // 3 repos: the whole batch fails (502), its first half of 2 fails (no data), then 1 + 1 + 1 answer.
    expect(gh.log.filter((l) => l === 'POST /graphql').length - graphqlBefore).toBe(5);
    expect(gh.stats.graphqlQueries).toBe(3);
  });

  it('turns an exhausted primary budget it will not wait for into a retryable failure with a wait', async () => {
    const small = await startFakeGitHub({ limits: { core: 1 } });
    try {
      small.addRepo({ owner: 'acme', name: 'a', files: { 'x.ts': '' } });
      small.addRepo({ owner: 'acme', name: 'b', files: { 'x.ts': '' } });
      const events: RateLimitEvent[] = [];
      const client = createGitHubClient({
        baseUrl: small.url,
        token: 't',
        timeUnitMs: 1,
        graphqlMinTimeMs: 0,
        onRateLimit: (e) => (events.push(e), false),
      });
      const f = new GitHubFetcher({ client, workDir: work });
      expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'a' } }), 'fetched');
      const second = expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'b' } }), 'failed');
      expect(second.retryable).toBe(true);
      expect(second.retryAfterMs).toBeGreaterThan(0);
      expect(second.error.message).toMatch(/acme\/b: GitHub answered 403: API rate limit exceeded/);
      expect(events[0]).toMatchObject({ kind: 'primary' });
      expect(small.stats.primaryLimited).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('waits for the GraphQL budget when it is spent (RATE_LIMITED), then carries on', async () => {
    const small = await startFakeGitHub({ limits: { graphql: 1 } });
    try {
      small.addRepo({ owner: 'acme', name: 'a', files: { 'x.ts': '' } });
      const client = createGitHubClient({
        baseUrl: small.url,
        token: 't',
        timeUnitMs: 0,
        graphqlMinTimeMs: 0,
        // Stand-in for waiting an hour: the fake's window resets, then the plugin retries.
        onRateLimit: () => (small.resetWindows(), true),
      });
      const f = new GitHubFetcher({ client, workDir: work });
      const known = expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'a' } }), 'fetched').version;
      expect(await f.fetch({ github: { owner: 'acme', repo: 'a' }, known })).toMatchObject({
        status: 'unchanged',
      });
      expect(small.stats.primaryLimited).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('retries a truncated download once, then reports it as retryable', async () => {
    const f = fetcher();
    gh.truncateDownloads = 1;
    expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'weather' } }), 'fetched');
    expect(gh.stats.codeloadDownloads).toBe(2);
    gh.truncateDownloads = 2;
    const failed = expectStatus(await f.fetch({ github: { owner: 'acme', repo: 'weather' } }), 'failed');
    expect(failed.retryable).toBe(true);
    expect(failed.error.message).toMatch(/acme\/weather@[0-9a-f]{12}: /);
  });

  it('aborts a slow download when the signal fires, leaving no partial tree', async () => {
    gh.slowDownloadMs = 5000;
    const ac = new AbortController();
    const dest = path.join(work, 'aborted');
    const run = fetcher().fetch({ github: { owner: 'acme', repo: 'weather' }, dest, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(fs.existsSync(path.join(dest, 'src/index.ts'))).toBe(false);
  });

  it('lets one caller abort while waiting on a slow API answer', async () => {
    const slow = await startFakeGitHub({ latencyMs: 2000 });
    try {
      slow.addRepo({ owner: 'acme', name: 'slow', files: { 'a.ts': '' } });
      const client = createGitHubClient({
        baseUrl: slow.url,
        token: 't',
        timeUnitMs: 1,
        graphqlMinTimeMs: 0,
      });
      const f = new GitHubFetcher({ client, workDir: work });
      const ac = new AbortController();
      const run = f.fetch({ github: { owner: 'acme', repo: 'slow' }, signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expect(slow.stats.codeloadDownloads).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('refuses a repository over the size cap, not retryable, keeping nothing', async () => {
    const dest = path.join(work, 'too-big');
    const o = expectStatus(
      await fetcher({}, { maxCompressedBytes: 64 }).fetch({
        github: { owner: 'acme', repo: 'weather' },
        dest,
      }),
      'failed',
    );
    expect(o.retryable).toBe(false);
    expect(o.error.message).toMatch(/larger than 64 bytes/);
    expect(fs.existsSync(dest)).toBe(false);
  });
});

describe('seeded fake GitHub', () => {
  it('serves a generated MCP server per seed subfolder that the fetcher extracts', async () => {
    const { populate } = await import('../fakes/github-seeded.ts');
    const seeded = await startFakeGitHub();
    try {
      const refs = [
        {
          id: 'github:acme/one',
          name: 'one',
          source: 'seed',
          packages: [],
          github: { owner: 'acme', repo: 'one' },
        },
        {
          id: 'github:acme/mono/servers/a',
          name: 'a',
          source: 'seed',
          packages: [],
          github: { owner: 'acme', repo: 'mono', subdir: 'servers/a' },
        },
      ];
      expect(populate(seeded, refs, { fates: false }).repos).toEqual(['acme/one', 'acme/mono']);
      const client = createGitHubClient({
        baseUrl: seeded.url,
        token: 't',
        timeUnitMs: 1,
        graphqlMinTimeMs: 0,
      });
      const f = new GitHubFetcher({ client, workDir: work });
      const mono = expectStatus(await f.fetch({ github: refs[1]!.github }), 'fetched');
      const entry = fs.readdirSync(mono.dir).sort();
      expect(entry.includes('server.py') || entry.includes('src')).toBe(true);
      const text = entry.includes('server.py')
        ? fs.readFileSync(path.join(mono.dir, 'server.py'), 'utf8')
        : fs.readFileSync(path.join(mono.dir, 'src/index.ts'), 'utf8');
      expect(text).toMatch(/@mcp\.tool\(\)|server\.tool\('list_items'/);
    } finally {
      await seeded.close();
    }
  });
});
