// Search with filters → server → tool → copy its policy, in Chromium, keyboard included.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, watchPage, type PageWatch } from '../helpers/browser.ts';
import { IDS, standardCatalogFile, startTestSite } from '../helpers/site.ts';

let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;
beforeAll(async () => {
  base = (await startTestSite(standardCatalogFile())).url;
  browser = await launchBrowser();
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await context.newPage();
  watch = await watchPage(page);
});
afterAll(() => context?.close());

describe('search with filters → server → tool → copy policy', () => {
  it('narrows the results with facet filters and highlights the matches', async () => {
    await page.goto(`${base}/search?q=note`);
    const all = await page.locator('#search-tools tbody tr').count();
    expect(all).toBeGreaterThan(2);
    expect(await page.locator('#search-tools mark').first().innerText()).toMatch(/^note$/i);
    await Promise.all([
      page.waitForURL(/category=Destructive/),
      page.locator('#facets a[data-facet="category"][data-value="Destructive"]').click(),
    ]);
    expect(await page.locator('#search-tools tbody tr').count()).toBe(1);
    await Promise.all([
      page.waitForURL(/risk=high/),
      page.locator('#facets a[data-facet="risk"][data-value="high"]').click(),
    ]);
    const rows = page.locator('#search-tools tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.locator('td').nth(0).innerText()).toBe('delete_note');
    expect(await page.locator('#facets a[aria-current="true"]').count()).toBe(2);
  });

  it('opens the server, then the tool, by keyboard', async () => {
    const serverLink = page.locator('#search-tools tbody tr td:nth-child(2) a');
    await serverLink.focus();
    await Promise.all([page.waitForURL(`${base}/servers/${IDS.notes}`), page.keyboard.press('Enter')]);
    expect(await page.locator('#server-grade').innerText()).toMatch(/^[A-F]$/);
    await Promise.all([
      page.waitForURL(/sort=risk/),
      page.locator('#tools-controls a[data-sort="risk"]').click(),
    ]);
    expect(await page.locator('#tools-table tbody tr td:nth-child(2) code').first().innerText()).toBe(
      'run_command',
    );
    await Promise.all([
      page.waitForURL(`${base}/servers/${IDS.notes}/tools/delete_note`),
      page.locator('#tools-table').getByRole('link', { name: 'delete_note' }).click(),
    ]);
    expect(await page.locator('#policy-decision').innerText()).toBe('Deny (hidden).');
    expect(await page.locator('#faq-list dt').first().innerText()).toBe(
      'Is delete_note safe to let an agent call?',
    );
  });

  it('copies the policy shown', async () => {
    await page.locator('#copy-policy').click();
    await page.locator('#copy-status', { hasText: 'Copied.' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toMatchObject({ default: 'deny', hide: ['delete_note'] });
    expect(copied).toBe(await page.locator('#policy-json').textContent());
  });

  it('nothing ran that should not have', async () => {
    expect(watch.dialogs).toEqual([]);
    expect(watch.pageErrors).toEqual([]);
    expect(await watch.violations()).toEqual([]);
  });
});
