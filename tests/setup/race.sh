#!/usr/bin/env bash
# The installers' own test: starts two copies of each installer under tests/setup/ at
# the same moment and checks that both succeed, print the same answer, and leave a cache
# entry that works (and no temporary folder behind). Every installer runs on a cache
# folder that is empty when the race starts, except Swift's (a 3.4 GB Debian folder),
# which races on the real cache ${MIMAMORI_CACHE:-/var/cache/mimamori}: empty on a new
# machine, where the race is real; on a machine that has it, both copies find it.
# All installers race at once, so they also contend for the one apt lock.
#
#   tests/setup/race.sh              every installer
#   tests/setup/race.sh kotlin swift only those (names as below)
#
# Ends with "setup: N passed, N failed" and exits non-zero when any race failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
real_cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
out=${MIMAMORI_RACE_OUT:-$here/../../build/setup-race}
all=(call-signers python schemathesis treesitter kotlin browser haproxy postgres swift)
[ $# -gt 0 ] && all=("$@")

rm -rf "$out"
mkdir -p "$out"
fresh=$(mktemp -d /tmp/mimamori-race-cache.XXXXXX)
trap 'MIMAMORI_CACHE="$fresh" bash "$here/postgres.sh" stop >/dev/null 2>&1; rm -rf "$fresh"' EXIT

# The command of one copy, and the check of what it left (run once both ended).
command_of() {
  case $1 in
    call-signers) echo "bash $here/call-signers.sh" ;;
    python) echo "bash $here/python.sh" ;;
    schemathesis) echo "bash $here/python.sh schemathesis" ;;
    treesitter) echo "bash $here/treesitter.sh" ;;
    kotlin) echo "bash $here/kotlin.sh" ;;
    browser) echo "bash $here/browser.sh" ;;
    haproxy) echo "bash $here/haproxy.sh" ;;
    postgres) echo "bash $here/postgres.sh start" ;;
    swift) echo "bash $here/swift.sh" ;;
    *) return 1 ;;
  esac
}
check_of() {
  local answer=$2
  case $1 in
    call-signers) "$answer" -c 'import twilio.request_validator, jwt' ;;
    python) "$answer" -c 'import pytest, aiosmtpd, fhir.resources.R4B' ;;
    schemathesis) "$answer" --version >/dev/null ;;
    treesitter) "$answer" -c 'import tree_sitter_kotlin, tree_sitter_swift' ;;
    kotlin) MIMAMORI_CACHE=$3 bash -c 'source "$1/../lib/jvm.sh" && jvm_check && "$kotlinc" -version 2>&1 | grep -q kotlinc-jvm' _ "$here" ;;
    browser) [ -f "$answer/playwright-core/package.json" ] && /usr/bin/chromium --version >/dev/null ;;
    haproxy) "$answer" -v >/dev/null ;;
    postgres) [[ $answer == postgres://*@127.0.0.1:*/postgres ]] && MIMAMORI_CACHE=$3 bash "$here/postgres.sh" url >/dev/null ;;
    swift) MIMAMORI_CACHE=$3 bash "$here/swift.sh" | grep -q 'swift setup: chroot' ;;
  esac
}

for name in "${all[@]}"; do
  command_of "$name" >/dev/null || { echo "setup: unknown installer $name" >&2; exit 2; }
done

# Both copies of every installer wait for one start signal (a file), then run.
go=$out/go
pids=()
for name in "${all[@]}"; do
  cache=$fresh
  [ "$name" = swift ] && cache=$real_cache
  for copy in 1 2; do
    (
      until [ -e "$go" ]; do sleep 0.02; done
      start=$(date +%s)
      MIMAMORI_CACHE=$cache bash -c "$(command_of "$name")" >"$out/$name.$copy.out" 2>"$out/$name.$copy.err"
      echo "$? $(($(date +%s) - start))" >"$out/$name.$copy.status"
    ) &
    pids+=($!)
  done
done
echo "setup: racing ${#pids[@]} installs (two of each of: ${all[*]})"
sleep 1
: >"$go"
wait "${pids[@]}"

passed=0
failed=0
for name in "${all[@]}"; do
  cache=$fresh
  [ "$name" = swift ] && cache=$real_cache
  read -r s1 t1 <"$out/$name.1.status"
  read -r s2 t2 <"$out/$name.2.status"
  a1=$(tail -n 1 "$out/$name.1.out")
  a2=$(tail -n 1 "$out/$name.2.out")
  why=""
  if [ "$s1" != 0 ] || [ "$s2" != 0 ]; then
    why="exit statuses $s1 and $s2"
  elif [ "$a1" != "$a2" ]; then
    why="the two copies answered differently"
  elif ! check_of "$name" "$a1" "$cache" >"$out/$name.check" 2>&1; then
    why="what they installed does not work"
  elif left=$(cd "$cache" && compgen -G "$([ "$name" = swift ] && echo .swift-trixie || echo .\*).tmp.*"); then
    why="a temporary folder was left: $left"
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    printf '   %-13s both copies succeeded (%ss and %ss)\n' "$name" "$t1" "$t2"
  else
    failed=$((failed + 1))
    printf '   %-13s FAILED: %s\n' "$name" "$why"
    for copy in 1 2; do sed "s/^/      $copy| /" "$out/$name.$copy.err" | tail -n 15; done
  fi
done
# An install killed half-way leaves no entry that looks whole, and the next run makes it.
if [[ " ${all[*]} " == *" call-signers "* ]]; then
  cut=$(mktemp -d /tmp/mimamori-race-cut.XXXXXX)
  MIMAMORI_CACHE=$cut setsid bash "$here/call-signers.sh" >/dev/null 2>"$out/interrupted.err" &
  victim=$!
  # Killed once its virtual environment is being filled.
  for _ in $(seq 1 600); do compgen -G "$cut/.call-signers.tmp.*/bin/python" >/dev/null && break; sleep 0.05; done
  kill -KILL -- -"$victim" 2>/dev/null
  wait "$victim" 2>/dev/null
  why=""
  if [ -e "$cut/call-signers-venv" ]; then
    why="the killed install left call-signers-venv"
  elif ! answer=$(MIMAMORI_CACHE=$cut bash "$here/call-signers.sh" 2>>"$out/interrupted.err"); then
    why="the run after the killed one failed"
  elif ! check_of call-signers "$answer" "$cut"; then
    why="the run after the killed one installed something that does not work"
  elif compgen -G "$cut/.*.tmp.*" >/dev/null; then
    why="the killed install's temporary folder is still there"
  fi
  rm -rf "$cut"
  if [ -z "$why" ]; then
    passed=$((passed + 1))
    echo "   interrupted   an install killed half-way left nothing; the next run installed"
  else
    failed=$((failed + 1))
    echo "   interrupted   FAILED: $why"
    sed 's/^/      | /' "$out/interrupted.err" | tail -n 15
  fi
fi

echo "setup: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
