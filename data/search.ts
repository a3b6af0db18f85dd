// Faceted tool search over FTS5: bm25 ranking, prefix terms, filters (category, risk, tag, flag, source,
// language) and facet counts, in bounded passes: the first RANK_WINDOW filtered matches in catalogue
// order are scored, counted and ranked. A query matching 60,000 of 700,000 tools then costs ~1,000 scored
// rows instead of 60,000 (bm25 over every match took 100-200 ms there); below the window the ranking and
// counts are exact, above it the page says the counts stop and that more words or filters narrow it.
// Filters apply within the first SCAN_WINDOW matches, so a rare filter on a common word stays bounded too.
//
// Whole words first: the window is filled with tools that have every word as typed, ranked by bm25, and
// only when those do not fill it does the prefix pass (the last word as a prefix: `file` → files,
// filesystem…) add the rest, ranked after them. Scoring a prefix term reads every expansion's positions (5x the cost of a whole word on
// this corpus), so a common word is answered from whole-word matches alone.
import { prepared, type Db } from './db.ts';
import type { Category, Risk } from './model.ts';
import { CATEGORIES, RISKS } from './model.ts';
import { LIST_COLUMNS, toHit } from './browse.ts';
import { rankOf, toFtsQuery, type Page, type SearchHit } from './queries.ts';

/** Matches scored, counted and ranked per query; beyond it the page says "more than". */
export const RANK_WINDOW = 1_000;
/** Matches a filtered search reads to find them: filters are applied within the first SCAN_WINDOW. */
export const SCAN_WINDOW = 10_000;
/** Kept for readers of the facet cap: the same window. */
export const FACET_CAP = RANK_WINDOW;

/** Languages known from a tool's source file extension. */
export const LANGUAGES: Record<string, readonly string[]> = {
  TypeScript: ['.ts', '.tsx', '.mts', '.cts'],
  JavaScript: ['.js', '.mjs', '.cjs', '.jsx'],
  Python: ['.py'],
  Go: ['.go'],
  Rust: ['.rs'],
  Java: ['.java'],
  Kotlin: ['.kt'],
  'C#': ['.cs'],
};

/** The language of a stored extension (tool_facets.ext: lower case, no dot). */
const LANGUAGE_BY_EXT = new Map(
  Object.entries(LANGUAGES).flatMap(([language, exts]) => exts.map((e) => [e.slice(1), language] as const)),
);

function languageOfExt(ext: string | null): string | null {
  return LANGUAGE_BY_EXT.get(ext ?? '') ?? null;
}

/** The language of a source file, by the extension migration 009 stores for it. */
export function languageOf(sourcePath: string | null): string | null {
  const dot = sourcePath?.lastIndexOf('.') ?? -1;
  return dot < 0 ? null : languageOfExt(sourcePath!.slice(dot + 1).toLowerCase());
}

export interface SearchFilters {
  category?: Category[];
  risk?: Risk[];
  tag?: string[];
  flag?: string[];
  source?: string[];
  language?: string[];
}

export const FILTER_KEYS = ['category', 'risk', 'tag', 'flag', 'source', 'language'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type Facets = Record<FilterKey, { value: string; count: number }[]>;

export interface FacetedSearch {
  /** Matches after filters, exact up to FACET_CAP. */
  total: number;
  capped: boolean;
  facets: Facets;
  hits: (SearchHit & { id: number })[];
}

interface Where {
  sql: string[];
  params: Record<string, string | number>;
}

/** Filters as SQL over `fc` (tool_facets): OR within one filter, AND across filters. */
function whereOf(filters: SearchFilters): Where {
  const sql: string[] = [];
  const params: Record<string, string | number> = {};
  const anyOf = (key: string, values: readonly (string | number)[], clause: (p: string) => string) => {
    if (values.length === 0) return;
    const parts = values.map((v, i) => {
      params[`${key}${i}`] = v;
      return clause(`@${key}${i}`);
    });
    sql.push(`(${parts.join(' OR ')})`);
  };
  anyOf('cat', filters.category ?? [], (p) => `fc.category = ${p}`);
  anyOf('risk', (filters.risk ?? []).map(rankOf), (p) => `fc.risk = ${p}`);
  // LIKE wildcards in a user's tag or flag match literally.
  const like = (v: string) => `% ${v.replace(/[\\%_]/g, (c) => `\\${c}`)} %`;
  anyOf('tag', (filters.tag ?? []).map(like), (p) => `fc.tags LIKE ${p} ESCAPE '\\'`);
  anyOf('flag', (filters.flag ?? []).map(like), (p) => `fc.flags LIKE ${p} ESCAPE '\\'`);
  anyOf('src', filters.source ?? [], (p) => `fc.source = ${p}`);
  // An unknown language matches no extension (never the '' of tools without a known source file).
  const exts = (filters.language ?? []).flatMap((l) => LANGUAGES[l] ?? ['.?']).map((e) => e.slice(1));
  anyOf('ext', exts, (p) => `fc.ext = ${p}`);
  return { sql, params };
}

function emptyFacets(): Facets {
  return { category: [], risk: [], tag: [], flag: [], source: [], language: [] };
}

function countInto(map: Map<string, number>, key: string | null): void {
  if (key) map.set(key, (map.get(key) ?? 0) + 1);
}

const sorted = (m: Map<string, number>, order?: readonly string[]) =>
  [...m.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) =>
      order
        ? order.indexOf(a.value) - order.indexOf(b.value)
        : b.count - a.count || (a.value < b.value ? -1 : 1),
    );

