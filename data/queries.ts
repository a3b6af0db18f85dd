// Reads from the catalogue, shared by the CLI and the site. With data/repository.ts, the only SQL there is.
import { prepared, type Db } from './db.ts';
import type { Category, Risk, ServerInfo, ServerRef, ToolDefinition, Verdict } from './model.ts';
import { CATEGORIES, RISKS } from './model.ts';

export interface Page {
  limit: number;
  offset: number;
}

export interface CatalogStats {
  servers: number;
  tools: number;
  failedServers: number;
  byCategory: Record<Category, number>;
  byRisk: Record<Risk, number>;
  lastRun: {
    id: number;
    source: string;
    startedAt: string;
    finishedAt: string | null;
    status: string;
  } | null;
}

export interface ServerSummary {
  id: string;
  name: string;
  description: string | null;
  toolCount: number;
  lastStatus: string | null;
  /** The highest risk among its tools, or null when it has none. */
  maxRisk: Risk | null;
}

export interface ServerDetail extends ServerSummary {
  repositoryUrl: string | null;
  homepageUrl: string | null;
  source: string;
  ref: ServerRef;
  info: ServerInfo | null;
  firstSeen: string;
  lastCrawled: string | null;
  lastError: string | null;
  byCategory: Record<Category, number>;
  byRisk: Record<Risk, number>;
}

export interface ToolSummary {
  serverId: string;
  name: string;
  title: string | null;
  description: string;
  category: Category | null;
  risk: Risk | null;
  truncated: string[];
}

export interface ToolDetail extends ToolSummary {
  serverName: string;
  definition: ToolDefinition;
  verdict: Verdict | null;
  defHash: string;
  firstSeen: string;
  lastSeen: string;
  history: { defHash: string; category: string | null; risk: string | null; seenAt: string }[];
}

export interface SearchHit extends ToolSummary {
  serverName: string;
}

interface CountRow {
  category: string;
  risk: number;
  n: number;
}

/** Rows of (category, risk rank, n) from the stored counts → totals by category and by risk. */
function countsFrom(rows: CountRow[]): {
  byCategory: Record<Category, number>;
  byRisk: Record<Risk, number>;
  total: number;
  maxRisk: Risk | null;
} {
  const byCategory = zeroCounts(CATEGORIES);
  const byRisk = zeroCounts(RISKS);
  let total = 0;
  let max = 0;
  for (const r of rows) {
    total += r.n;
    if ((CATEGORIES as readonly string[]).includes(r.category)) byCategory[r.category as Category] += r.n;
    const risk = riskFromRank(r.risk);
    if (risk) byRisk[risk] += r.n;
    if (r.n > 0 && r.risk > max) max = r.risk;
  }
  return { byCategory, byRisk, total, maxRisk: riskFromRank(max) };
}

const zeroCounts = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export const riskFromRank = (rank: number | null): Risk | null => (rank ? (RISKS[rank - 1] ?? null) : null);

// The verdict a page shows: the newest one stored for the tool (one per classifier), ties broken by the
// later write, as migration 005's triggers and the repository pick it.
const CURRENT_VERDICT = `LEFT JOIN verdicts v ON v.rowid = (
  SELECT rowid FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)`;

export function getStats(db: Db): CatalogStats {
  const servers = (prepared(db, `SELECT count(*) AS n FROM servers`).get() as { n: number }).n;
  const failedServers = (
    prepared(db, `SELECT count(*) AS n FROM servers WHERE last_status = 'failed'`).get() as { n: number }
  ).n;
  // Stored counts (migration 005), kept by triggers: no scan of 700,000 tools per page view.
  const {
    byCategory,
    byRisk,
    total: tools,
  } = countsFrom(
    prepared(db, `SELECT category, risk, n FROM catalog_counts WHERE n > 0`).all() as CountRow[],
  );
  const run = prepared(
    db,
    `SELECT id, source, started_at AS startedAt, finished_at AS finishedAt, status FROM crawl_runs
       ORDER BY id DESC LIMIT 1`,
  ).get() as CatalogStats['lastRun'] | undefined;
  return { servers, tools, failedServers, byCategory, byRisk, lastRun: run ?? null };
}

