// Safe zip extraction (wheels, .zip sdists): no links, no escapes, lying sizes and bad CRCs refused.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip } from '../../crawler/packages/zip.ts';
import { pickDistribution } from '../../crawler/packages/pypi.ts';
import { packZip } from '../fakes/zip.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('zip-test-');
let n = 0;
const fresh = () => path.join(root, `z${n++}`);

describe('extractZip', () => {
  it('extracts stored and deflated files, skipping links, escapes and directories', async () => {
    const dest = fresh();
    const zip = packZip([
      { path: 'pkg/', content: '' },
      { path: 'pkg/server.py', content: 'from mcp.server import Server\n'.repeat(20) },
      { path: 'pkg/data.txt', content: 'stored', store: true },
      { path: '../escape.py', content: 'x' },
      { path: 'pkg/link', content: '/etc/passwd', mode: 0o120777 },
      { path: 'pkg/server.py', content: 'second copy' },
    ]);
    const r = await extractZip(zip, { dest });
    expect(r.files).toBe(2);
    expect(r.skipped.map((s) => s.reason).sort()).toEqual(['duplicate', 'symlink', 'unsafe-path']);
    expect(fs.readFileSync(path.join(dest, 'pkg/server.py'), 'utf8')).toMatch(/^from mcp.server/);
    expect(fs.existsSync(path.join(root, 'escape.py'))).toBe(false);
  });

  it('refuses an entry that inflates past its declared size (a bomb) and one with a wrong CRC', async () => {
    const bomb = packZip([{ path: 'zeros', content: Buffer.alloc(1_000_000), declaredSize: 1000 }]);
    await expect(extractZip(bomb, { dest: fresh() })).rejects.toMatchObject({ reason: 'bomb' });
    const good = packZip([{ path: 'a.txt', content: 'hello', store: true }]);
    const bad = Buffer.from(good);
    bad[30 + 'a.txt'.length] = 'j'.charCodeAt(0);
    await expect(extractZip(bad, { dest: fresh() })).rejects.toMatchObject({ reason: 'corrupt' });
    await expect(extractZip(good.subarray(0, 20), { dest: fresh() })).rejects.toMatchObject({
      reason: 'corrupt',
    });
  });

  it('caps total size and file count', async () => {
    const files = Array.from({ length: 10 }, (_, i) => ({ path: `f${i}`, content: 'x'.repeat(100) }));
    await expect(
      extractZip(packZip(files), { dest: fresh(), limits: { maxFiles: 5 } }),
    ).rejects.toMatchObject({
      reason: 'too-many-files',
    });
    await expect(
      extractZip(packZip(files), { dest: fresh(), limits: { maxExtractedBytes: 500 } }),
    ).rejects.toMatchObject({
      reason: 'bomb',
    });
  });
});

describe('pickDistribution', () => {
  it('prefers a .tar.gz sdist, then a pure-Python wheel, then a .zip sdist, never a yanked file', () => {
    const f = (filename: string, packagetype: string, yanked = false) => ({
      filename,
      packagetype,
      url: `https://x/${filename}`,
      yanked,
    });
    expect(
      pickDistribution([f('a-1-cp312-linux.whl', 'bdist_wheel'), f('a-1.tar.gz', 'sdist')])?.filename,
    ).toBe('a-1.tar.gz');
    expect(
      pickDistribution([f('a-1-cp312-linux.whl', 'bdist_wheel'), f('a-1-py3-none-any.whl', 'bdist_wheel')]),
    ).toMatchObject({
      filename: 'a-1-py3-none-any.whl',
      format: 'zip',
      kind: 'wheel',
    });
    expect(pickDistribution([f('a-1.tar.gz', 'sdist', true), f('a-1.zip', 'sdist')])).toMatchObject({
      filename: 'a-1.zip',
      kind: 'sdist',
    });
    expect(pickDistribution([])).toBeUndefined();
  });
});