interface WindowRow {
  id: number;
  score: number;
  category: string | null;
  risk: number | null;
  tags: string | null;
  flags: string | null;
  source: string | null;
  ext: string | null;
}

/** The first `window` filtered matches of one FTS query, in catalogue order, with their bm25 scores. */
function matchWindow(db: Db, q: string, where: Where, window: number): WindowRow[] {
  const filterSql = where.sql.length ? `AND ${where.sql.join(' AND ')}` : '';
  // The FTS match stays the outer loop (a LEFT JOIN is never reordered): with a category filter the planner
  // would otherwise walk the category index and probe the full-text index once per tool. Everything the
  // filters and facet counts need is in the narrow facets row (migration 009), so no tool or server row is
  // read here.
  return prepared(
    db,
    `SELECT f.id, f.score, fc.category, fc.risk, fc.tags, fc.flags, fc.source, fc.ext
     FROM (SELECT rowid AS id, bm25(tools_fts, 10.0, 5.0, 1.0, 3.0) AS score FROM tools_fts
           WHERE tools_fts MATCH @q LIMIT @scan) f
     LEFT JOIN tool_facets fc ON fc.tool_id = f.id
     WHERE 1 ${filterSql} LIMIT @window`,
  ).all({ ...where.params, q, scan: SCAN_WINDOW, window }) as WindowRow[];
}

/** Search tools. Returns null when the input holds nothing searchable. */
export function searchToolsFaceted(
  db: Db,
  input: string,
  filters: SearchFilters,
  page: Page,
): FacetedSearch | null {
  const prefixQuery = toFtsQuery(input);
  const exactQuery = toFtsQuery(input, 'none');
  if (!prefixQuery || !exactQuery) return null;
  const where = whereOf(filters);
  // Whole-word matches, best bm25 first (it is negative: lower is better), ties in catalogue order.
  const byScore = (a: WindowRow, b: WindowRow) => a.score - b.score || a.id - b.id;
  const window = matchWindow(db, exactQuery, where, RANK_WINDOW).sort(byScore);
  // Whether matches go on past what was read (the page then says the counts stop).
  let capped = window.length >= RANK_WINDOW;
  if (!capped) {
    const seen = new Set(window.map((r) => r.id));
    const prefixed = matchWindow(db, prefixQuery, where, RANK_WINDOW);
    capped = prefixed.length >= RANK_WINDOW;
    const more = prefixed.filter((r) => !seen.has(r.id)).sort(byScore);
    window.push(...more.slice(0, RANK_WINDOW - window.length));
  }
  const maps = Object.fromEntries(FILTER_KEYS.map((k) => [k, new Map<string, number>()])) as Record<
    FilterKey,
    Map<string, number>
  >;
  for (const r of window) {
    countInto(maps.category, r.category);
    countInto(maps.risk, RISKS[(r.risk ?? 0) - 1] ?? null);
    for (const t of (r.tags ?? '').split(' ')) countInto(maps.tag, t || null);
    for (const f of (r.flags ?? '').split(' ')) countInto(maps.flag, f || null);
    countInto(maps.source, r.source || null);
    countInto(maps.language, languageOfExt(r.ext));
  }
  const facets = emptyFacets();
  facets.category = sorted(maps.category, CATEGORIES);
  facets.risk = sorted(maps.risk, RISKS);
  for (const k of ['tag', 'flag', 'source', 'language'] as const) facets[k] = sorted(maps[k]).slice(0, 30);

  const pageIds = window.slice(page.offset, page.offset + page.limit).map((r) => r.id);
  const rows = pageIds.length
    ? (prepared(
        db,
        `SELECT t.id, ${LIST_COLUMNS} FROM tools t JOIN servers s ON s.id = t.server_id
         LEFT JOIN tool_facets fc ON fc.tool_id = t.id WHERE t.id IN (${pageIds.map(() => '?').join(', ')})`,
      ).all(...pageIds) as (Parameters<typeof toHit>[0] & { id: number })[])
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    total: window.length,
    capped: capped || window.length >= RANK_WINDOW,
    facets,
    hits: pageIds.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ ...toHit(r), id }] : [];
    }),
  };
}

/** The bare FTS5 query, for the benchmark's floor: ranked ids only, no joins. */
export function searchIdsOnly(db: Db, input: string, limit: number): number[] {
  const q = toFtsQuery(input);
  if (!q) return [];
  return db
    .prepare(
      `SELECT rowid FROM tools_fts WHERE tools_fts MATCH ? ORDER BY bm25(tools_fts, 10.0, 5.0, 1.0, 3.0) LIMIT ?`,
    )
    .pluck()
    .all(q, limit) as number[];
}
