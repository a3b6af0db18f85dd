// JSON twin of the home page.
import type { APIRoute } from 'astro';
import { catalogFrom } from '../lib/catalog.ts';
import { homeModel } from '../lib/home.ts';
import { parsePage } from '../lib/pagination.ts';
import { jsonNotFound, jsonResponse } from '../lib/respond.ts';

export const GET: APIRoute = ({ url, locals }) => {
  const page = parsePage(url.searchParams.get('page'));
  const model = page === null ? null : homeModel(catalogFrom(locals).db, page);
  return model ? jsonResponse(model) : jsonNotFound('this page');
};
