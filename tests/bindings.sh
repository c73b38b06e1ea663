#!/usr/bin/env bash
# Builds the phone core as a shared library and generates its Kotlin, Swift and Python
# bindings into build/bindings/<language>, with the library copied to build/bindings/lib.
# Generated code is never committed: build/ is ignored.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --quiet -p mobile-core -p uniffi-bindgen
out=build/bindings
rm -rf "$out"
mkdir -p "$out/lib"
cp target/debug/libmobile_core.so "$out/lib/"
for lang in kotlin swift python; do
  target/debug/uniffi-bindgen generate --library "$out/lib/libmobile_core.so" \
    --language "$lang" --no-format --out-dir "$out/$lang" >/dev/null
done
echo "bindings: $out/{kotlin,swift,python}, library: $out/lib/libmobile_core.so"
