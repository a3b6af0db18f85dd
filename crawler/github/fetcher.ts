// The GitHub fetcher: one ServerRef → one FetchOutcome. Heads come from batched GraphQL (HeadResolver);
// an unchanged head (or subfolder tree) ends there at no further cost; a new or changed one costs one
// tarball request; a repository GraphQL cannot see costs one REST request to learn whether it moved, was
// deleted or was taken down. `fetchAll` reads ahead in batches so a whole crawl stays near 0.01 points
// per unchanged repository.
import fs from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { RequestError } from '@octokit/request-error';
import type { GitHubRef } from '../../data/model.ts';
import { ArchiveError, type ExtractLimits } from '../archive.ts';
import { CrawlError } from '../errors.ts';
import type { GitHubClient } from './client.ts';
import { HeadResolver, type HeadTarget, type RepoHead } from './heads.ts';
import type { FetchOutcome } from './outcome.ts';
import { refCommit, repoStatus } from './repo-status.ts';
import { downloadTarball } from './tarball.ts';

export interface GitHubFetcherOptions {
  client: GitHubClient;
  /** Trees are extracted under here, one folder per server and commit. */
  workDir: string;
  limits?: Partial<ExtractLimits>;
  /** Repositories per GraphQL query (GitHub answers 100 without strain). */
  batchSize?: number;
  /** Extra attempts for a download cut off mid-way. */
  downloadRetries?: number;
}

export interface FetchRequest {
  github: GitHubRef;
  /** Names the folder and messages; `owner/repo[/subdir]` by default. */
  id?: string;
  /** The version processed last time (Fetched.version); equal → `unchanged`. */
  known?: string;
  /** Where to extract; a folder under workDir by default. Replaced if it exists. */
  dest?: string;
  signal?: AbortSignal;
}

/** The change key: the subfolder's tree id for monorepo members, else the commit. */
export function versionOf(commit: string, subdirOid: string | null | undefined): string {
  return subdirOid ? `tree:${subdirOid}` : `commit:${commit}`;
}

export class GitHubFetcher {
  readonly heads: HeadResolver;
  private readonly client: GitHubClient;

  constructor(private readonly options: GitHubFetcherOptions) {
    this.client = options.client;
    this.heads = new HeadResolver(options.client, options.batchSize ?? 100);
  }

  /** Learn the heads of many refs in full GraphQL batches before fetching them one by one. */
  prefetch(refs: GitHubRef[]): Promise<void> {
    return this.heads.prefetch(refs.map(toTarget));
  }

  async fetch(req: FetchRequest): Promise<FetchOutcome> {
    const g = req.github;
    const subject = req.id ?? `${g.owner}/${g.repo}${g.subdir ? `/${g.subdir}` : ''}`;
    const target = toTarget(g);
    try {
      req.signal?.throwIfAborted();
      const lookup = await this.heads.resolve(target);
      let head: RepoHead;
      if (lookup.found) head = lookup.head;
      else {
        const status = await repoStatus(this.client, g.owner, g.repo);
        if (status.kind === 'gone')
          return {
            status: 'gone',
            reason: status.reason,
            detail: status.detail,
            httpStatus: status.httpStatus,
          };
        // GraphQL missed it but REST found it (a redirect GraphQL did not follow): ask its head directly.
        const [owner = g.owner, repo = g.repo] = status.fullName.split('/');
        head = {
          nameWithOwner: status.fullName,
          archived: status.archived,
          fork: status.fork,
          empty: status.empty,
          defaultBranch: status.defaultBranch,
          ...(status.empty
            ? {}
            : { commit: await refCommit(this.client, owner, repo, status.defaultBranch) }),
        };
      }
      const moved = head.nameWithOwner.toLowerCase() !== `${g.owner}/${g.repo}`.toLowerCase();
      const flags = {
        ...(moved ? { movedTo: head.nameWithOwner } : {}),
        ...(head.archived ? { archived: true } : {}),
      };
      if (head.empty || !head.commit) {
        return { status: 'gone', reason: 'empty', detail: `${subject}: repository has no commits` };
      }
      if (g.subdir && head.subdirOid === null) {
        return {
          status: 'gone',
          reason: 'subdir-missing',
          detail: `${subject}: folder ${g.subdir} is not in ${head.nameWithOwner}@${head.commit.slice(0, 7)}`,
        };
      }
      const version = versionOf(head.commit, head.subdirOid);
      if (req.known === version) return { status: 'unchanged', version, ...flags };

      const [owner = g.owner, repo = g.repo] = head.nameWithOwner.split('/');
      const dest = req.dest ?? path.join(this.options.workDir, folderName(subject, head.commit));
      const result = await this.download({
        owner,
        repo,
        commit: head.commit,
        dest,
        subdir: g.subdir,
        signal: req.signal,
      });
      return {
        status: 'fetched',
        dir: dest,
        version,
        commit: head.commit,
        files: result.files,
        skipped: result.skipped.length,
        ...flags,
        ...(head.fork ? { fork: true } : {}),
      };
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      return failure(subject, error);
    }
  }

