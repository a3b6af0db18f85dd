// Safe extraction of .tar.gz archives (GitHub tarballs, npm packages, PyPI sdists) from a stream into a
// fresh directory. Hostile archives are expected: only regular files and directories are ever created
// (symlinks, hard links and devices are skipped), every path is checked to stay inside the destination,
// files are opened exclusively (never overwritten or followed), and compressed bytes, extracted bytes,
// file count and file size are capped so a decompression bomb stops early. A small tar reader (ustar, pax
// and GNU long names) lives here rather than a dependency so each of those checks is in one place.
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { CrawlError } from './errors.ts';

export interface ExtractLimits {
  /** Bytes read from the network (the .tar.gz itself). */
  maxCompressedBytes: number;
  /** Bytes of tar stream after gunzip; the decompression-bomb guard. */
  maxExtractedBytes: number;
  maxFiles: number;
  /** Larger files are skipped (recorded), not fatal: a repo with one big asset is still crawlable. */
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: ExtractLimits = {
  maxCompressedBytes: 50 * 1024 * 1024,
  maxExtractedBytes: 250 * 1024 * 1024,
  maxFiles: 20_000,
  maxFileBytes: 5 * 1024 * 1024,
};

export interface ExtractOptions {
  /** A directory that must not exist yet or be empty. */
  dest: string;
  limits?: Partial<ExtractLimits>;
  /** Leading path components to drop (1 for GitHub tarballs, npm's `package/`, sdists' `name-1.0/`). */
  stripComponents?: number;
  /** Keep only this folder (after stripping) and make it the root: monorepo subfolders. */
  subdir?: string;
  /** Return false to skip a path (after strip and subdir); `.git/` and `node_modules/` are always skipped. */
  filter?: (relPath: string) => boolean;
  signal?: AbortSignal;
  /** Collect the relative paths written into ExtractResult.paths. */
  listFiles?: boolean;
  /** Names the archive in error messages. */
  subject?: string;
}

export type ArchiveFailure = 'too-large' | 'bomb' | 'too-many-files' | 'corrupt' | 'truncated';

export class ArchiveError extends CrawlError {
  override name = 'ArchiveError';
  readonly reason: ArchiveFailure;
  constructor(subject: string, reason: ArchiveFailure, detail: string, cause?: unknown) {
    // Only a truncated download is worth retrying; a too-large or corrupt archive will be the same again.
    super(detail, {
      kind: reason === 'truncated' ? 'http' : 'invalid',
      subject,
      retryable: reason === 'truncated',
      cause,
    });
    this.reason = reason;
  }
}

export interface ExtractResult {
  files: number;
  bytes: number;
  /** Entries not written, with why: symlink, hardlink, device, unsafe-path, too-big, filtered. */
  skipped: { path: string; reason: string }[];
  /** The first path component before stripping (GitHub: `owner-repo-<sha7>`). */
  topDir?: string;
  /** A pax global header's comment; `git archive` puts the commit id there. */
  comment?: string;
  /** Paths written, when `listFiles` was asked for. */
  paths?: string[];
}

type Source = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | Readable;

export async function extractTarGz(source: Source, options: ExtractOptions): Promise<ExtractResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const subject = options.subject ?? 'archive';
  await prepareDest(options.dest, subject);
  let compressed = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      compressed += chunk.length;
      if (compressed > limits.maxCompressedBytes) {
        cb(
          new ArchiveError(subject, 'too-large', `archive is larger than ${limits.maxCompressedBytes} bytes`),
        );
      } else cb(null, chunk);
    },
  });
  const input = source instanceof ReadableStream ? Readable.fromWeb(source as never) : Readable.from(source);
  const result: ExtractResult = { files: 0, bytes: 0, skipped: [] };
  try {
    await pipeline(
      input,
      counter,
      zlib.createGunzip(),
      async (tar: AsyncIterable<Buffer>) => readTar(tar, options, limits, subject, result),
      { signal: options.signal },
    );
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof ArchiveError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code === 'Z_BUF_ERROR' ||
      code === 'ECONNRESET' ||
      code === 'UND_ERR_SOCKET' ||
      /terminated|aborted|premature/i.test((error as Error).message)
    ) {
      throw new ArchiveError(
        subject,
        'truncated',
        `download ended early: ${(error as Error).message}`,
        error,
      );
    }
    if (code?.startsWith('Z_'))
      throw new ArchiveError(subject, 'corrupt', `not a gzip stream: ${(error as Error).message}`, error);
    throw error;
  }
  return result;
}

