// The back-office standard every staff page of a browser test is held to:
// no axe violation at 320 px and 1280 px, no sideways scroll at 320 px,
// and (for the pages saved along the way) no Nu HTML checker message.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { assertNoAxeViolations } from './axe.mjs';
import { overflowingElementsInPage } from './helpers.mjs';
import { VIEWPORTS } from './pages.mjs';
import { assertNoStrayVnuMessages, assertNoVnuMessages, vnuMessagesByFile } from './vnu.mjs';

/** axe at every viewport, and no sideways scroll at 320 px. */
export async function checkStaffPage(page, name) {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await assertNoAxeViolations(page, `${name} at ${viewport.name}`);
    if (viewport.width === 320) {
      const over = await page.evaluate(overflowingElementsInPage);
      assert.deepEqual(over, [], `${name} scrolls sideways at 320 px`);
    }
  }
}

/** Writes each saved page (name → HTML) into `dir` and runs vnu on all of them. */
export async function assertSavedPagesValid(saved, dir, atLeast) {
  assert.ok(saved.size >= atLeast, `only ${saved.size} pages were saved`);
  const files = [];
  for (const [name, html] of saved) {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, html);
    files.push(file);
  }
  const messagesOf = await vnuMessagesByFile(files);
  for (const file of files) assertNoVnuMessages(messagesOf.get(file) || [], path.basename(file));
  assertNoStrayVnuMessages(messagesOf, files);
}
