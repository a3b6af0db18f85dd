// Writes to the catalogue. This file and data/queries.ts own all SQL; everything else calls these verbs.
import { prepared, type Db } from './db.ts';
import { definitionHash } from './hash.ts';
import { capToolDefinition, LIMITS } from './limits.ts';
import type { FailureKind, ServerInfo, ServerRef, ToolDefinition, Verdict } from './model.ts';

const nowIso = (): string => new Date().toISOString();

const UPSERT_SERVER = `INSERT INTO servers (id, name, description, repository_url, homepage_url, source, ref_json,
    first_seen)
  VALUES (@id, @name, @description, @repositoryUrl, @homepageUrl, @source, @ref, @now)
  ON CONFLICT(id) DO UPDATE SET
    name = excluded.name, description = excluded.description, repository_url = excluded.repository_url,
    homepage_url = excluded.homepage_url, source = excluded.source, ref_json = excluded.ref_json`;

const serverRow = (ref: ServerRef) => ({
  id: ref.id,
  name: ref.name,
  description: ref.description ?? null,
  repositoryUrl: ref.repositoryUrl ?? null,
  homepageUrl: ref.homepageUrl ?? null,
  source: ref.source,
  ref: JSON.stringify(ref),
});

export function upsertServer(db: Db, ref: ServerRef, now = nowIso()): void {
  prepared(db, UPSERT_SERVER).run({ ...serverRow(ref), now });
}

export interface ToolChange {
  name: string;
  kind: 'added' | 'changed' | 'removed';
  previousRisk?: string | undefined;
  risk?: string | undefined;
}

export interface StoreResult {
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  /** Names the server listed more than once; the first definition is kept. */
  duplicates: string[];
  changes: ToolChange[];
}

export interface ClassifiedDefinition {
  definition: ToolDefinition;
  verdict: Verdict;
}

interface ExistingTool {
  id: number;
  name: string;
  def_hash: string;
  risk: string | null;
  title: string | null;
  definition: string;
}

// One verdict per tool: the newest (a tool may hold a rules and a rules+llm verdict).
const EXISTING_TOOLS = `SELECT t.id, t.name, t.def_hash, v.risk, t.title, t.definition FROM tools t
  LEFT JOIN verdicts v ON v.tool_id = t.id AND v.rowid = (
    SELECT rowid FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
  WHERE t.server_id = ?`;
const INSERT_TOOL = `INSERT INTO tools (server_id, name, position, title, description, definition, def_hash,
    source_path, source_line, truncated, first_seen, last_seen)
  VALUES (@serverId, @name, @position, @title, @description, @definition, @hash, @sourcePath, @sourceLine,
    @truncated, @now, @now)`;
const UPDATE_TOOL = `UPDATE tools SET position = @position, title = @title, description = @description,
    definition = @definition, def_hash = @hash, source_path = @sourcePath, source_line = @sourceLine,
    truncated = @truncated, last_seen = @now
  WHERE id = @id`;
const TOUCH_TOOL = `UPDATE tools SET position = ?, last_seen = ? WHERE id = ?`;
// The same tool (its hash covers name, description, schema and annotations) listed with other details: where
// it is defined, its title, its output schema. Kept as listed, without counting as a change; the title goes
// on its own so the full-text row is rewritten only when the title really changed.
const REFRESH_TOOL = `UPDATE tools SET position = @position, definition = @definition, source_path = @sourcePath,
    source_line = @sourceLine, truncated = @truncated, last_seen = @now
  WHERE id = @id`;
const RETITLE_TOOL = `UPDATE tools SET title = ? WHERE id = ?`;
const INSERT_HISTORY = `INSERT OR IGNORE INTO tool_history (tool_id, def_hash, definition, category, risk, seen_at)
  VALUES (?, ?, ?, ?, ?, ?)`;
