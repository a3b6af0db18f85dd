// A server with 10,000 tools, crawled live from the many-tools fixture (paginated tools/list), served by
// the built site: its page walks 100 tools at a time and its policy covers every tool.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../crawler/crawl.ts';
import { openDatabase } from '../../data/db.ts';
import { fixtureRef } from '../helpers/servers.ts';
import { startTestSite } from '../helpers/site.ts';
import { tempDir } from '../helpers/tmp.ts';

const ID = 'fixture/many-tools';
const COUNT = 10_000;
let base: string;

beforeAll(async () => {
  const file = path.join(tempDir(), 'catalog.db');
  const db = openDatabase(file);
  try {
    const summary = await crawl(db, [fixtureRef('many-tools', 'many-tools.mjs')], {
      source: 'test',
      concurrency: 1,
      connectTimeoutS: 30,
      listTimeoutS: 60,
      maxReadBytes: 64e6,
    });
    expect(summary).toMatchObject({ ok: 1, tools: COUNT });
  } finally {
    db.close();
  }
  base = (await startTestSite(file)).url;
});

const toolLinks = (page: string) =>
  [...page.matchAll(/href="\/servers\/fixture\/many-tools\/tools\/([^"]+)"/g)].map((m) => m[1]);

describe('a 10,000-tool server', () => {
  it('lists 100 tools a page, in served order, with next and previous links', async () => {
    const first = await (await fetch(`${base}/servers/${ID}`)).text();
    expect(first).toContain('Page 1 of 100');
    expect(toolLinks(first)).toEqual(
      Array.from(
        { length: 100 },
        (_, i) => `${['get', 'list', 'update', 'delete', 'run'][i % 5]}_item_${String(i).padStart(5, '0')}`,
      ),
    );
    expect(first).toContain(`rel="next" href="/servers/${ID}?page=2"`);

    const middle = await (await fetch(`${base}/servers/${ID}?page=50`)).text();
    expect(toolLinks(middle)[0]).toBe('get_item_04900');
    expect(middle).toContain(`rel="prev" href="/servers/${ID}?page=49"`);
    expect(middle).toContain(`rel="next" href="/servers/${ID}?page=51"`);

    const last = await (await fetch(`${base}/servers/${ID}?page=100`)).text();
    expect(toolLinks(last).at(-1)).toBe('run_item_09999');
    expect(last).not.toContain('rel="next"');
    expect((await fetch(`${base}/servers/${ID}?page=101`)).status).toBe(404);
  });

  it('its JSON twin reports the same pages', async () => {
    const res = await fetch(`${base}/servers/${ID}.json?page=100`);
    expect(await res.json()).toMatchObject({
      toolCount: COUNT,
      pager: { page: 100, pages: 100, from: 9_901, to: 10_000 },
    });
  });

  it('its policy names every tool once', async () => {
    const res = await fetch(`${base}/policy/${ID}.json`);
    const policy = (await res.json()) as { hide: string[]; tools: Record<string, unknown> };
    expect(policy.hide.length + Object.keys(policy.tools).length).toBe(COUNT);
    expect(new Set([...policy.hide, ...Object.keys(policy.tools)]).size).toBe(COUNT);
  });
});
