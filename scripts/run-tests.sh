#!/usr/bin/env bash
# Runs every test: unit (ctest), integration (real server, real HTTP, real Segment
# client, crash loop), browser (playwright-core driving Debian's chromium) and
# differential (tobops against ClickHouse 18.16 on the demo data; needs
# scripts/install-deps.sh --with-clickhouse, and fails — never skips — without it).
# Usage: scripts/run-tests.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
export TOBOPS_BIN="$PWD/$build_dir/tobops"

echo "== unit tests (ctest)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"

for suite in integration browser; do
  if [ -f "tests/$suite/package.json" ]; then
    echo "== $suite tests"
    (cd "tests/$suite" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    bash "tests/$suite/run.sh"
  fi
done

echo "== differential tests (tobops vs ClickHouse)"
bash tests/differential/run.sh
