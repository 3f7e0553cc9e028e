// swift-tools-version:6.0
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Jicai",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "jicai", targets: ["Jicai"]),
        .executable(name: "jicai-fuzz", targets: ["JicaiFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.52.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "JicaiCore", swiftSettings: swift6),
        // The bulk-insert loop on SQLite's C API (see Sources/CJicaiSQLite/bulk.c); linked against sqlite-nio's SQLite.
        .target(name: "CJicaiSQLite"),
        .target(
            name: "JicaiInterchange",
            dependencies: [
                "JicaiCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swift6
        ),
        // Fuzz targets over the inputs that come from outside (scripts/fuzz.sh; replayed by the tests).
        .target(
            name: "JicaiFuzzTargets",
            dependencies: ["JicaiCore", "JicaiInterchange", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swift6
        ),
        .target(name: "CJicaiFuzz"),
        .executableTarget(
            name: "JicaiFuzz",
            dependencies: ["JicaiFuzzTargets", "CJicaiFuzz"],
            swiftSettings: swift6 + [.unsafeFlags(["-parse-as-library"])]
        ),
        .target(
            name: "JicaiPersistence",
            dependencies: [
                "JicaiCore", "CJicaiSQLite",
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "JicaiServices",
            dependencies: [
                "JicaiCore", "JicaiInterchange", "JicaiPersistence", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "JicaiWeb",
            dependencies: [
                "JicaiCore", "JicaiServices",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Vapor", package: "vapor"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swift6
        ),
        .target(
            name: "JicaiCLI",
            dependencies: [
                "JicaiCore", "JicaiInterchange", "JicaiServices", "JicaiPersistence",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "JicaiApp",
            dependencies: [
                "JicaiCore", "JicaiPersistence", "JicaiServices", "JicaiWeb", "JicaiCLI",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "Jicai",
            dependencies: ["JicaiApp", "JicaiCLI", .product(name: "Vapor", package: "vapor")],
            swiftSettings: swift6
        ),
        .target(
            name: "JicaiTestSupport",
            dependencies: [
                "JicaiCore", "JicaiPersistence", "JicaiServices", "JicaiApp",
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(name: "JicaiCoreTests", dependencies: ["JicaiCore"], swiftSettings: swift6),
        .testTarget(
            name: "JicaiInterchangeTests",
            dependencies: ["JicaiInterchange", "JicaiCore", "JicaiFuzzTargets", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Corpus")],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "JicaiPersistenceTests",
            dependencies: [
                "JicaiPersistence", "JicaiServices", "JicaiTestSupport", "JicaiInterchange", "JicaiCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "JicaiAppTests",
            dependencies: [
                "JicaiApp", "JicaiTestSupport", "JicaiCLI", "JicaiServices", "JicaiPersistence", "JicaiCore",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            // The golden files of the snapshot tests are read from the source tree, not bundled.
            exclude: ["__Snapshots__"],
            swiftSettings: swift6
        ),
    ]
)
