// The site's URL scheme. Server ids hold slashes (`npm/@scope/name`, `github:owner/repo/sub`), so a server
// page lives at /servers/<id> with each id segment encoded, and a tool page at
// /servers/<id>/tools/<tool>, the tool name encoded as one segment. Parsing works on the raw (still
// encoded) path, so a tool name holding `/` (sent as %2F) stays one name.

/** Encode one path segment, keeping the characters a path allows as they are (`@`, `:`, `+`). */
export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%40/g, '@').replace(/%3A/gi, ':').replace(/%2B/gi, '+');
}

const encodeId = (id: string): string => id.split('/').map(encodeSegment).join('/');

/**
 * Browsers collapse `.` and `..` segments and an empty one would end the path, so a tool with such a name
 * is addressed by query instead.
 */
const needsQuery = (s: string): boolean => s === '' || s === '.' || s === '..';

export function serverHref(id: string, page = 1): string {
  return `/servers/${encodeId(id)}${page > 1 ? `?page=${page}` : ''}`;
}

export function toolHref(serverId: string, tool: string): string {
  if (needsQuery(tool)) return `/servers/${encodeId(serverId)}?tool=${encodeURIComponent(tool)}`;
  return `/servers/${encodeId(serverId)}/tools/${encodeSegment(tool)}`;
}

/** The JSON twin of a page: the same path with `.json` (`/` → `/index.json`), the same query. */
export function jsonTwin(href: string): string {
  const q = href.indexOf('?');
  const path = q < 0 ? href : href.slice(0, q);
  const query = q < 0 ? '' : href.slice(q);
  return `${path === '/' ? '/index' : path}.json${query}`;
}

export function searchHref(query: string, page = 1): string {
  const params = new URLSearchParams({ q: query });
  if (page > 1) params.set('page', String(page));
  return `/search?${params.toString()}`;
}

export function homeHref(page = 1): string {
  return page > 1 ? `/?page=${page}` : '/';
}

/** Download of a server's whole policy, or of one tool's. */
export function policyHref(serverId: string, tool?: string, format?: string): string {
  const query = format && format !== 'policy.json' ? `?format=${encodeURIComponent(format)}` : '';
  if (tool === undefined) return `/policy/${encodeId(serverId)}.json${query}`;
  if (needsQuery(tool)) {
    const params = new URLSearchParams({ tool });
    if (format && format !== 'policy.json') params.set('format', format);
    return `/policy/${encodeId(serverId)}.json?${params.toString()}`;
  }
  return `/policy/${encodeId(serverId)}/tools/${encodeSegment(tool)}.json${query}`;
}

/** What a path under /servers/ or /policy/ may name, most specific reading first. */
export type Target = { kind: 'server'; serverId: string } | { kind: 'tool'; serverId: string; tool: string };

function decodeSegments(rest: string): string[] | null {
  try {
    return rest.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return null; // malformed percent-encoding
  }
}

/**
 * The readings of the path after `/servers/` (raw, encoded; no `.json`), in the order to try them: the
 * whole path as a server id first, then `<id>/tools/<name>`. A `?tool=` query names the tool directly.
 */
export function targetsOf(rest: string, toolParam?: string | null): Target[] {
  const segments = decodeSegments(rest);
  if (!segments || segments.some((s) => s === '')) return [];
  const whole = segments.join('/');
  if (toolParam !== undefined && toolParam !== null)
    return [{ kind: 'tool', serverId: whole, tool: toolParam }];
  const targets: Target[] = [{ kind: 'server', serverId: whole }];
  if (segments.length >= 3 && segments[segments.length - 2] === 'tools') {
    targets.push({
      kind: 'tool',
      serverId: segments.slice(0, -2).join('/'),
      tool: segments[segments.length - 1]!,
    });
  }
  return targets;
}

/** The raw path after a prefix such as `/servers/`, without a trailing `.json`; null if not under it. */
export function restOf(pathname: string, prefix: string, json: boolean): string | null {
  if (!pathname.startsWith(prefix)) return null;
  let rest = pathname.slice(prefix.length);
  if (json) {
    if (!rest.endsWith('.json')) return null;
    rest = rest.slice(0, -'.json'.length);
  }
  return rest.length > 0 ? rest : null;
}
