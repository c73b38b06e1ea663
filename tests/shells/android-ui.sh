#!/usr/bin/env bash
# The Android app's screens on the JVM: kotlinc with the Compose compiler plugin compiles
# every screen, the navigation and the app's root (android/app/src/main/kotlin/…/ui, the
# code the Android build compiles too) against Compose Multiplatform's desktop artifacts,
# with the `core` module, the generated binding and the JVM side of the platform
# interfaces (android/app/src/desktop). `R` is made from the app's own
# res/values/strings.xml (the JVM's words read the very same files). Then the UI tests
# (android/app/src/desktopTest) run with the JUnit console (JUnit 4's Compose rule
# through the vintage engine) against the REAL core (libmobile_core.so through JNA),
# rendering pictures of the screens into build/shells/android-ui/pictures.
#
# Run from the repository root after tests/bindings.sh; installs its tools through
# tests/setup/kotlin.sh. Ends with "android-ui: N passed, N failed" and exits 0 only
# when tests ran and all of them passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/shells/android-ui
app=android/app/src
source "$root/tests/lib/jvm.sh"

fail() {
  echo "android-ui: $*" >&2
  echo "android-ui: 0 passed, 1 failed"
  exit 1
}

bash tests/setup/kotlin.sh || fail "tests/setup/kotlin.sh failed"
jvm_check || fail "tests/setup/kotlin.sh left files missing"
compose=$(compose_classpath)

# A private copy of the generated binding and library (a concurrent tests/bindings.sh
# empties build/bindings).
rm -rf "$out"
mkdir -p "$out/binding" "$out/lib" "$out/gen" "$out/main" "$out/test" "$out/pictures"
cp -r build/bindings/kotlin/. "$out/binding/" 2>/dev/null &&
  cp build/bindings/lib/libmobile_core.so "$out/lib/" 2>/dev/null ||
  fail "no generated binding in build/bindings: run tests/bindings.sh"

# R.string and R.plurals as Android's build would name them, from the default strings.
python3 - "$app/main/res/values/strings.xml" "$out/gen/R.kt" <<'PY' || fail "making R from strings.xml failed"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
kinds = {"string": [], "plurals": []}
for e in root:
    if e.tag in kinds:
        kinds[e.tag].append(e.get("name"))
lines = ["// Made by tests/shells/android-ui.sh from res/values/strings.xml.", "package jp.mimamori.app", "", "object R {"]
n = 0x7f010000
for kind, names in kinds.items():
    lines.append(f"    object {kind} {{")
    for name in names:
        n += 1
        lines.append(f"        const val {name}: Int = {n}")
    lines.append("    }")
lines.append("}")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY

