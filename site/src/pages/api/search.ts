// GET /api/search?q=&category=&risk=&tag=&flag=&source=&language=&page= — the search model as JSON, with
// facet counts; links inside point at /api/search too. Documented on /api.
import type { APIRoute } from 'astro';
import { catalogFrom } from '../../lib/catalog.ts';
import { parsePage } from '../../lib/pagination.ts';
import { jsonResponse } from '../../lib/respond.ts';
import { parseFilters, searchModel } from '../../lib/search.ts';

export const GET: APIRoute = ({ url, locals }) => {
  const page = parsePage(url.searchParams.get('page'));
  if (page === null)
    return jsonResponse({ error: 'bad request', message: 'page must be a positive integer' }, 400);
  const q = url.searchParams.get('q') ?? '';
  const model = searchModel(catalogFrom(locals).db, q, page, parseFilters(url.searchParams), '/api/search');
  if (!model) return jsonResponse({ error: 'not found', message: 'past the last page of results' }, 404);
  const { words: _words, ...rest } = model;
  return jsonResponse(rest);
};
