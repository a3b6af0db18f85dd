// GitHub search as a discovery source, through octokit: code search for MCP SDK imports per language and
// repository search by topic. GitHub serves at most 1,000 results per query, so a query with more is split
// into halves of a range qualifier (`created:` dates for repositories, `size:` bytes for code) until each
// part fits. Search has its own, stricter limits (30 requests a minute, code search 10 and only with a
// token): the client's search limiter spaces requests, code search is paced further here, and a limit that
// is hit anyway is waited out by the throttling plugin.
import type { ServerRef } from '../../data/model.ts';
import type { GitHubClient } from '../github/client.ts';
import { sleep } from '../http.ts';
import { RefEmitter, SourceError, githubId, sourceFailure, type DiscoverOptions } from './source.ts';

export const GITHUB_SEARCH_SOURCE = 'github';

/** One query per SDK and language: an import or dependency line only an MCP server (or client) has. */
export const DEFAULT_CODE_QUERIES = [
  '"@modelcontextprotocol/sdk/server" language:TypeScript',
  '"@modelcontextprotocol/sdk/server" language:JavaScript',
  '"from mcp.server" language:Python',
  '"from fastmcp import" language:Python',
  '"github.com/mark3labs/mcp-go/server" language:Go',
  '"github.com/modelcontextprotocol/go-sdk/mcp" language:Go',
  '"rmcp::" language:Rust',
  '"io.modelcontextprotocol.server" language:Java',
  '"ModelContextProtocol.Server" language:C#',
];

export const DEFAULT_REPO_QUERIES = ['topic:mcp-server', 'topic:mcp-servers', 'topic:model-context-protocol'];

export interface GitHubSearchOptions extends DiscoverOptions {
  client: GitHubClient;
  codeQueries?: string[];
  repoQueries?: string[];
  /** Lower bound of `created:` when splitting repository queries (older repos can gain MCP topics too). */
  since?: string;
  /** Upper bound (YYYY-MM-DD); today by default. */
  until?: string;
  /** Code search indexes files below 384 KB; the upper bound of `size:` when splitting. */
  maxFileSize?: number;
  /** Pause between code-search requests (10 a minute allowed: 6 s). */
  codeSearchIntervalMs?: number;
  /** Include forks from repository search (GitHub leaves them out by default). */
  forks?: boolean;
}

const PER_PAGE = 100;
const CAP = 1000;
const DAY = 86_400_000;

interface Range {
  lo: number;
  hi: number;
}

interface SearchItem {
  full_name?: string;
  name?: string;
  description?: string | null;
  html_url?: string;
  homepage?: string | null;
  fork?: boolean;
  repository?: SearchItem;
  path?: string;
}

export async function* discoverGitHubSearch(options: GitHubSearchOptions): AsyncGenerator<ServerRef> {
  const emitter = new RefEmitter(GITHUB_SEARCH_SOURCE, options);
  const since = Date.parse(options.since ?? '2008-01-01');
  const until = options.until ? Date.parse(options.until) : Date.now();
  const dates: Range = { lo: Math.floor(since / DAY), hi: Math.floor(until / DAY) };
  const sizes: Range = { lo: 0, hi: options.maxFileSize ?? 384_000 };
  let lastCode = 0;

  const page = async (kind: 'code' | 'repositories', q: string, n: number) => {
    options.signal?.throwIfAborted();
    if (kind === 'code' && options.codeSearchIntervalMs) {
      const wait = lastCode + options.codeSearchIntervalMs - Date.now();
      if (wait > 0) await sleep(wait, options.signal);
      lastCode = Date.now();
    }
    const res = await options.client.request(`GET /search/${kind}`, {
      q,
      per_page: PER_PAGE,
      page: n,
      request: options.signal ? { signal: options.signal } : {},
    });
    const data = res.data as { total_count: number; items: SearchItem[] };
    return { total: data.total_count, items: data.items };
  };

  async function* run(kind: 'code' | 'repositories', q: string, range: Range): AsyncGenerator<SearchItem> {
    const qualifier =
      kind === 'code' ? `size:${range.lo}..${range.hi}` : `created:${day(range.lo)}..${day(range.hi)}`;
    const query = `${q} ${qualifier}${kind === 'repositories' && options.forks ? ' fork:true' : ''}`;
    const first = await page(kind, query, 1);
    if (first.total > CAP && range.hi > range.lo) {
      const mid = Math.floor((range.lo + range.hi) / 2);
      yield* run(kind, q, { lo: range.lo, hi: mid });
      yield* run(kind, q, { lo: mid + 1, hi: range.hi });
      return;
    }
    if (first.total > CAP)
      options.onSkip?.(`${query}: ${first.total - CAP} results beyond GitHub's 1,000 cap`, query);
    yield* first.items;
    const pages = Math.ceil(Math.min(first.total, CAP) / PER_PAGE);
    for (let n = 2; n <= pages; n++) {
      const next = await page(kind, query, n);
      if (next.items.length === 0) break;
      yield* next.items;
    }
  }

  try {
    const queries: ['code' | 'repositories', string, Range][] = [
      ...(options.codeQueries ?? DEFAULT_CODE_QUERIES).map(
        (q) => ['code', q, sizes] as ['code', string, Range],
      ),
      ...(options.repoQueries ?? DEFAULT_REPO_QUERIES).map(
        (q) => ['repositories', q, dates] as ['repositories', string, Range],
      ),
    ];
    for (const [kind, q, range] of queries) {
      for await (const item of run(kind, q, range)) {
        const repo = kind === 'code' ? item.repository : item;
        const input = repo ? searchRef(repo) : undefined;
        if (!input) {
          options.onSkip?.('search result without a repository name', item);
          continue;
        }
        const ref = emitter.accept(input, item);
        if (ref) yield ref;
        if (emitter.done) return;
      }
    }
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 401)
      throw new SourceError(GITHUB_SEARCH_SOURCE, 'code search needs a GitHub token', error);
    if (status === 422)
      throw new SourceError(
        GITHUB_SEARCH_SOURCE,
        `GitHub rejected a query: ${(error as Error).message}`,
        error,
      );
    throw sourceFailure(GITHUB_SEARCH_SOURCE, error, options.signal);
  }
}

function day(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

function searchRef(repo: SearchItem) {
  const [owner, name] = (repo.full_name ?? '').split('/');
  if (!owner || !name) return undefined;
  return {
    id: githubId(owner, name),
    name,
    ...(repo.description ? { description: repo.description } : {}),
    repositoryUrl: `https://github.com/${owner}/${name}`,
    ...(repo.homepage ? { homepageUrl: repo.homepage } : {}),
    packages: [],
    github: { owner, repo: name },
  };
}