const UPSERT_VERDICT = `INSERT INTO verdicts (tool_id, classifier, classifier_version, def_hash, category, risk,
    confidence, verdict, created_at)
  VALUES (@toolId, @classifier, @version, @hash, @category, @risk, @confidence, @verdict, @now)
  ON CONFLICT(tool_id, classifier) DO UPDATE SET classifier_version = excluded.classifier_version,
    def_hash = excluded.def_hash, category = excluded.category, risk = excluded.risk,
    confidence = excluded.confidence, verdict = excluded.verdict, created_at = excluded.created_at`;
const DELETE_TOOL = `DELETE FROM tools WHERE id = ?`;
const FINISH_SERVER = `UPDATE servers SET info_json = ?, tool_count = ?, last_crawled = ?, last_status = 'ok',
    last_error = NULL
  WHERE id = ?`;

// The bulk path (storeManyServers) writes many rows per statement (see insertMany); the same row triggers fire.
const SERVERS_WITH_TOOLS = `SELECT DISTINCT server_id FROM tools WHERE server_id IN (SELECT value FROM json_each(?))`;
const SERVER_COLUMNS = `INSERT INTO servers (id, name, description, repository_url, homepage_url, source, ref_json,
    first_seen)`;
const SERVER_CONFLICT = UPSERT_SERVER.slice(UPSERT_SERVER.indexOf('ON CONFLICT'));
const TOOL_COLUMNS = `INSERT INTO tools (id, server_id, name, position, title, description, definition, def_hash,
    source_path, source_line, truncated, first_seen, last_seen)`;
const HISTORY_COLUMNS = `INSERT OR IGNORE INTO tool_history (tool_id, def_hash, definition, category, risk, seen_at)`;
const VERDICT_COLUMNS = UPSERT_VERDICT.slice(0, UPSERT_VERDICT.indexOf('VALUES'));
const VERDICT_CONFLICT = UPSERT_VERDICT.slice(UPSERT_VERDICT.indexOf('ON CONFLICT'));
const MAX_TOOL_ID = `SELECT coalesce(max(id), 0) FROM tools`;

/**
 * `head VALUES (?, ...), (?, ...) tail` over `rows`: up to 1,024 rows a statement (13 columns at most, so
 * under SQLite's 32,766 bound parameters), in power-of-two shapes so each statement is prepared once. Why:
 * FTS5 writes its pending index out as a new segment at the end of every statement that touches it, so a
 * row-at-a-time bulk load builds one tiny segment per tool and spends most of its time merging them.
 */
function insertMany(db: Db, head: string, rows: readonly unknown[][], tail = ''): void {
  const width = rows[0]?.length ?? 0;
  let at = 0;
  for (let size = 1024; size >= 1; size >>= 1) {
    if (rows.length - at < size) continue;
    const values = Array.from({ length: size }, () => `(${'?, '.repeat(width - 1)}?)`).join(', ');
    const stmt = prepared(db, `${head} VALUES ${values} ${tail}`);
    for (; rows.length - at >= size; at += size) stmt.run(rows.slice(at, at + size).flat());
  }
}

/**
 * Store a server's complete, freshly listed tool set with verdicts, in one transaction: new tools are
 * added, changed ones updated (old definitions stay in tool_history), vanished ones removed. Called only
 * after a listing succeeded, so a failed crawl never touches what is stored.
 */
export function storeServerTools(
  db: Db,
  serverId: string,
  info: ServerInfo | undefined,
  tools: ClassifiedDefinition[],
  now = nowIso(),
): StoreResult {
  return db.transaction(() => writeServerTools(db, serverId, info, tools, now))();
}

export interface ServerListing {
  ref: ServerRef;
  info: ServerInfo | undefined;
  tools: ClassifiedDefinition[];
}

/**
 * `upsertServer` + `storeServerTools` for many servers in one transaction (all or nothing), for bulk loads:
 * the same rows, triggers and results as calling the two per server in order (test/unit/repository-bulk).
 * Servers with no stored tools (the usual case in a bulk load) get their tools, history and verdicts
 * written many rows a statement (insertMany), about 3x faster than row by row; any other server goes
 * through storeServerTools' own path.
 */
