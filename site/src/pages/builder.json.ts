// JSON twin of the policy builder: the picked servers with each tool's recommended decision.
import type { APIRoute } from 'astro';
import { builderModel } from '../lib/builder.ts';
import { catalogFrom } from '../lib/catalog.ts';
import { jsonResponse } from '../lib/respond.ts';

export const GET: APIRoute = ({ url, locals }) =>
  jsonResponse(
    builderModel(catalogFrom(locals).db, url.searchParams.getAll('server'), url.searchParams.get('q') ?? ''),
  );
