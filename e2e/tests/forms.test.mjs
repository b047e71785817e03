// The public forms (report an accessibility problem, content in another
// format, contact), with and without JavaScript: a valid submission through
// the UI leads to a receipt with a case reference; an empty one shows the
// form again with a linked error summary and keeps what was entered; axe
// finds nothing on the form, the error page or the receipt; the footer's
// report link fills in the page; the error and receipt pages are valid HTML.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoAxeViolations } from '../lib/axe.mjs';
import { VIEWPORTS } from '../lib/pages.mjs';
import { activeElementInPage, gotoPage } from '../lib/helpers.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';
import {
  ERROR_SUMMARY_HEADING,
  ERROR_TITLE_PREFIX,
  FOOTER_REPORT_LINK,
  FORMS,
  RECEIPT_HEADING,
  REFERENCE_RE,
  errorSummaryProblemsInPage,
  fieldByLabel,
  fillIn,
  formOf,
  postForm,
  radioByLabel,
  submitForm,
  submitValidByFetch,
} from '../lib/forms.mjs';
import { assertNoStrayVnuMessages, assertNoVnuMessages, vnuMessagesByFile } from '../lib/vnu.mjs';

const MODES = [
  { name: 'with JavaScript', js: true },
  { name: 'without JavaScript', js: false },
];

const e2e = setupBrowserTests();

/** Describes the error summary on the page, for failure messages. */
async function summaryText(page) {
  return page.evaluate(() => document.querySelector('.error-summary')?.innerText.replace(/\s+/g, ' ').trim() ?? '(no error summary)');
}

/** Submits the form, which must be accepted: checks the receipt page, returns the reference. */
async function submitAndExpectReceipt(page, form, how) {
  const response = await submitForm(page, form);
  if (response.status() !== 303) {
    assert.fail(`${how}: POST ${form.path} answered HTTP ${response.status()}, expected 303 to the receipt; the page says: ${await summaryText(page)}`);
  }
  const url = new URL(page.url());
  const m = url.pathname.match(/\/kvitto\/([^/]+)\/[A-Za-z0-9_-]{22}$/);
  assert.ok(url.pathname.startsWith(`${form.path}/kvitto/`) && m, `${how}: the receipt must be at ${form.path}/kvitto/<REF>/<code>, got ${url.pathname}`);
  const h1s = await page.locator('h1').allTextContents();
  assert.deepEqual(h1s.map((h) => h.trim()), [RECEIPT_HEADING], `${how}: the receipt page has one h1 "${RECEIPT_HEADING}"`);
  assert.ok(!(await page.title()).startsWith(ERROR_TITLE_PREFIX), `${how}: the receipt's title must not start with "${ERROR_TITLE_PREFIX}"`);
  const refs = await page.locator('.panel__reference').allTextContents();
  assert.equal(refs.length, 1, `${how}: one .panel__reference on the receipt, found ${refs.length}`);
  const reference = refs[0].trim();
  assert.match(reference, REFERENCE_RE, `${how}: the reference`);
  assert.ok(reference.startsWith(`${form.prefix}-`), `${how}: a ${form.path} reference starts with ${form.prefix}-, got ${reference}`);
  assert.equal(decodeURIComponent(m[1]), reference, `${how}: the reference in the address and on the page agree`);
  return reference;
}

/** Submits the form, which must be refused with HTTP 400 and the form again. */
async function submitAndExpectErrors(page, form, how) {
  const response = await submitForm(page, form);
  assert.equal(response.status(), 400, `${how}: POST ${form.path} must answer HTTP 400 with the form again; now at ${page.url()}`);
  assert.equal(new URL(page.url()).pathname, form.path, `${how}: the form is shown again at its own address`);
  const title = await page.title();
  assert.ok(title.startsWith(ERROR_TITLE_PREFIX), `${how}: the title must start with "${ERROR_TITLE_PREFIX}", got ${JSON.stringify(title)}`);
  const summary = page.locator('.error-summary[data-error-summary]');
  assert.equal(await summary.count(), 1, `${how}: one .error-summary[data-error-summary]`);
  assert.ok(await summary.isVisible(), `${how}: the error summary is visible`);
  return summary;
}

