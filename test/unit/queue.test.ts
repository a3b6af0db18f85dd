// The persistent crawl queue on a real SQLite file: idempotent enqueueing, transactional claims, backoff
// and rate-limit waits, passes that resume or start over, and items a killed run held taken back.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrawlQueue } from '../../crawler/queue.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import type { ServerRef } from '../../data/model.ts';
import { getQueueItem, listQueueItems, registerWorker } from '../../data/queue.ts';
import { startRun } from '../../data/repository.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
let n = 0;
const freshDb = (): Db => openDatabase(path.join(dir, `q${++n}.db`));
const ref = (id: string, extra: Partial<ServerRef> = {}): ServerRef => ({
  id: `github:acme/${id}`,
  name: id,
  source: 'seed',
  packages: [],
  github: { owner: 'acme', repo: id },
  ...extra,
});

function clock(start = Date.parse('2026-01-01T00:00:00Z')) {
  const c = { t: start, now: () => c.t };
  return c;
}

function queueFor(db: Db, c: { now: () => number }, passSource = 'seed', alive = true) {
  const runId = startRun(db, passSource);
  const q = new CrawlQueue(db, {
    runId,
    passSource,
    now: c.now,
    isAlive: () => alive,
    policy: { maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 60_000 },
  });
  q.start();
  return q;
}

