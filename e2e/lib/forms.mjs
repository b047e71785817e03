// The three public forms: their fields, valid answers to fill in through the
// UI (by label, as a person would) and as a body for fetch, and helpers that
// post a form without a browser (to get an error page or a receipt page).

import { pageUrl } from './helpers.mjs';

/** A case reference as shown on the receipt page, e.g. KO-2026-00001. */
export const REFERENCE_RE = /^(TG|AF|KO)-\d{4}-\d{5}$/;

export const RECEIPT_HEADING = 'Vi har tagit emot ditt ärende';
export const ERROR_SUMMARY_HEADING = 'Det finns ett problem';
export const ERROR_TITLE_PREFIX = 'Fel: ';
export const SUBMIT_TEXT = 'Skicka';
export const FOOTER_REPORT_LINK = 'Rapportera brist i tillgängligheten';

/**
 * `fields`: name -> input type ('text', 'email', 'tel', 'textarea') or the
 * list of radio option values.
 * `valid`: steps that fill the form in validly through the UI: `{ label,
 * value }` for a text field (label matched from its start, as optional fields
 * end in "(frivilligt)"), `{ radio }` for the exact label of a radio button.
 * `validBody`: the same answers as a POST body.
 * `keep`: one field and one radio filled before a submission that still
 * lacks required fields, to check that they are kept.
 */
export const FORMS = [
  {
    key: 'rapportera',
    path: '/tillganglighet/rapportera',
    prefix: 'TG',
    fields: {
      sida: 'text',
      problem: 'textarea',
      namn: 'text',
      epost: 'email',
      telefon: 'tel',
      svar: ['epost', 'telefon', 'inget'],
    },
    valid: [
      { label: 'Vilken sida gäller det?', value: '/hjalp' },
      { label: 'Vad är problemet?', value: 'Fokusmarkeringen syns inte på filterlänkarna.' },
      { label: 'Ditt namn', value: 'Testa Testsson' },
      { label: 'E-postadress', value: 'testa@example.se' },
      { radio: 'Via e-post' },
    ],
    validBody: {
      sida: '/hjalp',
      problem: 'Fokusmarkeringen syns inte på filterlänkarna.',
      namn: 'Testa Testsson',
      epost: 'testa@example.se',
      svar: 'epost',
    },
    keep: {
      field: { label: 'Vad är problemet?', name: 'problem', value: 'Texten blir för liten när jag zoomar.' },
      radio: { label: 'Jag behöver inget svar', id: 'svar-inget' },
    },
  },
  {
    key: 'alternativt-format',
    path: '/tillganglighet/alternativt-format',
    prefix: 'AF',
    fields: {
      innehall: 'textarea',
      format: ['lattlast', 'ljud', 'punktskrift', 'storre-text', 'annat'],
      annat_format: 'text',
      namn: 'text',
      epost: 'email',
      telefon: 'tel',
      adress: 'textarea',
    },
    valid: [
      { label: 'Vilket innehåll vill du ha?', value: 'Sidan Orolig för någon' },
      { radio: 'Annat format' },
      { label: 'Om du valde annat format: vilket?', value: 'Teckenspråk' },
      { label: 'Ditt namn', value: 'Testa Testsson' },
      { label: 'Telefonnummer', value: '070-123 45 67' },
      { label: 'Postadress', value: 'Storgatan 1\n123 45 Järfälla' },
    ],
    validBody: {
      innehall: 'Sidan Orolig för någon',
      format: 'ljud',
      namn: 'Testa Testsson',
      adress: 'Storgatan 1\n123 45 Järfälla',
    },
    keep: {
      field: { label: 'Vilket innehåll vill du ha?', name: 'innehall', value: 'Sidan Hit kan du vända dig' },
      radio: { label: 'Punktskrift', id: 'format-punktskrift' },
    },
  },
  {
    key: 'kontakt',
    path: '/kontakt',
    prefix: 'KO',
    fields: {
      amne: ['inte-ensam', 'manad', 'ovrigt'],
      organisation: 'text',
      namn: 'text',
      epost: 'email',
      telefon: 'tel',
      meddelande: 'textarea',
    },
    valid: [
      { radio: 'En månad fri från våld' },
      { label: 'Organisation eller bostadsbolag', value: 'Bostadsbolaget Test AB' },
      { label: 'Ditt namn', value: 'Testa Testsson' },
      { label: 'E-postadress', value: 'testa@example.se' },
      { label: 'Telefonnummer', value: '+46 8 123 456 78' },
      { label: 'Meddelande', value: 'Vi vill beställa affischer till våra trapphus.' },
    ],
    validBody: {
      amne: 'inte-ensam',
      namn: 'Testa Testsson',
      telefon: '070-123 45 67',
      meddelande: 'Vi vill veta mer om Inte ensam.',
    },
    keep: {
      field: { label: 'Ditt namn', name: 'namn', value: 'Åsa Öberg' },
      radio: { label: 'Övrigt', id: 'amne-ovrigt' },
    },
  },
];

