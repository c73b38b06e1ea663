#!/usr/bin/env bash
# Prints the phone core's figures: save-report p50/p99 and 30-day history p50 (from the
# `store` bench), and the size of the release library built on its own and stripped.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --quiet -p mobile-core --bench store
cargo build --quiet --release -p mobile-core
lib=target/release/libmobile_core.so
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp "$lib" "$tmp" && strip "$tmp"
bytes=$(stat -c %s "$tmp")
printf 'libmobile_core.so (x86_64, --release -p mobile-core, stripped): %d bytes (%.2f MB)\n' \
  "$bytes" "$(awk -v b="$bytes" 'BEGIN { print b / 1000000 }')"
