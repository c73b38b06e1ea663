#!/usr/bin/env bash
# Sourced by the Kotlin suites: where tests/setup/kotlin.sh put kotlinc and the JVM
# libraries from Maven Central, and a check that they are there.
#
#   source tests/lib/jvm.sh
#   jvm_check || fail "…"        # every file below exists
#   "$kotlinc" -no-stdlib -cp "$stdlib:…" …
#
# Sets kotlinc, stdlib, coroutines, jna, junit (the JUnit 5 console launcher, Jupiter
# inside), jvm_runtime (stdlib, coroutines and JNA for a test's class path) and
# compose_plugin; compose_classpath prints the Compose jars' class path.

jvm_cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
kotlinc=$jvm_cache/kotlin/bin/kotlinc
stdlib=$jvm_cache/jvm-libs/jars/org.jetbrains.kotlin.kotlin-stdlib.jar
coroutines=$jvm_cache/jvm-libs/jars/org.jetbrains.kotlinx.kotlinx-coroutines-core-jvm.jar
jna=$jvm_cache/jvm-libs/jars/net.java.dev.jna.jna.jar
junit=$jvm_cache/jvm-libs/jars/org.junit.platform.junit-platform-console-standalone.jar
jvm_runtime="$stdlib:$coroutines:$jna"
# Compose on the JVM: every jar of compose-libs but its own older kotlin-stdlib and
# coroutines (the two above are the app's), and kotlinc's Compose compiler plugin.
compose_classpath() {
  ls "$jvm_cache"/compose-libs/jars/*.jar | grep -vE '/org\.jetbrains\.kotlinx?\.(kotlin-stdlib|kotlinx-coroutines-core-jvm)\.jar$' | tr '\n' ':' | sed 's/:$//'
}
compose_plugin=$jvm_cache/kotlin/lib/compose-compiler-plugin.jar

jvm_check() {
  local f
  for f in "$kotlinc" "$stdlib" "$coroutines" "$jna" "$junit" "$compose_plugin"; do
    [ -e "$f" ] || { echo "missing $f: run tests/setup/kotlin.sh" >&2; return 1; }
  done
}