  private async download(o: {
    owner: string;
    repo: string;
    commit: string;
    dest: string;
    subdir?: string | undefined;
    signal?: AbortSignal | undefined;
  }) {
    const retries = this.options.downloadRetries ?? 1;
    for (let attempt = 0; ; attempt++) {
      await fs.rm(o.dest, { recursive: true, force: true });
      try {
        return await downloadTarball(this.client, {
          owner: o.owner,
          repo: o.repo,
          commit: o.commit,
          dest: o.dest,
          ...(o.subdir ? { subdir: o.subdir } : {}),
          ...(this.options.limits ? { limits: this.options.limits } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        });
      } catch (error) {
        await fs.rm(o.dest, { recursive: true, force: true });
        if (!(error instanceof ArchiveError && error.reason === 'truncated' && attempt < retries))
          throw error;
      }
    }
  }
}

function toTarget(g: GitHubRef): HeadTarget {
  return {
    owner: g.owner,
    repo: g.repo,
    ...(g.ref ? { ref: g.ref } : {}),
    ...(g.subdir ? { subdir: g.subdir } : {}),
  };
}

/** `owner__repo__sub__dir@abc1234`: readable, unique per server and commit, safe on any filesystem. */
function folderName(subject: string, commit: string): string {
  return `${subject.replace(/^github:/, '').replace(/[^A-Za-z0-9._-]+/g, '__')}@${commit.slice(0, 12)}`;
}

function failure(subject: string, error: unknown): FetchOutcome {
  if (error instanceof CrawlError) return { status: 'failed', error, retryable: error.retryable };
  if (error instanceof RequestError) {
    const headers = error.response?.headers ?? {};
    const reset = Number(headers['x-ratelimit-reset']);
    const limited =
      error.status === 429 ||
      (error.status === 403 &&
        (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(error.message)));
    const retryAfterMs = limited
      ? headers['retry-after'] !== undefined
        ? Number(headers['retry-after']) * 1000
        : Number.isFinite(reset)
          ? Math.max(0, reset * 1000 - Date.now())
          : 60_000
      : undefined;
    const e = new CrawlError(`GitHub answered ${error.status}: ${error.message}`, {
      kind: 'http',
      subject,
      retryable: limited || error.status >= 500,
      cause: error,
    });
    return {
      status: 'failed',
      error: e,
      retryable: e.retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  const e = new CrawlError((error as Error)?.message ?? String(error), {
    kind: 'internal',
    subject,
    cause: error,
  });
  return { status: 'failed', error: e, retryable: false };
}

export interface FetchAllItem {
  github: GitHubRef;
  id?: string;
  known?: string;
}

/**
 * Fetch many refs: read `batchSize` items ahead, learn all their heads in one GraphQL query, then
 * download the changed ones with bounded concurrency. Yields in completion order.
 */
export async function* fetchAll<T extends FetchAllItem>(
  fetcher: GitHubFetcher,
  items: Iterable<T> | AsyncIterable<T>,
  options: { concurrency?: number; batchSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<{ item: T; outcome: FetchOutcome }> {
  const limit = pLimit(options.concurrency ?? 8);
  const size = options.batchSize ?? 100;
  let window: T[] = [];
  const run = async function* (batch: T[]) {
    await fetcher.prefetch(batch.map((i) => i.github));
    const done: { item: T; outcome: FetchOutcome }[] = [];
    let wake: (() => void) | undefined;
    const tasks = batch.map((item) =>
      limit(async () => {
        const outcome = await fetcher.fetch({
          github: item.github,
          ...(item.id ? { id: item.id } : {}),
          ...(item.known ? { known: item.known } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        done.push({ item, outcome });
        wake?.();
      }),
    );
    const all = Promise.all(tasks);
    let yielded = 0;
    while (yielded < batch.length) {
      if (done.length === 0) await Promise.race([new Promise<void>((r) => (wake = r)), all]);
      while (done.length) {
        yield done.shift()!;
        yielded++;
      }
    }
    await all;
  };
  for await (const item of items) {
    window.push(item);
    if (window.length >= size) {
      yield* run(window);
      window = [];
    }
  }
  if (window.length) yield* run(window);
}
