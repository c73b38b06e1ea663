#!/usr/bin/env bash
# Installs what the browser tests (tests/browser/) need, once per machine: Debian's
# `chromium` (/usr/bin/chromium), a Japanese font (`fonts-ipaexfont-gothic`; without
# one the screenshots and the leaflet PDF show empty boxes for every kana and kanji)
# and the npm packages `playwright-core` and `fhirpath` (the FHIRPath engine with its
# R4 model, the second FHIR validator beside tests/fhir's fhir.resources), pinned below,
# into ${MIMAMORI_CACHE:-/var/cache/mimamori}/browser (outside the clone). Playwright's
# own browser download (`npx playwright install`) is never used: the tests drive the
# Debian Chromium. A second run finds everything and only prints where it is; two runs
# at once share one install (tests/setup/lib.sh).
# Progress goes to stderr; the last line on stdout is the node_modules folder to put
# in NODE_PATH. Needs root on Debian 12 with Debian's archive and the npm registry
# reachable.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PLAYWRIGHT_VERSION=1.65.1
FHIRPATH_VERSION=5.2.2
dir=$cache/browser

setup_apt_install chromium fonts-ipaexfont-gothic
command -v npm >/dev/null || setup_apt_install npm
command -v node >/dev/null || setup_apt_install nodejs

installed() {
  node -e 'try { console.log(process.argv.slice(1).map((p) => require(p).version).join(" ")) } catch { }' \
    "$dir/node_modules/playwright-core/package.json" "$dir/node_modules/fhirpath/package.json" 2>/dev/null || true
}
want="$PLAYWRIGHT_VERSION $FHIRPATH_VERSION"
[ "$(installed)" = "$want" ] || setup_lock browser
if [ "$(installed)" != "$want" ]; then
  echo "browser setup: installing playwright-core $PLAYWRIGHT_VERSION and fhirpath $FHIRPATH_VERSION from npm" >&2
  setup_tmp tmp browser
  printf '%s\n' '{' '  "name": "mimamori-browser-tests",' '  "private": true,' \
    '  "description": "playwright-core for tests/browser of Mimamori, driving Debian'"'"'s /usr/bin/chromium",' \
    "  \"dependencies\": { \"playwright-core\": \"$PLAYWRIGHT_VERSION\", \"fhirpath\": \"$FHIRPATH_VERSION\" }" '}' >"$tmp/package.json"
  # No browser download: playwright-core has no install script, and this makes sure.
  (cd "$tmp" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >&2)
  setup_commit "$tmp" "$dir"
fi

for f in /usr/bin/chromium "$dir/node_modules/playwright-core/package.json" "$dir/node_modules/fhirpath/package.json"; do
  [ -e "$f" ] || { echo "browser setup: missing $f after install" >&2; exit 1; }
done
echo "browser setup: $(/usr/bin/chromium --version 2>/dev/null || echo chromium), playwright-core $PLAYWRIGHT_VERSION, fhirpath $FHIRPATH_VERSION" >&2
echo "$dir/node_modules"
