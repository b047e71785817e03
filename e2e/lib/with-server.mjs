#!/usr/bin/env node
// Usage: node lib/with-server.mjs COMMAND [ARGS...]
// Starts one fridhem server (from FRIDHEM_BIN), the local quick-exit target
// and the SMTP sink the server mails to, runs COMMAND with
// FRIDHEM_E2E_BASE_URL, FRIDHEM_E2E_EXIT_URL and FRIDHEM_E2E_MAILBOX set,
// then stops them and exits with COMMAND's exit code.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAll } from './server.mjs';

// The server's log is copied here at the end of the run (gitignored).
const LOG_COPY = fileURLToPath(new URL('../fridhem-server.log', import.meta.url));

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node lib/with-server.mjs COMMAND [ARGS...]');
  process.exit(2);
}

let server;
try {
  server = await startAll();
} catch (err) {
  console.error(`e2e: could not start the server: ${err.message}`);
  process.exit(1);
}
console.error(`e2e: fridhem at ${server.baseUrl}, quick-exit target ${server.exitUrl}, mail in ${server.mailbox}; server log copied to e2e/fridhem-server.log at the end`);

const child = spawn(cmd, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    FRIDHEM_E2E_BASE_URL: server.baseUrl,
    FRIDHEM_E2E_EXIT_URL: server.exitUrl,
    FRIDHEM_E2E_SERVER_LOG: server.logFile,
    // For tests that run the binary's commands on the same database
    // (creating staff accounts).
    FRIDHEM_E2E_DATABASE_URL: server.databaseUrl,
    // The directory the SMTP sink writes the server's mail to.
    FRIDHEM_E2E_MAILBOX: server.mailbox,
  },
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => child.kill(sig));
}

const code = await new Promise((resolve) => {
  child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  child.once('error', (err) => {
    console.error(`e2e: could not run ${cmd}: ${err.message}`);
    resolve(1);
  });
});
try {
  fs.copyFileSync(server.logFile, LOG_COPY);
} catch {
  // no log to keep
}
await server.stop();
process.exit(code);
