// Pagefind over the same tools, as the static-search alternative: index build time and size through its
// Node API, and query time in Chromium (Pagefind searches in the browser, loading index chunks over HTTP).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as pagefind from 'pagefind';
import type { Db } from '../../data/db.ts';
import { percentiles, type Percentiles } from './load.ts';

export interface PagefindBuild {
  records: number;
  seconds: number;
  bytes: number;
  files: number;
}

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files++;
  }
  return { bytes, files };
}

/** Index the first `limit` tools (name, server, description) and write the bundle to `outDir`. */
export async function buildPagefind(db: Db, limit: number, outDir: string): Promise<PagefindBuild> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const t0 = performance.now();
  const { index } = await pagefind.createIndex({});
  if (!index) throw new Error('pagefind could not create an index');
  const rows = db
    .prepare(
      `SELECT t.server_id AS serverId, t.name, t.description, s.name AS server FROM tools t
       JOIN servers s ON s.id = t.server_id ORDER BY t.id LIMIT ?`,
    )
    .iterate(limit) as Iterable<{ serverId: string; name: string; description: string; server: string }>;
  let records = 0;
  for (const r of rows) {
    await index.addCustomRecord({
      url: `/servers/${r.serverId}/tools/${encodeURIComponent(r.name)}`,
      content: `${r.name} ${r.server} ${r.description}`,
      language: 'en',
      meta: { title: r.name },
    });
    records++;
  }
  const written = await index.writeFiles({ outputPath: outDir });
  if (written.errors.length) throw new Error(`pagefind: ${written.errors.join('; ')}`);
  await pagefind.close();
  const seconds = (performance.now() - t0) / 1000;
  return { records, seconds, ...dirSize(outDir) };
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.html': 'text/html',
};

/**
 * Time Pagefind searches in Chromium: each query is a fresh search (results' first 10 fragments loaded),
 * after one warm-up query has loaded the wasm and the index entry.
 */
export async function queryPagefind(
  outDir: string,
  queries: readonly string[],
  rounds: number,
): Promise<Percentiles> {
  const root = path.dirname(outDir);
  const mount = `/${path.basename(outDir)}/`;
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    const file = path.join(root, decodeURIComponent(url));
    if (url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>pagefind bench</title>');
      return;
    }
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    const times = await page.evaluate(
      async ({ mount, queries, rounds }) => {
        const pf = (await import(`${mount}pagefind.js`)) as {
          init: () => Promise<void>;
          search: (q: string) => Promise<{ results: { data: () => Promise<unknown> }[] }>;
        };
        await pf.init();
        await pf.search('warmup');
        const out: number[] = [];
        for (let r = 0; r < rounds; r++) {
          for (const q of queries) {
            const t0 = performance.now();
            const found = await pf.search(q);
            await Promise.all(found.results.slice(0, 10).map((x) => x.data()));
            out.push(performance.now() - t0);
          }
        }
        return out;
      },
      { mount, queries: [...queries], rounds },
    );
    return percentiles(times);
  } finally {
    await browser.close();
    server.close();
  }
}
