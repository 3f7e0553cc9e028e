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

    /// At most this many PostgreSQL test databases are open at once: each holds a pool of connections, and the
    /// suites run in parallel (unbounded, a full run passed the server's `max_connections` and crashed the run).
    static let postgresGate = TestGate(limit: 6)

    /// Runs `body` with a migrated, empty database on `engine` ("sqlite" or "postgres") and drops it afterwards.
    public static func with(_ engine: String, _ body: (DB) async throws -> Void) async throws {
        guard engine == "postgres" else { return try await open(engine, body) }
        await postgresGate.enter()
        do {
            try await open(engine, body)
        } catch {
            await postgresGate.leave()
            throw error
        }
        await postgresGate.leave()
    }

    static func open(_ engine: String, _ body: (DB) async throws -> Void) async throws {
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

/// A counting gate for async tasks: `enter` waits while `limit` tasks are inside.
actor TestGate {
    let limit: Int
    var inside = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func enter() async {
        if inside < limit {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            inside -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
