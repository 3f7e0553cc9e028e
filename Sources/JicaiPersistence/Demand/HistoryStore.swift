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

/// Adds monthly history rows to a bulk load.
public struct HistoryWriter {
    var sink: BulkSink
    let batchID: Int64

    /// Adds a row without suspending; true when `flush()` must be awaited before the next (see `BulkSink.closeRow`).
    public mutating func add(_ r: HistoryRow) -> Bool {
        sink.value(batchID)
        sink.value(r.institutionID)
        sink.value(r.specID)
        sink.value(Int64(r.month))
        sink.value(r.quantity)
        sink.value(r.amountFen)
        return sink.closeRow()
    }

    public mutating func flush() async throws {
        try await sink.flush()
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
    /// The one index of `history` (M008), dropped and rebuilt around a first load.
    public static let index = "history_institution"

    /// Removes the batch's history and totals (an import replaces them as a whole).
    public func clear(batchID: Int64) async throws {
        try await db.run("DELETE FROM history WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM history_totals WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM history_prices WHERE batch_id = \(bind: batchID)")
    }

    /// Fills `history_prices` from `history_totals`: one batch's (its id written into the text: a number) or, in
    /// the migration, every batch's.
    static func pricesSelect(batchFilter batchID: Int64?) -> String {
        """
        INSERT INTO history_prices (batch_id, spec_id, quantity, amount_fen)
        SELECT batch_id, spec_id, SUM(quantity), SUM(amount_fen) FROM history_totals
        WHERE amount_fen IS NOT NULL AND quantity > 0\(batchID.map { " AND batch_id = \($0)" } ?? "")
        GROUP BY batch_id, spec_id
        """
    }

    /// Writes monthly rows in bulk (see `BulkSink`); call inside a transaction. Into an empty table (the usual first
    /// load) the index is built once after the rows (`DB.deferringIndexes`).
    public func load(batchID: Int64, _ body: (inout HistoryWriter) async throws -> Void) async throws {
        try await db.deferringIndexes(on: "history", [(HistoryStore.index, "(institution_id)")]) {
            try await db.bulkLoad(into: "history", columns: HistoryStore.columns) { sink in
                var writer = HistoryWriter(sink: sink, batchID: batchID)
                try await body(&writer)
                sink = writer.sink
            }
        }
    }

    /// Writes the totals per institution × spec in bulk; call inside a transaction. On PostgreSQL, into an empty
    /// table, the primary key is added after the rows (as for the history index); on SQLite the table is clustered
    /// on that key, and the totals come in its order.
    public func loadTotals<S: Sequence<HistoryTotal>>(batchID: Int64, _ totals: S) async throws {
        var rebuild = false
        if db.engine == .postgres {
            rebuild = try await db.scalar("SELECT COUNT(*) AS v FROM (SELECT 1 AS one FROM history_totals LIMIT 1) t") == 0
        }
        if rebuild { try await db.run("ALTER TABLE history_totals DROP CONSTRAINT history_totals_pkey") }
        try await db.bulkLoad(into: "history_totals", columns: ["batch_id", "institution_id", "spec_id", "quantity", "amount_fen"]) { sink in
            for total in totals {
                sink.value(batchID)
                sink.value(total.institutionID)
                sink.value(total.specID)
                sink.value(total.quantity)
                sink.value(total.amountFen)
                if sink.closeRow() { try await sink.flush() }
            }
        }
        if rebuild {
            try await db.run("ALTER TABLE history_totals ADD CONSTRAINT history_totals_pkey PRIMARY KEY (batch_id, institution_id, spec_id)")
        }
        try await refreshPrices(batchID: batchID)
    }

    /// Sums the batch's totals with amounts per spec again (`history_prices`); the import calls it in its transaction.
    /// The batch's stamp is renewed: values derived from the prices are made again.
    public func refreshPrices(batchID: Int64) async throws {
        try await BatchStore(db).renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM history_prices WHERE batch_id = \(bind: batchID)")
        try await db.run(SQLQueryString(HistoryStore.pricesSelect(batchFilter: batchID)))
    }

    public func rowCount(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM history WHERE batch_id = \(bind: batchID)")
    }

    /// Totals over the reference period for every institution × spec of the batch: by institution id, (spec id,
    /// quantity) pairs.
    public func totals(batchID: Int64) async throws -> [Int64: [(spec: Int64, quantity: Int64)]] {
        let out = RowSink<[Int64: [(spec: Int64, quantity: Int64)]]>([:])
        try await db.forEachGroup(table: "history_totals", fields: ["spec_id", "quantity"], batchID: batchID) { institution, scanner in
            var list: [(spec: Int64, quantity: Int64)] = []
            while !scanner.atEnd {
                let spec = scanner.integer()
                let quantity = scanner.integer()
                scanner.endRecord()
                list.append((spec, quantity))
            }
            out.value[institution] = list
        }
        return out.value
    }
}
