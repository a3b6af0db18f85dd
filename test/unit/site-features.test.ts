// Issue 6's view models: highlighting, search filters, the policy builder (with every file it downloads
// checked by its real parser), server grade and chart, tool page context, sitemaps and the API page.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { FORMAT_INFO, POLICY_FORMATS } from '../../classifier/policy/index.ts';
import { openDatabase, type Db } from '../../data/db.ts';
import { apiModel } from '../../site/src/lib/api.ts';
import { builderDownload, builderModel, fieldFor, parseBuilderForm } from '../../site/src/lib/builder.ts';
import { riskChart } from '../../site/src/lib/chart.ts';
import { highlightSegments, queryWords } from '../../site/src/lib/highlight.ts';
import { parseFilters, searchModel } from '../../site/src/lib/search.ts';
import { parseToolFilter, serverModel } from '../../site/src/lib/server.ts';
import { robotsTxt, sitemapChunk, sitemapIndex } from '../../site/src/lib/sitemap.ts';
import { sourceHref } from '../../site/src/lib/tool-extras.ts';
import { toolModel } from '../../site/src/lib/tool.ts';
import { PAYLOADS } from '../fixtures/servers/hostile-strings.mjs';
import { authorizeCall, parseErrors } from '../golden/policy/cedar-engine.ts';
import { IDS, standardCatalog, verdict, writeCatalog, writeTrackedServer } from '../helpers/site.ts';
import { serverPolicy } from '../../site/src/lib/policy.ts';
import { tempDir } from '../helpers/tmp.ts';

let db: Db;
beforeAll(() => {
  const file = writeCatalog(path.join(tempDir('mcp-catalog-features-'), 'c.db'), standardCatalog());
  writeTrackedServer(file);
  writeCatalog(file, [
    {
      ref: { id: 'test/unsure', name: 'Unsure', source: 'test', packages: [] },
      tools: [{ name: 'frobnicate', description: 'Frobnicates.', inputSchema: { type: 'object' } }],
      verdicts: { frobnicate: verdict('Read', 'low', { confidence: 0.2 }) },
    },
  ]);
  db = openDatabase(file, { readonly: true });
});
afterAll(() => db.close());

describe('highlighting', () => {
  it('marks word starts matching a query word, case-insensitively, keeping every character', () => {
    const text = 'Notes: read a NOTE, denote nothing';
    const segs = highlightSegments(text, queryWords('note'));
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.hit).map((s) => s.text)).toEqual(['Note', 'NOTE']);
  });

  it('matches snake_case parts and whole snake_case words', () => {
    expect(highlightSegments('set_track_monitoring', ['track']).filter((s) => s.hit)).toEqual([
      { text: 'track', hit: true },
    ]);
    expect(highlightSegments('set_track_monitoring', queryWords('set_track'))[0]).toEqual({
      text: 'set_track',
      hit: true,
    });
  });

  it('leaves markup in the text as text segments (the page escapes them)', () => {
    const text = `${PAYLOADS.script} script`;
    const segs = highlightSegments(text, ['script']);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.some((s) => s.hit && s.text.toLowerCase() === 'script')).toBe(true);
  });
});

