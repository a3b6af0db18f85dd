// The JSON-lines seed list (../shared/data/servers-seed.jsonl, format in its README): one record per
// server, keyed by GitHub repo or by npm/PyPI/registry name or URL. A monorepo record fans out into one
// ref per subfolder, since servers are crawled and classified per subfolder.
import fs from 'node:fs';
import readline from 'node:readline';
import type { Launch, PackageRef, ServerRef, ServerRefInput } from '../../data/model.ts';
import { normalizeSubdir } from './github-url.ts';
import {
  RefEmitter,
  SourceError,
  githubId,
  idSegment,
  sourceFailure,
  type DiscoverOptions,
} from './source.ts';

export const SEED_SOURCE = 'seed';

export type SeedKind = 'github' | 'npm' | 'pypi' | 'registry' | 'url';

export interface SeedOptions extends DiscoverOptions {
  /** Path of a `servers-seed.jsonl` file. */
  file: string;
  /** Only records of these kinds (by their key); all by default. */
  kinds?: readonly SeedKind[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const strs = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export async function* discoverSeed(options: SeedOptions): AsyncGenerator<ServerRef> {
  const emitter = new RefEmitter(SEED_SOURCE, options);
  let stream: fs.ReadStream | undefined;
  let lines: readline.Interface | undefined;
  try {
    options.signal?.throwIfAborted();
    stream = fs.createReadStream(options.file, { encoding: 'utf8', signal: options.signal });
    lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
    let lineNo = 0;
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        options.onSkip?.(`line ${lineNo} is not JSON`, line.slice(0, 200));
        continue;
      }
      const refs = seedRecordToRefs(record);
      if (refs.length === 0) options.onSkip?.(`line ${lineNo} names no usable server`, record);
      for (const input of refs) {
        if (options.kinds && !options.kinds.includes(kindOf(input.id))) continue;
        const ref = emitter.accept(input, record);
        if (ref) yield ref;
        if (emitter.done) return;
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SourceError(SEED_SOURCE, `seed file ${options.file} does not exist`, error);
    }
    throw sourceFailure(SEED_SOURCE, error, options.signal);
  } finally {
    lines?.close();
    stream?.destroy();
  }
}

function kindOf(id: string): SeedKind {
  if (id.startsWith('github:')) return 'github';
  if (id.startsWith('npm/')) return 'npm';
  if (id.startsWith('pypi/')) return 'pypi';
  if (id.startsWith('registry/')) return 'registry';
  return 'url';
}

type RefInput = Omit<ServerRefInput, 'source'> & { id: string };

const PACKAGE_KEYS: Record<string, PackageRef['registry']> = {
  npm: 'npm',
  pypi: 'pypi',
  oci: 'oci',
  nuget: 'nuget',
  cargo: 'cargo',
};

/** One seed record to its refs: one per monorepo subfolder, else one. */
export function seedRecordToRefs(record: unknown): RefInput[] {
  if (!isObj(record)) return [];
  const key = str(record.id);
  if (!key) return [];
  const name = str(record.name) ?? key;
  const description = str(record.description);
  const url = str(record.url);
  const packages = readPackages(record);
  const launch = readRemote(record.remotes);
  const common = {
    name,
    ...(description ? { description } : {}),
    packages,
    ...(launch ? { launch } : {}),
  };

  const repo = str(record.repo);
  const [owner, repoName, ...extra] = repo?.split('/') ?? [];
  if (owner && repoName && extra.length === 0) {
    const repositoryUrl = `https://github.com/${owner}/${repoName}`;
    const subfolders = strs(record.subfolders)
      .map((s) => normalizeSubdir(s))
      .filter((s): s is string => s !== undefined);
    const single = subfolders.length <= 1;
    const targets: (string | undefined)[] = subfolders.length ? subfolders : [undefined];
    return targets.map((subdir) => ({
      ...common,
      id: githubId(owner, repoName, subdir),
      // With several subfolders the record's name belongs to one of them; name each by its folder.
      name: single || !subdir ? name : `${name.split(' (')[0]} — ${subdir.split('/').pop() ?? subdir}`,
      repositoryUrl,
      github: { owner, repo: repoName, ...(subdir ? { subdir } : {}) },
    }));
  }

  const homepageUrl = url && !url.startsWith('https://github.com/') ? url : undefined;
  const withHome = { ...common, ...(homepageUrl ? { homepageUrl } : {}) };
  const colon = key.indexOf(':');
  const prefix = colon > 0 ? key.slice(0, colon) : '';
  const rest = key.slice(colon + 1);
  if (prefix === 'npm' || prefix === 'pypi' || prefix === 'registry' || prefix === 'url') {
    return [{ ...withHome, id: `${prefix}/${idSegment(rest)}` }];
  }
  return [];
}

function readPackages(record: Json): PackageRef[] {
  const out: PackageRef[] = [];
  const pk = isObj(record.packages) ? record.packages : {};
  for (const [key, names] of Object.entries(pk)) {
    for (const name of strs(names)) out.push({ registry: PACKAGE_KEYS[key] ?? 'other', name });
  }
  const npm = str(record.npm);
  if (npm && !out.some((p) => p.registry === 'npm' && p.name === npm))
    out.unshift({ registry: 'npm', name: npm });
  return out;
}

function readRemote(raw: unknown): Launch | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (const r of raw) {
    if (!isObj(r)) continue;
    const url = str(r.url);
    if (!url || url.includes('{') || !/^https?:\/\//.test(url)) continue;
    return { transport: 'http', url };
  }
  return undefined;
}
