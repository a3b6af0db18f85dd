// The policy builder in Chromium: pick servers, change decisions (one by one and with the bulk control),
// download every format, and check each file with its real parser. Then the same without JavaScript.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { authorizeCall, parseErrors } from '../golden/policy/cedar-engine.ts';
import { launchBrowser, watchPage, type PageWatch } from '../helpers/browser.ts';
import { IDS, standardCatalogFile, startTestSite, writeTrackedServer } from '../helpers/site.ts';

let browser: Browser;
let base: string;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;
beforeAll(async () => {
  const file = standardCatalogFile();
  writeTrackedServer(file);
  base = (await startTestSite(file)).url;
  browser = await launchBrowser();
  context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  watch = await watchPage(page);
});
afterAll(() => context?.close());

async function downloadFrom(p: Page, selector: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([p.waitForEvent('download'), p.locator(selector).click()]);
  return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, 'utf8') };
}

const decision = (p: Page, server: number, tool: string) => p.locator(`select[name="d/${server}/${tool}"]`);

describe('policy builder with JavaScript', () => {
  it('adds servers from the server page and from the finder', async () => {
    await page.goto(`${base}/servers/${IDS.notes}`);
    await Promise.all([page.waitForURL(/\/builder\?server=/), page.locator('#server-build-policy').click()]);
    expect(await page.locator('fieldset.builder-server').count()).toBe(1);
    await page.locator('#builder-q').fill('tracked');
    await Promise.all([page.waitForURL(/q=tracked/), page.locator('#builder-q').press('Enter')]);
    await Promise.all([
      page.waitForURL(/server=github%3Aacme%2Ftracked/),
      page.locator(`#builder-candidates a[data-server="${IDS.tracked}"]`).click(),
    ]);
    expect(await page.locator('fieldset.builder-server legend a').allInnerTexts()).toEqual([
      'Notes server',
      'Tracked notes',
    ]);
  });

  it('changes decisions one by one and in bulk, with a live summary', async () => {
    expect(await decision(page, 0, 'run_command').inputValue()).toBe('approve');
    await decision(page, 0, 'run_command').selectOption('deny');
    await decision(page, 0, 'delete_note').selectOption('allow');
    const bulk = page.locator('fieldset[data-index="1"] .bulk');
    expect(await bulk.isVisible()).toBe(true);
    await bulk.locator('.bulk-category').selectOption('Read');
    await bulk.locator('.bulk-decision').selectOption('rate-limit');
    await bulk.locator('.bulk-apply').click();
    expect(await decision(page, 1, 'list_notes').inputValue()).toBe('rate-limit');
    expect(await decision(page, 1, 'tidy_notes').inputValue()).toBe('deny');
    expect(await bulk.locator('.bulk-summary').innerText()).toMatch(/1 rate-limited, 1 denied; 1 changed/);
  });

  it('downloads policy.json with the choices', async () => {
    const file = await downloadFrom(page, 'button[value="0:policy.json"]');
    expect(file.name).toBe('npm-test-notes-server.policy.json');
    const p = JSON.parse(file.text) as { version: string; default: string; hide: string[]; tools: object };
    expect(p).toMatchObject({ version: '1', default: 'deny' });
    expect(p.hide).toContain('run_command');
    expect(p.tools).toHaveProperty('delete_note', {});
  });

  it('downloads Claude Code settings for one server and for both', async () => {
    const one = JSON.parse((await downloadFrom(page, 'button[value="1:claude-code"]')).text) as {
      permissions: Record<string, string[]>;
    };
    expect(Object.keys(one.permissions).sort()).toEqual(['allow', 'ask', 'deny']);
    expect(one.permissions.allow).toContain('mcp__Tracked_notes__list_notes');
    const both = await downloadFrom(page, 'button[value="all:claude-code"]');
    expect(both.name).toBe('mcp-servers.settings.json');
    const all = JSON.parse(both.text) as { permissions: Record<string, string[]> };
    expect(all.permissions.deny).toEqual(
      expect.arrayContaining(['mcp__Notes_server__run_command', 'mcp__Tracked_notes__tidy_notes']),
    );
  });

  it('downloads Cedar that the real engine parses and that decides as chosen', async () => {
    const cedar = (await downloadFrom(page, 'button[value="all:cedar"]')).text;
    expect(parseErrors(cedar)).toEqual([]);
    expect(authorizeCall(cedar, 'run_command').decision).toBe('deny');
    expect(authorizeCall(cedar, 'delete_note').decision).toBe('allow');
    expect(authorizeCall(cedar, 'list_notes').annotations).toEqual(
      expect.arrayContaining([expect.objectContaining({ rate_limit: '30/minute' })]),
    );
  });

  it('downloads Intercept YAML that parses with the fields checked', async () => {
    const file = await downloadFrom(page, 'button[value="1:intercept"]');
    expect(file.name).toBe('github-acme-tracked.policy.yaml');
    const y = YAML.parse(file.text) as {
      version: unknown;
      default: string;
      hide: string[];
      tools: Record<string, { rules: { name: string; action?: string; rate_limit?: string }[] }>;
    };
    expect(y.default).toBe('deny');
    expect(y.hide).toEqual(['tidy_notes']);
    expect(y.tools.list_notes?.rules[0]?.rate_limit).toBe('30/minute');
    expect(y.tools.tidy_notes?.rules[0]?.action).toBe('deny');
  });

  it('ran no inline script and broke no policy', async () => {
    expect(watch.pageErrors).toEqual([]);
    expect(watch.dialogs).toEqual([]);
    expect(await watch.violations()).toEqual([]);
  });
});

describe('policy builder without JavaScript', () => {
  it('still downloads the recommended policy in every format', async () => {
    const noJs = await browser.newContext({ acceptDownloads: true, javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await p.goto(`${base}/builder?server=${encodeURIComponent(IDS.notes)}`);
      expect(await p.locator('.bulk').isVisible()).toBe(false);
      const files: Record<string, string> = {};
      for (const format of ['policy.json', 'claude-code', 'cedar', 'intercept']) {
        files[format] = (await downloadFrom(p, `button[value="0:${format}"]`)).text;
      }
      expect(JSON.parse(files['policy.json']!)).toMatchObject({ default: 'deny', hide: ['delete_note'] });
      expect(JSON.parse(files['claude-code']!).permissions.ask).toContain('mcp__Notes_server__run_command');
      expect(parseErrors(files.cedar!)).toEqual([]);
      expect(authorizeCall(files.cedar!, 'run_command').annotations).toEqual(
        expect.arrayContaining([expect.objectContaining({ approval: 'required' })]),
      );
      expect(YAML.parse(files.intercept!)).toMatchObject({ default: 'deny' });
    } finally {
      await noJs.close();
    }
  });
});
