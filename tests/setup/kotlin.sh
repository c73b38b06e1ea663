#!/usr/bin/env bash
# Installs what the Kotlin test suites need, once per machine, under
# ${MIMAMORI_CACHE:-/var/cache/mimamori} (outside the clone):
#   - kotlinc from the npm package `kotlin-compiler` ($cache/kotlin);
#   - the JVM libraries from Maven Central, fetched with Maven at the versions of
#     android/gradle/libs.versions.toml (the list the Android Gradle build reads too):
#     kotlin-stdlib, kotlinx-coroutines-core-jvm, JNA and the JUnit 5 console launcher
#     (with Jupiter) into $cache/jvm-libs/jars, and Compose Multiplatform's desktop
#     artifacts for the screens into $cache/compose-libs/jars — named GROUP.ARTIFACT.jar
#     (net.java.dev.jna.jna.jar, …) beside a `versions` file that says which.
# A second run finds everything and only prints where it is; two runs at once share one
# install, and an interrupted one leaves nothing half made (tests/setup/lib.sh).
# tests/lib/jvm.sh names the files for the suites. Needs root on Debian 12 where java,
# npm or Maven are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

catalog=$here/../../android/gradle/libs.versions.toml
# The catalog's [versions] this script needs, read once.
read -r KOTLIN_VERSION COROUTINES_VERSION JNA_VERSION JUNIT_PLATFORM_VERSION CMP_VERSION M3_VERSION SKIKO_VERSION LIFECYCLE_VERSION < <(
  python3 -c 'import sys, tomllib; v = tomllib.load(open(sys.argv[1], "rb"))["versions"]; print(*(v[k] for k in sys.argv[2:]))' \
    "$catalog" kotlin kotlinx-coroutines jna junit-platform compose-multiplatform compose-multiplatform-material3 skiko jetbrains-lifecycle
)
[ -n "$LIFECYCLE_VERSION" ] || { echo "kotlin setup: $catalog lacks a version this script needs" >&2; exit 1; }
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

kotlin_dir=$cache/kotlin-compiler-$KOTLIN_VERSION
link=$cache/kotlin

# dep GROUP ARTIFACT VERSION: one <dependency> of a pom.
dep() { printf '    <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>\n' "$@"; }

# The libraries of every Kotlin suite: stdlib, coroutines, JNA, the JUnit 5 console.
base_wanted="kotlin-stdlib $KOTLIN_VERSION, kotlinx-coroutines-core-jvm $COROUTINES_VERSION, jna $JNA_VERSION, junit-platform-console-standalone $JUNIT_PLATFORM_VERSION (group.artifact.jar)"
base_deps() {
  dep org.jetbrains.kotlin kotlin-stdlib "$KOTLIN_VERSION"
  dep org.jetbrains.kotlinx kotlinx-coroutines-core-jvm "$COROUTINES_VERSION"
  dep net.java.dev.jna jna "$JNA_VERSION"
  dep org.junit.platform junit-platform-console-standalone "$JUNIT_PLATFORM_VERSION"
}
base_pins() { :; }

# The screens on the JVM: Compose Multiplatform's desktop artifacts with Skiko's Linux
# library, the view-model bridge and the UI test rule (JUnit 4, run by the console's
# vintage engine).
compose_wanted="compose $CMP_VERSION, material3 $M3_VERSION, skiko $SKIKO_VERSION, lifecycle $LIFECYCLE_VERSION, coroutines $COROUTINES_VERSION with swing"
compose_deps() {
  dep org.jetbrains.compose.runtime runtime-desktop "$CMP_VERSION"
  dep org.jetbrains.compose.foundation foundation-desktop "$CMP_VERSION"
  dep org.jetbrains.compose.ui ui-desktop "$CMP_VERSION"
  dep org.jetbrains.compose.material3 material3-desktop "$M3_VERSION"
  dep org.jetbrains.compose.ui ui-test-junit4-desktop "$CMP_VERSION"
  dep org.jetbrains.skiko skiko-awt-runtime-linux-x64 "$SKIKO_VERSION"
  dep org.jetbrains.androidx.lifecycle lifecycle-viewmodel-compose-desktop "$LIFECYCLE_VERSION"
  # Dispatchers.Main on a desktop JVM (the view models' scope runs there), as Android's
  # main thread on the phone.
  dep org.jetbrains.kotlinx kotlinx-coroutines-swing "$COROUTINES_VERSION"
}
# Versions Maven would otherwise mix or not find on Maven Central: lifecycle asks for a
# runtime-saveable that is not there, material3's alpha for beta artifacts of its own
# release (one of them not there either); all are taken at the release's own version.
compose_pins() {
  dep androidx.compose.runtime runtime-saveable-desktop 1.12.1
  local a
  for a in ui/ui-backhandler-desktop animation/animation-core-desktop foundation/foundation-layout-desktop \
    material/material-ripple-desktop ui/ui-text-desktop ui/ui-util-desktop ui/ui-graphics-desktop; do
    dep "org.jetbrains.compose.${a%%/*}" "${a#*/}" "$CMP_VERSION"
  done
  dep org.jetbrains.kotlinx kotlinx-coroutines-core-jvm "$COROUTINES_VERSION"
}

