// HTTP transports for live introspection: Streamable HTTP first, the old HTTP+SSE transport as the
// documented fallback. Every response body passes through a byte counter so one server cannot make us
// read without bound.
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { HttpLaunch } from '../../data/model.ts';
import { CrawlProtocolError, type CrawlError } from '../errors.ts';

/** Statuses whose Response may not carry a body (the Response constructor rejects one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Shared by every request to one server; records the first failure so callers can report it. */
export class ReadBudget {
  bytesRead = 0;
  failure: CrawlError | undefined;
  /** Called once when the budget is spent; the caller closes the transport so pending requests fail now. */
  onExceeded: (() => void) | undefined;
  constructor(
    readonly label: string,
    readonly maxBytes: number,
  ) {}

  /** A fetch whose response bodies count against this budget and error once it is spent. */
  fetch(base: FetchLike = fetch): FetchLike {
    return async (url, init) => {
      const response = await base(url, init);
      if (!response.body || NULL_BODY.has(response.status)) return response;
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, controller) => {
          this.bytesRead += chunk.byteLength;
          if (this.bytesRead > this.maxBytes) {
            if (!this.failure) {
              this.failure = new CrawlProtocolError(
                this.label,
                `sent more than ${this.maxBytes} bytes over HTTP; stopped reading`,
              );
              this.onExceeded?.();
            }
            controller.error(this.failure);
            return;
          }
          controller.enqueue(chunk);
        },
      });
      return new Response(response.body.pipeThrough(counter), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }
}

export function streamableHttpTransport(
  launch: HttpLaunch,
  budget: ReadBudget,
): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(launch.url), {
    requestInit: launch.headers ? { headers: launch.headers } : undefined,
    fetch: budget.fetch(),
  });
}

export function sseTransport(launch: HttpLaunch, budget: ReadBudget): SSEClientTransport {
  return new SSEClientTransport(new URL(launch.url), {
    requestInit: launch.headers ? { headers: launch.headers } : undefined,
    fetch: budget.fetch(),
  });
}

/**
 * Whether a failed Streamable HTTP connect means "this is an old HTTP+SSE server": the spec's backwards
 * compatibility rule is a 4xx answer to the initialize POST.
 */
export function shouldFallBackToSse(error: unknown): boolean {
  return (
    error instanceof StreamableHTTPError &&
    typeof error.code === 'number' &&
    error.code >= 400 &&
    error.code < 500
  );
}
