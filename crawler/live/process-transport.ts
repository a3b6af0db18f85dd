// An MCP client transport over a child process's stdio, written for untrusted servers: the child runs
// directly (no shell), leads its own process group so the whole tree can be killed, gets a minimal
// environment (never the crawler's tokens), and every stdout byte is counted and must be JSON-RPC.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { StdioLaunch } from '../../data/model.ts';
import { CrawlError, CrawlProtocolError } from '../errors.ts';
import { quoteExcerpt, TailBuffer } from './text.ts';

export interface ProcessTransportOptions {
  /** Names the server in every error message. */
  label: string;
  /** Most stdout bytes read before the connection fails with kind 'protocol'. */
  maxReadBytes: number;
  /** Milliseconds between SIGTERM and SIGKILL of the process group. */
  killGraceMs?: number;
  /** Bytes of stderr kept for error messages. */
  stderrTailBytes?: number;
  /**
   * The variables the child inherits before `launch.env` is applied. Defaults to PATH and HOME from this
   * process: enough to start a program, nothing secret.
   */
  baseEnv?: Record<string, string>;
  /** Called once the child runs, with its pid (which is also its process-group id). */
  onSpawn?: (pid: number) => void;
}

const DEFAULT_GRACE_MS = 2_000;
/** How long close() waits for a SIGKILLed group to disappear before giving up on confirming it. */
const REAP_WAIT_MS = 2_000;

/** PATH and HOME only: servers must not see GITHUB_TOKEN, API keys or anything else we hold. */
export function minimalEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  // The one place the live crawler reads the environment, and only these two names.
  for (const key of ['PATH', 'HOME'] as const) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}

/**
 * Whether any live process remains in group `pgid`. Zombies do not count: where init does not reap
 * orphans (some containers), a killed grandchild stays a zombie in the group forever, yet it is dead.
 */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return liveMembers(pgid) !== 0;
}

/** Non-zombie members of a process group per /proc (Linux); -1 when /proc cannot tell. */
function liveMembers(pgid: number): number {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return -1;
  }
  let live = 0;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') live++;
  }
  return live;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Process groups started and not yet confirmed gone; killed if this process exits first. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * SIGKILL every server process group still running. Entry points may call it from their signal
 * handlers; it also runs on this process's 'exit', since detached groups do not get the terminal's
 * Ctrl-C and would otherwise outlive the crawler.
 */