interface ServerRow {
  id: string;
  name: string;
  description: string | null;
  tool_count: number;
  last_status: string | null;
  max_risk: number | null;
}

const toSummary = (r: ServerRow): ServerSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  toolCount: r.tool_count,
  lastStatus: r.last_status,
  maxRisk: riskFromRank(r.max_risk),
});

const MAX_RISK_SQL = `(SELECT max(risk) FROM server_counts c WHERE c.server_id = s.id AND c.n > 0)`;
const SERVER_SUMMARY_SQL = `SELECT s.id, s.name, s.description, s.tool_count, s.last_status,
  ${MAX_RISK_SQL} AS max_risk FROM servers s`;

export function listServers(db: Db, page: Page): { total: number; servers: ServerSummary[] } {
  const total = (prepared(db, `SELECT count(*) AS n FROM servers`).get() as { n: number }).n;
  const rows = prepared(
    db,
    `${SERVER_SUMMARY_SQL} ORDER BY s.name COLLATE NOCASE, s.id LIMIT ? OFFSET ?`,
  ).all(page.limit, page.offset) as ServerRow[];
  return { total, servers: rows.map(toSummary) };
}

export function getServer(db: Db, id: string): ServerDetail | undefined {
  const row = prepared(db, `SELECT s.*, ${MAX_RISK_SQL} AS max_risk FROM servers s WHERE s.id = ?`).get(
    id,
  ) as
    | (ServerRow & {
        repository_url: string | null;
        homepage_url: string | null;
        source: string;
        ref_json: string;
        info_json: string | null;
        first_seen: string;
        last_crawled: string | null;
        last_error: string | null;
      })
    | undefined;
  if (!row) return undefined;
  const { byCategory, byRisk } = countsFrom(
    prepared(db, `SELECT category, risk, n FROM server_counts WHERE server_id = ?`).all(id) as CountRow[],
  );
  return {
    ...toSummary(row),
    repositoryUrl: row.repository_url,
    homepageUrl: row.homepage_url,
    source: row.source,
    ref: JSON.parse(row.ref_json) as ServerRef,
    info: row.info_json ? (JSON.parse(row.info_json) as ServerInfo) : null,
    firstSeen: row.first_seen,
    lastCrawled: row.last_crawled,
    lastError: row.last_error,
    byCategory,
    byRisk,
  };
}

export interface ToolRow {
  server_id: string;
  name: string;
  title: string | null;
  description: string;
  category: Category | null;
  risk: Risk | null;
  truncated: string | null;
}

export const toToolSummary = (r: ToolRow): ToolSummary => ({
  serverId: r.server_id,
  name: r.name,
  title: r.title,
  description: r.description,
  category: r.category,
  risk: r.risk,
  truncated: r.truncated ? (JSON.parse(r.truncated) as string[]) : [],
});

export type ToolSort = 'position' | 'name' | 'risk' | 'category';
export const TOOL_SORTS: readonly ToolSort[] = ['position', 'name', 'risk', 'category'];

export interface ToolFilter {
  category?: Category | undefined;
  risk?: Risk | undefined;
  sort?: ToolSort | undefined;
}

const SORT_SQL: Record<ToolSort, string> = {
  position: 't.position',
  name: 't.name, t.position',
  // Most dangerous first.
  risk: 'fc.risk DESC, t.position',
  category: `CASE fc.category WHEN 'Execute' THEN 0 WHEN 'Destructive' THEN 1 WHEN 'Write' THEN 2
    WHEN 'Read' THEN 3 ELSE 4 END, fc.risk DESC, t.position`,
};

export const rankOf = (risk: Risk): number => RISKS.indexOf(risk) + 1;

