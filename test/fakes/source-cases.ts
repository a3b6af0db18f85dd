// The cases the shared source contract (test/integration/sources-contract.test.ts) runs: each sets up
// its source against a local fake or fixture file, and offers a broken variant that must fail fatally.
import path from 'node:path';
import type { ServerRef } from '../../data/model.ts';
import type { DiscoverOptions } from '../../crawler/sources/source.ts';
import { discoverRegistry } from '../../crawler/sources/registry.ts';
import { discoverSeed } from '../../crawler/sources/seed.ts';
import { discoverMarkdown } from '../../crawler/sources/markdown.ts';
import { discoverNpm } from '../../crawler/sources/npm.ts';
import { discoverPypi } from '../../crawler/sources/pypi.ts';
import { discoverGitHubSearch } from '../../crawler/sources/github-search.ts';
import { createGitHubClient } from '../../crawler/github/client.ts';
import { startFakeGitHub } from './github.ts';
import { startFakeRegistry, type FakeRegistryEntry } from './registry.ts';
import { startFakeNpm, startFakePypi, type FakePackage } from './packages.ts';

export const SOURCE_FIXTURES = path.join(import.meta.dirname, '../fixtures/sources');

export interface SourceHarness {
  discover(options: DiscoverOptions): AsyncIterable<ServerRef>;
  /** The same source set up to fail as a whole. */
  broken(): AsyncIterable<ServerRef>;
  /** Requests the source has made so far (0 for file sources). */
  requests(): number;
  close(): Promise<void>;
}

export interface SourceCase {
  name: string;
  sourceName: string;
  /** Whether results come in several requests, so an early break must save some. */
  paged: boolean;
  fatalMessage: RegExp;
  setup(): Promise<SourceHarness>;
}

/** Registry entries in the current shape, one of them deleted. */
export function registryEntries(): FakeRegistryEntry[] {
  const gh = (n: number) => ({
    server: {
      name: `io.github.acme/server-${n}`,
      description: `Server ${n}`,
      version: '1.0.0',
      repository: { url: `https://github.com/acme/server-${n}`, source: 'github' },
    },
    updatedAt: `2026-01-0${n}T00:00:00Z`,
  });
  return [gh(1), gh(2), gh(3), { ...gh(4), status: 'deleted' }, gh(5), gh(6)];
}

const noFiles = () => 0;

/** Packages for the npm and PyPI fakes: with and without a GitHub repository, one in a monorepo. */
export function samplePackages(): FakePackage[] {
  return [
    {
      name: '@acme/weather-mcp',
      version: '1.2.0',
      description: 'mcp weather server',
      repository: { type: 'git', url: 'git+https://github.com/Acme-Labs/weather-mcp.git' },
      files: {
        'package.json': '{"name":"@acme/weather-mcp"}',
        'dist/index.js': 'server.tool("get_forecast")',
      },
    },
    {
      name: 'acme-notes-mcp',
      version: '0.3.1',
      description: 'mcp notes server',
      repository: { type: 'git', url: 'https://github.com/acme-labs/tools.git', directory: 'servers/notes' },
      projectUrls: { Source: 'https://github.com/acme-labs/tools/tree/main/servers/notes' },
      files: { 'README.md': 'notes', 'src/server.py': '@mcp.tool()\ndef add_note(): ...' },
    },
    {
      name: 'acme-only-mcp',
      version: '2.0.0',
      description: 'mcp server without a repository',
      files: { 'index.js': '' },
    },
    {
      name: 'acme-py_only.mcp',
      version: '0.1.0',
      description: 'mcp python only',
      files: { 'pkg/server.py': '' },
    },
  ];
}

