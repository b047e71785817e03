// Inviting a colleague, end to end, with real mail: an administrator (made
// with `fridhem create-admin`) invites a caseworker from /admin/personal;
// the server sends the invitation over SMTP to the sink of lib/smtp-sink.mjs;
// in a second browser the colleague follows the link, chooses a password,
// enrols her app and reaches the start page, where she sees only what her
// role allows. The administrator then switches her account off, and her
// open page is signed out at her next click; the used link says so. Also
// the forgotten-password pages. Every page has no axe violation at 320 px
// and 1280 px, no sideways scroll at 320 px and no Nu checker error.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { newPage } from '../lib/browser.mjs';
import { VIEWPORTS } from '../lib/pages.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';
import { assertSavedPagesValid, checkStaffPage } from '../lib/staff-checks.mjs';
import { readMessages, waitForMessage } from '../lib/smtp-sink.mjs';
import { totp } from '../lib/totp.mjs';

// A server of this file's own, even in a run that shares one: the
// administrator made here stays an active administrator, and
// staff.test.mjs checks that its administrator, as the last one, cannot
// switch herself off; on a shared server that check would find two.
const e2e = setupBrowserTests({ ownServer: true });

// Not the addresses of staff.test.mjs all the same.
const ADMIN_EMAIL = 'inbjudande.admin@example.se';
const ADMIN_NAME = 'Inga Inbjudare';
const ADMIN_PASSWORD = 'fyrtorn blåbär harpa molnfri';
const INVITEE_EMAIL = 'ny.handlaggare@example.se';
const INVITEE_NAME = 'Åsa Nyström';
const INVITEE_PASSWORD = 'kompass lingon ekorre snöflinga';
const UNKNOWN_EMAIL = 'ingen.sadan@example.se';


/** HTML of every page the flow saw, by name, for vnu. */
const saved = new Map();
let tmpDir;

/** What the tests hand on to each other. */
const flow = {
  admin: undefined, // { context, page } of the administrator
  invitee: undefined, // { context, page } of the colleague
  personPath: undefined, // /admin/personal/{id} of the colleague
  link: undefined, // the invitation link from the mail
  mail: undefined, // the invitation as readMessages() gives it
  enrolled: false,
};

before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-staff-invite-'));
});
after(async () => {
  await flow.admin?.context.close();
  await flow.invitee?.context.close();
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
});

const check = checkStaffPage;

/** The pathname of the page's address. */
const pathOf = (page) => new URL(page.url()).pathname;

