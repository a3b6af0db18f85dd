// npm and PyPI fetchers against the local fakes: the published source lands in a directory, digests are
// checked, unchanged versions cost one small request, and missing or source-less packages say why.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchNpmPackage } from '../../crawler/packages/npm.ts';
import { fetchPypiPackage } from '../../crawler/packages/pypi.ts';
import { startFakeNpm, startFakePypi, type FakePackageRegistry } from '../fakes/packages.ts';
import { samplePackages } from '../fakes/source-cases.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('packages-test-');
let n = 0;
const dest = () => path.join(root, `p${n++}`);
let npm: FakePackageRegistry;
let pypi: FakePackageRegistry;

beforeAll(async () => {
  const pkgs = samplePackages();
  pkgs.push({
    name: 'acme-hostile-mcp',
    version: '1.0.0',
    files: { 'index.js': 'ok' },
    extraEntries: [
      { path: 'package/../../../outside.js', content: 'x' },
      { path: 'package/link.js', type: 'symlink', linkname: '/etc/passwd' },
    ],
  });
  pkgs.push({ name: 'acme-tampered-mcp', version: '1.0.0', files: { 'index.js': 'x' }, badDigest: true });
  npm = await startFakeNpm(pkgs);
  pypi = await startFakePypi([
    ...pkgs.filter((p) => !p.name.startsWith('@')),
    {
      name: 'acme-wheel-only',
      version: '1.0.0',
      files: { 'acme_wheel/server.py': 'from mcp.server import Server' },
      wheelOnly: true,
    },
    { name: 'acme-no-files', version: '1.0.0', files: {}, noFiles: true },
  ]);
});
afterAll(async () => {
  await npm.close();
  await pypi.close();
});

describe('npm fetcher', () => {
  it('downloads and extracts the tarball, verified against dist.integrity', async () => {
    const d = dest();
    const out = await fetchNpmPackage({ registryUrl: npm.url, name: '@acme/weather-mcp', dest: d });
    expect(out).toMatchObject({ status: 'fetched', dir: d, version: '1.2.0', files: 2, skipped: 0 });
    expect(fs.readFileSync(path.join(d, 'dist/index.js'), 'utf8')).toContain('get_forecast');
  });

  it('answers unchanged without downloading when the version is the one already processed', async () => {
    const before = npm.downloads;
    const out = await fetchNpmPackage({
      registryUrl: npm.url,
      name: '@acme/weather-mcp',
      dest: dest(),
      known: '1.2.0',
    });
    expect(out).toEqual({ status: 'unchanged', version: '1.2.0' });
    expect(npm.downloads).toBe(before);
  });

  it('keeps hostile entries out of the tree', async () => {
    const d = dest();
    const out = await fetchNpmPackage({ registryUrl: npm.url, name: 'acme-hostile-mcp', dest: d });
    expect(out).toMatchObject({ status: 'fetched', files: 1, skipped: 2 });
    expect(fs.readdirSync(d)).toEqual(['index.js']);
    expect(fs.existsSync(path.join(root, '..', 'outside.js'))).toBe(false);
  });

  it('rejects a tarball whose digest does not match, keeping nothing', async () => {
    const d = dest();
    const out = await fetchNpmPackage({ registryUrl: npm.url, name: 'acme-tampered-mcp', dest: d });
    expect(out.status).toBe('failed');
    if (out.status === 'failed') {
      expect(out.retryable).toBe(false);
      expect(out.error.message).toMatch(/npm\/acme-tampered-mcp@1.0.0: sha512 .* does not match/);
    }
    expect(fs.existsSync(d)).toBe(false);
  });

  it('reports a missing package as gone and a 503 as a retryable failure', async () => {
    expect(await fetchNpmPackage({ registryUrl: npm.url, name: 'nope-mcp', dest: dest() })).toMatchObject({
      status: 'gone',
      reason: 'not-found',
      httpStatus: 404,
    });
    npm.faults.push({ match: /acme-only-mcp/, status: 503, times: 1 });
    const out = await fetchNpmPackage({
      registryUrl: npm.url,
      name: 'acme-only-mcp',
      dest: dest(),
      retries: 0,
    });
    expect(out).toMatchObject({ status: 'failed', retryable: true });
  });
});

describe('PyPI fetcher', () => {
  it('downloads the sdist by normalized name, verified by sha256', async () => {
    const d = dest();
    const out = await fetchPypiPackage({ baseUrl: pypi.url, name: 'Acme_Notes.MCP', dest: d });
    expect(out).toMatchObject({ status: 'fetched', version: '0.3.1', files: 2 });
    expect(fs.readFileSync(path.join(d, 'src/server.py'), 'utf8')).toContain('add_note');
  });

  it('falls back to a wheel when there is no sdist; no-source when nothing is published; not-found', async () => {
    const d = dest();
    const out = await fetchPypiPackage({ baseUrl: pypi.url, name: 'acme-wheel-only', dest: d });
    expect(out).toMatchObject({ status: 'fetched', files: 2 });
    expect(fs.readFileSync(path.join(d, 'acme_wheel/server.py'), 'utf8')).toContain('mcp.server');
    expect(await fetchPypiPackage({ baseUrl: pypi.url, name: 'acme-no-files', dest: dest() })).toMatchObject({
      status: 'gone',
      reason: 'no-source',
    });
    expect(await fetchPypiPackage({ baseUrl: pypi.url, name: 'acme-unknown', dest: dest() })).toMatchObject({
      status: 'gone',
      reason: 'not-found',
    });
  });

  it('rejects a tampered sdist', async () => {
    const out = await fetchPypiPackage({ baseUrl: pypi.url, name: 'acme-tampered-mcp', dest: dest() });
    expect(out).toMatchObject({ status: 'failed', retryable: false });
  });
});

describe('fetchServerSource', () => {
  it('fetches a package-only ref from npm, then PyPI, and says when there is nothing to fetch', async () => {
    const { fetchServerSource } = await import('../../crawler/github/fetch-server.ts');
    const ctx = { npmRegistryUrl: npm.url, pypiBaseUrl: pypi.url, workDir: root };
    const base = { name: 'x', source: 'test' };
    const viaNpm = await fetchServerSource(
      { ...base, id: 'npm/acme-only-mcp', packages: [{ registry: 'npm', name: 'acme-only-mcp' }] },
      ctx,
    );
    expect(viaNpm).toMatchObject({ status: 'fetched', version: '2.0.0' });
    const viaPypi = await fetchServerSource(
      { ...base, id: 'pypi/acme-notes-mcp', packages: [{ registry: 'pypi', name: 'acme-notes-mcp' }] },
      ctx,
      { known: '0.3.1' },
    );
    expect(viaPypi).toEqual({ status: 'unchanged', version: '0.3.1' });
    const remote = await fetchServerSource(
      {
        ...base,
        id: 'url/mcp.acme.example',
        packages: [],
        launch: { transport: 'http', url: 'https://mcp.acme.example' },
      },
      ctx,
    );
    expect(remote).toMatchObject({
      status: 'gone',
      reason: 'no-source',
      detail: 'url/mcp.acme.example: no GitHub repository or package to fetch (introspect it live)',
    });
  });
});
