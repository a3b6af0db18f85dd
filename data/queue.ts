// The crawl queue's storage (migration 006): passes, items and the workers holding them. Every state
// change is one statement or one transaction, so a crawl killed at any point leaves the queue consistent;
// the policy (backoff, reclaiming dead runs, what a pass means) lives in crawler/queue.ts.
import type { Db } from './db.ts';
import { ServerRefSchema, type ServerRef } from './model.ts';

export type QueueState = 'pending' | 'running' | 'done' | 'failed' | 'gone';
export const QUEUE_STATES: readonly QueueState[] = ['pending', 'running', 'done', 'failed', 'gone'];

export interface QueueItem {
  serverId: string;
  passId: number;
  source: string;
  ref: ServerRef;
  state: QueueState;
  attempts: number;
  nextTryAt: string;
  lastError: string | null;
  lastKind: string | null;
  runId: number | null;
}

interface ItemRow {
  server_id: string;
  pass_id: number;
  source: string;
  ref_json: string;
  state: QueueState;
  attempts: number;
  next_try_at: string;
  last_error: string | null;
  last_kind: string | null;
  run_id: number | null;
}

const ITEM_COLUMNS = `server_id, pass_id, source, ref_json, state, attempts, next_try_at, last_error, last_kind,
  run_id`;

function toItem(r: ItemRow): QueueItem {
  return {
    serverId: r.server_id,
    passId: r.pass_id,
    source: r.source,
    // Refs were validated on the way in; parse again so defaults (packages: []) are filled.
    ref: ServerRefSchema.parse(JSON.parse(r.ref_json)),
    state: r.state,
    attempts: r.attempts,
    nextTryAt: r.next_try_at,
    lastError: r.last_error,
    lastKind: r.last_kind,
    runId: r.run_id,
  };
}

/** Only GitHub can fetch this ref: it names a repository and no npm or PyPI package to fall back on. */
export function needsGitHub(ref: ServerRef): boolean {
  return Boolean(ref.github) && !ref.packages.some((p) => p.registry === 'npm' || p.registry === 'pypi');
}

/** The unfinished pass over `source`, or a new one. */
export function openPass(db: Db, source: string, now: string): { id: number; resumed: boolean } {
  return db.transaction(() => {
    const open = db
      .prepare(
        `SELECT id FROM crawl_passes WHERE source = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1`,
      )
      .get(source) as { id: number } | undefined;
    if (open) return { id: open.id, resumed: true };
    const id = db
      .prepare(`INSERT INTO crawl_passes (source, started_at) VALUES (?, ?)`)
      .run(source, now).lastInsertRowid;
    return { id: Number(id), resumed: false };
  })();
}

export function finishPass(db: Db, passId: number, now: string): void {
  db.prepare(`UPDATE crawl_passes SET finished_at = ? WHERE id = ?`).run(now, passId);
}

export interface EnqueueResult {
  /** New to the queue. */
  added: number;
  /** Known from an earlier pass and put back to pending for this one. */
  requeued: number;
  /** Already in this pass (a resumed crawl rediscovering it), or held by a running crawl. */
  kept: number;
}

/**
 * Put discovered refs into pass `passId`, idempotently: an item already in this pass keeps its state (a
 * resumed crawl does not redo finished work); one from an earlier pass starts over as pending; one another
 * crawl is running right now is left to it.
 */
export function enqueueRefs(db: Db, passId: number, refs: ServerRef[], now: string): EnqueueResult {
  const get = db.prepare(`SELECT pass_id, state FROM crawl_queue WHERE server_id = ?`);
  const insert = db.prepare(
    `INSERT INTO crawl_queue (server_id, pass_id, source, ref_json, needs_github, state, attempts, next_try_at,
       enqueued_at, updated_at)
     VALUES (@id, @passId, @source, @ref, @needsGithub, 'pending', 0, @now, @now, @now)`,
  );
  const refresh = db.prepare(
    `UPDATE crawl_queue SET source = @source, ref_json = @ref, needs_github = @needsGithub, updated_at = @now
     WHERE server_id = @id`,
  );
  const requeue = db.prepare(
    `UPDATE crawl_queue SET pass_id = @passId, source = @source, ref_json = @ref, needs_github = @needsGithub,
       state = 'pending', attempts = 0, next_try_at = @now, run_id = NULL, updated_at = @now
     WHERE server_id = @id`,
  );
  const result: EnqueueResult = { added: 0, requeued: 0, kept: 0 };
  db.transaction(() => {
    for (const ref of refs) {
      const row = {
        id: ref.id,
        passId,
        source: ref.source,
        ref: JSON.stringify(ref),
        needsGithub: needsGitHub(ref) ? 1 : 0,
        now,
      };
      const old = get.get(ref.id) as { pass_id: number; state: QueueState } | undefined;
      if (!old) {
        insert.run(row);
        result.added++;
      } else if (old.state === 'running') {
        result.kept++;
      } else if (old.pass_id === passId) {
        if (old.state === 'pending') refresh.run(row);
        result.kept++;
      } else {
        requeue.run(row);
        result.requeued++;
      }
    }
  })();
  return result;
}

