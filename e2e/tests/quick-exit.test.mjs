// The quick exit ("Lämna sidan snabbt"): markup contract on every page,
// mouse, keyboard, Shift×3 and no-JS paths, and what history keeps.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT_PAGE_TITLE, PAGES, VIEWPORTS } from '../lib/pages.mjs';
import { activeElementInPage, gotoPage, pageUrl, quickExitButtonStateInPage } from '../lib/helpers.mjs';
import { setupBrowserTests, viewportOptions } from '../lib/setup.mjs';

const EXIT_LINK_TEXT = 'Lämna sidan snabbt';
const HELP = { path: '/hjalp', status: 200 };
const HOME = { path: '/', status: 200 };

const e2e = setupBrowserTests();

async function expectExitPage(page, how) {
  await page.waitForURL(e2e.server.exitUrl, { timeout: 10_000 }).catch((err) => {
    throw new Error(`${how}: did not reach the exit page ${e2e.server.exitUrl}; still at ${page.url()} (${err.message.split('\n')[0]})`);
  });
  assert.equal(await page.title(), EXIT_PAGE_TITLE, `${how}: exit page title`);
}

/**
 * On a fresh /hjalp, does act(page) and checks that the page is not left:
 * same address and title a second later, and no quick-exit overlay.
 */
async function expectNoExit(how, act) {
  await e2e.withPage({}, async (page) => {
    await gotoPage(page, e2e.server.baseUrl, HELP);
    const url = page.url();
    const title = await page.title();
    await act(page);
    await sleep(1000);
    assert.equal(page.url(), url, `${how}: must not leave the page`);
    assert.equal(await page.title(), title, `${how}: title must be unchanged`);
    const overlayVisible = await page.locator('.quick-exit-overlay').isVisible();
    assert.equal(overlayVisible, false, `${how}: the quick-exit overlay must not be shown`);
  });
}

function statusText(page) {
  return page.evaluate(() => document.getElementById('quick-exit-status')?.textContent.trim() ?? null);
}

async function waitForStatus(page, regex, how) {
  try {
    await page.waitForFunction(
      (source) => new RegExp(source, 'i').test(document.getElementById('quick-exit-status')?.textContent || ''),
      regex.source,
      { timeout: 2000 },
    );
  } catch {
    throw new Error(`${how}: #quick-exit-status should match ${regex}, but reads ${JSON.stringify(await statusText(page))}`);
  }
}

