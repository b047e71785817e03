// A case from arrival to answer, in Chromium: a visitor reports an
// accessibility problem; a handläggare for accessibility cases signs in
// with her authenticator app, finds the case among the unassigned ones,
// takes it, writes a note, replies (the reply arrives at a real SMTP
// server with the reference, Reply-To and the DIGG paragraph, and without
// what the visitor wrote) and closes it. Every staff page is checked with
// axe at 320 and 1280 px and with the Nu checker.

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
import { waitForMessage } from '../lib/smtp-sink.mjs';
import { runSql } from '../lib/sql.mjs';
import { totp } from '../lib/totp.mjs';

const e2e = setupBrowserTests({ ownServer: true });

const HANDLER_EMAIL = 'tilda.tillganglighet@example.se';
const HANDLER_NAME = 'Tilda Tillgänglig';
const HANDLER_PASSWORD = 'murgröna fyrverkeri tallkotte';
const VISITOR_EMAIL = 'besokare.e2e@example.se';
const VISITOR_TEXT = 'Knappen Stäng sidan går inte att nå med tangentbordet på sidan Hjälp.';
const NOTE = 'Kontrollerat i Chromium.\nGäller bara sidan Hjälp.';
const PROBLEM = 'Knappen Stäng sidan på sidan Hjälp går inte att nå med tangentbordet.';
const ADMIN_EMAIL = 'arende.admin@example.se';
const ADMIN_PASSWORD = 'lövskog paraply vinterkväll';
const REPLY = 'Hej!\n\nTack för att du hörde av dig. Vi har rättat knappen.\n\nMed vänliga hälsningar\nTilda';

const saved = new Map();
let tmpDir;
const flow = { reference: undefined, casePath: undefined, handler: undefined };

before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-cases-'));
});
after(async () => {
  await flow.handler?.context.close();
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
});

const pathOf = (page) => new URL(page.url()).pathname;

