#!/usr/bin/env bash
# Lighthouse over every public page type (mobile preset), printing the four
# category scores and every audit that keeps a score below 100.
#   scripts/lighthouse.sh                 # builds, starts Fridhem, audits
#   LIGHTHOUSE_MIN=100 scripts/lighthouse.sh   # fail below 100
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/fridhem-target}"
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
cargo build --release --quiet
(cd scripts/lighthouse && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
work="$(mktemp -d /var/tmp/fridhem-lh.XXXXXX)"
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
(cd "$work" && exec env FRIDHEM_BIND="127.0.0.1:$port" FRIDHEM_BASE_URL="http://127.0.0.1:$port" \
  "$CARGO_TARGET_DIR/release/fridhem" >"$work/fridhem.log" 2>&1) &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
node scripts/lighthouse/run.mjs "http://127.0.0.1:$port"
