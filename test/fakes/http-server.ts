// A local HTTP server on 127.0.0.1:0 for the fakes: routes get the parsed URL, the server counts requests,
// and close() drops keep-alive sockets so tests end promptly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => unknown;

export interface LocalServer {
  url: string;
  /** Every request seen, as `METHOD /path?query`. */
  log: string[];
  close(): Promise<void>;
}

export async function startLocalServer(handler: Handler): Promise<LocalServer> {
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push(`${req.method} ${url.pathname}${url.search}`);
    Promise.resolve(handler(req, res, url)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake failed: ${(error as Error).message}` }));
    });
  });
  // Long keep-alive: a socket the server closes while the client reuses it would turn into a retried request.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Read a request body as text. */
export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Failures to inject: the next `times` requests whose path matches get `status` (and Retry-After). */
export interface Fault {
  match: RegExp;
  status: number;
  times: number;
  retryAfter?: number;
  body?: unknown;
  headers?: http.OutgoingHttpHeaders;
}

export function takeFault(faults: Fault[], path: string): Fault | undefined {
  const f = faults.find((x) => x.times > 0 && x.match.test(path));
  if (f) f.times--;
  return f;
}
