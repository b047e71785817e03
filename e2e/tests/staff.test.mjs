// Staff sign-in in Chromium, as the first administrator does it: the
// account made with `fridhem create-admin`, password, enrolment with a
// code computed from the secret the page shows, the recovery codes, the
// start page and the audit log, signing out. Every back-office page the
// flow passes has no axe violation at 320 px and 1280 px and no Nu checker
// error; the session cookie has the promised flags and public pages set
// no cookie for a signed-in browser.

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

const e2e = setupBrowserTests();
const PASSWORD = 'vinter kanel lykta segelbåt';
const EMAIL = 'forsta.admin@example.se';


/** The recovery codes the first sign-in showed (later tests sign in with them). */
let recoveryCodes = [];

/** HTML of every back-office page the flow saw, by name, for vnu. */
const saved = new Map();
let tmpDir;
before(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-staff-'));
});
after(() => {
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** axe and 320 px; with FRIDHEM_E2E_SHOTS=dir also a full-page picture, for people to look at. */
async function check(page, name) {
  await checkStaffPage(page, name);
  if (process.env.FRIDHEM_E2E_SHOTS) {
    await page.screenshot({ path: path.join(process.env.FRIDHEM_E2E_SHOTS, `${name.replace(/ /g, '-')}.png`), fullPage: true });
  }
}

it('create-admin makes an account that signs in, enrols, and signs out', async () => {
  const made = spawnSync(process.env.FRIDHEM_BIN, ['create-admin', '--email', EMAIL, '--name', 'Första Admin'], {
    input: `${PASSWORD}\n`,
    env: { PATH: process.env.PATH, FRIDHEM_DATABASE_URL: e2e.server.databaseUrl },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);

  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[1]));
  try {
    const base = e2e.server.baseUrl;
    const answers = [];
    page.on('response', (r) => answers.push(r));

    await page.goto(`${base}/admin`);
    assert.equal(new URL(page.url()).pathname, '/admin/logga-in');
    assert.equal(new URL(page.url()).searchParams.get('till'), '/admin');
    saved.set('logga-in', await (await page.request.get(`${base}/admin/logga-in`)).text());
    await check(page, 'sign-in');
    assert.equal(await page.getAttribute('#email', 'autocomplete'), 'username');
    assert.equal(await page.getAttribute('#password', 'autocomplete'), 'current-password');

    // A wrong password: the error summary, still no cookie.
    await page.fill('#email', EMAIL);
    await page.fill('#password', 'inte rätt lösenord alls');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    saved.set('logga-in-fel', await page.content());
    await check(page, 'sign-in with an error');
    assert.deepEqual(await context.cookies(), []);

    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    const enrolAnswer = page.waitForResponse((r) => r.url().endsWith('/admin/logga-in') && r.request().method() === 'POST');
    await page.click('button[type=submit]');
    saved.set('registrera', await (await enrolAnswer).text());
    await page.waitForSelector('#secret');
    assert.deepEqual(await context.cookies(), [], 'no cookie before the second factor');
    await check(page, 'enrolment');
    assert.ok(await page.$('.qr svg'), 'the QR code is inline SVG');
    assert.equal(await page.getAttribute('#code', 'autocomplete'), 'one-time-code');
    assert.equal(await page.getAttribute('#code', 'inputmode'), 'numeric');

    const secret = (await page.textContent('#secret')).replace(/\s+/g, '');
    await page.fill('#code', totp(secret));
    const recoveryAnswer = page.waitForResponse((r) => r.url().endsWith('/admin/logga-in/registrera'));
    await page.click('button[type=submit]');
    saved.set('aterstallningskoder', await (await recoveryAnswer).text());
    await page.waitForSelector('#recovery-codes');
    const codes = await page.$$eval('#recovery-codes li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.equal(codes.length, 10);
    recoveryCodes = codes;
    await check(page, 'recovery codes');

    const cookies = await context.cookies();
    assert.equal(cookies.length, 1);
    const [cookie] = cookies;
    assert.equal(cookie.name, '__Host-fridhem');
    assert.equal(cookie.secure, true);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.expires, -1, 'a session cookie, without Max-Age');

    await page.click('text=Fortsätt till Fridhem');
    await page.waitForSelector('h1');
    assert.equal(new URL(page.url()).pathname, '/admin');
    saved.set('start', await (await page.request.get(`${base}/admin`)).text());
    await check(page, 'start page');

    await page.click('text=Granskningslogg');
    await page.waitForSelector('table');
    saved.set('granskningslogg', await (await page.request.get(`${base}/admin/logg`)).text());
    await check(page, 'audit log');
    const events = await page.$$eval('tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(events.slice(0, 3), ['Inloggning', 'Tvåstegsverifiering registrerad', 'Misslyckad inloggning']);

    // Staff administration: the list and a person's page.
    await page.goto(`${base}/admin`);
    await page.click('a[href="/admin/personal"]');
    await page.waitForSelector('table');
    saved.set('personal', await (await page.request.get(`${base}/admin/personal`)).text());
    await check(page, 'staff list');
    await page.click('td a:has-text("Första Admin")');
    await page.waitForSelector('text=Spara roller');
    const personPath = new URL(page.url()).pathname;
    saved.set('person', await (await page.request.get(`${base}${personPath}`)).text());
    await check(page, 'a person');
    // The last administrator cannot switch herself off: said in words.
    await page.click('text=Stäng av');
    await page.waitForSelector('.error-summary');
    saved.set('person-fel', await page.content());
    await check(page, 'a person with an error');

    // Pages: the list, a page's edit form, its preview, and an error.
    await page.goto(`${base}/admin`);
    await page.click('a[href="/admin/sidor"]');
    await page.waitForSelector('h1:has-text("Sidor")');
    saved.set('sidor', await (await page.request.get(`${base}/admin/sidor`)).text());
    await check(page, 'pages list');
    await page.click('a[href="/admin/sidor/redigera?sida=%2Finte-ensam"]');
    await page.waitForSelector('#text');
    saved.set('sida-redigera', await page.content());
    await check(page, 'page editor');
    await page.fill('#text', '## Mellanrubrik\n\nEtt stycke med [en länk](/hjalp).\n\n| Vem | Nummer |\n|---|---|\n| Polisen | 112 |');
    await page.click('button:has-text("Förhandsgranska")');
    await page.waitForSelector('#forhandsgranskning');
    assert.equal(await page.textContent('.preview .prose h2'), 'Mellanrubrik');
    saved.set('sida-forhandsgranskning', await page.content());
    await check(page, 'page preview');
    await page.fill('#titel', '');
    const refusedEdit = page.waitForResponse((r) => r.url().endsWith('/admin/sidor/redigera') && r.request().method() === 'POST');
    await page.click('button:has-text("Spara utkast")');
    assert.equal((await refusedEdit).status(), 400);
    await page.waitForSelector('.error-summary');
    saved.set('sida-fel', await page.content());
    await check(page, 'page editor with an error');

    // Published, the page has two versions (the seeded text and this);
    // the older one is compared with the published text and restored.
    await page.fill('#titel', 'Inte ensam');
    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('text=Sidan är publicerad.');
    await page.click('a:has-text("Tidigare versioner (2)")');
    await page.waitForSelector('h1:has-text("Versioner av Inte ensam")');
    saved.set('sida-versioner', await page.content());
    await check(page, 'page versions');
    await page.click('a:has-text("Version 1")');
    await page.waitForSelector('.diff');
    assert.ok(await page.locator('.diff del').count() > 0, 'removed lines shown');
    assert.ok(await page.locator('.diff ins').count() > 0, 'added lines shown');
    saved.set('sida-version', await page.content());
    await check(page, 'page version diff');
    await page.click('button:has-text("Återställ som utkast")');
    await page.waitForSelector('text=Den äldre versionen är återställd som utkast.');
    assert.match(await page.inputValue('#text'), /Inte ensam är ett samarbete/);

    // A translation: the Arabic form runs right to left; saved, the
    // page editor lists it as following today's Swedish text.
    await page.click('a:has-text("Arabiska")');
    await page.waitForSelector('#titel[dir="rtl"]');
    await page.click('summary:has-text("Den svenska texten")');
    saved.set('oversattning', await page.content());
    await check(page, 'page translation');
    await page.fill('#titel', 'لست وحدك');
    await page.fill('#beskrivning', 'تعاون من أجل بيوت آمنة.');
    await page.fill('#text', 'اتصلي بالرقم 020-50 50 50.');
    await page.click('button:has-text("Spara översättningen")');
    await page.waitForSelector('text=Översättningen är sparad.');
    await page.click('a:has-text("Tillbaka till den svenska sidan")');
    await page.waitForSelector('#oversattningar');
    assert.match(await page.textContent('table:below(#oversattningar)'), /Arabiska\s*Följer den svenska texten från/);

    // The help directory: the list, Kvinnofridslinjen's label changed and
    // published, another service's hours changed after a refused number,
    // previewed, published and shown on /hjalp.
    await page.goto(`${base}/admin`);
    await page.click('a[href="/admin/hjalp"]');
    await page.waitForSelector('h1:has-text("Hjälpkatalogen")');
    saved.set('hjalp-lista', await page.content());
    await check(page, 'help directory list');
    await page.click('a:has-text("Kvinnofridslinjen")');
    await page.waitForSelector('#t0-nummer');
    saved.set('hjalp-redigera', await page.content());
    await check(page, 'help service editor');
    await page.fill('#t0-etikett', 'Stödtelefon, alla dagar');
    await page.click('button:has-text("Förhandsgranska")');
    await page.waitForSelector('#forhandsgranskning');
    saved.set('hjalp-forhandsgranskning', await page.content());
    await check(page, 'help service preview');
    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('text=Ändringarna är publicerade.');
    assert.equal(await page.inputValue('#t0-etikett'), 'Stödtelefon, alla dagar');

    // Its words in Persian: the form runs right to left, with the line's
    // label beside the Swedish one.
    await page.click('a[href*="/admin/hjalp/oversattning"][href*="sprak=fa"]');
    await page.waitForSelector('#namn[dir="rtl"]');
    saved.set('hjalp-oversattning', await page.content());
    await check(page, 'help service translation');
    await page.fill('#namn', 'Kvinnofridslinjen (خط ملی حمایت از زنان)');
    await page.click('button:has-text("Spara översättningen")');
    await page.waitForSelector('text=Översättningen är sparad.');
    await page.click('a:has-text("Tillbaka till tjänsten")');
    await page.waitForSelector('#t0-nummer');

    await page.click('a:has-text("Tillbaka till hjälpkatalogen")');
    await page.click('a:has-text("Stödlinjen för transpersoner")');
    await page.waitForSelector('#t0-nummer');
    await page.fill('#t0-nummer', '020-55');
    await page.selectOption('#t0-sat-lage', 'stangt');
    await page.selectOption('#t0-sun-lage', 'stangt');
    const refusedHelp = page.waitForResponse((r) => r.url().endsWith('/admin/hjalp/tjanst') && r.request().method() === 'POST');
    await page.click('button:has-text("Spara utkast")');
    assert.equal((await refusedHelp).status(), 400);
    await page.waitForSelector('.error-summary');
    saved.set('hjalp-fel', await page.content());
    await check(page, 'help service editor with an error');
    await page.fill('#t0-nummer', '020-55 00 00');
    await page.click('button:has-text("Förhandsgranska")');
    await page.waitForSelector('#forhandsgranskning');
    assert.match(await page.textContent('.preview'), /Vardagar 11:00–19:00/);
    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('text=Ändringarna är publicerade.');
    const directory = await page.goto(`${base}/hjalp`);
    assert.equal(directory.status(), 200);
    const published = Date.now();
    while (!(await page.content()).includes('Vardagar 11:00–19:00')) {
      assert.ok(Date.now() - published < 5000, '/hjalp shows the new hours');
      await page.waitForTimeout(100);
      await page.reload();
    }
    // "Senast uppdaterad" on /hjalp is today in Stockholm.
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    assert.equal(await page.getAttribute('.updated time', 'datetime'), today);

    // An organisation's page.
    await page.goto(`${base}/admin/hjalp`);
    await page.click('a:has-text("Nationellt centrum för kvinnofrid (NCK)")');
    await page.waitForSelector('#webbadress');
    saved.set('organisation', await page.content());
    await check(page, 'organisation editor');
    await page.click('a[href*="/admin/hjalp/organisation/oversattning"][href*="sprak=ar"]');
    await page.waitForSelector('#beskrivning[dir="rtl"]');
    saved.set('organisation-oversattning', await page.content());
    await check(page, 'organisation translation');

    // The accessibility statement's fixed fields: an error, then saved.
    await page.goto(`${base}/admin`);
    await page.click('a[href="/admin/tillganglighet"]');
    await page.waitForSelector('h1:has-text("Tillgänglighetsredogörelsen")');
    saved.set('tillganglighet', await page.content());
    await check(page, 'statement editor');
    await page.fill('#bedomd', '');
    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('.error-summary');
    saved.set('tillganglighet-fel', await page.content());
    await check(page, 'statement editor with an error');
    await page.fill('#bedomd', '2026-12-01');
    await page.click('button:has-text("Publicera")');
    await page.waitForSelector('text=Redogörelsen är publicerad');

    // The staff frame's error page, for an address outside the table.
    const missing = await page.goto(`${base}/admin/finns-inte`);
    assert.equal(missing.status(), 404);
    saved.set('finns-inte', await missing.text());
    await check(page, 'staff 404 page');

    // The signed-in browser gets public pages without any Set-Cookie.
    answers.length = 0;
    await page.goto(`${base}/hjalp`);
    await page.goto(`${base}/`);
    for (const r of answers) {
      assert.equal(await r.headerValue('set-cookie'), null, r.url());
    }

    await page.goto(`${base}/admin`);
    await page.click('text=Logga ut');
    await page.waitForSelector('text=Du är utloggad.');
    assert.deepEqual(await context.cookies(), []);
    await page.goto(`${base}/admin`);
    assert.equal(new URL(page.url()).pathname, '/admin/logga-in');
  } finally {
    await context.close();
  }
});

it('warns two minutes before the session ends and keeps it on request', async () => {
  assert.ok(recoveryCodes.length >= 1, 'the first test enrolled');
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    await page.clock.install();
    const base = e2e.server.baseUrl;
    await page.goto(`${base}/admin/logga-in`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', recoveryCodes[0]);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);
    assert.equal(await page.isVisible('#idle-warning'), false);

    await page.clock.fastForward('27:01');
    await page.waitForSelector('#idle-warning', { state: 'visible' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'idle-continue', 'the button has focus');
    await check(page, 'idle warning');
    const kept = page.waitForResponse((r) => r.url().endsWith('/admin/sessionen'));
    await page.click('#idle-continue');
    assert.equal((await kept).status(), 204);
    await page.waitForSelector('#idle-warning', { state: 'hidden' });
    saved.set('start-med-varning', await (await page.request.get(`${base}/admin`)).text());
  } finally {
    await context.close();
  }
});

it('what was sent after the session ended is shown back after signing in', async () => {
  assert.ok(recoveryCodes.length >= 3, 'the first test enrolled');
  const { context, page } = await newPage(e2e.browser, viewportOptions(VIEWPORTS[0]));
  try {
    const base = e2e.server.baseUrl;
    // Signed in, then the session ends on the server while the page is
    // open (here: ended from outside the browser, as an expiry would).
    await page.goto(`${base}/admin/logga-in`);
    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#code');
    await page.fill('#code', recoveryCodes[2]);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/admin`);
    const [cookie] = await context.cookies();
    const csrf = await page.getAttribute('input[name=csrf]', 'value');
    const ended = await fetch(`${base}/admin/logga-ut`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: 'null', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `${cookie.name}=${cookie.value}` },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    assert.equal(ended.status, 303);
    assert.equal((await context.cookies()).length, 1, 'the browser still has its cookie');
    // A back-office form sent after the session ended.
    const kept = page.waitForResponse((r) => r.url().endsWith('/admin/sessionen'));
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/admin/sessionen';
      const note = document.createElement('textarea');
      note.name = 'anteckning';
      note.value = 'Ringde tillbaka, svar på måndag.';
      form.append(note);
      document.body.append(form);
      form.submit();
    });
    saved.set('logga-in-sparat', await (await kept).text());
    await page.waitForSelector('text=Det du skickade är sparat');
    await check(page, 'sign-in keeping a form');

    await page.fill('#email', EMAIL);
    await page.fill('#password', PASSWORD);
    const codePage = page.waitForResponse((r) => r.url().endsWith('/admin/logga-in') && r.request().method() === 'POST');
    await page.click('button[type=submit]');
    saved.set('kod', await (await codePage).text());
    await page.waitForSelector('#code');
    await check(page, 'code page');
    assert.equal(await page.getAttribute('#code', 'autocomplete'), 'one-time-code');
    await page.fill('#code', recoveryCodes[1]);
    const offered = page.waitForResponse((r) => r.url().endsWith('/admin/logga-in/kod'));
    await page.click('button[type=submit]');
    saved.set('skicka-igen', await (await offered).text());
    await page.waitForSelector('text=Ringde tillbaka, svar på måndag.');
    await check(page, 'the kept form offered again');
    const sent = page.waitForResponse((r) => r.url().endsWith('/admin/sessionen'));
    await page.click('text=Skicka igen');
    assert.equal((await sent).status(), 204, 'sent again under the new session');
  } finally {
    await context.close();
  }
});

it('every back-office page of the flow is valid HTML', async () => {
  await assertSavedPagesValid(saved, tmpDir, 9);
});
