#!/usr/bin/env bash
# Deletion on schedule and the dashboard at scale, on SQLite and on
# PostgreSQL (issue 12). For each database a fresh one gets DUE closed
# contact cases past their retention (default 10,000, each with its
# e-mail in the outbox) and RECORDS anonymous records of cleaned cases
# (default 100,000, three types over three years, answered and closed at
# varied times), written after the migrations and before the first start,
# which encrypts them as it does after an upgrade. Then:
#   - the dashboard /admin/oversikt and its CSV are fetched REQUESTS times
#     each (default 50) by a signed-in administrator: p50 and p99;
#   - the server is stopped and `fridhem clean-up` cleans the due cases:
#     wall time, and a check that every one of them was cleaned.
# The release binary on this machine; no reference is needed.
#
#   scripts/bench-retention.sh             # both databases
#   DATABASES=sqlite scripts/bench-retention.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-retention.sh
#   KEEP=1 scripts/bench-retention.sh     # leaves the databases and logs
set -euo pipefail
cd "$(dirname "$0")/.."

DUE="${DUE:-10000}"
RECORDS="${RECORDS:-100000}"
REQUESTS="${REQUESTS:-50}"
DATABASES="${DATABASES:-sqlite postgres}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/fridhem-target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/fridhem"
work="$(mktemp -d /var/tmp/fridhem-bench-retention.XXXXXX)"
server=""
pg_db=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "$pg_db" ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export FRIDHEM_BIND="127.0.0.1:$port" FRIDHEM_BASE_URL="http://127.0.0.1:$port"
export FRIDHEM_LOG=warn FRIDHEM_FORM_RATE_LIMIT=0

