#!/usr/bin/env bash
# Builds the phone core for Android into build/android-jniLibs/<abi>/libmobile_core.so,
# where the app module picks it up (app/build.gradle.kts: jniLibs.srcDir). Needs a
# developer's machine with the Android NDK (r27 or later; ANDROID_NDK_HOME set, as
# Android Studio's SDK manager installs it) and cargo-ndk; neither can be had on the
# project's Linux CI, which therefore never runs this script.
#
#   android/build-jnilibs.sh            arm64-v8a and x86_64 (devices and the emulator)
#   android/build-jnilibs.sh armeabi-v7a  other ABIs by name
#
# The libraries are linked with 16 KB page alignment (Android 15+ devices with 16 KB
# pages need it; NDK r28 does it by default, r27 needs the flag), and the app brings
# JNA 5.17.0, the first JNA whose own library loads on such devices.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
abis=("$@")
[ ${#abis[@]} -gt 0 ] || abis=(arm64-v8a x86_64)

command -v cargo-ndk >/dev/null || { echo "build-jnilibs: install cargo-ndk: cargo install cargo-ndk" >&2; exit 1; }
[ -n "${ANDROID_NDK_HOME:-}" ] || { echo "build-jnilibs: set ANDROID_NDK_HOME to the NDK (r27 or later)" >&2; exit 1; }

targets=()
for abi in "${abis[@]}"; do
  case $abi in
    arm64-v8a) rustup target add aarch64-linux-android ;;
    x86_64) rustup target add x86_64-linux-android ;;
    armeabi-v7a) rustup target add armv7-linux-androideabi ;;
    x86) rustup target add i686-linux-android ;;
    *) echo "build-jnilibs: unknown ABI $abi" >&2; exit 1 ;;
  esac
  targets+=(-t "$abi")
done

# The core alone (-p mobile-core) so no test-only feature is unified in; release, stripped.
RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,max-page-size=16384" \
  cargo ndk "${targets[@]}" --platform 26 -o build/android-jniLibs build -p mobile-core --release
find build/android-jniLibs -name '*.so' -print
