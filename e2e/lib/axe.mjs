// axe-core, as the test files run it: WCAG 2.0/2.1 A+AA and 2.2 AA rules,
// with the axe-core version pinned in package.json rather than the one
// @axe-core/playwright bundles.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { formatAxeViolations } from './helpers.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page (made with newPage(), see lib/browser.mjs); resolves to its violations. */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).withTags(AXE_TAGS).analyze();
  return results.violations;
}

/** Asserts that axe finds no violation on the page; `where` starts the failure message. */
export async function assertNoAxeViolations(page, where) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${where}: ${violations.length} axe violation(s):\n${formatAxeViolations(violations)}`);
}
