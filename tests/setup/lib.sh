#!/usr/bin/env bash
# Sourced by every installer under tests/setup/: what makes them safe to run twice at
# once, or to interrupt. Each installer takes a lock of its own for the whole run, builds
# what it installs in a temporary folder beside the cache entry and renames it into place
# only when complete (a rename is atomic: a reader sees the old entry or the whole new
# one, never half of either), and installs Debian packages under one lock shared by all.
#
#   source tests/setup/lib.sh
#   setup_lock NAME              # waits for, then holds, the lock NAME until the script exits
#   setup_tmp tmp NAME           # $tmp: an empty folder in the cache (the caller holds a
#                                # lock), removed at exit unless committed
#   setup_commit "$tmp" FINAL    # renames the finished folder to FINAL (replacing an old one)
#   setup_apt_install PKG…       # installs the Debian packages that are missing
#   setup_at_exit 'COMMAND'      # runs COMMAND at exit (before the temporary folders go)
#
# The lock's file descriptor is not passed to programs that outlive the script: run
# such a program with `setup_unlocked CMD…` (a database server started in the
# background would otherwise hold the lock for as long as it runs).

cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
setup_lock_fds=()
setup_tmps=()
setup_exit_cmds=()

setup_cleanup() {
  local i
  for ((i = ${#setup_exit_cmds[@]} - 1; i >= 0; i--)); do eval "${setup_exit_cmds[i]}" || true; done
  for i in "${setup_tmps[@]}"; do [ -z "$i" ] || rm -rf "$i"; done
}
trap setup_cleanup EXIT
trap 'exit 130' INT TERM

setup_at_exit() { setup_exit_cmds+=("$1"); }

setup_lock() {
  local fd
  mkdir -p "$cache/.locks"
  exec {fd}>"$cache/.locks/$1.lock"
  if ! flock -n "$fd"; then
    echo "setup: waiting for another install of $1 to finish" >&2
    flock "$fd"
  fi
  setup_lock_fds+=("$fd")
}

setup_unlocked() {
  (
    for fd in "${setup_lock_fds[@]}"; do eval "exec $fd>&-"; done
    "$@"
  )
}

setup_tmp() {
  local var=$1 name=$2 dir
  mkdir -p "$cache"
  # What an interrupted install of the same thing left (the caller holds its lock, so no
  # other install is writing there), unless something is still mounted in it.
  for dir in "$cache/.$name.tmp."*; do
    [ -e "$dir" ] || continue
    grep -q " $dir/" /proc/self/mounts || rm -rf "$dir"
  done
  dir=$(mktemp -d "$cache/.$name.tmp.XXXXXX")
  # Readable like any installed folder (a chroot's root must be, for apt's own user).
  chmod 755 "$dir"
  setup_tmps+=("$dir")
  printf -v "$var" '%s' "$dir"
}

setup_commit() {
  local tmp=$1 final=$2 old=""
  if [ -e "$final" ] || [ -L "$final" ]; then
    old=$(mktemp -u "$final.old.XXXXXX")
    mv "$final" "$old"
  fi
  mv "$tmp" "$final"
  [ -z "$old" ] || rm -rf "$old"
}

# True when every named Debian package is installed.
setup_have_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

# Holds the apt lock only while it installs (a subshell: the lock goes with it).
setup_apt_install() {
  setup_have_debs "$@" && return 0
  [ "$(id -u)" = 0 ] || { echo "setup: Debian packages $* are missing; run as root to install them" >&2; return 1; }
  (
    mkdir -p "$cache/.locks"
    exec 9>"$cache/.locks/apt.lock"
    flock -n 9 || { echo "setup: waiting for another Debian install to finish" >&2; flock 9; }
    missing=()
    for p in "$@"; do setup_have_debs "$p" || missing+=("$p"); done
    [ ${#missing[@]} -gt 0 ] || exit 0
    echo "setup: installing ${missing[*]} from Debian" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Packages whose service would start on install (haproxy, postgresql): the tests
    # start their own, so none starts here.
    policy=/usr/sbin/policy-rc.d
    made_policy=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
      trap '[ -z "$made_policy" ] || rm -f "$policy"' EXIT
    fi
    apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
    # A fresh machine may have no package lists yet; refresh them only when needed.
    if ! "${apt[@]}" install "${missing[@]}" >/dev/null 2>&1; then
      apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
      "${apt[@]}" install "${missing[@]}" >/dev/null
    fi
    setup_have_debs "${missing[@]}" || { echo "setup: ${missing[*]} not installed after apt-get" >&2; exit 1; }
  )
}

# A Python virtual environment at FINAL with the given pip requirements, built in a
# temporary folder and renamed into place (with SETUP_VENV_NO_DEPS, requirements
# installed without their dependencies too). The scripts in its bin/ (pip, pytest,
# schemathesis, activate) name the folder they were made in: they are pointed at FINAL
# before the rename.
setup_venv() {
  local name=$1 final=$2
  shift 2
  command -v python3 >/dev/null || setup_apt_install python3
  python3 -c 'import venv, ensurepip' 2>/dev/null || setup_apt_install python3-venv
  local tmp
  setup_tmp tmp "$name"
  echo "setup: installing $* into $final" >&2
  python3 -m venv "$tmp" >&2
  "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
  if [ -n "${SETUP_VENV_NO_DEPS:-}" ]; then
    # shellcheck disable=SC2086
    "$tmp/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps $SETUP_VENV_NO_DEPS >&2
  fi
  local f
  for f in "$tmp"/bin/*; do
    if [ -f "$f" ] && [ ! -L "$f" ] && grep -Iq "$tmp" "$f"; then sed -i "s|$tmp|$final|g" "$f"; fi
  done
  setup_commit "$tmp" "$final"
}
