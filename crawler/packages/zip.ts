// Safe extraction of zip archives (Python wheels and old .zip sdists) held in memory, with the same rules
// as the tar extractor: only regular files, paths checked to stay inside the destination, files opened
// exclusively, sizes capped before and during inflation, CRCs checked. Zip64, encrypted entries and methods
// other than stored/deflate are refused or skipped with a reason.
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  ArchiveError,
  DEFAULT_LIMITS,
  safeRelative,
  type ExtractLimits,
  type ExtractResult,
} from '../archive.ts';

export interface ZipOptions {
  dest: string;
  limits?: Partial<ExtractLimits>;
  stripComponents?: number;
  subject?: string;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

export async function extractZip(zip: Buffer, options: ZipOptions): Promise<ExtractResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const subject = options.subject ?? 'zip archive';
  const corrupt = (detail: string) => new ArchiveError(subject, 'corrupt', detail);
  if (zip.length > limits.maxCompressedBytes) {
    throw new ArchiveError(subject, 'too-large', `archive is larger than ${limits.maxCompressedBytes} bytes`);
  }
  const eocd = findEocd(zip);
  if (eocd < 0) throw corrupt('no end-of-central-directory record (not a zip, or truncated)');
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw corrupt('zip64 archives are not supported');
  if (count > limits.maxFiles) {
    throw new ArchiveError(subject, 'too-many-files', `archive holds more than ${limits.maxFiles} files`);
  }

  const dest = path.resolve(options.dest);
  await fs.mkdir(dest, { recursive: true });
  if ((await fs.readdir(dest)).length > 0) throw corrupt(`destination ${dest} is not empty`);
  const result: ExtractResult = { files: 0, bytes: 0, skipped: [] };
  let total = 0;
  let pos = cdOffset;
  for (let i = 0; i < count; i++) {
    if (pos + 46 > zip.length || zip.readUInt32LE(pos) !== CENTRAL)
      throw corrupt(`bad central directory entry ${i}`);
    const flags = zip.readUInt16LE(pos + 8);
    const method = zip.readUInt16LE(pos + 10);
    const crc = zip.readUInt32LE(pos + 16);
    const compressed = zip.readUInt32LE(pos + 20);
    const size = zip.readUInt32LE(pos + 24);
    const nameLen = zip.readUInt16LE(pos + 28);
    const extraLen = zip.readUInt16LE(pos + 30);
    const commentLen = zip.readUInt16LE(pos + 32);
    const mode = zip.readUInt32LE(pos + 38) >>> 16;
    const localOffset = zip.readUInt32LE(pos + 42);
    const name = zip.toString('utf8', pos + 46, pos + 46 + nameLen);
    pos += 46 + nameLen + extraLen + commentLen;

    if (name.endsWith('/')) continue;
    const rel = safeRelative(name, options.stripComponents ?? 0, undefined);
    const skip = (reason: string) =>
      result.skipped.length < 1000 && result.skipped.push({ path: name, reason });
    if (rel === undefined) {
      skip('unsafe-path');
      continue;
    }
    if (rel === null) continue;
    // Unix mode bits, when the archiver set them, must say "regular file" (symlinks are 0o120000).
    if (mode !== 0 && (mode & S_IFMT) !== S_IFREG) {
      skip((mode & S_IFMT) === 0o120000 ? 'symlink' : 'special-file');
      continue;
    }
    if (flags & 1) {
      skip('encrypted');
      continue;
    }
    if (method !== 0 && method !== 8) {
      skip(`compression method ${method}`);
      continue;
    }
    if (/(^|\/)(\.git|node_modules)(\/|$)/.test(rel)) {
      skip('filtered');
      continue;
    }
    if (size > limits.maxFileBytes) {
      skip('too-big');
      continue;
    }
    if (result.files >= limits.maxFiles) {
      throw new ArchiveError(subject, 'too-many-files', `archive holds more than ${limits.maxFiles} files`);
    }
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL)
      throw corrupt(`bad local header for ${name}`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (start + compressed > zip.length)
      throw new ArchiveError(subject, 'truncated', `${name} runs past the end`);
    const raw = zip.subarray(start, start + compressed);
    let data: Buffer;
    try {
      // maxOutputLength stops a lying size field from inflating into a bomb.
      data = method === 0 ? raw : zlib.inflateRawSync(raw, { maxOutputLength: size + 1 });
    } catch (cause) {
      throw new ArchiveError(
        subject,
        'bomb',
        `${name} inflates past its declared ${size} bytes or is damaged`,
        cause,
      );
    }
    if (data.length !== size || zlib.crc32(data) !== crc)
      throw corrupt(`${name} fails its size or CRC check`);
    total += size;
    if (total > limits.maxExtractedBytes) {
      throw new ArchiveError(subject, 'bomb', `archive expands past ${limits.maxExtractedBytes} bytes`);
    }
    const target = path.join(dest, rel);
    if (!target.startsWith(dest + path.sep)) {
      skip('unsafe-path');
      continue;
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    try {
      await fs.writeFile(target, data, { flag: 'wx', mode: 0o644 });
    } catch (error) {
      // 'wx' never follows or overwrites: a repeated name keeps its first copy.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      skip('duplicate');
      continue;
    }
    result.files++;
    result.bytes += size;
  }
  return result;
}

/** The end-of-central-directory record sits in the last 22 + 65,535 bytes (the comment may follow it). */
function findEocd(zip: Buffer): number {
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}
