// Reads for browsing: tools by category or risk (keyset pages), related and similar tools, sitemap chunks.
// With data/queries.ts, data/search.ts and data/repository.ts, the only SQL there is.
import { prepared, type Db } from './db.ts';
import type { Category, Risk } from './model.ts';
import { rankOf, riskFromRank, toToolSummary, type SearchHit, type ToolRow } from './queries.ts';

/** A tool row as the list queries select it; risk comes as the stored rank. */
type ListRow = Omit<ToolRow, 'risk'> & { risk_rank: number; server_name: string };

export const LIST_COLUMNS = `t.server_id, t.name, t.title, t.description, t.truncated, fc.category AS category,
  coalesce(fc.risk, 0) AS risk_rank, s.name AS server_name`;

export const toHit = (r: ListRow): SearchHit => ({
  ...toToolSummary({ ...r, risk: riskFromRank(r.risk_rank) }),
  serverName: r.server_name,
});

export interface ToolRef {
  id: number;
  serverId: string;
  name: string;
}

export interface BrowseHit extends SearchHit {
  id: number;
}

/**
 * Tools of one category or one risk, in id order after `afterId` (keyset pagination: page 1,000 costs what
 * page 1 does). Returns one more than `limit` is not needed: `next` is the last id when the page is full.
 */
export function browseTools(
  db: Db,
  by: { category: Category } | { risk: Risk },
  afterId: number,
  limit: number,
): { total: number; hits: BrowseHit[]; nextAfter: number | null } {
  const isCategory = 'category' in by;
  const value = isCategory ? by.category : rankOf(by.risk);
  const total = (
    prepared(
      db,
      isCategory
        ? `SELECT coalesce(sum(n), 0) AS n FROM catalog_counts WHERE category = ?`
        : `SELECT coalesce(sum(n), 0) AS n FROM catalog_counts WHERE risk = ?`,
    ).get(value) as { n: number }
  ).n;
  const rows = prepared(
    db,
    `SELECT t.id, ${LIST_COLUMNS}
       FROM tool_facets fc JOIN tools t ON t.id = fc.tool_id JOIN servers s ON s.id = t.server_id
       WHERE ${isCategory ? 'fc.category' : 'fc.risk'} = ? AND fc.tool_id > ? ORDER BY fc.tool_id LIMIT ?`,
  ).all(value, afterId, limit) as (Omit<ToolRow, 'risk'> & {
    id: number;
    risk_rank: number;
    server_name: string;
  })[];
  const hits = rows.map((r) => ({
    ...toToolSummary({ ...r, risk: riskFromRank(r.risk_rank) }),
    id: r.id,
    serverName: r.server_name,
  }));
  return { total, hits, nextAfter: hits.length === limit ? (hits.at(-1)?.id ?? null) : null };
}

/** Other tools of the same server, same category first, then nearest in the server's order. */
export function relatedTools(db: Db, serverId: string, name: string, limit: number): SearchHit[] {
  const rows = prepared(
    db,
    `WITH me AS (SELECT t.position, fc.category AS v_category FROM tools t
         LEFT JOIN tool_facets fc ON fc.tool_id = t.id WHERE t.server_id = @serverId AND t.name = @name)
       SELECT t.server_id, t.name, t.title, t.description, t.truncated, fc.category AS category,
         coalesce(fc.risk, 0) AS risk_rank, s.name AS server_name
       FROM tools t JOIN servers s ON s.id = t.server_id LEFT JOIN tool_facets fc ON fc.tool_id = t.id, me
       WHERE t.server_id = @serverId AND t.name <> @name
       ORDER BY (fc.category IS me.v_category) DESC, abs(t.position - me.position) LIMIT @limit`,
  ).all({ serverId, name, limit }) as (Omit<ToolRow, 'risk'> & { risk_rank: number; server_name: string })[];
  return rows.map((r) => ({
    ...toToolSummary({ ...r, risk: riskFromRank(r.risk_rank) }),
    serverName: r.server_name,
  }));
}

/**
 * Tools in other servers with a similar name: the same name first (the same tool, elsewhere), then names
 * sharing its first word, nearest in name order (`create_issue` → `create_invoice`, `create_index`…), both
 * read from the name index; then, if that is not enough, tools whose text has all of the name's words
 * (full text, a bounded window scored with bm25).
 */
