// Responses other than HTML pages: JSON twins, policy downloads, and the headers every response carries.
import type { PolicyDownload } from './policy.ts';

/**
 * Scripts only from our own origin (Astro bundles every <script> into a file under /_astro), styles the
 * same, nothing framed, no plugins, forms only to ourselves. Data from servers can never run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * JSON for JSON twins. `<`, `>`, `&` and the two line separators are written as \u escapes so the text
 * stays inert even if something embeds it in HTML or sniffs it; JSON.parse reads it back unchanged.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(safeJson(value), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

export function jsonNotFound(what: string): Response {
  return jsonResponse({ error: 'not found', message: `${what} is not in the catalogue` }, 404);
}

/** A policy file to save: served as an attachment, never rendered by the browser. */
export function downloadResponse(file: PolicyDownload): Response {
  const type = file.mediaType.includes('charset') ? file.mediaType : `${file.mediaType}; charset=utf-8`;
  return new Response(file.content, {
    headers: {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
