import Foundation
import JicaiCore
import PostgresKit
import SQLKit
import SQLiteKit

/// One month of one institution's purchases of one spec, keyed by row ids.
public struct HistoryRow: Sendable, Hashable {
    public var institutionID: Int64
    public var specID: Int64
    /// yyyymm
    public var month: Int32
    public var quantity: Int64
    public var amountFen: Int64?

    public init(institutionID: Int64, specID: Int64, month: Int32, quantity: Int64, amountFen: Int64?) {
        self.institutionID = institutionID
        self.specID = specID
        self.month = month
        self.quantity = quantity
        self.amountFen = amountFen
    }
}

/// Total over the reference period of one institution × spec.
public struct HistoryTotal: Sendable, Hashable {
    public var institutionID: Int64
    public var specID: Int64
    public var quantity: Int64
    public var amountFen: Int64?

    public init(institutionID: Int64, specID: Int64, quantity: Int64, amountFen: Int64?) {
        self.institutionID = institutionID
        self.specID = specID
        self.quantity = quantity
        self.amountFen = amountFen
    }
}

/// Purchase history: bulk loading (multi-row INSERT on SQLite, COPY FROM on PostgreSQL) and the totals the checks read.
public struct HistoryStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    static let columns = ["batch_id", "institution_id", "spec_id", "month", "quantity", "amount_fen"]

    /// Removes the batch's history and totals (an import replaces them as a whole).
    public func clear(batchID: Int64) async throws {
        try await db.run("DELETE FROM history WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM history_totals WHERE batch_id = \(bind: batchID)")
    }

    /// Appends rows. Call inside a transaction with batches of a few thousand rows.
    public func append(batchID: Int64, _ rows: [HistoryRow]) async throws {
        guard !rows.isEmpty else { return }
        switch db.engine {
        case .sqlite:
            // 6 columns × 4,000 rows = 24,000 parameters per statement (SQLite allows 32,766).
            let perStatement = 4_000
            var start = 0
            let sqlite = db.fluent as! any SQLiteDatabase
            let one = "(?,?,?,?,?,?)"
            let fullText = "INSERT INTO history (batch_id,institution_id,spec_id,month,quantity,amount_fen) VALUES "
                + Array(repeating: one, count: perStatement).joined(separator: ",")
            while start < rows.count {
                let end = min(rows.count, start + perStatement)
                var binds: [SQLiteData] = []
                binds.reserveCapacity((end - start) * 6)
                for r in rows[start..<end] {
                    binds.append(.integer(Int(batchID)))
                    binds.append(.integer(Int(r.institutionID)))
                    binds.append(.integer(Int(r.specID)))
                    binds.append(.integer(Int(r.month)))
                    binds.append(.integer(Int(r.quantity)))
                    binds.append(r.amountFen.map { .integer(Int($0)) } ?? .null)
                }
                let text = end - start == perStatement ? fullText
                    : "INSERT INTO history (batch_id,institution_id,spec_id,month,quantity,amount_fen) VALUES "
                        + Array(repeating: one, count: end - start).joined(separator: ",")
                _ = try await sqlite.query(text, binds)
                start = end
            }
        case .postgres:
            var buffer = ByteBuffer()
            buffer.reserveCapacity(rows.count * 48)
            let batch = String(batchID)
            for r in rows {
                buffer.writeString(batch); buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(String(r.institutionID)); buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(String(r.specID)); buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(String(r.month)); buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(String(r.quantity)); buffer.writeInteger(UInt8(ascii: "\t"))
                if let a = r.amountFen { buffer.writeString(String(a)) } else { buffer.writeString("\\N") }
                buffer.writeInteger(UInt8(ascii: "\n"))
            }
            let conn = try await db.postgresConnection()
            let data = buffer
            try await conn.copyFrom(table: "history", columns: HistoryStore.columns, logger: db.logger) { writer in
                try await writer.write(data)
            }
        }
    }

    public func insertTotals(batchID: Int64, _ totals: [HistoryTotal]) async throws {
        try await db.insert(into: "history_totals", columns: ["batch_id", "institution_id", "spec_id", "quantity", "amount_fen"],
                            rows: totals.map { [.int(batchID), .int($0.institutionID), .int($0.specID), .int($0.quantity), .int($0.amountFen)] })
    }

    public func rowCount(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM history WHERE batch_id = \(bind: batchID)")
    }

    /// Totals over the reference period for every institution × spec of the batch, grouped by institution id.
    public func totals(batchID: Int64) async throws -> [Int64: [Int64: Int64]] {
        let out = RowSink<[Int64: [Int64: Int64]]>([:])
        try await db.forEachRow("SELECT institution_id, spec_id, quantity FROM history_totals WHERE batch_id = \(bind: batchID)", columns: 3) { v in
            out.value[v[0], default: [:]][v[1]] = v[2]
        }
        return out.value
    }
}
