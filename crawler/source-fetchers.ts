// The fetchers a source crawl (and `scan github:…`) uses, built from plain settings: GitHub through the
// throttled, retrying octokit client with the SQLite ETag cache (only with a token: GitHub's GraphQL API,
// which learns heads in batches, refuses anonymous callers), npm and PyPI over plain HTTP.
import type { ConditionalCache } from '../data/http-cache.ts';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './github/client.ts';
import type { SourceFetchers } from './github/fetch-server.ts';
import { GitHubFetcher } from './github/fetcher.ts';

export interface SourceFetcherSettings {
  githubApiUrl: string;
  githubToken?: string | undefined;
  npmRegistryUrl?: string | undefined;
  pypiBaseUrl?: string | undefined;
  /** Fetched trees go under here. */
  workDir: string;
  cache?: ConditionalCache | undefined;
  /** Extra client settings (tests: no waiting between GraphQL batches, their own rate-limit decisions). */
  client?: Partial<GitHubClientOptions> | undefined;
  /** Repositories per GraphQL head query. */
  batchSize?: number | undefined;
}

export interface BuiltFetchers extends SourceFetchers {
  /** The GitHub client, when a token was given (discovery by GitHub search uses it too). */
  client?: GitHubClient;
}

export function createSourceFetchers(s: SourceFetcherSettings): BuiltFetchers {
  const out: BuiltFetchers = {
    workDir: s.workDir,
    ...(s.npmRegistryUrl ? { npmRegistryUrl: s.npmRegistryUrl } : {}),
    ...(s.pypiBaseUrl ? { pypiBaseUrl: s.pypiBaseUrl } : {}),
  };
  if (!s.githubToken) return out;
  const client = createGitHubClient({
    baseUrl: s.githubApiUrl,
    token: s.githubToken,
    ...(s.cache ? { cache: s.cache } : {}),
    ...s.client,
  });
  out.client = client;
  out.github = new GitHubFetcher({
    client,
    workDir: s.workDir,
    ...(s.batchSize ? { batchSize: s.batchSize } : {}),
  });
  return out;
}
