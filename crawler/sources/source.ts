// What every discovery source shares: the options all take, the error a fatal failure raises (naming the
// source), and the helpers that turn raw records into valid, de-duplicated ServerRefs.
import { ServerRefSchema, type ServerRef, type ServerRefInput } from '../../data/model.ts';
import { CrawlError, toCrawlError } from '../errors.ts';

export interface DiscoverOptions {
  signal?: AbortSignal;
  /** Stop after this many refs (useful for `crawl --limit`). */
  limit?: number;
  /** Called for a record the source skipped (malformed, unusable), so nothing vanishes silently. */
  onSkip?: (reason: string, record: unknown) => void;
}

/** A discovery source: a name (recorded as `ServerRef.source`) and an async iterator of refs. */
export interface Source<O extends DiscoverOptions = DiscoverOptions> {
  readonly name: string;
  discover(options: O): AsyncIterable<ServerRef>;
}

/** A source failed as a whole (its API is down, its file unreadable). The message names the source. */
export class SourceError extends CrawlError {
  override name = 'SourceError';
  readonly source: string;
  constructor(source: string, detail: string, cause?: unknown) {
    const inner = cause instanceof CrawlError ? cause : undefined;
    super(detail, {
      kind: inner?.kind ?? 'internal',
      subject: `${source} source`,
      retryable: inner?.retryable ?? false,
      cause,
    });
    this.source = source;
  }
}

/** Rethrow anything but an abort as a SourceError naming `source`; aborts propagate as they are. */
export function sourceFailure(source: string, error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof SourceError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const inner = toCrawlError(error, `${source} source`);
  return new SourceError(source, inner.message.replace(`${source} source: `, ''), error);
}

const ID_UNSAFE = /[^A-Za-z0-9@._~:/+-]+/g;

/** Make one id segment safe for the ServerRef id pattern (spaces and the like become `-`). */
export function idSegment(s: string): string {
  return s.replace(ID_UNSAFE, '-');
}

/** `github:owner/repo[/subdir]`; owner and repo lowercased because GitHub names ignore case. */
export function githubId(owner: string, repo: string, subdir?: string): string {
  const base = `github:${owner.toLowerCase()}/${repo.toLowerCase()}`;
  return subdir ? `${base}/${idSegment(subdir)}` : base;
}

/**
 * Tracks ids already yielded and validates refs: returns the parsed ref, or undefined for a duplicate or
 * an invalid record (reported through onSkip), and counts toward `limit`.
 */
export class RefEmitter {
  private readonly seen = new Set<string>();
  private emitted = 0;
  constructor(
    private readonly source: string,
    private readonly options: DiscoverOptions,
  ) {}

  get done(): boolean {
    return this.options.limit !== undefined && this.emitted >= this.options.limit;
  }

  accept(input: Omit<ServerRefInput, 'source'>, record: unknown = input): ServerRef | undefined {
    if (this.done) return undefined;
    this.options.signal?.throwIfAborted();
    const parsed = ServerRefSchema.safeParse({ ...input, source: this.source });
    if (!parsed.success) {
      this.options.onSkip?.(`invalid server ref: ${parsed.error.issues[0]?.message ?? 'unknown'}`, record);
      return undefined;
    }
    if (this.seen.has(parsed.data.id)) return undefined;
    this.seen.add(parsed.data.id);
    this.emitted++;
    return parsed.data;
  }
}
