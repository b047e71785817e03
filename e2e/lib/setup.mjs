// The setup that the browser test files share: the server and one Chromium
// per test file, and fresh contexts and pages for a describe() block or a
// single test.

import { after, before, describe } from 'node:test';
import { launchBrowser, newPage } from './browser.mjs';
import { getServer } from './server.mjs';

/** Context options for a viewport from lib/pages.mjs (or any { width, height }). */
export function viewportOptions({ width, height }) {
  return { viewport: { width, height } };
}

/**
 * Registers the test file's before/after hooks: gets the server (see
 * getServer) and launches Chromium; with `pageOptions`, also opens one page
 * for the whole file. With `ownServer`, the file gets a server of its own
 * even when the run shares one (for tests whose changes would upset other
 * files, e.g. adding an administrator). Returns an object whose `server`,
 * `browser` (and `context`, `page`) are set once the before hook has run,
 * with helpers that open fresh pages in that browser.
 */
export function setupBrowserTests({ pageOptions, ownServer = false } = {}) {
  const e2e = {
    server: undefined,
    browser: undefined,
    context: undefined,
    page: undefined,

    /** Runs fn(page, context) with a fresh page in a fresh context, closing the context afterwards. */
    async withPage(options, fn) {
      const { context, page } = await newPage(e2e.browser, options);
      try {
        return await fn(page, context);
      } finally {
        await context.close();
      }
    },

    /**
     * describe(name) whose tests share one fresh page in a fresh context,
     * opened before them and closed after them. `body` is called with an
     * object whose `page` and `context` are set once the tests run.
     */
    describeWithPage(name, options, body) {
      return describe(name, () => {
        const shared = { context: undefined, page: undefined };
        before(async () => {
          ({ context: shared.context, page: shared.page } = await newPage(e2e.browser, options));
        });
        after(async () => {
          await shared.context?.close();
        });
        body(shared);
      });
    },
  };

  before(async () => {
    e2e.server = await getServer({ own: ownServer });
    e2e.browser = await launchBrowser();
    if (pageOptions) ({ context: e2e.context, page: e2e.page } = await newPage(e2e.browser, pageOptions));
  });

  after(async () => {
    await e2e.context?.close();
    await e2e.browser?.close();
    await e2e.server?.stop();
  });

  return e2e;
}
