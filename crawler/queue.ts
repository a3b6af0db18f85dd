// The crawl queue's policy over data/queue.ts: a run registers itself as a worker (pid, host, heartbeat),
// takes back what dead runs left `running` (kill -9), opens or resumes the pass over its sources, claims
// items in batches, and settles each one: done, gone, failed for good, or deferred — retryable failures
// with exponential backoff (an attempt spent), rate limits until the limit resets (no attempt spent).
import os from 'node:os';
import type { Db } from '../data/db.ts';
import type { ServerRef } from '../data/model.ts';
import {
  claimItems,
  countPass,
  deferItem,
  enqueueRefs,
  finishPass,
  findToolsetOwner,
  heartbeatWorker,
  listWorkers,
  nextTryTime,
  openPass,
  refundItem,
  reclaimRun,
  registerWorker,
  releaseOrphans,
  releaseRunItems,
  removeWorker,
  requeueFailed,
  settleItem,
  startAttempt,
  type EnqueueResult,
  type PassCounts,
  type QueueItem,
  type WorkerRow,
} from '../data/queue.ts';

export interface QueuePolicy {
  /** Attempts an item gets in a pass before it is failed for good (rate-limit waits do not count). */
  maxAttempts: number;
  /** Backoff after the first failed attempt; doubled after each further one. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How often a run proves it is alive. */
  heartbeatMs: number;
  /** A run whose heartbeat is older than this is dead even if a process with its pid exists. */
  staleAfterMs: number;
}

export const DEFAULT_POLICY: QueuePolicy = {
  maxAttempts: 3,
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
  heartbeatMs: 30_000,
  staleAfterMs: 10 * 60_000,
};

export interface QueueOptions {
  runId: number;
  /** The pass key: the sources this crawl sweeps, e.g. `seed` or `registry,seed`. */
  passSource: string;
  policy?: Partial<QueuePolicy>;
  now?: () => number;
  /** Whether a worker's process still runs; by default: its pid on this host, else its heartbeat. */
  isAlive?: (worker: WorkerRow) => boolean;
}

/** What to do with an attempt that did not store tools. */
export type Setback =
  | { type: 'gone'; kind: string; message: string }
  | { type: 'failed'; kind: string; message: string; retryable: boolean; retryAfterMs?: number | undefined };

export type SetbackResult = { state: 'gone' | 'failed' } | { state: 'deferred'; until: string };

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class CrawlQueue {
  readonly policy: QueuePolicy;
  readonly runId: number;
  passId = 0;
  /** The pass was left unfinished by an earlier crawl and is being resumed. */
  resumed = false;
  /** Items taken back from dead runs when this one started. */
  reclaimed = 0;
  private readonly now: () => number;
  private readonly isAlive: (w: WorkerRow) => boolean;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: QueueOptions,
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy };
    this.runId = options.runId;
    this.now = options.now ?? Date.now;
    const host = os.hostname();
    this.isAlive =
      options.isAlive ??
      ((w) =>
        Date.parse(w.heartbeatAt) >= this.now() - this.policy.staleAfterMs &&
        (w.host !== host || pidAlive(w.pid)));
  }

  private iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }

  /** Register this run, reclaim dead runs' items, open (or resume) the pass. */
  start(): void {
    const now = this.iso();
    for (const w of listWorkers(this.db)) {
      if (w.runId !== this.runId && !this.isAlive(w)) this.reclaimed += reclaimRun(this.db, w.runId, now);
    }
    registerWorker(this.db, { runId: this.runId, pid: process.pid, host: os.hostname(), heartbeatAt: now });
    this.reclaimed += releaseOrphans(this.db, now);
    const pass = openPass(this.db, this.options.passSource, now);
    this.passId = pass.id;
    this.resumed = pass.resumed;
    this.heartbeat = setInterval(() => {
      try {
        heartbeatWorker(this.db, this.runId, this.iso());
      } catch {
        // The database is closing; the run is ending anyway.
      }
    }, this.policy.heartbeatMs);
    this.heartbeat.unref();
  }

  enqueue(refs: ServerRef[]): EnqueueResult {
    return enqueueRefs(this.db, this.passId, refs, this.iso());
  }

  /** Give failed items (of these sources, or all) a fresh set of attempts in this pass. */
  retryFailed(sources?: string[]): number {
    return requeueFailed(this.db, this.passId, sources, this.iso());
  }

  claim(limit: number, github: boolean): QueueItem[] {
    return claimItems(this.db, { passId: this.passId, runId: this.runId, limit, now: this.iso(), github });
  }

  /** Work on an item begins: one attempt spent. Returns the attempt number. */
  begin(item: QueueItem): number {
    return startAttempt(this.db, item.serverId, this.iso());
  }

  /** Mark done; call inside the transaction that stores the item's tools, so both happen or neither. */
  done(item: QueueItem, toolsetHash?: string): void {
    settleItem(this.db, item.serverId, 'done', this.iso(), undefined, toolsetHash);
  }

  /** Done without storing: a fork whose tools are exactly those of `original`. */
  duplicate(item: QueueItem, original: string): void {
    settleItem(this.db, item.serverId, 'done', this.iso(), {
      kind: 'duplicate',
      message: `${item.serverId}: a fork with the same tools as ${original}`,
    });
  }

  /** The server already stored with exactly this tool set, other than `serverId`. */
  toolsetOwner(toolsetHash: string, serverId: string): string | undefined {
    return findToolsetOwner(this.db, toolsetHash, serverId);
  }

  /** Record a setback: gone for good, retried later (backoff or rate-limit wait), or failed for good. */
  setback(item: QueueItem, attempts: number, s: Setback): SetbackResult {
    const now = this.iso();
    const error = { kind: s.kind, message: s.message };
    if (s.type === 'gone') {
      settleItem(this.db, item.serverId, 'gone', now, error);
      return { state: 'gone' };
    }
    if (s.retryAfterMs !== undefined) {
      const until = this.iso(Math.max(0, s.retryAfterMs));
      deferItem(this.db, item.serverId, { nextTryAt: until, ...error, refund: true }, now);
      return { state: 'deferred', until };
    }
    if (s.retryable && attempts < this.policy.maxAttempts) {
      const wait = Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (attempts - 1));
      const until = this.iso(wait);
      deferItem(this.db, item.serverId, { nextTryAt: until, ...error, refund: false }, now);
      return { state: 'deferred', until };
    }
    settleItem(this.db, item.serverId, 'failed', now, error);
    return { state: 'failed' };
  }

  /** The crawl is stopping mid-attempt (Ctrl+C): the item goes back, its attempt given back. */
  interrupted(item: QueueItem): void {
    refundItem(this.db, item.serverId, this.iso());
  }

  counts(): PassCounts {
    return countPass(this.db, this.passId);
  }

  /** Milliseconds until the earliest waiting item may be tried; undefined when none is waiting. */
  nextReadyInMs(github: boolean): number | undefined {
    const t = nextTryTime(this.db, this.passId, github);
    return t === undefined ? undefined : Math.max(0, Date.parse(t) - this.now());
  }

  finishPass(): void {
    finishPass(this.db, this.passId, this.iso());
  }

  /** Stop: anything still held goes back to pending, the worker row goes. */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const now = this.iso();
    this.db.transaction(() => {
      releaseRunItems(this.db, this.runId, now);
      removeWorker(this.db, this.runId);
    })();
  }
}
