// Starts the Fridhem binary (and the local quick-exit target) for the tests.
//
// lib/with-server.mjs starts one server for the whole run and hands its
// address to the test files through FRIDHEM_E2E_BASE_URL / FRIDHEM_E2E_EXIT_URL.
// A test file run on its own (`node --test tests/axe.test.mjs`) starts its own
// server instead, from FRIDHEM_BIN.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startExitServer } from './exit-server.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const READY_TIMEOUT_MS = Number(process.env.FRIDHEM_E2E_READY_TIMEOUT_MS || 60_000);

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The database the run uses: SQLite in the temp dir by default; with
 * FRIDHEM_E2E_DATABASE=postgres a new PostgreSQL database created through
 * psql on the server FRIDHEM_E2E_POSTGRES_URL (or FRIDHEM_TEST_POSTGRES_URL)
 * points at. Resolves to { url, drop }.
 */
function createDatabase(tmpDir) {
  const kind = process.env.FRIDHEM_E2E_DATABASE || 'sqlite';
  if (kind === 'sqlite') {
    return { url: `sqlite://${path.join(tmpDir, 'fridhem.db')}`, drop: () => {} };
  }
  if (kind !== 'postgres') {
    throw new Error(`FRIDHEM_E2E_DATABASE=${kind}: use sqlite or postgres`);
  }
  const admin = process.env.FRIDHEM_E2E_POSTGRES_URL || process.env.FRIDHEM_TEST_POSTGRES_URL;
  if (!admin) {
    throw new Error('FRIDHEM_E2E_DATABASE=postgres needs FRIDHEM_E2E_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  }
  // The prefix is the one .ci/run sweeps up if a run dies before dropping it.
  const name = `fridhem_t_e2e_${process.pid}_${Date.now()}`;
  const psql = (sql) => {
    const out = spawnSync('psql', [admin, '-qc', sql], { encoding: 'utf8' });
    if (out.status !== 0) {
      throw new Error(`psql failed (${sql}): ${out.stderr || out.error}`);
    }
  };
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Starts the fridhem binary with a fresh database (see createDatabase) and
 * a temp dir as its cwd, and waits until GET /readyz answers 200. With
 * `smtpUrl`, its mail goes to that SMTP server (retries after 200 ms, not
 * the default seconds); without, to .eml files in its temp dir.
 * Resolves to { baseUrl, logFile, tmpDir, stop }.
 */
export async function startFridhem({ bin, exitUrl, smtpUrl }) {
  if (!bin) {
    throw new Error('FRIDHEM_BIN is not set: point it at the fridhem binary (e2e/run.sh defaults it to $CARGO_TARGET_DIR/debug/fridhem)');
  }
  const binPath = path.resolve(bin);
  try {
    fs.accessSync(binPath, fs.constants.X_OK);
  } catch {
    throw new Error(`FRIDHEM_BIN=${binPath} does not exist or is not executable (build it with \`cargo build\` first)`);
  }

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fridhem-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(tmpDir, 'fridhem.log');
  const logFd = fs.openSync(logFile, 'a');
  const database = createDatabase(tmpDir);

  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('FRIDHEM_')) delete env[key];
  }
  Object.assign(env, {
    FRIDHEM_BIND: `127.0.0.1:${port}`,
    FRIDHEM_BASE_URL: baseUrl,
    FRIDHEM_DATABASE_URL: database.url,
    FRIDHEM_QUICK_EXIT_URL: exitUrl,
    // The forms' per-client limit (20 an hour by default) would stop the
    // tests, which all post from 127.0.0.1; 0 turns it off.
    FRIDHEM_FORM_RATE_LIMIT: '0',
  });
  if (smtpUrl) {
    Object.assign(env, {
      FRIDHEM_SMTP_URL: smtpUrl,
      FRIDHEM_MAIL_RETRY_BASE_MS: '200',
    });
  }

  const child = spawn(binPath, [], { cwd: tmpDir, env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.once('error', (err) => {
      exited = { error: err };
      resolve(exited);
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const done = await Promise.race([exitPromise, sleep(5000).then(() => null)]);
      if (!done) {
        child.kill('SIGKILL');
        await exitPromise;
      }
    }
    database.drop();
    if (!process.env.FRIDHEM_E2E_KEEP_TMP) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited) {
      const why = exited.error ? String(exited.error) : `exit code ${exited.code}, signal ${exited.signal}`;
      const log = tail(logFile);
      await stop();
      throw new Error(`fridhem exited before it was ready (${why}). Log:\n${log}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        return { baseUrl, logFile, tmpDir, databaseUrl: database.url, stop };
      }
      lastProblem = `GET /readyz answered ${res.status}`;
    } catch (err) {
      lastProblem = `GET /readyz failed: ${err.cause?.code || err.message}`;
    }
    await sleep(100);
  }
  const log = tail(logFile);
  await stop();
  throw new Error(`fridhem was not ready within ${READY_TIMEOUT_MS} ms (${lastProblem}). Log:\n${log}`);
}

/**
 * Starts the SMTP sink (lib/smtp-sink.mjs), the exit target and the fridhem
 * server, which sends its mail to the sink. `mailbox` is the directory the
 * sink writes each message to (read it with readMessages()).
 */
export async function startAll({ bin = process.env.FRIDHEM_BIN } = {}) {
  const sink = await startSmtpSink();
  let exit;
  let fridhem;
  try {
    exit = await startExitServer();
    fridhem = await startFridhem({ bin, exitUrl: exit.url, smtpUrl: sink.url });
  } catch (err) {
    await exit?.close();
    await sink.close();
    throw err;
  }
  return {
    baseUrl: fridhem.baseUrl,
    exitUrl: exit.url,
    logFile: fridhem.logFile,
    databaseUrl: fridhem.databaseUrl,
    mailbox: sink.dir,
    stop: async () => {
      await fridhem.stop();
      await exit.close();
      await sink.close();
    },
  };
}

/**
 * For test files: the server shared by the whole run if lib/with-server.mjs
 * started one, otherwise (or with `own: true`) a server of this file's own.
 * Resolves to { baseUrl, exitUrl, databaseUrl, mailbox, stop }; stop() is a
 * no-op for a shared server. `mailbox` is the SMTP sink's directory.
 */
export async function getServer({ own = false } = {}) {
  const baseUrl = process.env.FRIDHEM_E2E_BASE_URL;
  const exitUrl = process.env.FRIDHEM_E2E_EXIT_URL;
  if (baseUrl && exitUrl && !own) {
    return {
      baseUrl,
      exitUrl,
      databaseUrl: process.env.FRIDHEM_E2E_DATABASE_URL,
      mailbox: process.env.FRIDHEM_E2E_MAILBOX,
      stop: async () => {},
    };
  }
  return startAll();
}
