// The campaign programme in Chromium: a visitor browses this year's
// programme, filters it with the plain links (by audience, then format),
// opens an event and downloads its calendar file; an evenemangsansvarig
// signs in, creates an event, previews it, publishes it (it appears on the
// programme) and cancels it with a reason (the page says so first). Every
// page passed is checked with axe at 320 and 1280 px and the staff pages
// with the Nu checker (the public ones are in lib/pages.mjs).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { newPage } from '../lib/browser.mjs';
import { VIEWPORTS } from '../lib/pages.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';
import { assertSavedPagesValid, checkStaffPage } from '../lib/staff-checks.mjs';
import { totp } from '../lib/totp.mjs';

const e2e = setupBrowserTests({ ownServer: true });
const EMAIL = 'eva.evenemang@example.se';
const PASSWORD = 'höstlöv karusell fyrtorn';
const TITLE = 'Webbinarium om stöd till grannar';

const saved = new Map();
let tmpDir;
before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-events-'));
});
after(() => {
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function checkAndSave(page, name) {
  saved.set(name, await (await page.request.get(page.url())).text());
  await checkStaffPage(page, name);
  if (process.env.FRIDHEM_E2E_SHOTS) {
    await page.screenshot({ path: path.join(process.env.FRIDHEM_E2E_SHOTS, `${name}.png`), fullPage: true });
  }
}

const countText = (page) => page.textContent('.programme__count');

it('a visitor filters the programme, opens an event and adds it to a calendar', async () => {
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    await page.goto(`${e2e.server.baseUrl}/en-manad-fri-fran-vald`);
    const all = await page.locator('.event-card').count();
    assert.ok(all >= 12, `${all} events`);
    assert.match(await countText(page), new RegExp(`^${all} evenemang`));
    await page.click('a.filter__link:has-text("Anställda i kommunerna")');
    await page.waitForURL((u) => u.searchParams.get('for') === 'anstallda');
    const employees = await page.locator('.event-card').count();
    assert.ok(employees > 0 && employees < all);
    await page.click('a.filter__link:has-text("Digitalt")');
    await page.waitForURL((u) => u.searchParams.get('format') === 'digitalt' && u.searchParams.get('for') === 'anstallda');
    const both = await page.locator('.event-card').count();
    assert.ok(both > 0 && both <= employees);
    assert.equal(await countText(page), `${both} av ${all} evenemang matchar filtren.`);
    await checkStaffPage(page, 'programme filtered');

    await page.locator('.event-card a').first().click();
    await page.waitForSelector('h1');
    assert.match(new URL(page.url()).pathname, /^\/evenemang\/\d+-[a-z0-9-]+$/);
    const data = JSON.parse(await page.textContent('script[type="application/ld+json"]'));
    assert.equal(data['@type'], 'Event');
    assert.equal(await page.textContent('h1'), data.name);
    await checkStaffPage(page, 'event page');

    const download = page.waitForEvent('download');
    await page.click('a:has-text("Lägg till i kalender")');
    const file = await (await download).path();
    const ics = fs.readFileSync(file, 'utf8');
    assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
    assert.match(ics, /DTSTART;TZID=Europe\/Stockholm:\d{8}T\d{6}\r\n/);
    assert.doesNotMatch(ics, /example\.org\/mote/, 'no meeting link in the file');
  } finally {
    await context.close();
  }
});

it('an evenemangsansvarig creates, previews, publishes and cancels an event', async () => {
  const base = e2e.server.baseUrl;
  const made = spawnSync(process.env.FRIDHEM_BIN, ['staff', 'add', '--email', EMAIL, '--name', 'Eva Evenemang', '--role', 'evenemangsansvarig'], {
    input: `${PASSWORD}\n`,
    env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  try {
    await page.goto(`${base}/admin`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#secret');
    await page.fill('#code', totp((await page.textContent('#secret')).replace(/\s+/g, '')));
    await page.click('button[type=submit]');
    await page.waitForSelector('#recovery-codes');
    await page.click('text=Fortsätt till Fridhem');
    await page.waitForURL((u) => u.pathname === '/admin');

    await page.click('a[href="/admin/evenemang"]');
    await page.waitForSelector('h1:has-text("Evenemang")');
    await checkAndSave(page, 'evenemang');
    const year = new Date().getFullYear();
    await page.click(`a:has-text("Nytt evenemang ${year}")`);
    await page.waitForSelector('#titel');
    await checkAndSave(page, 'nytt-evenemang');

    // A mistake first: the error summary names it.
    await page.click('button:has-text("Spara som utkast")');
    await page.waitForSelector('.error-summary');
    saved.set('nytt-evenemang-fel', await page.content());
    await checkStaffPage(page, 'new event with errors');

    await page.fill('#titel', TITLE);
    await page.fill('#beskrivning', 'Hur du kan göra om du är **orolig** för en granne.');
    await page.check('#malgrupp-allmanheten');
    await page.check('#format-digitalt');
    await page.fill('#moteslank', 'https://example.net/e2e-mote');
    await page.fill('#startdatum', `${year + 1}-11-10`);
    await page.fill('#starttid', '18:00');
    await page.fill('#slutdatum', `${year + 1}-11-10`);
    await page.fill('#sluttid', '19:00');
    await page.check('#tillganglighet-textning');
    await page.click('button:has-text("Förhandsgranska")');
    await page.waitForSelector('#forhandsgranskning');
    assert.equal(await page.locator('.preview strong:has-text("orolig")').count(), 1, 'Markdown in the preview');
    saved.set('forhandsgranskning', await page.content());
    await checkStaffPage(page, 'preview');
    await page.click('button:has-text("Spara som utkast")');
    await page.waitForSelector('text=sparat som utkast');
    await checkAndSave(page, 'utkast');

    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('text=Evenemanget är publicerat');
    const publicPath = await page.getAttribute('a:has-text("Visa den publika sidan")', 'href');
    // Within the poll interval, on the page and in the programme's year.
    const visitor = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
    try {
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await visitor.page.goto(`${base}${publicPath}`)).status();
        if (status !== 200) await visitor.page.waitForTimeout(200);
      }
      assert.equal(status, 200);
      assert.equal(await visitor.page.textContent('h1'), TITLE);
      assert.equal(await visitor.page.locator('text=e2e-mote').count(), 0, 'no meeting link');

      await page.fill('#anledning', 'Föreläsaren är sjuk. Vi återkommer med ett nytt datum.');
      await page.click('button:has-text("Ställ in evenemanget")');
      await page.waitForSelector('text=Evenemanget är inställt.');
      await checkAndSave(page, 'installt');
      let cancelled = false;
      for (let i = 0; i < 50 && !cancelled; i++) {
        await visitor.page.goto(`${base}${publicPath}`);
        cancelled = (await visitor.page.locator('.notice--warning').count()) === 1;
        if (!cancelled) await visitor.page.waitForTimeout(200);
      }
      assert.ok(cancelled, 'the public page says it is cancelled');
      const first = await visitor.page.locator('main > *').first().textContent();
      assert.match(first, /Evenemanget är inställt/);
      await checkStaffPage(visitor.page, 'cancelled event');
    } finally {
      await visitor.context.close();
    }
    await assertSavedPagesValid(saved, tmpDir, 6);
  } finally {
    await context.close();
  }
});
