// Fake npm registry and fake PyPI (our machines cannot reach PyPI), each serving generated packages:
// npm `/<name>/<version|latest>`, `/<name>` packument, `/-/v1/search`, tarballs; PyPI `/pypi/<name>/json`,
// `/pypi/<name>/<version>/json` and sdists. Digests are real (SRI sha512, sha256) unless a test corrupts them.
import crypto from 'node:crypto';
import { startLocalServer, sendJson, takeFault, type Fault, type LocalServer } from './http-server.ts';
import { packTarGz, type TarEntry } from './tar.ts';
import { packZip } from './zip.ts';

export interface FakePackage {
  name: string;
  version: string;
  description?: string;
  repository?: string | { type: string; url: string; directory?: string };
  /** PyPI project_urls. */
  projectUrls?: Record<string, string>;
  files: Record<string, string>;
  /** Serve a digest that does not match the archive. */
  badDigest?: boolean;
  /** PyPI: publish only a wheel (no sdist). */
  wheelOnly?: boolean;
  /** PyPI: publish no files at all. */
  noFiles?: boolean;
  /** Extra raw entries (hostile ones) for the archive. */
  extraEntries?: TarEntry[];
}

export interface FakePackageRegistry extends LocalServer {
  packages: FakePackage[];
  faults: Fault[];
  /** Archive downloads served. */
  downloads: number;
}

function archive(pkg: FakePackage, top: string): Buffer {
  return packTarGz([
    ...Object.entries(pkg.files).map(([p, content]) => ({ path: `${top}/${p}`, content })),
    ...(pkg.extraEntries ?? []),
  ]);
}

/** A wheel: the package files at the root plus a dist-info folder, as a zip. */
function wheel(pkg: FakePackage): Buffer {
  const info = `${pkg.name.replace(/-/g, '_')}-${pkg.version}.dist-info`;
  return packZip([
    ...Object.entries(pkg.files).map(([p, content]) => ({ path: p, content })),
    { path: `${info}/METADATA`, content: `Name: ${pkg.name}\nVersion: ${pkg.version}\n` },
  ]);
}

const normalize = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');

export async function startFakeNpm(packages: FakePackage[]): Promise<FakePackageRegistry> {
  const fake = { packages, faults: [] as Fault[], downloads: 0 } as FakePackageRegistry;
  const server = await startLocalServer((_req, res, url) => {
    const fault = takeFault(fake.faults, url.pathname);
    if (fault && typeof fault.body === 'string') {
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      return res.end(fault.body);
    }
    if (fault) return sendJson(res, fault.status, fault.body ?? { error: 'injected' }, fault.headers);
    const pathname = decodeURIComponent(url.pathname);
    if (pathname === '/-/v1/search') {
      const text = url.searchParams.get('text') ?? '';
      const size = Number(url.searchParams.get('size') ?? 20);
      const from = Number(url.searchParams.get('from') ?? 0);
      const hits = fake.packages.filter((p) =>
        `${p.name} ${p.description ?? ''}`.includes(text.replace(/^keywords:/, '')),
      );
      const objects = hits.slice(from, from + size).map((p) => ({
        package: {
          name: p.name,
          version: p.version,
          description: p.description,
          links: {
            npm: `https://www.npmjs.com/package/${p.name}`,
            ...(typeof p.repository === 'object' ? { repository: p.repository.url } : {}),
          },
        },
        score: { final: 1 },
      }));
      return sendJson(res, 200, { objects, total: hits.length, time: new Date(0).toUTCString() });
    }
    const tgz = /^\/(.+)\/-\/[^/]+-(\d[^/]*)\.tgz$/.exec(pathname);
    if (tgz) {
      const pkg = fake.packages.find((p) => p.name === tgz[1] && p.version === tgz[2]);
      if (!pkg) return sendJson(res, 404, { error: 'not found' });
      fake.downloads++;
      const body = archive(pkg, 'package');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      return res.end(body);
    }
    const m = /^\/(@[^/]+\/[^/]+|[^/@][^/]*)(?:\/([^/]+))?$/.exec(pathname);
    const pkg = m && fake.packages.find((p) => p.name === m[1]);
    if (!m || !pkg || (m[2] && m[2] !== 'latest' && m[2] !== pkg.version))
      return sendJson(res, 404, { error: 'Not found' });
    const body = archive(pkg, 'package');
    const integrity = `sha512-${crypto
      .createHash('sha512')
      .update(pkg.badDigest ? 'x' : body)
      .digest('base64')}`;
    const manifest = {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      repository: pkg.repository,
      dist: {
        tarball: `${server.url}/${pkg.name}/-/${pkg.name.split('/').pop()}-${pkg.version}.tgz`,
        integrity,
      },
    };
    if (m[2]) return sendJson(res, 200, manifest);
    sendJson(res, 200, {
      name: pkg.name,
      'dist-tags': { latest: pkg.version },
      versions: { [pkg.version]: manifest },
    });
  });
  return Object.assign(fake, server);
}

export async function startFakePypi(packages: FakePackage[]): Promise<FakePackageRegistry> {
  const fake = { packages, faults: [] as Fault[], downloads: 0 } as FakePackageRegistry;
  const server = await startLocalServer((_req, res, url) => {
    const fault = takeFault(fake.faults, url.pathname);
    if (fault) return sendJson(res, fault.status, fault.body ?? { message: 'injected' }, fault.headers);
    const file = /^\/packages\/([^/]+)-(\d[^/-]*)(\.tar\.gz|-py3-none-any\.whl)$/.exec(url.pathname);
    if (file) {
      const pkg = fake.packages.find((p) => normalize(p.name) === file[1] && p.version === file[2]);
      if (!pkg) return sendJson(res, 404, { message: 'Not Found' });
      fake.downloads++;
      const body = file[3] === '.tar.gz' ? archive(pkg, `${pkg.name}-${pkg.version}`) : wheel(pkg);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      return res.end(body);
    }
    const m = /^\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/.exec(url.pathname);
    const pkg = m && fake.packages.find((p) => normalize(p.name) === normalize(m[1] ?? ''));
    if (!m || !pkg || (m[2] && m[2] !== pkg.version)) return sendJson(res, 404, { message: 'Not Found' });
    const n = normalize(pkg.name);
    const sha = (b: Buffer) =>
      crypto
        .createHash('sha256')
        .update(pkg.badDigest ? 'x' : b)
        .digest('hex');
    const whl = `${n}-${pkg.version}-py3-none-any.whl`;
    const sdist = `${n}-${pkg.version}.tar.gz`;
    const urls = pkg.noFiles
      ? []
      : pkg.wheelOnly
        ? [
            {
              filename: whl,
              packagetype: 'bdist_wheel',
              url: `${server.url}/packages/${whl}`,
              digests: { sha256: sha(wheel(pkg)) },
              yanked: false,
            },
          ]
        : [
            {
              filename: sdist,
              packagetype: 'sdist',
              url: `${server.url}/packages/${sdist}`,
              digests: { sha256: sha(archive(pkg, `${pkg.name}-${pkg.version}`)) },
              yanked: false,
            },
          ];
    sendJson(res, 200, {
      info: {
        name: pkg.name,
        version: pkg.version,
        summary: pkg.description ?? null,
        home_page: null,
        project_urls: pkg.projectUrls ?? null,
      },
      urls,
    });
  });
  return Object.assign(fake, server);
}
