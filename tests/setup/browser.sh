#!/usr/bin/env bash
# Installs what the browser tests (tests/browser/) need, once per machine: Debian's
# `chromium` (/usr/bin/chromium), a Japanese font (`fonts-ipaexfont-gothic`; without
# one the screenshots and the leaflet PDF show empty boxes for every kana and kanji)
# and the npm package `playwright-core`, pinned below,
# into ${MIMAMORI_CACHE:-/var/cache/mimamori}/browser (outside the clone). Playwright's
# own browser download (`npx playwright install`) is never used: the tests drive the
# Debian Chromium. A second run finds everything and only prints where it is.
# Progress goes to stderr; the last line on stdout is the node_modules folder to put
# in NODE_PATH. Needs root on Debian 12 with Debian's archive and the npm registry
# reachable.
set -euo pipefail

PLAYWRIGHT_VERSION=1.65.1
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
dir=$cache/browser
export DEBIAN_FRONTEND=noninteractive

# Installs the named Debian packages; refreshes the package lists only when the
# install fails without it (a fresh machine may have none yet).
apt_install() {
  echo "browser setup: installing $* from Debian" >&2
  if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

[ -x /usr/bin/chromium ] || apt_install chromium
dpkg-query -W -f='${Status}' fonts-ipaexfont-gothic 2>/dev/null | grep -q 'install ok installed' \
  || apt_install fonts-ipaexfont-gothic
command -v npm >/dev/null || apt_install npm
command -v node >/dev/null || apt_install nodejs

installed=$(node -e 'try { console.log(require(process.argv[1]).version) } catch { }' \
  "$dir/node_modules/playwright-core/package.json" 2>/dev/null || true)
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
  echo "browser setup: installing playwright-core $PLAYWRIGHT_VERSION from npm" >&2
  mkdir -p "$dir"
  cat >"$dir/package.json" <<EOF
{
  "name": "mimamori-browser-tests",
  "private": true,
  "description": "playwright-core for tests/browser of Mimamori, driving Debian's /usr/bin/chromium",
  "dependencies": { "playwright-core": "$PLAYWRIGHT_VERSION" }
}
EOF
  # No browser download: playwright-core has no install script, and this makes sure.
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >&2)
fi

for f in /usr/bin/chromium "$dir/node_modules/playwright-core/package.json"; do
  [ -e "$f" ] || { echo "browser setup: missing $f after install" >&2; exit 1; }
done
echo "browser setup: $(/usr/bin/chromium --version 2>/dev/null || echo chromium), playwright-core $PLAYWRIGHT_VERSION" >&2
echo "$dir/node_modules"
