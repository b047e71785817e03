// Large text and small screens (WCAG 1.4.4, 1.4.10, 2.5.8): with the text at
// 200 % on a 320 px screen nothing scrolls sideways; phone numbers never
// break across lines; the help lines are above the fold where people look
// for them; only the exit button stays on screen while scrolling; the most
// important links are at least 44 × 44 px.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES } from '../lib/pages.mjs';
import { gotoPage, overflowingElementsInPage } from '../lib/helpers.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';

const e2e = setupBrowserTests();
const SMALL = { width: 320, height: 568 };
const KVINNOFRIDSLINJEN = 'a[href="tel:+4620505050"]';

/** Sets the root font size as a browser's text-size setting does. */
async function textSize(page, percent) {
  await page.evaluate((p) => {
    document.documentElement.style.fontSize = `${p}%`;
  }, percent);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

e2e.describeWithPage('text at 200 % on a 320 px screen', viewportOptions(SMALL), (shared) => {
  for (const p of PAGES) {
    it(`${p.path}: nothing scrolls sideways, no phone number breaks`, async () => {
      const { page } = shared;
      await gotoPage(page, e2e.server.baseUrl, p);
      await textSize(page, 200);
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      if (scrollWidth > innerWidth) {
        const culprits = await page.evaluate(overflowingElementsInPage);
        assert.fail(`${p.path}: scrollWidth ${scrollWidth} > ${innerWidth}:\n  ${culprits.join('\n  ')}`);
      }
      const broken = await page.evaluate(() =>
        [...document.querySelectorAll('a[href^="tel:"]')]
          .filter((a) => a.getClientRects().length > 1)
          .map((a) => a.textContent.trim()),
      );
      assert.deepEqual(broken, [], `${p.path}: phone numbers broken across lines`);
    });
  }
});

e2e.describeWithPage('above the fold at 320 × 568', viewportOptions(SMALL), (shared) => {
  for (const path of ['/', '/hjalp']) {
    it(`${path}: Kvinnofridslinjen's number is visible without scrolling`, async () => {
      const { page } = shared;
      await gotoPage(page, e2e.server.baseUrl, { path, status: 200 });
      const box = await page.locator(`.help-box ${KVINNOFRIDSLINJEN}`).boundingBox();
      assert.ok(box, 'the help box has Kvinnofridslinjen');
      assert.ok(box.y >= 0 && box.y + box.height <= SMALL.height, `the number lies at y=${box.y}..${box.y + box.height}`);
    });
  }
});

e2e.describeWithPage('only the exit button stays, at 150 % text', viewportOptions(SMALL), (shared) => {
  for (const path of ['/', '/hjalp', '/dolj-ditt-besok']) {
    it(`${path}: after scrolling, the exit button is on screen and what sticks takes little room`, async () => {
      const { page } = shared;
      await gotoPage(page, e2e.server.baseUrl, { path, status: 200 });
      await textSize(page, 150);
      await page.evaluate(() => window.scrollTo({ top: 1200, behavior: 'instant' }));
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const state = await page.evaluate(() => {
        const bar = document.querySelector('.quick-exit-bar').getBoundingClientRect();
        const button = document.querySelector('a.quick-exit').getBoundingClientRect();
        const hint = document.querySelector('.quick-exit-hint').getBoundingClientRect();
        return { barTop: bar.top, barHeight: bar.height, buttonTop: button.top, buttonBottom: button.bottom, hintBottom: hint.bottom };
      });
      assert.ok(state.buttonTop >= 0 && state.buttonBottom <= SMALL.height, `exit button on screen: ${JSON.stringify(state)}`);
      assert.ok(state.barHeight < SMALL.height / 4, `the sticky part is small: ${JSON.stringify(state)}`);
      assert.ok(state.hintBottom <= 0, `the hint scrolled away: ${JSON.stringify(state)}`);
    });
  }
});

e2e.describeWithPage('touch targets at 320 px', viewportOptions(SMALL), (shared) => {
  it('"ring 112" in the header and the help-box numbers are at least 44 × 44 px', async () => {
    const { page } = shared;
    await gotoPage(page, e2e.server.baseUrl, { path: '/', status: 200 });
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll('.site-header__112, .help-box a[href^="tel:"]')].map((a) => {
        const r = a.getBoundingClientRect();
        return { text: a.textContent.trim(), width: r.width, height: r.height };
      }),
    );
    assert.ok(sizes.length >= 5, `found ${sizes.length} links`);
    const small = sizes.filter((s) => s.width < 44 || s.height < 44);
    assert.deepEqual(small, [], 'targets smaller than 44 × 44 px');
  });
});