sources() { find "$@" -name '*.kt' -print | sort; }
mapfile -t main_sources < <(sources "$out/binding" android/core/src/main "$app/main/kotlin/jp/mimamori/app/ui" "$app/desktop" "$out/gen")
# The mail folder is read as the live suites read it (one copy of that reader).
mapfile -t test_sources < <(sources "$app/desktopTest" tests/live/kotlin/MailFolder.kt)
[ ${#test_sources[@]} -gt 0 ] || fail "no test sources under $app/desktopTest"

compile() {
  local dest=$1 classpath=$2 log=$3
  shift 3
  "$kotlinc" -nowarn -no-stdlib -jvm-target 17 -Xplugin="$compose_plugin" -d "$dest" -cp "$classpath" "$@" >"$log" 2>&1 || {
    cat "$log" >&2
    return 1
  }
}
echo "android-ui: compiling the screens, the navigation and the app's root (${#main_sources[@]} files with the binding and core)"
compile "$out/main" "$stdlib:$coroutines:$jna:$compose" "$out/kotlinc-main.log" "${main_sources[@]}" ||
  fail "compiling the screens for the JVM failed"
echo "android-ui: compiling the UI tests (${#test_sources[@]} files)"
compile "$out/test" "$out/main:$stdlib:$coroutines:$jna:$compose:$junit" "$out/kotlinc-test.log" "${test_sources[@]}" ||
  fail "compiling android/app/src/desktopTest failed"

# The journeys of a signed-in person run against the real backend (tests/live/server.sh):
# one server with a centre and cases for each language and font scale (the phone's
# owner and a household member), and one that accepts no app older than the newest
# protocol (an app asked to update). The cases' values go to a 0600 file the tests read.
source "$root/tests/live/server.sh"
echo "android-ui: building and starting the backend"
live_build || fail "cargo build -p backend failed"
server=$root/$out/server
old_server=$root/$out/old-app-server
mkdir -p "$server" "$old_server"
admin_email=admin@ui.example.jp
centre_number=03-5555-0202
admin_password="Ui-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Q9"
trap 'stop_all; rm -f "$server/staff-auth.header"' EXIT
trap 'exit 130' INT TERM
create_centre "$server/mimamori.db" 画面試験保健所 "$centre_number" "$admin_email" "$admin_password" ||
  fail "create-centre failed"
start_server "$server" "$server/mimamori.db" || fail "the server did not start"
url=$started_url
start_server "$old_server" "$old_server/mimamori.db" --min-app-protocol 1000 || fail "the second server did not start"
old_url=$started_url
auth=$server/staff-auth.header
staff_sign_in "$url" "$admin_email" "$admin_password" "$auth" || fail "staff login failed"
unset admin_password
start=$(date -d yesterday +%F)
end=$(date -d '+9 days' +%F)
cases=$server/cases.tsv
(umask 077 && : >"$cases")
declare -A case_ids=()
n=0
for who in ja-x1.0 ja-x2.0 en-x1.0 en-x2.0; do
  for role in owner member; do
    n=$((n + 1))
    create_case "$n" || fail "creating a case failed"
    case_ids[$who-$role]=$case_id
    printf '%s\t%s\t%s\t%s\t%s\n' "$who-$role" "$input_id" "$name" "$dob" "$phone" >>"$cases"
  done
done
export MIMAMORI_UI_LIVE_URL=$url MIMAMORI_UI_LIVE_OLD_URL=$old_url MIMAMORI_UI_LIVE_MAIL=$server/mail \
  MIMAMORI_UI_LIVE_DB=$server/mimamori.db MIMAMORI_UI_LIVE_CASES=$cases MIMAMORI_UI_LIVE_CENTRE_NUMBER=$centre_number
echo "android-ui: server on $url, an old app's server on $old_url, ${#case_ids[@]} cases"

export MIMAMORI_UI_RES=$root/$app/main/res
export MIMAMORI_UI_PICTURES=$root/$out/pictures
# Headless, and the clock of a phone set to Japan for the screens and the core alike
# (times on screen are local, and so is the day a report is for).
export TZ=Asia/Tokyo JAVA_TOOL_OPTIONS="-Djava.awt.headless=true -Duser.timezone=Asia/Tokyo ${JAVA_TOOL_OPTIONS:-}"
source "$root/tests/lib/junit.sh"
status=0
run_junit android-ui-tests "$out" "$out/test:$out/main:$jvm_runtime:$compose" jp.mimamori.app "$out/lib" >"$out/run.log" 2>&1 || status=1
cat "$out/run.log"
# What the server now holds: each journey's reports arrived once (the owner's three,
# one of them saved offline; the member's one), nothing lost, nothing twice.
passed=$(sed -n 's/^android-ui-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out/run.log" | tail -n 1)
failed=$(sed -n 's/^android-ui-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out/run.log" | tail -n 1)
passed=${passed:-0} failed=${failed:-1}
for key in "${!case_ids[@]}"; do
  want=3
  [ "${key##*-}" = member ] && want=1
  got=$(curl -sf "$url/api/v1/cases/${case_ids[$key]}/reports" -H @"$auth" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reports"]))')
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    echo "android-ui: the server holds ${got:-no} reports of the $key case, expected $want" >&2
    failed=$((failed + 1))
  fi
done
pictures=$(find "$out/pictures" -name '*.png' | sort)
echo "android-ui: $(printf '%s\n' "$pictures" | grep -c .) pictures in $out/pictures:"
printf '%s\n' "$pictures" | sed 's|^|  |'
echo "android-ui: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
