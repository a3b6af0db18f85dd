// The rendered-page cache in front of the Astro handler. Every page is a pure function of the catalogue and
// the request URL (and the origin, which canonical URLs and OpenGraph carry), so a page rendered once can be
// answered again from memory until the catalogue changes. "Changes" is SQLite's own signal: the reading
// connection's `PRAGMA data_version` moves whenever another connection commits, and then every entry goes.
//
// Only complete 200 answers to GET/HEAD are kept, bounded by bytes (LRU). Concurrent misses for one page
// wait for a single render. Entries carry a strong ETag (If-None-Match → 304) and a gzip copy made the first
// time a client asks for one.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';

export interface CachedPage {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  etag: string;
  gzip?: Buffer;
}

/** What a render produced, captured instead of streamed. */
export interface CapturedResponse {
  status: number;
  statusMessage: string;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

/** Content types worth keeping and compressing: the site's pages and their twins. */
const TEXT_TYPE = /^(?:text\/(?:html|plain|css)|application\/(?:json|xml|yaml|x-yaml))\b/i;
/** Smaller bodies gain nothing from gzip. */
const GZIP_MIN_BYTES = 1024;

function header(headers: http.OutgoingHttpHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

/** A page the cache may keep: complete, public, text, and not per-user. */
export function isCacheable(captured: CapturedResponse, maxEntryBytes: number): boolean {
  if (captured.status !== 200 || captured.body.length > maxEntryBytes) return false;
  if (header(captured.headers, 'set-cookie') !== undefined) return false;
  if (/\b(?:no-store|private)\b/i.test(header(captured.headers, 'cache-control') ?? '')) return false;
  return TEXT_TYPE.test(header(captured.headers, 'content-type') ?? '');
}

export function acceptsGzip(req: http.IncomingMessage): boolean {
  const accept = req.headers['accept-encoding'];
  return typeof accept === 'string' && /\bgzip\b(?!;\s*q=0(?:\.0*)?\b)/i.test(accept);
}

/** If-None-Match against our ETag (weak comparison, as RFC 9110 asks for GET). */
function notModified(req: http.IncomingMessage, etag: string): boolean {
  const inm = req.headers['if-none-match'];
  if (typeof inm !== 'string') return false;
  if (inm.trim() === '*') return true;
  return inm.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Write a kept page to the client: 304 when it already has it, gzip when it asks for it. */
export function sendPage(req: http.IncomingMessage, res: http.ServerResponse, page: CachedPage): void {
  const headers: http.OutgoingHttpHeaders = { ...page.headers, ETag: page.etag };
  const compressible = TEXT_TYPE.test(header(page.headers, 'content-type') ?? '');
  if (compressible) headers.Vary = 'Accept-Encoding';
  if (notModified(req, page.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = page.body;
  if (compressible && page.body.length >= GZIP_MIN_BYTES && acceptsGzip(req)) {
    page.gzip ??= gzipSync(page.body);
    body = page.gzip;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = body.length;
  res.writeHead(page.status, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

export function toPage(captured: CapturedResponse): CachedPage {
  const headers = Object.fromEntries(
    Object.entries(captured.headers).filter(([k]) => !/^(?:content-length|transfer-encoding)$/i.test(k)),
  );
  const etag = `"${createHash('sha256').update(captured.body).digest('base64url').slice(0, 27)}"`;
  return { status: captured.status, headers, body: captured.body, etag };
}

/**
 * A stand-in for http.ServerResponse that the Astro node adapter writes into (writeHead, write, end, the
 * finish/close events), so the whole answer is in hand before the client sees a byte.
 */
class CaptureResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  private readonly headers: http.OutgoingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private settled = false;

  constructor(
    readonly req: http.IncomingMessage,
    private readonly done: (result: CapturedResponse | Error) => void,
  ) {
    super();
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers[name.toLowerCase()] = value as string | string[];
    return this;
  }

  getHeader(name: string): http.OutgoingHttpHeader | undefined {
    return this.headers[name.toLowerCase()];
  }

  writeHead(
    status: number,
    reasonOrHeaders?: string | http.OutgoingHttpHeaders,
    maybeHeaders?: http.OutgoingHttpHeaders,
  ): this {
    this.statusCode = status;
    const headers = typeof reasonOrHeaders === 'object' ? reasonOrHeaders : maybeHeaders;
    if (typeof reasonOrHeaders === 'string') this.statusMessage = reasonOrHeaders;
    for (const [key, value] of Object.entries(headers ?? {})) {
      if (value !== undefined) this.headers[key.toLowerCase()] = value;
    }
    this.headersSent = true;
    return this;
  }

  write(chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
    if (chunk !== undefined && chunk !== null) {
      this.chunks.push(
        typeof chunk === 'string'
          ? Buffer.from(
              chunk,
              typeof encodingOrCallback === 'string' ? (encodingOrCallback as BufferEncoding) : 'utf8',
            )
          : Buffer.from(chunk as Uint8Array),
      );
    }
    const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    return true;
  }

  end(chunk?: unknown, encodingOrCallback?: unknown, callback?: unknown): this {
    if (typeof chunk === 'function') return this.end(undefined, undefined, chunk);
    if (chunk !== undefined && chunk !== null) this.write(chunk, encodingOrCallback);
    this.headersSent = true;
    this.settle({
      status: this.statusCode,
      statusMessage: this.statusMessage,
      headers: this.headers,
      body: Buffer.concat(this.chunks),
    });
    const cb = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    if (typeof cb === 'function') queueMicrotask(() => (cb as () => void)());
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy(err?: Error): this {
    this.settle(err ?? new Error('the page was abandoned while rendering'));
    this.emit('close');
    return this;
  }

  private settle(result: CapturedResponse | Error): void {
    if (this.settled) return;
    this.settled = true;
    this.done(result);
  }
}

export type RenderInto = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** Run a render into a capture; resolves with the complete answer or rejects with the render's error. */
export function capture(req: http.IncomingMessage, render: RenderInto): Promise<CapturedResponse> {
  return new Promise<CapturedResponse>((resolve, reject) => {
    const res = new CaptureResponse(req, (result) =>
      result instanceof Error ? reject(result) : resolve(result),
    );
    render(req, res as unknown as http.ServerResponse).then(
      () => {
        if (!res.headersSent) reject(new Error('the page ended without an answer'));
      },
      (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
    );
  });
}

export interface PageCacheOptions {
  /** Most bytes of pages kept (bodies, gzip copies and a fixed overhead per entry). */
  maxBytes: number;
  /** The catalogue's change counter (`PRAGMA data_version`); a new value empties the cache. */
  version: () => number;
}

export interface PageCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  clears: number;
}

const ENTRY_OVERHEAD = 512;

export class PageCache {
  private readonly lru: LRUCache<string, CachedPage>;
  private readonly inflight = new Map<string, Promise<CachedPage | CapturedResponse>>();
  private readonly maxEntryBytes: number;
  private seen: number;
  private generation = 0;
  readonly stats = { hits: 0, misses: 0, clears: 0 };

  constructor(private readonly options: PageCacheOptions) {
    this.maxEntryBytes = Math.max(1, Math.floor(options.maxBytes / 8));
    this.lru = new LRUCache<string, CachedPage>({
      maxSize: options.maxBytes,
      sizeCalculation: (page) => page.body.length + (page.gzip?.length ?? 0) + ENTRY_OVERHEAD,
    });
    this.seen = options.version();
  }

  /** Empty the cache when the catalogue changed since the last look. */
  private revalidate(): void {
    const version = this.options.version();
    if (version === this.seen) return;
    this.seen = version;
    this.generation++;
    this.lru.clear();
    this.inflight.clear();
    this.stats.clears++;
  }

  /**
   * Answer `req` from the cache, or render it once (however many clients ask meanwhile) and keep it.
   * Resolves with what to send: a kept page, or a captured answer that was not worth keeping.
   */
  async get(
    key: string,
    req: http.IncomingMessage,
    render: RenderInto,
  ): Promise<CachedPage | CapturedResponse> {
    this.revalidate();
    const kept = this.lru.get(key);
    if (kept) {
      this.stats.hits++;
      return kept;
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.stats.hits++;
      return pending;
    }
    this.stats.misses++;
    const generation = this.generation;
    const work = capture(req, render).then((captured) => {
      if (!isCacheable(captured, this.maxEntryBytes)) return captured;
      const page = toPage(captured);
      // A page rendered from the catalogue as it was before a change is sent, not kept.
      if (generation === this.generation) this.lru.set(key, page);
      return page;
    });
    this.inflight.set(key, work);
    try {
      return await work;
    } finally {
      if (this.inflight.get(key) === work) this.inflight.delete(key);
    }
  }

  /** Forget a page (a render error, say, must not be served to the clients that waited for it). */
  delete(key: string): void {
    this.lru.delete(key);
  }

  snapshot(): PageCacheStats {
    return { ...this.stats, entries: this.lru.size, bytes: this.lru.calculatedSize };
  }
}

export function isPage(answer: CachedPage | CapturedResponse): answer is CachedPage {
  return 'etag' in answer;
}

/** Send a captured answer that was not kept (a 404, say) as it was rendered. */
function sendCaptured(req: http.IncomingMessage, res: http.ServerResponse, answer: CapturedResponse): void {
  const headers = { ...answer.headers, 'content-length': answer.body.length };
  delete headers['transfer-encoding'];
  if (answer.statusMessage) res.writeHead(answer.status, answer.statusMessage, headers);
  else res.writeHead(answer.status, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(answer.body);
}

/** Send what PageCache.get resolved with: a kept page or an answer that was not kept. */
export function sendAnswer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  answer: CachedPage | CapturedResponse,
): void {
  if (isPage(answer)) sendPage(req, res, answer);
  else sendCaptured(req, res, answer);
}
