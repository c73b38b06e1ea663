#!/usr/bin/env bash
# Builds the phone core for the iOS app on a developer's Mac (Xcode and rustup
# needed; nothing here runs on Linux CI): the static library for the device
# (aarch64-apple-ios), the simulator (aarch64-apple-ios-sim + x86_64-apple-ios, joined
# with lipo) and macOS (aarch64-apple-darwin, for `swift test` in MimamoriKit/), each
# with `cargo rustc -p mobile-core --release --crate-type staticlib`; generates the
# Swift binding with the workspace's own uniffi-bindgen; and writes
#
#   ios/MimamoriKit/MobileCoreFFI.xcframework      the libraries + mobile_coreFFI.h
#   ios/MimamoriKit/Sources/MobileCore/mobile_core.swift
#
# (both ignored by git). Then `xcodegen generate` in ios/ and build the app in Xcode.
# Usage: ios/scripts/build-xcframework.sh   (from anywhere)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
kit=ios/MimamoriKit
out=target/ios-xcframework
device=aarch64-apple-ios
simulators=(aarch64-apple-ios-sim x86_64-apple-ios)
mac=aarch64-apple-darwin

[ "$(uname -s)" = Darwin ] || { echo "build-xcframework: needs macOS with Xcode" >&2; exit 1; }
command -v xcodebuild >/dev/null || { echo "build-xcframework: xcodebuild not found (install Xcode)" >&2; exit 1; }
rustup target add "$device" "${simulators[@]}" "$mac"

export IPHONEOS_DEPLOYMENT_TARGET=16.0
for target in "$device" "${simulators[@]}" "$mac"; do
  echo "build-xcframework: mobile-core for $target"
  cargo rustc -p mobile-core --release --lib --target "$target" --crate-type staticlib
done

# The binding, generated from the macOS library with the generator of this workspace
# (its uniffi version is the core's).
cargo build -p uniffi-bindgen
rm -rf "$out"
mkdir -p "$out/headers" "$out/swift" "$out/simulator"
cargo rustc -p mobile-core --release --lib --target "$mac" --crate-type cdylib
target/debug/uniffi-bindgen generate --library "target/$mac/release/libmobile_core.dylib" \
  --language swift --out-dir "$out/swift"
cp "$out/swift/mobile_coreFFI.h" "$out/headers/"
# The generated module map, under the name an xcframework's headers need.
cp "$out/swift/mobile_coreFFI.modulemap" "$out/headers/module.modulemap"

lipo -create $(for t in "${simulators[@]}"; do echo "target/$t/release/libmobile_core.a"; done) \
  -output "$out/simulator/libmobile_core.a"

rm -rf "$kit/MobileCoreFFI.xcframework"
xcodebuild -create-xcframework \
  -library "target/$device/release/libmobile_core.a" -headers "$out/headers" \
  -library "$out/simulator/libmobile_core.a" -headers "$out/headers" \
  -library "target/$mac/release/libmobile_core.a" -headers "$out/headers" \
  -output "$kit/MobileCoreFFI.xcframework"

mkdir -p "$kit/Sources/MobileCore"
cp "$out/swift/mobile_core.swift" "$kit/Sources/MobileCore/"
echo "build-xcframework: wrote $kit/MobileCoreFFI.xcframework and $kit/Sources/MobileCore/mobile_core.swift"
