// Accessibility: axe-core (WCAG 2.0/2.1 A+AA and 2.2 AA rules) finds no
// violation on any public page, at a phone and a desktop viewport.

import { it } from 'node:test';
import { assertNoAxeViolations } from '../lib/axe.mjs';
import { PAGES, VIEWPORTS } from '../lib/pages.mjs';
import { gotoPage } from '../lib/helpers.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';

const e2e = setupBrowserTests();

for (const viewport of VIEWPORTS) {
  e2e.describeWithPage(`axe at ${viewport.name}`, viewportOptions(viewport), (shared) => {
    for (const p of PAGES) {
      it(`${p.path} has no axe violations`, async () => {
        const { page } = shared;
        await gotoPage(page, e2e.server.baseUrl, p);
        await assertNoAxeViolations(page, `${p.path} at ${viewport.name}`);
      });
    }
  });
}
