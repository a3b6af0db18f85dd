// Debian's chromium driven by playwright-core: one browser per test file, always closed after it.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  afterAll(() => browser.close());
  return browser;
}

/** What a page did that it should not have: dialogs opened and Content-Security-Policy violations. */
export interface PageWatch {
  dialogs: string[];
  pageErrors: string[];
  /** CSP violations the page reported (each would be something trying to run or load). */
  violations(): Promise<string[]>;
}

/**
 * Record every dialog (dismissing it), every uncaught page error, and every CSP violation, from before
 * the first byte of each document.
 */
export async function watchPage(page: Page): Promise<PageWatch> {
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return {
    dialogs,
    pageErrors,
    violations: () =>
      page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []),
  };
}
