// JSON twin of the browse index.
import type { APIRoute } from 'astro';
import { browseIndexModel } from '../lib/browse.ts';
import { catalogFrom } from '../lib/catalog.ts';
import { jsonResponse } from '../lib/respond.ts';

export const GET: APIRoute = ({ locals }) => jsonResponse(browseIndexModel(catalogFrom(locals).db));
