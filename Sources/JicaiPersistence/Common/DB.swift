import FluentKit
import Foundation
import Logging
import Metrics
import PostgresKit
import SQLKit
import SQLiteKit

/// The engine behind a database: the few places where SQL differs (bulk loading, identity columns) branch on it.
public enum Engine: String, Sendable {
    case sqlite, postgres
}

/// A value of a row written through `DB.insert`.
public enum DBValue: Sendable, Hashable {
    case int(Int64)
    case text(String)
    case bool(Bool)
    case null

    static func text(_ s: String?) -> DBValue { s.map { .text($0) } ?? .null }
    static func int(_ i: Int64?) -> DBValue { i.map { .int($0) } ?? .null }
}

/// The database the stores work on: a Fluent database (for migrations and transactions) seen through SQLKit.
/// Every store takes one; inside `transaction` the same type is bound to one connection.
public struct DB: Sendable {
    public let fluent: any Database
    public var sql: any SQLDatabase { fluent as! any SQLDatabase }
    public let engine: Engine
    /// Inside `transaction` on SQLite: this database is bound to the connection that holds the write turn.
    var holdsWriteTurn = false

    public init(_ fluent: any Database) {
        self.fluent = fluent
        self.engine = (fluent as! any SQLDatabase).dialect.name == "sqlite" ? .sqlite : .postgres
    }

    public var logger: Logger { fluent.logger }

    /// Whether a read on another connection runs while a long query is under way, and rows arrive only once the
    /// engine is done with them: PostgreSQL, with its pool of connections and an aggregate that returns no row
    /// before it has hashed its input. SQLite reads on its one connection in turn, its reading thread busy
    /// throughout: work beside a read there only waits for it.
    public var readsBeside: Bool { engine == .postgres }

