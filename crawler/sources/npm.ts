// npm packages as a discovery source: either the registry's search (`/-/v1/search`, paged by `from`, at
// most 250 a page) or a given list of names, each resolved through its latest manifest. A package whose
// `repository` is on GitHub carries a github ref (with `repository.directory` as the monorepo subfolder).
import type { ServerRef } from '../../data/model.ts';
import { HttpError, getJson, type HttpOptions } from '../http.ts';
import { getNpmManifest } from '../packages/npm.ts';
import { isNpmName } from '../packages/registry-names.ts';
import { parseGitHubUrl, normalizeSubdir } from './github-url.ts';
import { RefEmitter, SourceError, githubId, sourceFailure, type DiscoverOptions } from './source.ts';

export const NPM_SOURCE = 'npm';

export interface NpmSourceOptions
  extends DiscoverOptions, Pick<HttpOptions, 'fetch' | 'retries' | 'retryDelayMs'> {
  registryUrl: string;
  /** Search text, e.g. `keywords:mcp-server`. */
  search?: string;
  /** Or explicit package names. */
  names?: Iterable<string> | AsyncIterable<string>;
  pageSize?: number;
  /** Search results the registry serves at most (npm stops at 5,000 per query). */
  maxResults?: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export async function* discoverNpm(options: NpmSourceOptions): AsyncGenerator<ServerRef> {
  const emitter = new RefEmitter(NPM_SOURCE, options);
  const base = options.registryUrl.replace(/\/+$/, '');
  try {
    options.signal?.throwIfAborted();
    if (options.search !== undefined) {
      const size = Math.min(250, Math.max(1, options.pageSize ?? 250));
      const max = options.maxResults ?? 5000;
      for (let from = 0; from < max; from += size) {
        const url = `${base}/-/v1/search?text=${encodeURIComponent(options.search)}&size=${size}&from=${from}`;
        const page = await getJson(`${NPM_SOURCE} source`, url, options);
        if (!isObj(page) || !Array.isArray(page.objects))
          throw new SourceError(NPM_SOURCE, `search page ${url} has no objects`);
        for (const o of page.objects) {
          const pkg = isObj(o) && isObj(o.package) ? o.package : undefined;
          const links = pkg && isObj(pkg.links) ? pkg.links : {};
          const input = pkg ? npmRef(pkg, str(links.repository)) : undefined;
          if (!input) {
            options.onSkip?.('search result without a package name', o);
            continue;
          }
          const ref = emitter.accept(input, o);
          if (ref) yield ref;
          if (emitter.done) return;
        }
        const total = typeof page.total === 'number' ? page.total : 0;
        if (page.objects.length < size || from + size >= total) return;
      }
      return;
    }
    if (!options.names) throw new SourceError(NPM_SOURCE, 'needs `search` or `names`');
    for await (const name of options.names) {
      if (!isNpmName(name)) {
        options.onSkip?.(`${name} is not an npm package name`, name);
        continue;
      }
      const manifest = await getNpmManifest({ ...options, name });
      if (!manifest) {
        options.onSkip?.(`npm/${name} does not exist`, name);
        continue;
      }
      const input = npmRef(manifest as Json, undefined);
      const ref = input && emitter.accept(input, manifest);
      if (ref) yield ref;
      if (emitter.done) return;
    }
  } catch (error) {
    if (error instanceof HttpError && error.status === 404 && options.search !== undefined) {
      throw new SourceError(NPM_SOURCE, `registry ${base} has no search endpoint`, error);
    }
    throw sourceFailure(NPM_SOURCE, error, options.signal);
  }
}

/** A package manifest or search `package` object to a ref input. */
export function npmRef(pkg: Json, linkRepository: string | undefined) {
  const name = str(pkg.name);
  if (!name) return undefined;
  const repo = pkg.repository;
  const repoUrl = isObj(repo) ? str(repo.url) : str(repo);
  const repositoryUrl = repoUrl ?? linkRepository;
  const gh = repositoryUrl ? parseGitHubUrl(repositoryUrl) : undefined;
  const subdir = normalizeSubdir(isObj(repo) ? str(repo.directory) : undefined) ?? gh?.subdir;
  const description = str(pkg.description);
  const homepageUrl = str(pkg.homepage) ?? (isObj(pkg.links) ? str(pkg.links.homepage) : undefined);
  const version = str(pkg.version);
  return {
    // One server, one id across sources: a package with a GitHub repository is keyed by the repository.
    id: gh ? githubId(gh.owner, gh.repo, subdir) : `npm/${name}`,
    name,
    ...(description ? { description } : {}),
    ...(gh
      ? { repositoryUrl: `https://github.com/${gh.owner}/${gh.repo}` }
      : repositoryUrl
        ? { repositoryUrl }
        : {}),
    ...(homepageUrl ? { homepageUrl } : {}),
    packages: [{ registry: 'npm' as const, name, ...(version ? { version } : {}) }],
    ...(gh ? { github: { owner: gh.owner, repo: gh.repo, ...(subdir ? { subdir } : {}) } } : {}),
  };
}
