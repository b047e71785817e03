// Without JavaScript every public page works: it loads, has its heading, the
// help box, the quick exit and the footer links to the forms; the forms are
// complete; the help directory's filter links work; the forms' receipt pages
// load.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PAGES } from '../lib/pages.mjs';
import { gotoPage, pageUrl } from '../lib/helpers.mjs';
import { FORMS, RECEIPT_HEADING, formMarkupProblemsInPage, formOf, submitValidByFetch } from '../lib/forms.mjs';
import { setupBrowserTests } from '../lib/setup.mjs';

const e2e = setupBrowserTests({ pageOptions: { javaScriptEnabled: false } });

/** Checks what every page has: one h1, Swedish, help box, quick exit, footer links to the forms. */
async function assertCommonParts(page, path, { reportWithPage }) {
  const h1s = await page.locator('h1').allTextContents();
  assert.equal(h1s.length, 1, `exactly one <h1>, found ${h1s.length}: ${JSON.stringify(h1s)}`);
  assert.ok(h1s[0].trim().length > 0, 'the <h1> is not empty');
  assert.ok(await page.locator('h1').isVisible(), 'the <h1> is visible');
  const lang = await page.locator('html').getAttribute('lang');
  assert.ok(/^sv\b/.test(lang || ''), `<html lang> must be Swedish, got ${JSON.stringify(lang)}`);
  // The help box: a complementary landmark with phone numbers.
  const helpBoxes = await page.locator('aside:has(a[href^="tel:"])').count();
  assert.ok(helpBoxes >= 1, 'the page has a help box (an <aside> with tel: links)');
  assert.equal(await page.locator('a.quick-exit[href="/lamna"]').count(), 1, 'the quick-exit button is there');

  // The footer links to the three forms; the report link names the page.
  const hrefs = await page.locator('footer a').evaluateAll((as) => as.map((a) => a.getAttribute('href') || ''));
  const base = 'http://fridhem.invalid';
  const report = hrefs.map((h) => new URL(h, base)).filter((u) => u.origin === base && u.pathname === '/tillganglighet/rapportera');
  assert.equal(report.length, 1, `the footer links once to /tillganglighet/rapportera; footer links: ${JSON.stringify(hrefs)}`);
  if (reportWithPage) {
    const current = new URL(path, base).pathname;
    assert.equal(report[0].searchParams.get('sida'), current, `the footer's report link carries ?sida=${current}, got ${report[0].pathname}${report[0].search}`);
  }
  for (const target of ['/tillganglighet/alternativt-format', '/kontakt']) {
    assert.ok(hrefs.some((h) => new URL(h, base).pathname === target && new URL(h, base).origin === base), `the footer links to ${target}; footer links: ${JSON.stringify(hrefs)}`);
  }
}

describe('every public page without JavaScript', () => {
  for (const p of PAGES) {
    let what = 'one h1, Swedish, help box, footer links to the forms';
    if (p.form) what = `${what}, the form`;
    else if (p.status === 200) what = `${what}, "Senast uppdaterad"`;
    it(`${p.path} loads with HTTP ${p.status}, ${what}`, async () => {
      const { page } = e2e;
      await gotoPage(page, e2e.server.baseUrl, p);
      await assertCommonParts(page, p.path, { reportWithPage: p.status === 200 });
      if (p.form) {
        const form = formOf(p.path);
        const problems = await page.evaluate(formMarkupProblemsInPage, { path: form.path, fields: form.fields });
        assert.deepEqual(problems, [], `${p.path}: the form`);
      } else if (p.status === 200) {
        const updated = await page.getByText('Senast uppdaterad').count();
        assert.ok(updated >= 1, 'the page shows "Senast uppdaterad"');
      }
    });
  }
});

describe('receipt pages without JavaScript', () => {
  for (const form of FORMS) {
    it(`${form.path}/kvitto/<REF>/<code> loads with HTTP 200, "${RECEIPT_HEADING}", help box, footer links to the forms`, async () => {
      const { page } = e2e;
      const receipt = await submitValidByFetch(e2e.server.baseUrl, form);
      const receiptPath = new URL(receipt.url).pathname;
      await gotoPage(page, e2e.server.baseUrl, { path: receiptPath, status: 200 });
      await assertCommonParts(page, receiptPath, { reportWithPage: false });
      assert.equal((await page.locator('h1').textContent()).trim(), RECEIPT_HEADING);
      const reference = (await page.locator('.panel__reference').textContent())?.trim();
      assert.ok(
        receipt.url.startsWith(pageUrl(e2e.server.baseUrl, `${form.path}/kvitto/${reference}/`)),
        `the receipt's address carries the reference shown, then its code: ${receipt.url}`,
      );
    });
  }
});

describe('help directory filter without JavaScript', () => {
  it('/hjalp → "Orolig granne eller anhörig" leads to ?for=granne', async () => {
    const { page } = e2e;
    await gotoPage(page, e2e.server.baseUrl, { path: '/hjalp', status: 200 });
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
