#!/usr/bin/env bash
# Installs Swift 6 for the Swift binding tests, once per machine: a minimal Debian 13
# (trixie) folder made with debootstrap under ${MIMAMORI_CACHE:-/var/cache/mimamori},
# with Debian's `swiftlang` package (and libc6-dev, which SwiftPM needs for the C
# headers and start files) inside, run later with chroot. A second run finds
# $ROOT/usr/libexec/swift/bin/swift and the C headers and only prints where they
# are. Needs root on Debian 12 with Debian's archive reachable; the mirror is read
# from this machine's own apt sources.
set -euo pipefail

cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
ROOT=$cache/swift-trixie
swift_bin=$ROOT/usr/libexec/swift/bin/swift
export DEBIAN_FRONTEND=noninteractive

if [ -x "$swift_bin" ] && [ -f "$ROOT/usr/include/stdio.h" ]; then
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

# Refuses to delete a folder while anything is still mounted below it.
safe_remove() {
  if grep -q " $1/" /proc/self/mounts; then
    echo "swift setup: something is still mounted under $1; unmount it first" >&2
    exit 1
  fi
  rm -rf "$1"
}

if ! command -v debootstrap >/dev/null; then
  echo "swift setup: installing debootstrap from Debian"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

url=$(mirror)
mkdir -p "$cache"
# debootstrap deletes $ROOT/debootstrap when it finishes: a folder that still has it
# (or has no apt) is a half-made one and is made again.
if [ ! -x "$ROOT/usr/bin/apt-get" ] || [ -d "$ROOT/debootstrap" ]; then
  safe_remove "$ROOT"
  echo "swift setup: debootstrap --variant=minbase trixie from $url"
  debootstrap --variant=minbase trixie "$ROOT" "$url" >"$cache/debootstrap.log" 2>&1 || {
    tail -n 20 "$cache/debootstrap.log" >&2
    exit 1
  }
fi

# apt inside the chroot needs /proc; unmount it whatever happens.
mounted=""
cleanup() { [ -z "$mounted" ] || umount "$ROOT/proc" || umount -l "$ROOT/proc"; }
trap cleanup EXIT
mount -t proc proc "$ROOT/proc"
mounted=1
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
echo "swift setup: installing swiftlang and libc6-dev in the chroot"
chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get update -qq && apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'

for f in "$swift_bin" "$ROOT/usr/include/stdio.h"; do
  [ -e "$f" ] || { echo "swift setup: $f missing after install" >&2; exit 1; }
done
echo "swift setup: $(chroot "$ROOT" /usr/libexec/swift/bin/swift --version 2>&1 | grep -m1 'Swift version' || true)"
echo "swift setup: chroot $ROOT, swift $swift_bin"
