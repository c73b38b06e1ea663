#!/usr/bin/env bash
# Installs Swift 6 for the Swift binding tests, once per machine: a minimal Debian 13
# (trixie) folder made with debootstrap under ${MIMAMORI_CACHE:-/var/cache/mimamori},
# with Debian's `swiftlang` package (and libc6-dev, which SwiftPM needs for the C
# headers and start files) inside, run later with chroot. A second run finds
# $ROOT/usr/libexec/swift/bin/swift and the C headers and only prints where they
# are. The folder is made under a temporary name and renamed into place when complete;
# two runs at once share one install (tests/setup/lib.sh). Needs root on Debian 12 with
# Debian's archive reachable; the mirror is read from this machine's own apt sources.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ROOT=$cache/swift-trixie
swift_bin=$ROOT/usr/libexec/swift/bin/swift

ready() { [ -x "$swift_bin" ] && [ -f "$ROOT/usr/include/stdio.h" ]; }
if ready; then
  echo "swift setup: chroot $ROOT, swift $swift_bin"
  exit 0
fi
setup_lock swift
if ready; then
  # The same answer as the run that installed it.
  echo "swift setup: chroot $ROOT, swift $swift_bin"
  exit 0
fi

# The Debian mirror this machine already uses (deb822 sources first, then the
# one-line format), skipping the security archive.
mirror() {
  local m=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    m=$(awk 'BEGIN { RS = "" }
      /(^|\n)Types:[^\n]*deb/ && !/security/ {
        if (match($0, /URIs:[ \t]*[^ \t\n]+/)) {
          s = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit
        }
      }' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && !/security/ {
        for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit }
      }' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || { echo "swift setup: no Debian mirror in this machine's apt sources" >&2; return 1; }
  echo "$m"
}


# A half-made folder from an interrupted run of an older installer is replaced below;
# never one with something still mounted under it (a swift test running in it).
if grep -q " $ROOT/" /proc/self/mounts; then
  echo "swift setup: something is still mounted under $ROOT; unmount it first" >&2
  exit 1
fi

command -v debootstrap >/dev/null || setup_apt_install debootstrap
url=$(mirror)
setup_tmp tmp swift-trixie
echo "swift setup: debootstrap --variant=minbase trixie from $url"
debootstrap --variant=minbase trixie "$tmp" "$url" >"$tmp.debootstrap.log" 2>&1 || {
  tail -n 20 "$tmp.debootstrap.log" >&2
  rm -f "$tmp.debootstrap.log"
  exit 1
}
rm -f "$tmp.debootstrap.log"

# apt inside the chroot needs /proc; unmounted whatever happens, before the temporary
# folder goes.
mount -t proc proc "$tmp/proc"
setup_at_exit "mountpoint -q '$tmp/proc' && { umount '$tmp/proc' || umount -l '$tmp/proc'; }"
cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
echo "swift setup: installing swiftlang and libc6-dev in the chroot"
chroot "$tmp" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -qq && apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'
for f in "$tmp/usr/libexec/swift/bin/swift" "$tmp/usr/include/stdio.h"; do
  [ -e "$f" ] || { echo "swift setup: $f missing after install" >&2; exit 1; }
done
echo "swift setup: $(chroot "$tmp" /usr/libexec/swift/bin/swift --version 2>&1 | grep -m1 'Swift version' || true)" >&2
umount "$tmp/proc" || umount -l "$tmp/proc"
setup_commit "$tmp" "$ROOT"
echo "swift setup: chroot $ROOT, swift $swift_bin"
