// The crawl pipeline for live servers: for each ServerRef, introspect → classify every tool → store, with
// bounded concurrency. One server's failure is recorded and the crawl goes on; a failed server's stored
// tools are never touched. The caller renders progress from the events; this module prints nothing.
import pLimit from 'p-limit';
import { classifyTool } from '../classifier/index.ts';
import type { Db } from '../data/db.ts';
import { capToolDefinition } from '../data/limits.ts';
import { ServerRefSchema, type FailureKind, type ServerRef } from '../data/model.ts';
import type { Judge } from '../classifier/llm/index.ts';
import { storeServerToolsTracked, type RecordedChange } from '../data/changes.ts';
import {
  finishRun,
  recordFailure,
  startRun,
  upsertServer,
  type ClassifiedDefinition,
  type StoreResult,
} from '../data/repository.ts';
import { CrawlError, toCrawlError } from './errors.ts';
import { introspect, type SkippedTool } from './live/index.ts';

export type CrawlEvent =
  | { type: 'start'; total?: number | undefined }
  | { type: 'server-start'; id: string }
  | {
      type: 'server-done';
      id: string;
      tools: number;
      result: StoreResult;
      skipped: SkippedTool[];
      /** Recorded changes against the previous crawl, rug pulls (risk rose) marked. */
      changes: RecordedChange[];
    }
  | { type: 'server-failed'; id: string; kind: FailureKind; reason: string }
  | { type: 'finish'; summary: CrawlSummary };

export interface CrawlOptions {
  /** Recorded on the crawl run: default, config, registry, ... */
  source: string;
  /** Servers introspected at once. */
  concurrency: number;
  connectTimeoutS: number;
  listTimeoutS: number;
  maxReadBytes: number;
  onEvent?: ((event: CrawlEvent) => void) | undefined;
  /** Stops starting new servers and cancels running ones; the run finishes as 'partial'. */
  signal?: AbortSignal | undefined;
  /** Called with a stdio server's pid (= its process-group id) once it runs; for tests and diagnostics. */
  onSpawn?: ((serverId: string, pid: number) => void) | undefined;
  /** Milliseconds between SIGTERM and SIGKILL when a stdio server is closed. */
  killGraceMs?: number | undefined;
  /** The optional LLM judge; it may raise a rules verdict, never lower it. Off when undefined. */
  judge?: Judge | undefined;
}

export interface CrawlFailure {
  serverId: string;
  kind: FailureKind;
  reason: string;
}

export interface CrawlSummary {
  runId: number;
  status: 'ok' | 'partial' | 'failed';
  /** Servers attempted. */
  servers: number;
  ok: number;
  failed: number;
  /** Tools stored in this run (over all successful servers). */
  tools: number;
  /** Listed tools that were not valid MCP tool definitions and so were not stored. */
  skippedTools: number;
  failures: CrawlFailure[];
  changes: { added: number; changed: number; unchanged: number; removed: number };
  /** Changed tools whose risk or category rose since the last crawl. */
  rugPulls: { serverId: string; tool: string; summary: string }[];
  /** LLM judge calls that failed (the rules verdict stood for those tools). */
  judgeFailures: number;
}

/** A summary with nothing counted yet; the source crawl's summary extends it. */
export function emptyCrawlSummary(runId: number): CrawlSummary {
  return {
    runId,
    status: 'ok',
    servers: 0,
    ok: 0,
    failed: 0,
    tools: 0,
    skippedTools: 0,
    failures: [],
    changes: { added: 0, changed: 0, unchanged: 0, removed: 0 },
    rugPulls: [],
    judgeFailures: 0,
  };
}

/** Tools classified between yields to the event loop. */
const CLASSIFY_SLICE = 250;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function knownTotal(refs: Iterable<ServerRef> | AsyncIterable<ServerRef>): number | undefined {
  if (Array.isArray(refs)) return refs.length;
  if (refs instanceof Set || refs instanceof Map) return refs.size;
  return undefined;
}

