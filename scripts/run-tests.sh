#!/usr/bin/env bash
# Runs every test: unit (ctest), integration (real server, real HTTP, real Segment
# client, crash loop) and browser (playwright-core driving Debian's chromium).
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
