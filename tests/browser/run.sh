#!/usr/bin/env bash
# Browser tests of the health-centre pages: installs Chromium and playwright-core
# (tests/setup/browser.sh), builds the server, fills a fresh SQLite database with the
# demo data, serves it on a free local port and runs tests/browser/*.test.js with
# node's built-in test runner against it (axe-core, pinned, checks the patient pages). Screenshots and the leaflet PDF go to
# build/test-artifacts/browser/. Exits non-zero when anything fails.
#
#   bash tests/browser/run.sh                 every test file
#   bash tests/browser/run.sh board person    only board.test.js and person.test.js
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

node_path=$(bash tests/setup/browser.sh | tail -n 1)
[ -d "$node_path/playwright-core" ] || { echo "browser tests: no playwright-core in '$node_path'" >&2; exit 1; }

# axe-core (the accessibility checks of the patient pages), pinned, in its own folder
# of the same cache so the playwright install above never prunes it.
AXE_VERSION=4.14.1
axe_dir=${MIMAMORI_CACHE:-/var/cache/mimamori}/browser-axe
installed=$(node -e 'try { console.log(require(process.argv[1]).version) } catch { }' "$axe_dir/node_modules/axe-core/package.json" 2>/dev/null || true)
if [ "$installed" != "$AXE_VERSION" ]; then
  echo "browser tests: installing axe-core $AXE_VERSION from npm" >&2
  mkdir -p "$axe_dir"
  printf '{ "name": "mimamori-browser-axe", "private": true, "dependencies": { "axe-core": "%s" } }\n' "$AXE_VERSION" >"$axe_dir/package.json"
  (cd "$axe_dir" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
[ -f "$axe_dir/node_modules/axe-core/axe.min.js" ] || { echo "browser tests: axe-core missing in $axe_dir" >&2; exit 1; }
node_path=$node_path:$axe_dir/node_modules

# Statistics of today are computed afresh on every view, so the tests see their reports.
. tests/lib/demo-server.sh
MIMAMORI_STATS_MAX_AGE_SECONDS=0 demo_server "browser tests" "$root/build/test-artifacts/browser"
mkdir -p "$tmp/state"

files=()
if [ $# -gt 0 ]; then
  for name in "$@"; do files+=("tests/browser/$name.test.js"); done
else
  files=(tests/browser/*.test.js)
fi

# One file at a time: the board tests compare counts before and after.
NODE_PATH=$node_path \
MIMAMORI_BASE_URL=$base \
MIMAMORI_DEMO_FILE=$tmp/demo.txt \
MIMAMORI_MAIL_DIR=$tmp/mail \
MIMAMORI_BROWSER_STATE=$tmp/state \
MIMAMORI_ARTIFACTS=$artifacts \
  node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
