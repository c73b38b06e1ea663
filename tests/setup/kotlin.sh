#!/usr/bin/env bash
# Installs what the Kotlin binding tests need, once per machine: kotlinc (with its
# kotlin-stdlib and kotlinx-coroutines-core-jvm jars) from the npm package
# `kotlin-compiler`, kept under ${MIMAMORI_CACHE:-/var/cache/mimamori}, and JNA and
# JUnit 5 from Debian (`libjna-java`, `junit5`). A second run finds everything and
# only prints where it is. Needs root on Debian 12 with Debian's archive and the npm
# registry reachable.
set -euo pipefail

KOTLIN_VERSION=2.4.20
cache=${MIMAMORI_CACHE:-/var/cache/mimamori}
kotlin_home=$cache/kotlin-compiler-$KOTLIN_VERSION/node_modules/kotlin-compiler
link=$cache/kotlin
export DEBIAN_FRONTEND=noninteractive

# Installs the named Debian packages that are not installed yet.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "kotlin setup: installing ${missing[*]} from Debian"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# A JVM to run kotlinc and the tests, npm to fetch kotlinc.
command -v java >/dev/null || apt_install default-jre-headless
command -v npm >/dev/null || apt_install npm
apt_install libjna-java junit5

if [ ! -x "$kotlin_home/bin/kotlinc" ]; then
  echo "kotlin setup: installing kotlin-compiler $KOTLIN_VERSION from npm"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.kotlin-install.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  npm install --silent --no-audit --no-fund --no-save --prefix "$tmp" "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
  chmod +x "$tmp/node_modules/kotlin-compiler/bin/"*
  rm -rf "$cache/kotlin-compiler-$KOTLIN_VERSION"
  mv "$tmp" "$cache/kotlin-compiler-$KOTLIN_VERSION"
  trap - EXIT
fi
ln -sfn "$kotlin_home" "$link"

for f in "$link/bin/kotlinc" "$link/lib/kotlin-stdlib.jar" "$link/lib/kotlinx-coroutines-core-jvm.jar" \
  /usr/share/java/jna.jar /usr/share/java/junit-platform-console-standalone.jar; do
  [ -e "$f" ] || { echo "kotlin setup: missing $f after install" >&2; exit 1; }
done

echo "kotlin setup: kotlinc $link/bin/kotlinc ($KOTLIN_VERSION)"
echo "kotlin setup: stdlib, coroutines $link/lib/{kotlin-stdlib,kotlinx-coroutines-core-jvm}.jar"
echo "kotlin setup: JNA /usr/share/java/jna.jar, JUnit /usr/share/java/junit-platform-console-standalone.jar"
