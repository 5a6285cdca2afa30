#!/usr/bin/env bash
# ODM export at growing study sizes (issue 9 scope 4; R-CP-1): the replay demo with the built-in study's enrolment
# target raised to N (full audit histories: every value through the audited services), then `carta export odm` as the
# demo investigator, timed with its peak resident memory. Memory should stay flat as N grows (the archive is built one
# participant at a time, SpooledODMArchive).
#
#   Benchmarks/load/run-odm-export.sh                    # N = 5 10 40; release build into /tmp/bench-build
#   CARTA_BIN=.build/debug/carta SIZES="5 40" Benchmarks/load/run-odm-export.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${SIZES:-"5 10 40"}
if [ -z "${CARTA_BIN:-}" ]; then
  (cd Benchmarks && swift build -c release --scratch-path /tmp/bench-build --product carta >&2)
  CARTA_BIN=/tmp/bench-build/release/carta
fi
DIR=$(mktemp -d /tmp/carta-odm-bench.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
echo "$(nproc) cores, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), $(date -u +%Y-%m-%dT%H:%MZ), $CARTA_BIN"
printf '%s\t%s\t%s\t%s\t%s\n' participants values archive_bytes seconds peak_rss_kib
for N in $SIZES; do
  STUDY="$DIR/study-$N.yaml"
  sed "s/^  targetEnrolment: 5\$/  targetEnrolment: $N/" Sources/CartaStudy/Resources/NCT05315778.yaml > "$STUDY"
  grep -q "^  targetEnrolment: $N\$" "$STUDY" || { echo "could not raise the enrolment target" >&2; exit 1; }
  DB="sqlite://$DIR/d-$N.sqlite"
  "$CARTA_BIN" demo --db "$DB" --study "$STUDY" --participants "$N" --seed 3 > "$DIR/demo-$N.log" 2>&1
  VALUES=$(grep -o '[0-9]* values' "$DIR/demo-$N.log" | head -1 | cut -d' ' -f1)
  PASSWORD=$(awk '$1 == "demo-investigator" {print $3}' "$DIR/demo-$N.log")
  echo "$PASSWORD" | /usr/bin/time -v "$CARTA_BIN" export odm --db "$DB" --study "$STUDY" --user demo-investigator \
      --out "$DIR/odm-$N.xml" > "$DIR/export-$N.log" 2>&1
  SECONDS_TAKEN=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$DIR/export-$N.log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/export-$N.log")
  printf '%s\t%s\t%s\t%s\t%s\n' "$N" "$VALUES" "$(stat -c %s "$DIR/odm-$N.xml")" "$SECONDS_TAKEN" "$RSS"
done
