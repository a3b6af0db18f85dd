// Change detection's storage (migration 002). The crawl pipeline calls `storeServerToolsTracked` where it
// called `storeServerTools`: it snapshots what was stored, stores the new listing, and records one row per
// tool that appeared, changed or vanished, with the diff and marks from classifier/changes.ts, all in one
// transaction. Reads serve the tool page (history) and the site's recent-changes feed.
import {
  assessAddition,
  assessChange,
  describeChange,
  type ChangeMark,
  type ClassifiedSide,
  type DiffEntry,
} from '../classifier/changes.ts';
import { prepared, type Db } from './db.ts';
import type { Category, Risk, ServerInfo, ToolDefinition } from './model.ts';
import { storeServerTools, type ClassifiedDefinition, type StoreResult } from './repository.ts';

const nowIso = (): string => new Date().toISOString();

/** A stored tool as it was; its JSON is parsed only if the tool turns out to have changed. */
export interface ToolSnapshot {
  name: string;
  defHash: string;
  category: Category | null;
  risk: Risk | null;
  definitionJson: string;
  verdictJson: string | null;
}

interface SnapshotRow {
  name: string;
  def_hash: string;
  definition: string;
  category: string | null;
  risk: string | null;
  verdict: string | null;
}

function flagKinds(verdictJson: string | null): string[] {
  if (!verdictJson) return [];
  try {
    const v = JSON.parse(verdictJson) as { flags?: { kind?: unknown }[] };
    return (v.flags ?? []).map((f) => String(f.kind));
  } catch {
    return [];
  }
}

function classifiedSide(s: ToolSnapshot): ClassifiedSide {
  return {
    definition: JSON.parse(s.definitionJson) as ToolDefinition,
    category: s.category,
    risk: s.risk,
    flagKinds: flagKinds(s.verdictJson),
  };
}

/** What is stored for a server now: each tool's definition and newest verdict, by name. */
export function snapshotServerTools(db: Db, serverId: string): Map<string, ToolSnapshot> {
  const rows = prepared(
    db,
    `SELECT t.name, t.def_hash, t.definition, v.category, v.risk, v.verdict FROM tools t
       LEFT JOIN verdicts v ON v.rowid = (
         SELECT rowid FROM verdicts WHERE tool_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
       WHERE t.server_id = ?`,
  ).all(serverId) as SnapshotRow[];
  return new Map(
    rows.map((r) => [
      r.name,
      {
        name: r.name,
        defHash: r.def_hash,
        category: r.category as Category | null,
        risk: r.risk as Risk | null,
        definitionJson: r.definition,
        verdictJson: r.verdict,
      },
    ]),
  );
}

export interface RecordedChange {
  toolName: string;
  kind: 'added' | 'changed' | 'removed';
  marks: ChangeMark[];
  rugPull: boolean;
  summary: string;
}

export interface RecordOptions {
  runId?: number | undefined;
  now?: string | undefined;
}

/**
 * Record the changes between `before` (a snapshot taken just before storing) and what is stored now.
 * Additions are recorded only when the server already had tools, so a first crawl adds no rows.
 */
export function recordChanges(
  db: Db,
  serverId: string,
  before: Map<string, ToolSnapshot>,
  store: StoreResult,
  options: RecordOptions = {},
): RecordedChange[] {
  if (store.changes.length === 0) return [];
  const now = options.now ?? nowIso();
  const after = snapshotServerTools(db, serverId);
  const insert = prepared(
    db,
    `INSERT INTO tool_changes (server_id, tool_name, kind, run_id, old_hash, new_hash, old_category, new_category,
       old_risk, new_risk, diff, marks, rug_pull, detected_at)
     VALUES (@serverId, @toolName, @kind, @runId, @oldHash, @newHash, @oldCategory, @newCategory, @oldRisk,
       @newRisk, @diff, @marks, @rugPull, @now)`,
  );
  const recorded: RecordedChange[] = [];
  db.transaction(() => {
    for (const change of store.changes) {
      const old = before.get(change.name);
      const cur = after.get(change.name);
      if (change.kind === 'added' && before.size === 0) continue;
      let diff: DiffEntry[] = [];
      let marks: ChangeMark[] = [];
      let rugPull = false;
      if (change.kind === 'changed' && old && cur) {
        ({ diff, marks, rugPull } = assessChange(classifiedSide(old), classifiedSide(cur)));
      } else if (change.kind === 'added') {
        marks = assessAddition(cur?.risk ?? null);
      }
      const row = {
        serverId,
        toolName: change.name,
        kind: change.kind,
        runId: options.runId ?? null,
        oldHash: change.kind === 'added' ? null : (old?.defHash ?? null),
        newHash: change.kind === 'removed' ? null : (cur?.defHash ?? null),
        oldCategory: change.kind === 'added' ? null : (old?.category ?? null),
        newCategory: change.kind === 'removed' ? null : (cur?.category ?? null),
        oldRisk: change.kind === 'added' ? null : (old?.risk ?? null),
        newRisk: change.kind === 'removed' ? null : (cur?.risk ?? null),
      };
      insert.run({
        ...row,
        diff: JSON.stringify(diff),
        marks: JSON.stringify(marks),
        rugPull: rugPull ? 1 : 0,
        now,
      });
      recorded.push({
        toolName: change.name,
        kind: change.kind,
        marks,
        rugPull,
        summary: describeChange({ ...row, diff, marks }),
      });
    }
  })();
  return recorded;
}

