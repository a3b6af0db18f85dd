// JSON twin of the search page.
import type { APIRoute } from 'astro';
import { catalogFrom } from '../lib/catalog.ts';
import { parsePage } from '../lib/pagination.ts';
import { jsonNotFound, jsonResponse } from '../lib/respond.ts';
import { parseFilters, searchModel } from '../lib/search.ts';

export const GET: APIRoute = ({ url, locals }) => {
  const page = parsePage(url.searchParams.get('page'));
  const q = url.searchParams.get('q') ?? '';
  const model =
    page === null ? null : searchModel(catalogFrom(locals).db, q, page, parseFilters(url.searchParams));
  return model ? jsonResponse(model) : jsonNotFound('this page');
};