    /// Runs `body` in one transaction: everything or nothing is written.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (DB) async throws -> T) async throws -> T {
        try await SQLiteWriter.serialised(self) {
            try await DBMetrics.timed(engine, "transaction") {
                try await fluent.transaction { db in
                    var bound = DB(db)
                    bound.holdsWriteTurn = true
                    return try await body(bound)
                }
            }
        }
    }

    /// Inside `transaction`: waits until no other transaction holds `key`, and holds it to this one's end, so a
    /// limit read and checked in the transaction stays true until its write commits. PostgreSQL takes a transaction
    /// advisory lock on the key's hash; on SQLite every write transaction already runs alone (`SQLiteWriter`).
    public func serialise(on key: String) async throws {
        guard engine == .postgres else { return }
        try await run("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))")
    }

    public func run(_ query: SQLQueryString) async throws {
        note(query)
        try await SQLiteWriter.serialised(self) {
            try await DBMetrics.timed(engine, "write") { try await sql.raw(query).run() }
        }
    }

    /// Puts an SQLite database file in write-ahead-log mode (kept in the file): readers then never wait for the writer
    /// nor it for them. Nothing to do on PostgreSQL or for an in-memory database.
    public func useWriteAheadLog() async throws {
        guard engine == .sqlite else { return }
        struct Row: Decodable { var journal_mode: String }
        _ = try await sql.raw("PRAGMA journal_mode = WAL").all(decoding: Row.self)
    }

    public func all<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> [T] {
        note(query)
        return try await DBMetrics.timed(engine, "read") { try await sql.raw(query).all(decoding: T.self) }
    }

    public func first<T: Decodable>(_ query: SQLQueryString, as type: T.Type) async throws -> T? {
        note(query)
        return try await DBMetrics.timed(engine, "read") { try await sql.raw(query).first(decoding: T.self) }
    }

    public func scalar(_ query: SQLQueryString) async throws -> Int64 {
        struct Row: Decodable { var v: Int64? }
        note(query)
        return try await DBMetrics.timed(engine, "read") { try await sql.raw(query).first(decoding: Row.self)?.v ?? 0 }
    }

    /// Writes the statement's text to the task's statement log, when a caller keeps one (`DBMetrics.statements`).
    private func note(_ query: SQLQueryString) {
        guard let log = DBMetrics.statements else { return }
        log.append(sql.serialize(query).sql)
    }

    /// Up to this many rows go in one plain `INSERT … VALUES` statement; more go through the bulk path.
    static let smallInsertRows = 64

    /// Inserts rows: a few (a saved report's lines, its findings) in one `INSERT … VALUES` statement, one round trip;
    /// many through the bulk path (`BulkSink`: `jicai_bulk_insert` on SQLite, binary COPY on PostgreSQL, whose set-up
    /// costs more than a small insert). Call inside a transaction. `table` and `columns` are constants of this
    /// module, never user input.
    public func insert(into table: String, columns: [String], rows: [[DBValue]]) async throws {
        guard !rows.isEmpty else { return }
        if rows.count <= Self.smallInsertRows {
            try await DBMetrics.timed(engine, "write") { try await sql.raw(Self.insertStatement(into: table, columns: columns, rows: rows)).run() }
            return
        }
        try await DBMetrics.timed(engine, "bulk") { try await insertRows(into: table, columns: columns, rows: rows) }
    }

    static func insertStatement(into table: String, columns: [String], rows: [[DBValue]]) -> SQLQueryString {
        let head: String = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        var query = SQLQueryString(head)
        for (i, row) in rows.enumerated() {
            query = query + (i == 0 ? "(" : ", (")
            for (j, v) in row.enumerated() {
                if j > 0 { query = query + ", " }
                switch v {
                case .int(let number): query = query + "\(bind: number)"
                case .text(let text): query = query + "\(bind: text)"
                case .bool(let flag): query = query + "\(bind: flag)"
                case .null: query = query + "NULL"
                }
            }
            query = query + ")"
        }
        return query
    }

    private func insertRows(into table: String, columns: [String], rows: [[DBValue]]) async throws {
        try await bulkLoad(into: table, columns: columns) { sink in
            for row in rows {
                for value in row {
                    switch value {
                    case .int(let number): sink.value(number)
                    case .bool(let flag): sink.value(flag ? 1 : 0)
                    case .text(let text): sink.text(text)
                    case .null: sink.value(nil)
                    }
                }
                try await sink.endRow()
            }
        }
    }

    /// The PostgreSQL connection of this (transaction-bound) database, for `COPY FROM`.
    func postgresConnection() async throws -> PostgresConnection {
        try await (fluent as! any PostgresDatabase).withConnection { conn in conn.eventLoop.makeSucceededFuture(conn) }.get()
    }
}

/// Dates are stored as ISO 8601 text in UTC, the same on both engines.
public enum Timestamp {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    public static func text(_ date: Date) -> String { style.format(date) }
    public static func date(_ text: String) -> Date? { try? style.parse(text) }
}

/// Collects what a row callback produces. The drivers call the callback serially and finish before the query
/// returns, so the unchecked sendability is sound as long as the sink is only read after the query.
public final class RowSink<T>: @unchecked Sendable {
    public var value: T
    public init(_ value: T) { self.value = value }
}

/// Query counts and times for `/metrics` (swift-metrics; the server bootstraps a Prometheus backend, elsewhere the
/// calls are no-ops): `jicai_db_queries_total`, `jicai_db_query_duration_seconds`, `jicai_db_query_errors_total`
/// by engine and kind (read, write, bulk, transaction), and the queries in flight.
public enum DBMetrics {
    static let inFlight = Gauge(label: "jicai_db_queries_in_flight")
    static let inFlightCount = Tally()

    /// The statements a task (and its child tasks) ran through `DB`, while one is kept: how many queries a request
    /// makes, and of what, is measured with it (e.g. that a dashboard reads the `batches` row once). Nil otherwise:
    /// then nothing is recorded.
    @TaskLocal public static var statements: StatementLog?