/**
 * `storeServerTools` with change detection: snapshot, store, record, in one transaction (a failure stores
 * nothing). Returns the store result and the changes recorded.
 */
export function storeServerToolsTracked(
  db: Db,
  serverId: string,
  info: ServerInfo | undefined,
  tools: ClassifiedDefinition[],
  options: RecordOptions = {},
): { store: StoreResult; changes: RecordedChange[] } {
  return db.transaction(() => {
    const before = snapshotServerTools(db, serverId);
    const store = options.now
      ? storeServerTools(db, serverId, info, tools, options.now)
      : storeServerTools(db, serverId, info, tools);
    const changes = recordChanges(db, serverId, before, store, options);
    return { store, changes };
  })();
}

export interface ToolChangeRow {
  id: number;
  serverId: string;
  toolName: string;
  kind: 'added' | 'changed' | 'removed';
  runId: number | null;
  oldHash: string | null;
  newHash: string | null;
  oldCategory: string | null;
  newCategory: string | null;
  oldRisk: string | null;
  newRisk: string | null;
  diff: DiffEntry[];
  marks: ChangeMark[];
  rugPull: boolean;
  detectedAt: string;
  /** A plain sentence for the page (describeChange). */
  summary: string;
}

interface RawChangeRow extends Omit<ToolChangeRow, 'diff' | 'marks' | 'rugPull' | 'summary'> {
  diff: string;
  marks: string;
  rugPull: number;
}

const COLUMNS = `id, server_id AS serverId, tool_name AS toolName, kind, run_id AS runId, old_hash AS oldHash,
  new_hash AS newHash, old_category AS oldCategory, new_category AS newCategory, old_risk AS oldRisk,
  new_risk AS newRisk, diff, marks, rug_pull AS rugPull, detected_at AS detectedAt`;

function toRow(r: RawChangeRow): ToolChangeRow {
  const diff = JSON.parse(r.diff) as DiffEntry[];
  const marks = JSON.parse(r.marks) as ChangeMark[];
  return { ...r, diff, marks, rugPull: r.rugPull === 1, summary: describeChange({ ...r, diff, marks }) };
}

/** A tool's change history, newest first (also holds its removal and reappearance). */
export function listToolChanges(db: Db, serverId: string, toolName: string, limit = 50): ToolChangeRow[] {
  return (
    prepared(
      db,
      `SELECT ${COLUMNS} FROM tool_changes WHERE server_id = ? AND tool_name = ? ORDER BY id DESC LIMIT ?`,
    ).all(serverId, toolName, limit) as RawChangeRow[]
  ).map(toRow);
}

/** Recent changes across the catalogue (or one server), newest first; optionally rug pulls only. */
export function listRecentChanges(
  db: Db,
  limit = 50,
  filter: { serverId?: string; rugPullsOnly?: boolean } = {},
): ToolChangeRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.serverId !== undefined) {
    where.push('server_id = ?');
    args.push(filter.serverId);
  }
  if (filter.rugPullsOnly) where.push('rug_pull = 1');
  return (
    prepared(
      db,
      `SELECT ${COLUMNS} FROM tool_changes ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY detected_at DESC, id DESC LIMIT ?`,
    ).all(...args, limit) as RawChangeRow[]
  ).map(toRow);
}

/** How many rug pulls a server has had; for the server page and the grade. */
export function countRugPulls(db: Db, serverId: string): number {
  return (
    prepared(db, `SELECT count(*) AS n FROM tool_changes WHERE server_id = ? AND rug_pull = 1`).get(
      serverId,
    ) as {
      n: number;
    }
  ).n;
}
