// Issue 6's routes, served by startSite over a real catalogue and fetched over HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_INFO, POLICY_FORMATS } from '../../classifier/policy/index.ts';
import { parseErrors } from '../golden/policy/cedar-engine.ts';
import { IDS, standardCatalogFile, startTestSite, writeTrackedServer } from '../helpers/site.ts';

let base: string;
beforeAll(async () => {
  const file = standardCatalogFile();
  writeTrackedServer(file);
  base = (await startTestSite(file)).url;
});

const get = (path: string, init?: RequestInit) => fetch(base + path, init);
const page = async (path: string, status = 200) => {
  const res = await get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
  return res.text();
};

describe('search', () => {
  it('filters, counts facets and highlights matches as escaped text', async () => {
    const body = await page('/search?q=note&category=Read');
    expect(body).toContain('<mark>note</mark>');
    expect(body).toMatch(/data-facet="category" data-value="Read"[^>]*>/);
    expect(body).toContain('clear filters');
    expect(body).not.toContain('run_command');
    expect(body).toContain('<meta name="robots" content="noindex, follow">');
  });

  it('/api/search answers JSON with facets, filtered hits and API links', async () => {
    const res = await get('/api/search?q=note&risk=critical');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as {
      tools: { total: number; hits: { name: string; risk: string }[] };
      facets: { risk: { value: string; selected: boolean; href: string }[] };
    };
    expect(body.tools.hits.map((h) => h.name)).toEqual(['run_command']);
    const critical = body.facets.risk.find((f) => f.value === 'critical');
    expect(critical).toMatchObject({ selected: true, href: '/api/search?q=note' });
    expect((await get('/api/search?q=note&page=0')).status).toBe(400);
    expect((await get('/api/search?q=note&page=99')).status).toBe(404);
  });
});

describe('API page', () => {
  it('documents the endpoints and states each policy format mapping', async () => {
    const body = await page('/api');
    expect(body).toContain('/api/search');
    for (const f of POLICY_FORMATS) {
      expect(body).toContain(`data-format="${f}"`);
      expect(body).toContain(FORMAT_INFO[f].label);
    }
    const json = (await (await get('/api.json')).json()) as { formats: { approval: string }[] };
    expect(json.formats.map((f) => f.approval)).toEqual(POLICY_FORMATS.map((f) => FORMAT_INFO[f].approval));
  });
});

