// What a source crawl reports: the live crawl's summary (so the CLI renders both) plus the queue's view —
// the pass, what was resumed or taken back, unchanged and gone sources, waiting items, forks not stored.
import { emptyCrawlSummary, type CrawlFailure, type CrawlSummary } from './crawl.ts';

export interface SourceFailure extends CrawlFailure {
  /** What the summary groups by: `gone: not-found`, `fetch: http`, `extract: no tools`, ... */
  group: string;
}

export interface SourceCrawlSummary extends CrawlSummary {
  failures: SourceFailure[];
  passId: number;
  /** The pass was left unfinished by an earlier (stopped or killed) crawl and was resumed. */
  resumed: boolean;
  /** Items taken back from crawls that died holding them. */
  reclaimed: number;
  /** The pass is complete; the next crawl of these sources starts a new one. */
  passFinished: boolean;
  /** Refs discovered in this run (new to the queue, or back for a new pass). */
  enqueued: number;
  /** Servers whose source had not changed since it was last stored. */
  unchanged: number;
  /** Servers whose source is gone for good (deleted, taken down, empty); also listed in failures. */
  gone: number;
  /** Items still waiting (backoff or rate limit) when the crawl ended; the next crawl resumes them. */
  waiting: number;
  /** Items only GitHub can fetch, left queued because no token was given. */
  needsGitHub: number;
  /** Forks whose tools are exactly those of a server already catalogued; not stored again. */
  duplicates: { serverId: string; of: string }[];
}

export function emptySummary(runId: number): SourceCrawlSummary {
  return {
    ...emptyCrawlSummary(runId),
    failures: [],
    passId: 0,
    resumed: false,
    reclaimed: 0,
    passFinished: false,
    enqueued: 0,
    unchanged: 0,
    gone: 0,
    waiting: 0,
    needsGitHub: 0,
    duplicates: [],
  };
}