for (const mode of MODES) {
  e2e.describeWithPage(`forms ${mode.name}`, { javaScriptEnabled: mode.js }, (shared) => {
    for (const form of FORMS) {
      it(`${form.path}: filled in validly through the UI → receipt with a ${form.prefix}- reference`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        await fillIn(page, form.valid);
        await submitAndExpectReceipt(page, form, `${form.path} ${mode.name}`);
      });

      it(`${form.path}: empty → "Fel: " title, error summary${mode.js ? ' focused' : ''}, links to the fields`, async () => {
        const { page } = shared;
        const how = `${form.path} empty ${mode.name}`;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        const summary = await submitAndExpectErrors(page, form, how);

        assert.equal(await summary.getAttribute('tabindex'), '-1', `${how}: the error summary has tabindex="-1"`);
        const heading = (await summary.locator('h2, h3').first().textContent().catch(() => null))?.trim();
        assert.equal(heading, ERROR_SUMMARY_HEADING, `${how}: the error summary's heading`);

        if (mode.js) {
          const focused = await page
            .waitForFunction(() => document.activeElement?.matches('.error-summary[data-error-summary]'), null, { timeout: 2000 })
            .then(() => true, () => false);
          assert.ok(focused, `${how}: with JavaScript the error summary must have focus after load; focus is on ${JSON.stringify(await page.evaluate(activeElementInPage))}`);
        }

        const { links, problems } = await page.evaluate(errorSummaryProblemsInPage);
        assert.deepEqual(problems, [], `${how}: error summary and inline messages (summary: ${JSON.stringify(links)})`);

        // Following the first link puts focus on its field.
        const first = links[0];
        await summary.locator('a').first().click();
        const targetId = decodeURIComponent(first.href.slice(1));
        const focusedOn = await page
          .waitForFunction((id) => document.activeElement?.id === id, targetId, { timeout: 2000 })
          .then(() => null, () => page.evaluate(() => ({ tag: document.activeElement?.tagName.toLowerCase(), id: document.activeElement?.id })));
        assert.equal(focusedOn, null, `${how}: clicking the summary link ${first.href} must focus #${targetId}; focus is on ${JSON.stringify(focusedOn)}`);
      });

      it(`${form.path}: what was entered is kept after an error`, async () => {
        const { page } = shared;
        const how = `${form.path} partly filled ${mode.name}`;
        const { field, radio } = form.keep;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        await fieldByLabel(page, field.label).fill(field.value);
        await radioByLabel(page, radio.label).check();
        await submitAndExpectErrors(page, form, how);
        assert.equal(await fieldByLabel(page, field.label).inputValue(), field.value, `${how}: the field "${field.label}" keeps its value`);
        assert.equal(await page.locator(`#${radio.id}`).isChecked(), true, `${how}: the radio "${radio.label}" (#${radio.id}) stays checked`);
        const kept = await page.evaluate(errorSummaryProblemsInPage);
        assert.ok(!kept.links.some((l) => l.href === `#${field.name}`), `${how}: the filled field ${field.name} is not reported as an error: ${JSON.stringify(kept.links)}`);
      });
    }

    it(`/hjalp: the footer link "${FOOTER_REPORT_LINK}" opens the report form with the page filled in`, async () => {
      const { page } = shared;
      const report = formOf('/tillganglighet/rapportera');
      await gotoPage(page, e2e.server.baseUrl, { path: '/hjalp', status: 200 });
      const link = page.locator('footer').getByRole('link', { name: FOOTER_REPORT_LINK, exact: true });
      assert.equal(await link.count(), 1, `one footer link "${FOOTER_REPORT_LINK}" on /hjalp`);
      await Promise.all([
        page.waitForURL((url) => url.pathname === report.path, { timeout: 10_000 }),
        link.click(),
      ]);
      assert.equal(new URL(page.url()).searchParams.get('sida'), '/hjalp', `the link carries sida=/hjalp: ${page.url()}`);
      assert.equal(await fieldByLabel(page, 'Vilken sida gäller det?').inputValue(), '/hjalp', 'the field "Vilken sida gäller det?" is filled in with /hjalp');
    });
  });
}

for (const viewport of VIEWPORTS) {
  e2e.describeWithPage(`axe on the forms at ${viewport.name}`, viewportOptions(viewport), (shared) => {
    for (const form of FORMS) {
      it(`${form.path}: no axe violations on the empty form`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        await assertNoAxeViolations(page, `${form.path} (empty form) at ${viewport.name}`);
      });

      it(`${form.path}: no axe violations on the error page`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        await submitAndExpectErrors(page, form, `${form.path} empty at ${viewport.name}`);
        await assertNoAxeViolations(page, `${form.path} (error page after an empty submission) at ${viewport.name}`);
      });

      it(`${form.path}: no axe violations on the receipt page`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, { path: form.path, status: 200 });
        await fillIn(page, form.valid);
        await submitAndExpectReceipt(page, form, `${form.path} at ${viewport.name}`);
        await assertNoAxeViolations(page, `${new URL(page.url()).pathname} (receipt page) at ${viewport.name}`);
      });
    }
  });
}

describe('Nu HTML Checker on the error and receipt pages', () => {
  let tmpDir;
  const saved = new Map(); // test name -> { file } or { problem }
  let messagesOf = new Map();

  before(async () => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-vnu-forms-'));
    for (const form of FORMS) {
      const errorKey = `${form.path} error page`;
      const empty = await postForm(e2e.server.baseUrl, form, {});
      if (empty.status !== 400) saved.set(errorKey, { problem: `an empty POST ${form.path} answered HTTP ${empty.status}, expected 400` });
      else {
        const file = path.join(tmpDir, `${form.key}-fel.html`);
        fs.writeFileSync(file, empty.html);
        saved.set(errorKey, { file });
      }

      const receiptKey = `${form.path} receipt page`;
      try {
        const receipt = await submitValidByFetch(e2e.server.baseUrl, form);
        if (receipt.status !== 200) throw new Error(`GET ${receipt.url} answered HTTP ${receipt.status}, expected 200`);
        const file = path.join(tmpDir, `${form.key}-kvitto.html`);
        fs.writeFileSync(file, receipt.html);
        saved.set(receiptKey, { file, url: receipt.url });
      } catch (err) {
        saved.set(receiptKey, { problem: err.message });
      }
    }
    const files = [...saved.values()].filter((s) => s.file).map((s) => s.file);
    if (files.length) messagesOf = await vnuMessagesByFile(files);
  });

  after(() => {
    if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  for (const form of FORMS) {
    for (const what of ['error page', 'receipt page']) {
      const key = `${form.path} ${what}`;
      it(`${key} is valid HTML`, () => {
        const s = saved.get(key);
        if (s.problem) assert.fail(`${key}: ${s.problem}`);
        const where = s.url ? `${key} (${new URL(s.url).pathname})` : key;
        assertNoVnuMessages(messagesOf.get(s.file) || [], where);
      });
    }
  }

  it('vnu reported nothing about files it was not given', () => {
    assertNoStrayVnuMessages(messagesOf, [...saved.values()].map((s) => s.file));
  });
});
