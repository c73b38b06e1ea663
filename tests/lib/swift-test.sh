#!/usr/bin/env bash
# Shared by the Swift suites: runs `swift test` for a prepared package inside the
# trixie chroot made by tests/setup/swift.sh, with /proc and the clone mounted (and
# unmounted again whatever happens), then turns XCTest's summary into the line
# "NAME: N passed, N failed". Source it, then call:
#
#   swift_test_in_chroot NAME PACKAGE_DIR OUT_DIR LIB_DIR
#
# It returns 0 only when tests ran and all of them passed.

swift_test_in_chroot() {
  local name=$1 pkg=$2 out=$3 libdir=$4
  local cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
  local ROOT=$cache/swift-trixie root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ "$(id -u)" -ne 0 ]; then
    echo "$name: chroot and mount need root" >&2; echo "$name: 0 passed, 1 failed"; return 1
  fi
  if [ ! -x "$ROOT/usr/libexec/swift/bin/swift" ]; then
    echo "$name: no Swift in $ROOT: run tests/setup/swift.sh" >&2; echo "$name: 0 passed, 1 failed"; return 1
  fi
  (
    # /proc and the clone inside the chroot. A mount that was already there (another
    # run) is used and left alone.
    unmount=()
    cleanup() {
      local i
      for ((i = ${#unmount[@]} - 1; i >= 0; i--)); do
        umount "${unmount[i]}" 2>/dev/null || umount -l "${unmount[i]}" || echo "$name: could not unmount ${unmount[i]}" >&2
      done
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    if ! mountpoint -q "$ROOT/proc"; then
      mount -t proc proc "$ROOT/proc" || exit 1
      unmount+=("$ROOT/proc")
    fi
    mkdir -p "$ROOT$root"
    if ! mountpoint -q "$ROOT$root"; then
      mount --bind "$root" "$ROOT$root" || exit 1
      unmount+=("$ROOT$root")
    fi
    echo "$name: swift test in $ROOT"
    chroot "$ROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
      PATH=/usr/libexec/swift/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      LD_LIBRARY_PATH="$libdir" \
      /usr/libexec/swift/bin/swift test --package-path "$pkg" --scratch-path "$out/.build" 2>&1 | tee "$out/swift-test.log"
    exit "${PIPESTATUS[0]}"
  )
  local status=$?
  # XCTest's last summary covers all suites: "Executed 4 tests, with 0 failures (0 unexpected) in …".
  local summary executed failures failed passed
  summary=$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$out/swift-test.log" 2>/dev/null | tail -n 1)
  executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
  failures=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
  executed=${executed:-0}
  failures=${failures:-0}
  # A test with several failed assertions counts once.
  failed=$(grep -cE "^Test Case .* failed" "$out/swift-test.log" 2>/dev/null)
  failed=${failed:-0}
  passed=$((executed - failed))
  if { [ "$status" -ne 0 ] || [ "$failures" -gt 0 ]; } && [ "$failed" -eq 0 ]; then
    failed=1
  fi
  [ "$executed" -gt 0 ] || echo "$name: no XCTest test ran" >&2
  echo "$name: $passed passed, $failed failed"
  [ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$executed" -gt 0 ]
}
