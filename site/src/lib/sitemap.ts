// Sitemaps: an index over chunks of server and tool URLs (ids in fixed ranges, so each chunk is one
// indexed range scan), plus robots.txt. Absolute URLs use the request's origin.
import { sitemapChunks, sitemapServers, sitemapTools } from '../../../data/browse.ts';
import type { Db } from '../../../data/db.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import { serverHref, toolHref } from './urls.ts';

/** Ids per chunk; below the protocol's 50,000 URLs and 50 MB. */
export const SITEMAP_CHUNK = 40_000;

const xmlEscape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const head = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function sitemapIndex(db: Db, origin: string): string {
  const { servers, tools } = sitemapChunks(db, SITEMAP_CHUNK);
  const files = ['static.xml'];
  for (let i = 0; i < servers; i++) files.push(`servers-${i}.xml`);
  for (let i = 0; i < tools; i++) files.push(`tools-${i}.xml`);
  const body = files
    .map((f) => `  <sitemap><loc>${xmlEscape(`${origin}/sitemaps/${f}`)}</loc></sitemap>`)
    .join('\n');
  return `${head}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</sitemapindex>\n`;
}

function urlset(origin: string, entries: { path: string; lastmod?: string | null }[]): string {
  const body = entries
    .map(
      (e) =>
        `  <url><loc>${xmlEscape(origin + e.path)}</loc>${e.lastmod ? `<lastmod>${xmlEscape(e.lastmod.slice(0, 10))}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `${head}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

/** One chunk file by name (`static.xml`, `servers-<n>.xml`, `tools-<n>.xml`), or null. */
export function sitemapChunk(db: Db, origin: string, file: string): string | null {
  if (file === 'static.xml') {
    const paths = ['/', '/browse', '/builder', '/api'];
    for (const c of CATEGORIES) paths.push(`/browse/category/${c}`);
    for (const r of RISKS) paths.push(`/browse/risk/${r}`);
    return urlset(
      origin,
      paths.map((path) => ({ path })),
    );
  }
  const m = /^(servers|tools)-(\d{1,7})\.xml$/.exec(file);
  if (!m) return null;
  const chunk = Number(m[2]);
  const { servers, tools } = sitemapChunks(db, SITEMAP_CHUNK);
  if (m[1] === 'servers') {
    if (chunk >= servers) return null;
    return urlset(
      origin,
      sitemapServers(db, chunk, SITEMAP_CHUNK).map((s) => ({
        path: serverHref(s.id),
        lastmod: s.lastCrawled,
      })),
    );
  }
  if (chunk >= tools) return null;
  return urlset(
    origin,
    sitemapTools(db, chunk, SITEMAP_CHUNK).map((t) => ({
      path: toolHref(t.serverId, t.name),
      lastmod: t.lastSeen,
    })),
  );
}

export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    // Downloads, the builder's form and JSON twins are not pages to index.
    'Disallow: /policy/',
    'Disallow: /builder/download',
    'Disallow: /api/search',
    '',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n');
}
