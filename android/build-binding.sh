#!/usr/bin/env bash
# Builds the phone core for this machine and generates its Kotlin binding into
# build/bindings/kotlin (with the library in build/bindings/lib for the JVM tests), as
# the Gradle build's generateKotlinBinding task does before compiling the core module.
# The same generator as the test command (the workspace's uniffi-bindgen, pinned to the
# workspace's uniffi); run from anywhere.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --quiet -p mobile-core -p uniffi-bindgen
mkdir -p build/bindings/lib
cp target/debug/libmobile_core.so build/bindings/lib/
rm -rf build/bindings/kotlin
target/debug/uniffi-bindgen generate --library build/bindings/lib/libmobile_core.so \
  --language kotlin --no-format --out-dir build/bindings/kotlin >/dev/null
echo "build-binding: build/bindings/kotlin, library build/bindings/lib/libmobile_core.so"
