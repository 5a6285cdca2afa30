#!/usr/bin/env bash
# Kaplan–Meier on 1,000,000 subjects: Carta (release build, one core) vs Python lifelines, same data.
# Usage: Benchmarks/run-km.sh [CSV_PATH=/tmp/km-1m.csv] [SUBJECTS=1000000]
# Needs: Swift 6.3, python3 with lifelines (pip install lifelines).
# KMBENCH_BIN=/path/to/KMBench skips the build and runs that binary instead.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
csv="${1:-/tmp/km-1m.csv}"
subjects="${2:-1000000}"
scratch="${KMBENCH_SCRATCH:-/tmp/bench-build}"
# Pin both to one core so neither gains from threads.
pin=""; command -v taskset >/dev/null && pin="taskset -c 0"
bin="${KMBENCH_BIN:-$scratch/release/KMBench}"
if [ -z "${KMBENCH_BIN:-}" ]; then
  (cd "$here" && swift build -c release --scratch-path "$scratch" --product KMBench)
fi
echo "== Carta ($(date -u +%FT%TZ), $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p'))"
OMP_NUM_THREADS=1 $pin "$bin" "$csv" "$subjects"
echo "== lifelines"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $pin python3 "$here/lifelines_km.py" "$csv"
