// Layout robustness: nothing overflows horizontally at 320 px (LTR) and with
// dir="rtl" at 320 px and 1280 px, and the quick-exit button stays inside
// the viewport.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES } from '../lib/pages.mjs';
import { gotoPage, overflowingElementsInPage, quickExitButtonStateInPage } from '../lib/helpers.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';

const CASES = [
  { name: 'LTR at 320x640', width: 320, height: 640, rtl: false },
  { name: 'RTL at 320x640', width: 320, height: 640, rtl: true },
  { name: 'RTL at 1280x800', width: 1280, height: 800, rtl: true },
];

const e2e = setupBrowserTests();

for (const c of CASES) {
  e2e.describeWithPage(c.name, viewportOptions(c), (shared) => {
    for (const p of PAGES) {
      it(`${p.path}: no horizontal overflow, quick exit inside the viewport`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, p);
        if (c.rtl) {
          await page.evaluate(() => {
            document.documentElement.dir = 'rtl';
          });
        }
        // Let layout settle (two animation frames).
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        if (scrollWidth > innerWidth) {
          const culprits = await page.evaluate(overflowingElementsInPage);
          assert.fail(
            `${p.path} (${c.name}): document scrollWidth ${scrollWidth} > innerWidth ${innerWidth}. Elements outside the viewport:\n  ${culprits.join('\n  ') || '(none found)'}`,
          );
        }

        const state = await page.evaluate(quickExitButtonStateInPage);
        assert.ok(state.found, 'a.quick-exit[data-quick-exit] exists');
        assert.ok(state.inside && state.visible, `${p.path} (${c.name}): quick-exit button must lie inside the viewport: ${JSON.stringify(state)}`);
      });
    }
  });
}
