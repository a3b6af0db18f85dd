// Fetching a PyPI project's source: the JSON API (`GET /pypi/<name>/json` or `/pypi/<name>/<version>/json`),
// then its source distribution (.tar.gz sdist, else a wheel, else a .zip sdist), extracted safely and
// checked against the sha256 digest. A project with none of these comes back `gone: no-source`.
import { getJsonIfFound, type HttpOptions } from '../http.ts';
import type { ExtractLimits } from '../archive.ts';
import type { FetchOutcome } from '../github/outcome.ts';
import { downloadAndExtract, failedOutcome } from './download.ts';
import { normalizePypiName } from './registry-names.ts';

export interface PypiFetchOptions extends Pick<HttpOptions, 'fetch' | 'signal' | 'retries' | 'retryDelayMs'> {
  /** e.g. https://pypi.org */
  baseUrl: string;
  name: string;
  version?: string;
  dest: string;
  known?: string;
  limits?: Partial<ExtractLimits>;
}

export interface PypiFile {
  filename?: string;
  packagetype?: string;
  url?: string;
  digests?: { sha256?: string };
  yanked?: boolean;
}

export interface PypiProject {
  info?: {
    name?: string;
    version?: string;
    summary?: string | null;
    home_page?: string | null;
    project_url?: string | null;
    project_urls?: Record<string, string> | null;
  };
  urls?: PypiFile[];
}

/**
 * The distribution to read source from: a .tar.gz sdist (the whole source tree), else a wheel (the
 * installed Python files; pure-Python `none-any` ones first), else a .zip sdist. Yanked files are skipped.
 */
export function pickDistribution(
  files: PypiFile[],
): (PypiFile & { format: 'tar.gz' | 'zip'; kind: 'sdist' | 'wheel' }) | undefined {
  const usable = files.filter((f) => f.url && !f.yanked);
  const name = (f: PypiFile) => f.filename ?? f.url ?? '';
  const tgz = usable.find((f) => f.packagetype === 'sdist' && /\.(tar\.gz|tgz)$/i.test(name(f)));
  if (tgz) return { ...tgz, format: 'tar.gz', kind: 'sdist' };
  const wheels = usable.filter((f) => f.packagetype === 'bdist_wheel' && /\.whl$/i.test(name(f)));
  const wheel = wheels.find((f) => /-none-any\.whl$/i.test(name(f))) ?? wheels[0];
  if (wheel) return { ...wheel, format: 'zip', kind: 'wheel' };
  const zip = usable.find((f) => f.packagetype === 'sdist' && /\.zip$/i.test(name(f)));
  return zip ? { ...zip, format: 'zip', kind: 'sdist' } : undefined;
}

/** The project JSON, or undefined on 404. */
export async function getPypiProject(
  options: Pick<
    PypiFetchOptions,
    'baseUrl' | 'name' | 'version' | 'fetch' | 'signal' | 'retries' | 'retryDelayMs'
  >,
): Promise<PypiProject | undefined> {
  const base = options.baseUrl.replace(/\/+$/, '');
  const name = encodeURIComponent(normalizePypiName(options.name));
  const url = options.version
    ? `${base}/pypi/${name}/${encodeURIComponent(options.version)}/json`
    : `${base}/pypi/${name}/json`;
  return (await getJsonIfFound(`pypi/${options.name}`, url, options)) as PypiProject | undefined;
}

export async function fetchPypiPackage(options: PypiFetchOptions): Promise<FetchOutcome> {
  const subject = `pypi/${normalizePypiName(options.name)}`;
  try {
    const project = await getPypiProject(options);
    if (!project)
      return { status: 'gone', reason: 'not-found', detail: `${subject}: no such project`, httpStatus: 404 };
    const version = project.info?.version ?? options.version ?? 'unknown';
    if (options.known !== undefined && options.known === version) return { status: 'unchanged', version };
    const file = pickDistribution(project.urls ?? []);
    if (!file?.url) {
      return {
        status: 'gone',
        reason: 'no-source',
        detail: `${subject}@${version}: no sdist or wheel published`,
      };
    }
    const sha = file.digests?.sha256;
    const result = await downloadAndExtract(`${subject}@${version}`, file.url, options.dest, {
      ...options,
      ...(sha ? { digest: { algorithm: 'sha256' as const, value: sha, encoding: 'hex' as const } } : {}),
      format: file.format,
      // sdists hold one top folder (name-version/); wheels put packages at the root.
      stripComponents: file.kind === 'wheel' ? 0 : 1,
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
