// The Nu HTML Checker (vnu-jar), run on saved HTML files. vnu refuses to
// fetch 127.0.0.1 URLs, so the tests fetch pages, save them to files and
// check the files, all in one vnu run per test file (the JVM is slow to start).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
const JAVA = process.env.JAVA || 'java';

/** Runs vnu on the files; resolves to its JSON report. */
export function runVnu(files) {
  return new Promise((resolve, reject) => {
    execFile(
      JAVA,
      ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // vnu exits 1 when it finds errors and writes its JSON report to stderr.
        const out = (stderr || stdout || '').trim();
        try {
          resolve(JSON.parse(out));
        } catch {
          reject(new Error(`vnu did not produce a JSON report (${error ? error.message : 'exit 0'}):\n${out.slice(0, 4000)}`));
        }
      },
    );
  });
}

/** Runs vnu on the files; resolves to a Map from file path to its messages. */
export async function vnuMessagesByFile(files) {
  const report = await runVnu(files);
  const messagesOf = new Map();
  for (const m of report.messages || []) {
    // vnu writes file URLs as file:/tmp/...; key them by plain path.
    let key = m.url || '';
    try {
      key = fileURLToPath(key);
    } catch {
      // not a file URL: keep as is
    }
    if (!messagesOf.has(key)) messagesOf.set(key, []);
    messagesOf.get(key).push(m);
  }
  return messagesOf;
}

/** One vnu message, with where it is and the markup it is about. */
export function formatVnuMessage(m) {
  const where = m.lastLine ? `line ${m.firstLine ?? m.lastLine}${m.firstColumn ? `:${m.firstColumn}` : ''}-${m.lastLine}:${m.lastColumn}` : 'document';
  const extract = m.extract ? `\n      extract: ${JSON.stringify(m.extract)}` : '';
  return `  - [${m.type}${m.subType ? `/${m.subType}` : ''}] ${where}: ${m.message}${extract}`;
}

/** Asserts that vnu found no error in a file; `where` starts the failure message. */
export function assertNoVnuMessages(messages, where) {
  assert.equal(messages.length, 0, `${where}: ${messages.length} HTML error(s):\n${messages.map(formatVnuMessage).join('\n')}`);
}

/** Asserts that vnu reported nothing about files other than `knownFiles`. */
export function assertNoStrayVnuMessages(messagesOf, knownFiles) {
  const known = new Set(knownFiles);
  const stray = [...messagesOf.entries()].filter(([file]) => !known.has(file));
  const text = stray.map(([file, ms]) => `${file || '(no file)'}:\n${ms.map(formatVnuMessage).join('\n')}`).join('\n');
  assert.equal(stray.length, 0, `vnu messages about other files:\n${text}`);
}
