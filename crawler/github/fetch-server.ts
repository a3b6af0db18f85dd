// One ServerRef → one FetchOutcome, whatever the ref points at: a GitHub repository (or monorepo
// subfolder) first, else its npm package, else its PyPI project. A ref with none of these (a hosted
// endpoint, a registry name only) has no source to fetch; live introspection is its path.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerRef } from '../../data/model.ts';
import type { HttpOptions } from '../http.ts';
import { fetchNpmPackage } from '../packages/npm.ts';
import { fetchPypiPackage } from '../packages/pypi.ts';
import type { GitHubFetcher } from './fetcher.ts';
import type { FetchOutcome } from './outcome.ts';

export interface SourceFetchers extends Pick<HttpOptions, 'fetch' | 'retries' | 'retryDelayMs'> {
  github?: GitHubFetcher;
  npmRegistryUrl?: string;
  pypiBaseUrl?: string;
  /** Package trees are extracted under here. */
  workDir: string;
}

export async function fetchServerSource(
  ref: ServerRef,
  ctx: SourceFetchers,
  options: { known?: string; signal?: AbortSignal } = {},
): Promise<FetchOutcome> {
  const common = {
    ...(options.known !== undefined ? { known: options.known } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (ref.github && ctx.github) return ctx.github.fetch({ github: ref.github, id: ref.id, ...common });
  const npm = ref.packages.find((p) => p.registry === 'npm');
  const pypi = ref.packages.find((p) => p.registry === 'pypi');
  const http = {
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(ctx.retries !== undefined ? { retries: ctx.retries } : {}),
    ...(ctx.retryDelayMs !== undefined ? { retryDelayMs: ctx.retryDelayMs } : {}),
  };
  if (npm && ctx.npmRegistryUrl) {
    const dest = await freshDir(ctx.workDir, 'npm', npm.name);
    return fetchNpmPackage({ registryUrl: ctx.npmRegistryUrl, name: npm.name, dest, ...http, ...common });
  }
  if (pypi && ctx.pypiBaseUrl) {
    const dest = await freshDir(ctx.workDir, 'pypi', pypi.name);
    return fetchPypiPackage({ baseUrl: ctx.pypiBaseUrl, name: pypi.name, dest, ...http, ...common });
  }
  return {
    status: 'gone',
    reason: 'no-source',
    detail: `${ref.id}: no GitHub repository or package to fetch${ref.launch ? ' (introspect it live)' : ''}`,
  };
}

async function freshDir(workDir: string, kind: string, name: string): Promise<string> {
  const dir = path.join(workDir, kind, name.replace(/[^A-Za-z0-9._-]+/g, '__'));
  await fs.rm(dir, { recursive: true, force: true });
  return dir;
}