export function storeManyServers(db: Db, listings: readonly ServerListing[], now = nowIso()): StoreResult[] {
  return db.transaction(() => {
    const ids = JSON.stringify(listings.map((l) => l.ref.id));
    const stored = new Set(prepared(db, SERVERS_WITH_TOOLS).pluck().all(ids) as string[]);
    insertMany(
      db,
      SERVER_COLUMNS,
      listings.map(({ ref }) => {
        const r = serverRow(ref);
        return [r.id, r.name, r.description, r.repositoryUrl, r.homepageUrl, r.source, r.ref, now];
      }),
      SERVER_CONFLICT,
    );

    const results: StoreResult[] = [];
    let tools: unknown[][] = [];
    let history: unknown[][] = [];
    let verdicts: unknown[][] = [];
    let finish: unknown[][] = [];
    // Tool ids as SQLite would give them (largest + 1): this transaction is the only writer.
    let nextId = (prepared(db, MAX_TOOL_ID).pluck().get() as number) + 1;
    const flush = () => {
      if (tools.length) {
        insertMany(db, TOOL_COLUMNS, tools);
        insertMany(db, HISTORY_COLUMNS, history);
        insertMany(db, VERDICT_COLUMNS, verdicts, VERDICT_CONFLICT);
      }
      const finishServer = prepared(db, FINISH_SERVER);
      for (const f of finish) finishServer.run(...f);
      tools = [];
      history = [];
      verdicts = [];
      finish = [];
    };
    const listed = new Set<string>();
    for (const l of listings) {
      const id = l.ref.id;
      if (stored.has(id) || listed.has(id)) {
        // Written now, in order: a server listed twice in one batch sees its first listing's tools, and
        // the rows waiting for insertMany go first so the tool ids stay as SQLite would give them.
        flush();
        results.push(writeServerTools(db, id, l.info, l.tools, now));
        nextId = (prepared(db, MAX_TOOL_ID).pluck().get() as number) + 1;
        continue;
      }
      listed.add(id);
      const { items, duplicates } = dedupe(l.tools);
      const result: StoreResult = { ...emptyResult(), duplicates };
      for (const item of items) {
        const { verdict, hash, json } = item;
        const toolId = nextId++;
        const r = toolRow(id, item);
        tools.push([
          toolId,
          id,
          r.name,
          r.position,
          r.title,
          r.description,
          json,
          hash,
          r.sourcePath,
          r.sourceLine,
          r.truncated,
          now,
          now,
        ]);
        history.push([toolId, hash, json, verdict.category, verdict.risk, now]);
        verdicts.push([
          toolId,
          verdict.classifier.name,
          verdict.classifier.version,
          hash,
          verdict.category,
          verdict.risk,
          verdict.confidence,
          JSON.stringify(verdict),
          now,
        ]);
        result.added++;
        result.changes.push({ name: item.definition.name, kind: 'added', risk: verdict.risk });
      }
      finish.push([l.info ? JSON.stringify(l.info) : null, items.length, now, id]);
      results.push(result);
    }
    flush();
    return results;
  })();
}

interface ListedTool extends ClassifiedDefinition {
  position: number;
  hash: string;
  json: string;
}

/** The listing as stored: capped, first definition of each name kept, at most LIMITS.toolsPerServer. */
function dedupe(tools: readonly ClassifiedDefinition[]): { items: ListedTool[]; duplicates: string[] } {
  const items: ListedTool[] = [];
  const duplicates: string[] = [];
  const seen = new Set<string>();
  for (const item of tools.slice(0, LIMITS.toolsPerServer)) {
    const definition = capToolDefinition(item.definition);
    if (seen.has(definition.name)) {
      duplicates.push(definition.name);
      continue;
    }
    seen.add(definition.name);
    items.push({
      definition,
      verdict: item.verdict,
      position: items.length,
      hash: definitionHash(definition),
      json: JSON.stringify(definition),
    });
  }
  return { items, duplicates };
}

function toolRow(serverId: string, { definition, position, hash, json }: ListedTool) {
  return {
    serverId,
    name: definition.name,
    position,
    title: definition.title ?? definition.annotations?.title ?? null,
    description: definition.description ?? '',
    definition: json,
    hash,
    sourcePath: definition.source?.path ?? null,
    sourceLine: definition.source?.line ?? null,
    truncated: definition.truncated?.length ? JSON.stringify(definition.truncated) : null,
  };
}

