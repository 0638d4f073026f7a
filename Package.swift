// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "lgadmin",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lgadmin", targets: ["lgadmin"]),
        .executable(name: "lgadmin-bench", targets: ["lgadmin-bench"]),
        .library(name: "PrivacyOps", targets: ["PrivacyOps"]),
        .library(name: "FlatStore", targets: ["FlatStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", providers: [.apt(["libncurses-dev"])]),
        // zlib: streaming inflate of gzip'd access logs (traffic reports), deflate for the demo's rotated logs.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libpq, PostgreSQL's C client: the PostgreSQL store backend (DESIGN.md §6b).
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
        // CRC-32C with the SSE4.2/ARMv8 instructions and a portable fallback (FlatStore's checksum).
        .target(name: "CCRC32C"),
        // openat2 and renameat2 for descriptor-relative work in directories other people control.
        .target(name: "CSafeFS"),
        .target(name: "FlatStore", dependencies: ["CCRC32C", "CSafeFS"]),
        .target(
            name: "PrivacyOps",
            dependencies: [
                "FlatStore", "CZlib", "CLibPQ",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(name: "ConsoleUI", dependencies: ["PrivacyOps", "CNCurses"]),
        .executableTarget(
            name: "lgadmin",
            dependencies: [
                "PrivacyOps", "ConsoleUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "lgadmin-bench", dependencies: ["FlatStore", "PrivacyOps", "ConsoleUI", "Harness"]),
        // What the tests and the benchmarks share: child processes with a clean slate (no inherited
        // descriptors or signal mask, output to files) and seeded random inputs.
        .target(name: "Harness"),
        // A tiny writer that FlatStore's crash tests run as a child process and SIGKILL.
        .executableTarget(name: "flatstore-probe", dependencies: ["FlatStore"]),
        .testTarget(name: "FlatStoreTests", dependencies: ["FlatStore", "flatstore-probe", "Harness"]),
        .testTarget(name: "PrivacyOpsTests", dependencies: ["PrivacyOps", "Harness"]),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "PrivacyOps", "Harness"]),
        .testTarget(name: "EndToEndTests", dependencies: ["lgadmin", "Harness"]),
    ],
    swiftLanguageModes: [.v6]
)
