// Policy downloads: /policy/<server id>.json (every tool) and /policy/<server id>/tools/<tool>.json (one),
// optionally ?format=<one of POLICY_FORMATS>.
import type { APIRoute } from 'astro';
import { catalogFrom } from '../../lib/catalog.ts';
import { isPolicyFormat, serverPolicy, toolPolicyDownload } from '../../lib/policy.ts';
import { downloadResponse, jsonNotFound, jsonResponse } from '../../lib/respond.ts';
import { restOf, targetsOf } from '../../lib/urls.ts';

export const GET: APIRoute = ({ url, locals }) => {
  const format = url.searchParams.get('format') ?? 'policy.json';
  if (!isPolicyFormat(format))
    return jsonResponse({ error: 'bad request', message: 'unknown policy format' }, 400);
  const rest = restOf(url.pathname, '/policy/', true);
  const { db } = catalogFrom(locals);
  for (const target of rest === null ? [] : targetsOf(rest, url.searchParams.get('tool'))) {
    const file =
      target.kind === 'server'
        ? serverPolicy(db, target.serverId, format)
        : toolPolicyDownload(db, target.serverId, target.tool, format);
    if (file) return downloadResponse(file);
  }
  return jsonNotFound('this server or tool');
};
