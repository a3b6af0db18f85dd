// Conditional requests: validators stored in SQLite (migration 004) make a repeat GET a 304 that GitHub
// does not charge, answered from the cache; plus the per-server source versions the pipeline records.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db.ts';
import { HttpCache } from '../../data/http-cache.ts';
import { createGitHubClient, NOT_MODIFIED } from '../../crawler/github/client.ts';
import { refCommit, repoStatus } from '../../crawler/github/repo-status.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';
import { tempDir } from '../helpers/tmp.ts';

let gh: FakeGitHub;
const dir = tempDir('github-client-');
beforeAll(async () => {
  gh = await startFakeGitHub();
  gh.addRepo({ owner: 'acme', name: 'weather', files: { 'a.ts': '' }, description: 'Forecasts' });
});
afterAll(() => gh.close());

describe('GitHub client with an SQLite ETag cache', () => {
  it('revalidates with If-None-Match; the 304 is free and the body comes from the cache', async () => {
    const db = openDatabase(path.join(dir, 'catalog.db'));
    const cache = new HttpCache(db);
    const client = createGitHubClient({ baseUrl: gh.url, token: 't', cache, timeUnitMs: 1 });
    const first = await client.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'weather' });
    expect(first.status).toBe(200);
    expect(gh.stats).toMatchObject({ rest: 1, notModified: 0 });

    const second = await client.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'weather' });
    expect(second.status as number).toBe(NOT_MODIFIED);
    expect(second.data.full_name).toBe('acme/weather');
    expect(second.data.description).toBe('Forecasts');
    expect(gh.stats).toMatchObject({ rest: 1, notModified: 1 });
    db.close();

    // Validators survive a restart: a new process with the same database still gets free 304s.
    const reopened = new HttpCache(openDatabase(path.join(dir, 'catalog.db')));
    const client2 = createGitHubClient({ baseUrl: gh.url, token: 't', cache: reopened, timeUnitMs: 1 });
    expect((await repoStatus(client2, 'acme', 'weather')).kind).toBe('ok');
    expect(gh.stats).toMatchObject({ rest: 1, notModified: 2 });
  });

  it('checks a ref with the sha media type: unchanged costs nothing, a push is seen', async () => {
    const cache = new HttpCache(openDatabase(':memory:'));
    const client = createGitHubClient({ baseUrl: gh.url, token: 't', cache, timeUnitMs: 1 });
    gh.resetStats();
    const head = await refCommit(client, 'acme', 'weather', 'main');
    expect(head).toBe(gh.getRepo('acme/weather')?.head);
    expect(await refCommit(client, 'acme', 'weather', 'main')).toBe(head);
    expect(gh.stats).toMatchObject({ rest: 1, notModified: 1 });
    const pushed = gh.push('acme/weather');
    expect(await refCommit(client, 'acme', 'weather', 'main')).toBe(pushed);
    expect(gh.stats).toMatchObject({ rest: 2, notModified: 1 });
  });

  it('records the source version processed per server', () => {
    const cache = new HttpCache(openDatabase(':memory:'), () => new Date('2026-03-01T00:00:00Z'));
    expect(cache.getVersion('github:acme/weather')).toBeUndefined();
    cache.setVersion('github:acme/weather', 'commit:abc', 'abc');
    cache.setVersion('github:acme/weather', 'commit:def', 'def');
    expect(cache.getVersion('github:acme/weather')).toEqual({
      version: 'commit:def',
      commit: 'def',
      checkedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(cache.prune('2026-04-01T00:00:00Z')).toBe(0);
  });
});
