// The public site in every language (issue 14): each translated page in
// Swedish, Finnish, English, Arabic, Persian, Somali and easy-to-read
// Swedish has the right `lang` and `dir`, no axe violation at 320 px and
// 1280 px, no sideways scroll at 320 px with the text at 200 %, hreflang
// alternates that answer 200, and valid HTML (Nu checker). The quick exit
// works by click and by Shift×3 in Arabic and in Finnish.
//
// With FRIDHEM_E2E_SHOTS=dir, the start page and /hjalp of each language
// are saved there at 320 px, for people to look at (Arabic and Persian
// shaping, right-to-left layout).

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoAxeViolations } from '../lib/axe.mjs';
import { gotoPage, overflowingElementsInPage, pageUrl } from '../lib/helpers.mjs';
import { EXIT_PAGE_TITLE, VIEWPORTS } from '../lib/pages.mjs';
import { setupBrowserTests } from '../lib/setup.mjs';
import { assertSavedPagesValid } from '../lib/staff-checks.mjs';

const LANGUAGES = [
  { code: 'sv', prefix: '', lang: 'sv', dir: 'ltr' },
  { code: 'fi', prefix: '/fi', lang: 'fi', dir: 'ltr' },
  { code: 'en', prefix: '/en', lang: 'en', dir: 'ltr' },
  { code: 'ar', prefix: '/ar', lang: 'ar', dir: 'rtl' },
  { code: 'fa', prefix: '/fa', lang: 'fa', dir: 'rtl' },
  { code: 'so', prefix: '/so', lang: 'so', dir: 'ltr' },
  { code: 'lattlast', prefix: '/lattlast', lang: 'sv', dir: 'ltr' },
];
const PATHS = ['/', '/hjalp', '/hjalp?for=granne', '/orolig-for-nagon', '/dolj-ditt-besok', '/inte-ensam', '/en-manad-fri-fran-vald'];
const urlOf = (l, p) => (l.prefix && p === '/' ? `${l.prefix}/` : `${l.prefix}${p}`);
const nameOf = (l, p) => `${l.code}${p === '/' ? '-start' : p.replace(/[/?=]/g, '-')}`;

const e2e = setupBrowserTests();
const saved = new Map();
const shots = process.env.FRIDHEM_E2E_SHOTS;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-languages-'));

async function textSize(page, percent) {
  await page.evaluate((p) => {
    document.documentElement.style.fontSize = `${p}%`;
  }, percent);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

for (const l of LANGUAGES) {
  describe(`${l.code}`, () => {
    for (const p of [...PATHS, '/finns-inte']) {
      const url = urlOf(l, p);
      const status = p === '/finns-inte' ? 404 : 200;
      it(`${url}: lang and dir, alternates, axe at 320 and 1280 px, 200 % text at 320 px`, async () => {
        await e2e.withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
          const response = await gotoPage(page, e2e.server.baseUrl, { path: url, status });
          saved.set(nameOf(l, p), await response.text());
          const root = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
          assert.deepEqual(root, { lang: l.lang, dir: l.dir }, url);

          const alternates = await page.evaluate(() =>
            [...document.querySelectorAll('link[rel=alternate][hreflang]')].map((a) => [a.hreflang, a.getAttribute('href')]),
          );
          if (status === 200) {
            assert.deepEqual(
              alternates.map(([h]) => h),
              ['sv', 'fi', 'en', 'ar', 'fa', 'so', 'sv-x-lattlast', 'x-default'],
              `${url}: every language once and a default`,
            );
            for (const [hreflang, href] of alternates) {
              const r = await page.request.get(pageUrl(e2e.server.baseUrl, href), { maxRedirects: 0 });
              assert.equal(r.status(), 200, `${url}: alternate ${hreflang} ${href}`);
            }
          } else {
            assert.deepEqual(alternates, [], `${url}: an error page has no alternates`);
          }
          // The language list: each language named in itself, as a link.
          const names = await page.locator('nav.languages a').allTextContents();
          assert.deepEqual(names, ['Svenska', 'Suomi', 'English', 'العربية', 'فارسی', 'Soomaali', 'Lättläst svenska']);

          for (const viewport of VIEWPORTS) {
            await page.setViewportSize({ width: viewport.width, height: viewport.height });
            await assertNoAxeViolations(page, `${url} at ${viewport.name}`);
          }
          await page.setViewportSize({ width: 320, height: 640 });
          if (shots && (p === '/' || p === '/hjalp')) {
            fs.mkdirSync(shots, { recursive: true });
            await page.screenshot({ path: path.join(shots, `${nameOf(l, p)}-320.png`), fullPage: p === '/hjalp' });
          }
          await textSize(page, 200);
          const over = await page.evaluate(overflowingElementsInPage);
          assert.deepEqual(over, [], `${url} scrolls sideways at 320 px with 200 % text`);
        });
      });
    }
  });
}

describe('the quick exit in right-to-left Arabic and in Finnish', () => {
  for (const start of ['/ar/hjalp', '/fi/hjalp', '/ar/']) {
    it(`${start}: a click leaves`, async () => {
      await e2e.withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
        await gotoPage(page, e2e.server.baseUrl, { path: start, status: 200 });
        const button = page.locator('a.quick-exit[data-quick-exit]');
        const box = await button.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 320, `${start}: the button is on screen: ${JSON.stringify(box)}`);
        await button.click();
        await page.waitForURL(e2e.server.exitUrl, { timeout: 10_000 });
        assert.equal(await page.title(), EXIT_PAGE_TITLE);
      });
    });

    it(`${start}: Shift three times leaves, counting down in the page's language`, async () => {
      await e2e.withPage({}, async (page) => {
        await gotoPage(page, e2e.server.baseUrl, { path: start, status: 200 });
        const status = page.locator('#quick-exit-status');
        const expected = await status.evaluate((el) => [el.getAttribute('data-msg-2'), el.getAttribute('data-msg-1')]);
        assert.ok(expected[0] && expected[0] !== expected[1]);
        await page.keyboard.press('ShiftLeft');
        await page.waitForFunction((t) => document.getElementById('quick-exit-status').textContent.trim() === t, expected[0]);
        await page.keyboard.press('ShiftRight');
        await page.waitForFunction((t) => document.getElementById('quick-exit-status').textContent.trim() === t, expected[1]);
        await page.keyboard.press('ShiftLeft');
        await page.waitForURL(e2e.server.exitUrl, { timeout: 10_000 });
        assert.equal(await page.title(), EXIT_PAGE_TITLE);
      });
    });
  }
});

describe('valid HTML', () => {
  it('every page in every language passes the Nu checker', async () => {
    await assertSavedPagesValid(saved, tmp, LANGUAGES.length * (PATHS.length + 1));
  });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));
