#!/usr/bin/env node
// Saves full-page PNGs of every public page at 320 px and 1280 px into
// e2e/screenshots/ (gitignored), for people to look at.
//
//   FRIDHEM_BIN=/path/to/fridhem node screenshots.mjs
//
// Uses the server from FRIDHEM_E2E_BASE_URL/FRIDHEM_E2E_EXIT_URL if set
// (e.g. under lib/with-server.mjs), otherwise starts one from FRIDHEM_BIN.

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { getServer } from './lib/server.mjs';
import { PAGES } from './lib/pages.mjs';
import { pageUrl } from './lib/helpers.mjs';

const OUT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));
const WIDTHS = [
  { width: 320, height: 640 },
  { width: 1280, height: 800 },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
const server = await getServer();
const browser = await launchBrowser();
let failed = 0;
try {
  for (const viewport of WIDTHS) {
    const { context, page } = await newPage(browser, { viewport });
    for (const p of PAGES) {
      const file = `${OUT_DIR}${p.name}-${viewport.width}.png`;
      try {
        const res = await page.goto(pageUrl(server.baseUrl, p.path), { waitUntil: 'load' });
        await page.screenshot({ path: file, fullPage: true });
        console.log(`${res?.status()} ${p.path} -> screenshots/${p.name}-${viewport.width}.png`);
      } catch (err) {
        failed += 1;
        console.error(`failed: ${p.path} at ${viewport.width}px: ${err.message}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
