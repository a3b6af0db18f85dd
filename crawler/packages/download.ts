// Download a package archive, extract it safely while hashing the bytes, and check the registry's digest
// (npm `dist.integrity` SRI, PyPI sha256). A mismatch removes the tree: nothing unverified is kept.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import {
  ArchiveError,
  DEFAULT_LIMITS,
  extractTarGz,
  type ExtractLimits,
  type ExtractResult,
} from '../archive.ts';
import { CrawlError } from '../errors.ts';
import type { FetchOutcome } from '../github/outcome.ts';
import { HttpError, httpGet, type HttpOptions } from '../http.ts';
import { extractZip } from './zip.ts';

export interface Digest {
  algorithm: 'sha512' | 'sha256' | 'sha1';
  /** base64 for SRI, hex for PyPI. */
  value: string;
  encoding: 'base64' | 'hex';
}

/** Parse an SRI string (`sha512-…`), taking the strongest hash it lists. */
export function parseIntegrity(sri: string | undefined): Digest | undefined {
  if (!sri) return undefined;
  const order = ['sha512', 'sha256', 'sha1'] as const;
  const found = sri.split(/\s+/).map((p) => p.split('-'));
  for (const alg of order) {
    const hit = found.find(([a]) => a === alg);
    if (hit?.[1]) return { algorithm: alg, value: hit.slice(1).join('-'), encoding: 'base64' };
  }
  return undefined;
}

type DownloadOptions = HttpOptions & {
  digest?: Digest;
  stripComponents?: number;
  limits?: Partial<ExtractLimits>;
  /** `zip` for wheels and .zip sdists (read into memory, capped); `tar.gz` otherwise (streamed). */
  format?: 'tar.gz' | 'zip';
};

export async function downloadAndExtract(
  subject: string,
  url: string,
  dest: string,
  options: DownloadOptions,
): Promise<ExtractResult> {
  if (options.format === 'zip') return downloadZip(subject, url, dest, options);
  const res = await httpGet(subject, url, options);
  if (!res.body) throw new CrawlError(`empty body from ${url}`, { kind: 'http', subject });
  const hash = options.digest ? crypto.createHash(options.digest.algorithm) : undefined;
  const body = res.body;
  async function* hashed() {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      hash?.update(chunk);
      yield chunk;
    }
  }
  const result = await extractTarGz(hashed(), {
    dest,
    stripComponents: options.stripComponents ?? 1,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    subject,
  });
  if (hash && options.digest) {
    const actual = hash.digest(options.digest.encoding);
    if (actual !== options.digest.value) {
      await fs.rm(dest, { recursive: true, force: true });
      throw new CrawlError(`${options.digest.algorithm} of ${url} does not match the registry's digest`, {
        kind: 'invalid',
        subject,
        retryable: false,
      });
    }
  }
  return result;
}

/** Zip needs random access: read the body into memory (up to the compressed cap), check, then extract. */
async function downloadZip(
  subject: string,
  url: string,
  dest: string,
  options: DownloadOptions,
): Promise<ExtractResult> {
  const cap = options.limits?.maxCompressedBytes ?? DEFAULT_LIMITS.maxCompressedBytes;
  const res = await httpGet(subject, url, options);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of (res.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > cap) throw new ArchiveError(subject, 'too-large', `archive is larger than ${cap} bytes`);
    chunks.push(chunk);
  }
  const zip = Buffer.concat(chunks);
  if (options.digest) {
    const actual = crypto.createHash(options.digest.algorithm).update(zip).digest(options.digest.encoding);
    if (actual !== options.digest.value) {
      throw new CrawlError(`${options.digest.algorithm} of ${url} does not match the registry's digest`, {
        kind: 'invalid',
        subject,
        retryable: false,
      });
    }
  }
  return extractZip(zip, {
    dest,
    subject,
    stripComponents: options.stripComponents ?? 0,
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** A package fetch that threw, as the outcome the queue understands (retryable, rate-limit delay). */
export function failedOutcome(
  error: unknown,
  subject: string,
  signal: AbortSignal | undefined,
): FetchOutcome {
  if (signal?.aborted) throw signal.reason;
  const e =
    error instanceof CrawlError
      ? error
      : new CrawlError(String(error), { kind: 'internal', subject, cause: error });
  return {
    status: 'failed',
    error: e,
    retryable: e.retryable,
    ...(e instanceof HttpError && e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
  };
}
