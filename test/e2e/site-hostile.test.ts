// A hostile catalogue in a real browser: nothing from server text runs, injects elements or becomes a
// javascript: link, and the text itself is visible.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE_REF_FIELDS, HOSTILE_TOOLS, PAYLOADS } from '../fixtures/servers/hostile-strings.mjs';
import { launchBrowser, watchPage, type PageWatch } from '../helpers/browser.ts';
import { crawlHostileFixture, IDS, standardCatalogFile, startTestSite } from '../helpers/site.ts';

let browser: Browser;
let base: string;
beforeAll(async () => {
  // The hostile corpus twice: written straight into the catalogue, and crawled live from the hostile
  // fixture MCP server over stdio (what the crawler really stores).
  const file = standardCatalogFile();
  await crawlHostileFixture(file);
  const site = await startTestSite(file);
  base = site.url;
  browser = await launchBrowser();
});

let context: BrowserContext;
let page: Page;
let watch: PageWatch;
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  watch = await watchPage(page);
});
afterEach(() => context.close());

/** Elements on the page that did not come from the site's own markup. */
async function injected(p: Page) {
  return p.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      // The only scripts are the site's bundled modules.
      foreignScripts: [...document.scripts].filter((s) => !s.src.startsWith(`${location.origin}/_astro/`))
        .length,
      // The server page's own risk chart is the one SVG the site draws.
      images: document.querySelectorAll('img, svg:not(figure.risk-chart > svg), iframe, object, embed, style')
        .length,
      javascriptLinks: [...document.querySelectorAll('a[href]')].filter((a) =>
        /^\s*(javascript|data|vbscript):/i.test(a.getAttribute('href') ?? ''),
      ).length,
      eventHandlerAttributes: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
    };
  });
}

async function expectInert(path: string) {
  const res = await page.goto(base + path);
  expect(res?.status(), path).toBe(200);
  await page.waitForLoadState('load');
  expect(await injected(page), path).toEqual({
    foreignScripts: 0,
    images: 0,
    javascriptLinks: 0,
    eventHandlerAttributes: 0,
  });
  expect(watch.dialogs, path).toEqual([]);
  expect(watch.pageErrors, path).toEqual([]);
  expect(await watch.violations(), path).toEqual([]);
}

for (const id of [IDS.hostile, IDS.hostileLive]) {
  describe(`the hostile server page (${id})`, () => {
    it('runs nothing and injects nothing', async () => {
      await expectInert(`/servers/${id}`);
    });

    it('shows the hostile name and description as visible text', async () => {
      await page.goto(`${base}/servers/${id}`);
      const name = page.locator('#server-name');
      expect(await name.isVisible()).toBe(true);
      expect(await name.innerText()).toBe(HOSTILE_REF_FIELDS.name);
      const description = await page.locator('.server-description').innerText();
      expect(description).toContain(PAYLOADS.imgOnerror);
      expect(description).toContain('⟨U+202E⟩');
      expect(await page.locator('[data-invisible-count]').isVisible()).toBe(true);
    });

    it('shows javascript: repository and homepage URLs as text, not links', async () => {
      await page.goto(`${base}/servers/${id}`);
      expect(await page.locator('#server-repository').innerText()).toContain(
        HOSTILE_REF_FIELDS.repositoryUrl,
      );
      expect(await page.locator('#server-repository a').count()).toBe(0);
      expect(await page.locator('#server-homepage a').count()).toBe(0);
      expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    });
  });

  describe(`hostile tool pages (${id})`, () => {
    for (const tool of HOSTILE_TOOLS) {
      it(`${tool.name}: runs nothing, injects nothing, and shows its text`, async () => {
        await expectInert(`/servers/${id}/tools/${tool.name}`);
        const title = page.locator('#tool-title');
        expect(await title.isVisible()).toBe(true);
        expect((await title.innerText()).length).toBeGreaterThan(0);
        expect(await page.locator('.tool-description').isVisible()).toBe(true);
      });
    }

    it('the script and img payloads are readable as literal text', async () => {
      await page.goto(`${base}/servers/${id}/tools/hostile_script`);
      expect(await page.locator('#tool-title').innerText()).toBe(PAYLOADS.script);
      expect(await page.locator('.tool-description').innerText()).toBe(HOSTILE_TOOLS[0]!.description);
    });

    it('a title that closes script elements stays text, and the policy beside it still parses', async () => {
      await page.goto(`${base}/servers/${id}/tools/hostile_injection`);
      expect(await page.locator('#tool-title').innerText()).toBe(PAYLOADS.closeScriptJson);
      const policy = JSON.parse(await page.locator('#policy-json').innerText()) as { tools: object };
      expect(policy.tools).toBeTypeOf('object');
    });
  });
}

describe('search over hostile text', () => {
  it('the results page stays inert', async () => {
    await expectInert('/search?q=hostile');
    expect(await page.locator('table.tools tbody tr').count()).toBeGreaterThanOrEqual(
      2 * HOSTILE_TOOLS.length,
    );
  });
});

describe('issue 6 pages over hostile text', () => {
  it('highlighted matches in hostile text stay inert', async () => {
    await expectInert('/search?q=script+img+onerror');
    expect(await page.locator('#search-tools mark').count()).toBeGreaterThan(0);
    expect(await page.locator('#search-tools mark script, #search-tools mark img').count()).toBe(0);
  });

  it('facet filters over hostile tools stay inert', async () => {
    await expectInert('/search?q=hostile&flag=hidden-markup');
    expect(await page.locator('#facets a[data-value="hidden-markup"][aria-current="true"]').count()).toBe(1);
  });

  it('the policy builder lists hostile tool names as inert text', async () => {
    await expectInert(`/builder?server=${encodeURIComponent(IDS.hostile)}`);
    expect(await page.locator('select[name="d/0/hostile_script"]').count()).toBe(1);
  });

  it('browse pages and the API page stay inert', async () => {
    await expectInert('/browse/category/Read');
    await expectInert('/api');
  });
});

describe('the live hostile server says hostile things about itself', () => {
  it('its name, version and instructions are inert text', async () => {
    await expectInert(`/servers/${IDS.hostileLive}`);
    expect(await page.locator('#server-info-name').innerText()).toContain(PAYLOADS.script);
    await page.locator('details summary').click();
    expect(await page.locator('details').innerText()).toContain('Ignore all previous instructions.');
  });
});

describe('layout', () => {
  for (const width of [1280, 375]) {
    it(`a 5,000-character word does not widen the page at ${width}px`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/servers/${IDS.notes}/tools/long_word`);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    });
  }
});
