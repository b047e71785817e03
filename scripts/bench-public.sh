#!/usr/bin/env bash
# Public-page benchmark: Fridhem against two references serving the same
# start-page bytes: nginx (a static file) and a minimal hyper server with
# Fridhem's own headers (scripts/hyper-reference.rs, the limit of the stack
# Fridhem is built on). All servers are pinned to CPU 0, wrk to CPU 1;
# rounds alternate between them so drift (thermal, noisy neighbours) hits
# all alike. Prints requests/s, p50/p99 latency, both ratios, Fridhem's RSS
# at start, after every public page in every encoding and after the load,
# and the first-load bytes of every page.
#
#   scripts/bench-public.sh            # defaults: 10 rounds × 5 s, 64 connections
#   ROUNDS=5 DURATION=20 CONNECTIONS=128 scripts/bench-public.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-10}"
DURATION="${DURATION:-5}"
CONNECTIONS="${CONNECTIONS:-64}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/fridhem-target}"

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

echo "building release binaries…"
cargo build --release --quiet
cargo build --release --quiet --example hyper-reference
BIN="$CARGO_TARGET_DIR/release/fridhem"
HYPER="$CARGO_TARGET_DIR/release/examples/hyper-reference"

work="$(mktemp -d /var/tmp/fridhem-bench.XXXXXX)"
# nginx workers run as an unprivileged user and must read the page.
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
FPORT="$(free_port)"
NPORT="$(free_port)"
HPORT="$(free_port)"

# Fridhem: one worker thread on one core, like nginx's one worker process.
(cd "$work" && exec env FRIDHEM_WORKER_THREADS=1 FRIDHEM_BIND="127.0.0.1:$FPORT" \
  FRIDHEM_BASE_URL="http://127.0.0.1:$FPORT" taskset -c "$SERVER_CPU" "$BIN" >"$work/fridhem.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$FPORT/readyz" >/dev/null && break; sleep 0.1; done
FPID="$(pgrep -f "^$BIN" | head -n1)"
rss_mb() { awk '/VmRSS/ { printf "%.1f MB (%d kB)", $2 / 1024, $2 }' "/proc/$FPID/status"; }
sleep 1
rss_start="$(rss_mb)"

# The demo's first event of this year (content/campaign.toml).
event="$(curl -s "http://127.0.0.1:$FPORT/en-manad-fri-fran-vald" | grep -oE 'href="/evenemang/[0-9]+-[a-z0-9-]+"' | head -n1 | sed -E 's/href="(.*)"/\1/')"

# Warm-up: every public page in every encoding, as the first visitors of
# the day would ask for them, before anything is measured.
for path in / /hjalp "/hjalp?for=utsatt" "/hjalp?for=granne" "/hjalp?for=barn" "/hjalp?for=utovare" \
    "/hjalp?for=yrkesverksam" /orolig-for-nagon /inte-ensam /en-manad-fri-fran-vald /tillganglighet \
    /dolj-ditt-besok /personuppgifter /kontakt "/kontakt?amne=inte-ensam" /tillganglighet/rapportera \
    /tillganglighet/alternativt-format /finns-inte /lamna /openreferral/services /openreferral/organizations \
    "/en-manad-fri-fran-vald?for=anstallda&format=digitalt" /evenemang/kalender.ics "$event" "$event.ics" \
    $(for l in fi en ar fa so lattlast; do echo /$l/ /$l/hjalp /$l/orolig-for-nagon /$l/dolj-ditt-besok /$l/inte-ensam /$l/en-manad-fri-fran-vald; done); do
  for enc in br gzip identity; do
    curl -s -H "Accept-Encoding: $enc" "http://127.0.0.1:$FPORT$path" -o /dev/null
  done
done
sleep 1
rss_warm="$(rss_mb)"

mkdir -p "$work/www" "$work/nginx"
curl -fs "http://127.0.0.1:$FPORT/" -o "$work/www/index.html" -D "$work/head.txt"
taskset -c "$SERVER_CPU" "$HYPER" "127.0.0.1:$HPORT" "$work/head.txt" "$work/www/index.html" &
pids+=($!)
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx/access.log;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  types { text/html html; }
  server {
    listen 127.0.0.1:$NPORT;
    root $work/www;
    location = / { add_header Cache-Control no-store; try_files /index.html =404; }
  }
}
NGINX
taskset -c "$SERVER_CPU" "$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$NPORT/" >/dev/null && break; sleep 0.1; done

for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$HPORT/" >/dev/null && break; sleep 0.1; done

fbytes=$(curl -fs "http://127.0.0.1:$FPORT/" | wc -c)
nbytes=$(curl -fs "http://127.0.0.1:$NPORT/" | wc -c)
hbytes=$(curl -fs "http://127.0.0.1:$HPORT/" | wc -c)
fhead=$(curl -fs -o /dev/null -D - "http://127.0.0.1:$FPORT/" | wc -c)
hhead=$(curl -fs -o /dev/null -D - "http://127.0.0.1:$HPORT/" | wc -c)
echo "start page body: fridhem $fbytes bytes, nginx $nbytes bytes, hyper $hbytes bytes (identity)"
echo "response head: fridhem $fhead bytes, hyper $hhead bytes"

