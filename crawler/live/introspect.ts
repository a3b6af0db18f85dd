// Live introspection: start or reach one MCP server, initialize, list every tool across pages, and close.
// Every step has a hard deadline, every exit path closes the transport (and kills a child's process group),
// and a lying server gets a clear, classified error instead of crashing the crawl.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import {
  ToolDefinitionSchema,
  type HttpLaunch,
  type Launch,
  type ServerInfo,
  type StdioLaunch,
  type ToolDefinition,
} from '../../data/model.ts';
import { CrawlError, CrawlProtocolError, CrawlTimeoutError } from '../errors.ts';
import { ReadBudget, shouldFallBackToSse, sseTransport, streamableHttpTransport } from './http.ts';
import { ProcessTransport } from './process-transport.ts';
import { quoteExcerpt } from './text.ts';

export interface IntrospectOptions {
  /** Names the server in every error message, e.g. its catalogue id. */
  label: string;
  /** Hard limit for starting the server and completing `initialize`. */
  connectTimeoutS: number;
  /** Hard limit for listing all tools, over all pages. */
  listTimeoutS: number;
  /** Most bytes read from the server before it fails with kind 'protocol'. */
  maxReadBytes: number;
  signal?: AbortSignal | undefined;
  /** Called with the pid (= process-group id) of a stdio server once it runs; for tests and diagnostics. */
  onSpawn?: ((pid: number) => void) | undefined;
  /** Milliseconds between SIGTERM and SIGKILL when closing a stdio server (default 2000). */
  killGraceMs?: number | undefined;
}

/** A tool the server listed that is not a valid MCP tool definition; reported, not stored. */
export interface SkippedTool {
  /** Position in the full listing (over all pages). */
  index: number;
  name?: string | undefined;
  reason: string;
}

export interface IntrospectResult {
  info: ServerInfo;
  tools: ToolDefinition[];
  skipped: SkippedTool[];
  transport: 'stdio' | 'streamable-http' | 'sse';
  pages: number;
}

const CLIENT_INFO = { name: 'mcp-catalog', version: '0.1.0' };

/** Lenient page shape: tools are checked one by one so one bad tool does not lose the others. */
const ToolsPageSchema = z.looseObject({
  tools: z.array(z.unknown()),
  nextCursor: z.string().optional(),
});

/** A page limit far above any real server; endless fresh cursors otherwise only stop at the deadline. */
const MAX_PAGES = 100_000;

interface Session {
  client: Client;
  transport: Transport;
  kind: IntrospectResult['transport'];
  /** The transport's own record of what went wrong first (bad output, exit, byte budget). */
  failure(): CrawlError | undefined;
  protocolVersion: string | undefined;
}

/** Introspect one server. Throws a CrawlError (kind timeout/protocol/crashed/spawn/http/internal). */
export async function introspect(launch: Launch, opts: IntrospectOptions): Promise<IntrospectResult> {
  const { label } = opts;
  const connectMs = opts.connectTimeoutS * 1000;
  const session: { current?: Session } = {};
  let phase = 'connecting';
  try {
    if (opts.signal?.aborted) throw cancelled(label, phase, opts.signal);
    const connecting =
      launch.transport === 'stdio'
        ? connectStdio(launch, opts, session, connectMs)
        : connectHttp(launch, opts, session, connectMs);
    await withDeadline(connecting, opts.connectTimeoutS, phase, label, opts.signal);
    const current = session.current as Session;

    phase = 'listing tools';
    const listing = listAllTools(current.client, label, opts.listTimeoutS * 1000, opts.signal);
    const { tools, skipped, pages } = await withDeadline(
      listing,
      opts.listTimeoutS,
      phase,
      label,
      opts.signal,
    );

    const version = current.client.getServerVersion();
    const info: ServerInfo = { name: version?.name ?? label };
    if (version?.version !== undefined) info.version = version.version;
    if (version?.title !== undefined) info.title = version.title;
    if (version?.websiteUrl !== undefined) info.websiteUrl = version.websiteUrl;
    const instructions = current.client.getInstructions();
    if (instructions !== undefined) info.instructions = instructions;
    if (current.protocolVersion !== undefined) info.protocolVersion = current.protocolVersion;
    return { info, tools, skipped, transport: current.kind, pages };
  } catch (error) {
    throw explain(error, label, phase, launch, session.current?.failure());
  } finally {
    const current = session.current;
    if (current) {
      await current.client.close().catch(() => {});
      await current.transport.close().catch(() => {});
    }
  }
}

