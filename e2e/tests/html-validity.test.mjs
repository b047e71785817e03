// Every public page (including the 404 page) is valid HTML according to the
// Nu HTML Checker (vnu-jar). vnu refuses to fetch 127.0.0.1 URLs, so the
// pages are fetched here, saved to files and the files are checked.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getServer } from '../lib/server.mjs';
import { PAGES } from '../lib/pages.mjs';
import { pageUrl } from '../lib/helpers.mjs';
import { assertNoStrayVnuMessages, assertNoVnuMessages, vnuMessagesByFile } from '../lib/vnu.mjs';

let server;
let tmpDir;
const fileOf = new Map(); // page path -> saved file
const fetchProblems = new Map(); // page path -> message
let messagesOf = new Map(); // file path -> vnu messages

before(async () => {
  server = await getServer();
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-vnu-'));
  for (const p of PAGES) {
    const res = await fetch(pageUrl(server.baseUrl, p.path), { headers: { accept: 'text/html' } });
    const html = await res.text();
    if (res.status !== p.status) {
      fetchProblems.set(p.path, `expected HTTP ${p.status}, got ${res.status}`);
    }
    const file = path.join(tmpDir, `${p.name}.html`);
    fs.writeFileSync(file, html);
    fileOf.set(p.path, file);
  }
  messagesOf = await vnuMessagesByFile([...fileOf.values()]);
});

after(async () => {
  if (tmpDir && !process.env.FRIDHEM_E2E_KEEP_TMP) fs.rmSync(tmpDir, { recursive: true, force: true });
  await server?.stop();
});

describe('Nu HTML Checker', () => {
  for (const p of PAGES) {
    it(`${p.path} is valid HTML`, () => {
      if (fetchProblems.has(p.path)) assert.fail(`${p.path}: ${fetchProblems.get(p.path)}`);
      assertNoVnuMessages(messagesOf.get(fileOf.get(p.path)) || [], p.path);
    });
  }

  it('vnu reported nothing about files it was not given', () => {
    assertNoStrayVnuMessages(messagesOf, fileOf.values());
  });
});
