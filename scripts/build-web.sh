#!/usr/bin/env bash
# Builds the web console (web/ → web/dist) with npm, only when its sources changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=dist/.build-stamp
if [ -f "$stamp" ] && [ -z "$(find src index.html package.json package-lock.json vite.config.js -newer "$stamp" 2>/dev/null | head -n 1)" ]; then
  echo "web: console is up to date"
  exit 0
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "web: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "web: building the console"
npm run build --silent
touch "$stamp"
