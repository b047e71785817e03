// Small helpers shared by the test files.

export function pageUrl(baseUrl, path) {
  return new URL(path, baseUrl).toString();
}

/** Loads a page and checks its HTTP status; returns the response. */
export async function gotoPage(page, baseUrl, { path, status }) {
  const response = await page.goto(pageUrl(baseUrl, path), { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${path}`);
  if (response.status() !== status) {
    throw new Error(`${path}: expected HTTP ${status}, got ${response.status()}`);
  }
  return response;
}

/** Formats axe-core violations so that a server engineer can find each one. */
export function formatAxeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\n/g, '\n        ');
          return `    - target: ${JSON.stringify(n.target)}\n      html:   ${n.html}\n      ${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs in the page: lists the elements that stick out of the viewport
 * horizontally, outermost first, with a short description of each.
 */
export function overflowingElementsInPage() {
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join('.')}`;
    return s;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5 || r.left < -0.5) {
      const style = getComputedStyle(el);
      if (style.position === 'fixed' && style.visibility === 'hidden') continue;
      // Skip elements whose parent is already reported.
      if (out.some((o) => o.el.contains(el))) continue;
      out.push({ el, text: `${describe(el)} left=${Math.round(r.left)} right=${Math.round(r.right)} (viewport ${vw}) "${(el.textContent || '').trim().slice(0, 60)}"` });
    }
  }
  return out.slice(0, 10).map((o) => o.text);
}

/**
 * Runs in the page: where the sticky quick-exit button is, whether it lies
 * fully inside the viewport and whether it is the topmost element at its
 * centre (not covered by something else).
 */
export function quickExitButtonStateInPage() {
  const el = document.querySelector('a.quick-exit[data-quick-exit]');
  if (!el) return { found: false };
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const inside = r.width > 0 && r.height > 0 && r.left >= -0.5 && r.top >= -0.5 && r.right <= vw + 0.5 && r.bottom <= vh + 0.5;
  let onTop = false;
  if (inside) {
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    onTop = !!hit && (hit === el || el.contains(hit));
  }
  const style = getComputedStyle(el);
  return {
    found: true,
    inside,
    onTop,
    visible: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0,
    rect: { left: Math.round(r.left), top: Math.round(r.top), right: Math.round(r.right), bottom: Math.round(r.bottom) },
    viewport: { width: vw, height: vh },
    scrollY: Math.round(window.scrollY),
  };
}

/** Runs in the page: a short description of document.activeElement. */
export function activeElementInPage() {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: el ? 'body' : null };
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  return {
    tag: el.tagName.toLowerCase(),
    className: el.getAttribute('class'),
    href: el.getAttribute('href'),
    rel: el.getAttribute('rel'),
    quickExit: el.hasAttribute('data-quick-exit'),
    text: (el.textContent || '').trim(),
    inViewport: r.width > 0 && r.height > 0 && r.left >= -0.5 && r.top >= -0.5 && r.right <= vw + 0.5 && r.bottom <= window.innerHeight + 0.5,
  };
}
