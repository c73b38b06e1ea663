#!/usr/bin/env bash
# Runs the phone core's generated Kotlin and Swift bindings against the LIVE backend,
# with HTTP through the shells' own transports (Kotlin UrlConnectionTransport from
# android/core, Swift URLSessionTransport from ios/MimamoriKit): builds
# target/debug/mimamori-backend, starts it on a free 127.0.0.1 port with a fresh SQLite
# file and mail folder under build/live, creates a centre and its admin with the CLI
# (password on stdin), logs the admin in and creates two cases per language through the
# staff JSON API, then runs per language
#
#   - the live tests (tests/live/kotlin/LiveServerTest.kt, tests/live/swift/…/
#     LiveServerTests.swift): registration, three reports, sync, refusals;
#   - (Kotlin) the Android app's view models and repository from android/core
#     (tests/live/kotlin/AppFlowTest.kt) on cases of their own: registration, reports,
#     a refused report retried, a household member, the leaflet's link, sign-out, the
#     person's data requests answered by the centre on its page (signed in as the admin
#     with the password from a 0600 file here, removed on exit) and the disclosure;
#   - (Swift) the iOS app's screen models from ios/MimamoriKit
#     (tests/live/swift/…/AppLiveTests.swift) on cases of their own: the same flow;
#     and its journeys through the navigation model (JourneyTests.swift), in Japanese
#     and English, on four more cases, a third server that asks for an app update, and
#     the server's database (where a registration and a session are let expire);
#   - the transport contract suite (TransportContractTest.kt, TransportContractTests.swift,
#     the same cases as tests/e2e/tests/transport.rs for the Rust transport) against the
#     server and the faults of tests/live/faults.py: a listener that never answers, a
#     proxy that swallows every answer, a proxy that swallows the first batch answer
#     after the server committed; a closed port; and a second server whose mail folder
#     is replaced by a file, so that sending a code fails with a real 503 and JSON body;
#
# and finally asks the staff API that each case holds exactly the reports its tests
# synced (3 and 103: nothing lost, nothing twice) and the proxy's counts that exactly one
# batch answer was swallowed. Stops every process it started on exit.
#
#   tests/live/run.sh              both languages
#   tests/live/run.sh kotlin       only Kotlin (or: swift)
#
# Run from anywhere after tests/bindings.sh (Kotlin needs tests/setup/kotlin.sh, Swift
# tests/setup/swift.sh and root). Prints "LANG-live-tests: N passed, N failed" and
# "LANG-contract-tests: N passed, N failed", then ends with "kotlin-live: N passed,
# N failed" and/or "swift-live: N passed, N failed" (all tests, each staff or proxy check
# counting as one more) and exits 0 only when tests ran and all of them passed. Prints
# no token, code or password.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(kotlin swift)
out=$root/build/live
centre_name=ライブ保健所
centre_number=03-5555-0101
admin_email=admin@live.example.jp
# Reports the contract suites sync to their case: 1 (success) + 2 (lost answer) + 100.
contract_reports=103
# Nothing listens on port 1 of this machine: a connection there is refused at once.
closed_url=http://127.0.0.1:1
# The admin's password lives only in this process and the CLI's stdin.
admin_password="Live-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')-Q9"

fail() {
  echo "live: $*" >&2
  for lang in "${langs[@]}"; do echo "$lang-live: 0 passed, 1 failed"; done
  exit 1
}

for lang in "${langs[@]}"; do
  case $lang in kotlin | swift) ;; *) fail "unknown language $lang (kotlin or swift)" ;; esac
done
for f in build/bindings/lib/libmobile_core.so build/bindings/kotlin/uniffi/mobile_core/mobile_core.kt \
  build/bindings/swift/mobile_core.swift build/bindings/swift/mobile_coreFFI.h; do
  [ -e "$f" ] || fail "missing $f: run tests/bindings.sh"
done
source "$here/server.sh"
echo "live: building the backend"
live_build || fail "cargo build -p backend failed"

