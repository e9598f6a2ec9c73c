#!/usr/bin/env bash
# tobops ingest benchmark: tobops file import, tobops HTTP ingest with durable acks,
# ClickHouse 18.16 and DuckDB CSV loads of the same demo data. See bench/README.md.
#
# Usage: bench/ingest/run.sh [--events N] [--runs R] [--http-runs R] [--batch B]
#                            [--conns C] [--skip-install] [--keep] [--workdir DIR]
set -euo pipefail

EVENTS=10000000
RUNS=3
HTTP_RUNS=
BATCH=500
CONNS=8
SKIP_INSTALL=0
KEEP=0
WORKDIR_BASE=${TMPDIR:-/tmp}

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --events) EVENTS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --http-runs) HTTP_RUNS=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --skip-install) SKIP_INSTALL=1; shift ;;
    --keep) KEEP=1; shift ;;
    --workdir) WORKDIR_BASE=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
HTTP_RUNS=${HTTP_RUNS:-$RUNS}

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
OUT_DIR="$BENCH_DIR/out"
TOBOPS=${TOBOPS:-$ROOT/build/tobops}
LOAD_CLIENT="$OUT_DIR/tobops-bench-load"
mkdir -p "$OUT_DIR"

T_START=$(date +%s)
say() { printf '[ingest %4ss] %s\n' "$(( $(date +%s) - T_START ))" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
dir_bytes() { du -sb "$1" | cut -f1; }
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# ---------------------------------------------------------------- cleanup on exit
WORK=
SERVE_PID=
# shellcheck disable=SC2034  # used by ch_start/ch_stop in clickhouse.sh
CH_PID=
# shellcheck source=clickhouse.sh
source "$BENCH_DIR/ingest/clickhouse.sh"
stop_serve() {
  if [ -n "$SERVE_PID" ] && kill -0 "$SERVE_PID" 2>/dev/null; then
    kill -TERM "$SERVE_PID" 2>/dev/null || true
    for _ in $(seq 1 240); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$SERVE_PID" 2>/dev/null || true
  fi
  [ -n "$SERVE_PID" ] && wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_serve
  ch_stop
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    if [ "$KEEP" = 1 ]; then say "kept work dir $WORK"; else rm -rf "$WORK"; fi
  fi
  [ "$rc" = 0 ] || say "FAILED (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- 1. dependencies
if [ "$SKIP_INSTALL" = 0 ]; then
  say "installing dependencies (scripts/install-deps.sh --with-clickhouse, npm ci in bench/)"
  "$ROOT/scripts/install-deps.sh" --with-clickhouse
  (cd "$BENCH_DIR" && { npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) >&2
fi
command -v clickhouse-server >/dev/null || { echo "clickhouse-server missing" >&2; exit 1; }
[ -d "$BENCH_DIR/node_modules/@duckdb/node-api" ] || { echo "run without --skip-install: @duckdb/node-api missing" >&2; exit 1; }
if [ ! -x "$TOBOPS" ]; then
  say "building tobops"
  cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build" --target tobops -j2
fi
if [ ! -x "$LOAD_CLIENT" ] || [ "$BENCH_DIR/ingest/load_client.cc" -nt "$LOAD_CLIENT" ]; then
  say "building the HTTP load client"
  # shellcheck disable=SC2046
  ${CXX:-g++} -O2 -std=c++20 "$BENCH_DIR/ingest/load_client.cc" \
    $(pkg-config --cflags --libs cpp-httplib) -pthread -o "$LOAD_CLIENT"
fi

WORK=$(mktemp -d "$WORKDIR_BASE/tobops-bench.XXXXXX")
RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
say "work dir $WORK; $EVENTS events, $RUNS runs (HTTP: $HTTP_RUNS), batch $BATCH, $CONNS connections"

# ---------------------------------------------------------------- 2. demo data
NDJSON="$WORK/events.ndjson"
say "generating the demo data set"
"$TOBOPS" demo --events "$EVENTS" --out "$NDJSON"
echo >&2
LINES=$(wc -l < "$NDJSON")
NDJSON_BYTES=$(stat -c %s "$NDJSON")
say "demo data: $LINES messages, $NDJSON_BYTES bytes"

# ---------------------------------------------------------------- 3. tobops file import
for run in $(seq 1 "$RUNS"); do
  DATA="$WORK/tobops-import"
  rm -rf "$DATA"
  say "tobops import, run $run/$RUNS"
  t0=$(now)
  "$TOBOPS" import --data "$DATA" "$NDJSON" 2> >(tee "$WORK/import.log" >&2) >"$WORK/import.out"
  t1=$(now)
  secs=$(elapsed "$t0" "$t1")
  summary=$(cat "$WORK/import.out" "$WORK/import.log" | grep -o 'imported [0-9]* messages in [0-9.]* s: [0-9]* stored, [0-9]* duplicates, [0-9]* rejected' | tail -1)
  stored=$(echo "$summary" | sed -E 's/.*: ([0-9]+) stored.*/\1/')
  [ -n "$stored" ] || { echo "cannot read the import summary" >&2; exit 1; }
  EV="$DATA/projects/default/events"
  bytes=$(dir_bytes "$EV")
  seg=$(find "$EV" -name 'seg-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  wal=$(find "$EV" -name 'wal-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  dedup=$(find "$EV" -name 'dedup-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  say "tobops import run $run: $stored events in $secs s = $(awk -v n="$stored" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') events/s; $bytes bytes on disk ($(awk -v b="$bytes" -v n="$stored" 'BEGIN{printf "%.1f", b/n}') B/event; segments $seg, dedup $dedup, WAL $wal)"
  printf '{"kind":"tobops_import","run":%d,"events":%s,"seconds":%s,"bytes":%s,"segments_bytes":%s,"extra":{"dedup_bytes":%s,"wal_bytes":%s,"summary":"%s"}}\n' \
    "$run" "$stored" "$secs" "$bytes" "$seg" "$dedup" "$wal" "$summary" >> "$RESULTS"
done
rm -rf "$WORK/tobops-import"

# ---------------------------------------------------------------- 4. tobops HTTP ingest
for run in $(seq 1 "$HTTP_RUNS"); do
  DATA="$WORK/tobops-http"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  KEY=$("$TOBOPS" keys create --data "$DATA" --kind write 2>/dev/null | grep -o 'tbw_[0-9a-f]*' | head -1)
  [ -n "$KEY" ] || { echo "cannot create a write key" >&2; exit 1; }
  rm -f "$WORK/port"
  "$TOBOPS" serve --data "$DATA" --host 127.0.0.1 --port 0 --port-file "$WORK/port" \
    --admin-password bench-admin-pw >"$WORK/serve.log" 2>&1 &
  SERVE_PID=$!
  for _ in $(seq 1 200); do [ -s "$WORK/port" ] && break; kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
  [ -s "$WORK/port" ] || { echo "tobops serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
  PORT=$(cat "$WORK/port")
  say "tobops HTTP ingest, run $run/$HTTP_RUNS (127.0.0.1:$PORT, batches of $BATCH, $CONNS connections)"
  res=$("$LOAD_CLIENT" --file "$NDJSON" --port "$PORT" --key "$KEY" --batch "$BATCH" --conns "$CONNS")
  accepted=$(echo "$res" | sed -E 's/.*"accepted":([0-9]+).*/\1/')
  secs=$(echo "$res" | sed -E 's/.*"seconds":([0-9.]+).*/\1/')
  t0=$(now)
  stop_serve
  stop_secs=$(elapsed "$t0" "$(now)")
  bytes=$(dir_bytes "$DATA/projects/default/events")
  seg=$(find "$DATA/projects/default/events" -name 'seg-*' -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
  say "tobops HTTP run $run: $accepted accepted in $secs s = $(awk -v n="$accepted" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') events/s (server stop/flush $stop_secs s; $bytes bytes on disk after stop)"
  printf '{"kind":"tobops_http","run":%d,"events":%s,"seconds":%s,"bytes":%s,"segments_bytes":%s,"extra":{"client":%s,"stop_seconds":%s}}\n' \
    "$run" "$accepted" "$secs" "$bytes" "$seg" "$res" "$stop_secs" >> "$RESULTS"
done
rm -rf "$WORK/tobops-http"

# ---------------------------------------------------------------- CSV for the peers
CSV="$WORK/events.csv"
say "converting NDJSON to CSV for ClickHouse and DuckDB (not counted in their load rates)"
t0=$(now)
node "$BENCH_DIR/ingest/ndjson_to_csv.mjs" "$NDJSON" "$CSV" >/dev/null
CSV_SECS=$(elapsed "$t0" "$(now)")
CSV_BYTES=$(stat -c %s "$CSV")
say "CSV: $CSV_BYTES bytes in $CSV_SECS s"
rm -f "$NDJSON"   # free the page cache / disk for the peers

# ---------------------------------------------------------------- 5. ClickHouse
CH_TCP=$(free_port)
CH_HTTP=$(free_port)
while [ "$CH_HTTP" = "$CH_TCP" ]; do CH_HTTP=$(free_port); done
say "starting clickhouse-server 127.0.0.1 tcp $CH_TCP http $CH_HTTP"
ch_start "$WORK/clickhouse" "$CH_TCP" "$CH_HTTP"
CH_VERSION=$(ch_client --query "SELECT version()")
DDL=$(node "$BENCH_DIR/ingest/schema.mjs" clickhouse events)
for run in $(seq 1 "$RUNS"); do
  ch_client --query "DROP TABLE IF EXISTS events"
  ch_client --query "$DDL"
  say "ClickHouse INSERT FORMAT CSV, run $run/$RUNS"
  t0=$(now)
  ch_client --query "INSERT INTO events FORMAT CSV" < "$CSV"
  secs=$(elapsed "$t0" "$(now)")
  t0=$(now)
  ch_client --query "OPTIMIZE TABLE events FINAL"
  opt_secs=$(elapsed "$t0" "$(now)")
  read -r rows bytes parts < <(ch_client --query "SELECT sum(rows), sum(bytes_on_disk), count() FROM system.parts WHERE database = 'default' AND table = 'events' AND active" --format TSV)
  say "ClickHouse run $run: $rows rows in $secs s = $(awk -v n="$rows" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') rows/s; OPTIMIZE FINAL $opt_secs s; $bytes bytes in $parts parts ($(awk -v b="$bytes" -v n="$rows" 'BEGIN{printf "%.1f", b/n}') B/row)"
  printf '{"kind":"clickhouse","run":%d,"events":%s,"seconds":%s,"bytes":%s,"extra":{"optimize_seconds":%s,"parts":%s,"version":"%s"}}\n' \
    "$run" "$rows" "$secs" "$bytes" "$opt_secs" "$parts" "$CH_VERSION" >> "$RESULTS"
done
ch_client --query "DROP TABLE IF EXISTS events"
ch_stop
rm -rf "$WORK/clickhouse"

# ---------------------------------------------------------------- 6. DuckDB
DUCK_VERSION=$(node -e 'console.log(require(process.argv[1]+"/node_modules/@duckdb/node-api/package.json").version)' "$BENCH_DIR")
for run in $(seq 1 "$RUNS"); do
  say "DuckDB COPY FROM CSV, run $run/$RUNS"
  res=$(cd "$BENCH_DIR/ingest" && node duckdb_load.mjs "$WORK/bench.duckdb" "$CSV")
  rows=$(echo "$res" | sed -E 's/.*"rows":([0-9]+).*/\1/')
  secs=$(echo "$res" | sed -E 's/.*"seconds":([0-9.]+).*/\1/')
  bytes=$(echo "$res" | sed -E 's/.*"file_bytes":([0-9]+).*/\1/')
  say "DuckDB run $run: $rows rows in $secs s = $(awk -v n="$rows" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') rows/s; file $bytes bytes ($(awk -v b="$bytes" -v n="$rows" 'BEGIN{printf "%.1f", b/n}') B/row)"
  printf '{"kind":"duckdb","run":%d,"events":%s,"seconds":%s,"bytes":%s,"extra":%s}\n' \
    "$run" "$rows" "$secs" "$bytes" "$res" >> "$RESULTS"
  rm -f "$WORK/bench.duckdb" "$WORK/bench.duckdb.wal"
done

# ---------------------------------------------------------------- 7. report
cp "$RESULTS" "$OUT_DIR/ingest-runs.jsonl"
META=$(printf '{"events":%s,"runs":%s,"http_runs":%s,"http_batch":%s,"http_connections":%s,"ndjson_bytes":%s,"ndjson_bytes_per_event":%s,"csv_bytes":%s,"csv_seconds":%s,"clickhouse_version":"%s","duckdb_node_api_version":"%s","tobops_version":"%s","host":"%s, %s cores"}' \
  "$LINES" "$RUNS" "$HTTP_RUNS" "$BATCH" "$CONNS" "$NDJSON_BYTES" \
  "$(awk -v b="$NDJSON_BYTES" -v n="$LINES" 'BEGIN{printf "%.1f", b/n}')" "$CSV_BYTES" "$CSV_SECS" \
  "$CH_VERSION" "$DUCK_VERSION" "$("$TOBOPS" version 2>/dev/null | head -1 | tr -d '"\\')" \
  "$(uname -m)" "$(nproc)")
node "$BENCH_DIR/ingest/report.mjs" "$RESULTS" "$OUT_DIR/ingest-results.json" "$META"
say "done in $(( $(date +%s) - T_START )) s"
