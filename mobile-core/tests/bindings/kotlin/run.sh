#!/usr/bin/env bash
# Compiles the generated Kotlin binding with the JUnit 5 tests beside this script and
# runs them on the JVM against build/bindings/lib/libmobile_core.so. Run from anywhere
# after tests/bindings.sh and tests/setup/kotlin.sh. Ends with "kotlin: N passed,
# N failed" and exits 0 only when tests ran and all of them passed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
cd "$root"
binding=build/bindings/kotlin/uniffi/mobile_core/mobile_core.kt
libdir=build/bindings/lib
out=build/binding-tests/kotlin
source "$root/tests/lib/jvm.sh"

fail() {
  echo "kotlin bindings: $*" >&2
  echo "kotlin: 0 passed, 1 failed"
  exit 1
}

jvm_check || fail "the Kotlin tools are missing: run tests/setup/kotlin.sh"
for f in "$binding" "$libdir/libmobile_core.so"; do
  [ -e "$f" ] || fail "missing $f: run tests/bindings.sh"
done

rm -rf "$out"
mkdir -p "$out/classes"
echo "kotlin bindings: compiling the binding and the tests"
if ! "$kotlinc" -nowarn -no-stdlib -jvm-target 17 -d "$out/classes" \
  -cp "$stdlib:$jna:$junit:$coroutines" "$binding" "$here"/*.kt >"$out/kotlinc.log" 2>&1; then
  cat "$out/kotlinc.log" >&2
  fail "compilation failed"
fi

source "$root/tests/lib/junit.sh"
run_junit kotlin "$out" "$out/classes:$jvm_runtime" mimamori.bindings "$libdir"