# Fresh server folders per run, inside the clone so the Swift chroot sees the same paths.
server=$out/server
broken=$out/broken-mail-server
rm -rf "$server" "$broken"
mkdir -p "$server" "$broken"
db=$server/mimamori.db

create_centre "$db" "$centre_name" "$centre_number" "$admin_email" "$admin_password" || fail "create-centre failed"

trap 'stop_all; rm -f "$server/staff-auth.header" "$server/admin-password"' EXIT
trap 'exit 130' INT TERM

start_server "$server" "$db" || fail "the server did not start"
url=$started_url
echo "live: server on $url, mail in $server/mail"
# The second server: once it runs, its mail folder becomes a file, so writing a code's
# mail fails and the request is answered 503 with the API's JSON error body.
start_server "$broken" "$broken/mimamori.db" || fail "the second server did not start"
broken_url=$started_url
# The third server accepts no app older than the newest: it answers "update required".
old_server=$out/old-app-server
rm -rf "$old_server" && mkdir -p "$old_server"
start_server "$old_server" "$old_server/mimamori.db" --min-app-protocol 1000 || fail "the old-app server did not start"
old_url=$started_url
rm -rf "$broken/mail" && : >"$broken/mail" || fail "cannot replace the second server's mail folder"
echo "live: second server (mail cannot be written) on $broken_url"

auth=$server/staff-auth.header
staff_sign_in "$url" "$admin_email" "$admin_password" "$auth" || fail "staff login failed"
# The centre's answer to a data request is given on its page, as staff give it: the
# tests sign in there as the admin, with the password read from this file (never logged).
(umask 077 && printf '%s\n' "$admin_password" >"$server/admin-password")
unset admin_password

start=$(date -d yesterday +%F)
end=$(date -d '+9 days' +%F)

# prepare LANG N: the live case (N) and the contract case (N + 2) of a language, and its
# faults; writes LANG.env with every value the tests read.
prepare() {
  local lang=$1 n=$2 stats=$out/$lang-faults.stats faults_out=$out/$lang-faults.out p line
  create_case $((n + 2)) || return 1
  contract_case=$case_id
  local c_name=$name c_dob=$dob c_phone=$phone c_input=$input_id
  create_case "$n" || return 1
  rm -f "$stats"
  python3 "$here/faults.py" "127.0.0.1:${url##*:}" "$stats" >"$faults_out" 2>"$out/$lang-faults.log" &
  p=$!
  pids+=("$p")
  for _ in $(seq 100); do grep -qx ready "$faults_out" && break; sleep 0.05; done
  grep -qx ready "$faults_out" || { cat "$out/$lang-faults.log" >&2; return 1; }
  port_of() { sed -n "s/^$1 \([0-9]*\)$/\1/p" "$faults_out"; }
  cat >"$out/$lang.env" <<EOF
MIMAMORI_LIVE_URL=$url
MIMAMORI_LIVE_MAIL_DIR=$server/mail
MIMAMORI_LIVE_EMAIL=$lang@live.example.jp
MIMAMORI_LIVE_NAME=$name
MIMAMORI_LIVE_DOB=$dob
MIMAMORI_LIVE_PHONE=$phone
MIMAMORI_LIVE_INPUT_ID=$input_id
MIMAMORI_LIVE_CENTRE=$centre_name
MIMAMORI_LIVE_CENTRE_NUMBER=$centre_number
MIMAMORI_LIVE_ADMIN_EMAIL=$admin_email
MIMAMORI_LIVE_ADMIN_PASSWORD_FILE=$server/admin-password
MIMAMORI_LIVE_CONTRACT_EMAIL=$lang-contract@live.example.jp
MIMAMORI_LIVE_CONTRACT_NAME=$c_name
MIMAMORI_LIVE_CONTRACT_DOB=$c_dob
MIMAMORI_LIVE_CONTRACT_PHONE=$c_phone
MIMAMORI_LIVE_CONTRACT_INPUT_ID=$c_input
MIMAMORI_LIVE_BROKEN_URL=$broken_url
MIMAMORI_LIVE_CLOSED_URL=$closed_url
MIMAMORI_LIVE_STALL_URL=http://127.0.0.1:$(port_of stall)
MIMAMORI_LIVE_DROP_URL=http://127.0.0.1:$(port_of drop)
MIMAMORI_LIVE_DROP_BATCH_URL=http://127.0.0.1:$(port_of drop-batch)
EOF
  # The contract case's values stay out of the logs; echo where things are only.
  echo "$lang-live: faults on $(tr '\n' ' ' <"$faults_out")"
}