describe('search filters', () => {
  it('keeps known categories and risks, bounds other values', () => {
    const f = parseFilters(
      new URLSearchParams('category=Read&category=Bogus&risk=high&tag=a&tag=a&flag=' + 'x'.repeat(300)),
    );
    expect(f).toEqual({ category: ['Read'], risk: ['high'], tag: ['a'], flag: ['x'.repeat(100)] });
  });

  it('builds facet links that toggle one value and keep the rest', () => {
    const m = searchModel(db, 'note', 1, { category: ['Read'] })!;
    const read = m.facets.category.find((f) => f.value === 'Read')!;
    expect(read.selected).toBe(true);
    expect(read.href).toBe('/search?q=note');
    const high = m.facets.risk.find((f) => f.value === 'low')!;
    expect(high.href).toBe('/search?q=note&category=Read&risk=low');
    expect(m.tools.hits.every((h) => h.category === 'Read')).toBe(true);
  });
});

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe('policy builder', () => {
  it('lists each picked server with its tools at the recommended decision', () => {
    const m = builderModel(db, [IDS.notes, 'no/such', IDS.notes], 'many');
    expect(m.selected.map((s) => s.id)).toEqual([IDS.notes]);
    const run = m.selected[0]!.tools.find((t) => t.name === 'run_command')!;
    expect(run).toMatchObject({ recommended: 'approve', field: fieldFor(0, 'run_command') });
    expect(m.candidates.map((c) => c.id)).toContain(IDS.many);
    expect(m.candidates[0]?.addHref).toMatch(/^\/builder\?server=npm%2F%40test%2Fnotes-server&server=/);
  });

  it('reads tool names holding slashes from the field name and rejects unknown decisions', () => {
    const parsed = parseBuilderForm(
      form([
        ['server', IDS.notes],
        [fieldFor(0, 'notes/export'), 'deny'],
        ['download', '0:policy.json'],
      ]),
    );
    expect(parsed.overrides[0]).toEqual({ 'notes/export': 'deny' });
    expect(() =>
      parseBuilderForm(
        form([
          ['server', IDS.notes],
          [fieldFor(0, 'x'), 'maybe'],
          ['download', '0:cedar'],
        ]),
      ),
    ).toThrow(/unknown decision/);
    expect(() => parseBuilderForm(form([['download', '0:cedar']]))).toThrow(/at least one server/);
    expect(() =>
      parseBuilderForm(
        form([
          ['server', IDS.notes],
          ['download', '3:cedar'],
        ]),
      ),
    ).toThrow(/choose a server/);
    expect(() =>
      parseBuilderForm(
        form([
          ['server', IDS.notes],
          ['download', '0:pdf'],
        ]),
      ),
    ).toThrow(/format/);
  });

  const choices: [string, string][] = [
    ['server', IDS.notes],
    ['server', IDS.tracked],
    [fieldFor(0, 'run_command'), 'deny'],
    [fieldFor(0, 'delete_note'), 'allow'],
    [fieldFor(1, 'tidy_notes'), 'approve'],
  ];
  const download = (target: string) => builderDownload(db, form([...choices, ['download', target]]));

  it('policy.json applies the choices and keeps the shape', () => {
    const file = download('0:policy.json');
    expect(file.filename).toBe('npm-test-notes-server.policy.json');
    const p = JSON.parse(file.content) as { default: string; hide: string[]; tools: Record<string, unknown> };
    expect(p.default).toBe('deny');
    expect(p.hide).toContain('run_command');
    expect(p.tools).not.toHaveProperty('run_command');
    expect(p.tools.delete_note).toEqual({});
  });

  it('Claude Code settings, one server and all picked servers merged', () => {
    const one = JSON.parse(download('1:claude-code').content) as { permissions: Record<string, string[]> };
    expect(one.permissions.ask).toContain('mcp__Tracked_notes__tidy_notes');
    const all = JSON.parse(download('all:claude-code').content) as { permissions: Record<string, string[]> };
    expect(all.permissions.deny).toContain('mcp__Notes_server__run_command');
    expect(all.permissions.ask).toContain('mcp__Tracked_notes__tidy_notes');
    expect(all.permissions.allow).toContain('mcp__Notes_server__delete_note');
  });

  it('Cedar passes the real engine, which decides as chosen', () => {
    const one = download('0:cedar').content;
    expect(parseErrors(one)).toEqual([]);
    expect(authorizeCall(one, 'run_command').decision).toBe('deny');
    expect(authorizeCall(one, 'delete_note').decision).toBe('allow');
    const all = download('all:cedar').content;
    expect(parseErrors(all)).toEqual([]);
    const approve = authorizeCall(all, 'tidy_notes');
    expect(approve.decision).toBe('allow');
    expect(approve.annotations.some((a) => a.approval === 'required')).toBe(true);
  });

  it('Intercept YAML parses and carries the choices', () => {
    const y = YAML.parse(download('1:intercept').content) as {
      version: unknown;
      default: string;
      tools: Record<string, { rules: { rate_limit?: string }[] }>;
    };
    expect(y.default).toBe('deny');
    expect(y.tools.tidy_notes?.rules[0]?.rate_limit).toBe('10/minute');
    expect(() => download('all:intercept')).toThrow(/holds one server/);
  });
});

describe('one decision everywhere', () => {
  it('an unsure Read verdict needs approval on the tool page, in the server policy and in the builder', () => {
    expect(toolModel(db, 'test/unsure', 'frobnicate')?.policy.decision).toBe('approve');
    const policy = JSON.parse(serverPolicy(db, 'test/unsure', 'policy.json')!.content) as {
      tools: Record<string, { limits: { max: number }[] }>;
    };
    expect(policy.tools.frobnicate?.limits[0]?.max).toBe(10);
    expect(builderModel(db, ['test/unsure'], '').selected[0]?.tools[0]?.recommended).toBe('approve');
    const file = builderDownload(
      db,
      form([
        ['server', 'test/unsure'],
        ['download', '0:claude-code'],
      ]),
    );
    expect(JSON.parse(file.content).permissions.ask).toEqual(['mcp__Unsure__frobnicate']);
  });
});

