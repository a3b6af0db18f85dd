// The official MCP registry (`GET /v0.1/servers`): cursor pages of ≤ 100, `updated_since` for incremental
// sync, both the current camelCase server.json and the older snake_case one, and deletions reported
// through `onDeleted` (a deleted server is not a ServerRef; the catalogue tombstones it).
import type { PackageRef, ServerRef, ServerRefInput, Launch } from '../../data/model.ts';
import { getJson, type HttpOptions } from '../http.ts';
import { parseGitHubUrl, normalizeSubdir } from './github-url.ts';
import {
  RefEmitter,
  SourceError,
  githubId,
  idSegment,
  sourceFailure,
  type DiscoverOptions,
} from './source.ts';

export const REGISTRY_SOURCE = 'registry';
const OFFICIAL = 'io.modelcontextprotocol.registry/official';

export interface RegistryOptions
  extends DiscoverOptions, Pick<HttpOptions, 'fetch' | 'retries' | 'retryDelayMs'> {
  /** e.g. https://registry.modelcontextprotocol.io */
  baseUrl: string;
  /** Page size, clamped to 1..100 as the API allows. */
  pageSize?: number;
  /** RFC 3339 time; only servers changed since (including deletions). */
  updatedSince?: string;
  /** API prefix; `v0.1` by default, `v0` for older deployments. */
  apiVersion?: 'v0' | 'v0.1';
  /** A server the registry marks deleted; `id` is the id it had when it was active. */
  onDeleted?: (name: string, id: string) => void;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

export async function* discoverRegistry(options: RegistryOptions): AsyncGenerator<ServerRef> {
  const emitter = new RefEmitter(REGISTRY_SOURCE, options);
  const limit = Math.min(100, Math.max(1, options.pageSize ?? 100));
  const base = options.baseUrl.replace(/\/+$/, '');
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  try {
    do {
      const url = new URL(`${base}/${options.apiVersion ?? 'v0.1'}/servers`);
      url.searchParams.set('limit', String(limit));
      if (cursor) url.searchParams.set('cursor', cursor);
      if (options.updatedSince) url.searchParams.set('updated_since', options.updatedSince);
      else url.searchParams.set('version', 'latest');
      const page = await getJson(`${REGISTRY_SOURCE} source`, url.toString(), options);
      if (!isObj(page) || !Array.isArray(page.servers)) {
        throw new SourceError(REGISTRY_SOURCE, `page ${url} has no servers array`);
      }
      for (const item of page.servers) {
        const entry = readEntry(item);
        if (!entry) {
          options.onSkip?.('registry entry without a server name', item);
          continue;
        }
        // With updated_since the registry returns every changed version; only the latest describes the server.
        if (entry.isLatest === false) continue;
        if (entry.status === 'deleted') {
          options.onDeleted?.(entry.name, entry.ref.id);
          continue;
        }
        const ref = emitter.accept(entry.ref, item);
        if (ref) yield ref;
        if (emitter.done) return;
      }
      const meta = isObj(page.metadata) ? page.metadata : {};
      cursor = str(meta.nextCursor) ?? str(meta.next_cursor);
      if (cursor !== undefined) {
        if (seenCursors.has(cursor)) throw new SourceError(REGISTRY_SOURCE, `cursor ${cursor} repeats`);
        seenCursors.add(cursor);
      }
    } while (cursor !== undefined);
  } catch (error) {
    throw sourceFailure(REGISTRY_SOURCE, error, options.signal);
  }
}

interface Entry {
  name: string;
  status: string;
  isLatest?: boolean;
  ref: Omit<ServerRefInput, 'source'> & { id: string };
}

/** One list item, current (`{server, _meta}`) or old (the server object itself), to a ref input. */
export function readEntry(item: unknown): Entry | undefined {
  if (!isObj(item)) return undefined;
  const server = isObj(item.server) ? item.server : item;
  const name = str(server.name);
  if (!name) return undefined;
  const official = [item._meta, server._meta]
    .map((m) => (isObj(m) && isObj(m[OFFICIAL]) ? m[OFFICIAL] : undefined))
    .find(Boolean);
  const status = str(official?.status) ?? str(server.status) ?? 'active';

  const repository = isObj(server.repository) ? server.repository : {};
  const repositoryUrl = str(repository.url);
  const gh = repositoryUrl ? parseGitHubUrl(repositoryUrl) : undefined;
  const subdir = normalizeSubdir(str(repository.subfolder)) ?? gh?.subdir;
  const packages = readPackages(server.packages);
  const launch = readRemote(server.remotes);

  let id: string;
  if (gh) id = githubId(gh.owner, gh.repo, subdir);
  else if (packages[0] && (packages[0].registry === 'npm' || packages[0].registry === 'pypi'))
    id = `${packages[0].registry}/${idSegment(packages[0].name)}`;
  else id = `registry/${idSegment(name)}`;

  const description = str(server.description);
  const homepageUrl = str(server.websiteUrl) ?? str(server.website_url);
  const isLatest = typeof official?.isLatest === 'boolean' ? official.isLatest : undefined;
  return {
    name,
    status,
    ...(isLatest !== undefined ? { isLatest } : {}),
    ref: {
      id,
      name: str(server.title) ?? name,
      ...(description ? { description } : {}),
      ...(repositoryUrl ? { repositoryUrl } : {}),
      ...(homepageUrl ? { homepageUrl } : {}),
      packages,
      ...(gh ? { github: { owner: gh.owner, repo: gh.repo, ...(subdir ? { subdir } : {}) } } : {}),
      ...(launch ? { launch } : {}),
    },
  };
}

const REGISTRY_TYPES: Record<string, PackageRef['registry']> = {
  npm: 'npm',
  pypi: 'pypi',
  oci: 'oci',
  docker: 'oci',
  nuget: 'nuget',
  cargo: 'cargo',
};

function readPackages(raw: unknown): PackageRef[] {
  if (!Array.isArray(raw)) return [];
  const out: PackageRef[] = [];
  for (const p of raw) {
    if (!isObj(p)) continue;
    // camelCase: registryType + identifier; snake_case: registry_name + name.
    const type = str(p.registryType) ?? str(p.registry_type) ?? str(p.registry_name);
    const name = str(p.identifier) ?? str(p.name);
    if (!type || !name) continue;
    const version = str(p.version);
    out.push({
      registry: REGISTRY_TYPES[type.toLowerCase()] ?? 'other',
      name,
      ...(version ? { version } : {}),
    });
  }
  return out;
}

/** The first remote whose URL is concrete (not a `{var}` template) becomes an HTTP launch. */
function readRemote(raw: unknown): Launch | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (const r of raw) {
    if (!isObj(r)) continue;
    const type = str(r.type) ?? str(r.transport_type);
    const url = str(r.url);
    if (!url || url.includes('{') || (type !== 'streamable-http' && type !== 'sse')) continue;
    try {
      new URL(url);
    } catch {
      continue;
    }
    return { transport: 'http', url };
  }
  return undefined;
}
