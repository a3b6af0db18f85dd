// Builds .tar.gz archives for the fakes and tests: ustar headers, pax headers for long names and for a
// global `comment` (as `git archive` writes the commit id), and hostile entries (symlinks, hard links,
// `../` paths, absolute paths) on request.
import zlib from 'node:zlib';

export interface TarEntry {
  path: string;
  content?: string | Buffer;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  linkname?: string;
}

const TYPE = { file: '0', dir: '5', symlink: '2', hardlink: '1', fifo: '6' } as const;

function header(name: string, size: number, type: string, linkname = ''): Buffer {
  const b = Buffer.alloc(512);
  b.write(name.slice(0, 100), 0, 'utf8');
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(size.toString(8).padStart(11, '0') + '\0', 124);
  b.write('00000000000\0', 136);
  b.write(type, 156);
  b.write(linkname.slice(0, 100), 157, 'utf8');
  b.write('ustar\0', 257);
  b.write('00', 263);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return b;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

function paxEntry(type: 'x' | 'g', records: Record<string, string>): Buffer[] {
  const data = Buffer.from(
    Object.entries(records)
      .map(([k, v]) => paxRecord(k, v))
      .join(''),
    'utf8',
  );
  return [header('pax_header', data.length, type), data, pad(data.length)];
}

/** An uncompressed tar stream of `entries`, with an optional pax global comment first. */
export function packTar(
  entries: TarEntry[],
  options: { comment?: string; noEndMarker?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  if (options.comment !== undefined) parts.push(...paxEntry('g', { comment: options.comment }));
  for (const e of entries) {
    const type = e.type ?? 'file';
    const data = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    if (Buffer.byteLength(e.path) > 100) parts.push(...paxEntry('x', { path: e.path }));
    parts.push(header(e.path, data.length, TYPE[type], e.linkname), data, pad(data.length));
  }
  if (!options.noEndMarker) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function packTarGz(
  entries: TarEntry[],
  options: { comment?: string; noEndMarker?: boolean } = {},
): Buffer {
  return zlib.gzipSync(packTar(entries, options), { level: 1 });
}
