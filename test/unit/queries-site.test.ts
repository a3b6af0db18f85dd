// Migration 005's stored facets and counts, and the site's reads over them, on a real SQLite catalogue.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browseTools, relatedTools, similarTools, sitemapChunks, sitemapTools } from '../../data/browse.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import type { ToolDefinition } from '../../data/model.ts';
import { getServer, getStats, listServerTools, listServers } from '../../data/queries.ts';
import { storeServerTools, upsertServer } from '../../data/repository.ts';
import { FACET_CAP, languageOf, searchIdsOnly, searchToolsFaceted } from '../../data/search.ts';
import { IDS, standardCatalog, verdict, writeCatalog, writeTrackedServer } from '../helpers/site.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: Db;
beforeAll(() => {
  const file = writeCatalog(path.join(tempDir('mcp-catalog-queries-'), 'c.db'), standardCatalog());
  writeTrackedServer(file);
  db = openDatabase(file);
});
afterAll(() => db.close());

/** The counts as a full recount from the newest verdicts would give them. */
function recount(serverId?: string) {
  return db
    .prepare(
      `SELECT v.category, CASE v.risk WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END AS risk,
         count(*) AS n
       FROM tools t JOIN verdicts v ON v.rowid = (SELECT rowid FROM verdicts WHERE tool_id = t.id
         ORDER BY created_at DESC, rowid DESC LIMIT 1)
       WHERE (@s IS NULL OR t.server_id = @s) GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all({ s: serverId ?? null });
}
const stored = (serverId?: string) =>
  serverId
    ? db
        .prepare(`SELECT category, risk, n FROM server_counts WHERE server_id = ? AND n > 0 ORDER BY 1, 2`)
        .all(serverId)
    : db.prepare(`SELECT category, risk, n FROM catalog_counts WHERE n > 0 ORDER BY 1, 2`).all();

const def = (name: string, description = `Does ${name}.`): ToolDefinition =>
  ({ name, description, inputSchema: { type: 'object' } }) as ToolDefinition;

describe('migration 005: stored facets and counts follow every write', () => {
  it('match a recount after the standard catalogue and a changed tool', () => {
    expect(stored()).toEqual(recount());
    for (const id of [IDS.notes, IDS.many, IDS.hostile, IDS.tracked]) expect(stored(id)).toEqual(recount(id));
    expect(stored(IDS.tracked)).toEqual([
      { category: 'Destructive', risk: 3, n: 1 },
      { category: 'Read', risk: 1, n: 1 },
    ]);
  });

  it('follow a newer verdict from another classifier, its removal, tool removal and server deletion', () => {
    const id = 'test/counts';
    upsertServer(db, { id, name: 'Counts', source: 'test', packages: [] });
    storeServerTools(db, id, undefined, [
      { definition: def('a_read'), verdict: verdict('Read', 'low') },
      { definition: def('b_write'), verdict: verdict('Write', 'medium', { tags: ['local', 'files'] }) },
    ]);
    expect(stored(id)).toEqual(recount(id));
    // A judge's verdict written later wins, as the pages show it.
    const toolId = (
      db.prepare(`SELECT id FROM tools WHERE server_id = ? AND name = 'a_read'`).get(id) as {
        id: number;
      }
    ).id;
    const judged = verdict('Execute', 'critical', {
      classifier: { name: 'rules+llm', version: '1' },
      flags: [{ kind: 'judge-disagrees', message: 'The judge reads it as running commands.' }],
    });
    db.prepare(
      `INSERT INTO verdicts (tool_id, classifier, classifier_version, def_hash, category, risk, confidence, verdict,
         created_at) VALUES (?, 'rules+llm', '1', 'h', 'Execute', 'critical', 0.9, ?, '2999-01-01T00:00:00Z')`,
    ).run(toolId, JSON.stringify(judged));
    expect(db.prepare(`SELECT category, risk, flags FROM tool_facets WHERE tool_id = ?`).get(toolId)).toEqual(
      {
        category: 'Execute',
        risk: 4,
        flags: ' judge-disagrees ',
      },
    );
    expect(getServer(db, id)?.maxRisk).toBe('critical');
    expect(stored(id)).toEqual(recount(id));
    db.prepare(`DELETE FROM verdicts WHERE tool_id = ? AND classifier = 'rules+llm'`).run(toolId);
    expect(db.prepare(`SELECT category, risk FROM tool_facets WHERE tool_id = ?`).get(toolId)).toEqual({
      category: 'Read',
      risk: 1,
    });
    expect(stored(id)).toEqual(recount(id));
    // The next crawl lists one tool: the other goes, and its counts with it.
    storeServerTools(db, id, undefined, [
      { definition: def('b_write'), verdict: verdict('Write', 'medium') },
    ]);
    expect(stored(id)).toEqual([{ category: 'Write', risk: 2, n: 1 }]);
    expect(stored()).toEqual(recount());
    db.prepare(`DELETE FROM servers WHERE id = ?`).run(id);
    expect(stored(id)).toEqual([]);
    expect(stored()).toEqual(recount());
  });

  it('serves the home totals and server summaries', () => {
    const stats = getStats(db);
    expect(stats.tools).toBe((db.prepare(`SELECT count(*) AS n FROM tools`).get() as { n: number }).n);
    expect(stats.byCategory.Execute).toBeGreaterThanOrEqual(1);
    const notes = listServers(db, { limit: 100, offset: 0 }).servers.find((s) => s.id === IDS.notes);
    expect(notes).toMatchObject({ toolCount: 6, maxRisk: 'critical' });
  });
});

describe('server tools table', () => {
  it('sorts by risk, filters by category and risk', () => {
    const byRisk = listServerTools(db, IDS.notes, { limit: 10, offset: 0 }, { sort: 'risk' });
    expect(byRisk.tools.map((t) => t.risk).slice(0, 3)).toEqual(['critical', 'high', 'medium']);
    const reads = listServerTools(db, IDS.notes, { limit: 10, offset: 0 }, { category: 'Read' });
    expect(reads.total).toBe(3);
    expect(reads.tools.every((t) => t.category === 'Read')).toBe(true);
    const lowReads = listServerTools(
      db,
      IDS.notes,
      { limit: 10, offset: 0 },
      { category: 'Read', risk: 'low' },
    );
    expect(lowReads.tools.map((t) => t.name).sort()).toEqual(['long_word', 'notes/export']);
    const byName = listServerTools(db, IDS.notes, { limit: 2, offset: 0 }, { sort: 'name' });
    expect(byName.tools.map((t) => t.name)).toEqual(['delete_note', 'long_word']);
  });
});

describe('faceted search', () => {
  it('ranks with bm25, matches prefixes and counts facets', () => {
    const r = searchToolsFaceted(db, 'not', {}, { limit: 50, offset: 0 })!;
    expect(r.hits.map((h) => h.name)).toContain('read_note');
    expect(r.total).toBe(r.facets.category.reduce((s, f) => s + f.count, 0));
    expect(r.capped).toBe(false);
    expect(r.facets.source.map((f) => f.value)).toContain('test');
  });

  it('filters by category, risk, tag, flag, source and language (OR within, AND across)', () => {
    const page = { limit: 50, offset: 0 };
    const exec = searchToolsFaceted(db, 'command', { category: ['Execute'] }, page)!;
    expect(exec.hits.map((h) => h.name)).toEqual(['run_command']);
    const two = searchToolsFaceted(db, 'note', { risk: ['critical', 'high'] }, page)!;
    expect(two.hits.every((h) => h.risk === 'critical' || h.risk === 'high')).toBe(true);
    expect(searchToolsFaceted(db, 'note', { source: ['nowhere'] }, page)!.total).toBe(0);
    const flagged = searchToolsFaceted(db, 'hostile', { flag: ['hidden-markup'] }, page)!;
    expect(flagged.total).toBeGreaterThan(0);
    expect(flagged.facets.flag.find((f) => f.value === 'hidden-markup')?.count).toBe(flagged.total);
    // A LIKE wildcard in a filter value matches literally.
    expect(searchToolsFaceted(db, 'hostile', { flag: ['%'] }, page)!.total).toBe(0);
    const ts = searchToolsFaceted(db, 'notes', { language: ['TypeScript'] }, page)!;
    expect(ts.hits.map((h) => h.name).sort()).toEqual(['list_notes', 'tidy_notes']);
    expect(ts.facets.language).toEqual([{ value: 'TypeScript', count: 2 }]);
  });

  it('puts tools with the whole word first, then prefix matches, counting both once', () => {
    const file = writeCatalog(path.join(tempDir('mcp-catalog-exact-'), 'c.db'), [
      {
        ref: { id: 'test/exact-first', name: 'Exact first', source: 'test', packages: [] },
        tools: [
          // Prefix-only matches named for the word: bm25 alone would rank these first.
          def('scanner_scanner', 'A scanner. Scanners scanning scanned scanner data.'),
          def('scanners', 'Scanners for scanners.'),
          // Whole-word matches, in the description only.
          def('inspect_port', 'Runs one scan of a port.'),
          def('probe_host', 'Starts a scan.'),
        ],
        verdicts: Object.fromEntries(
          ['scanner_scanner', 'scanners', 'inspect_port', 'probe_host'].map((n) => [
            n,
            verdict('Read', 'low'),
          ]),
        ),
      },
    ]);
    const own = openDatabase(file);
    try {
      const r = searchToolsFaceted(own, 'scan', {}, { limit: 10, offset: 0 })!;
      expect(
        r.hits
          .map((h) => h.name)
          .slice(0, 2)
          .sort(),
      ).toEqual(['inspect_port', 'probe_host']);
      expect(
        r.hits
          .map((h) => h.name)
          .slice(2)
          .sort(),
      ).toEqual(['scanner_scanner', 'scanners']);
      expect(r.total).toBe(4);
      expect(r.facets.category).toEqual([{ value: 'Read', count: 4 }]);
      expect(r.capped).toBe(false);
      // Past the first page the order goes on where it stopped.
      const second = searchToolsFaceted(own, 'scan', {}, { limit: 2, offset: 2 })!;
      expect(second.hits.map((h) => h.name).sort()).toEqual(['scanner_scanner', 'scanners']);
    } finally {
      own.close();
    }
  });

  it('answers null for nothing searchable and takes operators literally', () => {
    expect(searchToolsFaceted(db, '  "" * ', {}, { limit: 5, offset: 0 })).toBeNull();
    expect(searchToolsFaceted(db, 'note OR NEAR(', {}, { limit: 5, offset: 0 })!.total).toBe(0);
    expect(searchIdsOnly(db, 'note', 5).length).toBeGreaterThan(0);
    expect(FACET_CAP).toBe(1_000);
  });

  it('knows languages from source file extensions', () => {
    expect(languageOf('src/a.py')).toBe('Python');
    expect(languageOf('x/Main.java')).toBe('Java');
    expect(languageOf('README')).toBeNull();
    expect(languageOf(null)).toBeNull();
  });
});

describe('browse, related, similar, sitemap', () => {
  it('walks a category with keyset pages that neither skip nor repeat', () => {
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = browseTools(db, { category: 'Read' }, after, 40);
      seen.push(...page.hits.map((h) => h.id));
      expect(page.total).toBe(getStats(db).byCategory.Read);
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(getStats(db).byCategory.Read);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('finds related tools in the same server and similar ones elsewhere', () => {
    const related = relatedTools(db, IDS.notes, 'read_note', 3);
    expect(related.every((t) => t.serverId === IDS.notes && t.name !== 'read_note')).toBe(true);
    expect(related[0]?.category).toBe('Read');
    const similar = similarTools(db, IDS.tracked, 'list_notes', 5);
    expect(similar.every((t) => t.serverId !== IDS.tracked)).toBe(true);
    expect(similarTools(db, IDS.notes, '***', 5)).toEqual([]);
  });

  it('orders similar tools: the same name elsewhere, then nearest names sharing the first word, then text', () => {
    const server = (id: string, names: string[], description = (n: string) => `Does ${n}.`) => ({
      ref: { id, name: id, source: 'test', packages: [] },
      tools: names.map((n) => def(n, description(n))),
      verdicts: Object.fromEntries(names.map((n) => [n, verdict('Write', 'medium')])),
    });
    const file = writeCatalog(path.join(tempDir('mcp-catalog-similar-'), 'c.db'), [
      server('test/home', ['create_issue', 'create_label']),
      server('test/twin', ['create_issue']),
      server('test/near', ['create_invoice', 'create_index', 'create_zone', 'created_at_report', 'creat']),
      server('test/text', ['open_ticket'], () => 'Create an issue in the tracker.'),
    ]);
    const own = openDatabase(file);
    try {
      const names = (limit: number) =>
        similarTools(own, 'test/home', 'create_issue', limit).map((t) => `${t.serverId}:${t.name}`);
      expect(names(1)).toEqual(['test/twin:create_issue']);
      // Neighbours on either side of create_issue in name order, never from its own server.
      expect(names(3)).toEqual([
        'test/twin:create_issue',
        'test/near:create_invoice',
        'test/near:create_index',
      ]);
      const all = names(10);
      expect(all).toContain('test/near:create_zone');
      expect(all).not.toContain('test/near:created_at_report');
      expect(all).not.toContain('test/near:creat');
      expect(all).not.toContain('test/home:create_label');
      // Text with both words of the name comes last.
      expect(all.at(-1)).toBe('test/text:open_ticket');
      expect(new Set(all).size).toBe(all.length);
    } finally {
      own.close();
    }
  });

  it('chunks the sitemap by id range and covers every tool once', () => {
    const { tools } = sitemapChunks(db, 100);
    const all = Array.from({ length: tools }, (_, i) => sitemapTools(db, i, 100)).flat();
    expect(all.length).toBe((db.prepare(`SELECT count(*) AS n FROM tools`).get() as { n: number }).n);
  });
});
