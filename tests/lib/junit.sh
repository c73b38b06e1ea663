#!/usr/bin/env bash
# Shared by the Kotlin suites: runs the JUnit 5 console launcher (from Maven Central,
# through tests/lib/jvm.sh) on compiled test
# classes with libmobile_core.so reachable through JNA, and turns its summary into
# the line "NAME: N passed, N failed". Source it, then call:
#
#   run_junit NAME OUT_DIR CLASS_PATH PACKAGE LIB_DIR
#
# It returns 0 only when tests ran and all of them passed.

run_junit() {
  local name=$1 out=$2 classpath=$3 package=$4 libdir=$5
  source "$(dirname "${BASH_SOURCE[0]}")/jvm.sh"
  java -Djna.library.path="$libdir" -jar "$junit" execute \
    --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
    --class-path "$classpath" --select-package "$package" \
    --reports-dir "$out/reports" 2>&1 | tee "$out/junit.log"
  local status=${PIPESTATUS[0]}
  # The console launcher's summary: "[ 4 tests successful ]", "[ 0 tests failed ]", …
  count() { awk -v what="$1" '$0 ~ "tests " what " *\\]" { gsub(/[^0-9]/, "", $2); print $2; exit }' "$out/junit.log"; }
  local passed failed aborted
  passed=$(count successful)
  failed=$(count failed)
  aborted=$(count aborted)
  passed=${passed:-0}
  failed=$((${failed:-0} + ${aborted:-0}))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  echo "$name: $passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