const emptyResult = (): StoreResult => ({
  added: 0,
  changed: 0,
  unchanged: 0,
  removed: 0,
  duplicates: [],
  changes: [],
});

/** storeServerTools' work; the caller holds the transaction. */
function writeServerTools(
  db: Db,
  serverId: string,
  info: ServerInfo | undefined,
  tools: readonly ClassifiedDefinition[],
  now: string,
): StoreResult {
  const existing = new Map(
    (prepared(db, EXISTING_TOOLS).all(serverId) as ExistingTool[]).map((r) => [r.name, r]),
  );
  const { items, duplicates } = dedupe(tools);
  const result: StoreResult = { ...emptyResult(), duplicates };
  for (const item of items) {
    const { definition, verdict, hash } = item;
    const row = { ...toolRow(serverId, item), now };
    const old = existing.get(definition.name);
    let toolId: number;
    if (!old) {
      toolId = Number(prepared(db, INSERT_TOOL).run(row).lastInsertRowid);
      result.added++;
      result.changes.push({ name: definition.name, kind: 'added', risk: verdict.risk });
    } else if (old.def_hash !== hash) {
      prepared(db, UPDATE_TOOL).run({ ...row, id: old.id });
      toolId = old.id;
      result.changed++;
      result.changes.push({
        name: definition.name,
        kind: 'changed',
        previousRisk: old.risk ?? undefined,
        risk: verdict.risk,
      });
    } else {
      if (old.definition === item.json) prepared(db, TOUCH_TOOL).run(row.position, now, old.id);
      else {
        prepared(db, REFRESH_TOOL).run({ ...row, id: old.id });
        if (old.title !== row.title) prepared(db, RETITLE_TOOL).run(row.title, old.id);
      }
      toolId = old.id;
      result.unchanged++;
    }
    prepared(db, INSERT_HISTORY).run(toolId, hash, item.json, verdict.category, verdict.risk, now);
    prepared(db, UPSERT_VERDICT).run({
      toolId,
      classifier: verdict.classifier.name,
      version: verdict.classifier.version,
      hash,
      category: verdict.category,
      risk: verdict.risk,
      confidence: verdict.confidence,
      verdict: JSON.stringify(verdict),
      now,
    });
  }
  const listed = new Set(items.map((i) => i.definition.name));
  for (const old of existing.values()) {
    if (listed.has(old.name)) continue;
    prepared(db, DELETE_TOOL).run(old.id);
    result.removed++;
    result.changes.push({ name: old.name, kind: 'removed', previousRisk: old.risk ?? undefined });
  }
  prepared(db, FINISH_SERVER).run(info ? JSON.stringify(info) : null, items.length, now, serverId);
  return result;
}

export function startRun(db: Db, source: string, now = nowIso()): number {
  return Number(
    db.prepare(`INSERT INTO crawl_runs (source, started_at) VALUES (?, ?)`).run(source, now).lastInsertRowid,
  );
}

export function finishRun(
  db: Db,
  runId: number,
  status: 'ok' | 'partial' | 'failed',
  stats: Record<string, unknown>,
  now = nowIso(),
): void {
  db.prepare(`UPDATE crawl_runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?`).run(
    now,
    status,
    JSON.stringify(stats),
    runId,
  );
}

/** Record a per-item failure. The server's stored tools are left exactly as they were. */
export function recordFailure(
  db: Db,
  failure: { runId?: number | undefined; serverId: string; kind: FailureKind; reason: string },
  now = nowIso(),
): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO crawl_failures (run_id, server_id, kind, reason, at) VALUES (?, ?, ?, ?, ?)`).run(
      failure.runId ?? null,
      failure.serverId,
      failure.kind,
      failure.reason,
      now,
    );
    db.prepare(
      `UPDATE servers SET last_status = 'failed', last_error = ?, last_crawled = ? WHERE id = ?`,
    ).run(failure.reason, now, failure.serverId);
  })();
}
