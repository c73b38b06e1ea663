#!/usr/bin/env bash
# Runs the phone core's generated Kotlin and Swift bindings against the LIVE backend:
# builds target/debug/mimamori-backend, starts it on a free 127.0.0.1 port with a
# fresh SQLite file and mail folder under build/live, creates a centre and its admin
# with the CLI (password on stdin), logs the admin in and creates one case per
# language through the staff JSON API, then runs tests/live/kotlin (JUnit on the JVM)
# and tests/live/swift (`swift test` in the trixie chroot) with the server, the case's
# input ID and attributes and the mail folder, and finally asks the staff API that
# each case holds exactly the three reports its test synced. Stops the server on exit.
#
#   tests/live/run.sh              both languages
#   tests/live/run.sh kotlin       only Kotlin (or: swift)
#
# Run from anywhere after tests/bindings.sh (Kotlin needs tests/setup/kotlin.sh, Swift
# tests/setup/swift.sh and root). Ends with "kotlin-live: N passed, N failed" and/or
# "swift-live: N passed, N failed" (the staff check counts as one test) and exits 0
# only when tests ran and all of them passed. Prints no token, code or password.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(kotlin swift)
out=$root/build/live
bin=target/debug/mimamori-backend
centre_name=ライブ保健所
centre_number=03-5555-0101
admin_email=admin@live.example.jp
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
echo "live: building the backend"
cargo build --quiet -p backend || fail "cargo build -p backend failed"
[ -x "$bin" ] || fail "no $bin after the build"

# A fresh server folder per run, inside the clone so the Swift chroot sees the same paths.
server=$out/server
rm -rf "$server"
mkdir -p "$server/mail"
db=$server/mimamori.db

printf '%s\n' "$admin_password" | "$bin" --database-url "$db" create-centre --name "$centre_name" \
  --emergency-number "$centre_number" --jurisdiction-code 13103 --admin-email "$admin_email" \
  >"$server/create-centre.log" 2>&1 || { cat "$server/create-centre.log" >&2; fail "create-centre failed"; }

pid=
stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
}
trap 'stop_server; rm -f "$server/staff-auth.header"' EXIT
trap 'exit 130' INT TERM

RUST_LOG=warn "$bin" --database-url "$db" serve --listen 127.0.0.1:0 --mail-dir "$server/mail" \
  </dev/null >"$server/server.out" 2>"$server/server.log" &
pid=$!
port=
for _ in $(seq 200); do
  port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$server/server.out" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
[ -n "$port" ] || { cat "$server/server.log" >&2; fail "the server did not start"; }
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.05; done
curl -sf "$url/healthz" >/dev/null || fail "the server does not answer /healthz"
echo "live: server on $url, mail in $server/mail"

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
staff_token=$(curl -sf "$url/api/v1/staff/login" -H 'content-type: application/json' \
  -d "$(python3 -c 'import json,sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$admin_email" "$admin_password")" |
  json token) || fail "staff login failed"
# A header file, so the token is never on a command line.
auth=$server/staff-auth.header
(umask 077 && printf 'authorization: Bearer %s\n' "$staff_token" >"$auth")
unset staff_token admin_password

start=$(date -d yesterday +%F)
end=$(date -d '+9 days' +%F)
# create_case N: one case per language; sets case_id, input_id, name, dob, phone.
create_case() {
  local n=$1 body answer
  name="見守 花子$n"
  dob="197$n-05-1$n"
  phone="0805555010$n"
  body=$(python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "name_reading": "みまもり はなこ",
    "date_of_birth": sys.argv[2], "phone": sys.argv[3], "kind": "infected", "observation": "app",
    "period_start": sys.argv[4], "period_end": sys.argv[5]}))' "$name" "$dob" "$phone" "$start" "$end")
  answer=$(curl -sf "$url/api/v1/cases" -H @"$auth" -H 'content-type: application/json' -d "$body") || return 1
  case_id=$(json id <<<"$answer") && input_id=$(json input_id <<<"$answer")
}

# staff_reports CASE_ID: how many reports the staff API lists for the case.
staff_reports() {
  curl -sf "$url/api/v1/cases/$1/reports" -H @"$auth" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["reports"]))'
}