export function formOf(path) {
  return FORMS.find((f) => f.path === path);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The form control labelled `label` (the label text starts with it). */
export function fieldByLabel(page, label) {
  return page.getByLabel(new RegExp(`^${escapeRegExp(label)}`));
}

/** The radio button labelled exactly `label`. */
export function radioByLabel(page, label) {
  return page.getByLabel(label, { exact: true });
}

/** Fills the form in through the UI, following `steps` (see FORMS). */
export async function fillIn(page, steps) {
  for (const step of steps) {
    if (step.radio) await radioByLabel(page, step.radio).check();
    else await fieldByLabel(page, step.label).fill(step.value);
  }
}

/**
 * Clicks the form's submit button and waits for the answer to the POST (the
 * 303, or the form again) and for the page it leads to to load.
 * Returns the POST's response.
 */
export async function submitForm(page, form) {
  const posted = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === form.path,
    { timeout: 10_000 },
  );
  await page.locator('form.form button.button[type=submit]').click();
  const response = await posted;
  if (response.status() === 303) {
    await page.waitForURL((url) => url.pathname.startsWith(`${form.path}/kvitto/`), { timeout: 10_000 });
  }
  await page.waitForLoadState('load');
  return response;
}

/** GETs the form page; resolves to { status, html, token }. */
export async function fetchForm(baseUrl, form) {
  const res = await fetch(pageUrl(baseUrl, form.path), { headers: { accept: 'text/html' } });
  const html = await res.text();
  const token = /<input[^>]*\bname="token"[^>]*\bvalue="([^"]*)"/.exec(html)?.[1]
    ?? /<input[^>]*\bvalue="([^"]*)"[^>]*\bname="token"/.exec(html)?.[1];
  return { status: res.status, html, token };
}

/**
 * Posts the form without a browser, with a fresh token, an empty honeypot
 * and every field (empty unless given in `values`), as a browser would.
 * Resolves to { status, location, html }; redirects are not followed.
 */
