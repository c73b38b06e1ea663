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

source "$root/tests/lib/swift-test.sh"
swift_test_in_chroot swift "$pkg" "$out" "$pkg/lib"
