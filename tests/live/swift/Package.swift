// swift-tools-version:5.9
// The SwiftPM package of the live-server Swift tests. tests/live/run.sh copies it into
// build/live/swift/pkg and adds what UniFFI generates: mobile_core.swift in
// Sources/MobileCore, mobile_coreFFI.h beside the module map, the library in lib/; the
// iOS shell's MimamoriKit sources (URLSessionTransport, the service, the screen models,
// the background sync job, the reminder's scheduling) in Sources/MimamoriKit, its test
// support in Sources/MimamoriKitTestSupport; and
// live.env with the server, the cases and the faults for the tests.
import Foundation
import PackageDescription

let libDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("lib").path

let package = Package(
    name: "LiveServerTests",
    targets: [
        .systemLibrary(name: "mobile_coreFFI", path: "Sources/mobile_coreFFI"),
        .target(
            name: "MobileCore",
            dependencies: ["mobile_coreFFI"],
            path: "Sources/MobileCore",
            linkerSettings: [.unsafeFlags(["-L", libDir])]
        ),
        .target(
            name: "MimamoriKit",
            dependencies: ["MobileCore"],
            path: "Sources/MimamoriKit"
        ),
        // The iOS kit's test support (a recording notification centre), copied in.
        .target(
            name: "MimamoriKitTestSupport",
            dependencies: ["MimamoriKit", "MobileCore"],
            path: "Sources/MimamoriKitTestSupport"
        ),
        .testTarget(
            name: "LiveServerTests",
            dependencies: ["MobileCore", "MimamoriKit", "MimamoriKitTestSupport"],
            path: "Tests/LiveServerTests",
            linkerSettings: [.unsafeFlags(["-L", libDir])]
        ),
    ]
)
