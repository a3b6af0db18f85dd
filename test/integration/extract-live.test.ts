// Every TS/JS fixture is a real server: static extraction must equal its live `tools/list` in names,
// descriptions, parameter names, parameter types and required parameters.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { extractFromDirectory } from '../../crawler/extract/index.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/extract');
const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
afterAll(() => {
  for (const child of children) killGroup(child);
});

/** stdio transport over `node <entry>` spawned directly, in its own process group. */
class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();
  private child?: ChildProcess;

  constructor(
    private readonly entry: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.entry], {
      cwd: path.dirname(this.entry),
      env: { ...process.env, ...this.env },
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    this.child = child;
    children.add(child);
    child.on('error', (e) => this.onerror?.(e));
    child.on('exit', () => this.onclose?.());
    child.stdout?.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let m = this.buffer.readMessage(); m; m = this.buffer.readMessage()) this.onmessage?.(m);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.child?.stdin?.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    if (this.child) killGroup(this.child);
  }
}

interface Expected {
  entry?: string;
  env?: Record<string, string>;
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'expected.json')))
  .map((name) => ({
    name,
    ...(JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected),
  }))
  .filter((f) => f.entry);

async function liveTools(entry: string, env: Record<string, string>): Promise<Tool[]> {
  const client = new Client({ name: 'extract-live-test', version: '1.0.0' });
  const transport = new GroupStdioTransport(entry, env);
  try {
    await client.connect(transport);
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

/** A parameter's JSON-schema type(s), as a sorted list, whether written as `type` or `anyOf`. */
function typesOf(schema: Record<string, unknown> | undefined): string[] {
  if (!schema) return [];
  const t = schema.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return [...(t as string[])].sort();
  const anyOf = schema.anyOf as Record<string, unknown>[] | undefined;
  if (anyOf) return [...new Set(anyOf.flatMap((s) => typesOf(s)))].sort();
  return [];
}

function comparable(tool: Tool) {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return {
    name: tool.name,
    description: tool.description,
    parameters: Object.keys(props)
      .sort()
      .map((key) => ({ key, types: typesOf(props[key]), description: props[key]?.description })),
    required: [...(tool.inputSchema.required ?? [])].sort(),
  };
}

describe('static extraction equals the live tools/list of each TS/JS fixture', () => {
  it('has runnable fixtures to check', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual([
      'monorepo',
      'ts-class-tools',
      'ts-compiled-dist',
      'ts-fastmcp-style',
      'ts-lowlevel',
      'ts-register-tool',
      'ts-server-tool',
    ]);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: ${fixture.entry}`, async () => {
      const entry = path.join(FIXTURES, fixture.name, fixture.entry as string);
      const live = await liveTools(entry, fixture.env ?? {});
      const result = await extractFromDirectory(path.join(FIXTURES, fixture.name));
      const serverRoot = path
        .relative(path.join(FIXTURES, fixture.name), path.dirname(entry))
        .split(path.sep);
      // The server whose root holds the entry (a monorepo has several).
      const server = result.servers
        .filter((s) => s.root === '.' || serverRoot.join('/').startsWith(s.root))
        .sort((a, b) => b.root.length - a.root.length)[0];
      expect(server).toBeDefined();
      const staticTools = (server?.tools ?? []) as Tool[];
      expect(live.length).toBeGreaterThan(0);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(staticTools.map(comparable).sort(byName)).toEqual(live.map(comparable).sort(byName));
    });
  }
});