describe('policy builder', () => {
  it('offers picked servers with a decision per tool and download buttons for every format', async () => {
    const body = await page(`/builder?server=${encodeURIComponent(IDS.notes)}`);
    expect(body).toContain('name="d/0/run_command"');
    expect(body).toMatch(/<option value="approve" selected>Require approval \(recommended\)/);
    for (const f of POLICY_FORMATS) expect(body).toContain(`value="0:${f}"`);
    expect(body).toMatch(/<script type="module" src="\/_astro\/[^"]+\.js"><\/script>/);
    expect(body).not.toMatch(/\son[a-z]+=/i);
  });

  it('downloads the policy with the choices, refusing other sites and bad forms', async () => {
    const form = new URLSearchParams([
      ['server', IDS.notes],
      ['d/0/run_command', 'deny'],
      ['download', '0:cedar'],
    ]);
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const res = await get('/builder/download', { method: 'POST', body: form, headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="npm-test-notes-server.policy.cedar"',
    );
    const cedar = await res.text();
    expect(parseErrors(cedar)).toEqual([]);
    expect(cedar).toMatch(
      /@decision\("deny"\)\nforbid \(principal, action == Action::"call_tool", resource == Tool::"run_command"\);/,
    );
    const cross = await get('/builder/download', {
      method: 'POST',
      body: form,
      headers: { ...headers, 'sec-fetch-site': 'cross-site' },
    });
    expect(cross.status).toBe(403);
    const other = await get('/builder/download', {
      method: 'POST',
      body: form,
      headers: { ...headers, origin: 'http://evil.example' },
    });
    expect(other.status).toBe(403);
    const bad = await get('/builder/download', {
      method: 'POST',
      body: new URLSearchParams([
        ['server', IDS.notes],
        ['download', '0:pdf'],
      ]),
      headers,
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/choose a format/);
  });
});

describe('server and tool pages', () => {
  it('server page: grade with reasons, SVG risk chart without inline styles, transports, sort and filter links', async () => {
    const body = await page(`/servers/${IDS.tracked}`);
    expect(body).toMatch(/id="server-grade">[A-F]</);
    expect(body).toContain('id="grade-reasons"');
    expect(body).toMatch(/<svg[^>]*role="img"/);
    expect(body).toMatch(/<rect[^>]*width="300"[^>]*class="bar bar-high"/);
    expect(body).not.toMatch(/\sstyle=/);
    expect(body).toMatch(/id="server-transports">stdio</);
    expect(body).toContain('id="server-rug-pulls"');
    const filtered = await page(`/servers/${IDS.notes}?sort=risk&category=Read`);
    expect(filtered).toContain('id="tools-filtered"');
    expect(filtered).not.toContain('>run_command<');
    await page(`/servers/${IDS.notes}?sort=nope`, 404);
  });

  it('tool page: source link, change history with the rug pull, FAQ, related tools, canonical and OpenGraph', async () => {
    const body = await page(`/servers/${IDS.tracked}/tools/tidy_notes`);
    expect(body).toContain('href="https://github.com/acme/tracked/blob/v2/server/src/tools/tidy.ts#L40"');
    expect(body).toMatch(/data-rug-pull="true"/);
    expect(body).toContain('possible rug pull');
    expect(body).toContain('id="faq-list"');
    expect(body).toMatch(/id="related-list">[\s\S]*list_notes/);
    expect(body).toMatch(
      /<link rel="canonical" href="http:\/\/127\.0\.0\.1:\d+\/servers\/github:acme\/tracked\/tools\/tidy_notes">/,
    );
    expect(body).toMatch(
      /<meta property="og:title" content="tidy_notes \(Tracked notes\) · MCP tool catalogue">/,
    );
    expect(body).toMatch(
      /<meta name="description" content="tidy_notes in Tracked notes: Destructive, high risk\./,
    );
  });
});

describe('browse, sitemap, robots', () => {
  it('browses by category and risk with keyset pages', async () => {
    const index = await page('/browse');
    expect(index).toContain('href="/browse/category/Execute"');
    const reads = await page('/browse/category/Read');
    const next = /<a rel="next" href="([^"]+)"/.exec(reads)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/browse\/category\/Read\?after=\d+$/);
    const second = await page(next!);
    expect(second).toContain('First page');
    const json = (await (await get('/browse/risk/critical.json')).json()) as { tools: { name: string }[] };
    expect(json.tools.map((t) => t.name)).toContain('run_command');
    await page('/browse/category/Bogus', 404);
    await page('/browse/risk/low?after=-1', 404);
  });

  it('serves a sitemap index, chunks and robots.txt with this origin', async () => {
    const index = await (await get('/sitemap.xml')).text();
    expect(index).toMatch(/<loc>http:\/\/127\.0\.0\.1:\d+\/sitemaps\/tools-0\.xml<\/loc>/);
    const tools = await get('/sitemaps/tools-0.xml');
    expect(tools.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await tools.text()).toContain('/servers/github:acme/tracked/tools/tidy_notes</loc>');
    expect((await get('/sitemaps/tools-9.xml')).status).toBe(404);
    const robots = await (await get('/robots.txt')).text();
    expect(robots).toMatch(/Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap\.xml/);
  });
});

describe('JSON twins of the new pages', () => {
  it('builder, browse and API pages answer JSON', async () => {
    const builder = (await (await get(`/builder.json?server=${encodeURIComponent(IDS.notes)}`)).json()) as {
      selected: { id: string; tools: { name: string; recommended: string }[] }[];
    };
    expect(builder.selected[0]?.id).toBe(IDS.notes);
    expect(builder.selected[0]?.tools.find((t) => t.name === 'delete_note')?.recommended).toBe('deny');
    const browse = (await (await get('/browse.json')).json()) as { categories: { category: string }[] };
    expect(browse.categories.map((c) => c.category)).toEqual(['Read', 'Write', 'Destructive', 'Execute']);
    const body = await page(`/builder?server=${encodeURIComponent(IDS.notes)}`);
    expect(body).toContain(`href="/builder.json?server=${encodeURIComponent(IDS.notes)}"`);
  });
});
