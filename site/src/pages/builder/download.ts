// POST /builder/download: the builder's form → the policy file it asks for, as an attachment.
import type { APIRoute } from 'astro';
import { BuilderError, builderDownload } from '../../lib/builder.ts';
import { catalogFrom, originFrom } from '../../lib/catalog.ts';
import { downloadResponse } from '../../lib/respond.ts';

/** Bigger forms than 10 servers × 500 tools ever send are refused before parsing. */
const MAX_FORM_BYTES = 2_000_000;

const problem = (message: string, status = 400) =>
  new Response(`Cannot build the policy: ${message}.\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });

export const POST: APIRoute = async ({ request, locals }) => {
  // Only our own pages post here (the route changes nothing, but other sites have no business using it).
  // Browsers say where a request comes from in Sec-Fetch-Site; Origin is "null" under our no-referrer
  // policy, so it decides only for clients that send no Sec-Fetch-Site.
  const site = request.headers.get('sec-fetch-site');
  const from = request.headers.get('origin');
  const foreign = site
    ? site !== 'same-origin' && site !== 'none'
    : from !== null && from !== 'null' && from !== originFrom(locals);
  if (foreign) return problem('the form must come from this site', 403);
  if (Number(request.headers.get('content-length') ?? 0) > MAX_FORM_BYTES)
    return problem('the form is too large', 413);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return problem('the request is not a form');
  }
  try {
    return downloadResponse(builderDownload(catalogFrom(locals).db, form));
  } catch (err) {
    if (err instanceof BuilderError) return problem(err.message);
    throw err;
  }
};
