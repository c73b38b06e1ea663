#!/usr/bin/env bash
# The `clippy` suite: builds every target of the workspace (libraries, programs, tests,
# benchmarks) as the test build does, with clippy's driver compiling the workspace's own
# crates, and fails on any warning — clippy's lints, rustc's, the workspace's [lints]
# (Cargo.toml) and clippy.toml. tests/run sets RUSTC_WORKSPACE_WRAPPER and CLIPPY_ARGS
# for every cargo command, so this is the very compilation the `cargo` suite then runs
# (cargo replays the warnings of what is already built); run alone, this sets them.
set -uo pipefail
cd "$(dirname "$0")/.."
export RUSTC_WORKSPACE_WRAPPER=${RUSTC_WORKSPACE_WRAPPER:-$(rustc --print sysroot)/bin/clippy-driver}
export CLIPPY_ARGS=${CLIPPY_ARGS:---cap-lints=warn__CLIPPY_HACKERY__}
[ -x "$RUSTC_WORKSPACE_WRAPPER" ] || { echo "clippy: no clippy-driver at $RUSTC_WORKSPACE_WRAPPER (rustup component add clippy)"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
cargo test --workspace --all-targets --no-run --color never >"$out" 2>&1
status=$?
grep -v '^  Executable ' "$out"
warnings=$(grep -cE '^(warning|error)(\[|:)' "$out")
if [ "$status" -ne 0 ] || [ "$warnings" -gt 0 ]; then
  echo "clippy: the build failed or warned ($warnings warning and error lines): 0 passed, 1 failed"
  exit 1
fi
echo "clippy: every target built without a warning: 1 passed, 0 failed"
