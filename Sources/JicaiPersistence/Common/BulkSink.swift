import Foundation
import PostgresKit
import SQLiteKit

/// Streams rows (integers and texts) into one table inside the current transaction, as fast as each engine allows:
/// on SQLite, multi-row INSERTs with raw binds, the next batch parsed while the previous one is written (the writes run
/// on SQLite's thread, the caller's parsing on another core); on PostgreSQL, one `COPY FROM` for the whole load, fed a
/// megabyte at a time. Values go in one by one (`value`), rows end with `endRow`, so nothing is allocated per row.
public struct BulkSink {
    fileprivate enum Target {
        case sqlite(any SQLiteDatabase)
        case postgres(PostgresCopyFromWriter)
    }

    fileprivate let target: Target
    /// The engine as a plain flag for the per-value paths: switching on `target` itself copies its payload (an
    /// existential or a writer), a retain and a release per value — 32% of a PostgreSQL import's time in a profile.
    fileprivate let isSQLite: Bool
    fileprivate let columns: Int
    fileprivate let table: String
    fileprivate let rowsPerStatement: Int
    fileprivate let fullStatement: String
    fileprivate var binds: [SQLiteData] = []
    fileprivate var rowsInBinds = 0
    /// The COPY text of the current megabyte, written through a raw pointer: ByteBuffer's per-write uniqueness and
    /// exclusivity checks were a tenth of an import's time. `storage` owns the memory; `base`/`used`/`capacity` live
    /// in the struct so writes need no runtime checks (the sink is used by one task at a time).
    fileprivate var storage: CopyStorage?
    fileprivate var base: UnsafeMutablePointer<UInt8>?
    fileprivate var used = 0
    fileprivate var capacity = 0
    fileprivate var valuesInRow = 0
    fileprivate var pending: Task<Void, any Error>?
    public private(set) var rows = 0

    fileprivate init(target: Target, table: String, columns: [String]) {
        self.target = target
        if case .sqlite = target {
            isSQLite = true
        } else {
            isSQLite = false
            let s = CopyStorage(capacity: BulkSink.flushAt + (64 << 10))
            storage = s
            base = s.base
            capacity = s.capacity
        }
        self.table = table
        self.columns = columns.count
        rowsPerStatement = 30_000 / columns.count
        fullStatement = BulkSink.statement(table: table, columns: columns, rows: rowsPerStatement)
        if case .sqlite = target { binds.reserveCapacity(rowsPerStatement * columns.count) }
    }

    fileprivate static func statement(table: String, columns: [String], rows: Int) -> String {
        let one = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES " + Array(repeating: one, count: rows).joined(separator: ",")
    }

    static let flushAt = 1 << 20

    /// Room for `n` more bytes of COPY text (long texts grow the block).
    private mutating func reserve(_ n: Int) {
        guard used + n > capacity else { return }
        let s = CopyStorage(capacity: max(capacity * 2, used + n))
        s.base.update(from: base!, count: used)
        storage = s
        base = s.base
        capacity = s.capacity
    }

    private mutating func put(_ b: UInt8) {
        base![used] = b
        used += 1
    }

    public mutating func value(_ v: Int64?) {
        if isSQLite {
            binds.append(v.map { .integer(Int($0)) } ?? .null)
        } else {
            reserve(22)
            if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
            if let v {
                if v == 0 {
                    put(UInt8(ascii: "0"))
                } else {
                    if v < 0 { put(UInt8(ascii: "-")) }
                    var m = v.magnitude, digits = 0, probe = m
                    while probe > 0 { digits += 1; probe /= 10 }
                    var i = used + digits - 1
                    while m > 0 {
                        base![i] = UInt8(truncatingIfNeeded: m % 10) + 48
                        m /= 10
                        i -= 1
                    }
                    used += digits
                }
            } else {
                put(UInt8(ascii: "\\"))
                put(UInt8(ascii: "N"))
            }
        }
        valuesInRow += 1
    }

    public mutating func text(_ t: String?) {
        if isSQLite {
            binds.append(t.map { .text($0) } ?? .null)
        } else {
            guard let t else {
                reserve(3)
                if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
                put(UInt8(ascii: "\\"))
                put(UInt8(ascii: "N"))
                valuesInRow += 1
                return
            }
            reserve(1 + 2 * t.utf8.count)
            if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
            for b in t.utf8 {
                switch b {
                case UInt8(ascii: "\\"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
                default: put(b)
                }
            }
        }
        valuesInRow += 1
    }

    /// The text written so far as a ByteBuffer (one copy per megabyte), and a fresh start.
    private mutating func takeCopyText() -> ByteBuffer {
        let out = ByteBuffer(bytes: UnsafeRawBufferPointer(start: base!, count: used))
        used = 0
        return out
    }

    public mutating func endRow() async throws {
        precondition(valuesInRow == columns, "a row of \(table) needs \(columns) values")
        valuesInRow = 0
        rows += 1
        if isSQLite {
            rowsInBinds += 1
            if rowsInBinds == rowsPerStatement, case .sqlite(let db) = target { try await flushSQLite(db, statement: fullStatement) }
        } else {
            reserve(1)
            put(UInt8(ascii: "\n"))
            if used >= BulkSink.flushAt, case .postgres(let writer) = target {
                try await writer.write(takeCopyText())
            }
        }
    }

    private mutating func flushSQLite(_ db: any SQLiteDatabase, statement: String) async throws {
        let batch = binds
        binds = []
        binds.reserveCapacity(rowsPerStatement * columns)
        rowsInBinds = 0
        if let pending { try await pending.value }
        pending = Task { _ = try await db.query(statement, batch) }
    }

    fileprivate mutating func finish(columnNames: [String]) async throws {
        switch target {
        case .sqlite(let db):
            if rowsInBinds > 0 {
                try await flushSQLite(db, statement: BulkSink.statement(table: table, columns: columnNames, rows: rowsInBinds))
            }
            if let pending { try await pending.value }
            pending = nil
        case .postgres(let writer):
            if used > 0 { try await writer.write(takeCopyText()) }
        }
    }

    /// Waits for a write still running when the load failed, so the transaction's connection is free to roll back.
    fileprivate mutating func abandon() async {
        _ = try? await pending?.value
        pending = nil
    }
}

/// Owns the memory of a sink's COPY text; freed when the last copy of the sink is gone.
final class CopyStorage {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }
    deinit { base.deallocate() }
}

