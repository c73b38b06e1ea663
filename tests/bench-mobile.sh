#!/usr/bin/env bash
# Prints the phone core's figures: save-report p50/p99 and 30-day history p50 (from the
# `store` bench), and the size of the release library built on its own and stripped,
# against the goal of 2.5 MB. Fails when the default build links an HTTP or TLS stack
# (the apps pass their platform's HTTP through `open_with_transport`; reqwest and rustls
# belong to the `rust-http` feature only) or when the library is over the goal.
set -euo pipefail
cd "$(dirname "$0")/.."
goal=2500000
cargo bench --quiet -p mobile-core --bench store
# `-p mobile-core` alone: a workspace build would unify `rust-http` in through tests/e2e.
stack=$(cargo tree -p mobile-core -e normal --prefix none |
  grep -oE '^(reqwest|rustls|ring|webpki-roots|hyper|tokio|h2|url) ' | sort -u | tr -d ' ' | tr '\n' ' ' || true)
if [ -n "$stack" ]; then
  echo "libmobile_core: the default build links an HTTP/TLS stack: $stack" >&2
  exit 1
fi
echo "libmobile_core: default features link no HTTP or TLS crate (reqwest, rustls, ring, webpki-roots, hyper, tokio, url)"
cargo build --quiet --release -p mobile-core
lib=target/release/libmobile_core.so
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp "$lib" "$tmp" && strip "$tmp"
bytes=$(stat -c %s "$tmp")
printf 'libmobile_core.so (x86_64, --release -p mobile-core, stripped): %d bytes (%.2f MB), goal <= %.2f MB\n' \
  "$bytes" "$(awk -v b="$bytes" 'BEGIN { print b / 1000000 }')" "$(awk -v b="$goal" 'BEGIN { print b / 1000000 }')"
[ "$bytes" -le "$goal" ] || { echo "libmobile_core.so is over the size goal" >&2; exit 1; }
