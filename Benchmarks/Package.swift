// swift-tools-version:6.1
// Performance benchmarks, kept out of the main package so `swift test` never times anything
// (DESIGN.md §2 "Benchmarks/"). Build: swift build -c release --scratch-path /tmp/bench-build
import PackageDescription

let package = Package(
    name: "CartaBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Carta", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ResponseBench",
            dependencies: [.product(name: "CartaCore", package: "Carta")]
        ),
        .executableTarget(
            name: "AuditBench",
            dependencies: [.product(name: "CartaStore", package: "Carta")]
        ),
        .executableTarget(
            name: "DeriveBench",
            dependencies: [.product(name: "CartaTrial", package: "Carta"), .product(name: "CartaStore", package: "Carta"),
                           .product(name: "CartaWeb", package: "Carta")]
        ),
        .executableTarget(
            name: "KMBench",
            dependencies: [.product(name: "CartaCore", package: "Carta")]
        ),
    ]
)
