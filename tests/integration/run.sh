#!/usr/bin/env bash
# Runs the integration tests (real tobops server, real HTTP, real Segment client, crash loop).
# Usage: bash tests/integration/run.sh   (from anywhere; run `npm ci` in tests/integration first)
# Env: TOBOPS_BIN — the tobops binary (default build/tobops relative to the repo root).
set -euo pipefail
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
cd "$repo_root"
bin="${TOBOPS_BIN:-build/tobops}"
case "$bin" in
  /*) ;;
  *) bin="$repo_root/$bin" ;;
esac
if [ ! -x "$bin" ]; then
  echo "tobops binary not found or not executable: $bin (build it first)" >&2
  exit 1
fi
if [ ! -d "$script_dir/node_modules/@segment/analytics-node" ]; then
  echo "missing node_modules: run 'npm ci' in tests/integration first" >&2
  exit 1
fi
# Test a snapshot of the binary, so that a rebuild during the run does not break it.
snapshot_dir="$(mktemp -d "${TMPDIR:-/tmp}/tobops-it-bin.XXXXXX")"
trap 'rm -rf "$snapshot_dir"' EXIT
cp "$bin" "$snapshot_dir/tobops"
export TOBOPS_BIN="$snapshot_dir/tobops"
node --test --test-concurrency=1 tests/integration/