kotlinc_ready() { [ -x "$kotlin_dir/node_modules/kotlin-compiler/bin/kotlinc" ] && [ "$(readlink "$link" 2>/dev/null)" = "$kotlin_dir/node_modules/kotlin-compiler" ]; }
libs_ready() { [ "$(cat "$cache/$1/versions" 2>/dev/null)" = "$2" ]; }

# fetch FOLDER WANTED DEPS PINS: the jars of DEPS (with PINS fixing versions) from Maven
# Central into $cache/FOLDER, renamed into place when complete.
fetch() {
  local folder=$1 wanted=$2 deps=$3 pins=$4 tmp
  command -v mvn >/dev/null || setup_apt_install maven
  echo "kotlin setup: fetching $wanted from Maven Central" >&2
  setup_tmp tmp "$folder"
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo "  <groupId>jp.mimamori.tests</groupId><artifactId>$folder</artifactId><version>1</version>"
    echo '  <dependencyManagement><dependencies>'
    "$pins"
    echo '  </dependencies></dependencyManagement>'
    echo '  <dependencies>'
    "$deps"
    echo '  </dependencies></project>'
  } >"$tmp/pom.xml"
  # Maven's own downloads stay in the cache (never ~/.m2).
  if ! mvn -B -q -f "$tmp/pom.xml" -Dmaven.repo.local="$cache/maven-repository" \
    "$DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$tmp/jars" -Dmdep.stripVersion=true -Dmdep.prependGroupId=true >"$tmp/mvn.log" 2>&1; then
    tail -n 30 "$tmp/mvn.log" >&2
    echo "kotlin setup: Maven could not fetch $wanted" >&2
    exit 1
  fi
  rm -f "$tmp/pom.xml" "$tmp/mvn.log"
  echo "$wanted" >"$tmp/versions"
  setup_commit "$tmp" "$cache/$folder"
}

if ! kotlinc_ready || ! libs_ready jvm-libs "$base_wanted" || ! libs_ready compose-libs "$compose_wanted"; then
  setup_lock kotlin
  command -v java >/dev/null || setup_apt_install default-jre-headless

  if ! kotlinc_ready; then
    command -v npm >/dev/null || setup_apt_install npm
    if [ ! -x "$kotlin_dir/node_modules/kotlin-compiler/bin/kotlinc" ]; then
      echo "kotlin setup: installing kotlin-compiler $KOTLIN_VERSION from npm" >&2
      setup_tmp tmp kotlin-compiler
      npm install --silent --no-audit --no-fund --no-save --prefix "$tmp" "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
      chmod +x "$tmp/node_modules/kotlin-compiler/bin/"*
      setup_commit "$tmp" "$kotlin_dir"
    fi
    # The link is replaced by a rename too: never missing for a reader.
    ln -sfn "$kotlin_dir/node_modules/kotlin-compiler" "$link.new.$$"
    mv -T "$link.new.$$" "$link"
  fi
  libs_ready jvm-libs "$base_wanted" || fetch jvm-libs "$base_wanted" base_deps base_pins
  libs_ready compose-libs "$compose_wanted" || fetch compose-libs "$compose_wanted" compose_deps compose_pins
fi

source "$here/../lib/jvm.sh"
jvm_check || exit 1
echo "kotlin setup: kotlinc $link/bin/kotlinc ($KOTLIN_VERSION)" >&2
echo "kotlin setup: $base_wanted in $cache/jvm-libs/jars" >&2
echo "kotlin setup: $compose_wanted in $cache/compose-libs/jars" >&2