# staff_reports CASE_ID: how many reports the staff API lists for the case.
staff_reports() {
  curl -sf "$url/api/v1/cases/$1/reports" -H @"$auth" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reports"]))'
}

# finish LANG STATUS LOG: the suite's line: the tests of both suites, plus one test each
# for the two staff checks and the proxy check.
finish() {
  local lang=$1 status=$2 log=$3 passed=0 failed=0 p f suite count stats suites="live contract"
  # Kotlin also runs the Android app's view models (tests/live/kotlin/AppFlowTest.kt).
  [ "$lang" = kotlin ] && suites="$suites app"
  # Swift also runs the iOS app's screen models (tests/live/swift/…/AppLiveTests.swift).
  [ "$lang" = swift ] && suites="$suites app journey"
  for suite in $suites; do
    p=$(sed -n "s/^$lang-$suite-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p" "$log" | tail -n 1)
    f=$(sed -n "s/^$lang-$suite-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p" "$log" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-1}))
  done
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  check() {
    if [ "$1" = "$2" ]; then
      echo "$lang-live: $3: $1"
      passed=$((passed + 1))
    else
      echo "$lang-live: $3: ${1:-none}, expected $2" >&2
      failed=$((failed + 1))
    fi
  }
  count=$(staff_reports "$case_id")
  check "$count" 3 "reports the staff API lists for the live case"
  count=$(staff_reports "$contract_case")
  check "$count" "$contract_reports" "reports the staff API lists for the contract case"
  if [ "$lang" = kotlin ]; then
    # The app's flow: two of the owner's reports accepted (one refused twice), one the member's.
    check "$(staff_reports "$kotlin_app_case")" 2 "reports the staff API lists for the app's case"
    check "$(staff_reports "$kotlin_member_case")" 1 "reports the staff API lists for the household member's case"
  fi
  if [ "$lang" = swift ]; then
    # The app's flow: the owner's report accepted (another refused twice), the member's one.
    check "$(staff_reports "$swift_app_case")" 1 "reports the staff API lists for the app's case"
    check "$(staff_reports "$swift_member_case")" 1 "reports the staff API lists for the household member's case"
    # Each journey: the owner's reports (two the same day, one urgent saved offline, one
    # saved while the session had ended), the member's one; nothing lost, nothing twice.
    check "$(staff_reports "${swift_journey_cases[0]}")" 4 "reports the staff API lists for the Japanese journey"
    check "$(staff_reports "${swift_journey_cases[1]}")" 1 "reports the staff API lists for the Japanese journey's member"
    check "$(staff_reports "${swift_journey_cases[2]}")" 4 "reports the staff API lists for the English journey"
    check "$(staff_reports "${swift_journey_cases[3]}")" 1 "reports the staff API lists for the English journey's member"
  fi
  stats=$(cat "$out/$lang-faults.stats" 2>/dev/null)
  check "$(sed -n 's/.*dropped_batch=\([0-9]*\).*/\1/p' <<<"$stats")" 1 "batch answers swallowed after the commit"
  echo "$lang-live: $passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 3 ]
}