describe('markup contract on every page', () => {
  for (const viewport of VIEWPORTS) {
    for (const p of PAGES) {
      it(`${p.path} at ${viewport.name}: skip link, then the exit button, sticky and visible, status region`, async () => {
        await e2e.withPage(viewportOptions(viewport), async (page) => {
          await gotoPage(page, e2e.server.baseUrl, p);

          // The first Tab shows the way to the content; the second lands on
          // the red button itself, with no duplicate exit link on top of it.
          await page.keyboard.press('Tab');
          const first = await page.evaluate(activeElementInPage);
          assert.deepEqual(
            { tag: first.tag, href: first.href, text: first.text },
            { tag: 'a', href: '#main', text: 'Hoppa till innehållet' },
            `first focusable element must be the skip-to-content link, got ${JSON.stringify(first)}`,
          );
          assert.match(first.className || '', /(^|\s)skip-link(\s|$)/, 'first focusable has class skip-link');
          assert.ok(first.inViewport, `the focused skip-to-content link must be visible inside the viewport: ${JSON.stringify(first)}`);

          await page.keyboard.press('Tab');
          const second = await page.evaluate(activeElementInPage);
          assert.deepEqual(
            { tag: second.tag, href: second.href, rel: second.rel, quickExit: second.quickExit, text: second.text },
            { tag: 'a', href: '/lamna', rel: 'noreferrer', quickExit: true, text: EXIT_LINK_TEXT },
            `second focusable element must be the quick-exit button, got ${JSON.stringify(second)}`,
          );
          assert.match(second.className || '', /(^|\s)quick-exit(\s|$)/, 'second focusable is the sticky button');
          assert.ok(second.inViewport, `the focused quick-exit button must be visible inside the viewport: ${JSON.stringify(second)}`);
          assert.equal(await page.locator('[data-quick-exit]').count(), 1, 'one way out in the markup, not two');

          assert.equal(await page.locator('main#main').count(), 1, 'exactly one <main id="main">');

          const button = page.locator('a.quick-exit[data-quick-exit]');
          assert.equal(await button.count(), 1, 'exactly one sticky a.quick-exit[data-quick-exit]');
          assert.equal(await button.getAttribute('href'), '/lamna');
          assert.equal(await button.getAttribute('rel'), 'noreferrer');
          assert.equal((await button.textContent()).trim(), EXIT_LINK_TEXT);

          await page.evaluate(() => document.activeElement?.blur());
          let state = await page.evaluate(quickExitButtonStateInPage);
          assert.ok(state.inside && state.onTop && state.visible, `quick-exit button must be visible and uncovered at the top: ${JSON.stringify(state)}`);

          await page.evaluate(() => window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' }));
          await page.waitForTimeout(100);
          state = await page.evaluate(quickExitButtonStateInPage);
          assert.ok(state.inside && state.onTop && state.visible, `quick-exit button must stay visible (sticky) after scrolling to the bottom: ${JSON.stringify(state)}`);

          const status = page.locator('#quick-exit-status');
          assert.equal(await status.count(), 1, 'one #quick-exit-status element');
          const live = await status.evaluate((el) => ({ role: el.getAttribute('role'), ariaLive: el.getAttribute('aria-live') }));
          assert.ok(
            live.role === 'status' || live.role === 'alert' || ['polite', 'assertive'].includes(live.ariaLive),
            `#quick-exit-status must be a live region (role=status or aria-live), got ${JSON.stringify(live)}`,
          );
        });
      });
    }
  }
});

describe('/lamna over HTTP', () => {
  it('answers 303 with Clear-Site-Data and Location: the exit URL', async () => {
    const res = await fetch(pageUrl(e2e.server.baseUrl, '/lamna'), { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), e2e.server.exitUrl);
    const csd = res.headers.get('clear-site-data');
    assert.ok(csd && csd.trim().length > 0, `Clear-Site-Data header must be set, got ${JSON.stringify(csd)}`);
  });
});

describe('quick exit with JavaScript', () => {
  it('(a) clicking the sticky button reaches the exit page and Back does not return to the exited page', async () => {
    await e2e.withPage({}, async (page) => {
      await gotoPage(page, e2e.server.baseUrl, HOME);
      await gotoPage(page, e2e.server.baseUrl, HELP);
      const exitedUrl = page.url();
      await page.locator('a.quick-exit').click();
      await expectExitPage(page, 'click on sticky button');
      await page.goBack({ timeout: 10_000 }).catch(() => null);
      assert.notEqual(page.url(), exitedUrl, 'Back after the quick exit must not show the exited page');
    });
  });

  it('(a) the overlay appears at once and the title turns neutral before the exit page loads', async () => {
    await e2e.withPage({}, async (page, context) => {
      // Hold back /lamna and the exit page so the state in between can be seen.
      await context.route(
        (url) => url.pathname === '/lamna' || url.href === e2e.server.exitUrl,
        async (route) => {
          await sleep(1500);
          await route.continue().catch(() => {});
        },
      );
      // page.evaluate() stalls while a navigation is pending, so the page
      // reports its own state through a binding on every DOM change.
      const reports = [];
      await page.exposeBinding('__quickExitReport', (_source, state) => {
        reports.push(state);
      });
      await gotoPage(page, e2e.server.baseUrl, HELP);
      const originalTitle = await page.title();
      await page.evaluate(() => {
        // ms: time since the first pointer event of the click, measured in the page.
        let pressedAt = null;
        for (const type of ['pointerdown', 'mousedown', 'click']) {
          window.addEventListener(type, () => {
            if (pressedAt === null) pressedAt = performance.now();
          }, true);
        }
        const report = () => {
          const overlay = document.querySelector('.quick-exit-overlay');
          let visible = false;
          if (overlay) {
            const r = overlay.getBoundingClientRect();
            const cs = getComputedStyle(overlay);
            visible = r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0;
          }
          const ms = pressedAt === null ? null : Math.round(performance.now() - pressedAt);
          window.__quickExitReport({ overlay: visible, title: document.title, ms });
        };
        new MutationObserver(report).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      await page.locator('a.quick-exit').click({ noWaitAfter: true });
      await sleep(1000);
      const first = reports.find((r) => r.overlay);
      assert.ok(first, `.quick-exit-overlay must become visible at once; page reported ${JSON.stringify(reports)}`);
      assert.ok(first.ms !== null && first.ms <= 500, `.quick-exit-overlay became visible only ${first.ms} ms after the click`);
      const neutral = reports.find((r) => r.overlay && r.title !== originalTitle && r.ms !== null && r.ms <= 500);
      assert.ok(neutral, `document.title must turn neutral at once (was ${JSON.stringify(originalTitle)}); page reported ${JSON.stringify(reports)}`);
      assert.doesNotMatch(neutral.title, /våld/i, `the neutral title must not mention violence: ${JSON.stringify(neutral.title)}`);
      await expectExitPage(page, 'click with delayed network');
    });
  });

  it('(b) keyboard: Tab twice to the exit button and Enter reaches the exit page', async () => {
    await e2e.withPage({}, async (page) => {
      await gotoPage(page, e2e.server.baseUrl, HOME);
      await gotoPage(page, e2e.server.baseUrl, HELP);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(activeElementInPage);
      assert.equal(focused.quickExit, true, `the second Tab must focus the quick-exit button, got ${JSON.stringify(focused)}`);
      await page.keyboard.press('Enter');
      await expectExitPage(page, 'Tab + Enter');
    });
  });

  it('(c) Shift three times (left, right, left) exits, announcing progress in between', async () => {
    await e2e.withPage({}, async (page) => {
      await gotoPage(page, e2e.server.baseUrl, HELP);
      await page.keyboard.press('ShiftLeft');
      await waitForStatus(page, /skift.*\b2\b|\b2\b.*skift/, 'after the 1st Shift');
      const afterFirst = await statusText(page);
      await page.keyboard.press('ShiftRight');
      await waitForStatus(page, /skift.*\b(1|en)\b|\b(1|en)\b.*skift/, 'after the 2nd Shift');
      const afterSecond = await statusText(page);
      assert.notEqual(afterSecond, afterFirst, 'the status text must change between the presses');
      await page.keyboard.press('ShiftLeft');
      await expectExitPage(page, 'Shift×3');
    });
  });

  it('(d) Shift, Shift, "a", Shift does not exit', async () => {
    await expectNoExit('Shift, Shift, a, Shift', async (page) => {
      await page.keyboard.press('ShiftLeft');
      await page.keyboard.press('ShiftLeft');
      await page.keyboard.press('a');
      await page.keyboard.press('ShiftLeft');
    });
  });

  it('typing capitals (Shift+A, Shift+B, Shift+C) does not exit', async () => {
    await expectNoExit('Shift+A, Shift+B, Shift+C', async (page) => {
      await page.keyboard.press('Shift+KeyA');
      await page.keyboard.press('Shift+KeyB');
      await page.keyboard.press('Shift+KeyC');
    });
  });

  it('holding Shift down (auto-repeat) does not exit', async () => {
    await expectNoExit('Shift held down with auto-repeat', async (page) => {
      await page.keyboard.down('ShiftLeft');
      for (let i = 0; i < 5; i += 1) {
        await page.keyboard.down('ShiftLeft'); // repeat: true
        await sleep(30);
      }
      await page.keyboard.up('ShiftLeft');
    });
  });

  it('Shift presses spread over more than 5 s do not exit', async () => {
    await expectNoExit('Shift, Shift, 5.3 s pause, Shift', async (page) => {
      await page.keyboard.press('ShiftLeft');
      await page.keyboard.press('ShiftLeft');
      await sleep(5300);
      await page.keyboard.press('ShiftLeft');
    });
  });

  it('the exit page gets no referrer (button click, keyboard and Shift×3)', async () => {
    const ways = {
      'sticky button': async (page) => page.locator('a.quick-exit').click(),
      'Tab, Tab + Enter': async (page) => {
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
      },
      'Shift×3': async (page) => {
        for (let i = 0; i < 3; i += 1) await page.keyboard.press('ShiftLeft');
      },
    };
    const leaks = [];
    for (const [how, act] of Object.entries(ways)) {
      await e2e.withPage({}, async (page) => {
        await gotoPage(page, e2e.server.baseUrl, HELP);
        await act(page);
        await expectExitPage(page, how);
        const referrer = await page.evaluate(() => document.referrer);
        if (referrer !== '') leaks.push(`${how}: document.referrer on the exit page is ${JSON.stringify(referrer)}`);
      });
    }
    assert.equal(leaks.length, 0, `the exit site must not learn where the visitor came from:\n${leaks.join('\n')}`);
  });
});

describe('quick exit without JavaScript', () => {
  it('(e) the sticky button reaches the exit page through /lamna', async () => {
    await e2e.withPage({ javaScriptEnabled: false }, async (page) => {
      await gotoPage(page, e2e.server.baseUrl, HOME);
      await gotoPage(page, e2e.server.baseUrl, HELP);
      const lamna = page.waitForRequest((req) => new URL(req.url()).pathname === '/lamna', { timeout: 5000 });
      await page.locator('a.quick-exit').click();
      await lamna;
      await expectExitPage(page, 'no-JS click on sticky button');
      assert.equal(await page.evaluate(() => document.referrer), '', 'the exit page gets no referrer');
    });
  });

  it('(e) Tab twice to the exit button + Enter reaches the exit page', async () => {
    await e2e.withPage({ javaScriptEnabled: false }, async (page) => {
      await gotoPage(page, e2e.server.baseUrl, HELP);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expectExitPage(page, 'no-JS Tab + Enter');
    });
  });
});