    /// A list of statements appended from several tasks.
    public final class StatementLog: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String] = []
        public init() {}
        public func append(_ text: String) { lock.withLock { texts.append(text) } }
        public var all: [String] { lock.withLock { texts } }
        /// The statements that read from `table` ("FROM batches …").
        public func reads(from table: String) -> Int {
            all.filter { $0.range(of: "FROM \(table)", options: .caseInsensitive) != nil }.count
        }
    }

    /// A count that goes up and down from several threads (queries or jobs in flight), for a gauge.
    public final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        public init() {}
        public func add(_ change: Int) -> Int {
            lock.withLock {
                count += change
                return count
            }
        }
    }

    public static func timed<T>(_ engine: Engine, _ kind: String, _ body: () async throws -> T) async throws -> T {
        let dimensions = [("engine", engine.rawValue), ("kind", kind)]
        let start = DispatchTime.now().uptimeNanoseconds
        inFlight.record(inFlightCount.add(1))
        defer {
            inFlight.record(inFlightCount.add(-1))
            Counter(label: "jicai_db_queries_total", dimensions: dimensions).increment()
            Timer(label: "jicai_db_query_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
                .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        }
        do {
            return try await body()
        } catch {
            Counter(label: "jicai_db_query_errors_total", dimensions: dimensions).increment()
            throw error
        }
    }
}

/// SQLite has one writer per database file, and sqlite-nio's busy handler retries a locked write at once, in a loop:
/// two connections (one per event loop) writing together spun a core each (a profile of 64 clients saving showed
/// 38% of the server's CPU in SQLite's lock and busy handler). Writes of this process therefore take turns here,
/// in arrival order, before they reach SQLite; a write on the database a transaction is bound to goes on (it holds
/// the turn). Readers are not held: in write-ahead-log mode they never wait for the writer.
enum SQLiteWriter {
    static let turn = AsyncTurn()

    static func serialised<T>(_ db: DB, _ body: () async throws -> T) async throws -> T {
        guard db.engine == .sqlite, !db.holdsWriteTurn else { return try await body() }
        await turn.acquire()
        defer { turn.release() }
        return try await body()
    }
}

/// A first-come, first-served async lock: `acquire` suspends (it does not block a thread) until `release`.
final class AsyncTurn: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if !busy {
                    busy = true
                    return true
                }
                waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    func release() {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if waiting.isEmpty {
                busy = false
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}

extension DB {
    /// Empties a table of figures derived from other tables at once, in the transaction (monitoring's tallies and
    /// positions, the assessment's results). `table` is a constant of this module.
    func emptyDerived(_ table: String) async throws {
        if engine == .postgres {
            // Not row by row: a DELETE left 430,000 dead rows and their index entries for the load after it to work
            // around (3.0 s and 3.5 s for the two loads, 0.7 s for the deletes; autovacuum later). TRUNCATE rolls
            // back with the transaction; until the commit, readers of the table wait rather than see the old figures.
            return try await run(SQLQueryString("TRUNCATE \(unsafeRaw: table)"))
        }
        // sqlite-nio builds SQLite with SECURE_DELETE: every freed page is overwritten with zeros, 1.2 GB for 5 M
        // tallies (6 s). These rows are derived from the purchases and hold nothing to erase: FAST zeroes what stays
        // on b-tree pages and leaves freed pages as they are. The connection's setting comes back.
        struct Mode: Decodable { var secure_delete: Int }
        let mode = try await first("PRAGMA secure_delete", as: Mode.self)?.secure_delete ?? 1
        try await run("PRAGMA secure_delete = FAST")
        do {
            try await run(SQLQueryString("DELETE FROM \(unsafeRaw: table)"))
        } catch {
            try? await run("PRAGMA secure_delete = \(unsafeRaw: String(mode))")
            throw error
        }
        try await run("PRAGMA secure_delete = \(unsafeRaw: String(mode))")
    }
}
