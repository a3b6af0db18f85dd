// JSON twins of server and tool pages: /servers/<id>.json and /servers/<id>/tools/<tool>.json.
import type { APIRoute } from 'astro';
import { catalogFrom } from '../../lib/catalog.ts';
import { resolveServerUrl } from '../../lib/resolve.ts';
import { jsonNotFound, jsonResponse } from '../../lib/respond.ts';

export const GET: APIRoute = ({ url, locals }) => {
  const resolved = resolveServerUrl(catalogFrom(locals).db, url, true);
  if (!resolved) return jsonNotFound('this server or tool');
  return jsonResponse({ kind: resolved.kind, ...resolved.model });
};
