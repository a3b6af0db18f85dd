// PyPI projects as a discovery source. PyPI has no search API, so names come from a list (the seed's
// PyPI-only records, or a package list); each is resolved through the JSON API. A project whose URLs name a
// GitHub repository is keyed by it, as the other sources do.
import type { ServerRef } from '../../data/model.ts';
import type { HttpOptions } from '../http.ts';
import { getPypiProject, type PypiProject } from '../packages/pypi.ts';
import { normalizePypiName } from '../packages/registry-names.ts';
import { parseGitHubUrl } from './github-url.ts';
import { RefEmitter, githubId, idSegment, sourceFailure, type DiscoverOptions } from './source.ts';

export const PYPI_SOURCE = 'pypi';

export interface PypiSourceOptions
  extends DiscoverOptions, Pick<HttpOptions, 'fetch' | 'retries' | 'retryDelayMs'> {
  /** e.g. https://pypi.org */
  baseUrl: string;
  names: Iterable<string> | AsyncIterable<string>;
}

/** project_urls keys that name the source repository, most specific first. */
const SOURCE_KEYS = /^(source|source code|repository|code|github|git|homepage|home)$/i;

export async function* discoverPypi(options: PypiSourceOptions): AsyncGenerator<ServerRef> {
  const emitter = new RefEmitter(PYPI_SOURCE, options);
  try {
    options.signal?.throwIfAborted();
    for await (const raw of options.names) {
      const name = normalizePypiName(raw.trim());
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
        options.onSkip?.(`${raw} is not a PyPI project name`, raw);
        continue;
      }
      const project = await getPypiProject({ ...options, name });
      if (!project) {
        options.onSkip?.(`pypi/${name} does not exist`, raw);
        continue;
      }
      const ref = emitter.accept(pypiRef(name, project), project);
      if (ref) yield ref;
      if (emitter.done) return;
    }
  } catch (error) {
    throw sourceFailure(PYPI_SOURCE, error, options.signal);
  }
}

export function pypiRef(name: string, project: PypiProject) {
  const info = project.info ?? {};
  const urls = Object.entries(info.project_urls ?? {});
  const candidates = [
    ...urls.filter(([k]) => SOURCE_KEYS.test(k.trim())).map(([, v]) => v),
    ...(info.home_page ? [info.home_page] : []),
    ...urls.map(([, v]) => v),
  ];
  const gh = candidates.map((u) => parseGitHubUrl(u)).find((x) => x !== undefined);
  const homepage = info.home_page ?? urls.find(([k]) => /home/i.test(k))?.[1];
  return {
    id: gh ? githubId(gh.owner, gh.repo, gh.subdir) : `pypi/${idSegment(name)}`,
    name: info.name ?? name,
    ...(info.summary ? { description: info.summary } : {}),
    ...(gh ? { repositoryUrl: `https://github.com/${gh.owner}/${gh.repo}` } : {}),
    ...(homepage ? { homepageUrl: homepage } : {}),
    packages: [{ registry: 'pypi' as const, name, ...(info.version ? { version: info.version } : {}) }],
    ...(gh
      ? { github: { owner: gh.owner, repo: gh.repo, ...(gh.subdir ? { subdir: gh.subdir } : {}) } }
      : {}),
  };
}