/** A server's tools, one page, optionally filtered by category and risk and sorted. */
export function listServerTools(
  db: Db,
  serverId: string,
  page: Page,
  filter: ToolFilter = {},
): { total: number; tools: ToolSummary[] } {
  const where = ['t.server_id = @serverId'];
  if (filter.category) where.push('fc.category = @category');
  if (filter.risk) where.push('fc.risk = @risk');
  const params = {
    serverId,
    category: filter.category ?? null,
    risk: filter.risk ? rankOf(filter.risk) : null,
    limit: page.limit,
    offset: page.offset,
  };
  const total = (
    prepared(
      db,
      `SELECT count(*) AS n FROM tools t LEFT JOIN tool_facets fc ON fc.tool_id = t.id WHERE ${where.join(' AND ')}`,
    ).get(params) as { n: number }
  ).n;
  const rows = prepared(
    db,
    `SELECT t.server_id, t.name, t.title, t.description, fc.category AS category, coalesce(fc.risk, 0) AS risk_rank,
         t.truncated
       FROM tools t LEFT JOIN tool_facets fc ON fc.tool_id = t.id WHERE ${where.join(' AND ')} ORDER BY ${SORT_SQL[filter.sort ?? 'position']}
       LIMIT @limit OFFSET @offset`,
  ).all(params) as (Omit<ToolRow, 'risk'> & { risk_rank: number })[];
  return { total, tools: rows.map((r) => toToolSummary({ ...r, risk: riskFromRank(r.risk_rank) })) };
}

/** Name, category, risk and confidence of every tool of a server (up to `limit`), for policies and the builder. */
export function listServerToolVerdicts(
  db: Db,
  serverId: string,
  limit: number,
): { name: string; category: Category | null; risk: Risk | null; confidence: number | null }[] {
  const rows = prepared(
    db,
    `SELECT t.name, fc.category, coalesce(fc.risk, 0) AS risk,
         (SELECT confidence FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
           AS confidence
       FROM tools t LEFT JOIN tool_facets fc ON fc.tool_id = t.id WHERE t.server_id = ? ORDER BY t.position LIMIT ?`,
  ).all(serverId, limit) as {
    name: string;
    category: Category | null;
    risk: number;
    confidence: number | null;
  }[];
  return rows.map((r) => ({ ...r, risk: riskFromRank(r.risk) }));
}

/** Every tool's full verdict and declared annotations, for the server's grade. */
export function listServerGradeInputs(
  db: Db,
  serverId: string,
  limit: number,
): { name: string; verdict: Verdict | null; annotations: ToolDefinition['annotations'] | null }[] {
  const rows = prepared(
    db,
    `SELECT t.name, v.verdict, json_extract(t.definition, '$.annotations') AS annotations
       FROM tools t ${CURRENT_VERDICT} WHERE t.server_id = ? ORDER BY t.position LIMIT ?`,
  ).all(serverId, limit) as { name: string; verdict: string | null; annotations: string | null }[];
  return rows.map((r) => ({
    name: r.name,
    verdict: r.verdict ? (JSON.parse(r.verdict) as Verdict) : null,
    annotations: r.annotations ? (JSON.parse(r.annotations) as ToolDefinition['annotations']) : null,
  }));
}

/** Every tool of a server with its verdict, in served order (for policies and scans). */
export function listServerToolDetails(db: Db, serverId: string): ToolDetail[] {
  const names = prepared(db, `SELECT name FROM tools WHERE server_id = ? ORDER BY position`)
    .pluck()
    .all(serverId) as string[];
  return names.map((n) => getTool(db, serverId, n)).filter((t): t is ToolDetail => t !== undefined);
}

