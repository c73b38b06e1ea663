#!/usr/bin/env bash
# Builds and tests the iOS shell's Swift package ios/MimamoriKit (service, fake, screen
# models) with Swift 6 in the trixie chroot: copies the package with the generated
# binding and libmobile_core.so into build/shells/ios/pkg, bind-mounts the clone into
# the chroot at the same path, and runs `swift test` (XCTest) there. SwiftUI views are
# not built here (see tests/shells/syntax.sh). Run from the repository root after
# tests/bindings.sh; installs Swift through tests/setup/swift.sh; needs root (chroot,
# mount). Ends with "ios: N passed, N failed" and exits 0 only when tests ran and all
# of them passed.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
ROOT=$cache/swift-trixie
package=ios/MimamoriKit
generated=build/bindings/swift
lib=build/bindings/lib/libmobile_core.so
out=$root/build/shells/ios
pkg=$out/pkg

fail() {
  echo "ios: $*" >&2
  echo "ios: 0 passed, 1 failed"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "chroot and mount need root"
bash tests/setup/swift.sh || fail "tests/setup/swift.sh failed"
[ -x "$ROOT/usr/libexec/swift/bin/swift" ] || fail "no Swift in $ROOT after tests/setup/swift.sh"

# The package with the generated sources and the library (a private copy, so that a
# concurrent tests/bindings.sh cannot pull them away); the build folder beside it is
# kept between runs.
rm -rf "$pkg"
mkdir -p "$pkg/lib"
cp -r "$package/Package.swift" "$package/Sources" "$package/Tests" "$pkg/" || fail "cannot copy $package"
mkdir -p "$pkg/Sources/MobileCore"
cp "$generated/mobile_core.swift" "$pkg/Sources/MobileCore/" 2>/dev/null &&
  cp "$generated/mobile_coreFFI.h" "$pkg/Sources/mobile_coreFFI/" 2>/dev/null &&
  cp "$lib" "$pkg/lib/" 2>/dev/null ||
  fail "no generated Swift binding in $generated: run tests/bindings.sh"

# /proc and the clone inside the chroot; unmounted again whatever happens. A mount
# that was already there (another run) is used and left alone.
unmount=()
cleanup() {
  local i
  for ((i = ${#unmount[@]} - 1; i >= 0; i--)); do
    umount "${unmount[i]}" 2>/dev/null || umount -l "${unmount[i]}" || echo "ios: could not unmount ${unmount[i]}" >&2
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

echo "ios: swift test of $package in $ROOT"
chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
  PATH=/usr/libexec/swift/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LD_LIBRARY_PATH="$pkg/lib" \
  /usr/libexec/swift/bin/swift test --package-path "$pkg" --scratch-path "$out/.build" 2>&1 | tee "$out/swift-test.log"
status=${PIPESTATUS[0]}

# XCTest's last summary covers all suites: "Executed 22 tests, with 0 failures (0 unexpected) in …".
summary=$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$out/swift-test.log" | tail -n 1)
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failures=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
executed=${executed:-0}
failures=${failures:-0}
# A test with several failed assertions counts once.
failed=$(grep -cE "^Test Case .* failed" "$out/swift-test.log")
passed=$((executed - failed))
if { [ "$status" -ne 0 ] || [ "$failures" -gt 0 ]; } && [ "$failed" -eq 0 ]; then
  failed=1
fi
[ "$executed" -gt 0 ] || echo "ios: no XCTest test ran" >&2
echo "ios: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$executed" -gt 0 ]
