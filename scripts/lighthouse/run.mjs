// Runs Lighthouse (mobile preset, the default) over every public page type
// and prints the four category scores. Exits non-zero if any is below the
// threshold given as LIGHTHOUSE_MIN (default: report only); performance
// may have its own, LIGHTHOUSE_MIN_PERF (.ci/run audits a debug build on
// a busy machine, where "total blocking time" moves between runs).
// LIGHTHOUSE_PAGES=/a,/b audits only those pages.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.argv[2];
const allPages = ['/', '/hjalp', '/hjalp?for=granne', '/orolig-for-nagon', '/inte-ensam',
  '/en-manad-fri-fran-vald', '/en-manad-fri-fran-vald?for=anstallda&format=digitalt',
  '/evenemang/4-valdets-olika-former-digital-forelasning', '/tillganglighet', '/dolj-ditt-besok',
  // Every other language's start page and directory (issue 14).
  ...['fi', 'en', 'ar', 'fa', 'so', 'lattlast'].flatMap((l) => [`/${l}/`, `/${l}/hjalp`])];
// The 404 page is left out: Lighthouse refuses to score a page with status 404.
const pages = process.env.LIGHTHOUSE_PAGES ? process.env.LIGHTHOUSE_PAGES.split(',') : allPages;
const flags = '--headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking ' +
  '--disable-component-update --disable-sync --no-first-run';
const min = process.env.LIGHTHOUSE_MIN ? Number(process.env.LIGHTHOUSE_MIN) : null;
const minPerf = process.env.LIGHTHOUSE_MIN_PERF ? Number(process.env.LIGHTHOUSE_MIN_PERF) : min;
const out = mkdtempSync(join(tmpdir(), 'fridhem-lh-'));
let failed = false;
console.log(`${'page'.padEnd(26)} ${'perf'.padStart(5)} ${'a11y'.padStart(5)} ${'best'.padStart(5)} ${'seo'.padStart(5)}`);
for (const [i, page] of pages.entries()) {
  const file = join(out, `${i}.json`);
  const audit = () => spawnSync(join(import.meta.dirname, 'node_modules/.bin/lighthouse'), [
    base + page, '--quiet', '--output=json', `--output-path=${file}`,
    `--chrome-flags=${flags}`, '--only-categories=performance,accessibility,best-practices,seo',
  ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH || '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'pipe'] });
  // Lighthouse itself sometimes fails to record a trace ("NO_NAVSTART …
  // Please run Lighthouse again"): a run that ends without a report is
  // tried again, up to three times; a low score never is.
  let r = audit();
  for (let attempt = 2; attempt <= 3 && r.status !== 0; attempt++) {
    console.log(`${page}: lighthouse ended without a report; attempt ${attempt}`);
    r = audit();
  }
  if (r.status !== 0) {
    console.log(`${page}: lighthouse failed: ${r.stderr.toString().slice(-500)}`);
    failed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const c = report.categories;
  const scores = ['performance', 'accessibility', 'best-practices', 'seo'].map((k) => Math.round(c[k].score * 100));
  console.log(`${page.padEnd(26)} ${scores.map((s) => String(s).padStart(5)).join(' ')}`);
  for (const [k, cat] of Object.entries(c)) {
    if (cat.score < 1) {
      for (const ref of cat.auditRefs) {
        const a = report.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`    ${k}: ${a.id} (${a.score}) ${a.title}`);
      }
    }
  }
  const [perf, ...others] = scores;
  if (minPerf !== null && perf < minPerf) failed = true;
  if (min !== null && others.some((s) => s < min)) failed = true;
}
process.exit(failed ? 1 : 0);
