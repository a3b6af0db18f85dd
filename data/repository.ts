// Writes to the catalogue. This file and data/queries.ts own all SQL; everything else calls these verbs.
import type { Db } from './db.ts';
import { definitionHash } from './hash.ts';
import { capToolDefinition, LIMITS } from './limits.ts';
import type { FailureKind, ServerInfo, ServerRef, ToolDefinition, Verdict } from './model.ts';

const nowIso = (): string => new Date().toISOString();

export function upsertServer(db: Db, ref: ServerRef, now = nowIso()): void {
  db.prepare(
    `INSERT INTO servers (id, name, description, repository_url, homepage_url, source, ref_json, first_seen)
     VALUES (@id, @name, @description, @repositoryUrl, @homepageUrl, @source, @ref, @now)
     ON CONFLICT(id) DO UPDATE SET
       name = excluded.name, description = excluded.description, repository_url = excluded.repository_url,
       homepage_url = excluded.homepage_url, source = excluded.source, ref_json = excluded.ref_json`,
  ).run({
    id: ref.id,
    name: ref.name,
    description: ref.description ?? null,
    repositoryUrl: ref.repositoryUrl ?? null,
    homepageUrl: ref.homepageUrl ?? null,
    source: ref.source,
    ref: JSON.stringify(ref),
    now,
  });
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
  const existingRows = db
    .prepare(
      // One verdict per tool: the newest (a tool may hold a rules and a rules+llm verdict).
      `SELECT t.id, t.name, t.def_hash, v.risk FROM tools t
       LEFT JOIN verdicts v ON v.tool_id = t.id AND v.rowid = (
         SELECT rowid FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
       WHERE t.server_id = ?`,
    )
    .all(serverId) as ExistingTool[];
  const existing = new Map(existingRows.map((r) => [r.name, r]));

  const insertTool = db.prepare(
    `INSERT INTO tools (server_id, name, position, title, description, definition, def_hash, source_path,
       source_line, truncated, first_seen, last_seen)
     VALUES (@serverId, @name, @position, @title, @description, @definition, @hash, @sourcePath, @sourceLine,
       @truncated, @now, @now)`,
  );
  const updateTool = db.prepare(
    `UPDATE tools SET position = @position, title = @title, description = @description, definition = @definition,
       def_hash = @hash, source_path = @sourcePath, source_line = @sourceLine, truncated = @truncated,
       last_seen = @now
     WHERE id = @id`,
  );
  const touchTool = db.prepare(`UPDATE tools SET position = ?, last_seen = ? WHERE id = ?`);
  const insertHistory = db.prepare(
    `INSERT OR IGNORE INTO tool_history (tool_id, def_hash, definition, category, risk, seen_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const upsertVerdict = db.prepare(
    `INSERT INTO verdicts (tool_id, classifier, classifier_version, def_hash, category, risk, confidence, verdict,
       created_at)
     VALUES (@toolId, @classifier, @version, @hash, @category, @risk, @confidence, @verdict, @now)
     ON CONFLICT(tool_id, classifier) DO UPDATE SET classifier_version = excluded.classifier_version,
       def_hash = excluded.def_hash, category = excluded.category, risk = excluded.risk,
       confidence = excluded.confidence, verdict = excluded.verdict, created_at = excluded.created_at`,
  );
  const deleteTool = db.prepare(`DELETE FROM tools WHERE id = ?`);

  const result: StoreResult = { added: 0, changed: 0, unchanged: 0, removed: 0, duplicates: [], changes: [] };

  db.transaction(() => {
    const seen = new Set<string>();
    let position = 0;
    for (const item of tools.slice(0, LIMITS.toolsPerServer)) {
      const definition = capToolDefinition(item.definition);
      if (seen.has(definition.name)) {
        result.duplicates.push(definition.name);
        continue;
      }
      seen.add(definition.name);
      const hash = definitionHash(definition);
      const definitionJson = JSON.stringify(definition);
      const row = {
        serverId,
        name: definition.name,
        position: position++,
        title: definition.title ?? definition.annotations?.title ?? null,
        description: definition.description ?? '',
        definition: definitionJson,
        hash,
        sourcePath: definition.source?.path ?? null,
        sourceLine: definition.source?.line ?? null,
        truncated: definition.truncated?.length ? JSON.stringify(definition.truncated) : null,
        now,
      };
      const old = existing.get(definition.name);
      let toolId: number;
      if (!old) {
        toolId = Number(insertTool.run(row).lastInsertRowid);
        result.added++;
        result.changes.push({ name: definition.name, kind: 'added', risk: item.verdict.risk });
      } else if (old.def_hash !== hash) {
        updateTool.run({ ...row, id: old.id });
        toolId = old.id;
        result.changed++;
        result.changes.push({
          name: definition.name,
          kind: 'changed',
          previousRisk: old.risk ?? undefined,
          risk: item.verdict.risk,
        });
      } else {
        touchTool.run(row.position, now, old.id);
        toolId = old.id;
        result.unchanged++;
      }
      insertHistory.run(toolId, hash, definitionJson, item.verdict.category, item.verdict.risk, now);
      upsertVerdict.run({
        toolId,
        classifier: item.verdict.classifier.name,
        version: item.verdict.classifier.version,
        hash,
        category: item.verdict.category,
        risk: item.verdict.risk,
        confidence: item.verdict.confidence,
        verdict: JSON.stringify(item.verdict),
        now,
      });
    }
    for (const old of existing.values()) {
      if (seen.has(old.name)) continue;
      deleteTool.run(old.id);
      result.removed++;
      result.changes.push({ name: old.name, kind: 'removed', previousRisk: old.risk ?? undefined });
    }
    db.prepare(
      `UPDATE servers SET info_json = ?, tool_count = ?, last_crawled = ?, last_status = 'ok', last_error = NULL
       WHERE id = ?`,
    ).run(info ? JSON.stringify(info) : null, seen.size, now, serverId);
  })();
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
