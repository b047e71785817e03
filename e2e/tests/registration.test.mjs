// Registration in Chromium (issue 16): a visitor registers for the last
// seat of an event and gets the confirmation e-mail with its calendar
// file; a second visitor is put on the waiting list; the first cancels
// through the personal link from the e-mail, and the second is moved up
// and told so by e-mail. A teacher books seats for a class. The form (with
// and without errors), the answer and the personal page are checked with
// axe at 320 and 1280 px and with the Nu checker.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, it } from 'node:test';
import { newPage } from '../lib/browser.mjs';
import { VIEWPORTS } from '../lib/pages.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';
import { calendarPart, waitForMessage } from '../lib/smtp-sink.mjs';
import { runSql } from '../lib/sql.mjs';
import { assertSavedPagesValid, checkStaffPage } from '../lib/staff-checks.mjs';
import { totp } from '../lib/totp.mjs';

const e2e = setupBrowserTests({ ownServer: true });
const saved = new Map();
/** The event of the first test, for the staff test. */
let firstEvent;
let tmpDir;
before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-registration-'));
});
after(() => {
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function checkAndSave(page, name) {
  saved.set(name, await page.content());
  await checkStaffPage(page, name);
  if (process.env.FRIDHEM_E2E_SHOTS) {
    await page.screenshot({ path: path.join(process.env.FRIDHEM_E2E_SHOTS, `${name}.png`), fullPage: true });
  }
}

const sqlTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** The first event of the demo programme for `audience`, opened for registration in the database. */
async function openEvent(page, audience, capacity) {
  const base = e2e.server.baseUrl;
  await page.goto(`${base}/en-manad-fri-fran-vald?for=${audience}`);
  const href = await page.locator('.event-card a').first().getAttribute('href');
  const id = Number(href.match(/^\/evenemang\/(\d+)-/)[1]);
  const start = Date.now() + 30 * 86_400_000;
  runSql(e2e.server.databaseUrl,
    `UPDATE events SET starts_at = '${sqlTime(start)}', ends_at = '${sqlTime(start + 7_200_000)}', ` +
    `registration_opens_at = '${sqlTime(Date.now() - 3_600_000)}', registration_closes_at = NULL, ` +
    `capacity = ${capacity}, status = 'publicerad' WHERE id = ${id}`);
  runSql(e2e.server.databaseUrl,
    "INSERT INTO app_meta (key, value) VALUES ('content_version', '1') ON CONFLICT (key) DO UPDATE " +
    'SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)');
  for (let i = 0; i < 50; i++) {
    await page.goto(`${base}${href}`);
    if (await page.locator('#epost').count()) return href;
    await page.waitForTimeout(200);
  }
  throw new Error(`the form did not appear on ${href}`);
}

async function register(page, href, name, email) {
  await page.goto(`${e2e.server.baseUrl}${href}`);
  await page.fill('#namn', name);
  await page.fill('#epost', email);
  await page.click('form.form button[type=submit]');
  await page.waitForURL((u) => u.pathname.startsWith('/anmalan/'));
}

it('a seat, the waiting list, a cancellation by the link and the next person moved up', async () => {
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    const href = await openEvent(page, 'allmanheten', 1);
    firstEvent = href;
    assert.match(await page.textContent('.registration'), /1 plats kvar/);
    await checkAndSave(page, 'anmalan-formular');

    // Nothing filled in: the error summary names both fields and takes focus.
    await page.click('form.form button[type=submit]');
    await page.waitForSelector('.error-summary');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
    assert.match(await page.title(), /^Fel: /);
    assert.equal(await page.locator('.error-summary a').count(), 2);
    await checkAndSave(page, 'anmalan-fel');

    await register(page, href, 'Anna Andersson', 'anna.e2e@example.se');
    assert.equal(await page.textContent('h1'), 'Du är anmäld');
    const link = new URL(page.url()).pathname;
    assert.ok((await page.textContent('main')).includes(link), 'the page shows the link to save');
    await checkAndSave(page, 'anmalan-kvitto');

    const confirmation = await waitForMessage(e2e.server.mailbox,
      (m) => m.to.includes('anna.e2e@example.se') && m.subject.startsWith('Du är anmäld'));
    assert.ok(confirmation.body.includes(link), 'the e-mail carries the personal link');
    const calendar = calendarPart(confirmation.raw);
    assert.ok(calendar, 'a calendar file is attached');
    assert.match(calendar.type, /method=REQUEST/i);
    assert.match(calendar.text, /BEGIN:VEVENT/);

    const visitor = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
    try {
      await visitor.page.goto(`${e2e.server.baseUrl}${href}`);
      for (let i = 0; i < 20 && !(await visitor.page.textContent('.registration')).includes('Fullbokat'); i++) {
        await visitor.page.waitForTimeout(200);
        await visitor.page.reload();
      }
      assert.match(await visitor.page.textContent('.registration'), /Fullbokat/);
      await register(visitor.page, href, 'Bo Berg', 'bo.e2e@example.se');
      assert.equal(await visitor.page.textContent('h1'), 'Du står på väntelistan (plats 1)');
      await checkAndSave(visitor.page, 'anmalan-vantelista');
      const bosPage = visitor.page.url();

      // Anna opens the link from her e-mail and cancels.
      await page.goto(`${e2e.server.baseUrl}${link}`);
      await page.click('button:has-text("Avboka anmälan")');
      await page.waitForSelector('text=Din anmälan är avbokad.');
      assert.equal(await page.textContent('h1'), 'Anmälan är avbokad');
      await checkAndSave(page, 'anmalan-avbokad');

      await visitor.page.goto(bosPage);
      assert.equal(await visitor.page.textContent('h1'), 'Du är anmäld');
      const promoted = await waitForMessage(e2e.server.mailbox,
        (m) => m.to.includes('bo.e2e@example.se') && m.subject.startsWith('Du har fått en plats'));
      assert.match(calendarPart(promoted.raw).type, /method=REQUEST/i);
      const cancelled = await waitForMessage(e2e.server.mailbox,
        (m) => m.to.includes('anna.e2e@example.se') && m.subject.startsWith('Din anmälan är avbokad'));
      assert.match(calendarPart(cancelled.raw).text, /METHOD:CANCEL/);
    } finally {
      await visitor.context.close();
    }
  } finally {
    await context.close();
  }
});

it('a teacher books seats for a class', async () => {
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    const href = await openEvent(page, 'skolungdomar', 30);
    await checkAndSave(page, 'klass-formular');
    await page.fill('#namn', 'Lärare Lund');
    await page.fill('#epost', 'larare.e2e@example.se');
    await page.fill('#skola', 'Exempelskolan');
    await page.fill('#klass', '8B');
    await page.fill('#elever', '24');
    await page.click('form.form button[type=submit]');
    await page.waitForURL((u) => u.pathname.startsWith('/anmalan/'));
    assert.equal(await page.textContent('h1'), 'Du är anmäld');
    assert.match(await page.textContent('.facts'), /Antal elever\s*24/);
    await checkAndSave(page, 'klass-kvitto');
    await page.goto(`${e2e.server.baseUrl}${href}`);
    assert.match(await page.textContent('.registration'), /6 platser kvar/);
  } finally {
    await context.close();
  }
});

