// A local OpenAI-compatible endpoint for tests: node:http on 127.0.0.1, port 0, speaking the real
// `POST /v1/chat/completions` protocol (JSON request with model, messages, temperature, response_format;
// a `chat.completion` object with choices and usage back; OpenAI-style error bodies with status codes and
// headers such as retry-after). Each test scripts the "model" with a handler and reads what was sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content: string;
}

/** The request body the client sent, as parsed JSON (fields the tests read are typed). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  response_format?: {
    type: string;
    json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> };
  };
  [key: string]: unknown;
}

export interface RecordedRequest {
  /** 1-based arrival number. */
  n: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequest;
}

/** What the fake answers to one request. */
export type FakeReply =
  /** A successful completion whose assistant message content is `content` (a string, sent verbatim). */
  | {
      content: string;
      usage?: { prompt_tokens: number; completion_tokens: number };
      finishReason?: string;
      refusal?: string;
    }
  /** An HTTP error with an OpenAI-style error body. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Never answer; the connection stays open until the client gives up or the fake closes. */
  | { hang: true };

export type FakeHandler = (req: RecordedRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAI {
  /** Base URL for the `openai` client, ending in /v1. */
  baseURL: string;
  /** Every chat completion request received, in arrival order. */
  requests: RecordedRequest[];
  /** Most requests that were in flight at once. */
  maxInFlight: number;
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Reply with a JSON object as the assistant message content. */
export const jsonReply = (
  value: unknown,
  usage = { prompt_tokens: 120, completion_tokens: 30 },
): FakeReply => ({
  content: JSON.stringify(value),
  usage,
});

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
};

export async function startFakeOpenAI(handler: FakeHandler = () => ({ status: 500 })): Promise<FakeOpenAI> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': `req_fake_${requests.length}`,
      ...headers,
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (req.method !== 'POST' || path !== '/v1/chat/completions') {
          send(res, 404, {
            error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' },
          });
          return;
        }
        let body: ChatRequest;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
        } catch {
          send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
          return;
        }
        if (typeof body.model !== 'string' || !Array.isArray(body.messages) || body.messages.length === 0) {
          send(res, 400, {
            error: { message: 'model and messages are required', type: 'invalid_request_error' },
          });
          return;
        }
        const recorded: RecordedRequest = { n: requests.length + 1, path, headers: req.headers, body };
        requests.push(recorded);
        inFlight++;
        state.maxInFlight = Math.max(state.maxInFlight, inFlight);
        res.on('close', () => inFlight--);
        let reply: FakeReply;
        try {
          reply = await current(recorded);
        } catch (e) {
          reply = { status: 500, message: `fake handler threw: ${(e as Error).message}` };
        }
        if ('hang' in reply) return;
        if ('status' in reply) {
          send(
            res,
            reply.status,
            {
              error: {
                message: reply.message ?? `fake error ${reply.status}`,
                type: ERROR_TYPES[reply.status] ?? 'server_error',
                param: null,
                code: null,
              },
            },
            reply.headers,
          );
          return;
        }
        const usage = reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 };
        send(res, 200, {
          id: `chatcmpl-fake-${recorded.n}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: reply.content, refusal: reply.refusal ?? null },
              logprobs: null,
              finish_reason: reply.finishReason ?? 'stop',
            },
          ],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
          system_fingerprint: 'fp_fake',
        });
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
