// A fake official MCP registry: `GET /v0.1/servers` (and `/v0/servers`) with cursor paging, `limit` ≤ 100,
// `updated_since` (which also returns deleted entries), `version=latest`, and a legacy mode that answers in
// the older snake_case shape (`next_cursor`, flat server objects) for compatibility tests.
import { startLocalServer, sendJson, takeFault, type Fault, type LocalServer } from './http-server.ts';

export interface FakeRegistryEntry {
  /** The server.json object (any shape: the fake passes it through). */
  server: Record<string, unknown>;
  status?: 'active' | 'deprecated' | 'deleted';
  updatedAt?: string;
  isLatest?: boolean;
}

export interface FakeRegistry extends LocalServer {
  entries: FakeRegistryEntry[];
  faults: Fault[];
  /** Answer in the pre-2025-09 shape. */
  legacy: boolean;
}

export async function startFakeRegistry(entries: FakeRegistryEntry[], legacy = false): Promise<FakeRegistry> {
  const fake = { entries, faults: [] as Fault[], legacy } as FakeRegistry;
  const state = fake;
  const server = await startLocalServer((_req, res, url) => {
    const fault = takeFault(state.faults, url.pathname);
    if (fault) {
      return sendJson(res, fault.status, fault.body ?? { title: 'injected', status: fault.status }, {
        ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
      });
    }
    if (!/^\/v0(\.1)?\/servers$/.test(url.pathname))
      return sendJson(res, 404, { title: 'Not Found', status: 404 });
    const limit = Number(url.searchParams.get('limit') ?? 30);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return sendJson(res, 422, {
        title: 'Unprocessable Entity',
        status: 422,
        detail: 'limit must be 1..100',
      });
    }
    const since = url.searchParams.get('updated_since');
    const latest = url.searchParams.get('version') === 'latest';
    const visible = state.entries.filter((e) => {
      if (since) return (e.updatedAt ?? '') > since;
      return e.status !== 'deleted' && (!latest || e.isLatest !== false);
    });
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const page = visible.slice(start, start + limit);
    const next = start + limit < visible.length ? String(start + limit) : undefined;
    const servers = page.map((e) => {
      const official = { status: e.status ?? 'active', updatedAt: e.updatedAt, isLatest: e.isLatest ?? true };
      return state.legacy
        ? { ...e.server, _meta: { 'io.modelcontextprotocol.registry/official': official } }
        : { server: e.server, _meta: { 'io.modelcontextprotocol.registry/official': official } };
    });
    const metadata = state.legacy
      ? { count: servers.length, ...(next ? { next_cursor: next } : {}) }
      : { count: servers.length, ...(next ? { nextCursor: next } : {}) };
    sendJson(res, 200, { servers, metadata });
  });
  return Object.assign(fake, server);
}
