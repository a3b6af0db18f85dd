// Acceptance for the embedded default: `mcp-catalog crawl` (the real command) fills a temporary catalogue
// from the installed reference servers, and the real site renders every server and every tool with its
// category, risk, rationale, evidence and a policy.json that parses.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db.ts';
import { listServerToolDetails, listServers } from '../../data/queries.ts';
import type { ToolDetail } from '../../data/queries.ts';
import { startSite, type RunningSite } from '../../site/serve.ts';
import { jsonTwin, policyHref, serverHref, toolHref } from '../../site/src/lib/urls.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const DEFAULT_SERVERS = 4;

describe('the default catalogue, crawled by the CLI and rendered by the site', () => {
  const dir = tempDir();
  const dbPath = path.join(dir, 'catalog.db');
  let site: RunningSite;
  let servers: { id: string; tools: ToolDetail[] }[] = [];
  let crawlOutput = '';

  beforeAll(async () => {
    const res = await runCli(['crawl', '--db', dbPath], {
      env: { MCP_CATALOG_SCRATCH: path.join(dir, 'scratch') },
      timeoutMs: 180_000,
    });
    crawlOutput = res.stderr;
    expect(res.code, res.stderr).toBe(0);
    const db = openDatabase(dbPath, { readonly: true });
    servers = listServers(db, { limit: 100, offset: 0 }).servers.map((s) => ({
      id: s.id,
      tools: listServerToolDetails(db, s.id),
    }));
    db.close();
    site = await startSite({ dbPath, host: '127.0.0.1', port: 0, log: () => {} });
  }, 300_000);
  afterAll(() => site?.close());

  it('reported progress per server and a summary', () => {
    expect(crawlOutput).toMatch(/crawling: 4 servers/);
    expect(crawlOutput).toMatch(/crawl #1: 4 servers, 4 ok, 0 failed; \d+ tools stored/);
  });

  it('stored every default server with tools, each with a verdict', () => {
    expect(servers).toHaveLength(DEFAULT_SERVERS);
    for (const s of servers) {
      expect(s.tools.length, s.id).toBeGreaterThan(0);
      for (const t of s.tools) expect(t.verdict, `${s.id} ${t.name}`).not.toBeNull();
    }
  });

  it('renders every server page with each of its tools', async () => {
    for (const s of servers) {
      const res = await fetch(site.url + serverHref(s.id));
      expect(res.status, s.id).toBe(200);
      const html = await res.text();
      for (const t of s.tools) expect(html, `${s.id} lists ${t.name}`).toContain(`>${t.name}<`);
    }
  });

  it('renders every tool page with category, risk, rationale, evidence and a parseable policy', async () => {
    let pages = 0;
    for (const s of servers) {
      for (const t of s.tools) {
        const href = toolHref(s.id, t.name);
        const res = await fetch(site.url + href);
        expect(res.status, href).toBe(200);
        const html = await res.text();
        const v = t.verdict!;
        expect(html).toContain(v.category);
        expect(html).toContain(v.risk);
        expect(html).toContain('Why it needs a policy');
        expect(html).toContain('Evidence');

        const twin = await fetch(site.url + jsonTwin(href));
        expect(twin.headers.get('content-type')).toMatch(/^application\/json/);
        const model = (await twin.json()) as Record<string, unknown>;
        expect(JSON.stringify(model)).toContain(v.rationale.slice(0, 40).replace(/["\\]/g, (c) => `\\${c}`));

        const policy = await fetch(site.url + policyHref(s.id, t.name, 'policy.json'));
        expect(policy.status).toBe(200);
        const parsed = (await policy.json()) as { version: string; default: string };
        expect(parsed).toMatchObject({ version: '1', default: 'deny' });
        pages++;
      }
    }
    expect(pages).toBe(servers.reduce((n, s) => n + s.tools.length, 0));
  });
});