export interface ClaimOptions {
  passId: number;
  runId: number;
  limit: number;
  now: string;
  /** False when there is no GitHub token: items only GitHub can fetch stay queued. */
  github: boolean;
}

/** Take up to `limit` ready items of a pass for a run, oldest first, in one transaction. */
export function claimItems(db: Db, o: ClaimOptions): QueueItem[] {
  return db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT ${ITEM_COLUMNS} FROM crawl_queue
         WHERE pass_id = ? AND state = 'pending' AND next_try_at <= ? ${o.github ? '' : 'AND needs_github = 0'}
         ORDER BY rowid LIMIT ?`,
      )
      .all(o.passId, o.now, o.limit) as ItemRow[];
    const take = db.prepare(
      `UPDATE crawl_queue SET state = 'running', run_id = ?, updated_at = ? WHERE server_id = ?`,
    );
    for (const r of rows) take.run(o.runId, o.now, r.server_id);
    return rows.map((r) => toItem({ ...r, state: 'running', run_id: o.runId }));
  })();
}

/** An attempt begins (counted when work starts, not when claimed, so a batch claimed and lost costs none). */
export function startAttempt(db: Db, serverId: string, now: string): number {
  const row = db
    .prepare(
      `UPDATE crawl_queue SET attempts = attempts + 1, updated_at = ? WHERE server_id = ? RETURNING attempts`,
    )
    .get(now, serverId) as { attempts: number } | undefined;
  return row?.attempts ?? 0;
}

/** Finish an item: done (tools stored or source unchanged), gone for good, or failed for good. */
export function settleItem(
  db: Db,
  serverId: string,
  state: 'done' | 'gone' | 'failed',
  now: string,
  error?: { kind: string; message: string },
  toolsetHash?: string,
): void {
  db.prepare(
    `UPDATE crawl_queue SET state = ?, last_error = ?, last_kind = ?, updated_at = ?,
       toolset_hash = coalesce(?, toolset_hash)
     WHERE server_id = ?`,
  ).run(state, error?.message ?? null, error?.kind ?? null, now, toolsetHash ?? null, serverId);
}

/** Another server whose stored tool set has this hash (the original a fork copies), if any. */
export function findToolsetOwner(db: Db, toolsetHash: string, exceptId: string): string | undefined {
  const row = db
    .prepare(
      `SELECT server_id FROM crawl_queue WHERE toolset_hash = ? AND server_id != ? AND state = 'done'
       ORDER BY rowid LIMIT 1`,
    )
    .get(toolsetHash, exceptId) as { server_id: string } | undefined;
  return row?.server_id;
}

/** Back to pending until `nextTryAt`; `refund` gives the attempt back (a rate limit is not the item's fault). */
export function deferItem(
  db: Db,
  serverId: string,
  o: { nextTryAt: string; kind: string; message: string; refund: boolean },
  now: string,
): void {
  db.prepare(
    `UPDATE crawl_queue SET state = 'pending', next_try_at = ?, last_error = ?, last_kind = ?,
       attempts = max(0, attempts - ?), updated_at = ?
     WHERE server_id = ?`,
  ).run(o.nextTryAt, o.message, o.kind, o.refund ? 1 : 0, now, serverId);
}

/** An attempt cut short by the user (Ctrl+C): back to pending, the attempt given back. */
export function refundItem(db: Db, serverId: string, now: string): void {
  db.prepare(
    `UPDATE crawl_queue SET state = 'pending', attempts = max(0, attempts - 1), updated_at = ? WHERE server_id = ?`,
  ).run(now, serverId);
}

/** Items a run still holds go back to pending (the run stopped or died); returns how many. */
export function releaseRunItems(db: Db, runId: number, now: string): number {
  return db
    .prepare(
      `UPDATE crawl_queue SET state = 'pending', updated_at = ? WHERE run_id = ? AND state = 'running'`,
    )
    .run(now, runId).changes;
}

/** Running items no live worker row accounts for (left by a crash before the worker was recorded). */
export function releaseOrphans(db: Db, now: string): number {
  return db
    .prepare(
      `UPDATE crawl_queue SET state = 'pending', updated_at = ?
       WHERE state = 'running' AND (run_id IS NULL OR run_id NOT IN (SELECT run_id FROM crawl_workers))`,
    )
    .run(now).changes;
}

/** Failed items (of the given sources, or all) back to pending in pass `passId` with no attempts spent. */
export function requeueFailed(db: Db, passId: number, sources: string[] | undefined, now: string): number {
  const filter = sources?.length ? `AND source IN (${sources.map(() => '?').join(', ')})` : '';
  return db
    .prepare(
      `UPDATE crawl_queue SET state = 'pending', attempts = 0, next_try_at = ?, pass_id = ?, run_id = NULL,
         updated_at = ?
       WHERE state = 'failed' ${filter}`,
    )
    .run(now, passId, now, ...(sources ?? [])).changes;
}

export type PassCounts = Record<QueueState, number> & {
  /** Pending items only GitHub can fetch (left queued without a token). */
  pendingGithub: number;
};

export function countPass(db: Db, passId: number): PassCounts {
  const counts: PassCounts = { pending: 0, running: 0, done: 0, failed: 0, gone: 0, pendingGithub: 0 };
  const rows = db
    .prepare(
      `SELECT state, count(*) AS n, sum(needs_github) AS g FROM crawl_queue WHERE pass_id = ? GROUP BY state`,
    )
    .all(passId) as { state: QueueState; n: number; g: number }[];
  for (const r of rows) {
    counts[r.state] = r.n;
    if (r.state === 'pending') counts.pendingGithub = r.g;
  }
  return counts;
}

/** When the earliest waiting item of a pass may be tried (undefined: none is waiting). */
export function nextTryTime(db: Db, passId: number, github: boolean): string | undefined {
  const row = db
    .prepare(
      `SELECT min(next_try_at) AS t FROM crawl_queue
       WHERE pass_id = ? AND state = 'pending' ${github ? '' : 'AND needs_github = 0'}`,
    )
    .get(passId) as { t: string | null };
  return row.t ?? undefined;
}

export function getQueueItem(db: Db, serverId: string): QueueItem | undefined {
  const row = db.prepare(`SELECT ${ITEM_COLUMNS} FROM crawl_queue WHERE server_id = ?`).get(serverId) as
    ItemRow | undefined;
  return row ? toItem(row) : undefined;
}

/** Items of a pass (or all), oldest first; for tests and `stats`. */
export function listQueueItems(db: Db, passId?: number): QueueItem[] {
  const rows = (
    passId === undefined
      ? db.prepare(`SELECT ${ITEM_COLUMNS} FROM crawl_queue ORDER BY rowid`).all()
      : db.prepare(`SELECT ${ITEM_COLUMNS} FROM crawl_queue WHERE pass_id = ? ORDER BY rowid`).all(passId)
  ) as ItemRow[];
  return rows.map(toItem);
}

export interface WorkerRow {
  runId: number;
  pid: number;
  host: string;
  heartbeatAt: string;
}

export function registerWorker(db: Db, w: WorkerRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO crawl_workers (run_id, pid, host, heartbeat_at) VALUES (?, ?, ?, ?)`,
  ).run(w.runId, w.pid, w.host, w.heartbeatAt);
}

export function heartbeatWorker(db: Db, runId: number, now: string): void {
  db.prepare(`UPDATE crawl_workers SET heartbeat_at = ? WHERE run_id = ?`).run(now, runId);
}

export function removeWorker(db: Db, runId: number): void {
  db.prepare(`DELETE FROM crawl_workers WHERE run_id = ?`).run(runId);
}

export function listWorkers(db: Db): WorkerRow[] {
  return db
    .prepare(`SELECT run_id AS runId, pid, host, heartbeat_at AS heartbeatAt FROM crawl_workers`)
    .all() as WorkerRow[];
}

/**
 * Take back what a dead run held: its running items go back to pending (the attempt they were on stays
 * counted, so an item that kills its crawler every time still runs out of attempts), its run is closed as
 * partial, and its worker row goes. One transaction.
 */
export function reclaimRun(db: Db, runId: number, now: string): number {
  return db.transaction(() => {
    const items = releaseRunItems(db, runId, now);
    db.prepare(
      `UPDATE crawl_runs SET status = 'partial', finished_at = ?, stats = ? WHERE id = ? AND status = 'running'`,
    ).run(now, JSON.stringify({ interrupted: true, reclaimedItems: items }), runId);
    removeWorker(db, runId);
    return items;
  })();
}
