// Issue 2, "Bad input": one crawl over good fixture servers and every misbehaving one, each with exactly the
// outcome the issue lists. Real servers over stdio, real SQLite, the real classifier.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlEvent, type CrawlSummary } from '../../crawler/crawl.ts';
import { processGroupAlive } from '../../crawler/live/index.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import { LIMITS, TRUNCATED_MARKER } from '../../data/limits.ts';
import {
  HOSTILE_INSTRUCTIONS,
  HOSTILE_REF_FIELDS,
  HOSTILE_SERVER_INFO,
  HOSTILE_TOOLS,
} from '../fixtures/servers/hostile-strings.mjs';
import { fixtureRef } from '../helpers/servers.ts';
import { tempDir } from '../helpers/tmp.ts';

const CONNECT_TIMEOUT_S = 4;
const OPTIONS = { concurrency: 3, connectTimeoutS: CONNECT_TIMEOUT_S, listTimeoutS: 60, maxReadBytes: 256e6 };
const DAW_TOOLS = [
  'get_track',
  'list_tracks',
  'set_track_monitoring',
  'track_fx_move',
  'delete_track',
  'run_script',
];

interface ToolRow {
  name: string;
  position: number;
  title: string | null;
  description: string;
  definition: string;
  def_hash: string;
  truncated: string | null;
  first_seen: string;
  last_seen: string;
  verdict: string | null;
}

function toolRows(db: Db, serverId: string): ToolRow[] {
  return db
    .prepare(
      `SELECT t.name, t.position, t.title, t.description, t.definition, t.def_hash, t.truncated, t.first_seen,
         t.last_seen, v.verdict
       FROM tools t LEFT JOIN verdicts v ON v.tool_id = t.id WHERE t.server_id = ? ORDER BY t.position`,
    )
    .all(serverId) as ToolRow[];
}

