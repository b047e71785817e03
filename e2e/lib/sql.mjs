// Runs one SQL statement against the test server's database, the way an
// operator would: psql for PostgreSQL, Python's sqlite3 module for SQLite
// (the server keeps running; SQLite's busy timeout lets both write).

import { spawnSync } from 'node:child_process';

/** Runs the statement `sql` (no parameters: the callers write literal values). */
export function runSql(databaseUrl, sql) {
  let out;
  if (databaseUrl.startsWith('sqlite://')) {
    const file = databaseUrl.slice('sqlite://'.length).split('?')[0];
    const script = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1],timeout=30)\nc.execute(sys.argv[2])\nc.commit()\n';
    out = spawnSync('python3', ['-c', script, file, sql], { encoding: 'utf8' });
  } else {
    out = spawnSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  }
  if (out.status !== 0) throw new Error(`SQL failed (${sql}): ${out.stderr || out.error}`);
  return out.stdout;
}
