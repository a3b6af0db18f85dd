// Search results: tools (bm25, filtered, faceted, paginated, matches highlighted) and the best-matching
// servers, both through the FTS5 index. The page, its JSON twin and /api/search share this model.
import type { Db } from '../../../data/db.ts';
import type { Category, Risk } from '../../../data/model.ts';
import { CATEGORIES, RISKS } from '../../../data/model.ts';
import { searchServers, toFtsQuery } from '../../../data/queries.ts';
import {
  FACET_CAP,
  FILTER_KEYS,
  searchToolsFaceted,
  type FilterKey,
  type SearchFilters,
} from '../../../data/search.ts';
import { queryWords } from './highlight.ts';
import { toServerListItem, type ServerListItem } from './home.ts';
import { makePager, offsetOf, type Pager } from './pagination.ts';
import { serverHref, toolHref } from './urls.ts';

export const TOOLS_PER_SEARCH_PAGE = 50;
export const SERVERS_PER_SEARCH = 10;
/** Longest query taken; the rest is ignored (the FTS query keeps 16 words anyway). */
export const MAX_QUERY_CHARS = 200;
/** Values taken per filter, and their longest length. */
const MAX_FILTER_VALUES = 10;
const MAX_FILTER_CHARS = 100;

export { FILTER_KEYS, type FilterKey, type SearchFilters };

export interface ToolHit {
  name: string;
  title: string | null;
  description: string;
  href: string;
  serverId: string;
  serverName: string;
  serverHref: string;
  category: Category | null;
  risk: Risk | null;
}

export interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
  /** This search with the value toggled (added when off, removed when on), from page 1. */
  href: string;
}

export interface SearchModel {
  query: string;
  /** False when the query holds nothing searchable (empty, only punctuation). */
  searched: boolean;
  /** Lower-cased query words, for highlighting. */
  words: string[];
  filters: SearchFilters;
  /** True when the tool total and facet counts stopped at `countCap` matches. */
  capped: boolean;
  countCap: number;
  facets: Record<FilterKey, FacetValue[]>;
  servers: { total: number; hits: ServerListItem[] };
  tools: { total: number; hits: ToolHit[]; pager: Pager };
}

/** Filters from a query string: known categories and risks only; other values trimmed and bounded. */
export function parseFilters(params: URLSearchParams): SearchFilters {
  const take = (key: string) =>
    [...new Set(params.getAll(key).map((v) => v.trim().slice(0, MAX_FILTER_CHARS)))]
      .filter((v) => v.length > 0)
      .slice(0, MAX_FILTER_VALUES);
  const filters: SearchFilters = {};
  const category = take('category').filter((c): c is Category =>
    (CATEGORIES as readonly string[]).includes(c),
  );
  const risk = take('risk').filter((r): r is Risk => (RISKS as readonly string[]).includes(r));
  if (category.length) filters.category = category;
  if (risk.length) filters.risk = risk;
  for (const key of ['tag', 'flag', 'source', 'language'] as const) {
    const values = take(key);
    if (values.length) filters[key] = values;
  }
  return filters;
}

/** /search (or /api/search) with a query, filters and page, in a stable parameter order. */
export function searchUrl(base: string, query: string, filters: SearchFilters, page = 1): string {
  const params = new URLSearchParams({ q: query });
  for (const key of FILTER_KEYS) for (const v of filters[key] ?? []) params.append(key, v);
  if (page > 1) params.set('page', String(page));
  return `${base}?${params.toString()}`;
}

function toggled(filters: SearchFilters, key: FilterKey, value: string): SearchFilters {
  const current = (filters[key] ?? []) as string[];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const out = { ...filters } as Record<FilterKey, string[] | undefined>;
  if (next.length) out[key] = next;
  else delete out[key];
  return out as SearchFilters;
}

/** The search page model, or null when `page` is past the last page of tool hits. */
export function searchModel(
  db: Db,
  rawQuery: string,
  page: number,
  filters: SearchFilters = {},
  base = '/search',
): SearchModel | null {
  const query = rawQuery.slice(0, MAX_QUERY_CHARS).trim();
  const searched = toFtsQuery(query) !== null;
  const result = searched
    ? searchToolsFaceted(db, query, filters, {
        limit: TOOLS_PER_SEARCH_PAGE,
        offset: offsetOf(page, TOOLS_PER_SEARCH_PAGE),
      })
    : null;
  const total = result?.total ?? 0;
  const pager = makePager(total, page, TOOLS_PER_SEARCH_PAGE, (n) => searchUrl(base, query, filters, n));
  if (!pager) return null;
  const servers = searched ? searchServers(db, query, { limit: SERVERS_PER_SEARCH, offset: 0 }) : null;
  const facets = Object.fromEntries(
    FILTER_KEYS.map((key) => {
      const selected = (filters[key] ?? []) as string[];
      const counted = result?.facets[key] ?? [];
      // A selected value always shows, so it can be switched off even when it matches nothing.
      const values = [
        ...counted,
        ...selected.filter((v) => !counted.some((c) => c.value === v)).map((v) => ({ value: v, count: 0 })),
      ];
      return [
        key,
        values.map((f) => ({
          value: f.value,
          count: f.count,
          selected: selected.includes(f.value),
          href: searchUrl(base, query, toggled(filters, key, f.value)),
        })),
      ];
    }),
  ) as Record<FilterKey, FacetValue[]>;
  return {
    query,
    searched,
    words: queryWords(query),
    filters,
    capped: result?.capped ?? false,
    countCap: FACET_CAP,
    facets,
    servers: { total: servers?.total ?? 0, hits: (servers?.servers ?? []).map(toServerListItem) },
    tools: {
      total,
      pager,
      hits: (result?.hits ?? []).map((h) => ({
        name: h.name,
        title: h.title,
        description: h.description,
        href: toolHref(h.serverId, h.name),
        serverId: h.serverId,
        serverName: h.serverName,
        serverHref: serverHref(h.serverId),
        category: h.category,
        risk: h.risk,
      })),
    },
  };
}