function serverRow(db: Db, id: string): Record<string, unknown> | undefined {
  return db.prepare(`SELECT * FROM servers WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
}

function failureOf(summary: CrawlSummary, serverId: string) {
  return summary.failures.find((f) => f.serverId === serverId);
}

describe('one crawl with good and misbehaving servers', () => {
  const dir = tempDir();
  let db: Db;
  let before: { daw: ToolRow[]; fragile: ToolRow[]; fragileServer: Record<string, unknown> | undefined };
  let summary: CrawlSummary;
  const events: CrawlEvent[] = [];
  const pids = new Map<string, number>();

  const daw = fixtureRef('daw', 'good-daw.mjs');
  const fragile = fixtureRef('fragile', 'crash-mid-listing.mjs');

  beforeAll(async () => {
    db = openDatabase(path.join(dir, 'catalog.db'));
    // An earlier, successful crawl: the fragile server behaves this time, so its tools get stored.
    const first = await crawl(
      db,
      [daw, fixtureRef('fragile', 'crash-mid-listing.mjs', { env: { FIXTURE_BEHAVE: '1' } })],
      { source: 'test', ...OPTIONS },
    );
    expect(first.failures).toEqual([]);
    before = {
      daw: toolRows(db, daw.id),
      fragile: toolRows(db, fragile.id),
      fragileServer: serverRow(db, fragile.id),
    };

    summary = await crawl(
      db,
      [
        daw,
        fixtureRef('never-answers', 'never-answers.mjs'),
        fixtureRef('garbage', 'garbage.mjs'),
        fragile,
        fixtureRef('many-tools', 'many-tools.mjs'),
        fixtureRef('hostile', 'hostile.mjs', HOSTILE_REF_FIELDS),
        fixtureRef('huge', 'huge.mjs'),
        fixtureRef('looping-cursor', 'looping-cursor.mjs'),
        fixtureRef('lying', 'lying-tools.mjs'),
        fixtureRef('daw-again', 'good-daw.mjs'),
      ],
      {
        source: 'test',
        ...OPTIONS,
        onEvent: (e) => events.push(e),
        onSpawn: (id, pid) => pids.set(id, pid),
      },
    );
  });

  it('accounts for every server in the summary, the events and the run record', () => {
    expect(summary.servers).toBe(10);
    expect(summary.failures.map((f) => `${f.serverId} ${f.kind}`).sort()).toEqual([
      'fixture/fragile crashed',
      'fixture/garbage protocol',
      'fixture/looping-cursor protocol',
      'fixture/never-answers timeout',
    ]);
    expect(summary.ok).toBe(6);
    expect(summary.failed).toBe(4);
    expect(summary.status).toBe('partial');
    expect(events[0]).toEqual({ type: 'start', total: 10 });
    expect(events.at(-1)).toEqual({ type: 'finish', summary });
    expect(events.filter((e) => e.type === 'server-start')).toHaveLength(10);
    expect(events.filter((e) => e.type === 'server-failed')).toHaveLength(4);
    const recorded = db
      .prepare(
        `SELECT server_id AS serverId, kind, reason FROM crawl_failures WHERE run_id = ? ORDER BY server_id`,
      )
      .all(summary.runId);
    expect(recorded).toEqual([...summary.failures].sort((a, b) => a.serverId.localeCompare(b.serverId)));
    const run = db.prepare(`SELECT status, finished_at FROM crawl_runs WHERE id = ?`).get(summary.runId) as {
      status: string;
      finished_at: string | null;
    };
    expect(run.status).toBe('partial');
    expect(run.finished_at).not.toBeNull();
  });

  it('never answers → a recorded "timed out after N s" failure, and its process group is gone', () => {
    expect(failureOf(summary, 'fixture/never-answers')).toEqual({
      serverId: 'fixture/never-answers',
      kind: 'timeout',
      reason: `fixture/never-answers: timed out after ${CONNECT_TIMEOUT_S} s while connecting`,
    });
    const pid = pids.get('fixture/never-answers');
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(-(pid as number), 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(serverRow(db, 'fixture/never-answers')?.['last_status']).toBe('failed');
  });

  it('garbage on stdout → a recorded protocol failure naming the server and quoting the output', () => {
    const failure = failureOf(summary, 'fixture/garbage');
    expect(failure?.kind).toBe('protocol');
    expect(failure?.reason).toMatch(/^fixture\/garbage: printed something that is not JSON-RPC on stdout: "/);
    expect(failure?.reason).toContain('Welcome to SuperServer v2!');
    // The terminal escape it printed is not carried into our message.
    expect(failure?.reason).not.toContain('\u001b');
  });

  it('crashes mid-listing → a recorded failure, and its previously stored tools stay exactly as they were', () => {
    const failure = failureOf(summary, 'fixture/fragile');
    expect(failure?.kind).toBe('crashed');
    expect(failure?.reason).toContain('fixture/fragile: server process exited with code 3');
    expect(failure?.reason).toContain('fatal: segfault-like failure while building page 2');
    expect(before.fragile.map((t) => t.name)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `fragile_tool_${i}`));
    expect(toolRows(db, 'fixture/fragile')).toEqual(before.fragile);
    const server = serverRow(db, 'fixture/fragile');
    expect(server?.['tool_count']).toBe(6);
    expect(server?.['info_json']).toBe(before.fragileServer?.['info_json']);
    expect(server?.['last_status']).toBe('failed');
  });

  it('a cursor repeated forever → a protocol failure, nothing stored for it', () => {
    const failure = failureOf(summary, 'fixture/looping-cursor');
    expect(failure?.kind).toBe('protocol');
    expect(failure?.reason).toBe(
      'fixture/looping-cursor: repeated the pagination cursor "again" on page 2; stopped listing',
    );
    expect(toolRows(db, 'fixture/looping-cursor')).toEqual([]);
  });

  it('10,000 tools over 20 pages → all stored, in order', () => {
    const count = db
      .prepare(`SELECT count(*) AS n FROM tools WHERE server_id = ?`)
      .get('fixture/many-tools') as {
      n: number;
    };
    expect(count.n).toBe(10_000);
    expect(serverRow(db, 'fixture/many-tools')?.['tool_count']).toBe(10_000);
    const ends = db
      .prepare(
        `SELECT name, position FROM tools WHERE server_id = ? AND position IN (0, 9999) ORDER BY position`,
      )
      .all('fixture/many-tools');
    expect(ends).toEqual([
      { name: 'get_item_00000', position: 0 },
      { name: 'run_item_09999', position: 9999 },
    ]);
    const withoutVerdict = db
      .prepare(
        `SELECT count(*) AS n FROM tools t LEFT JOIN verdicts v ON v.tool_id = t.id
         WHERE t.server_id = ? AND v.tool_id IS NULL`,
      )
      .get('fixture/many-tools') as { n: number };
    expect(withoutVerdict.n).toBe(0);
  });

  it('hostile text → stored byte for byte: tool titles and descriptions, server info, instructions and URLs', () => {
    const rows = toolRows(db, 'fixture/hostile');
    expect(rows.map((r) => r.name)).toEqual(HOSTILE_TOOLS.map((t) => t.name));
    for (const [i, tool] of HOSTILE_TOOLS.entries()) {
      const row = rows[i] as ToolRow;
      expect(Buffer.from(row.description, 'utf8').equals(Buffer.from(tool.description, 'utf8'))).toBe(true);
      expect(row.title).toBe(tool.title);
      const definition = JSON.parse(row.definition) as Record<string, unknown>;
      expect(definition['description']).toBe(tool.description);
      expect(definition['title']).toBe(tool.title);
      expect(definition['inputSchema']).toEqual(tool.inputSchema);
      if (tool.annotations) expect(definition['annotations']).toEqual(tool.annotations);
      expect(row.truncated).toBeNull();
    }
    const server = serverRow(db, 'fixture/hostile');
    expect(server?.['name']).toBe(HOSTILE_REF_FIELDS.name);
    expect(server?.['description']).toBe(HOSTILE_REF_FIELDS.description);
    expect(server?.['repository_url']).toBe(HOSTILE_REF_FIELDS.repositoryUrl);
    expect(server?.['homepage_url']).toBe(HOSTILE_REF_FIELDS.homepageUrl);
    const info = JSON.parse(String(server?.['info_json'])) as Record<string, unknown>;
    expect(info['name']).toBe(HOSTILE_SERVER_INFO.name);
    expect(info['version']).toBe(HOSTILE_SERVER_INFO.version);
    expect(info['title']).toBe(HOSTILE_SERVER_INFO.title);
    expect(info['websiteUrl']).toBe(HOSTILE_SERVER_INFO.websiteUrl);
    expect(info['instructions']).toBe(HOSTILE_INSTRUCTIONS);
  });

  it('a 5 MB description and a schema 1,000 levels deep → stored up to the caps, flagged truncated', () => {
    const rows = new Map(toolRows(db, 'fixture/huge').map((r) => [r.name, r]));
    const huge = rows.get('huge_description');
    expect(huge?.description).toHaveLength(LIMITS.descriptionChars);
    expect(huge?.description.startsWith('Describe the weather. Describe the weather.')).toBe(true);
    expect(JSON.parse(huge?.truncated ?? '[]')).toEqual(['description']);
    expect(JSON.parse(huge?.definition ?? '{}').truncated).toEqual(['description']);

    const deep = rows.get('deep_schema');
    expect(JSON.parse(deep?.truncated ?? '[]')).toEqual(['inputSchema']);
    const schema = JSON.parse(deep?.definition ?? '{}').inputSchema as Record<string, unknown>;
    let depth = 0;
    let node: unknown = schema;
    while (node && typeof node === 'object' && !(TRUNCATED_MARKER in node)) {
      node = (node as Record<string, unknown>)['properties'] ?? (node as Record<string, unknown>)['nested'];
      depth++;
    }
    expect(node).toEqual({ [TRUNCATED_MARKER]: true });
    expect(depth).toBe(LIMITS.schemaDepth);

    expect(rows.get('small_tool')?.truncated).toBeNull();
    expect(rows.get('small_tool')?.verdict).not.toBeNull();
  });

  it('invalid tools from a lying server are skipped and reported; its valid ones stored without forged fields', () => {
    const done = events.find((e) => e.type === 'server-done' && e.id === 'fixture/lying');
    expect(done?.type === 'server-done' && done.skipped.map((s) => s.index)).toEqual([1, 2, 3, 4, 5]);
    expect(summary.skippedTools).toBe(5);
    const rows = toolRows(db, 'fixture/lying');
    expect(rows.map((r) => r.name)).toEqual(['valid_first', 'valid_with_extras']);
    const extras = JSON.parse((rows[1] as ToolRow).definition) as Record<string, unknown>;
    expect(extras['truncated']).toBeUndefined();
    expect(extras['source']).toBeUndefined();
    expect((rows[1] as ToolRow).truncated).toBeNull();
  });

  it('the good servers are all stored with a verdict per tool, and nothing already stored is damaged', () => {
    for (const id of ['fixture/daw', 'fixture/daw-again']) {
      const rows = toolRows(db, id);
      expect(rows.map((r) => r.name)).toEqual(DAW_TOOLS);
      for (const row of rows) {
        const verdict = JSON.parse(row.verdict ?? 'null') as { category: string; risk: string } | null;
        expect(['Read', 'Write', 'Destructive', 'Execute']).toContain(verdict?.category);
        expect(['low', 'medium', 'high', 'critical']).toContain(verdict?.risk);
      }
      expect(serverRow(db, id)?.['last_status']).toBe('ok');
    }
    const strip = (rows: ToolRow[]) => rows.map(({ last_seen: _, ...rest }) => rest);
    expect(strip(toolRows(db, 'fixture/daw'))).toEqual(strip(before.daw));
    const setMonitoring = toolRows(db, 'fixture/daw').find((r) => r.name === 'set_track_monitoring');
    expect(setMonitoring?.description).toBe('Set the monitoring mode of a track.');
  });

  it('leaves no server process group behind', () => {
    expect(pids.size).toBe(10);
    for (const [id, pid] of pids) expect({ id, alive: processGroupAlive(pid) }).toEqual({ id, alive: false });
  });
});
