#!/usr/bin/env bash
# Builds and tests the Android shell's pure-Kotlin `core` module on the JVM, without
# Gradle: kotlinc compiles the generated binding with android/core/src/main, then
# src/testFixtures (the failure-injecting wrapper) and src/test against it (as
# Gradle's source sets would), and the JUnit 5 console runs the tests with
# libmobile_core.so loaded through JNA. Run from
# the repository root after tests/bindings.sh; installs its tools through
# tests/setup/kotlin.sh. Ends with "android: N passed, N failed" and exits 0 only
# when tests ran and all of them passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
module=android/core/src
out=build/shells/android
source "$root/tests/lib/jvm.sh"

fail() {
  echo "android: $*" >&2
  echo "android: 0 passed, 1 failed"
  exit 1
}

bash tests/setup/kotlin.sh || fail "tests/setup/kotlin.sh failed"
jvm_check || fail "tests/setup/kotlin.sh left files missing"

# A private copy of the generated binding and library, so that a concurrent
# tests/bindings.sh (which empties build/bindings) cannot pull them away mid-run.
rm -rf "$out"
mkdir -p "$out/binding" "$out/lib" "$out/main" "$out/test"
cp -r build/bindings/kotlin/. "$out/binding/" 2>/dev/null &&
  cp build/bindings/lib/libmobile_core.so "$out/lib/" 2>/dev/null ||
  fail "no generated binding in build/bindings: run tests/bindings.sh"

sources() { find "$@" -name '*.kt' -print | sort; }
mapfile -t main_sources < <(sources "$out/binding" "$module/main")
mapfile -t test_sources < <(sources "$module/testFixtures" "$module/test")
[ ${#test_sources[@]} -gt 0 ] || fail "no test sources under $module"

echo "android: compiling the core module (${#main_sources[@]} files with the binding)"
if ! "$kotlinc" -nowarn -no-stdlib -jvm-target 17 -d "$out/main" \
  -cp "$stdlib:$jna:$coroutines" "${main_sources[@]}" >"$out/kotlinc-main.log" 2>&1; then
  cat "$out/kotlinc-main.log" >&2
  fail "compiling android/core/src/main failed"
fi
echo "android: compiling the test fixtures and the tests (${#test_sources[@]} files)"
if ! "$kotlinc" -nowarn -no-stdlib -jvm-target 17 -d "$out/test" \
  -cp "$out/main:$stdlib:$jna:$coroutines:$junit" "${test_sources[@]}" >"$out/kotlinc-test.log" 2>&1; then
  cat "$out/kotlinc-test.log" >&2
  fail "compiling android/core/src/{testFixtures,test} failed"
fi

source "$root/tests/lib/junit.sh"
run_junit android "$out" "$out/test:$out/main:$jvm_runtime" jp.mimamori.core "$out/lib"
