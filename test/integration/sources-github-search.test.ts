// GitHub search specifics: queries over GitHub's 1,000-result cap are split by range until every part
// fits, code hits collapse to one ref per repository, and search's own rate limit is waited out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerRef } from '../../data/model.ts';
import { createGitHubClient } from '../../crawler/github/client.ts';
import { discoverGitHubSearch } from '../../crawler/sources/github-search.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.ts';

async function all(it: AsyncIterable<ServerRef>) {
  const out: ServerRef[] = [];
  for await (const r of it) out.push(r);
  return out;
}

let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ limits: { search: 1000 } });
  for (let i = 0; i < 1500; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    gh.addRepo({
      owner: 'many',
      name: `mcp-${i}`,
      topics: ['model-context-protocol'],
      createdAt: `2025-${month}-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
      files: {},
    });
  }
  const sdk = "from mcp.server.fastmcp import FastMCP\nmcp = FastMCP('x')\n";
  gh.addRepo({
    owner: 'py',
    name: 'two-files',
    files: { 'a/server.py': sdk, 'b/server.py': sdk, 'README.md': 'from mcp.server' },
  });
  gh.addRepo({ owner: 'py', name: 'other', files: { 'server.py': sdk } });
});
afterAll(() => gh.close());

const client = () => createGitHubClient({ baseUrl: gh.url, token: 't', timeUnitMs: 1, searchMinTimeMs: 0 });

describe('GitHub search source', () => {
  it('splits a repository query with more than 1,000 results by creation date and finds every repository', async () => {
    const skipped: string[] = [];
    const refs = await all(
      discoverGitHubSearch({
        client: client(),
        codeQueries: [],
        repoQueries: ['topic:model-context-protocol'],
        since: '2025-01-01',
        until: '2025-12-31',
        onSkip: (r) => skipped.push(r),
      }),
    );
    expect(refs).toHaveLength(1500);
    expect(new Set(refs.map((r) => r.id)).size).toBe(1500);
    expect(skipped).toEqual([]);
    const queried = gh.log.filter((l) => l.startsWith('GET /search/repositories'));
    expect(queried.some((l) => decodeURIComponent(l).includes('created:2025-01-01..2025-07-02'))).toBe(true);
    expect(queried.every((l) => !/page=(1[1-9]|[2-9]\d)/.test(l))).toBe(true);
  });

  it('turns code hits into one ref per repository, by language', async () => {
    const refs = await all(
      discoverGitHubSearch({
        client: client(),
        codeQueries: ['"from mcp.server" language:Python'],
        repoQueries: [],
      }),
    );
    expect(refs.map((r) => r.id).sort()).toEqual(['github:py/other', 'github:py/two-files']);
    expect(refs[0]?.github).toEqual({ owner: expect.any(String), repo: expect.any(String) });
  });

  it('waits out the search rate limit instead of failing', async () => {
    const small = await startFakeGitHub({ limits: { code_search: 1 } });
    try {
      small.addRepo({ owner: 'a', name: 'one', files: { 's.py': 'from mcp.server import Server' } });
      small.addRepo({
        owner: 'a',
        name: 'two',
        files: { 's.go': 'import "github.com/mark3labs/mcp-go/server"' },
      });
      const c = createGitHubClient({
        baseUrl: small.url,
        token: 't',
        timeUnitMs: 0,
        searchMinTimeMs: 0,
        onRateLimit: () => (small.resetWindows(), true),
      });
      const refs = await all(
        discoverGitHubSearch({
          client: c,
          codeQueries: [
            '"from mcp.server" language:Python',
            '"github.com/mark3labs/mcp-go/server" language:Go',
          ],
          repoQueries: [],
        }),
      );
      expect(refs.map((r) => r.id)).toEqual(['github:a/one', 'github:a/two']);
      expect(small.stats.primaryLimited).toBe(1);
    } finally {
      await small.close();
    }
  });
});
