// The GitHub client: octokit with the throttling and retry plugins, REST methods and pagination, a
// configurable base URL (GitHub Enterprise or a local fake), and conditional requests: every JSON GET
// sends the stored ETag / Last-Modified and a 304 (which GitHub does not count) is answered from the cache.
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import Bottleneck from 'bottleneck';
import type { ConditionalCache } from '../../data/http-cache.ts';

export const GitHubOctokit = Octokit.plugin(throttling, retry, restEndpointMethods, paginateRest);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export interface RateLimitEvent {
  kind: 'primary' | 'secondary';
  /** Seconds GitHub asked us to wait. */
  retryAfterS: number;
  method: string;
  url: string;
  retryCount: number;
}

export interface GitHubClientOptions {
  /** REST base URL, e.g. https://api.github.com; GraphQL is `<base>/graphql`. */
  baseUrl: string;
  token?: string;
  userAgent?: string;
  /** ETag store; without one, no conditional requests are made. */
  cache?: ConditionalCache;
  /**
   * Decide whether to wait out a rate limit (return true to retry after `retryAfterS`). By default a
   * primary limit is waited out when the reset is at most `maxWaitS` away, a secondary one up to 3 times.
   */
  onRateLimit?: (event: RateLimitEvent) => boolean;
  maxWaitS?: number;
  /** Attempts after the first for 5xx and network failures. */
  retries?: number;
  /** Milliseconds per unit of Retry-After / backoff: 1000 in production, small in tests and benchmarks. */
  timeUnitMs?: number;
  /** Spacing of search requests (GitHub: 30 a minute for search, 10 for code search). */
  searchMinTimeMs?: number;
  /** Spacing of GraphQL requests (each one is a batch; GitHub advises against bursts). */
  graphqlMinTimeMs?: number;
  /** Concurrent REST requests (GitHub's secondary limits frown on more than ~100). */
  maxConcurrent?: number;
  fetch?: typeof fetch;
}

/** Marks responses served from the conditional cache after a 304. */
export const NOT_MODIFIED = 304;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const unit = options.timeUnitMs ?? 1000;
  const maxWaitS = options.maxWaitS ?? 3600;
  const decide =
    options.onRateLimit ??
    ((e: RateLimitEvent) =>
      e.kind === 'primary' ? e.retryAfterS <= maxWaitS && e.retryCount < 2 : e.retryCount < 3);
  const handler =
    (kind: RateLimitEvent['kind']) =>
    (retryAfterS: number, o: { method: string; url: string }, _octokit: unknown, retryCount: number) =>
      decide({ kind, retryAfterS, method: o.method, url: o.url, retryCount });
  const octokit = new GitHubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.token ? { auth: options.token } : {}),
    userAgent: options.userAgent ?? 'mcp-catalog-crawler',
    request: { ...(options.fetch ? { fetch: options.fetch } : {}) },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: unit },
    throttle: {
      onRateLimit: handler('primary'),
      onSecondaryRateLimit: handler('secondary'),
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: 60,
      // Own limiter groups per client: the plugin's defaults are module-global and space GraphQL by 1 s.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.graphqlMinTimeMs ?? 1000 }),
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.searchMinTimeMs ?? 2000 }),
      ...({ global: new Bottleneck.Group({ maxConcurrent: options.maxConcurrent ?? 10 }) } as object),
    },
  });
  if (options.cache) addConditionalRequests(octokit, options.cache);
  return octokit;
}

/** Wrap requests so JSON GETs revalidate with the stored validators and 304s are served from the cache. */
function addConditionalRequests(octokit: GitHubClient, cache: ConditionalCache) {
  octokit.hook.wrap('request', async (request, options) => {
    const streaming = options.request?.parseSuccessResponseBody === false;
    if (options.method !== 'GET' || streaming) return request(options);
    const endpoint = octokit.request.endpoint.parse(options);
    const key = `GET ${endpoint.url} ${String(endpoint.headers.accept ?? '')}`;
    const cached = cache.get(key);
    if (cached) {
      options.headers = {
        ...options.headers,
        ...(cached.etag ? { 'if-none-match': cached.etag } : {}),
        ...(cached.lastModified ? { 'if-modified-since': cached.lastModified } : {}),
      };
    }
    try {
      const response = await request(options);
      const etag = response.headers.etag ?? null;
      const lastModified = response.headers['last-modified'] ?? null;
      if (etag || lastModified) cache.put(key, { etag, lastModified, body: response.data });
      return response;
    } catch (error) {
      if (cached && error instanceof RequestError && error.status === NOT_MODIFIED) {
        return {
          status: NOT_MODIFIED,
          url: endpoint.url,
          headers: error.response?.headers ?? {},
          data: cached.body,
        } as never;
      }
      throw error;
    }
  });
}
