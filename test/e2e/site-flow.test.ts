// The path a person takes: search, open a server, open a tool, copy its policy, download it.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchPage, type PageWatch } from '../helpers/browser.ts';
import { IDS, MANY_TOOLS, standardCatalogFile, startTestSite } from '../helpers/site.ts';

let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;
beforeAll(async () => {
  base = (await startTestSite(standardCatalogFile())).url;
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await context.newPage();
  watch = await watchPage(page);
});
afterAll(() => context?.close());

describe('search → server → tool → copy and download the policy', () => {
  it('search finds the server and the tool', async () => {
    await page.goto(base);
    await page.locator('#site-search').fill('set_track');
    await Promise.all([
      page.waitForURL(/\/search\?q=set_track/),
      page.locator('#site-search').press('Enter'),
    ]);
    expect(await page.locator('#search-summary').innerText()).toMatch(/^1 tool and/);
    const toolLink = page.locator('table.tools a[href$="/tools/set_track_monitoring"]');
    expect(await toolLink.count()).toBe(1);
  });

  it('opens the server from the results', async () => {
    await Promise.all([
      page.waitForURL(`${base}/servers/${IDS.notes}`),
      page.locator('table.tools').getByRole('link', { name: 'Notes server' }).click(),
    ]);
    expect(await page.locator('#server-name').innerText()).toBe('Notes server');
    expect(await page.locator('#tools-table tbody tr').count()).toBe(6);
  });

  it('opens the tool from the server page', async () => {
    await Promise.all([
      page.waitForURL(`${base}/servers/${IDS.notes}/tools/set_track_monitoring`),
      page.locator('#tools-table').getByRole('link', { name: 'set_track_monitoring' }).click(),
    ]);
    expect(await page.locator('#tool-name').innerText()).toBe('set_track_monitoring');
    expect(await page.locator('.tool-description').innerText()).toBe('Set the monitoring mode of a track.');
    expect(await page.locator('#policy-decision').innerText()).toBe('Allow with a rate limit.');
  });

  it('Copy puts exactly the policy shown on the clipboard', async () => {
    const shown = JSON.parse(await page.locator('#policy-json').innerText()) as unknown;
    expect(shown).toEqual({
      version: '1',
      default: 'deny',
      hide: [],
      all_tools: { limits: [] },
      tools: {
        set_track_monitoring: {
          limits: [{ counter: 'set_track_monitoring_rate', window: 'minute', max: 30, scope: 'grant' }],
        },
      },
    });
    await page.locator('#copy-policy').click();
    await page.locator('#copy-status', { hasText: 'Copied.' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toEqual(shown);
    expect(copied).toBe(await page.locator('#policy-json').textContent());
  });

  it('Download saves the same policy', async () => {
    const shown = JSON.parse(await page.locator('#policy-json').innerText()) as unknown;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-policy').click(),
    ]);
    expect(download.suggestedFilename()).toBe('npm-test-notes-server.set_track_monitoring.policy.json');
    const saved = fs.readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(saved)).toEqual(shown);
  });

  it('nothing went wrong on the way', async () => {
    expect(watch.dialogs).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(await watch.violations()).toEqual([]);
  });
});

describe('server page pagination in the browser', () => {
  it('next and previous links walk the 250 tools 100 at a time', async () => {
    await page.goto(`${base}/servers/${IDS.many}`);
    const names = () => page.locator('#tools-table tbody tr td:nth-child(2) code').allInnerTexts();
    expect((await names())[0]).toBe('tool_0000');
    await Promise.all([page.waitForURL(/\?page=2$/), page.locator('a[rel="next"]').first().click()]);
    expect((await names())[0]).toBe('tool_0100');
    await Promise.all([page.waitForURL(/\?page=3$/), page.locator('a[rel="next"]').first().click()]);
    const last = await names();
    expect(last).toHaveLength(MANY_TOOLS - 200);
    expect(last.at(-1)).toBe('tool_0249');
    expect(await page.locator('a[rel="next"]').count()).toBe(0);
    await Promise.all([page.waitForURL(/\?page=2$/), page.locator('a[rel="prev"]').first().click()]);
    expect((await names())[0]).toBe('tool_0100');
  });
});
