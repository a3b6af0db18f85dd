// JSON twin of the API page.
import type { APIRoute } from 'astro';
import { apiModel } from '../lib/api.ts';
import { jsonResponse } from '../lib/respond.ts';

export const GET: APIRoute = () => jsonResponse(apiModel());