extension DB {
    /// Loads rows into `table` (a constant of this module) through a `BulkSink`; call inside a transaction.
    public func bulkLoad(into table: String, columns: [String], _ body: (inout BulkSink) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            var sink = BulkSink(target: .sqlite(fluent as! any SQLiteDatabase), table: table, columns: columns)
            do {
                try await body(&sink)
                try await sink.finish(columnNames: columns)
            } catch {
                await sink.abandon()
                throw error
            }
        case .postgres:
            let conn = try await postgresConnection()
            try await conn.copyFrom(table: table, columns: columns, logger: logger) { writer in
                var sink = BulkSink(target: .postgres(writer), table: table, columns: columns)
                try await body(&sink)
                try await sink.finish(columnNames: columns)
            }
        }
    }
}

extension DB {
    /// Streams a query's rows of three integers and an optional text without decoding through `Codable` (millions
    /// of rows for the checks). `sql` names the batch parameter `$1`; it is rewritten for SQLite.
    func forEachRow(_ sql: String, batchID: Int64, _ body: @escaping @Sendable (Int64, Int64, Int64, String?) -> Void) async throws {
        switch engine {
        case .sqlite:
            let names = RowSink<[String]?>(nil)
            try await (fluent as! any SQLiteDatabase).query(sql.replacingOccurrences(of: "$1", with: "?"), [.integer(Int(batchID))]) { row in
                if names.value == nil { names.value = row.columns.map(\.name) }
                let n = names.value!
                body(Int64(row.column(n[0])?.integer ?? 0), Int64(row.column(n[1])?.integer ?? 0), Int64(row.column(n[2])?.integer ?? 0),
                     n.count > 3 ? row.column(n[3])?.string : nil)
            }
        case .postgres:
            try await (fluent as! any PostgresDatabase).withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    var binds = PostgresBindings()
                    binds.append(batchID)
                    let rows = try await conn.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: conn.logger)
                    for try await (a, b, c, t) in rows.decode((Int64, Int64, Int64, String?).self) { body(a, b, c, t) }
                }
            }.get()
        }
    }
}

extension DB {
    /// Rows per institution folded into one text by the engine (`group_concat` / `string_agg`), records separated by
    /// U+001E and fields by U+001F: sqlite-nio hands over a row in about 3 µs, so a million rows arrive as 50,000.
    /// `fields` are SQL expressions of `table`'s columns; the callback gets each institution's records.
    func forEachGroup(table: String, fields: [String], batchID: Int64, _ body: @escaping @Sendable (Int64, inout RecordScanner) -> Void) async throws {
        let record = engine == .sqlite
            ? fields.map { "CAST(\($0) AS TEXT)" }.joined(separator: " || char(31) || ")
            : fields.map { "CAST(\($0) AS TEXT)" }.joined(separator: " || chr(31) || ")
        let aggregate = engine == .sqlite ? "group_concat(\(record), char(30))" : "string_agg(\(record), chr(30))"
        let sql = "SELECT institution_id, 0 AS a, 0 AS b, \(aggregate) AS records FROM \(table) WHERE batch_id = $1 GROUP BY institution_id"
        try await forEachRow(sql, batchID: batchID) { institution, _, _, text in
            guard var text else { return }
            text.withUTF8 { bytes in
                var scanner = RecordScanner(bytes: bytes)
                body(institution, &scanner)
            }
        }
    }
}

/// Reads the records of `forEachGroup` in place: whole numbers and texts separated by U+001F, records by U+001E.
struct RecordScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    /// The next field as a whole number (0 when empty or not a number).
    mutating func integer() -> Int64 {
        var v: Int64 = 0
        var negative = false
        while position < bytes.count, bytes[position] != 0x1F, bytes[position] != 0x1E {
            let b = bytes[position]
            if b == UInt8(ascii: "-") { negative = true } else if b >= 48, b <= 57 { v = v * 10 + Int64(b - 48) }
            position += 1
        }
        if position < bytes.count, bytes[position] == 0x1F { position += 1 }
        return negative ? -v : v
    }

    /// The last field of a record as text (nil when empty); moves to the next record.
    mutating func lastText() -> String? {
        let start = position
        while position < bytes.count, bytes[position] != 0x1E { position += 1 }
        let text = position > start ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self) : nil
        if position < bytes.count { position += 1 }
        return text
    }

    /// Moves past the end of the current record.
    mutating func endRecord() {
        if position < bytes.count, bytes[position] == 0x1E { position += 1 }
    }
}