export function similarTools(db: Db, serverId: string, name: string, limit: number): SearchHit[] {
  const found = new Map<string, SearchHit>();
  const add = (rows: ListRow[]) => {
    for (const r of rows) {
      const hit = toHit(r);
      const key = `${hit.serverId}\u0000${hit.name}`;
      if (found.size < limit && !found.has(key)) found.set(key, hit);
    }
  };
  const select = (where: string, order: string) =>
    prepared(
      db,
      `SELECT ${LIST_COLUMNS} FROM tools t JOIN servers s ON s.id = t.server_id
       LEFT JOIN tool_facets fc ON fc.tool_id = t.id
       WHERE ${where} AND t.server_id <> @serverId ORDER BY ${order} LIMIT @limit`,
    );
  add(select('t.name = @name', 't.name, t.server_id').all({ name, serverId, limit }) as ListRow[]);

  // The first word with its separator: `create_` of create_issue, `github.` of github.search.
  const head = /^[\p{L}\p{N}]+[_\-.:/]/u.exec(name.normalize('NFKC'))?.[0];
  if (found.size < limit && head && head.length < name.length) {
    // Names from `head` up to the next possible prefix, on either side of this one.
    const end = head.slice(0, -1) + String.fromCodePoint(head.codePointAt(head.length - 1)! + 1);
    const after = select('t.name > @name AND t.name < @end', 't.name, t.server_id').all({
      name,
      end,
      serverId,
      limit,
    }) as ListRow[];
    const before = select('t.name < @name AND t.name >= @head', 't.name DESC, t.server_id').all({
      name,
      head,
      serverId,
      limit,
    }) as ListRow[];
    // Longest shared beginning first (create_issue: create_invoice before create_zone), then alternating sides.
    const merged: ListRow[] = [];
    for (let i = 0; i < Math.max(after.length, before.length); i++) {
      if (after[i]) merged.push(after[i]!);
      if (before[i]) merged.push(before[i]!);
    }
    const shared = (other: string) => {
      let n = 0;
      while (n < other.length && other[n] === name[n]) n++;
      return n;
    };
    add(
      merged
        .map((r, i) => ({ r, i, n: shared(r.name) }))
        .sort((a, b) => b.n - a.n || a.i - b.i)
        .map((x) => x.r),
    );
  }

  const words = (name.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((w) => w.length > 1)
    .slice(0, 6);
  if (found.size < limit && words.length > 0) {
    const q = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
    add(
      prepared(
        db,
        `SELECT ${LIST_COLUMNS} FROM (
           SELECT rowid AS id, bm25(tools_fts, 10.0, 5.0, 1.0, 3.0) AS score FROM tools_fts
           WHERE tools_fts MATCH @q LIMIT 100) w
         JOIN tools t ON t.id = w.id JOIN servers s ON s.id = t.server_id
         LEFT JOIN tool_facets fc ON fc.tool_id = t.id
         WHERE t.server_id <> @serverId ORDER BY w.score, t.id LIMIT @limit`,
      ).all({ q, serverId, limit: limit + found.size }) as ListRow[],
    );
  }
  return [...found.values()];
}

/** Sitemap chunks: servers by pk and tools by id, `size` to a chunk. */
export function sitemapChunks(db: Db, size: number): { servers: number; tools: number } {
  const max = (sql: string) => (prepared(db, sql).get() as { m: number | null }).m ?? 0;
  return {
    servers: Math.ceil(max(`SELECT max(pk) AS m FROM servers`) / size),
    tools: Math.ceil(max(`SELECT max(id) AS m FROM tools`) / size),
  };
}

/** Server ids with pk in chunk `chunk` (0-based) of `size`. */
export function sitemapServers(
  db: Db,
  chunk: number,
  size: number,
): { id: string; lastCrawled: string | null }[] {
  return prepared(
    db,
    `SELECT id, last_crawled AS lastCrawled FROM servers WHERE pk > ? AND pk <= ? ORDER BY pk`,
  ).all(chunk * size, (chunk + 1) * size) as { id: string; lastCrawled: string | null }[];
}

/** Tools with id in chunk `chunk` (0-based) of `size`. */
export function sitemapTools(db: Db, chunk: number, size: number): (ToolRef & { lastSeen: string })[] {
  return prepared(
    db,
    `SELECT id, server_id AS serverId, name, last_seen AS lastSeen FROM tools WHERE id > ? AND id <= ? ORDER BY id`,
  ).all(chunk * size, (chunk + 1) * size) as (ToolRef & { lastSeen: string })[];
}
