// /sitemaps/<static|servers-N|tools-N>.xml: one chunk of the sitemap.
import type { APIRoute } from 'astro';
import { catalogFrom, originFrom } from '../../lib/catalog.ts';
import { jsonNotFound } from '../../lib/respond.ts';
import { sitemapChunk } from '../../lib/sitemap.ts';

export const GET: APIRoute = ({ params, locals }) => {
  const xml = sitemapChunk(catalogFrom(locals).db, originFrom(locals), params.file ?? '');
  if (xml === null) return jsonNotFound('this sitemap chunk');
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
