// JSON twin of a browse page: /browse/<kind>/<value>.json?after=<id>.
import type { APIRoute } from 'astro';
import { browseModel, parseAfter, parseBrowse } from '../../../lib/browse.ts';
import { catalogFrom } from '../../../lib/catalog.ts';
import { jsonNotFound, jsonResponse } from '../../../lib/respond.ts';

export const GET: APIRoute = ({ params, url, locals }) => {
  const by = parseBrowse(params.kind, params.value);
  const after = parseAfter(url.searchParams.get('after'));
  if (!by || after === null) return jsonNotFound('this page');
  return jsonResponse(browseModel(catalogFrom(locals).db, by, after));
};
