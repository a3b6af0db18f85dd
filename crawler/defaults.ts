// The embedded default: real MCP servers installed from npm as dependencies, which start offline and need
// no keys, introspected live over stdio. Each runs as `node <its bin entry>` (no shell, no npx).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GitHubRef, ServerRef } from '../data/model.ts';

const require = createRequire(import.meta.url);

interface DefaultServer {
  pkg: string;
  name: string;
  description: string;
  /** Extra arguments after the entry point, and environment, given the scratch folder. */
  args?: (scratch: string) => string[];
  env?: (scratch: string) => Record<string, string>;
}

const DEFAULTS: DefaultServer[] = [
  {
    pkg: '@modelcontextprotocol/server-everything',
    name: 'Everything (reference server)',
    description:
      'The MCP reference test server: one of each protocol feature, with demo tools for echoing, ' +
      'arithmetic, long operations, sampling and resource links.',
  },
  {
    pkg: '@modelcontextprotocol/server-memory',
    name: 'Memory (reference server)',
    description:
      'A persistent knowledge graph of entities, relations and observations kept in a local file, ' +
      'which agents can search, extend and prune.',
    env: (scratch) => ({ MEMORY_FILE_PATH: path.join(scratch, 'memory.jsonl') }),
  },
  {
    pkg: '@modelcontextprotocol/server-filesystem',
    name: 'Filesystem (reference server)',
    description:
      'Reads, writes, edits, moves and searches files, confined to the directories it is started with ' +
      '(here a scratch folder).',
    args: (scratch) => [path.join(scratch, 'filesystem')],
  },
  {
    pkg: '@modelcontextprotocol/server-sequential-thinking',
    name: 'Sequential Thinking (reference server)',
    description:
      'A scratchpad for step-by-step reasoning: the agent records numbered thoughts, revises them and ' +
      'branches, without touching anything outside the session.',
  },
];

export class DefaultServerError extends Error {
  override name = 'DefaultServerError';
}

interface PackageJson {
  name?: string;
  version?: string;
  bin?: string | Record<string, string>;
  repository?: string | { url?: string; directory?: string };
  homepage?: string;
}

/** Find `<pkg>/package.json` even when the package's `exports` hide it. */
function packageJsonPath(pkg: string): string {
  try {
    return require.resolve(`${pkg}/package.json`);
  } catch {
    for (const dir of require.resolve.paths(pkg) ?? []) {
      const candidate = path.join(dir, pkg, 'package.json');
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new DefaultServerError(`default server package ${pkg} is not installed; run npm install`);
}

/** The entry file of the package's (first) bin. */
function binEntry(pkg: string, manifest: PackageJson, root: string): string {
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (!bin) throw new DefaultServerError(`default server package ${pkg} declares no bin entry`);
  return path.resolve(root, bin);
}

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`; undefined for anything not http(s). */
export function normalizeRepositoryUrl(repository: PackageJson['repository']): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository?.url;
  if (!raw) return undefined;
  let url = raw
    .trim()
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  if (/^github:/.test(url)) url = `https://github.com/${url.slice('github:'.length)}`;
  else if (/^[\w.-]+\/[\w.-]+$/.test(url)) url = `https://github.com/${url}`;
  url = url.replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@github\.com\//, 'https://github.com/');
  return /^https?:\/\//.test(url) ? url : undefined;
}

function githubRef(repositoryUrl: string | undefined, directory: string | undefined): GitHubRef | undefined {
  const match = repositoryUrl?.match(/^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/?$/);
  if (!match?.[1] || !match[2]) return undefined;
  const ref: GitHubRef = { owner: match[1], repo: match[2] };
  if (directory) ref.subdir = directory;
  return ref;
}

/**
 * The default servers, ready to crawl. Creates the scratch folders they use (the filesystem server's root,
 * the memory server's file lives beside it); nothing else on disk is given to them.
 */
export function defaultServers(opts: { scratchDir: string }): ServerRef[] {
  const scratch = path.resolve(opts.scratchDir);
  fs.mkdirSync(path.join(scratch, 'filesystem'), { recursive: true });
  return DEFAULTS.map((server) => {
    const manifestPath = packageJsonPath(server.pkg);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as PackageJson;
    const entry = binEntry(server.pkg, manifest, path.dirname(manifestPath));
    const repositoryUrl = normalizeRepositoryUrl(manifest.repository);
    const directory = typeof manifest.repository === 'object' ? manifest.repository.directory : undefined;
    const ref: ServerRef = {
      id: `npm/${server.pkg}`,
      name: server.name,
      description: server.description,
      source: 'default',
      packages: [
        { registry: 'npm', name: server.pkg, ...(manifest.version ? { version: manifest.version } : {}) },
      ],
      launch: {
        transport: 'stdio',
        command: process.execPath,
        args: [entry, ...(server.args?.(scratch) ?? [])],
        cwd: scratch,
        ...(server.env ? { env: server.env(scratch) } : {}),
      },
    };
    if (repositoryUrl) ref.repositoryUrl = repositoryUrl;
    if (manifest.homepage && /^https?:\/\//.test(manifest.homepage)) ref.homepageUrl = manifest.homepage;
    const github = githubRef(repositoryUrl, directory);
    if (github) ref.github = github;
    return ref;
  });
}
