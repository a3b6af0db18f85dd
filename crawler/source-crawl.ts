// The source crawl: discovery sources → the persistent queue → fetch each server's source (GitHub, npm,
// PyPI) → static extraction → classify → store, with the item marked done and its source version recorded
// in the same transaction as its tools, so a crawl killed at any moment resumes with nothing lost or
// stored twice. Discovery feeds the queue while workers drain it. An unchanged source costs nothing and
// stores nothing; a failure is recorded per item with a reason and the crawl goes on. Emits the live
// crawl's events (plus running totals), so the CLI's progress bar and summary serve both.
import fs from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Judge } from '../classifier/llm/index.ts';
import { storeServerToolsTracked } from '../data/changes.ts';
import type { Db } from '../data/db.ts';
import type { HttpCache } from '../data/http-cache.ts';
import type { ServerRef } from '../data/model.ts';
import type { QueueItem } from '../data/queue.ts';
import { finishRun, recordFailure, startRun, upsertServer } from '../data/repository.ts';
import type { CrawlEvent, CrawlFailure } from './crawl.ts';
import { toCrawlError } from './errors.ts';
import { extractFromDirectory, type ExtractOptions } from './extract/index.ts';
import { fetchServerSource, type SourceFetchers } from './github/fetch-server.ts';
import type { FetchOutcome } from './github/outcome.ts';
import { CrawlQueue, type QueuePolicy, type Setback } from './queue.ts';
import type { WorkerRow } from '../data/queue.ts';
import { classifyTools, pickServer, toolsetHash } from './source-tools.ts';
import { emptySummary, type SourceCrawlSummary } from './source-summary.ts';

export type { SourceCrawlSummary, SourceFailure } from './source-summary.ts';

export type SourceCrawlEvent = CrawlEvent | { type: 'total'; total: number };

export interface DiscoverySource {
  /** Recorded as the pass key and in failures (`source:<name>`). */
  name: string;
  refs: AsyncIterable<ServerRef> | Iterable<ServerRef>;
}

export interface SourceCrawlOptions {
  /** Discovery sources; none with `retryFailed` retries the failed items only. */
  sources: DiscoverySource[];
  fetchers: SourceFetchers;
  /** Source versions (and ETags): an unchanged tree is not fetched again. */
  cache: HttpCache;
  concurrency: number;
  /** Items claimed at once; GitHub heads of a claimed batch are learnt in one GraphQL query. */
  batchSize?: number;
  /** Give failed items of these sources (all when no source is given) a fresh set of attempts. */
  retryFailed?: boolean;
  policy?: Partial<QueuePolicy>;
  /** Longest the crawl idles for items waiting on a backoff or rate limit; beyond it they stay queued. */
  maxWaitMs?: number;
  extract?: Omit<ExtractOptions, 'signal'>;
  judge?: Judge | undefined;
  onEvent?: ((event: SourceCrawlEvent) => void) | undefined;
  signal?: AbortSignal | undefined;
  now?: () => number;
  isAlive?: (worker: WorkerRow) => boolean;
}

const GONE_KIND: Record<string, 'http' | 'invalid'> = { 'not-found': 'http', dmca: 'http', blocked: 'http' };

