// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Carta",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "carta", targets: ["carta"]),
        .library(name: "CartaCore", targets: ["CartaCore"]),
        // For Benchmarks/AuditBench (the store timed in process, release build).
        .library(name: "CartaStore", targets: ["CartaStore"]),
        // For Benchmarks/DeriveBench (the outcome derivation and the demo timed in process, release build).
        .library(name: "CartaTrial", targets: ["CartaTrial"]),
        // For Benchmarks/DeriveBench (the report page rendered in process, release build).
        .library(name: "CartaWeb", targets: ["CartaWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
    ],
    targets: [
        // Pure clinical rules: Foundation only (DESIGN.md §2).
        .target(name: "CartaCore", swiftSettings: strict),
        // Domain records every layer shares: pure values, no I/O (DESIGN.md §2).
        .target(name: "CartaModel", dependencies: ["CartaCore"], swiftSettings: strict),
        .target(
            name: "CartaStudy",
            dependencies: ["CartaCore", "CartaModel", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources/NCT05315778.yaml"), .copy("Resources/ctcae5")],
            swiftSettings: strict
        ),
        // One C function: SQLite's variadic `sqlite3_db_config`, which Swift cannot call (CartaStore's bulk load).
        .target(name: "CSQLiteConfig", dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]),
        .target(
            name: "CartaStore",
            dependencies: [
                "CartaCore", "CartaModel", "CSQLiteConfig",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // The application layer: one service per feature, the clock, workflow errors, the composition
        // root for the CLI and the server. No HTTP (DESIGN.md §2).
        .target(
            name: "CartaTrial",
            dependencies: [
                "CartaCore", "CartaModel", "CartaStudy", "CartaStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CartaWeb",
            dependencies: ["CartaCore", "CartaModel", "CartaStudy", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("templates"), .copy("static")],
            swiftSettings: strict
        ),
        .target(
            name: "CartaServer",
            dependencies: [
                "CartaCore", "CartaModel", "CartaStudy", "CartaStore", "CartaTrial", "CartaWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "carta",
            dependencies: [
                "CartaCore", "CartaModel", "CartaStudy", "CartaStore", "CartaTrial", "CartaServer", "CartaWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CartaTestSupport",
            dependencies: ["CartaCore", "CartaModel", "CartaStudy", "CartaStore", "CartaTrial"],
            swiftSettings: strict
        ),
        .testTarget(name: "CartaCoreTests", dependencies: ["CartaCore", "CartaTestSupport"], swiftSettings: strict),
        .testTarget(name: "CartaStudyTests", dependencies: ["CartaStudy", "CartaCore", "CartaModel"], swiftSettings: strict),
        .testTarget(name: "CartaWebTests", dependencies: ["CartaWeb", "CartaModel", "CartaCore", "CartaStudy", .product(name: "Mustache", package: "swift-mustache")], exclude: ["__Snapshots__"], swiftSettings: strict),
        .testTarget(name: "CartaModelTests", dependencies: ["CartaModel", "CartaCore"], swiftSettings: strict),
        .testTarget(
            name: "CartaTrialTests",
            dependencies: ["CartaTrial", "CartaModel", "CartaCore", "CartaStudy", "CartaStore", "CartaTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CartaStoreTests",
            dependencies: ["CartaStore", "CartaModel", "CartaCore", "CartaStudy", "CartaTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CartaServerTests",
            dependencies: [
                "CartaServer", "CartaTrial", "CartaWeb", "CartaModel", "CartaStore", "CartaStudy", "CartaCore", "CartaTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
