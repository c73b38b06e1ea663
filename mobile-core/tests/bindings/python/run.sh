#!/usr/bin/env bash
# Runs the Python binding tests against the generated bindings in build/bindings.
# Run from the repository root after tests/bindings.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
python=$(bash "$root/tests/setup/python.sh")
work=$root/build/bindings/python-run
rm -rf "$work" && mkdir -p "$work"
cp "$root/build/bindings/python/mobile_core.py" "$root/build/bindings/lib/libmobile_core.so" "$work/"
cp "$root/mobile-core/tests/bindings/python/test_core.py" "$work/"
cd "$work"
# Exit code 5 (no tests collected) is a failure like any other.
"$python" -m pytest -q -p no:cacheprovider test_core.py