function newSession(
  transport: Transport,
  kind: Session['kind'],
  failure: () => CrawlError | undefined,
): Session {
  const client = new Client(CLIENT_INFO, { capabilities: {} });
  const session: Session = { client, transport, kind, failure, protocolVersion: undefined };
  // The negotiated version reaches only the transport; wrap the hook to keep a copy.
  const original = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    session.protocolVersion = version;
    original?.(version);
  };
  return session;
}

async function connectStdio(
  launch: StdioLaunch,
  opts: IntrospectOptions,
  holder: { current?: Session },
  timeoutMs: number,
): Promise<void> {
  const transport = new ProcessTransport(launch, {
    label: opts.label,
    maxReadBytes: opts.maxReadBytes,
    onSpawn: opts.onSpawn,
    killGraceMs: opts.killGraceMs,
  });
  const session = newSession(transport, 'stdio', () => transport.failure);
  holder.current = session;
  // The SDK's own per-request timeout sits behind our hard deadline; ours decides the message.
  await session.client.connect(transport, { timeout: timeoutMs + 5_000 });
}

async function connectHttp(
  launch: HttpLaunch,
  opts: IntrospectOptions,
  holder: { current?: Session },
  timeoutMs: number,
): Promise<void> {
  const budget = new ReadBudget(opts.label, opts.maxReadBytes);
  // The SDK reports a broken response stream only to onerror; closing fails the pending request at once.
  budget.onExceeded = () => void holder.current?.transport.close().catch(() => {});
  const first = newSession(streamableHttpTransport(launch, budget), 'streamable-http', () => budget.failure);
  holder.current = first;
  try {
    await first.client.connect(first.transport, { timeout: timeoutMs + 5_000 });
  } catch (error) {
    // Old HTTP+SSE servers answer the Streamable HTTP initialize POST with a 4xx: retry the old way.
    if (!shouldFallBackToSse(error) || budget.failure) throw error;
    await first.client.close().catch(() => {});
    const second = newSession(sseTransport(launch, budget), 'sse', () => budget.failure);
    holder.current = second;
    try {
      await second.client.connect(second.transport, { timeout: timeoutMs + 5_000 });
    } catch (fallbackError) {
      if (budget.failure || !(fallbackError instanceof SseError)) throw fallbackError;
      // Say what both attempts got: the first is usually the telling one (a wrong path, say).
      throw new CrawlError(
        `HTTP error while connecting: Streamable HTTP said "${quoteExcerpt((error as Error).message, 150)}", ` +
          `and the HTTP+SSE fallback said "${quoteExcerpt(fallbackError.message, 150)}"`,
        { kind: 'http', subject: opts.label, cause: fallbackError },
      );
    }
  }
}

