#!/usr/bin/env bash
# Sourced by the Kotlin suites: where tests/setup/kotlin.sh put kotlinc and the JVM
# libraries from Maven Central, and a check that they are there.
#
#   source tests/lib/jvm.sh
#   jvm_check || fail "…"        # every file below exists
#   "$kotlinc" -no-stdlib -cp "$stdlib:…" …
#
# Sets kotlinc, stdlib, coroutines, jna, junit (the JUnit 5 console launcher, Jupiter
# inside) and jvm_runtime (stdlib, coroutines and JNA for a test's class path).

jvm_cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
kotlinc=$jvm_cache/kotlin/bin/kotlinc
stdlib=$jvm_cache/jvm-libs/kotlin-stdlib.jar
coroutines=$jvm_cache/jvm-libs/kotlinx-coroutines-core-jvm.jar
jna=$jvm_cache/jvm-libs/jna.jar
junit=$jvm_cache/jvm-libs/junit-platform-console-standalone.jar
jvm_runtime="$stdlib:$coroutines:$jna"

jvm_check() {
  local f
  for f in "$kotlinc" "$stdlib" "$coroutines" "$jna" "$junit"; do
    [ -e "$f" ] || { echo "missing $f: run tests/setup/kotlin.sh" >&2; return 1; }
  done
}