export const sourceCases: SourceCase[] = [
  {
    name: 'registry',
    sourceName: 'registry',
    paged: true,
    fatalMessage: /HTTP 500/,
    async setup() {
      const fake = await startFakeRegistry(registryEntries());
      return {
        discover: (o) => discoverRegistry({ ...o, baseUrl: fake.url, pageSize: 2 }),
        broken: () => {
          fake.faults.push({ match: /servers/, status: 500, times: 2 });
          return discoverRegistry({ baseUrl: fake.url, retries: 1, retryDelayMs: 1 });
        },
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'registry (legacy snake_case shape)',
    sourceName: 'registry',
    paged: true,
    fatalMessage: /not JSON|no servers array/,
    async setup() {
      const fake = await startFakeRegistry(registryEntries(), true);
      return {
        discover: (o) => discoverRegistry({ ...o, baseUrl: fake.url, pageSize: 2 }),
        broken: () => {
          fake.faults.push({ match: /servers/, status: 200, times: 1, body: { items: [] } });
          return discoverRegistry({ baseUrl: fake.url });
        },
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'seed (JSON lines)',
    sourceName: 'seed',
    paged: false,
    fatalMessage: /does not exist/,
    async setup() {
      const file = path.join(SOURCE_FIXTURES, 'seed-sample.jsonl');
      return {
        discover: (o) => discoverSeed({ ...o, file }),
        broken: () => discoverSeed({ file: path.join(SOURCE_FIXTURES, 'missing.jsonl') }),
        requests: noFiles,
        close: async () => {},
      };
    },
  },
  {
    name: 'markdown (awesome list)',
    sourceName: 'markdown',
    paged: false,
    fatalMessage: /does not exist/,
    async setup() {
      const file = path.join(SOURCE_FIXTURES, 'awesome-sample.md');
      return {
        discover: (o) => discoverMarkdown({ ...o, file }),
        broken: () => discoverMarkdown({ file: path.join(SOURCE_FIXTURES, 'missing.md') }),
        requests: noFiles,
        close: async () => {},
      };
    },
  },
  {
    name: 'npm (search)',
    sourceName: 'npm',
    paged: true,
    fatalMessage: /HTTP 503/,
    async setup() {
      const fake = await startFakeNpm(samplePackages());
      return {
        discover: (o) => discoverNpm({ ...o, registryUrl: fake.url, search: 'mcp', pageSize: 1 }),
        broken: () => {
          fake.faults.push({ match: /search/, status: 503, times: 2 });
          return discoverNpm({ registryUrl: fake.url, search: 'mcp', retries: 1, retryDelayMs: 1 });
        },
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'npm (names)',
    sourceName: 'npm',
    paged: true,
    fatalMessage: /not JSON/,
    async setup() {
      const fake = await startFakeNpm(samplePackages());
      const names = samplePackages().map((p) => p.name);
      return {
        discover: (o) => discoverNpm({ ...o, registryUrl: fake.url, names }),
        broken: () => {
          fake.faults.push({ match: /acme/, status: 200, times: 1, body: '<html>maintenance</html>' });
          return discoverNpm({ registryUrl: fake.url, names, retries: 0 });
        },
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'pypi (names)',
    sourceName: 'pypi',
    paged: true,
    fatalMessage: /HTTP 500/,
    async setup() {
      const fake = await startFakePypi(samplePackages().filter((p) => !p.name.startsWith('@')));
      const names = ['acme-notes-mcp', 'ACME_only-mcp', 'acme-py-only-mcp', 'does-not-exist'];
      return {
        discover: (o) => discoverPypi({ ...o, baseUrl: fake.url, names }),
        broken: () => {
          fake.faults.push({ match: /pypi/, status: 500, times: 2 });
          return discoverPypi({ baseUrl: fake.url, names, retries: 1, retryDelayMs: 1 });
        },
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'github search (code + topics)',
    sourceName: 'github',
    paged: true,
    fatalMessage: /code search needs a GitHub token/,
    async setup() {
      const fake = await startFakeGitHub();
      for (let i = 0; i < 250; i++) {
        fake.addRepo({
          owner: `org${i % 7}`,
          name: `server-${i}`,
          topics: ['mcp-server'],
          createdAt: `2025-0${1 + (i % 9)}-15T00:00:00Z`,
          files:
            i % 50 === 0
              ? { 'src/index.ts': "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';" }
              : {},
        });
      }
      const client = createGitHubClient({ baseUrl: fake.url, token: 't', timeUnitMs: 1, searchMinTimeMs: 0 });
      const base = {
        client,
        codeQueries: ['"@modelcontextprotocol/sdk/server" language:TypeScript'],
        repoQueries: ['topic:mcp-server'],
      };
      return {
        discover: (o) => discoverGitHubSearch({ ...o, ...base }),
        broken: () =>
          discoverGitHubSearch({
            ...base,
            client: createGitHubClient({ baseUrl: fake.url, timeUnitMs: 1, searchMinTimeMs: 0 }),
          }),
        requests: () => fake.log.length,
        close: () => fake.close(),
      };
    },
  },
];
