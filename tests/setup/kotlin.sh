#!/usr/bin/env bash
# Installs what the Kotlin test suites need, once per machine, under
# ${MIMAMORI_CACHE:-/var/cache/mimamori} (outside the clone):
#   - kotlinc from the npm package `kotlin-compiler` ($cache/kotlin);
#   - the JVM libraries from Maven Central, fetched with Maven at the versions of
#     android/gradle/libs.versions.toml (the list the Android Gradle build reads too):
#     kotlin-stdlib, kotlinx-coroutines-core-jvm, JNA and the JUnit 5 console launcher
#     (with Jupiter) — into $cache/jvm-libs, as plain names (jna.jar, …) beside a
#     `versions` file that says which.
# A second run finds everything and only prints where it is; two runs at once share one
# install, and an interrupted one leaves nothing half made (tests/setup/lib.sh).
# tests/lib/jvm.sh names the files for the suites. Needs root on Debian 12 where java,
# npm or Maven are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

catalog=$here/../../android/gradle/libs.versions.toml
# version KEY: the [versions] entry KEY of the catalog.
version() {
  python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["versions"][sys.argv[2]])' "$catalog" "$1"
}
KOTLIN_VERSION=$(version kotlin)
COROUTINES_VERSION=$(version kotlinx-coroutines)
JNA_VERSION=$(version jna)
JUNIT_PLATFORM_VERSION=$(version junit-platform)
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
wanted="kotlin-stdlib $KOTLIN_VERSION, kotlinx-coroutines-core-jvm $COROUTINES_VERSION, jna $JNA_VERSION, junit-platform-console-standalone $JUNIT_PLATFORM_VERSION"

kotlin_dir=$cache/kotlin-compiler-$KOTLIN_VERSION
link=$cache/kotlin
libs=$cache/jvm-libs

kotlinc_ready() { [ -x "$kotlin_dir/node_modules/kotlin-compiler/bin/kotlinc" ] && [ "$(readlink "$link" 2>/dev/null)" = "$kotlin_dir/node_modules/kotlin-compiler" ]; }
libs_ready() { [ "$(cat "$libs/versions" 2>/dev/null)" = "$wanted" ]; }

if ! kotlinc_ready || ! libs_ready; then
  setup_lock kotlin
  command -v java >/dev/null || setup_apt_install default-jre-headless

  if ! kotlinc_ready; then
    command -v npm >/dev/null || setup_apt_install npm
    if [ ! -x "$kotlin_dir/node_modules/kotlin-compiler/bin/kotlinc" ]; then
      echo "kotlin setup: installing kotlin-compiler $KOTLIN_VERSION from npm" >&2
      tmp=$(setup_tmp kotlin-compiler)
      setup_keep_tmp_until_exit "$tmp"
      npm install --silent --no-audit --no-fund --no-save --prefix "$tmp" "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
      chmod +x "$tmp/node_modules/kotlin-compiler/bin/"*
      setup_commit "$tmp" "$kotlin_dir"
    fi
    # The link is replaced by a rename too: never missing for a reader.
    ln -sfn "$kotlin_dir/node_modules/kotlin-compiler" "$link.new.$$"
    mv -T "$link.new.$$" "$link"
  fi

  if ! libs_ready; then
    command -v mvn >/dev/null || setup_apt_install maven
    echo "kotlin setup: fetching $wanted from Maven Central" >&2
    tmp=$(setup_tmp jvm-libs)
    setup_keep_tmp_until_exit "$tmp"
    dep() { printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' "$@"; }
    {
      echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
      echo '  <groupId>jp.mimamori.tests</groupId><artifactId>jvm-libs</artifactId><version>1</version>'
      echo '  <dependencies>'
      dep org.jetbrains.kotlin kotlin-stdlib "$KOTLIN_VERSION"
      dep org.jetbrains.kotlinx kotlinx-coroutines-core-jvm "$COROUTINES_VERSION"
      dep net.java.dev.jna jna "$JNA_VERSION"
      dep org.junit.platform junit-platform-console-standalone "$JUNIT_PLATFORM_VERSION"
      echo '  </dependencies></project>'
    } >"$tmp/pom.xml"
    # Maven's own downloads stay in the cache (never ~/.m2).
    if ! mvn -B -q -f "$tmp/pom.xml" -Dmaven.repo.local="$cache/maven-repository" \
      "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$tmp/jars" -Dmdep.stripVersion=true >"$tmp/mvn.log" 2>&1; then
      tail -n 30 "$tmp/mvn.log" >&2
      echo "kotlin setup: Maven could not fetch the JVM libraries" >&2
      exit 1
    fi
    for jar in kotlin-stdlib kotlinx-coroutines-core-jvm jna junit-platform-console-standalone; do
      [ -s "$tmp/jars/$jar.jar" ] || { echo "kotlin setup: $jar.jar missing after Maven" >&2; exit 1; }
      mv "$tmp/jars/$jar.jar" "$tmp/$jar.jar"
    done
    # The rest of the runtime classpath (kotlin-stdlib's annotations).
    mv "$tmp/jars" "$tmp/more"
    rm -f "$tmp/pom.xml" "$tmp/mvn.log"
    echo "$wanted" >"$tmp/versions"
    setup_commit "$tmp" "$libs"
  fi
fi

echo "kotlin setup: kotlinc $link/bin/kotlinc ($KOTLIN_VERSION)" >&2
echo "kotlin setup: $wanted in $libs" >&2
