#!/usr/bin/env bash
# Builds the phone core as a shared library and generates its Kotlin, Swift and Python
# bindings into build/bindings/<language>, with the library copied to build/bindings/lib.
# Generated code is never committed: build/ is ignored.
#
# The library and the generator come from the workspace build the `clippy` and `cargo`
# suites already made (same targets, same features: nothing to compile again); building
# them alone with `-p mobile-core -p uniffi-bindgen` would resolve other features and
# compile uniffi and the core a second time. The phone's own library, at its release
# size, is measured by tests/bench-mobile.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo build --quiet --workspace --all-targets
out=build/bindings
rm -rf "$out"
mkdir -p "$out/lib"
cp target/debug/libmobile_core.so "$out/lib/"
for lang in kotlin swift python; do
  target/debug/uniffi-bindgen generate --library "$out/lib/libmobile_core.so" \
    --language "$lang" --no-format --out-dir "$out/$lang" >/dev/null
done
echo "bindings: $out/{kotlin,swift,python}, library: $out/lib/libmobile_core.so"
