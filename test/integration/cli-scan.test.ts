// `mcp-catalog scan` on live servers: an installed MCP server over stdio, a Streamable HTTP endpoint, an
// old SSE-only endpoint; and the errors a user meets when the target is wrong.
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSseServer, startStreamableHttpServer } from '../fixtures/servers/http.mjs';
import { runCli } from '../helpers/cli.ts';

interface Out {
  tools: {
    name: string;
    description?: string;
    category: string;
    risk: string;
    rationale: string;
    inputSchema: unknown;
  }[];
}

const require = createRequire(import.meta.url);
const memoryEntry = path.join(
  path.dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist/index.js',
);

describe('mcp-catalog scan', () => {
  let streamable: { url: string; close: () => Promise<void> };
  let sse: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    streamable = await startStreamableHttpServer();
    sse = await startSseServer();
  });
  afterAll(async () => {
    await streamable?.close();
    await sse?.close();
  });

  it('--stdio lists every tool an installed server serves, each classified', async () => {
    // Listing writes nothing: the memory server touches its file only when a tool is called.
    const res = await runCli(['scan', '--stdio', `node "${memoryEntry}"`, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as Out;
    expect(out.tools.map((t) => t.name).sort()).toEqual([
      'add_observations',
      'create_entities',
      'create_relations',
      'delete_entities',
      'delete_observations',
      'delete_relations',
      'open_nodes',
      'read_graph',
      'search_nodes',
    ]);
    for (const t of out.tools) expect(t.rationale.length, t.name).toBeGreaterThan(20);
    expect(out.tools.find((t) => t.name === 'delete_entities')).toMatchObject({ category: 'Destructive' });
    expect(out.tools.find((t) => t.name === 'read_graph')).toMatchObject({ category: 'Read' });
  });

  it('scans a Streamable HTTP endpoint', async () => {
    const res = await runCli(['scan', streamable.url, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as Out;
    const monitoring = out.tools.find((t) => t.name === 'set_track_monitoring');
    expect(monitoring).toMatchObject({
      description: 'Set the monitoring mode of a track.',
      category: 'Write',
      risk: 'medium',
    });
    expect(out.tools.find((t) => t.name === 'track_fx_move')).toMatchObject({
      category: 'Write',
      risk: 'medium',
    });
  });

  it('falls back to SSE for an old server', async () => {
    const res = await runCli(['scan', sse.url, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect((JSON.parse(res.stdout) as Out).tools.map((t) => t.name)).toContain('track_fx_move');
  });

  it('prints a table and honours --fail-on', async () => {
    const res = await runCli(['scan', streamable.url, '--fail-on', 'medium']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/set_track_monitoring\s+Write\s+medium/);
    expect(res.stderr).toMatch(/at or above medium risk: .*set_track_monitoring/);
  });

  it('names the problem and exits 2 for a bad target', async () => {
    const missing = await runCli(['scan', '/no/such/dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/\/no\/such\/dir is not a directory, an http\(s\):\/\/ URL/);

    const shell = await runCli(['scan', '--stdio', 'node a.js | tee x']);
    expect(shell.code).toBe(2);
    expect(shell.stderr).toMatch(/not shell syntax/);

    const neither = await runCli(['scan']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/scan needs a target/);

    const notServer = await runCli(['scan', '--stdio', `node -e "process.exit(3)"`, '--timeout', '5']);
    expect(notServer.code).toBe(2);
    expect(notServer.stderr).toMatch(/mcp-catalog: .*(exit|crash)/i);
  });
});
