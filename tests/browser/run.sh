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

echo "browser tests: building the server" >&2
cargo build -p backend --bin mimamori-backend --quiet
bin=${CARGO_TARGET_DIR:-$root/target}/debug/mimamori-backend
[ -x "$bin" ] || { echo "browser tests: $bin was not built" >&2; exit 1; }

artifacts=$root/build/test-artifacts/browser
rm -rf "$artifacts"
mkdir -p "$artifacts"

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -f "$tmp/server.log" ] && cp "$tmp/server.log" "$artifacts/server.log"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$tmp/mimamori.db
mkdir -p "$tmp/mail" "$tmp/state"
"$bin" --database-url "$db" demo --fill-only >"$tmp/demo.txt"
cp "$tmp/demo.txt" "$artifacts/demo.txt"

# Port 0: the system picks a free port; the server prints the address it bound.
# Statistics of today are computed afresh on every view, so the tests see their reports.
MIMAMORI_STATS_MAX_AGE_SECONDS=0 \
"$bin" --database-url "$db" serve --listen 127.0.0.1:0 --mail-dir "$tmp/mail" >"$tmp/server.log" 2>&1 &
server_pid=$!
base=
for _ in $(seq 1 300); do
  base=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' "$tmp/server.log" | head -n 1)
  if [ -n "$base" ] && curl -sf -o /dev/null "$base/healthz"; then break; fi
  base=
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$base" ]; then
  echo "browser tests: the server did not come up:" >&2
  tail -n 20 "$tmp/server.log" >&2 || true
  exit 1
fi
echo "browser tests: server at $base" >&2

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
