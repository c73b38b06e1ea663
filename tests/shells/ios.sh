#!/usr/bin/env bash
# Builds and tests the iOS shell's Swift package ios/MimamoriKit (service, screen models,
# background sync job, reminder scheduling; the test-only support target) with Swift 6
# in the trixie chroot: copies the package with the generated binding and
# libmobile_core.so into build/shells/ios/pkg, bind-mounts the clone into
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

source "$root/tests/lib/swift-test.sh"
swift_test_in_chroot ios "$pkg" "$out" "$pkg/lib"