async function prepareDest(dest: string, subject: string) {
  await fs.mkdir(dest, { recursive: true });
  const st = await fs.lstat(dest);
  if (!st.isDirectory()) throw new ArchiveError(subject, 'corrupt', `destination ${dest} is not a directory`);
  if ((await fs.readdir(dest)).length > 0) {
    throw new CrawlError(`destination ${dest} is not empty`, { kind: 'internal', subject });
  }
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  total = 0;
  constructor(private readonly it: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.done) {
      const next = await this.it.next();
      if (next.done) this.done = true;
      else {
        this.total += next.value.length;
        this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value;
      }
    }
    return this.buf.length >= n;
  }

  /** Exactly n bytes, or null at a clean end of stream before any byte. */
  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.buf.length === 0) return null;
      throw new Error('tar stream ended inside a block');
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Up to `max` bytes (at least 1), for streaming file bodies. */
  async readSome(max: number): Promise<Buffer> {
    if (!(await this.fill(1))) throw new Error('tar stream ended inside a file');
    const n = Math.min(max, this.buf.length);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

interface Header {
  name: string;
  size: number;
  type: string;
  linkname: string;
}

function cstr(b: Buffer, start: number, len: number): string {
  const slice = b.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? len : nul).toString('utf8');
}

function octal(b: Buffer, start: number, len: number): number {
  const first = b[start] ?? 0;
  if (first & 0x80) {
    // base-256 (GNU) for sizes ≥ 8 GiB; anything that large is over every cap anyway.
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + (b[i] ?? 0);
    return v;
  }
  const s = cstr(b, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parseHeader(block: Buffer): Header | null {
  if (block.every((x) => x === 0)) return null;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  if (sum !== octal(block, 148, 8)) throw new Error('tar header checksum mismatch');
  const magic = cstr(block, 257, 6);
  const prefix = magic.startsWith('ustar') ? cstr(block, 345, 155) : '';
  const name = cstr(block, 0, 100);
  const size = octal(block, 124, 12);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error('tar header has an invalid size');
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size,
    type: String.fromCharCode(block[156] ?? 0),
    linkname: cstr(block, 157, 100),
  };
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.subarray(pos, space).toString('utf8'), 10);
    if (!Number.isFinite(len) || len <= 0 || pos + len > data.length) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

const padded = (n: number) => Math.ceil(n / 512) * 512;
const META_MAX = 1024 * 1024;

/** Resolve an entry name to a safe relative path, or undefined when it would escape or is meaningless. */
export function safeRelative(
  name: string,
  strip: number,
  subdir: string | undefined,
): string | undefined | null {
  if (name.includes('\0') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.startsWith('/'))
    return undefined;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  let rest = parts.slice(strip);
  if (subdir) {
    const sub = subdir.split('/');
    if (rest.length < sub.length || sub.some((s, i) => rest[i] !== s)) return null; // outside the subdir
    rest = rest.slice(sub.length);
  }
  return rest.length ? rest.join('/') : null;
}

async function readTar(
  tar: AsyncIterable<Buffer>,
  options: ExtractOptions,
  limits: ExtractLimits,
  subject: string,
  result: ExtractResult,
): Promise<void> {
  const reader = new ByteReader(tar[Symbol.asyncIterator]());
  const dest = path.resolve(options.dest);
  const strip = options.stripComponents ?? 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  const skip = (p: string, reason: string) => {
    if (result.skipped.length < 1000) result.skipped.push({ path: p, reason });
  };
  const guard = () => {
    if (reader.total > limits.maxExtractedBytes) {
      throw new ArchiveError(subject, 'bomb', `archive expands past ${limits.maxExtractedBytes} bytes`);
    }
  };
  const discard = async (n: number) => {
    for (let left = padded(n); left > 0;) {
      left -= (await reader.readSome(Math.min(left, 65536))).length;
      guard();
    }
  };
  const readMeta = async (n: number) => {
    if (n > META_MAX) throw new ArchiveError(subject, 'corrupt', `tar metadata entry of ${n} bytes`);
    const data = await reader.read(padded(n));
    if (!data) throw new Error('tar stream ended inside a metadata entry');
    return data.subarray(0, n);
  };
  try {
    for (;;) {
      const block = await reader.read(512);
      guard();
      if (!block) throw new Error('tar stream ended without an end-of-archive marker');
      const h = parseHeader(block);
      if (!h) return; // end-of-archive marker; what follows is padding
      if (h.type === 'x') {
        pax = { ...pax, ...parsePax(await readMeta(h.size)) };
        continue;
      }
      if (h.type === 'g') {
        const g = parsePax(await readMeta(h.size));
        if (g.comment !== undefined) result.comment = g.comment;
        continue;
      }
      if (h.type === 'L') {
        longName = (await readMeta(h.size)).toString('utf8').replace(/\0+$/, '');
        continue;
      }
      if (h.type === 'K') {
        await readMeta(h.size);
        continue;
      }
      const name = pax.path ?? longName ?? h.name;
      const size = pax.size !== undefined ? Number(pax.size) : h.size;
      pax = {};
      longName = undefined;
      if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad size for ${name}`);
      const top = name.split('/').find((p) => p !== '' && p !== '.');
      if (result.topDir === undefined && top !== undefined) result.topDir = top;

      const isFile = h.type === '0' || h.type === '\0' || h.type === '7';
      const isDir = h.type === '5';
      const rel = safeRelative(name, strip, options.subdir);
      if (!isFile && !isDir) {
        if (rel !== null)
          skip(name, h.type === '2' ? 'symlink' : h.type === '1' ? 'hardlink' : 'special-file');
        await discard(size);
        continue;
      }
      if (rel === undefined) {
        skip(name, 'unsafe-path');
        await discard(size);
        continue;
      }
      if (
        rel === null ||
        /(^|\/)(\.git|node_modules)(\/|$)/.test(rel) ||
        (options.filter && !options.filter(rel))
      ) {
        if (rel !== null) skip(rel, 'filtered');
        await discard(size);
        continue;
      }
      const target = path.join(dest, rel);
      if (!target.startsWith(dest + path.sep)) {
        skip(name, 'unsafe-path');
        await discard(size);
        continue;
      }
      if (isDir) {
        await fs.mkdir(target, { recursive: true });
        await discard(size);
        continue;
      }
      if (size > limits.maxFileBytes) {
        skip(rel, 'too-big');
        await discard(size);
        continue;
      }
      if (result.files >= limits.maxFiles) {
        throw new ArchiveError(subject, 'too-many-files', `archive holds more than ${limits.maxFiles} files`);
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await writeExclusive(target, reader, size, guard);
      result.files++;
      result.bytes += size;
      if (options.listFiles) (result.paths ??= []).push(rel);
      const pad = padded(size) - size;
      if (pad) await reader.read(pad);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    const message = (error as Error).message;
    const truncated = /ended|unexpected end/i.test(message);
    throw new ArchiveError(subject, truncated ? 'truncated' : 'corrupt', message, error);
  }
}

/** Write `size` bytes to a new file; 'wx' fails on anything already there, so no link is ever followed. */
async function writeExclusive(target: string, reader: ByteReader, size: number, guard: () => void) {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(target, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      // A duplicate entry (tar allows it): the later one wins, written through a fresh file.
      await fs.rm(target, { force: true });
      handle = await fs.open(target, 'wx', 0o644);
    } else throw error;
  }
  try {
    for (let left = size; left > 0;) {
      const chunk = await reader.readSome(Math.min(left, 65536));
      guard();
      await handle.write(chunk);
      left -= chunk.length;
    }
  } finally {
    await handle.close();
  }
}
