#!/usr/bin/env bash
# Installs what tobops needs to build, run and test on Debian 12, from Debian's
# packages and the npm registry only. Idempotent: does nothing for what is present.
# Usage: scripts/install-deps.sh [--with-browser] [--with-clickhouse]
set -euo pipefail

want_browser=0
want_clickhouse=0
for arg in "$@"; do
  case "$arg" in
    --with-browser) want_browser=1 ;;
    --with-clickhouse) want_clickhouse=1 ;;
    *) echo "install-deps: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake pkg-config git ca-certificates tzdata
  libsimdjson-dev nlohmann-json3-dev libcpp-httplib-dev libsqlite3-dev
  libzstd-dev liblz4-dev libxxhash-dev libcli11-dev libfmt-dev libspdlog-dev
  libsodium-dev libgtest-dev libgmock-dev libbenchmark-dev zlib1g-dev libssl-dev
  libcctz-dev libxlsxwriter-dev libjemalloc-dev clang-format curl
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
[ "$want_browser" = 1 ] && packages+=(chromium)
[ "$want_clickhouse" = 1 ] && packages+=(clickhouse-server clickhouse-client)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: all Debian packages present"
fi