export function killAllServers(): void {
  for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllServers);
  }
  liveGroups.add(pgid);
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  setProtocolVersion?: (version: string) => void;

  /** The first fatal problem seen (bad output, too much output, exit); later ones are ignored. */
  failure: CrawlError | undefined;
  /** The child's pid, which is also its process-group id; undefined before start. */
  pid: number | undefined;
  bytesRead = 0;

  private child: ChildProcess | undefined;
  private readonly stderr: TailBuffer;
  private pending: Buffer[] = [];
  private closing: Promise<void> | undefined;
  private exited = false;
  private readonly exit: Promise<void>;
  private resolveExit!: () => void;

  constructor(
    private readonly launch: StdioLaunch,
    private readonly options: ProcessTransportOptions,
  ) {
    this.stderr = new TailBuffer(options.stderrTailBytes ?? 4_096);
    this.exit = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** The last bytes the server wrote to stderr, as text. */
  get stderrTail(): string {
    return this.stderr.text();
  }

  start(): Promise<void> {
    if (this.child) throw new Error(`${this.options.label}: transport already started`);
    const { label } = this.options;
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.launch.command, this.launch.args, {
          cwd: this.launch.cwd,
          env: { ...(this.options.baseEnv ?? minimalEnv()), ...this.launch.env },
          stdio: ['pipe', 'pipe', 'pipe'],
          shell: false,
          // Its own process group: closing kills the server and everything it started.
          detached: true,
          windowsHide: true,
        });
      } catch (cause) {
        reject(this.spawnError(cause));
        return;
      }
      this.child = child;
      child.on('error', (cause) => {
        if (this.pid === undefined) {
          this.exited = true;
          this.resolveExit();
          reject(this.spawnError(cause));
        } else {
          this.fail(
            new CrawlError(`process error: ${cause.message}`, { kind: 'crashed', subject: label, cause }),
          );
        }
      });
      child.once('spawn', () => {
        this.pid = child.pid;
        if (child.pid !== undefined) {
          trackGroup(child.pid);
          this.options.onSpawn?.(child.pid);
        }
        resolve();
      });
      child.once('exit', (code, signal) => void this.onExit(code, signal));
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
      // EPIPE after the child died is reported through 'exit'; nothing more to do here.
      child.stdin?.on('error', () => {});
      child.stdout?.on('error', () => {});
      child.stderr?.on('error', () => {});
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.failure) throw this.failure;
    if (!stdin || this.closing || this.exited) throw new Error(`${this.options.label}: not connected`);
    if (!stdin.write(serializeMessage(message))) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.once('drain', done);
        stdin.once('close', done);
      });
    }
  }

  /** Kill the process group (SIGTERM, then SIGKILL after the grace period) and wait for it to go. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const child = this.child;
    const pgid = this.pid;
    if (child && pgid !== undefined) {
      try {
        child.stdin?.end();
      } catch {
        // already closed
      }
      killGroup(pgid, 'SIGTERM');
      const grace = this.options.killGraceMs ?? DEFAULT_GRACE_MS;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exit, new Promise<void>((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
      // Even when the leader left on SIGTERM, anything it started may linger in the group.
      killGroup(pgid, 'SIGKILL');
      await Promise.race([this.exit, delay(REAP_WAIT_MS)]);
      for (let waited = 0; processGroupAlive(pgid) && waited < REAP_WAIT_MS; waited += 20) await delay(20);
      liveGroups.delete(pgid);
      child.stdout?.destroy();
      child.stderr?.destroy();
    }
    this.pending = [];
    this.onclose?.();
  }

  private spawnError(cause: unknown): CrawlError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new CrawlError(`cannot start ${quoteExcerpt(this.launch.command, 200)}: ${reason}`, {
      kind: 'spawn',
      subject: this.options.label,
      cause,
    });
  }

  /** Record a fatal problem, report it, and close; pending requests then fail with "connection closed". */
  private fail(error: CrawlError): void {
    if (this.failure || this.closing) return;
    this.failure = error;
    this.onerror?.(error);
    void this.close();
  }

  private async onExit(code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    this.exited = true;
    this.resolveExit();
    if (this.closing || this.failure) return;
    // Give stderr a moment to deliver the last words explaining the exit.
    const stderr = this.child?.stderr;
    if (stderr && !stderr.closed) {
      await Promise.race([new Promise((r) => stderr.once('close', r)), delay(200)]);
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
    const tail = quoteExcerpt(this.stderrTail.split('\n').slice(-5).join(' '), 300);
    this.fail(
      new CrawlError(`server process ${how} before it finished${tail ? `; stderr: ${tail}` : ''}`, {
        kind: 'crashed',
        subject: this.options.label,
      }),
    );
  }

  private onStdout(chunk: Buffer): void {
    if (this.failure || this.closing) return;
    this.bytesRead += chunk.length;
    if (this.bytesRead > this.options.maxReadBytes) {
      this.fail(
        new CrawlProtocolError(
          this.options.label,
          `sent more than ${this.options.maxReadBytes} bytes on stdout; stopped reading`,
        ),
      );
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      const line = this.pending.length ? Buffer.concat([...this.pending, part]) : part;
      this.pending = [];
      start = nl + 1;
      this.onLine(line);
      if (this.failure || this.closing) return;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  private onLine(bytes: Buffer): void {
    const line = bytes.toString('utf8').replace(/\r$/, '');
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (cause) {
      this.fail(
        new CrawlProtocolError(
          this.options.label,
          `printed something that is not JSON-RPC on stdout: "${quoteExcerpt(line)}"`,
          cause,
        ),
      );
      return;
    }
    this.onmessage?.(message);
  }
}