/** Signs in for the first time: password, then the app's code from the secret shown; ends on /admin. */
async function firstSignIn(page, email, password) {
  await page.goto(`${e2e.server.baseUrl}/admin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#secret');
  const secret = (await page.textContent('#secret')).replace(/\s+/g, '');
  await page.fill('#code', totp(secret));
  await page.click('button[type=submit]');
  await page.waitForSelector('#recovery-codes');
  await page.click('text=Fortsätt till Fridhem');
  await page.waitForURL((u) => u.pathname === '/admin');
}

/** `fridhem staff add` as an operator runs it, the password on standard input. */
function addStaff(email, name, role, password) {
  const made = spawnSync(process.env.FRIDHEM_BIN, ['staff', 'add', '--email', email, '--name', name, '--role', role], {
    input: `${password}\n`,
    env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
}

/** Saves the page's HTML as served (for vnu) and checks it with axe. */
async function checkAndSave(page, name) {
  saved.set(name, await (await page.request.get(page.url())).text());
  await checkStaffPage(page, name);
  // FRIDHEM_E2E_SHOTS=dir: a full-page picture of each, for people to look at.
  if (process.env.FRIDHEM_E2E_SHOTS) {
    await page.screenshot({ path: path.join(process.env.FRIDHEM_E2E_SHOTS, `${name}.png`), fullPage: true });
  }
}

it('a visitor reports an accessibility problem', async () => {
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    await page.goto(`${e2e.server.baseUrl}/tillganglighet/rapportera?sida=%2Fhjalp`);
    await page.fill('#problem', VISITOR_TEXT);
    await page.fill('#epost', VISITOR_EMAIL);
    await page.check('input[name=svar][value=epost]');
    await page.click('button[type=submit]');
    await page.waitForURL((u) => u.pathname.includes('/kvitto/'));
    const match = /\/kvitto\/(TG-\d{4}-\d{5})\//.exec(page.url());
    assert.ok(match, page.url());
    flow.reference = match[1];
    flow.casePath = `/admin/arenden/${flow.reference}`;
  } finally {
    await context.close();
  }
});

it('a handläggare finds it unassigned, takes it, notes, replies and closes it', async () => {
  assert.ok(flow.reference, 'the report was sent');
  const base = e2e.server.baseUrl;
  addStaff(HANDLER_EMAIL, HANDLER_NAME, 'handlaggare-tg', HANDLER_PASSWORD);
  flow.handler = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  const { page } = flow.handler;
  await firstSignIn(page, HANDLER_EMAIL, HANDLER_PASSWORD);

  // The inbox, from the start page's menu; then "Inte tilldelade".
  await page.click('a[href="/admin/arenden"]');
  await page.waitForSelector('h1:has-text("Ärenden")');
  await checkAndSave(page, 'inkorg');
  await page.click('a:has-text("Inte tilldelade")');
  await page.waitForURL((u) => u.searchParams.get('visa') === 'otilldelade');
  const row = page.locator('tr', { has: page.locator(`a[href="${flow.casePath}"]`) });
  assert.equal(await row.count(), 1, 'the new case is listed as unassigned');
  assert.equal(await row.locator('text=Försenat').count(), 0, 'and not overdue');
  await checkAndSave(page, 'inkorg-otilldelade');

  await page.click(`a[href="${flow.casePath}"]`);
  await page.waitForURL((u) => u.pathname === flow.casePath);
  assert.equal(await page.textContent('h1'), flow.reference);
  assert.ok((await page.textContent('main')).includes(VISITOR_TEXT), 'what was sent is shown');
  await checkAndSave(page, 'arende');

  await page.click('button:has-text("Ta ärendet")');
  await page.waitForURL((u) => u.searchParams.get('klart') === 'tilldelat');
  assert.ok((await page.textContent('main')).includes(`Tilldelat ${HANDLER_NAME}`));

  // An empty note: the error summary, status 400, and the field marked.
  const empty = page.waitForResponse((r) => r.url().endsWith('/anteckning'));
  await page.click('button:has-text("Spara anteckning")');
  assert.equal((await empty).status(), 400);
  await page.waitForSelector('.error-summary');
  await checkStaffPage(page, 'case page with an error');
  await page.fill('#anteckning', NOTE);
  await page.click('button:has-text("Spara anteckning")');
  await page.waitForURL((u) => u.searchParams.get('klart') === 'anteckning');
  assert.ok((await page.innerText('.history')).includes('Kontrollerat i Chromium.\nGäller bara sidan Hjälp.'),
    'the note keeps its line break');

  await page.check('input[name=satt][value=epost]');
  await page.fill('#svar-text', REPLY);
  await page.click('button:has-text("Svara")');
  await page.waitForURL((u) => u.searchParams.get('klart') === 'svar');
  await checkAndSave(page, 'arende-besvarat');

  const mail = await waitForMessage(
    e2e.server.mailbox,
    (m) => m.to.includes(VISITOR_EMAIL) && m.subject.includes(flow.reference) && m.subject.startsWith('Svar'),
    { timeoutMs: 20_000 },
  );
  assert.ok(mail.body.includes('Vi har rättat knappen.'), mail.body);
  assert.ok(mail.body.includes('https://www.digg.se/tdosanmalan'), 'the DIGG paragraph');
  assert.ok(!mail.body.includes(VISITOR_TEXT), 'nothing the visitor wrote');
  const replyTo = mail.headers.find(([n]) => n.toLowerCase() === 'reply-to');
  assert.ok(replyTo && replyTo[1].includes('@'), 'a Reply-To header');

  // The history shows the reply as sent once the outbox has done it.
  for (let i = 0; i < 50; i++) {
    await page.reload();
    if ((await page.innerText('.history')).includes('e-post skickad')) break;
    await page.waitForTimeout(200);
  }
  assert.ok((await page.innerText('.history')).includes('e-post skickad'), 'delivery state in the history');

  // The confirmed problem goes into the accessibility statement.
  await page.fill('#brist-beskrivning', PROBLEM);
  await page.selectOption('#brist-kriterium', '2.1.1');
  await page.fill('#brist-skal', 'Knappen byggs om i nästa version.');
  await page.fill('#brist-datum', '2027-02-26');
  await page.click('button:has-text("Publicera i redogörelsen")');
  await page.waitForURL((u) => u.searchParams.get('klart') === 'publicerad');
  await checkAndSave(page, 'arende-publicerat');
  const statement = await page.context().newPage();
  let listed = false;
  for (let i = 0; i < 60 && !listed; i++) {
    await statement.goto(`${base}/tillganglighet`);
    listed = (await statement.textContent('main')).includes(PROBLEM);
    if (!listed) await statement.waitForTimeout(250);
  }
  assert.ok(listed, 'the problem is on /tillganglighet');
  assert.ok((await statement.textContent('main')).includes('2.1.1 Tangentbord'));
  assert.ok(!(await statement.textContent('main')).includes(VISITOR_TEXT), 'nothing the visitor wrote');
  await statement.close();

  await page.check('input[name=till][value=avslutad]');
  await page.click('button:has-text("Ändra status")');
  await page.waitForURL((u) => u.searchParams.get('klart') === 'status');
  assert.ok((await page.textContent('.kept')).includes('Avslutad'));
  await page.goto(`${base}/admin/arenden?status=avslutad`);
  assert.equal(await page.locator(`a[href="${flow.casePath}"]`).count(), 1);
  assert.equal(pathOf(page), '/admin/arenden');
});

it('an administrator sets the answer times and looks at the outbox', async () => {
  const base = e2e.server.baseUrl;
  addStaff(ADMIN_EMAIL, 'Ada Admin', 'administrator', ADMIN_PASSWORD);
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  try {
    await firstSignIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);

    await page.click('a[href="/admin/installningar/arendetyper"]');
    await page.waitForSelector('#tg-svarstid');
    await checkAndSave(page, 'installningar');
    await page.fill('#tg-svarstid', 'fem');
    const refused = page.waitForResponse((r) => r.url().endsWith('/admin/installningar/arendetyper') && r.request().method() === 'POST');
    await page.click('button:has-text("Spara inställningar")');
    assert.equal((await refused).status(), 400);
    await page.waitForSelector('.error-summary');
    await checkStaffPage(page, 'settings with an error');
    await page.fill('#tg-svarstid', '4');
    await page.click('button:has-text("Spara inställningar")');
    await page.waitForURL((u) => u.searchParams.get('klart') === 'sparat');
    assert.equal(await page.inputValue('#tg-svarstid'), '4');

    await page.goto(`${base}/admin/utkorg`);
    await page.waitForSelector('h1');
    await checkAndSave(page, 'utkorg');
    await page.goto(`${base}${flow.casePath}`);
    await checkAndSave(page, 'arende-som-admin');

    // The dashboard, from the start page's menu: the closed case is
    // counted as received and closed this month.
    await page.goto(`${base}/admin`);
    await page.click('a[href="/admin/oversikt"]');
    await page.waitForSelector('h1:has-text("Översikt")');
    assert.equal(await page.locator('svg[role=img] rect.chart__bar--received').count(), 12);
    const months = page.locator('table').nth(1);
    const lastMonth = months.locator('tbody tr').last();
    assert.equal(await lastMonth.locator('td').first().textContent(), '1', 'received this month');
    await checkAndSave(page, 'oversikt');
    await page.click('a:has-text("Brist i tillgängligheten (TG)")');
    await page.waitForURL((u) => u.searchParams.get('typ') === 'TG');
    await checkStaffPage(page, 'dashboard for one type');
    const csv = await (await page.request.get(`${base}/admin/oversikt.csv?typ=TG`)).text();
    assert.ok(csv.startsWith('\ufeffÄrendetyp;Mått;Period;Värde\r\n'), csv.slice(0, 80));
    assert.ok(csv.includes('TG;Öppna ärenden;'), csv);

    // The audit log filtered to the case, and a filter it refuses.
    await page.goto(`${base}/admin/logg`);
    await page.fill('#arende', flow.reference);
    await page.click('button:has-text("Visa")');
    await page.waitForURL((u) => u.searchParams.get('arende') === flow.reference);
    const kinds = await page.$$eval('tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
    assert.ok(kinds.includes('Ärende öppnat'), kinds.join(', '));
    await checkAndSave(page, 'logg-arende');
    const badFilter = await page.goto(`${base}/admin/logg?fran=2026-13-45`);
    assert.equal(badFilter.status(), 400);
    await page.waitForSelector('.error-summary');
    await checkStaffPage(page, 'audit log with an error');

    // Three years after closing, the clean-up (run now, as an operator
    // can) removes the personal data; the page says what went and when.
    runSql(e2e.server.databaseUrl,
      `UPDATE cases SET closed_at = '2023-06-01T10:00:00+00:00' WHERE reference = '${flow.reference}'`);
    const cleaned = spawnSync(process.env.FRIDHEM_BIN, ['clean-up'], {
      env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
      cwd: tmpDir,
      encoding: 'utf8',
    });
    assert.equal(cleaned.status, 0, cleaned.stderr);
    assert.match(cleaned.stdout, /^Cleaned 1 cases/);
    await page.goto(`${base}${flow.casePath}`);
    const main = await page.textContent('main');
    assert.ok(main.includes('Personuppgifterna är borttagna'), main);
    for (const gone of [VISITOR_TEXT, VISITOR_EMAIL, 'Kontrollerat i Chromium.', 'Vi har rättat knappen.']) {
      assert.ok(!main.includes(gone), `${gone} is still on the cleaned case's page`);
    }
    assert.equal(await page.locator('main form').count(), 0, 'nothing can be done to a cleaned case');
    await checkAndSave(page, 'arende-gallrat');
  } finally {
    await context.close();
  }
});

it('every page of the flow is valid HTML', async () => {
  await assertSavedPagesValid(saved, tmpDir, 11);
});
