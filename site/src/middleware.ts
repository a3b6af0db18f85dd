// Every response, pages, JSON twins and downloads alike, carries the security headers.
import { defineMiddleware } from 'astro:middleware';
import { SECURITY_HEADERS } from './lib/respond.ts';

export const onRequest = defineMiddleware(async (_context, next) => {
  const response = await next();
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
  // Pages are rendered as UTF-8; say so rather than leave the browser to guess.
  if (headers.get('Content-Type') === 'text/html') headers.set('Content-Type', 'text/html; charset=utf-8');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});
