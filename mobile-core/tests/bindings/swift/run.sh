#!/usr/bin/env bash
# Runs the XCTest tests of the generated Swift binding with Swift 6 inside the trixie
# chroot that tests/setup/swift.sh made. Copies this package and the generated
# binding into build/binding-tests/swift/pkg, bind-mounts the clone into the chroot
# at the same path, and runs `swift test` there. Run from anywhere after
# tests/bindings.sh and tests/setup/swift.sh. Ends with "swift: N passed, N failed"
# and exits 0 only when tests ran and all of them passed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
cd "$root"
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
ROOT=$cache/swift-trixie
generated=build/bindings/swift
lib=build/bindings/lib/libmobile_core.so
out=$root/build/binding-tests/swift
pkg=$out/pkg

fail() {
  echo "swift bindings: $*" >&2
  echo "swift: 0 passed, 1 failed"
  exit 1
}

[ -x "$ROOT/usr/libexec/swift/bin/swift" ] || fail "no Swift in $ROOT: run tests/setup/swift.sh"
for f in "$generated/mobile_core.swift" "$generated/mobile_coreFFI.h" "$lib"; do
  [ -e "$f" ] || fail "missing $f: run tests/bindings.sh"
done
[ "$(id -u)" -eq 0 ] || fail "chroot and mount need root"

# The package with the generated sources and the library; the build folder beside it
# is kept between runs.
rm -rf "$pkg"
mkdir -p "$pkg/Sources/MobileCore" "$pkg/lib"
cp -r "$here/Package.swift" "$here/Sources" "$here/Tests" "$pkg/"
cp "$generated/mobile_core.swift" "$pkg/Sources/MobileCore/"
cp "$generated/mobile_coreFFI.h" "$pkg/Sources/mobile_coreFFI/"
cp "$lib" "$pkg/lib/"

# /proc and the clone inside the chroot; unmounted again whatever happens. A mount
# that was already there (another run) is used and left alone.
unmount=()
cleanup() {
  local i
  for ((i = ${#unmount[@]} - 1; i >= 0; i--)); do
    umount "${unmount[i]}" 2>/dev/null || umount -l "${unmount[i]}" || echo "swift bindings: could not unmount ${unmount[i]}" >&2
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if ! mountpoint -q "$ROOT/proc"; then
  mount -t proc proc "$ROOT/proc" || fail "cannot mount /proc in $ROOT"
  unmount+=("$ROOT/proc")
fi
mkdir -p "$ROOT$root"
if ! mountpoint -q "$ROOT$root"; then
  mount --bind "$root" "$ROOT$root" || fail "cannot bind-mount $root into $ROOT"
  unmount+=("$ROOT$root")
fi

echo "swift bindings: swift test in $ROOT"
chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
  PATH=/usr/libexec/swift/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LD_LIBRARY_PATH="$pkg/lib" \
  /usr/libexec/swift/bin/swift test --package-path "$pkg" --scratch-path "$out/.build" 2>&1 | tee "$out/swift-test.log"
status=${PIPESTATUS[0]}

# XCTest's last summary covers all suites: "Executed 4 tests, with 0 failures (0 unexpected) in …".
summary=$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$out/swift-test.log" | tail -n 1)
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failures=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
executed=${executed:-0}
failures=${failures:-0}
# A test with several failed assertions counts once in "passed", not below zero.
failed_tests=$(grep -cE "^Test Case .* failed" "$out/swift-test.log")
passed=$((executed - failed_tests))
failed=$failed_tests
if { [ "$status" -ne 0 ] || [ "$failures" -gt 0 ]; } && [ "$failed" -eq 0 ]; then
  failed=1
fi
[ "$executed" -gt 0 ] || echo "swift bindings: no XCTest test ran" >&2
echo "swift: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$executed" -gt 0 ]
