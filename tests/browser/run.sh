#!/usr/bin/env bash
# Browser test: starts the real `tobops serve` on freshly generated demo data on a
# free loopback port, then drives the console with playwright-core + Debian chromium.
# Usage: bash tests/browser/run.sh [test files…]   (default: every *.test.mjs here)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${TOBOPS_BIN:-$root/build/tobops}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

password="browser-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "browser: generating demo data (200k events)"
"$bin" demo --data "$work/data" --events 200000 >/dev/null
"$bin" serve --data "$work/data" --port 0 --port-file "$work/port" --admin-password "$password" \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; echo "browser: server exited"; exit 1; }
  sleep 0.1
done
[ -s "$work/port" ] || { cat "$work/server.log"; echo "browser: server did not start"; exit 1; }
export TOBOPS_URL="http://127.0.0.1:$(tr -d '\n' <"$work/port")"
export TOBOPS_ADMIN_PASSWORD="$password"
export TOBOPS_REQUIRE_SERVER=1
cd "$here"
if [ "$#" -gt 0 ]; then
  node --test --test-concurrency=1 "$@"
else
  node --test --test-concurrency=1 .
fi
