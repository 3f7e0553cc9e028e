import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit

/// Which database to open: an SQLite file (the default, under ./data/), a private in-memory SQLite (tests), or
/// PostgreSQL from a URL, optionally inside one schema (tests isolate themselves that way).
public enum DatabaseConfig: Sendable, Hashable, CustomStringConvertible {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(url: String, schema: String? = nil)

    public static let postgresConnectionsPerLoop = 4

    public var isPostgres: Bool { if case .postgres = self { true } else { false } }

    /// `DATABASE_URL` (postgres://…) or the SQLite file `./data/jicai.sqlite`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseConfig {
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("sqlite:") { return .sqliteFile(String(url.dropFirst("sqlite:".count))) }
            return .postgres(url: url)
        }
        return .sqliteFile(env["JICAI_SQLITE_PATH"] ?? "data/jicai.sqlite")
    }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite \(path)"
        case .sqliteMemory: "SQLite (memory)"
        case .postgres(let url, let schema):
            "PostgreSQL \(url.replacingOccurrences(of: #"//[^@/]*@"#, with: "//…@", options: .regularExpression))"
                + (schema.map { " schema \($0)" } ?? "")
        }
    }

    /// The Fluent configuration. SQLite gets one connection (SQLite has one writer anyway); PostgreSQL four per loop.
    public func factory() throws -> DatabaseConfigurationFactory {
        if case .postgres = self {
        } else if !SQLiteBulk.registered {
            throw BulkLoadError(message: "could not register jicai_bulk_insert with SQLite")
        }
        switch self {
        case .sqliteFile(let path):
            // A new database file is made 0600 before SQLite opens it (its -wal and -shm files take the same mode).
            try PrivateFile.create(path)
            return .sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace)
        case .sqliteMemory:
            return .sqlite(.memory, maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace)
        case .postgres(let url, let schema):
            var config = try SQLPostgresConfiguration(url: url)
            if let schema { config.searchPath = [schema] }
            return .postgres(configuration: config, maxConnectionsPerEventLoop: Self.postgresConnectionsPerLoop, sqlLogLevel: .trace)
        }
    }
}

/// An open database outside a Vapor application (the CLI's offline tools and the tests).
public final class DatabaseHandle: Sendable {
    public let databases: Databases
    public let threadPool: NIOThreadPool
    public let config: DatabaseConfig
    public let logger: Logger

    public init(_ config: DatabaseConfig, logger: Logger = Logger(label: "jicai.db")) throws {
        self.config = config
        self.logger = logger
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try config.factory(), as: .init(string: "main"), isDefault: true)
    }

    public var db: DB { DB(databases.database(logger: logger, on: databases.eventLoopGroup.any())!) }

    /// Runs every pending migration.
    public func migrate() async throws {
        try await db.useWriteAheadLog()
        try await Self.migrate(databases: databases, logger: logger)
    }

    public static func migrate(databases: Databases, logger: Logger) async throws {
        let migrations = Migrations()
        migrations.add(JicaiMigrations.all)
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any(),
            migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
    }
}