run_wrk() { # url -> "rps p50_ms p99_ms"
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$work/wrk.out"
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }' "$work/wrk.out"
}

# Warm all up before measuring.
for port in "$FPORT" "$NPORT" "$HPORT"; do
  taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port/" >/dev/null
done

printf '\n%-6s %-8s %12s %10s %10s\n' round server "requests/s" "p50 ms" "p99 ms"
fsum=0; nsum=0; hsum=0; fall=(); nall=(); hall=()
for r in $(seq 1 "$ROUNDS"); do
  read -r frps fp50 fp99 < <(run_wrk "http://127.0.0.1:$FPORT/")
  read -r nrps np50 np99 < <(run_wrk "http://127.0.0.1:$NPORT/")
  read -r hrps hp50 hp99 < <(run_wrk "http://127.0.0.1:$HPORT/")
  printf '%-6s %-8s %12s %10s %10s\n' "$r" fridhem "$frps" "$fp50" "$fp99"
  printf '%-6s %-8s %12s %10s %10s\n' "$r" nginx "$nrps" "$np50" "$np99"
  printf '%-6s %-8s %12s %10s %10s\n' "$r" hyper "$hrps" "$hp50" "$hp99"
  fsum=$((fsum + frps)); nsum=$((nsum + nrps)); hsum=$((hsum + hrps))
  fall+=("$frps"); nall+=("$nrps"); hall+=("$hrps")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
fmed=$(median "${fall[@]}"); nmed=$(median "${nall[@]}"); hmed=$(median "${hall[@]}")
favg=$((fsum / ROUNDS)); navg=$((nsum / ROUNDS)); havg=$((hsum / ROUNDS))
echo
echo "mean requests/s:   fridhem $favg, nginx $navg, hyper $havg"
echo "median requests/s: fridhem $fmed, nginx $nmed, hyper $hmed"
# Rounds on a shared machine swing by a third; the median of each server
# is the steadier basis for the ratios, the means are shown beside them.
echo "ratio fridhem/nginx: $(awk -v f="$fmed" -v n="$nmed" 'BEGIN { printf "%.2f", f / n }') of medians, $(awk -v f="$favg" -v n="$navg" 'BEGIN { printf "%.2f", f / n }') of means (target ≥ 1.0)"
echo "ratio fridhem/hyper: $(awk -v f="$fmed" -v n="$hmed" 'BEGIN { printf "%.2f", f / n }') of medians, $(awk -v f="$favg" -v n="$havg" 'BEGIN { printf "%.2f", f / n }') of means (target ≥ 0.9)"
echo "fridhem RSS at start:                          $rss_start"
echo "fridhem RSS after every page in every encoding: $rss_warm"
echo "fridhem RSS after load:                        $(rss_mb)"

# Where the per-request time goes: the same server without its log line,
# and a route with no page (routing, middleware, headers and log only).
QPORT="$(free_port)"
(cd "$work" && mkdir -p quiet && cd quiet && exec env FRIDHEM_WORKER_THREADS=1 FRIDHEM_LOG=off \
  FRIDHEM_BIND="127.0.0.1:$QPORT" taskset -c "$SERVER_CPU" "$BIN" >/dev/null 2>&1) &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$QPORT/readyz" >/dev/null && break; sleep 0.1; done
taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$QPORT/" >/dev/null
echo
echo "per-request overhead (one round each):"
read -r a _ _ < <(run_wrk "http://127.0.0.1:$FPORT/")
read -r b _ _ < <(run_wrk "http://127.0.0.1:$QPORT/")
read -r c _ _ < <(run_wrk "http://127.0.0.1:$FPORT/healthz")
printf '  %-44s %8s req/s\n' "start page, with request log" "$a" "start page, request log off" "$b" "/healthz (routing + headers + log, no page)" "$c"
awk -v a="$a" -v b="$b" 'BEGIN { printf "  request log line costs about %.2f us per request\n", (1e6/a - 1e6/b) }'