export async function crawlSources(db: Db, opts: SourceCrawlOptions): Promise<SourceCrawlSummary> {
  const emit = (event: SourceCrawlEvent): void => opts.onEvent?.(event);
  const signal = opts.signal;
  const github = Boolean(opts.fetchers.github);
  const names = opts.sources.map((s) => s.name);
  const passSource = names.length ? [...new Set(names)].sort().join(',') : 'retry-failed';
  const runId = startRun(db, passSource);
  const queue = new CrawlQueue(db, {
    runId,
    passSource,
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.isAlive ? { isAlive: opts.isAlive } : {}),
  });
  const summary = emptySummary(runId);
  let settled = 0;
  /** A rate limit was hit: no new item starts before this time (ms). */
  let pausedUntil = 0;
  let wake: (() => void) | undefined;
  const poke = (): void => wake?.();
  const nap = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  const emitTotal = (): void => {
    const c = queue.counts();
    emit({ type: 'total', total: settled + c.pending - (github ? 0 : c.pendingGithub) + c.running });
  };

  const fail = (id: string, group: string, kind: CrawlFailure['kind'], reason: string): void => {
    try {
      recordFailure(db, { runId, serverId: id, kind, reason });
    } catch {
      // Best effort (the server row may not exist for a source failure); the summary carries it.
    }
    summary.failures.push({ serverId: id, kind, reason, group });
    emit({ type: 'server-failed', id, kind, reason });
  };

  // Discovery → queue, in batches, while the workers drain it.
  let discoveryDone = false;
  let discoveryFailed = false;
  const discover = async (): Promise<void> => {
    for (const source of opts.sources) {
      let batch: ServerRef[] = [];
      let flushedAt = Date.now();
      const flush = (): void => {
        flushedAt = Date.now();
        if (batch.length === 0) return;
        const r = queue.enqueue(batch);
        summary.enqueued += r.added + r.requeued;
        batch = [];
        emitTotal();
        poke();
      };
      try {
        for await (const ref of source.refs) {
          if (signal?.aborted) break;
          batch.push(ref);
          // Full batches from a fast source; a slow one (search) hands over what it has every second.
          if (batch.length >= 100 || Date.now() - flushedAt >= 1000) flush();
        }
        flush();
      } catch (error) {
        flush();
        if (signal?.aborted) break;
        discoveryFailed = true;
        const e = toCrawlError(error, `source ${source.name}`);
        fail(`source:${source.name}`, `discovery: ${source.name}`, e.kind, e.message);
      }
    }
  };

  const settle = (item: QueueItem, attempts: number, s: Setback, group: string): void => {
    const result = queue.setback(item, attempts, s);
    if (result.state === 'deferred') {
      if (s.type === 'failed' && s.retryAfterMs !== undefined) pausedUntil = Date.parse(result.until);
      return;
    }
    settled++;
    if (result.state === 'gone') summary.gone++;
    else summary.failed++;
    // The server is catalogued with its failure (its earlier tools, if any, stay as they were).
    upsertServer(db, item.ref);
    fail(item.serverId, group, s.kind as CrawlFailure['kind'], s.message);
  };

  const processItem = async (item: QueueItem): Promise<void> => {
    if (signal?.aborted) return;
    const ref = item.ref;
    const attempts = queue.begin(item);
    summary.servers++;
    emit({ type: 'server-start', id: ref.id });
    let outcome: FetchOutcome | undefined;
    try {
      const known = opts.cache.getVersion(ref.id)?.version;
      outcome = await fetchServerSource(ref, opts.fetchers, {
        ...(known !== undefined ? { known } : {}),
        ...(signal ? { signal } : {}),
      });
      if (outcome.status === 'unchanged') {
        queue.done(item);
        settled++;
        summary.ok++;
        summary.unchanged++;
        const result = { added: 0, changed: 0, unchanged: 0, removed: 0, duplicates: [], changes: [] };
        emit({ type: 'server-done', id: ref.id, tools: 0, result, skipped: [], changes: [] });
        return;
      }
      if (outcome.status === 'gone') {
        const gone = outcome;
        const kind = GONE_KIND[gone.reason] ?? 'invalid';
        // The `gone:` version makes the next pass skip the REST lookup; stored with the item's state.
        db.transaction(() => {
          if (gone.version) opts.cache.setVersion(ref.id, gone.version);
          settle(item, attempts, { type: 'gone', kind, message: gone.detail }, `gone: ${gone.reason}`);
        })();
        return;
      }
      if (outcome.status === 'failed') {
        const e = outcome.error;
        // GraphQL reports a spent budget in its body, which reaches us as a plain error: wait, too.
        const limited = outcome.retryAfterMs ?? (/rate limit/i.test(e.message) ? 60_000 : undefined);
        const s: Setback = {
          type: 'failed',
          kind: e.kind,
          message: e.message,
          retryable: outcome.retryable || limited !== undefined,
          retryAfterMs: limited,
        };
        settle(item, attempts, s, limited !== undefined ? 'fetch: rate limited' : `fetch: ${e.kind}`);
        return;
      }
      const fetched = outcome;
      const extracted = await extractFromDirectory(fetched.dir, {
        ...opts.extract,
        ...(signal ? { signal } : {}),
      });
      const picked = pickServer(extracted);
      if (!picked) {
        const why = `${ref.id}: no MCP tools found in its source (${extracted.stats.files} files read)`;
        settle(
          item,
          attempts,
          { type: 'failed', kind: 'invalid', message: why, retryable: false },
          'extract: no tools',
        );
        return;
      }
      const classified = classifyTools(picked.tools, {
        serverName: ref.name,
        serverDescription: ref.description,
      });
      const hash = toolsetHash(classified);
      const original = fetched.fork ? queue.toolsetOwner(hash, ref.id) : undefined;
      if (original) {
        // A fork that adds nothing: remember its version (so it costs nothing next time), store no copy.
        db.transaction(() => {
          opts.cache.setVersion(ref.id, fetched.version, fetched.commit);
          queue.duplicate(item, original);
        })();
        settled++;
        summary.ok++;
        summary.duplicates.push({ serverId: ref.id, of: original });
        const result = { added: 0, changed: 0, unchanged: 0, removed: 0, duplicates: [], changes: [] };
        emit({ type: 'server-done', id: ref.id, tools: 0, result, skipped: [], changes: [] });
        return;
      }
      if (opts.judge) {
        const outcomes = await opts.judge.judgeAll(
          classified.map((c) => ({ tool: c.definition, rules: c.verdict })),
        );
        for (const [i, o] of outcomes.entries()) {
          const c = classified[i];
          if (c) c.verdict = o.verdict;
          if (o.failure) summary.judgeFailures++;
        }
      }
      const info = picked.name ? { name: picked.name } : undefined;
      // Tools, source version and the item's state in one transaction: all of it or none.
      const { store, changes } = db.transaction(() => {
        upsertServer(db, ref);
        const stored = storeServerToolsTracked(db, ref.id, info, classified, { runId });
        opts.cache.setVersion(ref.id, fetched.version, fetched.commit);
        queue.done(item, hash);
        return stored;
      })();
      settled++;
      for (const c of changes)
        if (c.rugPull) summary.rugPulls.push({ serverId: ref.id, tool: c.toolName, summary: c.summary });
      const tools = store.added + store.changed + store.unchanged;
      summary.ok++;
      summary.tools += tools;
      summary.changes.added += store.added;
      summary.changes.changed += store.changed;
      summary.changes.unchanged += store.unchanged;
      summary.changes.removed += store.removed;
      emit({ type: 'server-done', id: ref.id, tools, result: store, skipped: [], changes });
    } catch (error) {
      if (signal?.aborted) {
        queue.interrupted(item);
        return;
      }
      const e = toCrawlError(error, ref.id);
      settle(
        item,
        attempts,
        { type: 'failed', kind: e.kind, message: e.message, retryable: e.retryable },
        `crawl: ${e.kind}`,
      );
    } finally {
      if (outcome?.status === 'fetched') removeTree(outcome.dir);
    }
  };

  const batchSize = Math.max(1, opts.batchSize ?? 100);
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const maxWaitMs = opts.maxWaitMs ?? 10 * 60_000;
  const limit = pLimit(concurrency);
  const inflight = new Set<Promise<void>>();

  try {
    queue.start();
    summary.passId = queue.passId;
    summary.resumed = queue.resumed;
    summary.reclaimed = queue.reclaimed;
    if (opts.retryFailed) queue.retryFailed(names.length ? names : undefined);
    const initial = queue.counts();
    emit({ type: 'start', total: initial.pending - (github ? 0 : initial.pendingGithub) + initial.running });
    const discovery = discover().finally(() => {
      discoveryDone = true;
      poke();
    });

    while (!signal?.aborted) {
      const pauseMs = pausedUntil - (opts.now ?? Date.now)();
      if (inflight.size <= concurrency && pauseMs <= 0) {
        const items = queue.claim(batchSize, github);
        if (items.length > 0) {
          const heads = items.flatMap((i) => (i.ref.github ? [i.ref.github] : []));
          if (heads.length && opts.fetchers.github)
            opts.fetchers.github.prefetch(heads).catch(() => undefined);
          for (const item of items) {
            const task: Promise<void> = limit(() => processItem(item)).finally(() => {
              inflight.delete(task);
              poke();
            });
            inflight.add(task);
          }
          continue;
        }
      }
      if (inflight.size > 0) {
        await Promise.race([...inflight, nap(1000)]);
        continue;
      }
      if (pauseMs > 0) {
        if (pauseMs > maxWaitMs) break;
        await nap(Math.min(pauseMs, 1000));
        continue;
      }
      if (!discoveryDone) {
        await nap(1000);
        continue;
      }
      const wait = queue.nextReadyInMs(github);
      if (wait === undefined || wait > maxWaitMs) break;
      await nap(Math.min(Math.max(wait, 10), 1000));
    }
    await Promise.allSettled(inflight);
    await discovery;

    const c = queue.counts();
    summary.waiting = c.pending - (github ? 0 : c.pendingGithub);
    summary.needsGitHub = github ? 0 : c.pendingGithub;
    if (!signal?.aborted && !discoveryFailed && c.pending === 0 && c.running === 0) {
      queue.finishPass();
      summary.passFinished = true;
    }
  } finally {
    await Promise.allSettled(inflight);
    queue.close();
  }

  const hardFailures = summary.failed;
  if (signal?.aborted || discoveryFailed || !summary.passFinished) summary.status = 'partial';
  else if (hardFailures === 0) summary.status = 'ok';
  else summary.status = summary.ok === 0 ? 'failed' : 'partial';
  const { runId: _r, status: _s, failures, duplicates, ...stats } = summary;
  finishRun(db, runId, summary.status, {
    ...stats,
    failures: failures.length,
    duplicates: duplicates.length,
  });
  emit({ type: 'finish', summary });
  return summary;
}

/** Remove a fetched tree once read; trees shared by monorepo members (`_repos`) go with the work dir. */
function removeTree(dir: string): void {
  if (dir.split(path.sep).includes('_repos')) return;
  fs.rmSync(dir, { recursive: true, force: true });
}
