// swift-tools-version:5.9
// The Swift package of the iOS shell's testable part: MimamoriKit (the service around
// the phone core, the screen models, the background sync job and the reminder's
// scheduling) over MobileCore, the Swift binding UniFFI generates. The app links the
// MimamoriKit and MobileCore products; MimamoriKitTestSupport (failure injection around the real
// service, a recording notification centre) is used by the test target alone and is
// no product, so nothing of it ships. The generated files are never committed; they go in
// Sources/MobileCore/mobile_core.swift and Sources/mobile_coreFFI/mobile_coreFFI.h.
// On Linux (tests/shells/ios.sh) the C module links lib/libmobile_core.so; on a Mac it
// is the MobileCoreFFI.xcframework built from the core for the iOS targets.
import Foundation
import PackageDescription

let libDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("lib").path

#if os(Linux)
let ffi: Target = .systemLibrary(name: "mobile_coreFFI", path: "Sources/mobile_coreFFI")
let linkCore: [LinkerSetting] = [.unsafeFlags(["-L", libDir])]
#else
let ffi: Target = .binaryTarget(name: "mobile_coreFFI", path: "MobileCoreFFI.xcframework")
let linkCore: [LinkerSetting] = []
#endif

let package = Package(
    name: "MimamoriKit",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "MimamoriKit", targets: ["MimamoriKit"]),
        // The generated binding's types (PersonKind, AdviceView, …), which the views use.
        .library(name: "MobileCore", targets: ["MobileCore"]),
    ],
    targets: [
        ffi,
        .target(
            name: "MobileCore",
            dependencies: ["mobile_coreFFI"],
            path: "Sources/MobileCore",
            linkerSettings: linkCore
        ),
        .target(
            name: "MimamoriKit",
            dependencies: ["MobileCore"],
            path: "Sources/MimamoriKit"
        ),
        .target(
            name: "MimamoriKitTestSupport",
            dependencies: ["MimamoriKit", "MobileCore"],
            path: "Tests/MimamoriKitTestSupport"
        ),
        .testTarget(
            name: "MimamoriKitTests",
            dependencies: ["MimamoriKit", "MimamoriKitTestSupport", "MobileCore"],
            path: "Tests/MimamoriKitTests",
            linkerSettings: linkCore
        ),
    ]
)