wait_ready() {
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not start; its log:" >&2; tail -20 "$dir/server.log" >&2; exit 1
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# The rows, as SQL both databases read: DUE closed contact cases from
# 2023 with one sent e-mail each, RECORDS cleaned cases 2024–2026, and the
# hourly claim taken, so the server's start does not clean before we time it.
fixture_sql() {
  python3 - "$DUE" "$RECORDS" <<'PY'
import datetime, random, sys
due, records = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(12)
utc = datetime.timezone.utc
out = sys.stdout
def batch(table, columns, rows):
    for i in range(0, len(rows), 1000):
        out.write(f"INSERT INTO {table} ({columns}) VALUES\n")
        out.write(",\n".join(rows[i:i + 1000]) + ";\n")
def ts(t): return "'" + t.isoformat() + "'"
out.write("BEGIN;\n")
rows = []
start = datetime.datetime(2023, 1, 2, 8, 0, tzinfo=utc)
for i in range(1, due + 1):
    at = start + datetime.timedelta(minutes=30 * i)
    rows.append(f"('KO-2023-{i:05d}', 'KO', {ts(at)}, 'closed', 'Meddelande nummer {i} om grannen', "
                f"'Person {i}', 'person{i}@example.se', '{(at + datetime.timedelta(days=14)).date()}', "
                f"{ts(at + datetime.timedelta(days=3))}, {ts(at + datetime.timedelta(days=5))})")
batch("cases", "reference, kind, created_at, status, message, name, email, due_on, answered_at, closed_at", rows)
rows = [f"((SELECT id FROM cases WHERE reference = 'KO-2023-{i:05d}'), '<bench-{i}@fridhem>', "
        f"'person{i}@example.se', 'Kvitto KO-2023-{i:05d}', 'Tack för ditt meddelande.', "
        f"'2023-01-02T08:00:00+00:00', '2023-01-02T08:00:00+00:00', '2023-01-02T08:01:00+00:00')"
        for i in range(1, due + 1)]
batch("outbox", "case_id, message_id, recipient, subject, body, created_at, next_attempt_at, sent_at", rows)
rows = []
counters = {}
span = (datetime.datetime(2026, 12, 1, tzinfo=utc) - datetime.datetime(2024, 1, 1, tzinfo=utc)).total_seconds()
for i in range(records):
    kind = ("TG", "AF", "KO")[i % 3]
    at = datetime.datetime(2024, 1, 1, tzinfo=utc) + datetime.timedelta(seconds=span * i / records)
    n = counters[(kind, at.year)] = counters.get((kind, at.year), 0) + 1
    answered = at + datetime.timedelta(hours=rnd.randint(2, 24 * 25))
    closed = answered + datetime.timedelta(hours=rnd.randint(0, 24 * 10))
    rows.append(f"('{kind}-{at.year}-{n:05d}', '{kind}', {ts(at)}, 'closed', '', "
                f"'{(at + datetime.timedelta(days=14)).date()}', {ts(answered)}, {ts(closed)}, {ts(closed)})")
batch("cases", "reference, kind, created_at, status, message, due_on, answered_at, closed_at, purged_at", rows)
now = datetime.datetime.now(utc)
out.write(f"INSERT INTO scheduled_runs (name, started_at, finished_at) VALUES ('gallring', {ts(now)}, {ts(now)}) "
          f"ON CONFLICT (name) DO UPDATE SET started_at = excluded.started_at;\n")
out.write("COMMIT;\n")
PY
}

run_one() {
  local db="$1"
  dir="$work/$db"
  mkdir -p "$dir"
  export FRIDHEM_MAIL_DIR="$dir/mail" FRIDHEM_DATA_KEY_FILE="$dir/data-key"
  if [ "$db" = sqlite ]; then
    export FRIDHEM_DATABASE_URL="sqlite://$dir/fridhem.db"
  else
    pg_db="fridhem_bench_retention_$$"
    psql "$PG_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
    export FRIDHEM_DATABASE_URL="${PG_URL%/*}/$pg_db"
  fi
  ( cd "$dir" && exec "$bin" migrate >"$dir/server.log" 2>&1 )
  fixture_sql >"$dir/fixture.sql"
  if [ "$db" = sqlite ]; then
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(open(sys.argv[2]).read())' \
      "$dir/fridhem.db" "$dir/fixture.sql"
  else
    psql "$FRIDHEM_DATABASE_URL" -q -v ON_ERROR_STOP=1 -f "$dir/fixture.sql" >/dev/null
    psql "$FRIDHEM_DATABASE_URL" -qc "ANALYZE" >/dev/null
  fi
  echo "bänkstol kaffekopp vårregn" | (cd "$dir" && "$bin" staff add --email bench@example.se --name "Bänk Test" \
    --role administrator >/dev/null)
  local t0 t1
  t0="$(date +%s.%N)"
  ( cd "$dir" && exec "$bin" >>"$dir/server.log" 2>&1 ) & server=$!
  wait_ready
  t1="$(date +%s.%N)"
  printf '%s: first start, encrypting %d cases and %d e-mails: %.1f s\n' "$db" "$DUE" "$DUE" \
    "$(echo "$t1 - $t0" | bc)"
  PYTHONPATH=scripts python3 - "http://127.0.0.1:$port" "$REQUESTS" "$db" "$RECORDS" <<'PY'
import sys
from staff_client import Client
base, requests, db, records = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
client = Client(base)
client.first_sign_in("bench@example.se", "bänkstol kaffekopp vårregn")
for path in ["/admin/oversikt", "/admin/oversikt.csv"]:
    p50, p99 = client.measure(path, requests)
    print(f"{db}: {path:<22} with {records} anonymous records: p50 {p50:7.1f} ms, p99 {p99:7.1f} ms")
PY
  stop_server
  local out
  t0="$(date +%s.%N)"
  out="$(cd "$dir" && "$bin" clean-up)"
  t1="$(date +%s.%N)"
  printf '%s: fridhem clean-up of %d due cases: %.2f s (%s)\n' "$db" "$DUE" "$(echo "$t1 - $t0" | bc)" "$out"
  case "$out" in
    "Cleaned $DUE cases ($DUE e-mails"*) ;;
    *) echo "expected $DUE cleaned cases and e-mails" >&2; exit 1 ;;
  esac
  if [ "$db" = postgres ]; then
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
    pg_db=""
  fi
}

for db in $DATABASES; do run_one "$db"; done
