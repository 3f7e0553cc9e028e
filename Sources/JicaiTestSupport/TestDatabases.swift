import Foundation
import JicaiPersistence
import Logging
import SQLKit

/// The engines a persistence test runs on: a fresh in-memory SQLite always, and a fresh schema of the PostgreSQL
/// database named by `JICAI_TEST_POSTGRES_URL` when it is set (CI sets it). Each call gets an empty, migrated
/// database of its own, so tests run in parallel.
public enum TestDatabases {
    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["JICAI_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }

    /// The configurations to run on, each labelled for failure messages.
    public static var engines: [String] { postgresURL == nil ? ["sqlite"] : ["sqlite", "postgres"] }

    /// Runs `body` with a migrated, empty database on `engine` ("sqlite" or "postgres") and drops it afterwards.
    public static func with(_ engine: String, _ body: (DB) async throws -> Void) async throws {
        let (config, schema) = try await configuration(engine)
        var logger = Logger(label: "jicai.test")
        logger.logLevel = .warning
        let handle = try DatabaseHandle(config, logger: logger)
        do {
            try await handle.migrate()
            try await body(handle.db)
        } catch {
            await handle.shutdown()
            try await drop(schema)
            throw error
        }
        await handle.shutdown()
        try await drop(schema)
    }

    /// A fresh database configuration for `engine`: an in-memory SQLite, or a new schema of the PostgreSQL test
    /// database (drop it with `drop` afterwards).
    public static func configuration(_ engine: String) async throws -> (DatabaseConfig, schema: String?) {
        guard engine == "postgres", let url = postgresURL else { return (.sqliteMemory, nil) }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try DatabaseHandle(.postgres(url: url))
        try await admin.db.run(SQLQueryString("CREATE SCHEMA \(unsafeRaw: String(name))"))
        await admin.shutdown()
        return (.postgres(url: url, schema: String(name)), String(name))
    }

    public static func drop(_ schema: String?) async throws {
        guard let schema, let url = postgresURL else { return }
        let admin = try DatabaseHandle(.postgres(url: url))
        try await admin.db.run(SQLQueryString("DROP SCHEMA \(unsafeRaw: schema) CASCADE"))
        await admin.shutdown()
    }
}