describe('crawl queue', () => {
  it('enqueues idempotently and claims each item once, in discovery order', () => {
    const db = freshDb();
    const c = clock();
    const q = queueFor(db, c);
    expect(q.enqueue([ref('a'), ref('b'), ref('c')])).toEqual({ added: 3, requeued: 0, kept: 0 });
    expect(q.enqueue([ref('a'), ref('b')])).toEqual({ added: 0, requeued: 0, kept: 2 });
    const first = q.claim(2, true);
    expect(first.map((i) => i.serverId)).toEqual(['github:acme/a', 'github:acme/b']);
    expect(first.every((i) => i.state === 'running')).toBe(true);
    expect(q.claim(5, true).map((i) => i.serverId)).toEqual(['github:acme/c']);
    expect(q.claim(5, true)).toEqual([]);
    expect(q.counts()).toMatchObject({ pending: 0, running: 3 });
    q.close();
    expect(q.counts()).toMatchObject({ pending: 3, running: 0 });
    db.close();
  });

  it('retries a retryable failure with exponential backoff, then fails it for good', () => {
    const db = freshDb();
    const c = clock();
    const q = queueFor(db, c);
    q.enqueue([ref('flaky')]);
    const failure = { type: 'failed', kind: 'http', message: 'acme/flaky: 502', retryable: true } as const;
    let [item] = q.claim(1, true);
    expect(q.setback(item!, q.begin(item!), failure)).toEqual({
      state: 'deferred',
      until: new Date(c.t + 1000).toISOString(),
    });
    expect(q.claim(1, true)).toEqual([]);
    c.t += 1000;
    [item] = q.claim(1, true);
    expect(q.setback(item!, q.begin(item!), failure)).toEqual({
      state: 'deferred',
      until: new Date(c.t + 2000).toISOString(),
    });
    c.t += 2000;
    [item] = q.claim(1, true);
    expect(q.setback(item!, q.begin(item!), failure)).toEqual({ state: 'failed' });
    expect(getQueueItem(db, 'github:acme/flaky')).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastError: 'acme/flaky: 502',
      lastKind: 'http',
    });
    q.close();
    db.close();
  });

  it('makes rate-limited work wait without spending an attempt', () => {
    const db = freshDb();
    const c = clock();
    const q = queueFor(db, c);
    q.enqueue([ref('limited')]);
    for (let i = 0; i < 5; i++) {
      const [item] = q.claim(1, true);
      const result = q.setback(item!, q.begin(item!), {
        type: 'failed',
        kind: 'http',
        message: 'rate limited',
        retryable: true,
        retryAfterMs: 30_000,
      });
      expect(result).toEqual({ state: 'deferred', until: new Date(c.t + 30_000).toISOString() });
      expect(q.nextReadyInMs(true)).toBe(30_000);
      c.t += 30_000;
    }
    expect(getQueueItem(db, 'github:acme/limited')).toMatchObject({ state: 'pending', attempts: 0 });
    q.close();
    db.close();
  });

  it('leaves items only GitHub can fetch queued when there is no token', () => {
    const db = freshDb();
    const q = queueFor(db, clock());
    q.enqueue([ref('gh'), ref('pkg', { packages: [{ registry: 'npm', name: 'pkg' }] })]);
    expect(q.claim(5, false).map((i) => i.serverId)).toEqual(['github:acme/pkg']);
    expect(q.counts()).toMatchObject({ pending: 1, pendingGithub: 1 });
    q.close();
    db.close();
  });

  it('resumes an unfinished pass without redoing finished items; a finished pass starts over', () => {
    const db = freshDb();
    const c = clock();
    const first = queueFor(db, c);
    first.enqueue([ref('a'), ref('b')]);
    const [a] = first.claim(1, true);
    first.begin(a!);
    first.done(a!);
    first.close();

    const second = queueFor(db, c);
    expect(second.resumed).toBe(true);
    expect(second.passId).toBe(first.passId);
    expect(second.enqueue([ref('a'), ref('b')])).toEqual({ added: 0, requeued: 0, kept: 2 });
    expect(second.claim(5, true).map((i) => i.serverId)).toEqual(['github:acme/b']);
    second.done(getQueueItem(db, 'github:acme/b')!);
    second.finishPass();
    second.close();

    const third = queueFor(db, c);
    expect(third.resumed).toBe(false);
    expect(third.enqueue([ref('a'), ref('b')])).toEqual({ added: 0, requeued: 2, kept: 0 });
    expect(listQueueItems(db, third.passId).map((i) => [i.state, i.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    third.close();
    db.close();
  });

  it('takes back the items a killed run held, and closes that run as partial', () => {
    const db = freshDb();
    const c = clock();
    const killed = queueFor(db, c);
    killed.enqueue([ref('a'), ref('b'), ref('c')]);
    const held = killed.claim(2, true);
    for (const item of held) killed.begin(item);
    // The process died: no close(). Its worker row names a pid that no longer runs.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    registerWorker(db, {
      runId: killed.runId,
      pid: dead,
      host: os.hostname(),
      heartbeatAt: new Date(c.t).toISOString(),
    });

    const runId = startRun(db, 'seed');
    const next = new CrawlQueue(db, { runId, passSource: 'seed', now: c.now });
    next.start();
    expect(next.reclaimed).toBe(2);
    expect(next.resumed).toBe(true);
    // The attempt the dead run was on stays spent: an item that kills its crawler runs out of attempts.
    expect(listQueueItems(db).map((i) => [i.serverId, i.state, i.attempts])).toEqual([
      ['github:acme/a', 'pending', 1],
      ['github:acme/b', 'pending', 1],
      ['github:acme/c', 'pending', 0],
    ]);
    const run = db.prepare('SELECT status, stats FROM crawl_runs WHERE id = ?').get(killed.runId) as {
      status: string;
      stats: string;
    };
    expect(run.status).toBe('partial');
    expect(JSON.parse(run.stats)).toEqual({ interrupted: true, reclaimedItems: 2 });
    next.close();
    db.close();
  });

  it('never takes items from a run that is still alive', () => {
    const db = freshDb();
    const c = clock();
    const live = queueFor(db, c);
    live.enqueue([ref('a')]);
    live.claim(1, true);
    const other = queueFor(db, c, 'seed', true);
    expect(other.reclaimed).toBe(0);
    expect(other.claim(1, true)).toEqual([]);
    expect(getQueueItem(db, 'github:acme/a')).toMatchObject({ state: 'running', runId: live.runId });
    other.close();
    live.close();
    db.close();
  });

  it('--retry-failed gives failed items a fresh set of attempts', () => {
    const db = freshDb();
    const c = clock();
    const q = queueFor(db, c);
    q.enqueue([ref('broken')]);
    const [item] = q.claim(1, true);
    q.setback(item!, q.begin(item!), {
      type: 'failed',
      kind: 'invalid',
      message: 'no tools',
      retryable: false,
    });
    expect(q.claim(1, true)).toEqual([]);
    expect(q.retryFailed(['seed'])).toBe(1);
    expect(q.retryFailed(['registry'])).toBe(0);
    expect(q.claim(1, true).map((i) => [i.serverId, i.attempts])).toEqual([['github:acme/broken', 0]]);
    q.close();
    db.close();
  });
});