/** Signs in with password and enrols the app, from the sign-in page on; ends on /admin. */
async function signInAndEnrol(page, email, password) {
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

it('an administrator invites a colleague, and the invitation arrives over SMTP', async () => {
  const base = e2e.server.baseUrl;
  assert.ok(e2e.server.mailbox, 'the server has an SMTP sink (FRIDHEM_E2E_MAILBOX)');
  const made = spawnSync(process.env.FRIDHEM_BIN, ['create-admin', '--email', ADMIN_EMAIL, '--name', ADMIN_NAME], {
    input: `${ADMIN_PASSWORD}\n`,
    env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);

  flow.admin = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  const { page } = flow.admin;
  await page.goto(`${base}/admin`);
  assert.equal(pathOf(page), '/admin/logga-in');
  await signInAndEnrol(page, ADMIN_EMAIL, ADMIN_PASSWORD);

  await page.click('a[href="/admin/personal"]');
  await page.waitForSelector('table');
  await page.click('a:has-text("Bjud in")');
  await page.waitForSelector('#email');
  assert.equal(pathOf(page), '/admin/personal/bjud-in');
  saved.set('bjud-in', await (await page.request.get(`${base}/admin/personal/bjud-in`)).text());
  await check(page, 'invite form');

  // Sent empty: the error summary and the fields' messages, status 400.
  const empty = page.waitForResponse((r) => r.url().endsWith('/admin/personal/bjud-in') && r.request().method() === 'POST');
  await page.click('button:has-text("Skicka inbjudan")');
  const emptyAnswer = await empty;
  assert.equal(emptyAnswer.status(), 400);
  saved.set('bjud-in-fel', await emptyAnswer.text());
  await page.waitForSelector('.error-summary');
  await check(page, 'invite form with errors');

  await page.fill('#email', INVITEE_EMAIL);
  await page.fill('#name', INVITEE_NAME);
  await page.check('input[name=roll][value=handlaggare-tg]');
  await page.click('button:has-text("Skicka inbjudan")');
  await page.waitForURL((u) => /^\/admin\/personal\/\d+$/.test(u.pathname));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('klart'), 'inbjuden');
  flow.personPath = url.pathname;
  assert.equal(await page.textContent('h1'), INVITEE_NAME);
  assert.ok(await page.isVisible('.notice[role=status]'), 'the page says the invitation is sent');
  assert.ok(await page.isChecked('#roll-handlaggare-tg'));
  assert.ok(await page.isVisible('button:has-text("Skicka ny inbjudan")'));
  saved.set('person-inbjuden', await (await page.request.get(page.url())).text());
  await check(page, 'the invited person');

  // The outbox worker delivers it to the SMTP sink.
  const mail = await waitForMessage(
    e2e.server.mailbox,
    (m) => m.to.includes(INVITEE_EMAIL) && m.subject === 'Inbjudan till Fridhem',
    { timeoutMs: 20_000 },
  );
  assert.deepEqual(mail.to, [INVITEE_EMAIL], 'the envelope has the one recipient');
  assert.match(mail.headerTo, new RegExp(INVITEE_EMAIL.replace(/\./g, '\\.')));
  assert.match(mail.body, new RegExp(`^Hej ${INVITEE_NAME}!`), mail.body);
  assert.ok(mail.body.includes(`${ADMIN_NAME} har gett dig ett konto i Fridhem`), mail.body);
  const links = [...mail.body.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  assert.equal(links.length, 1, `one link in the mail: ${links.join(', ')}`);
  const link = new RegExp(`^${base.replace(/[.:/]/g, '\\$&')}/admin/inbjudan/[A-Za-z0-9_-]{43}$`);
  assert.match(links[0], link);
  assert.ok(!mail.body.includes(ADMIN_PASSWORD), 'no password in the mail');
  flow.link = links[0];
  flow.mail = mail;
});

it('the invitation is a well-formed MIME message', () => {
  assert.ok(flow.mail, 'the first test got the invitation');
  const has = (name) => flow.mail.headers.some(([n]) => n === name);
  assert.ok(has('date') && has('message-id') && has('from'), 'Date, Message-ID and From');
  assert.match(flow.mail.headers.find(([n]) => n === 'content-type')?.[1] || '', /^text\/plain;\s*charset="?utf-8"?$/i);
  // RFC 2045 section 4: a message with MIME header fields (here
  // Content-Transfer-Encoding: quoted-printable or base64) MUST say MIME-Version.
  assert.equal(flow.mail.headers.find(([n]) => n === 'mime-version')?.[1], '1.0', `no MIME-Version header:\n${flow.mail.raw.split(/\r\n\r\n/)[0]}`);
});

it('the colleague follows the link, chooses a password, enrols and sees only what her role allows', async () => {
  assert.ok(flow.link, 'the first test got the invitation');
  const base = e2e.server.baseUrl;
  flow.invitee = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  const { context, page } = flow.invitee;

  const opened = await page.goto(flow.link);
  assert.equal(opened.status(), 200);
  saved.set('inbjudan', await opened.text());
  assert.equal(await page.textContent('h1'), 'Välkommen till Fridhem');
  assert.ok((await page.textContent('main')).includes(INVITEE_EMAIL), 'the page names the account');
  assert.equal(await page.getAttribute('#password', 'autocomplete'), 'new-password');
  assert.equal(await page.getAttribute('#password2', 'autocomplete'), 'new-password');
  assert.deepEqual(await context.cookies(), [], 'no cookie from the link page');
  await check(page, 'invitation link page');
  await page.setViewportSize({ width: 320, height: 640 });

  // Two different passwords: said at the second field, status 400.
  await page.fill('#password', INVITEE_PASSWORD);
  await page.fill('#password2', `${INVITEE_PASSWORD} x`);
  const mismatch = page.waitForResponse((r) => r.url() === flow.link && r.request().method() === 'POST');
  await page.click('button:has-text("Välj lösenord och fortsätt")');
  const mismatchAnswer = await mismatch;
  assert.equal(mismatchAnswer.status(), 400);
  saved.set('inbjudan-fel', await mismatchAnswer.text());
  await page.waitForSelector('#password2-error');
  await check(page, 'invitation link page with an error');

  await page.fill('#password', INVITEE_PASSWORD);
  await page.fill('#password2', INVITEE_PASSWORD);
  const chosen = page.waitForResponse((r) => r.url() === flow.link && r.request().method() === 'POST');
  await page.click('button:has-text("Välj lösenord och fortsätt")');
  const chosenAnswer = await chosen;
  assert.equal(chosenAnswer.status(), 200);
  saved.set('inbjudan-registrera', await chosenAnswer.text());
  await page.waitForSelector('#secret');
  assert.deepEqual(await context.cookies(), [], 'no cookie before the second factor');
  await check(page, 'enrolment after the invitation');

  const secret = (await page.textContent('#secret')).replace(/\s+/g, '');
  await page.fill('#code', totp(secret));
  const recovery = page.waitForResponse((r) => r.url().endsWith('/admin/logga-in/registrera'));
  await page.click('button[type=submit]');
  saved.set('inbjudan-aterstallningskoder', await (await recovery).text());
  await page.waitForSelector('#recovery-codes');
  assert.equal((await page.$$('#recovery-codes li')).length, 10);
  const cookies = await context.cookies();
  assert.equal(cookies.length, 1, 'signed in after the enrolment');
  assert.equal(cookies[0].name, '__Host-fridhem');
  await check(page, 'recovery codes after the invitation');
  flow.enrolled = true;

  await page.click('text=Fortsätt till Fridhem');
  await page.waitForURL((u) => u.pathname === '/admin');
  saved.set('inbjuden-start', await (await page.request.get(`${base}/admin`)).text());
  assert.ok((await page.textContent('main')).includes(`Välkommen, ${INVITEE_NAME}.`));
  assert.equal(await page.$$eval('dl.roles dt', (dts) => dts.length), 1, 'one role');
  // Only what a caseworker may see: no staff administration, no audit log.
  assert.equal(await page.$('a[href^="/admin/personal"]'), null, 'no link to the staff list');
  assert.equal(await page.$('a[href^="/admin/logg"]'), null, 'no link to the audit log');
  await check(page, 'start page of the invited caseworker');

  for (const forbidden of ['/admin/personal', '/admin/personal/bjud-in', '/admin/logg', '/admin/logg.csv', flow.personPath]) {
    const r = await page.request.get(`${base}${forbidden}`, { maxRedirects: 0 });
    assert.equal(r.status(), 403, `GET ${forbidden} as a caseworker`);
  }
  const denied = await page.goto(`${base}/admin/personal`);
  assert.equal(denied.status(), 403);
  saved.set('inbjuden-403', await denied.text());
  await check(page, 'staff list forbidden to a caseworker');

  // Her own account page, from the name in the header.
  await page.goto(`${base}/admin`);
  await page.click('header a[href="/admin/konto"]');
  await page.waitForURL((u) => u.pathname === '/admin/konto');
  saved.set('konto', await (await page.request.get(`${base}/admin/konto`)).text());
  assert.equal(await page.textContent('h1 + p'), INVITEE_EMAIL);
  assert.ok(await page.isVisible('h2:has-text("Mina sessioner")'));
  assert.equal(await page.$$eval('#sessioner ~ .table-wrap tbody tr', (trs) => trs.length), 1, 'one session');
  assert.ok(await page.isVisible('td strong:has-text("Den här")'));
  await check(page, 'account page of the invited caseworker');
  await page.setViewportSize({ width: 320, height: 640 });
});

it('switched off by the administrator, she is signed out at her next click', async () => {
  assert.ok(flow.enrolled, 'the colleague enrolled');
  const base = e2e.server.baseUrl;
  const admin = flow.admin.page;
  await admin.goto(`${base}${flow.personPath}`);
  assert.equal(await admin.isVisible('button:has-text("Skicka ny inbjudan")'), false, 'no invitation needed any more');
  await admin.click('button:has-text("Stäng av")');
  await admin.waitForURL((u) => u.pathname === flow.personPath && u.searchParams.get('klart') === 'avstangd');
  assert.ok(await admin.isVisible('button:has-text("Återaktivera")'));
  saved.set('person-avstangd', await (await admin.request.get(admin.url())).text());
  await check(admin, 'the person switched off');

  // Her page is still open on /admin/konto; the next click ends at the sign-in.
  const { page } = flow.invitee;
  assert.equal(pathOf(page), '/admin/konto');
  await page.click('header a[href="/admin/konto"]');
  await page.waitForURL((u) => u.pathname === '/admin/logga-in');
  assert.equal(await page.textContent('h1'), 'Logga in');
  const again = await page.goto(`${base}/admin`);
  assert.equal(pathOf(page), '/admin/logga-in', `GET /admin after the switch-off answered ${again.status()} at ${page.url()}`);

  // Nor can she sign in again with her password.
  await page.fill('#email', INVITEE_EMAIL);
  await page.fill('#password', INVITEE_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForLoadState();
  assert.equal(await page.$('#code'), null, 'no code page for a switched-off account');
  assert.equal(await page.$('#secret'), null, 'no enrolment for a switched-off account');
  assert.equal(pathOf(page), '/admin/logga-in');
});

it('the used invitation link says so (410), an unknown one is not found (404)', async () => {
  assert.ok(flow.link, 'the first test got the invitation');
  await e2e.withPage(viewportOptions(VIEWPORTS[1]), async (page) => {
    const used = await page.goto(flow.link);
    assert.equal(used.status(), 410);
    saved.set('inbjudan-anvand', await used.text());
    assert.equal(await page.textContent('h1'), 'Inbjudan är redan använd');
    assert.ok(await page.isVisible('a[href="/admin/logga-in"]'));
    await check(page, 'used invitation link');

    const unknownLink = flow.link.replace(/[A-Za-z0-9_-]{43}$/, 'A'.repeat(43));
    const unknown = await page.goto(unknownLink);
    assert.equal(unknown.status(), 404);
    saved.set('inbjudan-okand', await unknown.text());
    assert.equal(await page.textContent('h1'), 'Länken fungerar inte');
    await check(page, 'unknown invitation link');
  });
});

it('a forgotten password for an unknown address: the same answer, and no mail', async () => {
  const base = e2e.server.baseUrl;
  await e2e.withPage(viewportOptions(VIEWPORTS[1]), async (page) => {
    await page.goto(`${base}/admin/logga-in`);
    await page.click('a:has-text("Glömt lösenordet?")');
    await page.waitForURL((u) => u.pathname === '/admin/glomt-losenord');
    saved.set('glomt-losenord', await (await page.request.get(`${base}/admin/glomt-losenord`)).text());
    assert.equal(await page.getAttribute('#email', 'autocomplete'), 'username');
    await check(page, 'forgotten password form');

    const empty = page.waitForResponse((r) => r.url().endsWith('/admin/glomt-losenord') && r.request().method() === 'POST');
    await page.click('button:has-text("Skicka länk")');
    const emptyAnswer = await empty;
    assert.equal(emptyAnswer.status(), 400);
    saved.set('glomt-losenord-fel', await emptyAnswer.text());
    await page.waitForSelector('.error-summary');
    await check(page, 'forgotten password form with an error');

    await page.fill('#email', UNKNOWN_EMAIL);
    const sent = page.waitForResponse((r) => r.url().endsWith('/admin/glomt-losenord') && r.request().method() === 'POST');
    await page.click('button:has-text("Skicka länk")');
    const sentAnswer = await sent;
    assert.equal(sentAnswer.status(), 200);
    saved.set('glomt-losenord-skickat', await sentAnswer.text());
    await page.waitForSelector('text=Om adressen hör till ett aktivt konto');
    assert.equal(await page.textContent('h1'), 'Titta i din e-post');
    await check(page, 'forgotten password answer');
  });
  // Give the outbox worker time to send anything it (wrongly) would.
  await sleep(1500);
  const toUnknown = readMessages(e2e.server.mailbox).filter((m) => m.to.includes(UNKNOWN_EMAIL));
  assert.deepEqual(toUnknown, [], 'no mail to an address without an account');
});

it('every page of the flow is valid HTML', async () => {
  await assertSavedPagesValid(saved, tmpDir, 10);
});
