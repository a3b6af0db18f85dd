// Serving the built site: opens the catalogue read-only once, builds the site if needed, then serves the
// Astro handler (node adapter, middleware mode) and its static assets with node:http. Every request gets
// the catalogue through the adapter's `locals` argument.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../data/db.ts';
import { DIST_DIR, ensureSiteBuilt } from './build.ts';
import { PageCache, sendAnswer, type PageCacheStats } from './page-cache.ts';
import type { Catalog } from './src/lib/catalog.ts';
import { SECURITY_HEADERS } from './src/lib/respond.ts';

export interface SiteOptions {
  /** The SQLite catalogue; opened read-only, never migrated. */
  dbPath: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Where build progress goes; default stderr. */
  log?: (line: string) => void;
  /**
   * The site's public origin for canonical URLs, sitemaps and OpenGraph (e.g. https://catalog.example.org).
   * Default: each request's own Host header, when it is a plain host name or address.
   */
  publicUrl?: string;
  /**
   * Megabytes of rendered pages kept in memory until the catalogue changes (site/page-cache.ts); 0 renders
   * every request. Default 256.
   */
  cacheMb?: number;
}

export interface RunningSite {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4321 */
  url: string;
  /** Page cache figures (hits, misses, entries, bytes, clears); undefined when the cache is off. */
  cacheStats(): PageCacheStats | undefined;
  close(): Promise<void>;
}

export const DEFAULT_CACHE_MB = 256;

type AstroHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: ((err?: unknown) => void) | undefined,
  locals: { catalog: Catalog; origin: string },
) => Promise<void>;

const PLAIN_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The origin a request was addressed to, when its Host header is a plain host; else `fallback`. */
export function requestOrigin(host: string | undefined, fallback: string): string {
  return host && PLAIN_HOST.test(host) ? `http://${host}` : fallback;
}

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Astro's bundled scripts and styles under /_astro/. Only plain file names that exist in the client
 * folder are served; anything else falls through to the site (which answers 404).
 */
function serveAsset(clientDir: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  const match = /^\/_astro\/([\w.~-]+)$/.exec(pathname);
  if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const name = match[1]!;
  const type = ASSET_TYPES[path.extname(name)];
  const file = path.join(clientDir, '_astro', name);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return false;
  }
  if (!type || !stat.isFile() || name.startsWith('.')) return false;
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': stat.size,
    // Asset names carry a content hash.
    'Cache-Control': 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file).pipe(res);
  return true;
}

export async function startSite(options: SiteOptions): Promise<RunningSite> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const db = openDatabase(options.dbPath, { readonly: true });
  // Map the file instead of copying pages through read(): at 700,000 tools (3.5 GB) searches and pages
  // read scattered rows, and mapped reads measured ~15% faster (bench/site.ts).
  db.pragma('mmap_size = 4294967296');
  let server: http.Server | undefined;
  try {
    await ensureSiteBuilt(log);
    const entry = (await import(pathToFileURL(path.join(DIST_DIR, 'server', 'entry.mjs')).href)) as {
      handler: AstroHandler;
      pageMap?: Map<string, () => Promise<unknown>>;
    };
    // Astro loads a route's page module with import() on every request. Under a module loader with hooks
    // (tsx here) each import() is resolved again on the loader's thread, which cost ~8% of a tool page;
    // the module is the same every time, so keep the first promise.
    for (const [route, load] of entry.pageMap ?? []) {
      let loaded: Promise<unknown> | undefined;
      entry.pageMap!.set(route, () => (loaded ??= load()));
    }
    const clientDir = path.join(DIST_DIR, 'client');
    const catalog: Catalog = { db };
    const publicUrl = options.publicUrl?.replace(/\/+$/, '');
    const cacheMb = options.cacheMb ?? DEFAULT_CACHE_MB;
    const cache =
      cacheMb > 0
        ? new PageCache({
            maxBytes: Math.floor(cacheMb * 1024 * 1024),
            version: () => db.pragma('data_version', { simple: true }) as number,
          })
        : undefined;
    let ownOrigin = '';
    const failed = (req: http.IncomingMessage, res: http.ServerResponse, err: unknown) => {
      log(`mcp-catalog: could not render ${req.url ?? ''}: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    };
    server = http.createServer((req, res) => {
      if (serveAsset(clientDir, req, res)) return;
      const origin = publicUrl ?? requestOrigin(req.headers.host, ownOrigin);
      // No `next`: a path no route matches is rendered by the site's own 404 page.
      const render = (request: http.IncomingMessage, response: http.ServerResponse) =>
        entry.handler(request, response, undefined, { catalog, origin });
      if (!cache || req.method !== 'GET') {
        render(req, res).catch((err: unknown) => failed(req, res, err));
        return;
      }
      // GET pages depend on the origin (canonical URLs) and the URL, nothing else: no page reads cookies or
      // other request headers (only the POST download does).
      cache.get(`${origin} ${req.url ?? '/'}`, req, render).then(
        (answer) => sendAnswer(req, res, answer),
        (err: unknown) => failed(req, res, err),
      );
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(options.port, options.host, () => {
        listening.off('error', reject);
        resolve();
      });
    });
    const { port } = listening.address() as AddressInfo;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    ownOrigin = `http://${host}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      cacheStats: () => cache?.snapshot(),
      close() {
        closing ??= new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeAllConnections();
        }).finally(() => db.close());
        return closing;
      },
    };
  } catch (err) {
    server?.close();
    db.close();
    throw err;
  }
}
