// Without JavaScript every public page works: it loads, has its heading, the
// help box and the quick exit, and the help directory's filter links work.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage } from '../lib/browser.mjs';
import { getServer } from '../lib/server.mjs';
import { PAGES } from '../lib/pages.mjs';
import { gotoPage } from '../lib/helpers.mjs';

let server;
let browser;
let context;
let page;

before(async () => {
  server = await getServer();
  browser = await launchBrowser();
  ({ context, page } = await newPage(browser, { javaScriptEnabled: false }));
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

describe('every public page without JavaScript', () => {
  for (const p of PAGES) {
    const what = p.status === 200 ? 'one h1, Swedish, "Senast uppdaterad", help box' : 'one h1, Swedish, help box';
    it(`${p.path} loads with HTTP ${p.status}, ${what}`, async () => {
      await gotoPage(page, server.baseUrl, p);
      const h1s = await page.locator('h1').allTextContents();
      assert.equal(h1s.length, 1, `exactly one <h1>, found ${h1s.length}: ${JSON.stringify(h1s)}`);
      assert.ok(h1s[0].trim().length > 0, 'the <h1> is not empty');
      assert.ok(await page.locator('h1').isVisible(), 'the <h1> is visible');
      const lang = await page.locator('html').getAttribute('lang');
      assert.ok(/^sv\b/.test(lang || ''), `<html lang> must be Swedish, got ${JSON.stringify(lang)}`);
      if (p.status === 200) {
        const updated = await page.getByText('Senast uppdaterad').count();
        assert.ok(updated >= 1, 'the page shows "Senast uppdaterad"');
      }
      // The help box: a complementary landmark with phone numbers.
      const helpBoxes = await page.locator('aside:has(a[href^="tel:"])').count();
      assert.ok(helpBoxes >= 1, 'the page has a help box (an <aside> with tel: links)');
      assert.equal(await page.locator('a.quick-exit[href="/lamna"]').count(), 1, 'the quick-exit button is there');
    });
  }
});

describe('help directory filter without JavaScript', () => {
  it('/hjalp → "Orolig granne eller anhörig" leads to ?for=granne', async () => {
    await gotoPage(page, server.baseUrl, { path: '/hjalp', status: 200 });
    const link = page.getByRole('link', { name: 'Orolig granne eller anhörig' });
    const count = await link.count();
    assert.ok(count >= 1, 'a link named "Orolig granne eller anhörig" is on /hjalp');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('for') === 'granne', { timeout: 10_000 }), link.first().click()]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/hjalp');
    assert.equal(url.searchParams.get('for'), 'granne');
    assert.equal(await page.locator('h1').count(), 1, 'the filtered page has one h1');
  });
});
