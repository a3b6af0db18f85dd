// HTTP load for the site benchmark: exact latency percentiles from a fixed number of keep-alive
// connections (each request timed on its own), and throughput from autocannon with the load generator's
// CPU use, plus the bare node:http handler the throughput is compared with.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// autocannon ships no types; the benchmark uses only these fields.
// @ts-expect-error -- no declaration file
import autocannonUntyped from 'autocannon';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = autocannonUntyped as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

export function percentiles(samples: number[]): Percentiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s.at(-1) ?? 0 };
}

export const fmtMs = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/**
 * Request every path in `paths` (cycling) `total` times over `connections` keep-alive connections and time
 * each response to its last byte. Non-200 answers are counted, not timed.
 */
export async function measureLatency(
  base: string,
  paths: readonly string[],
  total: number,
  connections = 10,
): Promise<Percentiles & { errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const samples: number[] = [];
  let next = 0;
  let errors = 0;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      http
        .get(base + path, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) samples.push(performance.now() - t0);
            else errors++;
            resolve();
          });
        })
        .on('error', () => {
          errors++;
          resolve();
        });
    });
  const worker = async () => {
    while (next < total) {
      const path = paths[next++ % paths.length]!;
      await one(path);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { ...percentiles(samples), errors };
}

export interface Throughput {
  rps: number;
  requests: number;
  non2xx: number;
  /** CPU the load generator used, in cores (1.0 = one core busy the whole run). */
  generatorCores: number;
}

/**
 * Requests/s under autocannon with `connections` connections for `seconds`. Every request takes the next
 * path of `paths` from one shared cursor (cycling), so the connections spread over the pages instead of
 * asking for the same one in step.
 */
export async function measureThroughput(
  base: string,
  paths: readonly string[],
  seconds: number,
  connections = 50,
): Promise<Throughput> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let cursor = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[cursor++ % paths.length] }),
      },
    ],
  });
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors,
    generatorCores: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}

/** A bare node:http handler answering every request with the same page: the throughput ceiling. */
export async function startBareHandler(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const bytes = Buffer.from(body);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': bytes.length });
    res.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