# Every kind of public GET, against the start page: pages with "open now",
# the form pages (their token changes per minute, not per visitor), open
# data, links with a prefilled field, junk query strings and unknown paths.
# Pages without a query string are answered by the front door once cached
# (src/web/front.rs); with a query string (never kept there, for privacy)
# and for errors they go through the router, which costs about twice as
# much per request: compare those lines with each other.
KIND_DURATION="${KIND_DURATION:-3}"
service_id="$(curl -fs "http://127.0.0.1:$FPORT/openreferral/services" | python3 -c 'import json,sys; print(json.load(sys.stdin)["contents"][0]["id"])')"
echo
echo "every kind of public page (${KIND_DURATION} s each, requests/s and share of the start page):"
run_kind() { # label url
  local out; out="$(DURATION="$KIND_DURATION" run_wrk "$2")"
  read -r rps p50 p99 <<<"$out"
  printf '  %-46s %8s req/s  %5s  p99 %s ms\n' "$1" "$rps" "$(awk -v a="$rps" -v b="$kind_base" 'BEGIN { printf "%.2f", a / b }')" "$p99"
}
kind_base="$(DURATION="$KIND_DURATION" run_wrk "http://127.0.0.1:$FPORT/" | cut -d' ' -f1)"
printf '  %-46s %8s req/s  %5s\n' "/ (start page)" "$kind_base" "1.00"
run_kind "/ar/ (Arabic start page)" "http://127.0.0.1:$FPORT/ar/"
run_kind "/fi/ (Finnish start page)" "http://127.0.0.1:$FPORT/fi/"
run_kind "/hjalp (open now)" "http://127.0.0.1:$FPORT/hjalp"
run_kind "/ar/hjalp (open now, Arabic)" "http://127.0.0.1:$FPORT/ar/hjalp"
run_kind "/hjalp?for=granne" "http://127.0.0.1:$FPORT/hjalp?for=granne"
run_kind "/en-manad-fri-fran-vald (programme)" "http://127.0.0.1:$FPORT/en-manad-fri-fran-vald"
run_kind "…?for=anstallda&format=digitalt (filtered)" "http://127.0.0.1:$FPORT/en-manad-fri-fran-vald?for=anstallda&format=digitalt"
run_kind "/evenemang/{id}-{slug} (event)" "http://127.0.0.1:$FPORT$event"
run_kind "/evenemang/{id}-{slug}.ics" "http://127.0.0.1:$FPORT$event.ics"
run_kind "/evenemang/kalender.ics (feed)" "http://127.0.0.1:$FPORT/evenemang/kalender.ics"
run_kind "/evenemang/kalender.ics?for=anstallda" "http://127.0.0.1:$FPORT/evenemang/kalender.ics?for=anstallda"
run_kind "/kontakt (form)" "http://127.0.0.1:$FPORT/kontakt"
run_kind "/kontakt?amne=inte-ensam (prefilled)" "http://127.0.0.1:$FPORT/kontakt?amne=inte-ensam"
run_kind "/tillganglighet/rapportera?sida=/hjalp" "http://127.0.0.1:$FPORT/tillganglighet/rapportera?sida=%2Fhjalp"
run_kind "…/rapportera?sida=<made up>" "http://127.0.0.1:$FPORT/tillganglighet/rapportera?sida=%2Fx$RANDOM"
run_kind "/?utm_source=junk (junk query)" "http://127.0.0.1:$FPORT/?utm_source=junk&x=$RANDOM"
run_kind "/openreferral/services" "http://127.0.0.1:$FPORT/openreferral/services"
run_kind "/openreferral/services/{id}" "http://127.0.0.1:$FPORT/openreferral/services/$service_id"
run_kind "/openreferral/services?page=1&per_page=5" "http://127.0.0.1:$FPORT/openreferral/services?page=1&per_page=5"
run_kind "/openreferral/services/{unknown id} (404)" "http://127.0.0.1:$FPORT/openreferral/services/00000000-0000-4000-8000-000000000000"
run_kind "/finns-inte (404 page)" "http://127.0.0.1:$FPORT/finns-inte"

echo "fridhem RSS after every kind of page under load: $(rss_mb)"

echo
echo "first load per public page (the page carries its CSS and JS; brotli / gzip):"
printf '%-36s %8s %8s\n' page br gzip
for path in / /hjalp "/hjalp?for=granne" /orolig-for-nagon /inte-ensam /en-manad-fri-fran-vald "/en-manad-fri-fran-vald?for=anstallda" "$event" /tillganglighet /dolj-ditt-besok /personuppgifter /kontakt /tillganglighet/rapportera /tillganglighet/alternativt-format /finns-inte \
    $(for l in fi en ar fa so lattlast; do echo /$l/ /$l/hjalp /$l/orolig-for-nagon /$l/dolj-ditt-besok /$l/inte-ensam /$l/en-manad-fri-fran-vald /$l/finns-inte; done); do
  line=""
  for enc in br gzip; do
    html="$(curl -s -H "Accept-Encoding: $enc" "http://127.0.0.1:$FPORT$path" -o "$work/page.$enc" -w '%{size_download}')"
    total=$html
    for asset in $(curl -s "http://127.0.0.1:$FPORT$path" | grep -oE '(href|src)="/assets/[^"]+\.(css|js)"' | sed -E 's/.*"(.*)"/\1/'); do
      a=$(curl -s -H "Accept-Encoding: $enc" "http://127.0.0.1:$FPORT$asset" -o /dev/null -w '%{size_download}')
      total=$((total + a))
    done
    line="$line $(printf '%8s' "$total")"
  done
  printf '%-36s%s\n' "$path" "$line"
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
