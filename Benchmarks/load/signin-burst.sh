#!/usr/bin/env bash
# /healthz latency while N wrong API sign-ins run at once (issue 7: "16 parallel wrong sign-ins make
# /healthz take 14 s"). Usage: Benchmarks/load/signin-burst.sh [path/to/carta] [N]
# Starts `carta serve` on a fresh SQLite file, fires N wrong-password POST /api/v1/tokens in parallel,
# and times /healthz every 100 ms until they have all answered. Prints the slowest /healthz and the burst time.
set -euo pipefail
BIN=${1:-$(swift build --show-bin-path)/carta}
N=${2:-16}
PORT=${PORT:-18123}
DIR=$(mktemp -d /tmp/carta-burst.XXXXXX)
trap 'kill $SERVER 2>/dev/null; rm -rf "$DIR"' EXIT
CARTA_ADMIN_PASSWORD="burst-root-pass-2026" "$BIN" serve --db "sqlite://$DIR/b.sqlite" --port "$PORT" >"$DIR/log" 2>&1 &
SERVER=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$DIR/log"; exit 1; }
start=$(date +%s.%N)
for i in $(seq 1 "$N"); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"user$i\",\"password\":\"wrong-password-$i-xx\"}" "http://127.0.0.1:$PORT/api/v1/tokens" &
done
worst=0
while [ "$(jobs -rp | grep -vc "^$SERVER$")" -gt 0 ]; do
  t=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/healthz" || echo 99)
  worst=$(awk -v a="$worst" -v b="$t" 'BEGIN { print (b > a ? b : a) }')
  [ -n "${VERBOSE:-}" ] && echo "healthz $t s"
  sleep 0.1
done
end=$(date +%s.%N)
python3 -c "print(f'N={$N} wrong sign-ins: burst {($end-$start):.2f} s; slowest /healthz during it {$worst*1000:.1f} ms')"
