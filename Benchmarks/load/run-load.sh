#!/usr/bin/env bash
# Load benchmark of Carta's request path (issue 6 scope 7): wrk on loopback against a release build
# of `carta serve` on a fresh SQLite database with one fully screened participant.
#
#   Benchmarks/load/run-load.sh            # builds release into .build-release (slow the first time)
#   CARTA_BIN=/path/to/carta Benchmarks/load/run-load.sh
#   DURATION=10 CONNECTIONS=16 THREADS=2 (defaults)
#
# Prints a Markdown table: requests/s, p50 and p99 latency, and the ratio to /healthz in the same run.
# Needs wrk (apt-get install wrk) and Python `requests`.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}; CONNECTIONS=${CONNECTIONS:-16}; THREADS=${THREADS:-2}; PORT=${PORT:-18123}
if [ -z "${CARTA_BIN:-}" ]; then
  swift build -c release --product carta --scratch-path .build-release >&2
  CARTA_BIN=$(swift build -c release --scratch-path .build-release --show-bin-path)/carta
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
DIR=$(mktemp -d /tmp/carta-load.XXXXXX)
SERVER=""
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
DB="sqlite://$DIR/load.sqlite"
export LOAD_PASSWORD="load-bench-$(date +%s)-pw"
printf '%s\n' "$LOAD_PASSWORD" | "$CARTA_BIN" user add coord --role coordinator --db "$DB" >/dev/null
printf '%s\n' "$LOAD_PASSWORD" | "$CARTA_BIN" user add inv --role investigator --display-name "Dr Load" --db "$DB" >/dev/null
CARTA_ADMIN_PASSWORD="$LOAD_PASSWORD" "$CARTA_BIN" serve --db "$DB" --port "$PORT" >"$DIR/server.log" 2>&1 &
SERVER=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
python3 Benchmarks/load/setup_load.py "$URL" "$DIR" >&2
COOKIE=$(cat "$DIR/cookie"); TOKEN=$(cat "$DIR/token"); SUBJECT=$(cat "$DIR/subject")

run() { # name path [header]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$3" "$URL$2")
  else
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL$2")
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "$1|$2|$rps|$p50|$p99|${non2xx:-0}"
}
results=()
results+=("$(run healthz /healthz)")
results+=("$(run "unknown URL" /no/such/page)")
results+=("$(run dashboard / "Cookie: $COOKIE")")
results+=("$(run "API participant record" "/api/v1/participants/$SUBJECT" "Authorization: Bearer $TOKEN")")
results+=("$(run "participant page" "/participants/$SUBJECT" "Cookie: $COOKIE")")
health=$(cut -d'|' -f3 <<<"${results[0]}")
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Endpoint | Path | req/s | p50 | p99 | non-2xx | ratio to /healthz |"
echo "|---|---|---|---|---|---|---|"
for r in "${results[@]}"; do
  IFS='|' read -r name path rps p50 p99 bad <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$health" 'BEGIN {printf "%.2f", a/b}')
  echo "| $name | \`$path\` | $rps | $p50 | $p99 | $bad | $ratio |"
done
