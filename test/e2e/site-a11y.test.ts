// axe-core in Chromium: the home, search, server, tool, builder, API and browse pages have no serious
// accessibility violations, in light and dark mode.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { IDS, standardCatalogFile, startTestSite } from '../helpers/site.ts';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let base: string;
beforeAll(async () => {
  base = (await startTestSite(standardCatalogFile())).url;
  browser = await launchBrowser();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const PAGES = [
  '/',
  '/search?q=note',
  `/servers/${IDS.notes}`,
  `/servers/${IDS.notes}/tools/delete_note`,
  `/servers/${IDS.hostile}`,
  `/servers/${IDS.hostile}/tools/hostile_unicode`,
  `/servers/${IDS.many}?page=2`,
  '/search?q=note&category=Read&risk=low',
  `/servers/${IDS.notes}?sort=risk&category=Read`,
  `/builder?server=${encodeURIComponent(IDS.notes)}&q=many`,
  '/api',
  '/browse',
  '/browse/risk/critical',
];

describe('accessibility (axe-core)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`no serious or critical violations in ${colorScheme} mode`, async () => {
      const context = await browser.newContext({ colorScheme });
      try {
        const page = await context.newPage();
        const found: string[] = [];
        for (const path of PAGES) {
          await page.goto(base + path);
          // Evaluated through the DevTools protocol, so the page's CSP does not apply to axe itself.
          await page.evaluate(AXE_SOURCE);
          const result = await page.evaluate(async () => {
            const axe = (
              window as unknown as {
                axe: { run: (ctx: Document) => Promise<{ violations: unknown[]; passes: unknown[] }> };
              }
            ).axe;
            const { violations, passes } = await axe.run(document);
            return { violations, passed: passes.length };
          });
          // axe really ran and checked rules on this page.
          expect(result.passed, path).toBeGreaterThan(10);
          const violations = result.violations;
          for (const v of violations as Violation[]) {
            if (v.impact === 'serious' || v.impact === 'critical') {
              found.push(
                `${path}: ${v.id} (${v.help}) at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
              );
            }
          }
        }
        expect(found).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