# finish LANG STATUS LOG CASE_ID: the suite's line, with the staff check as one more test.
finish() {
  local lang=$1 status=$2 log=$3 case=$4 passed failed count
  passed=$(sed -n "s/^$lang-live-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p" "$log" | tail -n 1)
  failed=$(sed -n "s/^$lang-live-tests: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p" "$log" | tail -n 1)
  passed=${passed:-0}
  failed=${failed:-1}
  count=$(staff_reports "$case")
  if [ "$count" = 3 ]; then
    echo "$lang-live: the staff API lists exactly 3 reports for the case"
    passed=$((passed + 1))
  else
    echo "$lang-live: the staff API lists ${count:-no} reports for the case, expected 3" >&2
    failed=$((failed + 1))
  fi
  echo "$lang-live: $passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 1 ]
}

run_kotlin() {
  local kotlin=$cache/kotlin dir=$out/kotlin
  local jna=/usr/share/java/jna.jar junit=/usr/share/java/junit-platform-console-standalone.jar
  local stdlib=$kotlin/lib/kotlin-stdlib.jar coroutines=$kotlin/lib/kotlinx-coroutines-core-jvm.jar
  for f in "$kotlin/bin/kotlinc" "$stdlib" "$coroutines" "$jna" "$junit"; do
    [ -e "$f" ] || { echo "kotlin-live: missing $f: run tests/setup/kotlin.sh" >&2; return 1; }
  done
  rm -rf "$dir"
  mkdir -p "$dir/classes" "$dir/lib"
  cp build/bindings/lib/libmobile_core.so "$dir/lib/"
  echo "kotlin-live: compiling the binding and the tests"
  if ! "$kotlin/bin/kotlinc" -nowarn -jvm-target 17 -d "$dir/classes" -cp "$jna:$junit:$coroutines" \
    build/bindings/kotlin/uniffi/mobile_core/mobile_core.kt "$here"/kotlin/*.kt >"$dir/kotlinc.log" 2>&1; then
    cat "$dir/kotlinc.log" >&2
    return 1
  fi
  create_case 1 || { echo "kotlin-live: creating the case failed" >&2; return 1; }
  source "$root/tests/lib/junit.sh"
  MIMAMORI_LIVE_URL=$url MIMAMORI_LIVE_MAIL_DIR=$server/mail MIMAMORI_LIVE_EMAIL=kotlin@live.example.jp \
    MIMAMORI_LIVE_NAME=$name MIMAMORI_LIVE_DOB=$dob MIMAMORI_LIVE_PHONE=$phone MIMAMORI_LIVE_INPUT_ID=$input_id \
    MIMAMORI_LIVE_CENTRE=$centre_name MIMAMORI_LIVE_CENTRE_NUMBER=$centre_number \
    run_junit kotlin-live-tests "$dir" "$dir/classes:$stdlib:$coroutines:$jna" mimamori.live "$dir/lib"
}

run_swift() {
  local dir=$out/swift pkg=$out/swift/pkg
  mkdir -p "$dir"
  rm -rf "$pkg"
  mkdir -p "$pkg/Sources/MobileCore" "$pkg/lib"
  cp -r "$here/swift/Package.swift" "$here/swift/Sources" "$here/swift/Tests" "$pkg/"
  cp build/bindings/swift/mobile_core.swift "$pkg/Sources/MobileCore/"
  cp build/bindings/swift/mobile_coreFFI.h "$pkg/Sources/mobile_coreFFI/"
  cp build/bindings/lib/libmobile_core.so "$pkg/lib/"
  create_case 2 || { echo "swift-live: creating the case failed" >&2; return 1; }
  # The chroot starts with an empty environment: the values go in a file the test reads.
  cat >"$pkg/live.env" <<EOF
MIMAMORI_LIVE_URL=$url
MIMAMORI_LIVE_MAIL_DIR=$server/mail
MIMAMORI_LIVE_EMAIL=swift@live.example.jp
MIMAMORI_LIVE_NAME=$name
MIMAMORI_LIVE_DOB=$dob
MIMAMORI_LIVE_PHONE=$phone
MIMAMORI_LIVE_INPUT_ID=$input_id
MIMAMORI_LIVE_CENTRE=$centre_name
MIMAMORI_LIVE_CENTRE_NUMBER=$centre_number
EOF
  source "$root/tests/lib/swift-test.sh"
  swift_test_in_chroot swift-live-tests "$pkg" "$dir" "$pkg/lib"
}

status=0
mkdir -p "$out"
for lang in "${langs[@]}"; do
  log=$out/$lang-live.log
  case_id=
  "run_$lang" >"$log" 2>&1
  run=$?
  cat "$log"
  if [ -z "$case_id" ]; then
    echo "$lang-live: 0 passed, 1 failed"
    status=1
    continue
  fi
  finish "$lang" "$run" "$log" "$case_id" || status=1
done
exit "$status"
