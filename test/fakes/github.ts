// A fake GitHub on 127.0.0.1 that the real octokit talks to: REST repositories (with 301 renames, 404,
// 451 DMCA), commits with the sha media type, tarball redirects to a codeload-like URL serving gzipped
// `git archive`-style tarballs, repository and code search (1,000-result cap, Link paging), GraphQL head
// batches, and GitHub's accounting: x-ratelimit-* headers per resource, free 304s on matching ETags,
// GraphQL points, primary limits (403 / RATE_LIMITED) and injected secondary limits (403/429 + retry-after),
// slow and truncated downloads. A settable clock stands in for the hourly windows in benchmarks.
import crypto from 'node:crypto';
import type http from 'node:http';
import {
  startLocalServer,
  sendJson,
  readBody,
  takeFault,
  type Fault,
  type LocalServer,
} from './http-server.ts';
import { answerHeads, parseHeadsQuery, queryCost } from './github-graphql.ts';
import { basicError, fullRepository, type FakeRepo } from './github-shapes.ts';
import { RateWindows, type Resource } from './github-limits.ts';
import { handleSearch } from './github-search.ts';
import { codeloadTarball, gitTree, sendTarball } from './github-content.ts';

export type { FakeRepo } from './github-shapes.ts';
export type { Resource } from './github-limits.ts';

export interface FakeGitHubOptions {
  /** Real delay before each API answer. */
  latencyMs?: number;
  limits?: Partial<Record<Resource, number>>;
  /** Milliseconds since epoch; a benchmark passes a simulated clock. */
  now?: () => number;
}

export interface FakeGitHubStats {
  /** REST requests charged to the core budget (304s are not). */
  rest: number;
  notModified: number;
  graphqlQueries: number;
  graphqlPoints: number;
  search: number;
  codeSearch: number;
  codeloadDownloads: number;
  codeloadBytes: number;
  primaryLimited: number;
  secondaryLimited: number;
}

export interface FakeGitHub extends LocalServer {
  stats: FakeGitHubStats;
  faults: Fault[];
  /** The next N codeload responses are cut off half-way. */
  truncateDownloads: number;
  /** Delay each codeload body by this much (after headers). */
  slowDownloadMs: number;
  /** Tarballs produced for a repo+commit, by `owner/name@sha`, to prove repeat downloads. */
  addRepo(repo: Partial<FakeRepo> & { owner: string; name: string }): FakeRepo;
  getRepo(fullName: string): FakeRepo | undefined;
  /** Rename (or transfer) a repository; the old name redirects. */
  rename(fullName: string, owner: string, name: string): void;
  /** A new commit on the default branch, optionally with new files. */
  push(fullName: string, files?: Record<string, string>): string;
  /** Remaining budget per resource in the current window. */
  remaining(resource: Resource): number;
  /** When the current window of a resource ends (ms on the fake's clock). */
  resetAt(resource: Resource): number;
  resetStats(): void;
  /** Start a fresh window for every resource (a benchmark's simulated hour passing). */
  resetWindows(): void;
  repos: Map<string, FakeRepo>;
}

