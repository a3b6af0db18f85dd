// Fetching a published npm package's source: the version manifest (`GET /<name>/<version|latest>`), then
// its tarball, extracted safely and checked against `dist.integrity`. Used when a server has no known
// repository, so the static extractor scans the published JS.
import { getJsonIfFound, type HttpOptions } from '../http.ts';
import type { ExtractLimits } from '../archive.ts';
import type { FetchOutcome } from '../github/outcome.ts';
import { downloadAndExtract, failedOutcome, parseIntegrity } from './download.ts';
import { npmPath } from './registry-names.ts';

export interface NpmFetchOptions extends Pick<HttpOptions, 'fetch' | 'signal' | 'retries' | 'retryDelayMs'> {
  /** e.g. https://registry.npmjs.org */
  registryUrl: string;
  name: string;
  /** A version or dist-tag; `latest` by default. */
  version?: string;
  /** Directory to extract into (must not exist or be empty). */
  dest: string;
  /** The version processed last time: when the registry's is the same, nothing is downloaded. */
  known?: string;
  limits?: Partial<ExtractLimits>;
}

interface Manifest {
  name?: string;
  version?: string;
  dist?: { tarball?: string; integrity?: string; shasum?: string };
}

/** The version manifest, or undefined when the package or version does not exist. */
export async function getNpmManifest(
  options: Omit<NpmFetchOptions, 'dest' | 'known' | 'limits'>,
): Promise<Manifest | undefined> {
  const url = `${options.registryUrl.replace(/\/+$/, '')}/${npmPath(options.name)}/${encodeURIComponent(options.version ?? 'latest')}`;
  return (await getJsonIfFound(`npm/${options.name}`, url, options)) as Manifest | undefined;
}

export async function fetchNpmPackage(options: NpmFetchOptions): Promise<FetchOutcome> {
  const subject = `npm/${options.name}`;
  try {
    const manifest = await getNpmManifest(options);
    if (!manifest) {
      return {
        status: 'gone',
        reason: 'not-found',
        detail: `${subject}: no such package or version`,
        httpStatus: 404,
      };
    }
    const version = manifest.version ?? options.version ?? 'latest';
    if (options.known !== undefined && options.known === version) return { status: 'unchanged', version };
    const tarball = manifest.dist?.tarball;
    if (!tarball)
      return {
        status: 'gone',
        reason: 'no-source',
        detail: `${subject}@${version}: manifest has no tarball`,
      };
    const sha1 = manifest.dist?.shasum;
    const digest =
      parseIntegrity(manifest.dist?.integrity) ??
      (sha1 ? { algorithm: 'sha1' as const, value: sha1, encoding: 'hex' as const } : undefined);
    const result = await downloadAndExtract(`${subject}@${version}`, tarball, options.dest, {
      ...options,
      ...(digest ? { digest } : {}),
      stripComponents: 1,
    });
    return {
      status: 'fetched',
      dir: options.dest,
      version,
      files: result.files,
      skipped: result.skipped.length,
    };
  } catch (error) {
    return failedOutcome(error, subject, options.signal);
  }
}
