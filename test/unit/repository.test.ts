import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, listMigrations, pendingMigrations, upgradeDatabase } from '../../data/db.ts';
import {
  getServer,
  getStats,
  getTool,
  listServerTools,
  searchTools,
  searchServers,
  listFailures,
  toFtsQuery,
} from '../../data/queries.ts';
import { recordFailure, storeServerTools, upsertServer } from '../../data/repository.ts';
import type { ServerRef, ToolDefinition, Verdict } from '../../data/model.ts';
import { LIMITS } from '../../data/limits.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeVerdict } from '../helpers/verdict.ts';

const ref: ServerRef = { id: 'test/daw', name: 'DAW server', source: 'config', packages: [] };
const verdict = (category: Verdict['category'], risk: Verdict['risk']): Verdict =>
  makeVerdict(category, risk, { confidence: 0.9, rationale: 'Test rationale.' });
const tool = (name: string, description: string): ToolDefinition => ({
  name,
  description,
  inputSchema: { type: 'object', properties: { track_index: { type: 'integer' } } },
});

describe('catalogue repository', () => {
  const dir = tempDir();

  it('applies every migration on open and records the version', () => {
    const db = openDatabase(path.join(dir, 'm.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(listMigrations().at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('stores, updates and removes tools and keeps history', () => {
    const db = openDatabase(path.join(dir, 'a.db'));
    upsertServer(db, ref);
    const first = storeServerTools(db, ref.id, { name: 'daw', version: '1' }, [
      {
        definition: tool('set_track_monitoring', 'Set the monitoring mode of a track.'),
        verdict: verdict('Write', 'medium'),
      },
      { definition: tool('get_track', 'Get a track.'), verdict: verdict('Read', 'low') },
    ]);
    expect(first).toMatchObject({ added: 2, changed: 0, removed: 0 });

    const again = storeServerTools(db, ref.id, { name: 'daw', version: '1' }, [
      {
        definition: tool('set_track_monitoring', 'Set the monitoring mode of a track.'),
        verdict: verdict('Write', 'medium'),
      },
      { definition: tool('get_track', 'Get a track.'), verdict: verdict('Read', 'low') },
    ]);
    expect(again).toMatchObject({ added: 0, changed: 0, unchanged: 2, removed: 0 });

    const third = storeServerTools(db, ref.id, undefined, [
      {
        definition: tool('set_track_monitoring', 'Set the monitoring mode, and delete the track.'),
        verdict: verdict('Destructive', 'high'),
      },
    ]);
    expect(third).toMatchObject({ added: 0, changed: 1, removed: 1 });
    expect(third.changes).toContainEqual({
      name: 'set_track_monitoring',
      kind: 'changed',
      previousRisk: 'medium',
      risk: 'high',
    });

    const t = getTool(db, ref.id, 'set_track_monitoring');
    expect(t?.verdict?.category).toBe('Destructive');
    expect(t?.history.map((h) => h.risk)).toEqual(['medium', 'high']);
    expect(getStats(db)).toMatchObject({ servers: 1, tools: 1, byCategory: { Destructive: 1, Read: 0 } });
    db.close();
  });

  it('keeps stored tools when a crawl of the server fails', () => {
    const db = openDatabase(path.join(dir, 'b.db'));
    upsertServer(db, ref);
    storeServerTools(db, ref.id, undefined, [
      { definition: tool('get_track', 'Get a track.'), verdict: verdict('Read', 'low') },
    ]);
    recordFailure(db, { serverId: ref.id, kind: 'crashed', reason: 'exited with code 1 while listing' });
    expect(listServerTools(db, ref.id, { limit: 10, offset: 0 }).total).toBe(1);
    expect(getServer(db, ref.id)).toMatchObject({
      lastStatus: 'failed',
      lastError: 'exited with code 1 while listing',
    });
    expect(listFailures(db, { serverId: ref.id })).toHaveLength(1);
    db.close();
  });

  it('keeps where an unchanged tool is defined, and its title, as last listed', () => {
    const db = openDatabase(path.join(dir, 'moved.db'));
    upsertServer(db, ref);
    const listed = (line: number, title?: string): ToolDefinition => ({
      ...tool('mute_track', 'Mute a track.'),
      ...(title ? { title } : {}),
      source: { path: 'src/tracks.py', line },
    });
    storeServerTools(db, ref.id, undefined, [
      { definition: listed(10), verdict: verdict('Write', 'medium') },
    ]);
    const again = storeServerTools(db, ref.id, undefined, [
      { definition: listed(42, 'Silence channel'), verdict: verdict('Write', 'medium') },
    ]);
    expect(again).toMatchObject({ added: 0, changed: 0, unchanged: 1 });
    const stored = getTool(db, ref.id, 'mute_track')!;
    expect(stored.definition.source).toEqual({ path: 'src/tracks.py', line: 42 });
    expect(stored.title).toBe('Silence channel');
    expect(stored.history).toHaveLength(1);
    expect(searchTools(db, 'silence', { limit: 10, offset: 0 }).hits.map((h) => h.name)).toEqual([
      'mute_track',
    ]);
    db.close();
  });

  it('searches tools and servers with prefixes and treats operators literally', () => {
    const db = openDatabase(path.join(dir, 'c.db'));
    upsertServer(db, ref);
    storeServerTools(db, ref.id, undefined, [
      {
        definition: tool('set_track_monitoring', 'Set the monitoring mode of a track.'),
        verdict: verdict('Write', 'medium'),
      },
      { definition: tool('track_fx_move', 'Move an FX plugin.'), verdict: verdict('Write', 'medium') },
    ]);
    expect(searchTools(db, 'monitor', { limit: 10, offset: 0 }).hits.map((h) => h.name)).toEqual([
      'set_track_monitoring',
    ]);
    expect(searchTools(db, 'fx OR "', { limit: 10, offset: 0 }).total).toBe(0);
    expect(searchTools(db, 'track_fx', { limit: 10, offset: 0 }).hits[0]?.name).toBe('track_fx_move');
    // Name parts are words: with descriptions that do not say them, `monitoring` and `move` are found in
    // the names alone.
    storeServerTools(db, ref.id, undefined, [
      {
        definition: tool('set_track_monitoring', 'Changes how input is heard.'),
        verdict: verdict('Write', 'medium'),
      },
      { definition: tool('track_fx_move', 'Reorders a plugin chain.'), verdict: verdict('Write', 'medium') },
    ]);
    expect(searchTools(db, 'monitoring', { limit: 10, offset: 0 }).hits.map((h) => h.name)).toEqual([
      'set_track_monitoring',
    ]);
    expect(searchTools(db, 'move', { limit: 10, offset: 0 }).hits.map((h) => h.name)).toEqual([
      'track_fx_move',
    ]);
    expect(searchTools(db, 'track_fx_move', { limit: 10, offset: 0 }).hits.map((h) => h.name)).toEqual([
      'track_fx_move',
    ]);
    expect(searchServers(db, 'daw', { limit: 10, offset: 0 }).servers[0]?.id).toBe(ref.id);
    expect(toFtsQuery('  "; DROP --')).toBe('"DROP"*');
    // Search as you type: only the last word is a prefix.
    expect(toFtsQuery('list us')).toBe('"list" "us"*');
    expect(toFtsQuery('list us', 'none')).toBe('"list" "us"');
    expect(toFtsQuery('!!!')).toBeNull();
    db.close();
  });

  it('caps a huge description and a deeply nested schema and says so', () => {
    const db = openDatabase(path.join(dir, 'd.db'));
    upsertServer(db, ref);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 1000; i++) deep = { type: 'object', properties: { x: deep } };
    storeServerTools(db, ref.id, undefined, [
      {
        definition: {
          name: 'huge',
          description: 'x'.repeat(5_000_000),
          inputSchema: deep as ToolDefinition['inputSchema'],
        },
        verdict: verdict('Read', 'low'),
      },
    ]);
    const t = getTool(db, ref.id, 'huge');
    expect(t?.description.length).toBe(LIMITS.descriptionChars);
    expect(t?.truncated).toEqual(['description', 'inputSchema']);
    expect(JSON.stringify(t?.definition.inputSchema)).toContain('x-mcp-catalog-truncated');
    db.close();
  });

  it('opens read-only without writing and refuses a missing file with a clear error', () => {
    const file = path.join(dir, 'a.db');
    const ro = openDatabase(file, { readonly: true });
    expect(() => ro.prepare(`DELETE FROM tools`).run()).toThrow(/readonly|read-only|query_only/i);
    ro.close();
    expect(() => openDatabase(path.join(dir, 'missing.db'), { readonly: true })).toThrow(/does not exist/);
  });

  it('names a file that is not a catalogue instead of failing on its first query', () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'Shopping list: milk, eggs.\n'.repeat(200));
    const expected = `cannot open catalogue database ${file}: file is not a database`;
    expect(() => openDatabase(file)).toThrow(expected);
    expect(() => openDatabase(file, { readonly: true })).toThrow(expected);
    expect(() => upgradeDatabase(file)).toThrow(expected);
    expect(fs.readFileSync(file, 'utf8').startsWith('Shopping list')).toBe(true);
  });
});

