// Live introspection against real MCP servers: the fixture DAW over Streamable HTTP and over old HTTP+SSE
// (fallback), and stdio fixtures that probe the transport's guarantees (environment, process group, byte
// cap, deadlines, exits). Everything runs on 127.0.0.1 or stdio.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CrawlError, CrawlTimeoutError, toCrawlError } from '../../crawler/errors.ts';
import { checkTool, introspect, processGroupAlive, quoteExcerpt } from '../../crawler/live/index.ts';
import type { Launch } from '../../data/model.ts';
import { DAW_TOOL_NAMES } from '../fixtures/servers/daw.mjs';
import { startSseServer, startStreamableHttpServer } from '../fixtures/servers/http.mjs';
import { fixtureLaunch } from '../helpers/servers.ts';
import { tempDir } from '../helpers/tmp.ts';

const BASE = { connectTimeoutS: 10, listTimeoutS: 30, maxReadBytes: 64 * 1024 * 1024 };

async function failureOf(launch: Launch, options: Partial<typeof BASE> & { label?: string } = {}) {
  try {
    await introspect(launch, { label: 'probe', ...BASE, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(CrawlError);
    return error as CrawlError;
  }
  throw new Error('introspect was expected to fail');
}

/** State letter of a process per /proc, or undefined when it no longer exists. */
function processState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

describe('HTTP introspection', () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('lists every tool of a Streamable HTTP server and records what it says about itself', async () => {
    const server = await startStreamableHttpServer();
    servers.push(server);
    const result = await introspect({ transport: 'http', url: server.url }, { label: 'daw-http', ...BASE });
    expect(result.transport).toBe('streamable-http');
    expect(result.tools.map((t) => t.name)).toEqual(DAW_TOOL_NAMES);
    expect(result.info).toMatchObject({
      name: 'tiny-daw',
      version: '0.3.1',
      title: 'Tiny DAW',
      instructions: 'A small test session with four tracks. Track numbers start at 1.',
    });
    expect(result.info.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const move = result.tools.find((t) => t.name === 'track_fx_move');
    expect(move?.description).toBe("Move an FX plugin to a new position within the same track's FX chain.");
    expect(Object.keys(move?.inputSchema.properties ?? {})).toEqual(['track', 'from_index', 'to_index']);
  });

  it('falls back to the old HTTP+SSE transport when the server refuses the Streamable HTTP POST', async () => {
    const server = await startSseServer();
    servers.push(server);
    const result = await introspect({ transport: 'http', url: server.url }, { label: 'daw-sse', ...BASE });
    expect(result.transport).toBe('sse');
    expect(result.tools.map((t) => t.name)).toEqual(DAW_TOOL_NAMES);
    expect(result.info.name).toBe('tiny-daw');
  });

  it('fails with kind "http" naming the server when nothing listens', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const error = await failureOf(
      { transport: 'http', url: `http://127.0.0.1:${port}/mcp` },
      { label: 'gone' },
    );
    expect(error.kind).toBe('http');
    expect(error.message).toMatch(/^gone: /);
    expect(error.retryable).toBe(true);
  });

  it('reports both attempts when neither Streamable HTTP nor the SSE fallback answers', async () => {
    const server = await startStreamableHttpServer();
    servers.push(server);
    const wrongPath = server.url.replace(/\/mcp$/, '/nope');
    const error = await failureOf({ transport: 'http', url: wrongPath }, { label: 'wrong-path' });
    expect(error.kind).toBe('http');
    expect(error.message).toMatch(/^wrong-path: HTTP error while connecting: Streamable HTTP said ".*404.*"/);
    expect(error.message).toContain('and the HTTP+SSE fallback said "SSE error: ');
  });

  it('stops reading an HTTP server past the byte cap with kind "protocol"', async () => {
    const server = await startStreamableHttpServer();
    servers.push(server);
    const error = await failureOf(
      { transport: 'http', url: server.url },
      { label: 'daw-http', maxReadBytes: 300 },
    );
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe('daw-http: sent more than 300 bytes over HTTP; stopped reading');
  });
});

describe('stdio introspection', () => {
  const dir = tempDir();
  const saved = { token: process.env['GITHUB_TOKEN'], key: process.env['OPENAI_API_KEY'] };
  beforeAll(() => {
    process.env['GITHUB_TOKEN'] = 'ghp_must_not_leak';
    process.env['OPENAI_API_KEY'] = 'sk-must-not-leak';
  });
  afterAll(() => {
    for (const [name, value] of [
      ['GITHUB_TOKEN', saved.token],
      ['OPENAI_API_KEY', saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('gives the server only PATH, HOME and the launch env, never the crawler’s secrets', async () => {
    const result = await introspect(fixtureLaunch('env-echo.mjs', { env: { FIXTURE_SETTING: 'yes' } }), {
      label: 'env',
      ...BASE,
    });
    const names = JSON.parse(result.tools[0]?.description ?? '[]') as string[];
    expect(names).not.toContain('GITHUB_TOKEN');
    expect(names).not.toContain('OPENAI_API_KEY');
    expect(names).toContain('FIXTURE_SETTING');
    expect(names.every((n) => ['PATH', 'HOME', 'FIXTURE_SETTING'].includes(n))).toBe(true);
  });

  it('kills the whole process group on timeout, including what the server started', async () => {
    const pidFile = path.join(dir, 'child.pid');
    let leader = 0;
    const launch = fixtureLaunch('never-answers.mjs', {
      args: ['--with-child'],
      env: { CHILD_PID_FILE: pidFile },
    });
    const started = introspect(launch, {
      label: 'hangs',
      ...BASE,
      connectTimeoutS: 2,
      killGraceMs: 300,
      onSpawn: (pid) => (leader = pid),
    });
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CrawlTimeoutError);
    expect((error as CrawlError).message).toBe('hangs: timed out after 2 s while connecting');
    expect((error as CrawlError).kind).toBe('timeout');
    expect(leader).toBeGreaterThan(0);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(child).not.toBe(leader);
    // Dead: gone, or a zombie waiting for an init that does not reap (it runs nothing either way).
    expect([undefined, 'Z']).toContain(processState(child));
    expect(processGroupAlive(leader)).toBe(false);
  });

  it('kills running servers when the crawler process exits without closing them', async () => {
    const script = path.join(dir, 'exits-early.ts');
    const introspectModule = path.resolve('crawler/live/index.ts');
    fs.writeFileSync(
      script,
      `import { introspect } from ${JSON.stringify(introspectModule)};
      void introspect(${JSON.stringify(fixtureLaunch('never-answers.mjs'))}, {
        label: 'orphan', connectTimeoutS: 60, listTimeoutS: 60, maxReadBytes: 1e6,
        onSpawn: (pid) => { process.stdout.write(String(pid)); process.exit(0); },
      });\n`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    const pid = Number(run.stdout);
    expect(pid).toBeGreaterThan(0);
    // SIGKILL was sent before the crawler exited; give the kernel a moment to deliver it.
    await vi.waitFor(() => expect(processGroupAlive(pid)).toBe(false), { timeout: 3_000, interval: 20 });
  });

  it('times out while listing when a server answers initialize but never tools/list', async () => {
    const error = await failureOf(fixtureLaunch('slow-listing.mjs'), { label: 'slow', listTimeoutS: 1 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('slow: timed out after 1 s while listing tools');
  });

  it('fails with kind "protocol" once a server sends more than the byte cap', async () => {
    const error = await failureOf(fixtureLaunch('many-tools.mjs'), { label: 'big', maxReadBytes: 100_000 });
    expect(error.kind).toBe('protocol');
    expect(error.message).toBe('big: sent more than 100000 bytes on stdout; stopped reading');
    expect(error.retryable).toBe(false);
  });

  it('reports an exit before initialize as "crashed" with the exit code and stderr tail', async () => {
    const launch: Launch = {
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', 'process.stderr.write("config file missing\\n"); process.exit(7)'],
    };
    const error = await failureOf(launch, { label: 'quits' });
    expect(error.kind).toBe('crashed');
    expect(error.message).toBe(
      'quits: server process exited with code 7 before it finished; stderr: config file missing',
    );
  });

  it('reports a server killed by a signal as "crashed", naming the signal', async () => {
    const launch: Launch = {
      transport: 'stdio',
      command: process.execPath,
      args: ['-e', 'process.kill(process.pid, "SIGKILL")'],
    };
    const error = await failureOf(launch, { label: 'killed' });
    expect(error.kind).toBe('crashed');
    expect(error.message).toBe('killed: server process was killed by SIGKILL before it finished');
  });

  it('reports a command that cannot start as kind "spawn"', async () => {
    const missing = path.join(dir, 'no-such-server');
    const error = await failureOf({ transport: 'stdio', command: missing, args: [] }, { label: 'missing' });
    expect(error.kind).toBe('spawn');
    expect(error.message).toContain(`missing: cannot start ${missing}: `);
    expect(error.message).toContain('ENOENT');
  });

  it('pages through nextCursor and reports how many pages it read', async () => {
    const result = await introspect(
      fixtureLaunch('many-tools.mjs', { env: { TOOL_COUNT: '25', PAGE_SIZE: '10' } }),
      {
        label: 'pages',
        ...BASE,
      },
    );
    expect(result.pages).toBe(3);
    expect(result.tools.map((t) => t.name)).toEqual(
      Array.from(
        { length: 25 },
        (_, i) => `${['get', 'list', 'update', 'delete', 'run'][i % 5]}_item_${String(i).padStart(5, '0')}`,
      ),
    );
  });

  it('lists no tools, without failing, for a server that has none and refuses tools/list', async () => {
    const result = await introspect(fixtureLaunch('no-tools.mjs'), { label: 'prompts', ...BASE });
    expect(result.tools).toEqual([]);
    expect(result.pages).toBe(0);
    expect(result.info.name).toBe('prompts-only');
  });

  it('is cancelled by its abort signal, and still closes the server', async () => {
    const controller = new AbortController();
    let leader = 0;
    const started = introspect(fixtureLaunch('never-answers.mjs'), {
      label: 'cancel',
      ...BASE,
      signal: controller.signal,
      killGraceMs: 200,
      onSpawn: (pid) => {
        leader = pid;
        controller.abort();
      },
    });
    const error = (await started.catch((e: unknown) => e)) as CrawlError;
    expect(error.message).toBe('cancel: cancelled while connecting');
    expect(error.retryable).toBe(true);
    expect(() => process.kill(-leader, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});

describe('tool checks and error text', () => {
  it('accepts extra fields, drops fields only the catalogue may set, and explains what it skips', () => {
    const ok = checkTool(
      { name: 'a', inputSchema: { type: 'object' }, truncated: ['description'], x_extra: 1 },
      0,
    );
    expect('tool' in ok && ok.tool).toEqual({ name: 'a', inputSchema: { type: 'object' } });
    const bad = checkTool({ name: 'b', inputSchema: { type: 'array' } }, 4);
    expect(bad).toEqual({
      skipped: { index: 4, name: 'b', reason: expect.stringContaining('inputSchema.type') as string },
    });
  });

  it('quotes untrusted output on one short line without control or invisible characters', () => {
    expect(quoteExcerpt('a\nb\t\u001b[31mc\u200b\u202ed' + String.fromCodePoint(0xe0041))).toBe(
      'a b �[31mc��d�',
    );
    expect(quoteExcerpt('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('names the subject, chains the cause and keeps CrawlErrors as they are', () => {
    const cause = new Error('boom');
    const wrapped = toCrawlError(cause, 'srv');
    expect(wrapped.message).toBe('srv: boom');
    expect(wrapped.kind).toBe('internal');
    expect(wrapped.cause).toBe(cause);
    expect(toCrawlError(wrapped, 'other')).toBe(wrapped);
    expect(new CrawlTimeoutError('srv', 5, 'connecting').retryable).toBe(true);
  });
});
