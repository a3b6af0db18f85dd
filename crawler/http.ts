// A small HTTP helper for the non-GitHub sources and package fetchers (registry, npm, PyPI): JSON GETs
// with bounded retries that honour Retry-After, abort signals, and errors that say what to do next.
// GitHub goes through octokit instead (crawler/github/client.ts), which has its own throttling.
import { CrawlError } from './errors.ts';

export type FetchLike = typeof fetch;

export interface HttpOptions {
  fetch?: FetchLike;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Extra attempts after the first on 429/5xx/network errors. */
  retries?: number;
  /** Base backoff; attempt n waits base·2^n unless the server sends Retry-After. */
  retryDelayMs?: number;
  /** Upper bound on any single wait, so a hostile Retry-After cannot park us for a day. */
  maxRetryDelayMs?: number;
}

export const USER_AGENT = 'mcp-catalog-crawler (+https://github.com/mcp-catalog)';

/** An HTTP failure: `status` 0 means the network failed before a response. */
export class HttpError extends CrawlError {
  override name = 'HttpError';
  readonly status: number;
  readonly url: string;
  /** Set for 429/503 with Retry-After: waiting costs no attempt. */
  readonly retryAfterMs: number | undefined;
  constructor(
    subject: string,
    url: string,
    status: number,
    detail: string,
    retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(`${detail} (${status === 0 ? 'network' : `HTTP ${status}`} from ${url})`, {
      kind: 'http',
      subject,
      retryable: status === 0 || status === 408 || status === 429 || status >= 500,
      cause,
    });
    this.status = status;
    this.url = url;
    this.retryAfterMs = retryAfterMs;
  }
  get rateLimited(): boolean {
    return this.status === 429 || (this.status === 403 && this.retryAfterMs !== undefined);
  }
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or unparsable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Sleep that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * GET `url` and return the Response once it is 2xx (or 304 when `accept304`), retrying 429, 5xx and
 * network errors. The caller owns the body. `subject` names what is being fetched, for messages.
 */
export async function httpGet(
  subject: string,
  url: string,
  options: HttpOptions & { accept304?: boolean } = {},
): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  const base = options.retryDelayMs ?? 500;
  const cap = options.maxRetryDelayMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    let error: HttpError;
    try {
      const res = await doFetch(url, {
        headers: { 'user-agent': USER_AGENT, ...options.headers },
        signal: options.signal,
        redirect: 'follow',
      });
      if (res.ok || (options.accept304 && res.status === 304)) return res;
      const body = await res.text().catch(() => '');
      error = new HttpError(
        subject,
        url,
        res.status,
        describeFailure(res.status, body),
        parseRetryAfter(res.headers.get('retry-after')),
      );
    } catch (cause) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (cause instanceof HttpError) throw cause;
      error = new HttpError(subject, url, 0, (cause as Error).message, undefined, cause);
    }
    if (!error.retryable || attempt >= retries) throw error;
    await sleep(Math.min(cap, error.retryAfterMs ?? base * 2 ** attempt), options.signal);
  }
}

/** GET and parse JSON; a body that is not JSON is a non-retryable `invalid` error. */
export async function getJson(subject: string, url: string, options: HttpOptions = {}): Promise<unknown> {
  const res = await httpGet(subject, url, {
    ...options,
    headers: { accept: 'application/json', ...options.headers },
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CrawlError(`response from ${url} is not JSON: ${text.slice(0, 80)}`, {
      kind: 'invalid',
      subject,
      cause,
    });
  }
}

function describeFailure(status: number, body: string): string {
  let message = '';
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown; detail?: unknown };
    const m = parsed.message ?? parsed.error ?? parsed.detail;
    if (typeof m === 'string') message = m;
  } catch {
    message = body.slice(0, 120);
  }
  if (status === 404) return message || 'not found';
  if (status === 429) return message || 'rate limited';
  return message || 'request failed';
}

/** `getJson`, with 404 answered as undefined: for registries where "no such package" is an answer. */
export async function getJsonIfFound(
  subject: string,
  url: string,
  options: HttpOptions = {},
): Promise<unknown> {
  try {
    return await getJson(subject, url, options);
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return undefined;
    throw error;
  }
}