it('an evenemangsansvarig sees the list, raises the seats, writes to everyone and prints the door list', async () => {
  const base = e2e.server.baseUrl;
  const email = 'erik.evenemang@example.se';
  const password = 'vinterljus karta hamnkran';
  const made = spawnSync(process.env.FRIDHEM_BIN, ['staff', 'add', '--email', email, '--name', 'Erik Evenemang', '--role', 'evenemangsansvarig'], {
    input: `${password}\n`,
    env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  try {
    await page.goto(`${base}/admin`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('#secret');
    await page.fill('#code', totp((await page.textContent('#secret')).replace(/\s+/g, '')));
    await page.click('button[type=submit]');
    await page.waitForSelector('#recovery-codes');
    await page.click('text=Fortsätt till Fridhem');
    await page.waitForURL((u) => u.pathname === '/admin');

    const id = firstEvent.match(/^\/evenemang\/(\d+)-/)[1];
    await page.goto(`${base}/admin/evenemang/evenemang?id=${id}`);
    await page.click('a:has-text("Anmälningar")');
    await page.waitForSelector('h1:has-text("Anmälningar")');
    assert.ok((await page.textContent('main')).includes('Bo Berg'));
    await checkAndSave(page, 'personal-anmalningar');

    await page.fill('#platser', '1');
    await page.click('button:has-text("Spara antalet platser")');
    await page.waitForSelector('.error-summary');
    await checkAndSave(page, 'personal-platser-fel');
    await page.fill('#platser', '5');
    await page.click('button:has-text("Spara antalet platser")');
    await page.waitForSelector('text=Antalet platser är ändrat.');

    await page.click('a:has-text("Skicka ett meddelande")');
    await page.waitForSelector('#amne');
    await page.click('button:has-text("Skicka meddelandet")');
    await page.waitForSelector('.error-summary');
    await checkAndSave(page, 'personal-meddelande-fel');
    await page.fill('#amne', 'Ny ingång');
    await page.fill('#text', 'Gå in från parken, dörren vid cykelstället.');
    await page.click('button:has-text("Skicka meddelandet")');
    await page.waitForSelector('text=Meddelandet är skickat.');
    await waitForMessage(e2e.server.mailbox, (m) => m.to.includes('bo.e2e@example.se') && m.subject.startsWith('Ny ingång'));

    await page.click('a:has-text("Dörrlista")');
    await page.waitForSelector('table.door-list');
    assert.ok((await page.textContent('table.door-list')).includes('Bo Berg'));
    await checkAndSave(page, 'personal-dorrlista');
    await assertSavedPagesValid(saved, tmpDir, 11);
  } finally {
    await context.close();
  }
});
