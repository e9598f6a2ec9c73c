#!/usr/bin/env bash
# Differential test: tobops against a private ClickHouse 18.16 on the demo data (trend,
# funnel and retention, figure by figure). See tests/differential/README.md.
# Usage: bash tests/differential/run.sh   (from anywhere)
# Env: TOBOPS_BIN — the tobops binary (default build/tobops relative to the repo root);
#      TOBOPS_DIFF_EVENTS — data size (default 250000); TOBOPS_DIFF_KEEP=1 keeps the data.
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
# Never skipped: without ClickHouse the suite fails and says how to get it.
# (Debian puts clickhouse-server in /usr/sbin, off a normal user's PATH.)
for tool in clickhouse-server clickhouse-client; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "differential tests: $tool is not installed; run scripts/install-deps.sh --with-clickhouse" >&2
    exit 1
  fi
done
# Test a snapshot of the binary, so that a rebuild during the run does not break it.
snapshot_dir="$(mktemp -d "${TMPDIR:-/tmp}/tobops-diff-bin.XXXXXX")"
trap 'rm -rf "$snapshot_dir"' EXIT
cp "$bin" "$snapshot_dir/tobops"
export TOBOPS_BIN="$snapshot_dir/tobops"
node --test --test-concurrency=1 tests/differential/
