// The official-registry source against the fake registry: both server.json shapes, deletions, subfolders,
// packages and remotes, updated_since, and retries that honour Retry-After.
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerRef } from '../../data/model.ts';
import { discoverRegistry, readEntry } from '../../crawler/sources/registry.ts';
import { startFakeRegistry, type FakeRegistry } from '../fakes/registry.ts';

const current = {
  name: 'io.github.acme/notes',
  title: 'Acme Notes',
  description: 'Notes server',
  version: '1.0.0',
  websiteUrl: 'https://acme.example/notes',
  repository: { url: 'https://github.com/Acme-Labs/tools', source: 'github', subfolder: 'servers/notes' },
  packages: [
    { registryType: 'npm', identifier: '@acme/notes', version: '1.0.0', transport: { type: 'stdio' } },
    { registryType: 'oci', identifier: 'docker.io/acme/notes', version: '1.0.0' },
  ],
  remotes: [
    { type: 'streamable-http', url: 'https://{tenant}.acme.example/mcp' },
    { type: 'streamable-http', url: 'https://mcp.acme.example/notes' },
  ],
};
const legacy = {
  id: 'b1d0e6a0',
  name: 'io.github.acme/legacy',
  description: 'Old shape',
  version_detail: { version: '0.1.0', release_date: '2025-05-01T00:00:00Z', is_latest: true },
  repository: { url: '', source: '' },
  packages: [{ registry_name: 'pypi', name: 'acme-legacy', version: '0.1.0', runtime_hint: 'uvx' }],
  remotes: [{ transport_type: 'sse', url: 'https://legacy.acme.example/sse' }],
};
const remoteOnly = {
  name: 'com.acme/hosted',
  description: 'Hosted only',
  version: '2.0.0',
  remotes: [{ type: 'sse', url: 'https://h.acme.example/sse' }],
};

async function all(it: AsyncIterable<ServerRef>) {
  const out: ServerRef[] = [];
  for await (const r of it) out.push(r);
  return out;
}

const fakes: FakeRegistry[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));
async function fake(...args: Parameters<typeof startFakeRegistry>) {
  const f = await startFakeRegistry(...args);
  fakes.push(f);
  return f;
}

describe('registry source', () => {
  it('maps the current shape: github id with subfolder, packages, the first concrete remote', () => {
    const e = readEntry({
      server: current,
      _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active' } },
    });
    expect(e?.ref).toEqual({
      id: 'github:acme-labs/tools/servers/notes',
      name: 'Acme Notes',
      description: 'Notes server',
      repositoryUrl: 'https://github.com/Acme-Labs/tools',
      homepageUrl: 'https://acme.example/notes',
      packages: [
        { registry: 'npm', name: '@acme/notes', version: '1.0.0' },
        { registry: 'oci', name: 'docker.io/acme/notes', version: '1.0.0' },
      ],
      github: { owner: 'Acme-Labs', repo: 'tools', subdir: 'servers/notes' },
      launch: { transport: 'http', url: 'https://mcp.acme.example/notes' },
    });
  });

  it('maps the old snake_case shape, keyed by its PyPI package', () => {
    const e = readEntry(legacy);
    expect(e?.ref).toMatchObject({
      id: 'pypi/acme-legacy',
      packages: [{ registry: 'pypi', name: 'acme-legacy', version: '0.1.0' }],
      launch: { transport: 'http', url: 'https://legacy.acme.example/sse' },
    });
    expect(e?.status).toBe('active');
  });

  it('pages through both shapes, skips deleted servers and reports them', async () => {
    for (const isLegacy of [false, true]) {
      const entries = [
        { server: current, updatedAt: '2026-02-01T00:00:00Z' },
        { server: isLegacy ? legacy : { ...legacy, packages: [] }, updatedAt: '2026-02-02T00:00:00Z' },
        { server: remoteOnly, updatedAt: '2026-02-03T00:00:00Z' },
        {
          server: { name: 'com.acme/gone', repository: { url: 'https://github.com/acme/gone' } },
          status: 'deleted' as const,
          updatedAt: '2026-02-04T00:00:00Z',
        },
      ];
      const f = await fake(entries, isLegacy);
      const deleted: string[] = [];
      const refs = await all(
        discoverRegistry({
          baseUrl: f.url,
          pageSize: 1,
          updatedSince: '2026-01-01T00:00:00Z',
          onDeleted: (n, id) => deleted.push(`${n} ${id}`),
        }),
      );
      expect(refs.map((r) => r.id)).toEqual([
        'github:acme-labs/tools/servers/notes',
        isLegacy ? 'pypi/acme-legacy' : 'registry/io.github.acme/legacy',
        'registry/com.acme/hosted',
      ]);
      expect(deleted).toEqual(['com.acme/gone github:acme/gone']);
      expect(f.log.every((l) => l.includes('limit=1') && l.includes('updated_since='))).toBe(true);
      expect(f.log).toHaveLength(4);
    }
  });

  it('with updated_since keeps only the latest version of each server', async () => {
    const f = await fake([
      {
        server: { ...current, version: '0.9.0', description: 'Old text' },
        isLatest: false,
        updatedAt: '2026-03-01T00:00:00Z',
      },
      { server: current, isLatest: true, updatedAt: '2026-03-02T00:00:00Z' },
    ]);
    const refs = await all(discoverRegistry({ baseUrl: f.url, updatedSince: '2026-02-01T00:00:00Z' }));
    expect(refs.map((r) => r.description)).toEqual(['Notes server']);
  });

  it('without updated_since asks for latest versions only and never sees deletions', async () => {
    const f = await fake([
      { server: current },
      { server: { ...current, version: '0.9.0' }, isLatest: false },
      { server: remoteOnly, status: 'deleted' },
    ]);
    const refs = await all(discoverRegistry({ baseUrl: f.url, pageSize: 500 }));
    expect(refs).toHaveLength(1);
    expect(f.log[0]).toContain('limit=100');
    expect(f.log[0]).toContain('version=latest');
  });

  it('waits out a 429 with Retry-After and carries on', async () => {
    const f = await fake([{ server: current }, { server: remoteOnly }]);
    f.faults.push({ match: /servers/, status: 429, times: 1, retryAfter: 0 });
    const refs = await all(discoverRegistry({ baseUrl: f.url, retryDelayMs: 60_000 }));
    expect(refs).toHaveLength(2);
    expect(f.log).toHaveLength(2);
  });

  it('fails on a cursor that repeats instead of looping forever', async () => {
    const f = await fake([{ server: current }, { server: remoteOnly }]);
    f.faults.push({
      match: /servers/,
      status: 200,
      times: 5,
      body: { servers: [], metadata: { nextCursor: 'same' } },
    });
    await expect(all(discoverRegistry({ baseUrl: f.url }))).rejects.toThrow(
      /registry source: cursor same repeats/,
    );
  });
});
