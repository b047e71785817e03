#!/usr/bin/env bash
# Case inbox response time with many cases: 10,000 contact cases (CASES)
# are written into a fresh SQLite database, a handläggare for contact
# cases signs in (password and a TOTP code computed from the secret the
# enrolment page shows), and the inbox and a case page are fetched one at
# a time, REQUESTS times each (default 200). Prints p50 and p99 per page.
# The release binary, on this machine; no reference is needed: the
# numbers are for people to judge (a page is "instant" below 100 ms).
#
#   scripts/bench-inbox.sh
#   CASES=50000 REQUESTS=500 scripts/bench-inbox.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CASES="${CASES:-10000}"
REQUESTS="${REQUESTS:-200}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/fridhem-target}"
cargo build --release --quiet
bin="$CARGO_TARGET_DIR/release/fridhem"
work="$(mktemp -d /var/tmp/fridhem-bench-inbox.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export FRIDHEM_DATABASE_URL="sqlite://$work/fridhem.db"
export FRIDHEM_BIND="127.0.0.1:$port" FRIDHEM_BASE_URL="http://127.0.0.1:$port"
export FRIDHEM_MAIL_DIR="$work/mail" FRIDHEM_LOG=warn
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not start" >&2; exit 1
}

# First start: migrations and demo content. Then the cases, written
# straight into the database as the forms would have left them.
"$bin" >"$work/server.log" 2>&1 & server=$!
wait_ready
kill "$server"; wait "$server" 2>/dev/null || true; server=""
python3 - "$work/fridhem.db" "$CASES" <<'PY'
import sqlite3, sys, datetime
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
start = datetime.datetime(2026, 1, 2, 8, 0, tzinfo=datetime.timezone.utc)
rows = []
for i in range(1, n + 1):
    at = start + datetime.timedelta(minutes=45 * i)
    status = ["new", "in_progress", "waiting", "closed"][i % 4]
    rows.append((f"KO-2026-{i:05d}", "KO", at.isoformat(), status, "Ett meddelande nummer %d." % i,
                 f"person{i}@example.se", (at + datetime.timedelta(days=7)).date().isoformat()))
c.executemany("INSERT INTO cases (reference, kind, created_at, status, message, email, due_on) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
c.execute("INSERT INTO case_counters (prefix, year, last) VALUES ('KO', 2026, ?) "
          "ON CONFLICT (prefix, year) DO UPDATE SET last = excluded.last", (n,))
c.commit()
PY
echo "bänkstol kaffekopp vårregn" | "$bin" staff add --email bench@example.se --name "Bänk Test" --role handlaggare-ko >/dev/null
"$bin" >>"$work/server.log" 2>&1 & server=$!
wait_ready

PYTHONPATH=scripts python3 - "http://127.0.0.1:$port" "$REQUESTS" "$CASES" <<'PY'
import sys
from staff_client import Client
base, requests, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = Client(base)
client.first_sign_in("bench@example.se", "bänkstol kaffekopp vårregn")

def measure(path):
    return client.measure(path, requests)

print(f"{cases} contact cases in SQLite, {requests} sequential requests per page (release build)")
print(f"{'page':<52} {'p50 ms':>8} {'p99 ms':>8}")
for path in ["/admin/arenden", "/admin/arenden?status=alla&sida=100", "/admin/arenden?visa=forsenade",
             "/admin/arenden?sok=04321", f"/admin/arenden/KO-2026-{cases // 2:05d}"]:
    p50, p99 = measure(path)
    print(f"{path:<52} {p50:>8.2f} {p99:>8.2f}")
PY