const sha1 = (s: string) => crypto.createHash('sha1').update(s).digest('hex');

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const now = options.now ?? Date.now;
  const limits = new RateWindows(now, options.limits);
  const repos = new Map<string, FakeRepo>();
  const byId = new Map<number, FakeRepo>();
  const redirects = new Map<string, number>();
  const fileCache = new WeakMap<FakeRepo, Record<string, string>>();
  let nextId = 1;
  let api = '';

  const files = (r: FakeRepo) => {
    if (typeof r.files !== 'function') return r.files;
    let f = fileCache.get(r);
    if (!f) fileCache.set(r, (f = r.files()));
    return f;
  };
  const treeOid = (r: FakeRepo, path: string) => {
    const prefix = path.replace(/^\/+|\/+$/g, '') + '/';
    const entries = Object.entries(files(r))
      .filter(([p]) => p.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length ? sha1(entries.map(([p, c]) => `${p}\0${sha1(c)}`).join('\n')) : undefined;
  };
  const findRepo = (owner: string, name: string) => {
    const key = `${owner}/${name}`.toLowerCase();
    return repos.get(key) ?? byId.get(redirects.get(key) ?? -1);
  };
  const rateHeaders = (res: Resource) => limits.headers(res);
  const charge = (res: Resource, cost: number, reply: http.ServerResponse, graphql = false) => {
    const ok = limits.charge(res, cost, reply, graphql);
    if (!ok) fake.stats.primaryLimited++;
    return ok;
  };

  const fake = {
    stats: emptyStats(),
    faults: [] as Fault[],
    truncateDownloads: 0,
    slowDownloadMs: 0,
    repos,
    addRepo(partial: Partial<FakeRepo> & { owner: string; name: string }) {
      const id = nextId++;
      const repo: FakeRepo = {
        id,
        defaultBranch: 'main',
        files: {},
        ...partial,
        ...('head' in partial ? {} : { head: sha1(`${partial.owner}/${partial.name}#0`) }),
      };
      repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), repo);
      byId.set(id, repo);
      return repo;
    },
    getRepo: (full: string) => repos.get(full.toLowerCase()),
    rename(full: string, owner: string, name: string) {
      const repo = repos.get(full.toLowerCase());
      if (!repo) throw new Error(`no repo ${full}`);
      repos.delete(full.toLowerCase());
      redirects.set(full.toLowerCase(), repo.id);
      repo.owner = owner;
      repo.name = name;
      repos.set(`${owner}/${name}`.toLowerCase(), repo);
    },
    push(full: string, newFiles?: Record<string, string>) {
      const repo = repos.get(full.toLowerCase());
      if (!repo) throw new Error(`no repo ${full}`);
      if (newFiles) repo.files = newFiles;
      // Generated trees are regenerated too: a generator may read the new head.
      fileCache.delete(repo);
      repo.head = sha1(`${repo.head ?? ''}+`);
      return repo.head;
    },
    remaining: (res: Resource) => limits.remaining(res),
    resetAt: (res: Resource) => limits.window(res).resetAt,
    resetStats() {
      fake.stats = emptyStats();
    },
    resetWindows() {
      limits.reset();
    },
  } as FakeGitHub;

  const server = await startLocalServer(async (req, res, url) => {
    const path = decodeURIComponent(url.pathname);
    if (path.startsWith('/_codeload/')) return serveCodeload(path, res);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const fault = takeFault(fake.faults, path);
    if (fault) {
      if (/secondary/i.test(JSON.stringify(fault.body ?? '')) || fault.status === 429)
        fake.stats.secondaryLimited++;
      return sendJson(res, fault.status, fault.body ?? basicError('injected', fault.status), {
        ...rateHeaders('core'),
        ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
        ...fault.headers,
      });
    }
    if (req.method === 'POST' && path === '/graphql') return serveGraphql(req, res);
    if (req.method !== 'GET') return sendJson(res, 404, basicError('Not Found', 404));
    if (path === '/rate_limit') return sendJson(res, 200, limits.overview());
    if (path.startsWith('/search/')) {
      const code = path === '/search/code';
      if (code && !req.headers.authorization)
        return sendJson(res, 401, basicError('Requires authentication', 401));
      const resource = code ? 'code_search' : 'search';
      if (!charge(resource, 1, res)) return;
      fake.stats[code ? 'codeSearch' : 'search']++;
      const answer = handleSearch(api, url, [...repos.values()], files);
      return sendJson(res, answer.status, answer.body, {
        ...rateHeaders(resource),
        ...(answer.link ? { link: answer.link } : {}),
      });
    }
    const m = /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))(?:\/(.*))?$/.exec(path);
    if (!m) return sendJson(res, 404, basicError('Not Found', 404));
    const [, owner, name, id, rest = ''] = m;
    let repo = id ? byId.get(Number(id)) : repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo && owner && name) {
      const movedId = redirects.get(`${owner}/${name}`.toLowerCase());
      repo = movedId === undefined ? undefined : byId.get(movedId);
      if (repo) {
        if (!charge('core', 1, res)) return;
        fake.stats.rest++;
        const location = `${api}/repositories/${repo.id}${rest ? `/${rest}` : ''}${url.search}`;
        return sendJson(
          res,
          301,
          {
            message: 'Moved Permanently',
            url: location,
            documentation_url: basicError('', 301).documentation_url,
          },
          {
            location,
            ...rateHeaders('core'),
          },
        );
      }
    }
    if (!charge('core', 1, res)) return;
    fake.stats.rest++;
    if (!repo || repo.state === 'deleted')
      return sendJson(res, 404, basicError('Not Found', 404), rateHeaders('core'));
    if (repo.state === 'dmca') {
      return sendJson(
        res,
        451,
        {
          message: 'Repository access blocked',
          block: {
            reason: 'dmca',
            created_at: '2025-01-01T00:00:00Z',
            html_url: 'https://github.com/github/dmca',
          },
        },
        rateHeaders('core'),
      );
    }
    if (rest === '') return conditionalJson(req, res, fullRepository(api, repo));
    const commits = /^commits\/(.+)$/.exec(rest);
    if (commits) {
      const commit = resolveRev(repo, commits[1]!);
      if (!commit)
        return sendJson(
          res,
          422,
          basicError(`No commit found for SHA: ${commits[1]}`, 422),
          rateHeaders('core'),
        );
      if (String(req.headers.accept).includes('application/vnd.github.sha')) {
        return conditional(req, res, commit, 'application/vnd.github.sha; charset=utf-8');
      }
      return conditionalJson(req, res, {
        sha: commit,
        url: `${api}/repos/${repo.owner}/${repo.name}/commits/${commit}`,
      });
    }
    const tree = /^git\/trees\/(.+)$/.exec(rest);
    if (tree) {
      // The naive crawler's way in (a tree, then a request per file); the fetcher uses one tarball instead.
      const commit = resolveRev(repo, tree[1]!);
      if (!commit) return sendJson(res, 404, basicError('Not Found', 404), rateHeaders('core'));
      return conditionalJson(
        req,
        res,
        gitTree(
          api,
          repo,
          commit,
          files(repo),
          (d) => treeOid(repo, d) ?? '',
          url.searchParams.has('recursive'),
        ),
      );
    }
    const tarball = /^tarball(?:\/(.+))?$/.exec(rest);
    if (tarball) {
      const commit = resolveRev(repo, tarball[1] ?? 'HEAD');
      if (!commit) return sendJson(res, 404, basicError('Not Found', 404), rateHeaders('core'));
      const location = `${api}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${commit}`;
      res.writeHead(302, { location, 'content-length': 0, ...rateHeaders('core') });
      return res.end();
    }
    return sendJson(res, 404, basicError('Not Found', 404), rateHeaders('core'));
  });
  api = server.url;

  function resolveRev(repo: FakeRepo, rev: string) {
    if (!repo.head) return undefined;
    if (rev === 'HEAD' || rev === repo.defaultBranch || rev === repo.head) return repo.head;
    return repo.refs?.[rev] ?? (Object.values(repo.refs ?? {}).includes(rev) ? rev : undefined);
  }

  /** Send a body with an ETag; a matching If-None-Match gets a free 304 (refunding the charge). */
  function conditional(req: http.IncomingMessage, res: http.ServerResponse, body: string, type: string) {
    const etag = `W/"${sha1(body)}"`;
    if (req.headers['if-none-match'] === etag) {
      limits.refund('core');
      fake.stats.rest--;
      fake.stats.notModified++;
      res.writeHead(304, { etag, ...rateHeaders('core') });
      return res.end();
    }
    res.writeHead(200, {
      'content-type': type,
      'content-length': Buffer.byteLength(body),
      etag,
      ...rateHeaders('core'),
    });
    res.end(body);
  }
  function conditionalJson(req: http.IncomingMessage, res: http.ServerResponse, body: unknown) {
    conditional(req, res, JSON.stringify(body), 'application/json; charset=utf-8');
  }

  async function serveGraphql(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!req.headers.authorization)
      return sendJson(res, 401, {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url: 'https://docs.github.com/graphql',
      });
    const body = JSON.parse(await readBody(req)) as { query?: string; variables?: Record<string, unknown> };
    const query = body.query ?? '';
    const cost = queryCost(query);
    if (!charge('graphql', cost, res, true)) return;
    fake.stats.graphqlQueries++;
    fake.stats.graphqlPoints += cost;
    const lookups = parseHeadsQuery(query, body.variables ?? {});
    if (typeof lookups === 'string')
      return sendJson(res, 200, { errors: [{ message: lookups }] }, rateHeaders('graphql'));
    const ctx = {
      findRepo,
      files,
      treeOid,
      remaining: () => fake.remaining('graphql'),
      resetAt: () => new Date(limits.window('graphql').resetAt).toISOString(),
    };
    sendJson(res, 200, answerHeads(ctx, lookups, query, cost), rateHeaders('graphql'));
  }

  async function serveCodeload(path: string, res: http.ServerResponse) {
    const m = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]+)$/.exec(path);
    const repo = m ? findRepo(m[1]!, m[2]!) : undefined;
    if (!m || !repo) return sendJson(res, 404, { message: 'Not Found' });
    const tgz = codeloadTarball(repo, m[3]!, files(repo));
    fake.stats.codeloadDownloads++;
    fake.stats.codeloadBytes += tgz.body.length;
    const truncate = fake.truncateDownloads > 0;
    if (truncate) fake.truncateDownloads--;
    await sendTarball(res, tgz, { truncate, delayMs: fake.slowDownloadMs });
  }

  return Object.assign(fake, server);
}

function emptyStats(): FakeGitHubStats {
  return {
    rest: 0,
    notModified: 0,
    graphqlQueries: 0,
    graphqlPoints: 0,
    search: 0,
    codeSearch: 0,
    codeloadDownloads: 0,
    codeloadBytes: 0,
    primaryLimited: 0,
    secondaryLimited: 0,
  };
}

/** A secondary-rate-limit fault as GitHub words it (403 or 429 with retry-after). */
export function secondaryLimit(match: RegExp, status: 403 | 429 = 403, retryAfter = 1, times = 1): Fault {
  return {
    match,
    status,
    times,
    retryAfter,
    body: basicError(
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      status,
    ),
  };
}
