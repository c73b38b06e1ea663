// swift-tools-version:5.9
// The SwiftPM package of the Swift binding tests. run.sh copies it into
// build/binding-tests/swift/pkg and adds what UniFFI generates: mobile_core.swift in
// Sources/MobileCore, mobile_coreFFI.h beside the module map, the library in lib/.
import Foundation
import PackageDescription

let libDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("lib").path

let package = Package(
    name: "MobileCoreBindingTests",
    targets: [
        .systemLibrary(name: "mobile_coreFFI", path: "Sources/mobile_coreFFI"),
        .target(
            name: "MobileCore",
            dependencies: ["mobile_coreFFI"],
            path: "Sources/MobileCore",
            linkerSettings: [.unsafeFlags(["-L", libDir])]
        ),
        .testTarget(
            name: "MobileCoreBindingTests",
            dependencies: ["MobileCore"],
            path: "Tests/MobileCoreBindingTests",
            linkerSettings: [.unsafeFlags(["-L", libDir])]
        ),
    ]
)
