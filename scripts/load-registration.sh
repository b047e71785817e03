#!/usr/bin/env bash
# Registration under load (issue 16): PEOPLE registrations at once (single
# people and class bookings mixed) at an event with SEATS seats, then
# CANCELLATIONS random cancellations, on SQLite (one instance) and on
# PostgreSQL with two instances sharing the database. The checks are in
# scripts/load-registration.rs: exactly the seats taken (never more), the
# rest waiting in the order stored, every acknowledged registration
# stored, no 5xx, and after each cancellation exactly the right people
# moved up. Prints registrations per second and p50/p99 per database.
#
#   scripts/load-registration.sh
#   PEOPLE=1000 SEATS=50 CANCELLATIONS=30 scripts/load-registration.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE="${PEOPLE:-500}"
SEATS="${SEATS:-50}"
CANCELLATIONS="${CANCELLATIONS:-30}"
PG_ADMIN="${FRIDHEM_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/fridhem-target}"

echo "building fridhem and the load client (release)…"
cargo build --release --quiet --bin fridhem --example load-registration
work="$(mktemp -d /var/tmp/fridhem-load.XXXXXX)"
BIN="$work/fridhem"; LOAD="$work/load-registration"
cp "$CARGO_TARGET_DIR/release/fridhem" "$BIN"
cp "$CARGO_TARGET_DIR/release/examples/load-registration" "$LOAD"
pids=()
pgdb=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  [ -n "$pgdb" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# Instances of one site share its secret key (form tokens) and data key.
# The load client is one address standing for hundreds of people: the
# per-client connection cap (256 by default) is lifted, and the form rate
# limit is off.
SECRET="$(python3 -c 'import secrets;print(secrets.token_hex(32))')"

# start NAME DATABASE_URL -> appends the base URL to $bases
start() {
  local name="$1" db="$2" port dir
  port="$(free_port)"; dir="$work/$name"; mkdir -p "$dir"
  (cd "$dir" && exec env FRIDHEM_BIND="127.0.0.1:$port" FRIDHEM_BASE_URL="http://127.0.0.1:$port" \
     FRIDHEM_DATABASE_URL="$db" FRIDHEM_FORM_RATE_LIMIT=0 FRIDHEM_MAX_CONNECTIONS_PER_CLIENT=4096 \
     FRIDHEM_LOG=warn \
     FRIDHEM_SECRET_KEY="$SECRET" FRIDHEM_DATA_KEY_FILE="$work/data-key" \
     FRIDHEM_CONTENT_POLL_MS=200 FRIDHEM_MAIL_DIR="$dir/mail" \
     "$BIN" >"$dir/log" 2>&1) &
  pids+=($!)
  for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$dir/log"; exit 1; }
  bases="${bases:+$bases,}http://127.0.0.1:$port"
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  pids=()
}

rc=0
echo
echo "== SQLite, one instance"
bases=""
start sqlite "sqlite://$work/sqlite.db"
LOAD_BASES="$bases" LOAD_DATABASE_URL="sqlite://$work/sqlite.db" LOAD_PEOPLE="$PEOPLE" LOAD_SEATS="$SEATS" \
  LOAD_CANCELLATIONS="$CANCELLATIONS" "$LOAD" || rc=1
stop_all

if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo
  echo "== PostgreSQL, two instances on one database"
  pgdb="fridhem_load_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $pgdb" >/dev/null
  bases=""
  start pg1 "${PG_ADMIN%/*}/$pgdb"
  start pg2 "${PG_ADMIN%/*}/$pgdb"
  LOAD_BASES="$bases" LOAD_DATABASE_URL="${PG_ADMIN%/*}/$pgdb" LOAD_PEOPLE="$PEOPLE" LOAD_SEATS="$SEATS" \
    LOAD_CANCELLATIONS="$CANCELLATIONS" "$LOAD" || rc=1
  stop_all
else
  echo "(PostgreSQL not reachable at 127.0.0.1:5432: skipped)"
fi
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
exit "$rc"