run_kotlin() {
  local dir=$out/kotlin status=0
  source "$root/tests/lib/jvm.sh"
  # The Android core module as it is (transport, repository, view models) for AppFlowTest.
  local android_core
  mapfile -t android_core < <(find android/core/src/main -name '*.kt' | sort)
  jvm_check || { echo "kotlin-live: the Kotlin tools are missing: run tests/setup/kotlin.sh" >&2; return 1; }
  rm -rf "$dir"
  mkdir -p "$dir/classes" "$dir/lib" "$dir/live" "$dir/contract" "$dir/app"
  cp build/bindings/lib/libmobile_core.so "$dir/lib/"
  echo "kotlin-live: compiling the binding, the Android core module and the tests"
  if ! "$kotlinc" -nowarn -no-stdlib -jvm-target 17 -d "$dir/classes" -cp "$stdlib:$jna:$junit:$coroutines" \
    build/bindings/kotlin/uniffi/mobile_core/mobile_core.kt "${android_core[@]}" "$here"/kotlin/*.kt >"$dir/kotlinc.log" 2>&1; then
    cat "$dir/kotlinc.log" >&2
    return 1
  fi
  prepare kotlin 1 || { echo "kotlin-live: preparing the cases and faults failed" >&2; return 1; }
  # The app flow's own case and a household member's case (case_id stays the live case's).
  local live_case=$case_id
  create_case 5 || { echo "kotlin-live: creating the app's case failed" >&2; return 1; }
  kotlin_app_case=$case_id
  printf '%s\n' "MIMAMORI_LIVE_APP_EMAIL=kotlin-app@live.example.jp" "MIMAMORI_LIVE_APP_NAME=$name" \
    "MIMAMORI_LIVE_APP_DOB=$dob" "MIMAMORI_LIVE_APP_PHONE=$phone" "MIMAMORI_LIVE_APP_INPUT_ID=$input_id" >>"$out/kotlin.env"
  create_case 6 || { echo "kotlin-live: creating the member's case failed" >&2; return 1; }
  kotlin_member_case=$case_id
  printf '%s\n' "MIMAMORI_LIVE_MEMBER_NAME=$name" "MIMAMORI_LIVE_MEMBER_DOB=$dob" "MIMAMORI_LIVE_MEMBER_PHONE=$phone" \
    "MIMAMORI_LIVE_MEMBER_INPUT_ID=$input_id" >>"$out/kotlin.env"
  case_id=$live_case
  source "$root/tests/lib/junit.sh"
  local classpath="$dir/classes:$jvm_runtime"
  local suite
  for suite in live contract app; do
    (
      # KEY=value lines, values taken as they are (they hold spaces).
      while IFS= read -r line; do export "${line%%=*}=${line#*=}"; done <"$out/kotlin.env"
      run_junit "kotlin-$suite-tests" "$dir/$suite" "$classpath" "mimamori.$suite" "$dir/lib"
    ) || status=1
  done
  return "$status"
}

run_swift() {
  local dir=$out/swift pkg=$out/swift/pkg status log p f
  mkdir -p "$dir"
  rm -rf "$pkg"
  mkdir -p "$pkg/Sources/MobileCore" "$pkg/Sources/MimamoriKit" "$pkg/Sources/MimamoriKitTestSupport" "$pkg/lib"
  cp -r "$here/swift/Package.swift" "$here/swift/Sources" "$here/swift/Tests" "$pkg/"
  cp build/bindings/swift/mobile_core.swift "$pkg/Sources/MobileCore/"
  cp build/bindings/swift/mobile_coreFFI.h "$pkg/Sources/mobile_coreFFI/"
  # The iOS shell's kit as it is (transport, service, screen models) for AppLiveTests.
  cp ios/MimamoriKit/Sources/MimamoriKit/*.swift "$pkg/Sources/MimamoriKit/"
  cp ios/MimamoriKit/Tests/MimamoriKitTestSupport/*.swift "$pkg/Sources/MimamoriKitTestSupport/"
  cp build/bindings/lib/libmobile_core.so "$pkg/lib/"
  prepare swift 2 || { echo "swift-live: preparing the cases and faults failed" >&2; return 1; }
  # The app flow's own case and a household member's case (case_id stays the live case's).
  local live_case=$case_id
  create_case 7 || { echo "swift-live: creating the app's case failed" >&2; return 1; }
  swift_app_case=$case_id
  printf '%s\n' "MIMAMORI_LIVE_APP_EMAIL=swift-app@live.example.jp" "MIMAMORI_LIVE_APP_NAME=$name" \
    "MIMAMORI_LIVE_APP_DOB=$dob" "MIMAMORI_LIVE_APP_PHONE=$phone" "MIMAMORI_LIVE_APP_INPUT_ID=$input_id" >>"$out/swift.env"
  create_case 8 || { echo "swift-live: creating the member's case failed" >&2; return 1; }
  swift_member_case=$case_id
  printf '%s\n' "MIMAMORI_LIVE_MEMBER_NAME=$name" "MIMAMORI_LIVE_MEMBER_DOB=$dob" "MIMAMORI_LIVE_MEMBER_PHONE=$phone" \
    "MIMAMORI_LIVE_MEMBER_INPUT_ID=$input_id" >>"$out/swift.env"
  # The journeys (JourneyTests.swift): per language the owner's case and a member's.
  local lang_tag n=9
  swift_journey_cases=()
  for lang_tag in JA EN; do
    create_case "$n" || { echo "swift-live: creating a journey's case failed" >&2; return 1; }
    swift_journey_cases+=("$case_id")
    printf '%s\n' "MIMAMORI_LIVE_J_${lang_tag}_NAME=$name" "MIMAMORI_LIVE_J_${lang_tag}_DOB=$dob" \
      "MIMAMORI_LIVE_J_${lang_tag}_PHONE=$phone" "MIMAMORI_LIVE_J_${lang_tag}_INPUT_ID=$input_id" >>"$out/swift.env"
    create_case $((n + 1)) || { echo "swift-live: creating a journey's case failed" >&2; return 1; }
    swift_journey_cases+=("$case_id")
    printf '%s\n' "MIMAMORI_LIVE_J_${lang_tag}_MEMBER_NAME=$name" "MIMAMORI_LIVE_J_${lang_tag}_MEMBER_DOB=$dob" \
      "MIMAMORI_LIVE_J_${lang_tag}_MEMBER_PHONE=$phone" "MIMAMORI_LIVE_J_${lang_tag}_MEMBER_INPUT_ID=$input_id" >>"$out/swift.env"
    n=$((n + 2))
  done
  # The server's database (a journey lets a registration and a session expire there, as
  # their lifetimes do), a server that accepts no app older than the newest, and the
  # app's own files (its words, Info.plist, project.yml).
  printf '%s\n' "MIMAMORI_LIVE_DB=$db" "MIMAMORI_LIVE_OLD_URL=$old_url" "MIMAMORI_LIVE_IOS=$root/ios" >>"$out/swift.env"
  case_id=$live_case
  # The chroot starts with an empty environment: the values go in a file the tests read.
  cp "$out/swift.env" "$pkg/live.env"
  source "$root/tests/lib/swift-test.sh"
  swift_test_in_chroot swift-all-tests "$pkg" "$dir" "$pkg/lib"
  status=$?
  # One `swift test` runs the three suites: their counts from XCTest's lines.
  log=$dir/swift-test.log
  for suite in live:LiveServerTests contract:TransportContractTests app:AppLiveTests journey:JourneyTests; do
    p=$(grep -cE "^Test Case '${suite#*:}\.[^']*' passed" "$log" 2>/dev/null)
    f=$(grep -cE "^Test Case '${suite#*:}\.[^']*' failed" "$log" 2>/dev/null)
    echo "swift-${suite%%:*}-tests: ${p:-0} passed, ${f:-0} failed"
  done
  return "$status"
}

status=0
mkdir -p "$out"
for lang in "${langs[@]}"; do
  log=$out/$lang-live.log
  case_id=
  contract_case=
  "run_$lang" >"$log" 2>&1
  run=$?
  cat "$log"
  if [ -z "$case_id" ] || [ -z "$contract_case" ]; then
    echo "$lang-live: 0 passed, 1 failed"
    status=1
    continue
  fi
  finish "$lang" "$run" "$log" || status=1
done
exit "$status"
