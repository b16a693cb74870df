/** Headless Debian Chromium for the e2e tests, with the flags this closed network needs. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack } from '../../server/test/harness.js';

export const H5_DIR = path.resolve(import.meta.dirname, '../../miniapp/dist/h5');

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

/** A phone-sized page, as doctors see the app. */
export async function phonePage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
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
