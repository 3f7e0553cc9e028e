import CJicaiSQLite
import Foundation
import PostgresKit
import SQLiteKit

extension DB {
    /// Streams a query's rows of three integers and an optional text without decoding through `Codable` (millions
    /// of rows for the checks). `sql` names the batch parameter `$1`; it is rewritten for SQLite.
    func forEachRow(_ sql: String, batchID: Int64, _ body: @escaping @Sendable (Int64, Int64, Int64, String?) -> Void) async throws {
        try await forEachRow(sql, binds: [batchID], body)
    }

    /// The same with any integer parameters, `$1`, `$2`, … in `sql`. On PostgreSQL `settings` (name, value) hold for
    /// this query only, on its connection (e.g. the memory a large aggregate may use before it spills to disk).
    func forEachRow(
        _ sql: String, binds: [Int64], postgresSettings settings: [(String, String)] = [],
        _ body: @escaping @Sendable (Int64, Int64, Int64, String?) -> Void
    ) async throws {
        switch engine {
        case .sqlite:
            let names = RowSink<[String]?>(nil)
            var text = sql
            for index in (1...max(1, binds.count)).reversed() { text = text.replacingOccurrences(of: "$\(index)", with: "?\(index)") }
            try await (fluent as! any SQLiteDatabase).query(text, binds.map { .integer(Int($0)) }) { row in
                if names.value == nil { names.value = row.columns.map(\.name) }
                let columnNames = names.value!
                body(
                    Int64(row.column(columnNames[0])?.integer ?? 0), Int64(row.column(columnNames[1])?.integer ?? 0),
                    Int64(row.column(columnNames[2])?.integer ?? 0),
                    columnNames.count > 3 ? row.column(columnNames[3])?.string : nil)
            }
        case .postgres:
            try await (fluent as! any PostgresDatabase).withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    var bindings = PostgresBindings()
                    for bind in binds { bindings.append(bind) }
                    try await Self.with(settings, on: [conn]) {
                        let rows = try await conn.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: conn.logger)
                        for try await (a, b, c, t) in rows.decode((Int64, Int64, Int64, String?).self) { body(a, b, c, t) }
                    }
                }
            }.get()
        }
    }
}

extension DB {
    /// Runs `body` with each (name, value) set on the connections; the connections go back to the pool afterwards, so
    /// each setting returns to its default (NULL), also when `body` throws.
    fileprivate static func with(_ settings: [(String, String)], on conns: [PostgresConnection], _ body: () async throws -> Void) async throws {
        func set(_ value: (String) -> String?) async throws {
            for conn in conns {
                for (name, _) in settings {
                    _ = try await conn.query("SELECT set_config(\(name), \(value(name)), false)", logger: conn.logger)
                }
            }
        }
        try await set { name in settings.first { $0.0 == name }?.1 }
        do {
            try await body()
        } catch {
            try? await set { _ in nil }
            throw error
        }
        try await set { _ in nil }
    }
}

extension DB {
    /// Runs the queries in order and hands over their rows in that order, each query's after the one before. On
    /// PostgreSQL two run at a time, on two connections: while the rows of one are handed over, the engine works on
    /// the next (an aggregate returns no row before it has hashed all of its input, so one large query kept the
    /// caller waiting, then the engine idle). SQLite runs them one after the other. Same parameters and settings as
    /// `forEachRow`.
    func forEachRowInSequence(
        _ sqls: [String], binds: [Int64], postgresSettings settings: [(String, String)] = [],
        _ body: @escaping @Sendable (Int64, Int64, Int64, String?) -> Void
    ) async throws {
        guard engine == .postgres, sqls.count > 1 else {
            for sql in sqls { try await forEachRow(sql, binds: binds, postgresSettings: settings, body) }
            return
        }
        let pg = fluent as! any PostgresDatabase
        var bindings = PostgresBindings()
        for bind in binds { bindings.append(bind) }
        let values = bindings
        try await pg.withConnection { first in
            first.eventLoop.makeFutureWithTask {
                try await pg.withConnection { second in
                    second.eventLoop.makeFutureWithTask {
                        try await Self.with(settings, on: [first, second]) {
                            let conns = [first, second]
                            func start(_ i: Int) -> Task<PostgresRowSequence, any Error> {
                                let conn = conns[i % 2]
                                return Task { try await conn.query(PostgresQuery(unsafeSQL: sqls[i], binds: values), logger: conn.logger) }
                            }
                            var running = [start(0), start(1)]
                            do {
                                for i in sqls.indices {
                                    let rows = try await running[i].value
                                    for try await (a, b, c, t) in rows.decode((Int64, Int64, Int64, String?).self) { body(a, b, c, t) }
                                    if i + 2 < sqls.count { running.append(start(i + 2)) }
                                }
                            } catch {
                                // The query still running on the other connection finishes before it goes back.
                                for task in running { _ = try? await task.value }
                                throw error
                            }
                        }
                    }
                }.get()
            }
        }.get()
    }
}

extension DB {
    /// Text expressions joined into one text, separated by U+001F (each engine spells the character differently).
    func fieldsAsText(_ texts: [String]) -> String {
        texts.joined(separator: engine == .sqlite ? " || char(31) || " : " || chr(31) || ")
    }

    /// Rows per institution folded into one text by the engine (`group_concat` / `string_agg`), records separated by
    /// U+001E and fields by U+001F: sqlite-nio hands over a row in about 3 µs, so a million rows arrive as 50,000.
    /// `fields` are SQL expressions of `table`'s columns; the callback gets each institution's records.
    func forEachGroup(table: String, fields: [String], batchID: Int64, _ body: @escaping @Sendable (Int64, inout RecordScanner) -> Void) async throws
    {
        let record = fieldsAsText(fields.map { "CAST(\($0) AS TEXT)" })
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
        var value: Int64 = 0
        var negative = false
        while position < bytes.count, bytes[position] != 0x1F, bytes[position] != 0x1E {
            let byte = bytes[position]
            if byte == UInt8(ascii: "-") { negative = true } else if byte >= 48, byte <= 57 { value = value * 10 + Int64(byte - 48) }
            position += 1
        }
        if position < bytes.count, bytes[position] == 0x1F { position += 1 }
        return negative ? -value : value
    }

    /// The next field of a record as text (empty when empty); stays in the record.
    mutating func text() -> String {
        let start = position
        while position < bytes.count, bytes[position] != 0x1F, bytes[position] != 0x1E { position += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if position < bytes.count, bytes[position] == 0x1F { position += 1 }
        return text
    }

    /// The last field of a record as text (nil when empty); moves to the next record.
    mutating func lastText() -> String? {
        let field = lastField()
        return field.isEmpty ? nil : String(decoding: field, as: UTF8.self)
    }

    /// The last field of a record as bytes (they stay valid with the scanned buffer); moves to the next record.
    mutating func lastField() -> UnsafeBufferPointer<UInt8> {
        let start = position
        while position < bytes.count, bytes[position] != 0x1E { position += 1 }
        let field = UnsafeBufferPointer(rebasing: bytes[start..<position])
        if position < bytes.count { position += 1 }
        return field
    }

    /// Moves past the end of the current record.
    mutating func endRecord() {
        if position < bytes.count, bytes[position] == 0x1E { position += 1 }
    }
}