describe('catalogue repository with several classifiers', () => {
  const dir = tempDir();
  it('compares a change against the newest verdict when a tool holds more than one', () => {
    const db = openDatabase(path.join(dir, 'multi.db'));
    upsertServer(db, ref);
    const def = tool('get_track', 'Get a track.');
    storeServerTools(
      db,
      ref.id,
      undefined,
      [{ definition: def, verdict: verdict('Read', 'low') }],
      '2026-01-01T00:00:00Z',
    );
    const judged = { ...verdict('Write', 'medium'), classifier: { name: 'rules+llm', version: 'test' } };
    storeServerTools(db, ref.id, undefined, [{ definition: def, verdict: judged }], '2026-01-02T00:00:00Z');
    const changed = storeServerTools(
      db,
      ref.id,
      undefined,
      [
        {
          definition: tool('get_track', 'Get a track, then delete it.'),
          verdict: verdict('Destructive', 'high'),
        },
      ],
      '2026-01-03T00:00:00Z',
    );
    expect(changed.changes).toEqual([
      { name: 'get_track', kind: 'changed', previousRisk: 'medium', risk: 'high' },
    ]);
    db.close();
  });
});

describe('catalogue schema versions', () => {
  const dir = tempDir();
  it('refuses to read an out-of-date catalogue with a clear message, and upgradeDatabase brings it up to date', () => {
    const file = path.join(dir, 'old.db');
    // A catalogue written by the first version of this code: migration 001 only.
    const old = new Database(file);
    old.exec(listMigrations()[0]!.sql);
    old.pragma('user_version = 1');
    old.close();
    expect(() => openDatabase(file, { readonly: true })).toThrow(
      /schema version 1, this code needs \d+; run `mcp-catalog crawl`/,
    );
    expect(pendingMigrations(file)).toEqual(
      listMigrations()
        .slice(1)
        .map((m) => m.name),
    );
    const announced: string[][] = [];
    upgradeDatabase(file, (pending) => announced.push(pending));
    expect(announced).toEqual([
      listMigrations()
        .slice(1)
        .map((m) => m.name),
    ]);
    const ro = openDatabase(file, { readonly: true });
    expect(ro.pragma('user_version', { simple: true })).toBe(listMigrations().at(-1)?.version);
    ro.close();
    // Up to date: nothing pending, nothing announced.
    expect(pendingMigrations(file)).toEqual([]);
    upgradeDatabase(file, (pending) => announced.push(pending));
    expect(announced).toHaveLength(1);
    expect(pendingMigrations(path.join(dir, 'missing.db'))).toEqual([]);
  });
});