export async function postForm(baseUrl, form, values = {}) {
  const { status, token } = await fetchForm(baseUrl, form);
  if (status !== 200 || !token) {
    throw new Error(`GET ${form.path}: expected HTTP 200 with a token field, got HTTP ${status}${token ? '' : ' and no token'}`);
  }
  const body = new URLSearchParams({ token, webbplats: '' });
  for (const name of Object.keys(form.fields)) {
    if (values[name] !== undefined || !Array.isArray(form.fields[name])) body.append(name, values[name] ?? '');
  }
  const res = await fetch(pageUrl(baseUrl, form.path), {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { accept: 'text/html' },
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/**
 * Posts valid answers and follows the 303 to the receipt page.
 * Resolves to { url, status, html } of the receipt page.
 */
export async function submitValidByFetch(baseUrl, form) {
  const posted = await postForm(baseUrl, form, form.validBody);
  if (posted.status !== 303 || !posted.location) {
    throw new Error(`POST ${form.path} with valid answers: expected HTTP 303 with a Location, got HTTP ${posted.status} (Location ${JSON.stringify(posted.location)})`);
  }
  const url = pageUrl(baseUrl, posted.location);
  const res = await fetch(url, { headers: { accept: 'text/html' } });
  return { url, status: res.status, html: await res.text() };
}

/**
 * Runs in the page: what is wrong with a fresh form's markup (token,
 * honeypot, fields with labels, submit button). `args` = { path, fields }.
 */
export function formMarkupProblemsInPage({ path, fields }) {
  const problems = [];
  const forms = document.querySelectorAll('form.form');
  if (forms.length !== 1) return [`expected one form.form, found ${forms.length}`];
  const form = forms[0];
  if ((form.getAttribute('method') || '').toLowerCase() !== 'post') problems.push(`form method is ${JSON.stringify(form.getAttribute('method'))}, not post`);
  if (form.getAttribute('action') !== path) problems.push(`form action is ${JSON.stringify(form.getAttribute('action'))}, not ${path}`);
  const token = form.querySelector('input[type=hidden][name=token]');
  if (!token || !token.value) problems.push('no hidden input name=token with a value');
  const trap = form.querySelector('.form__trap');
  if (!trap) {
    problems.push('no .form__trap');
  } else {
    if (trap.getAttribute('aria-hidden') !== 'true') problems.push('.form__trap lacks aria-hidden="true"');
    if (getComputedStyle(trap).display !== 'none') problems.push(`.form__trap is displayed (display: ${getComputedStyle(trap).display})`);
    const honeypot = trap.querySelector('input[name=webbplats]');
    if (!honeypot) problems.push('no input name=webbplats inside .form__trap');
    else if (honeypot.value !== '') problems.push('the honeypot webbplats is not empty');
  }
  const labelOf = (el) => (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null) || el.closest('label');
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  for (const [name, kind] of Object.entries(fields)) {
    const controls = Array.isArray(kind)
      ? kind.map((value) => [`${name}-${value}`, form.querySelector(`input[type=radio][name="${name}"][value="${value}"]`)])
      : [[name, form.querySelector(kind === 'textarea' ? `textarea[name="${name}"]` : `input[type="${kind}"][name="${name}"]`)]];
    for (const [id, el] of controls) {
      const what = Array.isArray(kind) ? `radio ${name}=${id.slice(name.length + 1)}` : `${kind} field ${name}`;
      if (!el) {
        problems.push(`no ${what}`);
        continue;
      }
      if (el.id !== id) problems.push(`${what} has id ${JSON.stringify(el.id)}, expected ${JSON.stringify(id)}`);
      const label = labelOf(el);
      if (!label || !label.textContent.trim()) problems.push(`${what} has no label`);
      else if (!visible(label)) problems.push(`the label of ${what} is not visible`);
      if (!visible(el)) problems.push(`${what} is not visible`);
    }
  }
  const buttons = form.querySelectorAll('button.button[type=submit]');
  if (buttons.length !== 1) problems.push(`expected one button.button[type=submit], found ${buttons.length}`);
  else if (buttons[0].textContent.trim() !== 'Skicka') problems.push(`the submit button reads ${JSON.stringify(buttons[0].textContent.trim())}, not "Skicka"`);
  if (document.querySelector('.error-summary, .error-message')) problems.push('a fresh form shows an error summary or error message');
  return problems;
}

/**
 * Runs in the page with the form shown again after an error: checks that
 * the summary links and the inline messages match. Resolves to
 * { links: [{ href, text }], problems: [...] }.
 */
export function errorSummaryProblemsInPage() {
  const problems = [];
  const summary = document.querySelector('.error-summary[data-error-summary]');
  if (!summary) return { links: [], problems: ['no .error-summary[data-error-summary]'] };
  const links = [...summary.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href') || '', text: a.textContent.trim() }));
  if (links.length === 0) problems.push('the error summary lists no links');
  const linkedFields = new Set();
  for (const { href, text } of links) {
    if (!href.startsWith('#') || href.length < 2) {
      problems.push(`summary link ${JSON.stringify(text)} has href ${JSON.stringify(href)}, not #field`);
      continue;
    }
    const id = decodeURIComponent(href.slice(1));
    const target = document.getElementById(id);
    if (!target) {
      problems.push(`summary link ${href} (${JSON.stringify(text)}): no element with id ${JSON.stringify(id)}`);
      continue;
    }
    if (!target.matches('input, textarea, select')) {
      problems.push(`summary link ${href} leads to <${target.tagName.toLowerCase()}>, not a form field`);
      continue;
    }
    const name = target.name;
    linkedFields.add(name);
    if (target.type === 'radio') {
      const first = document.querySelector(`input[type=radio][name="${name}"]`);
      if (first !== target) problems.push(`summary link ${href} for the radios ${name} must lead to the first option #${first?.id}`);
    } else if (id !== name) {
      problems.push(`summary link ${href} leads to a field named ${name}; expected #${name}`);
    }
    const message = document.getElementById(`${name}-error`);
    if (!message) {
      problems.push(`summary link ${href}: no inline message #${name}-error`);
      continue;
    }
    if (!message.classList.contains('error-message')) problems.push(`#${name}-error lacks class error-message`);
    if (!message.textContent.includes(text)) problems.push(`#${name}-error reads ${JSON.stringify(message.textContent.trim())}, which does not contain the summary's ${JSON.stringify(text)}`);
    const rm = message.getBoundingClientRect();
    if (rm.width === 0 || rm.height === 0) problems.push(`#${name}-error is not visible`);
    const describedBy = (el) => (el?.getAttribute('aria-describedby') || '').split(/\s+/);
    const holder = target.type === 'radio' ? target.closest('fieldset') : target;
    if (!describedBy(holder).includes(`${name}-error`)) {
      problems.push(`${target.type === 'radio' ? `the fieldset of the radios ${name}` : `#${id}`} has aria-describedby=${JSON.stringify(holder?.getAttribute('aria-describedby'))}, which does not include ${name}-error`);
    }
  }
  for (const message of document.querySelectorAll('.error-message')) {
    const name = message.id.replace(/-error$/, '');
    if (!message.id.endsWith('-error') || !linkedFields.has(name)) {
      problems.push(`inline message #${message.id} (${JSON.stringify(message.textContent.trim())}) has no link in the error summary`);
    }
  }
  return { links, problems };
}