export function getTool(db: Db, serverId: string, name: string): ToolDetail | undefined {
  const row = prepared(
    db,
    `SELECT t.id, t.server_id, t.name, t.title, t.description, t.truncated, t.definition, t.def_hash, t.first_seen,
         t.last_seen, v.category, v.risk, v.verdict, s.name AS server_name
       FROM tools t JOIN servers s ON s.id = t.server_id ${CURRENT_VERDICT}
       WHERE t.server_id = ? AND t.name = ?`,
  ).get(serverId, name) as
    | (ToolRow & {
        id: number;
        definition: string;
        def_hash: string;
        first_seen: string;
        last_seen: string;
        verdict: string | null;
        server_name: string;
      })
    | undefined;
  if (!row) return undefined;
  const history = prepared(
    db,
    `SELECT def_hash AS defHash, category, risk, seen_at AS seenAt FROM tool_history WHERE tool_id = ?
       ORDER BY seen_at, rowid`,
  ).all(row.id) as ToolDetail['history'];
  return {
    ...toToolSummary(row),
    serverName: row.server_name,
    definition: JSON.parse(row.definition) as ToolDefinition,
    verdict: row.verdict ? (JSON.parse(row.verdict) as Verdict) : null,
    defHash: row.def_hash,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    history,
  };
}

/**
 * Turn what a person typed into a safe FTS5 query: every word becomes a quoted term, so operators and
 * quotes in the input are taken literally. The last word is a prefix term (`'last'`, as in search as you
 * type: `list us` finds "list users"), or none is (`'none'`). Returns null when nothing searchable is left.
 */
export function toFtsQuery(input: string, prefix: 'last' | 'none' = 'last'): string | null {
  const words = (input.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 16);
  if (words.length === 0) return null;
  return words
    .map((w, i) => `"${w.replaceAll('"', '""')}"${prefix === 'last' && i === words.length - 1 ? '*' : ''}`)
    .join(' ');
}

export function searchTools(db: Db, input: string, page: Page): { total: number; hits: SearchHit[] } {
  const q = toFtsQuery(input);
  if (!q) return { total: 0, hits: [] };
  const total = (
    prepared(db, `SELECT count(*) AS n FROM tools_fts WHERE tools_fts MATCH ?`).get(q) as { n: number }
  ).n;
  const rows = prepared(
    db,
    `SELECT t.server_id, t.name, t.title, t.description, t.truncated, fc.category AS category,
         coalesce(fc.risk, 0) AS risk_rank, s.name AS server_name
       FROM tools_fts f JOIN tools t ON t.id = f.rowid JOIN servers s ON s.id = t.server_id
       LEFT JOIN tool_facets fc ON fc.tool_id = t.id
       WHERE tools_fts MATCH ? ORDER BY bm25(tools_fts, 10.0, 5.0, 1.0, 3.0) LIMIT ? OFFSET ?`,
  ).all(q, page.limit, page.offset) as (Omit<ToolRow, 'risk'> & {
    risk_rank: number;
    server_name: string;
  })[];
  return {
    total,
    hits: rows.map((r) => ({
      ...toToolSummary({ ...r, risk: riskFromRank(r.risk_rank) }),
      serverName: r.server_name,
    })),
  };
}

export function searchServers(
  db: Db,
  input: string,
  page: Page,
): { total: number; servers: ServerSummary[] } {
  const q = toFtsQuery(input);
  if (!q) return { total: 0, servers: [] };
  const total = (
    prepared(db, `SELECT count(*) AS n FROM servers_fts WHERE servers_fts MATCH ?`).get(q) as { n: number }
  ).n;
  const rows = prepared(
    db,
    `${SERVER_SUMMARY_SQL} JOIN servers_fts f ON f.rowid = s.pk WHERE servers_fts MATCH ?
       ORDER BY bm25(servers_fts, 5.0, 10.0, 1.0) LIMIT ? OFFSET ?`,
  ).all(q, page.limit, page.offset) as ServerRow[];
  return { total, servers: rows.map(toSummary) };
}

export interface FailureRow {
  runId: number | null;
  serverId: string;
  kind: string;
  reason: string;
  at: string;
}

export function listFailures(db: Db, filter: { runId?: number; serverId?: string } = {}): FailureRow[] {
  return prepared(
    db,
    `SELECT run_id AS runId, server_id AS serverId, kind, reason, at FROM crawl_failures
       WHERE (@runId IS NULL OR run_id = @runId) AND (@serverId IS NULL OR server_id = @serverId) ORDER BY id`,
  ).all({ runId: filter.runId ?? null, serverId: filter.serverId ?? null }) as FailureRow[];
}
