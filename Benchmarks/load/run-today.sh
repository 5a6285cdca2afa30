#!/usr/bin/env bash
# Today screen and timeline benchmark (issue 8 "Performance"): a release build of `carta serve --demo`
# (5 participants with full data to month 6) on a fresh SQLite file; each page requested one after
# another on one connection, so p99 is server time plus loopback, not queueing.
#
#   Benchmarks/load/run-today.sh                 # builds release into /tmp/bench-build (slow the first time)
#   CARTA_BIN=/path/to/carta REQUESTS=2000 Benchmarks/load/run-today.sh
# Needs Python `requests`.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-18124}; REQUESTS=${REQUESTS:-2000}
if [ -z "${CARTA_BIN:-}" ]; then
  (cd Benchmarks && swift build -c release --scratch-path /tmp/bench-build --product carta >&2)
  CARTA_BIN=/tmp/bench-build/release/carta
fi
DIR=$(mktemp -d /tmp/carta-today.XXXXXX)
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
DB="sqlite://$DIR/demo.sqlite"
CARTA_ADMIN_PASSWORD="today-bench-$(date +%s)-pw" "$CARTA_BIN" serve --demo --db "$DB" --port "$PORT" >"$DIR/server.log" 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$URL/healthz" >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
echo "$(nproc) cores, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 Benchmarks/load/today_timeline.py "$URL" "$DIR/demo.sqlite.accounts" "$REQUESTS"
