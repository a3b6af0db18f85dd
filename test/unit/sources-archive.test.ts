// Safe tarball extraction: hostile archives (traversal, symlinks, hard links, bombs, truncation) leave
// nothing outside the destination and fail or skip with a clear reason.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError, extractTarGz, safeRelative } from '../../crawler/archive.ts';
import { packTar, packTarGz } from '../fakes/tar.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('archive-test-');
let n = 0;
const fresh = () => path.join(root, `d${n++}`);
const chunks = (b: Buffer) =>
  (async function* () {
    for (let i = 0; i < b.length; i += 1000) yield b.subarray(i, i + 1000);
  })();

describe('extractTarGz', () => {
  it('extracts files, strips the top folder and reads the pax comment (git commit id)', async () => {
    const dest = fresh();
    const long = `acme-tools-abc1234/${'deep/'.repeat(25)}file.ts`;
    const tgz = packTarGz(
      [
        { path: 'acme-tools-abc1234/', type: 'dir' },
        { path: 'acme-tools-abc1234/package.json', content: '{"name":"x"}' },
        { path: 'acme-tools-abc1234/src/index.ts', content: 'export {}\n' },
        { path: long, content: 'long' },
      ],
      { comment: 'abc1234def' },
    );
    const r = await extractTarGz(chunks(tgz), { dest, stripComponents: 1 });
    expect(r).toMatchObject({ files: 3, topDir: 'acme-tools-abc1234', comment: 'abc1234def' });
    expect(fs.readFileSync(path.join(dest, 'src/index.ts'), 'utf8')).toBe('export {}\n');
    expect(fs.readFileSync(path.join(dest, long.split('/').slice(1).join('/')), 'utf8')).toBe('long');
  });

  it('keeps only a subfolder, made the root', async () => {
    const dest = fresh();
    const tgz = packTarGz([
      { path: 'top/README.md', content: 'root' },
      { path: 'top/servers/notes/index.ts', content: 'notes' },
      { path: 'top/servers/notes-other/x.ts', content: 'other' },
    ]);
    const r = await extractTarGz(chunks(tgz), { dest, stripComponents: 1, subdir: 'servers/notes' });
    expect(r.files).toBe(1);
    expect(fs.readdirSync(dest)).toEqual(['index.ts']);
  });

  it('never writes outside the destination and never creates links', async () => {
    const dest = fresh();
    const tgz = packTarGz([
      { path: 'top/../../escape.txt', content: 'x' },
      { path: '/etc/absolute.txt', content: 'x' },
      { path: 'top/link', type: 'symlink', linkname: '/etc/passwd' },
      { path: 'top/hard', type: 'hardlink', linkname: 'top/ok.txt' },
      { path: 'top/pipe', type: 'fifo' },
      { path: 'top/node_modules/dep/index.js', content: 'x' },
      { path: 'top/ok.txt', content: 'ok' },
    ]);
    const r = await extractTarGz(chunks(tgz), { dest, stripComponents: 1 });
    expect(r.files).toBe(1);
    expect(fs.readdirSync(dest)).toEqual(['ok.txt']);
    expect(fs.existsSync(path.join(root, 'escape.txt'))).toBe(false);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual([
      'filtered',
      'hardlink',
      'special-file',
      'symlink',
      'unsafe-path',
      'unsafe-path',
    ]);
  });

  it('stops a decompression bomb at the extracted-bytes cap', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024);
    const tgz = packTarGz([{ path: 'top/zeros.bin', content: big }]);
    expect(tgz.length).toBeLessThan(64 * 1024);
    const e = await extractTarGz(chunks(tgz), {
      dest: fresh(),
      limits: { maxExtractedBytes: 1024 * 1024, maxFileBytes: 8 * 1024 * 1024 },
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ArchiveError);
    expect(e).toMatchObject({ reason: 'bomb', retryable: false });
  });

  it('caps the compressed size and the file count', async () => {
    const files = Array.from({ length: 20 }, (_, i) => ({ path: `top/f${i}.txt`, content: `file ${i}` }));
    await expect(
      extractTarGz(chunks(packTarGz(files)), { dest: fresh(), limits: { maxCompressedBytes: 100 } }),
    ).rejects.toMatchObject({ reason: 'too-large' });
    await expect(
      extractTarGz(chunks(packTarGz(files)), { dest: fresh(), limits: { maxFiles: 5 } }),
    ).rejects.toMatchObject({ reason: 'too-many-files' });
  });

  it('skips an oversized file but keeps the rest', async () => {
    const dest = fresh();
    const tgz = packTarGz([
      { path: 'top/big.bin', content: Buffer.alloc(3000, 1) },
      { path: 'top/small.ts', content: 'ok' },
    ]);
    const r = await extractTarGz(chunks(tgz), { dest, stripComponents: 1, limits: { maxFileBytes: 1000 } });
    expect(r.skipped).toEqual([{ path: 'big.bin', reason: 'too-big' }]);
    expect(fs.readdirSync(dest)).toEqual(['small.ts']);
  });

  it('reports a truncated download as retryable, and garbage as corrupt', async () => {
    const tgz = packTarGz([{ path: 'top/a.txt', content: 'a'.repeat(5000) }]);
    const cut = tgz.subarray(0, Math.floor(tgz.length / 2));
    await expect(extractTarGz(chunks(cut), { dest: fresh() })).rejects.toMatchObject({
      reason: 'truncated',
      retryable: true,
    });
    const noEnd = zlib.gzipSync(packTar([{ path: 'top/a.txt', content: 'a' }], { noEndMarker: true }));
    await expect(extractTarGz(chunks(noEnd), { dest: fresh() })).rejects.toMatchObject({
      reason: 'truncated',
    });
    await expect(
      extractTarGz(chunks(Buffer.from('not gzip at all')), { dest: fresh() }),
    ).rejects.toMatchObject({
      reason: 'corrupt',
    });
  });

  it('refuses a destination that already holds files', async () => {
    const dest = fresh();
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'x'), '');
    await expect(extractTarGz(chunks(packTarGz([])), { dest })).rejects.toThrow(/not empty/);
  });
});

describe('safeRelative', () => {
  it('rejects escapes and drive letters, strips components, scopes to a subdir', () => {
    expect(safeRelative('a/../../b', 0, undefined)).toBeUndefined();
    expect(safeRelative('C:/x', 0, undefined)).toBeUndefined();
    expect(safeRelative('a\\..\\b', 0, undefined)).toBeUndefined();
    expect(safeRelative('top/src/x.ts', 1, undefined)).toBe('src/x.ts');
    expect(safeRelative('top/src/x.ts', 1, 'lib')).toBeNull();
    expect(safeRelative('top/lib/x.ts', 1, 'lib')).toBe('x.ts');
  });
});