/** Crawl `refs` into `db` as one crawl run. Never throws for a server's failure; see the summary. */
export async function crawl(
  db: Db,
  refs: Iterable<ServerRef> | AsyncIterable<ServerRef>,
  opts: CrawlOptions,
): Promise<CrawlSummary> {
  const emit = (event: CrawlEvent): void => opts.onEvent?.(event);
  const runId = startRun(db, opts.source);
  const summary = emptyCrawlSummary(runId);
  emit({ type: 'start', total: knownTotal(refs) });

  const fail = (serverId: string, error: CrawlError): void => {
    const failure: CrawlFailure = { serverId, kind: error.kind, reason: error.message };
    try {
      recordFailure(db, { runId, ...failure });
    } catch {
      // Recording is best effort; the summary still carries the failure.
    }
    summary.failed++;
    summary.failures.push(failure);
    emit({ type: 'server-failed', id: serverId, kind: failure.kind, reason: failure.reason });
  };

  const crawlOne = async (input: ServerRef): Promise<void> => {
    summary.servers++;
    const id = typeof input?.id === 'string' && input.id ? input.id : `(server #${summary.servers})`;
    emit({ type: 'server-start', id });
    const parsed = ServerRefSchema.safeParse(input);
    if (!parsed.success) {
      const why = parsed.error.issues[0];
      const detail = why ? `${why.path.join('.') || 'ref'}: ${why.message}` : 'invalid';
      fail(id, new CrawlError(`invalid server reference (${detail})`, { kind: 'invalid', subject: id }));
      return;
    }
    const ref = parsed.data;
    try {
      upsertServer(db, ref);
      if (!ref.launch) {
        throw new CrawlError('has no launch (command or URL), so it cannot be introspected live', {
          kind: 'invalid',
          subject: id,
        });
      }
      const listed = await introspect(ref.launch, {
        label: id,
        connectTimeoutS: opts.connectTimeoutS,
        listTimeoutS: opts.listTimeoutS,
        maxReadBytes: opts.maxReadBytes,
        signal: opts.signal,
        onSpawn: opts.onSpawn ? (pid) => opts.onSpawn?.(id, pid) : undefined,
        killGraceMs: opts.killGraceMs,
      });
      const context = { serverName: ref.name, serverDescription: ref.description };
      const classified: ClassifiedDefinition[] = [];
      for (const [i, tool] of listed.tools.entries()) {
        // Let other servers' I/O and deadlines run between slices of a long classification.
        if (i > 0 && i % CLASSIFY_SLICE === 0) await yieldToEventLoop();
        // Classify what will be stored: the capped definition, so verdict and row agree.
        const definition = capToolDefinition(tool);
        classified.push({ definition, verdict: classifyTool(definition, context) });
      }
      if (opts.judge) {
        const outcomes = await opts.judge.judgeAll(
          classified.map((c) => ({ tool: c.definition, rules: c.verdict })),
        );
        for (const [i, outcome] of outcomes.entries()) {
          const item = classified[i];
          if (item) item.verdict = outcome.verdict;
          if (outcome.failure) summary.judgeFailures++;
        }
      }
      const { store: result, changes } = storeServerToolsTracked(db, id, listed.info, classified, { runId });
      for (const c of changes)
        if (c.rugPull) summary.rugPulls.push({ serverId: id, tool: c.toolName, summary: c.summary });
      const stored = result.added + result.changed + result.unchanged;
      summary.ok++;
      summary.tools += stored;
      summary.skippedTools += listed.skipped.length;
      summary.changes.added += result.added;
      summary.changes.changed += result.changed;
      summary.changes.unchanged += result.unchanged;
      summary.changes.removed += result.removed;
      emit({ type: 'server-done', id, tools: stored, result, skipped: listed.skipped, changes });
    } catch (error) {
      fail(id, toCrawlError(error, id));
    }
  };

  const limit = pLimit(Math.max(1, Math.floor(opts.concurrency)));
  const running = new Set<Promise<void>>();
  try {
    for await (const ref of refs) {
      if (opts.signal?.aborted) break;
      const task: Promise<void> = limit(() => crawlOne(ref)).finally(() => running.delete(task));
      running.add(task);
      // Pull refs only a little ahead of the workers, so a huge or endless source is not read at once.
      while (running.size >= limit.concurrency * 2) await Promise.race(running);
    }
  } catch (error) {
    // The ref source itself broke (a discovery error): what was crawled stays, the run is partial.
    await Promise.allSettled(running);
    fail(`source:${opts.source}`, toCrawlError(error, `source ${opts.source}`));
  } finally {
    await Promise.allSettled(running);
  }

  // A cancelled run is incomplete, not a verdict on its servers; otherwise all-failed is 'failed'.
  if (opts.signal?.aborted) summary.status = 'partial';
  else if (summary.failed === 0) summary.status = 'ok';
  else summary.status = summary.ok === 0 ? 'failed' : 'partial';
  const { runId: _runId, status: _status, ...stats } = summary;
  finishRun(db, runId, summary.status, stats);
  emit({ type: 'finish', summary });
  return summary;
}