async function listAllTools(
  client: Client,
  label: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ tools: ToolDefinition[]; skipped: SkippedTool[]; pages: number }> {
  const tools: ToolDefinition[] = [];
  const skipped: SkippedTool[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  let index = 0;
  let pages = 0;
  for (;;) {
    let page: z.infer<typeof ToolsPageSchema>;
    try {
      page = await client.request(
        { method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
        ToolsPageSchema,
        { timeout: timeoutMs + 5_000, signal },
      );
    } catch (error) {
      // A server without tools (prompts or resources only) may refuse the method: it has none to list.
      const noTools = !client.getServerCapabilities()?.tools;
      if (pages === 0 && noTools && error instanceof McpError && error.code === ErrorCode.MethodNotFound) {
        return { tools, skipped, pages };
      }
      throw error;
    }
    pages++;
    for (const raw of page.tools) {
      const checked = checkTool(raw, index++);
      if ('tool' in checked) tools.push(checked.tool);
      else skipped.push(checked.skipped);
    }
    const next = page.nextCursor;
    if (next === undefined || next === '') break;
    if (seenCursors.has(next)) {
      throw new CrawlProtocolError(
        label,
        `repeated the pagination cursor "${quoteExcerpt(next, 60)}" on page ${pages}; stopped listing`,
      );
    }
    if (pages >= MAX_PAGES) {
      throw new CrawlProtocolError(label, `listed more than ${MAX_PAGES} pages of tools; stopped listing`);
    }
    seenCursors.add(next);
    cursor = next;
  }
  return { tools, skipped, pages };
}

/** Validate one listed tool leniently: extra fields are fine, a missing name or schema is not. */
export function checkTool(raw: unknown, index: number): { tool: ToolDefinition } | { skipped: SkippedTool } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { skipped: { index, reason: 'not a JSON object' } };
  }
  // `source` and `truncated` are ours to set, never the server's: drop them so no server can fake them.
  const { source: _source, truncated: _truncated, ...rest } = raw as Record<string, unknown>;
  const name = typeof rest['name'] === 'string' ? quoteExcerpt(rest['name'], 100) : undefined;
  const parsed = ToolDefinitionSchema.safeParse(rest);
  if (parsed.success) return { tool: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'tool'}: ${issue.message}`)
    .join('; ');
  return { skipped: { index, name, reason: quoteExcerpt(reason, 300) } };
}

/** How often the deadline clock ticks; a longer gap between ticks means this process, not the server, stalled. */
const TICK_MS = 100;

/**
 * Reject with a CrawlTimeoutError after `seconds` of *our* attention. While this process is blocked (say,
 * storing another server's 10,000 tools in one transaction), the clock advances at most one tick per
 * gap, so a busy crawler does not blame a server for its own stall. On expiry the verdict waits one turn
 * of the event loop (setImmediate runs after the I/O poll), so an answer that already arrived still wins.
 */
function withDeadline<T>(
  work: Promise<T>,
  seconds: number,
  phase: string,
  label: string,
  signal: AbortSignal | undefined,
): Promise<T> {
  // The losing promise still settles later (when the transport closes); keep it from going unhandled.
  work.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const budget = seconds * 1000;
    let elapsed = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      elapsed += Math.min(now - last, 2 * TICK_MS);
      last = now;
      if (elapsed < budget) return;
      clearInterval(timer);
      setImmediate(() => reject(new CrawlTimeoutError(label, seconds, phase)));
    }, TICK_MS);
    const onAbort = (): void => reject(cancelled(label, phase, signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

function cancelled(label: string, phase: string, signal: AbortSignal | undefined): CrawlError {
  return new CrawlError(`cancelled while ${phase}`, {
    kind: 'internal',
    subject: label,
    retryable: true,
    cause: signal?.reason,
  });
}

/** Turn whatever was thrown into the CrawlError that says what happened. */
function explain(
  error: unknown,
  label: string,
  phase: string,
  launch: Launch,
  transportFailure: CrawlError | undefined,
): CrawlError {
  // What the transport saw (garbage, an exit, too many bytes) explains a "connection closed" best.
  if (transportFailure) return transportFailure;
  if (error instanceof CrawlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof McpError) {
    if (error.code === ErrorCode.ConnectionClosed) {
      return new CrawlError(`connection closed while ${phase}`, {
        kind: launch.transport === 'stdio' ? 'crashed' : 'http',
        subject: label,
        cause: error,
      });
    }
    if (error.code === ErrorCode.RequestTimeout) {
      return new CrawlError(`request timed out while ${phase}`, {
        kind: 'timeout',
        subject: label,
        cause: error,
      });
    }
    return new CrawlProtocolError(
      label,
      `answered with error ${error.code} while ${phase}: ${quoteExcerpt(error.message, 200)}`,
      error,
    );
  }
  if (error instanceof z.ZodError) {
    return new CrawlProtocolError(
      label,
      `sent a malformed result while ${phase}: ${quoteExcerpt(message, 200)}`,
      error,
    );
  }
  if (error instanceof StreamableHTTPError || error instanceof SseError) {
    return new CrawlError(`HTTP error while ${phase}: ${quoteExcerpt(message, 200)}`, {
      kind: 'http',
      subject: label,
      cause: error,
    });
  }
  if (/protocol version/i.test(message)) {
    return new CrawlProtocolError(label, `${quoteExcerpt(message, 200)} (while ${phase})`, error);
  }
  if (launch.transport === 'http' && error instanceof TypeError) {
    // fetch() failures (refused, reset, DNS) arrive as TypeError("fetch failed") with the reason as cause.
    const cause = (error as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : message;
    return new CrawlError(`cannot reach ${launch.url} while ${phase}: ${quoteExcerpt(why, 200)}`, {
      kind: 'http',
      subject: label,
      cause: error,
    });
  }
  return new CrawlError(`${quoteExcerpt(message, 300)} (while ${phase})`, {
    kind: 'internal',
    subject: label,
    cause: error,
  });
}
