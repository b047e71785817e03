// Accessibility: axe-core (WCAG 2.0/2.1 A+AA and 2.2 AA rules) finds no
// violation on any public page, at a phone and a desktop viewport.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { getServer } from '../lib/server.mjs';
import { PAGES, VIEWPORTS } from '../lib/pages.mjs';
import { formatAxeViolations, gotoPage } from '../lib/helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Use the axe-core version pinned in package.json rather than the one
// @axe-core/playwright bundles.
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;

before(async () => {
  server = await getServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const viewport of VIEWPORTS) {
  describe(`axe at ${viewport.name}`, () => {
    let context;
    let page;

    before(async () => {
      ({ context, page } = await newPage(browser, { viewport: { width: viewport.width, height: viewport.height } }));
    });

    after(async () => {
      await context?.close();
    });

    for (const p of PAGES) {
      it(`${p.path} has no axe violations`, async () => {
        await gotoPage(page, server.baseUrl, p);
        const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(TAGS).analyze();
        assert.equal(
          results.violations.length,
          0,
          `${p.path} at ${viewport.name}: ${results.violations.length} axe violation(s):\n${formatAxeViolations(results.violations)}`,
        );
      });
    }
  });
}
