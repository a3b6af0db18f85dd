// Migration 009: each tool's server source and source-file extension live in tool_facets, filled in for an
// existing catalogue and kept in step by triggers however a tool, its verdict or its server changes.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../../classifier/index.ts';
import { listMigrations, openDatabase, type Db } from '../../data/db.ts';
import type { ServerRef, ToolDefinition } from '../../data/model.ts';
import { storeServerTools, upsertServer } from '../../data/repository.ts';
import { tempDir } from '../helpers/tmp.ts';

const ref = (source: string): ServerRef => ({ id: 'test/facets', name: 'Facets', source, packages: [] });
const tool = (name: string, sourcePath?: string): ToolDefinition =>
  ({
    name,
    description: `Reads ${name}.`,
    inputSchema: { type: 'object' },
    ...(sourcePath ? { source: { path: sourcePath, line: 1 } } : {}),
  }) as ToolDefinition;

function store(db: Db, source: string, tools: ToolDefinition[]): void {
  upsertServer(db, ref(source));
  storeServerTools(
    db,
    'test/facets',
    undefined,
    tools.map((definition) => ({ definition, verdict: classifyTool(definition, { serverName: 'Facets' }) })),
  );
}

const facets = (db: Db) =>
  Object.fromEntries(
    (
      db
        .prepare(`SELECT t.name, fc.source, fc.ext FROM tool_facets fc JOIN tools t ON t.id = fc.tool_id`)
        .all() as { name: string; source: string; ext: string }[]
    ).map((r) => [r.name, `${r.source} ${r.ext}`]),
  );

const TOOLS = [
  tool('a', 'src/Tools/Read.TS'),
  tool('b', 'server.py'),
  tool('c', 'dir.with.dots/Makefile'),
  tool('d'),
  tool('e', 'lib/x.tar.gz'),
];
const EXPECTED = { a: 'npm ts', b: 'npm py', c: 'npm dots/makefile', d: 'npm ', e: 'npm gz' };

describe('tool_facets source and ext', () => {
  it('are filled in for a catalogue written before migration 009', () => {
    const file = path.join(tempDir('mcp-catalog-009-'), 'c.db');
    const old = new Database(file);
    for (const m of listMigrations().filter((m) => m.version < 9)) old.exec(m.sql);
    old.pragma('user_version = 8');
    store(old, 'npm', TOOLS);
    expect(old.prepare(`SELECT count(*) FROM tool_facets`).pluck().get()).toBe(5);
    old.close();
    const db = openDatabase(file);
    try {
      expect(facets(db)).toEqual(EXPECTED);
    } finally {
      db.close();
    }
  });

  it('follow new tools, a changed source path and a server whose source changes', () => {
    const db = openDatabase(path.join(tempDir('mcp-catalog-009-'), 'c.db'));
    try {
      store(db, 'npm', TOOLS);
      expect(facets(db)).toEqual(EXPECTED);
      // The same definitions but one moved to Go: only its extension changes.
      store(db, 'npm', [tool('a', 'cmd/main.go'), ...TOOLS.slice(1)]);
      expect(facets(db).a).toBe('npm go');
      // The server is now known from the registry: every tool's source follows.
      upsertServer(db, ref('registry'));
      expect(Object.values(facets(db)).every((v) => v.startsWith('registry '))).toBe(true);
      // A source path changed by an update that leaves the verdict alone.
      db.prepare(`UPDATE tools SET source_path = 'x.rs' WHERE name = 'b'`).run();
      expect(facets(db).b).toBe('registry rs');
    } finally {
      db.close();
    }
  });
});
