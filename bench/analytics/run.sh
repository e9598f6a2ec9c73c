#!/usr/bin/env bash
# tobops analytics benchmark: six questions (trend, two funnels, retention, paths,
# health) asked of tobops, ClickHouse 18.16 and DuckDB on the same demo data; median
# times, tobops/peer ratios, peak memory, and a check that the answers agree.
# See bench/README.md "Analytics".
#
# Usage: bench/analytics/run.sh [--events 2000000[,10000000,...]] [--runs 5]
#                               [--time-limit SECONDS] [--skip-install] [--keep] [--workdir DIR]
# --time-limit (default 600): per question and engine, for the warm-up and runs together.
set -euo pipefail

EVENTS=2000000
RUNS=5
TIME_LIMIT=600
SKIP_INSTALL=0
KEEP=0
WORKDIR_BASE=${TMPDIR:-/tmp}

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --time-limit) TIME_LIMIT=$2; shift 2 ;;
    --skip-install) SKIP_INSTALL=1; shift ;;
    --keep) KEEP=1; shift ;;
    --workdir) WORKDIR_BASE=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR="$BENCH_DIR/out"
TOBOPS=${TOBOPS:-$ROOT/build/tobops}
mkdir -p "$OUT_DIR"
say() { printf '[analytics] %s\n' "$*" >&2; }

if [ "$SKIP_INSTALL" = 0 ]; then
  say "installing dependencies (scripts/install-deps.sh --with-clickhouse, npm ci in bench/)"
  "$ROOT/scripts/install-deps.sh" --with-clickhouse
  (cd "$BENCH_DIR" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) >&2
fi
{ command -v clickhouse-server >/dev/null || [ -x /usr/sbin/clickhouse-server ]; } || { echo "clickhouse-server missing: run scripts/install-deps.sh --with-clickhouse" >&2; exit 1; }
[ -d "$BENCH_DIR/node_modules/@duckdb/node-api" ] || { echo "@duckdb/node-api missing: run without --skip-install (npm ci in bench/)" >&2; exit 1; }
if [ ! -x "$TOBOPS" ]; then
  say "building tobops"
  cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$ROOT/build" --target tobops -j"$(nproc)"
fi

WORK=$(mktemp -d "$WORKDIR_BASE/tobops-analytics.XXXXXX")
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$KEEP" = 1 ]; then say "kept work dir $WORK"; else rm -rf "$WORK"; fi
  [ "$rc" = 0 ] || say "FAILED (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RESULTS="$OUT_DIR/analytics-runs.jsonl"
: > "$RESULTS"
status=0
IFS=',' read -r -a SIZES <<< "$EVENTS"
for n in "${SIZES[@]}"; do
  say "== $n events, $RUNS runs per question (work dir $WORK/$n)"
  node "$BENCH_DIR/analytics/bench.mjs" --events "$n" --runs "$RUNS" --time-limit "$TIME_LIMIT" --work "$WORK/$n" \
    --tobops "$TOBOPS" --results "$RESULTS" || status=$?
  [ "$KEEP" = 1 ] || rm -rf "${WORK:?}/$n"
done

echo
node "$BENCH_DIR/analytics/bench.mjs" --report "$RESULTS" | tee "$OUT_DIR/analytics-table.txt"
say "results: $RESULTS (every run), $OUT_DIR/analytics-table.txt"
exit "$status"
