// One headless Chromium per test file, launched through playwright-core.
// Browsers cannot be downloaded here, so the system Chromium is used
// (override with CHROMIUM_PATH).

import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Opens a page in a fresh context. The context is created first (needed by
 * @axe-core/playwright, which refuses pages made with browser.newPage()).
 * Close the returned context, not just the page.
 */
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', ...contextOptions });
  const page = await context.newPage();
  return { context, page };
}