describe('server page', () => {
  it('grades the server with reasons and draws the risk chart from the stored counts', () => {
    const m = serverModel(db, IDS.notes, 1)!;
    expect(m.grade.grade).toMatch(/^[A-F]$/);
    expect(m.grade.reasons.length).toBeGreaterThan(0);
    expect(m.chart.bars.map((b) => b.count)).toEqual([2, 2, 1, 1]);
    expect(m.chart.total).toBe(6);
    const tracked = serverModel(db, IDS.tracked, 1)!;
    expect(tracked.grade.rugPulls).toBe(1);
    expect(tracked.transports).toEqual(['stdio']);
  });

  it('parses table state strictly and keeps it in the pager links', () => {
    expect(parseToolFilter(new URLSearchParams('sort=risk&category=Read'))).toEqual({
      sort: 'risk',
      category: 'Read',
    });
    expect(parseToolFilter(new URLSearchParams('sort=bogus'))).toBeNull();
    const m = serverModel(db, IDS.many, 1, { sort: 'name' })!;
    expect(m.pager.nextHref).toBe(`/servers/${IDS.many}?sort=name&page=2`);
    expect(m.controls.sorts.find((s) => s.current)?.sort).toBe('name');
  });
});

describe('tool page context', () => {
  it('links the source file and line on GitHub, only for plain relative paths', () => {
    const ref = {
      id: 'x',
      name: 'x',
      source: 't',
      packages: [],
      github: { owner: 'o', repo: 'r', subdir: 'pkg' },
    };
    expect(sourceHref(ref, { path: 'src/a b.ts', line: 3 })).toBe(
      'https://github.com/o/r/blob/HEAD/pkg/src/a%20b.ts#L3',
    );
    expect(sourceHref(ref, { path: '../etc/passwd', line: 1 })).toBeNull();
    expect(sourceHref(ref, { path: '/abs.ts', line: 1 })).toBeNull();
    expect(
      sourceHref(
        { ...ref, github: undefined, repositoryUrl: 'javascript:alert(1)' },
        { path: 'a.ts', line: 1 },
      ),
    ).toBeNull();
    expect(
      sourceHref(
        { ...ref, github: undefined, repositoryUrl: 'https://github.com/o/r.git' },
        { path: 'a.ts', line: 9 },
      ),
    ).toBe('https://github.com/o/r/blob/HEAD/a.ts#L9');
  });

  it('shows change history with the rug pull, an FAQ from the verdict, related and similar tools', () => {
    const m = toolModel(db, IDS.tracked, 'tidy_notes')!;
    expect(m.sourceHref).toBe('https://github.com/acme/tracked/blob/v2/server/src/tools/tidy.ts#L40');
    expect(m.changes).toHaveLength(1);
    expect(m.changes[0]).toMatchObject({ kind: 'changed', rugPull: true, oldRisk: 'low', newRisk: 'high' });
    expect(m.faq[0]?.answer).toMatch(/high risk.*deny it/);
    expect(m.faq.at(-1)?.answer).toMatch(/1 change was recorded, 1 of them making it more dangerous/);
    expect(m.related.map((t) => t.name)).toEqual(['list_notes']);
    const notes = toolModel(db, IDS.notes, 'read_note')!;
    expect(notes.similar.every((t) => t.serverName !== 'Notes server')).toBe(true);
  });
});

describe('sitemaps, robots and the API page', () => {
  it('indexes chunks and lists every server and tool URL, escaped', () => {
    const index = sitemapIndex(db, 'https://cat.example');
    expect(index).toContain('<loc>https://cat.example/sitemaps/tools-0.xml</loc>');
    const tools = sitemapChunk(db, 'https://cat.example', 'tools-0.xml')!;
    expect(tools).toContain(
      '<loc>https://cat.example/servers/npm/@test/notes-server/tools/notes%2Fexport</loc>',
    );
    expect(tools).not.toMatch(/<script/);
    expect(sitemapChunk(db, 'https://cat.example', 'tools-99.xml')).toBeNull();
    expect(sitemapChunk(db, 'https://cat.example', '../etc.xml')).toBeNull();
    expect(robotsTxt('https://cat.example')).toContain('Sitemap: https://cat.example/sitemap.xml');
  });

  it('states each format mapping from FORMAT_INFO', () => {
    const m = apiModel();
    expect(m.formats.map((f) => f.format)).toEqual([...POLICY_FORMATS]);
    for (const f of m.formats) expect(f.description).toBe(FORMAT_INFO[f.format].description);
    expect(m.endpoints.map((e) => e.path)).toContain('/api/search');
  });

  it('draws no bar for an empty bucket and a sliver for a tiny one', () => {
    const c = riskChart([
      { risk: 'low', count: 0 },
      { risk: 'medium', count: 1 },
      { risk: 'high', count: 1000 },
      { risk: 'critical', count: 0 },
    ]);
    expect(c.bars.map((b) => b.width)).toEqual([0, 2, 300, 0]);
  });
});
