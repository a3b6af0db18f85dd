// Crawl errors say what to do next, as crawlee's error classes do: every error names its subject (the
// server), carries the failure kind recorded in crawl_failures, and says whether a retry could help.
import type { FailureKind } from '../data/model.ts';

/** Kinds a later attempt may well get past (a slow start, a flaky network), unlike a server that lies. */
const RETRYABLE: ReadonlySet<FailureKind> = new Set(['timeout', 'http', 'spawn']);

export interface CrawlErrorOptions {
  kind: FailureKind;
  /** The server label the message names (its catalogue id or a human name). */
  subject: string;
  /** Defaults by kind: timeouts, HTTP and spawn failures are retryable; protocol violations are not. */
  retryable?: boolean;
  cause?: unknown;
}

export class CrawlError extends Error {
  override name = 'CrawlError';
  readonly kind: FailureKind;
  readonly subject: string;
  readonly retryable: boolean;

  /** `detail` is what went wrong; the message is `<subject>: <detail>`. */
  constructor(detail: string, options: CrawlErrorOptions) {
    super(
      `${options.subject}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.kind = options.kind;
    this.subject = options.subject;
    this.retryable = options.retryable ?? RETRYABLE.has(options.kind);
  }
}

/** A hard deadline passed (connect or listing). Retryable: the server may just be slow today. */
export class CrawlTimeoutError extends CrawlError {
  override name = 'CrawlTimeoutError';
  readonly seconds: number;
  readonly phase: string;
  constructor(subject: string, seconds: number, phase: string, cause?: unknown) {
    super(`timed out after ${seconds} s while ${phase}`, { kind: 'timeout', subject, cause });
    this.seconds = seconds;
    this.phase = phase;
  }
}

/** The server broke the protocol (garbage on stdout, a looping cursor, too much data). Not retryable. */
export class CrawlProtocolError extends CrawlError {
  override name = 'CrawlProtocolError';
  constructor(subject: string, detail: string, cause?: unknown) {
    super(detail, { kind: 'protocol', subject, cause });
  }
}

/** Wrap anything thrown into a CrawlError for `subject`, keeping CrawlErrors as they are. */
export function toCrawlError(error: unknown, subject: string, kind: FailureKind = 'internal'): CrawlError {
  if (error instanceof CrawlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CrawlError(message, { kind, subject, cause: error });
}
