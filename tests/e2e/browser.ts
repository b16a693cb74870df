/**
 * Headless Debian Chromium for the e2e tests, with the flags this closed network needs. Every page
 * reports what the server's Content-Security-Policy blocked, and each test fails if anything was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startStack, type Stack } from '../../server/test/harness.js';

export const H5_DIR = path.resolve(import.meta.dirname, '../../miniapp/dist/h5');
export const CONSOLE_DIR = path.resolve(import.meta.dirname, '../../server/console/dist');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** What the Content-Security-Policy blocked on this file's pages since last taken: directive, what, where. */
const blocked: string[] = [];

/** The CSP violations reported since the last call (and forgets them). */
export function takeBlocked(): string[] {
  return blocked.splice(0);
}

afterEach(() => {
  expect(takeBlocked(), 'blocked by the Content-Security-Policy').toEqual([]);
});

/** A phone-sized page, as doctors see the app, reporting CSP violations (takeBlocked). */
export async function phonePage(browser: Browser) {
  return reportingPage(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

/** A desktop browser window, as staff use the console, reporting CSP violations (takeBlocked). */
export async function desktopPage(browser: Browser) {
  return reportingPage(browser, { viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

async function reportingPage(browser: Browser, options: BrowserContextOptions) {
  const context = await browser.newContext(options);
  await context.exposeBinding('reportBlocked', (_source, what: string) => void blocked.push(what));
  await context.addInitScript(() => {
    const report = (window as unknown as { reportBlocked: (what: string) => void }).reportBlocked;
    document.addEventListener('securitypolicyviolation', (e) => report(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  return context.newPage();
}

/**
 * The usual e2e setup: a whole stack serving the h5 build, Chromium, and a phone-sized page,
 * started before the file's tests and closed after them. Read the fields inside tests.
 */
export function useBrowserStack(): { stack: Stack; browser: Browser; page: Page } {
  const ctx = {} as { stack: Stack; browser: Browser; page: Page };
  beforeAll(async () => {
    ctx.stack = await startStack({ h5Dir: H5_DIR });
    ctx.browser = await launchBrowser();
    ctx.page = await phonePage(ctx.browser);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.stack?.close();
  });
  return ctx;
}
