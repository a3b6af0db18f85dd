// /sitemap.xml: the sitemap index.
import type { APIRoute } from 'astro';
import { catalogFrom, originFrom } from '../lib/catalog.ts';
import { sitemapIndex } from '../lib/sitemap.ts';

export const GET: APIRoute = ({ locals }) =>
  new Response(sitemapIndex(catalogFrom(locals).db, originFrom(locals)), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
