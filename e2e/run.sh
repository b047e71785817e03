#!/usr/bin/env bash
# Runs the browser end-to-end tests against the fridhem binary.
#
#   e2e/run.sh                  # uses $FRIDHEM_BIN, default ${CARGO_TARGET_DIR:-../target}/debug/fridhem
#   FRIDHEM_BIN=/path/to/fridhem e2e/run.sh
#   e2e/run.sh tests/axe.test.mjs   # only some test files
#   FRIDHEM_E2E_DATABASE=postgres FRIDHEM_E2E_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test e2e/run.sh
#                               # the same suite on a new PostgreSQL database (needs psql)
#
# Needs Node 20+, Java 17+ (for vnu-jar) and Chromium at /usr/bin/chromium
# (override with CHROMIUM_PATH). Build the binary first with `cargo build`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# Default binary: $CARGO_TARGET_DIR/debug/fridhem, else ../target/debug/fridhem
# (a target dir beside the repo), else cargo's own default target/debug/fridhem.
# Relative paths are taken relative to the repo root.
repo_root="$(cd .. && pwd)"
if [[ -z "${FRIDHEM_BIN:-}" ]]; then
  if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    FRIDHEM_BIN="${CARGO_TARGET_DIR}/debug/fridhem"
  elif [[ -x "${repo_root}/../target/debug/fridhem" ]]; then
    FRIDHEM_BIN="../target/debug/fridhem"
  else
    FRIDHEM_BIN="target/debug/fridhem"
  fi
fi
if [[ "${FRIDHEM_BIN}" != /* ]]; then
  FRIDHEM_BIN="${repo_root}/${FRIDHEM_BIN}"
fi
if [[ ! -x "${FRIDHEM_BIN}" ]]; then
  echo "e2e: no executable fridhem binary at ${FRIDHEM_BIN}; run \`cargo build\` or set FRIDHEM_BIN" >&2
  exit 1
fi
FRIDHEM_BIN="$(cd "$(dirname "${FRIDHEM_BIN}")" && pwd)/$(basename "${FRIDHEM_BIN}")"
export FRIDHEM_BIN

if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund
  touch node_modules
fi

if [[ $# -eq 0 ]]; then
  set -- tests/
fi

echo "e2e: ${FRIDHEM_BIN} on ${FRIDHEM_E2E_DATABASE:-sqlite}"
exec node lib/with-server.mjs node --test --test-concurrency=1 --test-reporter=spec "$@"
