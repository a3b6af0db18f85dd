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
import type { FetchOutcome, GoneReason } from './outcome.ts';
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
      // The batch query is shared, so one caller's abort stops its wait, not the query.
      const lookup = await abortable(this.heads.resolve(target), req.signal);
      let head: RepoHead;
      if (lookup.found) head = lookup.head;
      else {
        // Known to be gone and GraphQL still cannot see it: no REST request to ask why again.
        const knownGone = /^gone:(.+)$/.exec(req.known ?? '')?.[1] as GoneReason | undefined;
        if (knownGone) return gone(knownGone, `${subject}: still unavailable (${knownGone})`);
        const status = await repoStatus(this.client, g.owner, g.repo, req.signal);
        if (status.kind === 'gone') return gone(status.reason, status.detail, status.httpStatus);
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
            : { commit: await refCommit(this.client, owner, repo, status.defaultBranch, req.signal) }),
        };
      }
      const moved = head.nameWithOwner.toLowerCase() !== `${g.owner}/${g.repo}`.toLowerCase();
      const flags = {
        ...(moved ? { movedTo: head.nameWithOwner } : {}),
        ...(head.archived ? { archived: true } : {}),
      };
      if (head.empty || !head.commit) return gone('empty', `${subject}: repository has no commits`);
      if (g.subdir && head.subdirOid === null) {
        return gone(
          'subdir-missing',
          `${subject}: folder ${g.subdir} is not in ${head.nameWithOwner}@${head.commit.slice(0, 7)}`,
        );
      }
      const version = versionOf(head.commit, head.subdirOid);
      if (req.known === version) return { status: 'unchanged', version, ...flags };

      const [owner = g.owner, repo = g.repo] = head.nameWithOwner.split('/');
      const commit = head.commit;
      let dir: string;
      let files: number;
      let skipped: number;
      if (g.subdir && !req.dest) {
        // Monorepo members share one download of the whole tree at this commit (awslabs/mcp: 49 → 1).
        const tree = await this.repoTree(owner, repo, commit, req.signal);
        dir = path.join(tree.dir, g.subdir);
        files = tree.result.filesUnder(g.subdir);
        skipped = tree.result.skipped.length;
        if (files === 0) return gone('subdir-missing', `${subject}: folder ${g.subdir} holds no files`);
      } else {
        dir = req.dest ?? path.join(this.options.workDir, folderName(subject, commit));
        const result = await this.download({
          owner,
          repo,
          commit,
          dest: dir,
          subdir: g.subdir,
          signal: req.signal,
        });
        files = result.files;
        skipped = result.skipped.length;
      }
      return {
        status: 'fetched',
        dir,
        version,
        commit,
        files,
        skipped,
        ...flags,
        ...(head.fork ? { fork: true } : {}),
      };
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      return failure(subject, error);
    }
  }

  private readonly trees = new Map<string, Promise<{ dir: string; result: TreeResult }>>();

  /** The whole repository at `commit`, downloaded once however many subfolders ask for it. */
  private repoTree(owner: string, repo: string, commit: string, signal?: AbortSignal) {
    const key = `${owner}/${repo}@${commit}`.toLowerCase();
    let tree = this.trees.get(key);
    if (!tree) {
      const dir = path.join(this.options.workDir, '_repos', folderName(`${owner}/${repo}`, commit));
      tree = this.download({ owner, repo, commit, dest: dir, signal, listFiles: true }).then((r) => ({
        dir,
        result: treeResult(r.paths ?? [], r.skipped),
      }));
      this.trees.set(key, tree);
      // A failed download is not remembered: the next member (or a retry) tries again.
      tree.catch(() => this.trees.delete(key));
      if (this.trees.size > 256) this.trees.delete(this.trees.keys().next().value as string);
    }
    return tree;
  }

  private async download(o: {
    owner: string;
    repo: string;
    commit: string;
    dest: string;
    subdir?: string | undefined;
    signal?: AbortSignal | undefined;
    listFiles?: boolean;
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
          ...(o.listFiles ? { listFiles: true } : {}),
        });
      } catch (error) {
        await fs.rm(o.dest, { recursive: true, force: true });
        if (!(error instanceof ArchiveError && error.reason === 'truncated' && attempt < retries))
          throw error;
      }
    }
  }
}

interface TreeResult {
  skipped: unknown[];
  filesUnder(subdir: string): number;
}

function treeResult(paths: string[], skipped: unknown[]): TreeResult {
  return {
    skipped,
    filesUnder: (subdir) => {
      const prefix = `${subdir.replace(/\/+$/, '')}/`;
      return paths.filter((p) => p.startsWith(prefix)).length;
    },
  };
}

function gone(reason: GoneReason, detail: string, httpStatus?: number): FetchOutcome {
  return { status: 'gone', reason, detail, version: `gone:${reason}`, ...(httpStatus ? { httpStatus } : {}) };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
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
