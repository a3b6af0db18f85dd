// Configuration is one table, parsed once by an entry point (CLI, site server). Libraries take the parsed
// values as arguments and never read process.env themselves.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (the directory holding package.json). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Kind = 'string' | 'number' | 'path';
interface Setting {
  env: string;
  kind: Kind;
  default: string | number | undefined;
  description: string;
  /** A number setting that may be 0 (which then means "off"). */
  zeroAllowed?: boolean;
}

/** The configuration table. README's configuration section lists exactly these rows. */
export const SETTINGS = {
  dbPath: {
    env: 'MCP_CATALOG_DB',
    kind: 'path',
    default: 'data/catalog.db',
    description: 'SQLite catalogue file (relative paths resolve against the project root).',
  },
  host: { env: 'HOST', kind: 'string', default: 'localhost', description: 'Address the site listens on.' },
  port: { env: 'PORT', kind: 'number', default: 4321, description: 'Port the site listens on.' },
  siteUrl: {
    env: 'MCP_CATALOG_SITE_URL',
    kind: 'string',
    default: undefined,
    description: 'Public origin for canonical URLs, sitemaps and OpenGraph (default: the request’s host).',
  },
  siteWorkers: {
    env: 'MCP_CATALOG_SITE_WORKERS',
    kind: 'number',
    default: 1,
    description: 'Processes serving the site on one port (rendering uses one core each).',
  },
  siteCacheMb: {
    env: 'MCP_CATALOG_SITE_CACHE_MB',
    kind: 'number',
    default: 256,
    zeroAllowed: true,
    description: 'Megabytes of rendered pages the site keeps until the catalogue changes; 0 turns it off.',
  },
  connectTimeoutS: {
    env: 'MCP_CATALOG_CONNECT_TIMEOUT',
    kind: 'number',
    default: 20,
    description: 'Seconds to wait for a live server to start and answer `initialize`.',
  },
  listTimeoutS: {
    env: 'MCP_CATALOG_LIST_TIMEOUT',
    kind: 'number',
    default: 60,
    description: 'Seconds allowed for listing all of a live server’s tools (all pages).',
  },
  maxReadMb: {
    env: 'MCP_CATALOG_MAX_READ_MB',
    kind: 'number',
    default: 256,
    description: 'Most megabytes read from one live server before the connection is dropped.',
  },
  concurrency: {
    env: 'MCP_CATALOG_CONCURRENCY',
    kind: 'number',
    default: 2,
    description: 'Servers introspected at once during a crawl.',
  },
  scratchDir: {
    env: 'MCP_CATALOG_SCRATCH',
    kind: 'path',
    default: 'data/scratch',
    description: 'Folder the default servers may use (filesystem root, memory file).',
  },
  githubToken: {
    env: 'GITHUB_TOKEN',
    kind: 'string',
    default: undefined,
    description: 'GitHub token; enables crawling GitHub sources.',
  },
  githubApiUrl: {
    env: 'GITHUB_API_URL',
    kind: 'string',
    default: 'https://api.github.com',
    description: 'GitHub REST/GraphQL base URL (point at a fake for tests).',
  },
  registryUrl: {
    env: 'MCP_REGISTRY_URL',
    kind: 'string',
    default: 'https://registry.modelcontextprotocol.io',
    description: 'Official MCP registry base URL.',
  },
  llmBaseUrl: {
    env: 'MCP_CATALOG_LLM_BASE_URL',
    kind: 'string',
    default: undefined,
    description: 'OpenAI-compatible endpoint for the optional LLM judge (off when unset).',
  },
  llmModel: {
    env: 'MCP_CATALOG_LLM_MODEL',
    kind: 'string',
    default: undefined,
    description: 'Model name for the LLM judge.',
  },
  llmApiKey: {
    env: 'MCP_CATALOG_LLM_API_KEY',
    kind: 'string',
    default: undefined,
    description: 'API key for the LLM judge endpoint.',
  },
} as const satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
type ValueOf<S extends Setting> = S['kind'] extends 'number' ? number : string;
export type Config = {
  [K in keyof Settings]: Settings[K]['default'] extends undefined
    ? ValueOf<Settings[K]> | undefined
    : ValueOf<Settings[K]>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the configuration from an environment (normally process.env) once, with clear errors. */
export function loadConfig(env: Record<string, string | undefined>, root = PROJECT_ROOT): Config {
  const out: Record<string, string | number | undefined> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [string, Setting][]) {
    const raw = env[setting.env];
    let value: string | number | undefined = raw === undefined || raw === '' ? setting.default : raw;
    if (value !== undefined && setting.kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || (n === 0 && !setting.zeroAllowed)) {
        const what = setting.zeroAllowed ? 'a number, 0 or more' : 'a positive number';
        throw new ConfigError(`${setting.env} must be ${what}, got "${String(raw)}"`);
      }
      value = n;
    }
    if (typeof value === 'string' && setting.kind === 'path') value = path.resolve(root, value);
    out[key] = value;
  }
  return out as Config;
}
