import Foundation
import JicaiCore
import SQLKit

/// A purchase line ready to write: codes resolved to ids, dates as yyyymmdd.
public struct PurchaseRow: Sendable, Hashable {
    public var institutionID: Int64
    public var productCode: String
    public var orderDate: CivilDate
    public var deliveryDate: CivilDate?
    public var acceptanceDate: CivilDate?
    public var quantity: Int64
    public var amountFen: Int64
    public var orderNumber: String

    public init(
        institutionID: Int64, productCode: String, orderDate: CivilDate, deliveryDate: CivilDate?, acceptanceDate: CivilDate?, quantity: Int64,
        amountFen: Int64, orderNumber: String
    ) {
        self.institutionID = institutionID
        self.productCode = productCode
        self.orderDate = orderDate
        self.deliveryDate = deliveryDate
        self.acceptanceDate = acceptanceDate
        self.quantity = quantity
        self.amountFen = amountFen
        self.orderNumber = orderNumber
    }
}

extension CivilDate {
    /// 20260408: how purchase dates are stored (compact, ordered, and its ÷100 is the month partition key).
    public var yyyymmdd: Int64 { Int64(year * 10_000 + month * 100 + day) }
    public init?(yyyymmdd: Int64) { self.init(Int(yyyymmdd / 10_000), Int(yyyymmdd / 100 % 100), Int(yyyymmdd % 100)) }
}

/// Purchase lines: bulk loading (multi-row INSERT on SQLite, COPY on PostgreSQL into monthly partitions) and the
/// set-based sums a recompute reads.
public struct PurchaseStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    static let columns = [
        "batch_id", "institution_id", "product_code", "order_month", "order_date", "delivery_date", "acceptance_date", "quantity", "amount_fen",
        "order_number", "source", "import_id",
    ]

    /// On PostgreSQL, one partition per month (`purchases_m202604`); nothing to do on SQLite. Idempotent.
    public func ensurePartitions(_ months: [MonthKey]) async throws {
        guard db.engine == .postgres else { return }
        for month in months {
            // The bound after the month as a number (the month after the range's last is still a bound).
            let next = month.month == 12 ? (month.year + 1) * 100 + 1 : month.yyyymm + 1
            let statement =
                "CREATE TABLE IF NOT EXISTS purchases_m\(month.yyyymm) PARTITION OF purchases FOR VALUES FROM (\(month.yyyymm)) TO (\(next))"
            try await db.run(SQLQueryString(statement))
        }
    }

    /// The partitions of the purchases table of the current schema on PostgreSQL (month keys), for operators; empty on
    /// SQLite.
    public func partitions() async throws -> [String] {
        guard db.engine == .postgres else { return [] }
        struct R: Decodable { var name: String }
        return try await db.all(
            """
            SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'purchases' AND p.relnamespace = current_schema()::regnamespace ORDER BY c.relname
            """, as: R.self
        ).map(\.name)
    }

    /// Detaches a month's partition on PostgreSQL (its lines stay in a table of their own, out of monitoring).
    public func detach(_ month: MonthKey) async throws {
        guard db.engine == .postgres else {
            throw Refusal(.notOnThisEngine, zh: "只有PostgreSQL按月分区", en: "only PostgreSQL partitions the purchases by month")
        }
        let statement = "ALTER TABLE purchases DETACH PARTITION purchases_m\(month.yyyymm)"
        try await db.run(SQLQueryString(statement))
    }

    /// The institutions with lines of earlier imports ordered in these months, with their line counts (they need
    /// recomputing when the months are replaced); only `within` these institutions when given.
    public func imported(batchID: Int64, months: [Int], before importID: Int64, within: [Int64]? = nil) async throws -> [Int64: Int64] {
        guard !months.isEmpty else { return [:] }
        struct R: Decodable {
            var institution_id: Int64
            var lines: Int64
        }
        let list = months.map(String.init).joined(separator: ",")
        let rows = try await db.all(
            """
            SELECT institution_id, COUNT(*) AS lines FROM purchases WHERE batch_id = \(bind: batchID) AND import_id < \(bind: importID)
            AND source = 'import' AND order_month IN (\(unsafeRaw: list))
            """ + institutionFilter(within) + " GROUP BY institution_id",
            as: R.self)
        return Dictionary(rows.map { ($0.institution_id, $0.lines) }, uniquingKeysWith: +)
    }

    /// Removes the lines of earlier imports in these order months (a file replaces the months it holds, or only its
    /// own institutions' lines of those months when `within` is given); the lines of `keep` (the import just loaded)
    /// stay.
    public func deleteImported(batchID: Int64, months: [Int], keep: Int64, within: [Int64]? = nil) async throws {
        guard !months.isEmpty else { return }
        let list = months.map(String.init).joined(separator: ",")
        try await db.run(
            """
            DELETE FROM purchases WHERE batch_id = \(bind: batchID) AND import_id < \(bind: keep) AND source = 'import'
            AND order_month IN (\(unsafeRaw: list))
            """ + institutionFilter(within))
    }

    /// A number for the next import (greater than every registered one).
    public func nextImportID(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT MAX(import_id) AS v FROM purchase_imports WHERE batch_id = \(bind: batchID)") + 1
    }

    /// Registers an import (M017): its number, file name, line count, who and when.
    public func register(batchID: Int64, importID: Int64, file: String, lines: Int, actor: String, at: String) async throws {
        try await db.run(
            """
            INSERT INTO purchase_imports (batch_id, import_id, file, lines, actor, imported_at)
            VALUES (\(bind: batchID), \(bind: importID), \(bind: file), \(bind: Int64(lines)), \(bind: actor), \(bind: at))
            """)
    }

    /// The registered imports of a batch, newest first (the latest `limit` when given).
    public func imports(batchID: Int64, limit: Int? = nil) async throws -> [PurchaseImportEntry] {
        struct R: Decodable {
            var import_id: Int64
            var file: String
            var lines: Int64
            var actor: String
            var imported_at: String
        }
        return try await db.all(
            "SELECT import_id, file, lines, actor, imported_at FROM purchase_imports WHERE batch_id = \(bind: batchID) ORDER BY import_id DESC"
                + (limit.map { " LIMIT \(unsafeRaw: String(max(0, $0)))" } ?? ""),
            as: R.self
        ).map { PurchaseImportEntry(id: $0.import_id, file: $0.file, lines: $0.lines, actor: $0.actor, at: Timestamp.date($0.imported_at)) }
    }

    /// The secondary indexes of `purchases`: two on SQLite (M014, M016); none on PostgreSQL, where the monthly
    /// partitions serve the month filters and a recompute reads every partition in sequence anyway (M017).
    var indexes: [(name: String, columns: String)] {
        guard db.engine == .sqlite else { return [] }
        return [
            (name: "purchases_institution", columns: "(batch_id, institution_id)"), ("purchases_import", "(batch_id, import_id, order_month)"),
        ]
    }

    /// Writes purchase lines in bulk (see `BulkSink`); call inside a transaction. Into an empty table (a province's
    /// first file, often a year of lines) the indexes are built once after the rows (`DB.deferringIndexes`); later
    /// files (a month's lines into a large table) keep them up.
    public func load(batchID: Int64, importID: Int64, source: String = "import", _ body: (inout PurchaseWriter) async throws -> Void) async throws {
        try await db.deferringIndexes(on: "purchases", indexes) {
            try await db.bulkLoad(into: "purchases", columns: PurchaseStore.columns) { sink in
                var writer = PurchaseWriter(sink: sink, batchID: batchID, source: source, importID: importID)
                try await body(&writer)
                sink = writer.sink
            }
        }
    }

    /// The latest order month of the batch's lines, or nil without lines (walked from the top of the month index, or
    /// of PostgreSQL's monthly partitions).
    public func latestMonth(batchID: Int64) async throws -> MonthKey? {
        struct R: Decodable { var order_month: Int64 }
        let row = try await db.first(
            "SELECT order_month FROM purchases WHERE batch_id = \(bind: batchID) ORDER BY order_month DESC LIMIT 1", as: R.self)
        return row.flatMap { MonthKey(yyyymm: Int($0.order_month)) }
    }

    public func count(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM purchases WHERE batch_id = \(bind: batchID)")
    }

    /// The lines of the batch up to `asOf` in one pass, per institution in ascending id order: those accepted by then
    /// (their acceptance month, and whether in the year from `yearStart`), and those ordered by then and not yet
    /// accepted, summed per product (those ordered before `overdueBefore` and not delivered by `asOf` counted as overdue: a delivery recorded after the day did not exist on it). The
    /// engine folds each institution's lines into one text (see `forEachGroup`), so 5 M lines arrive as some 50,000
    /// rows. Walking the institution index needs no sort; summing them is the caller's (grouping by product and month
    /// first, then again by institution, made the engine sort twice: 12 s instead of 5 s for 5 M lines on SQLite). The
    /// open orders came from a second pass over the table before (1.4 s of SQLite's for a province's year). Accepted
    /// lines carry their product's number in `products` (lines of products not in it are left out), read from the
    /// text's bytes. Returns the number of lines the institutions read have in the batch, up to the as-of day or not.
    public func forEachLine(
        batchID: Int64, asOf: CivilDate, yearStart: CivilDate, overdueBefore: CivilDate, institutions: [Int64]?, products: CodeTable,
        _ body: @escaping @Sendable (_ institution: Int64, _ accepted: [AcceptedLine], _ open: [OpenSum]) -> Void
    ) async throws -> Int64 {
        // The key: an accepted line's month × 2 + 1 inside the year; -2 for an open order overdue, -1 for another.
        let key = """
            CASE WHEN acceptance_date <= $3 THEN (acceptance_date / 100) * 2 + (CASE WHEN acceptance_date >= $2 THEN 1 ELSE 0 END) \
            WHEN (delivery_date IS NULL OR delivery_date > $3) AND order_date < $4 THEN -2 ELSE -1 END
            """
        // One call instead of three casts and six concatenations: 8% less of PostgreSQL's time, some 10% of SQLite's.
        let separator = db.engine == .sqlite ? "char(31)" : "chr(31)"
        let record = "concat_ws(\(separator), \(key), quantity, amount_fen, product_code)"
        // Every line of the institution is counted (the run's line count, without a second pass); only those up to the
        // as-of day are folded into the text.
        let upTo = "FILTER (WHERE acceptance_date <= $3 OR order_date <= $3)"
        let aggregate = db.engine == .sqlite ? "group_concat(\(record), char(30)) \(upTo)" : "string_agg(\(record), chr(30)) \(upTo)"
        func sql(_ filter: String) -> String {
            """
            SELECT institution_id, COUNT(*) AS a, 0 AS b, \(aggregate) AS t
            FROM purchases WHERE batch_id = $1\(filter)
            GROUP BY institution_id ORDER BY institution_id
            """
        }
        let binds = [batchID, yearStart.yyyymmdd, asOf.yyyymmdd, overdueBefore.yyyymmdd]
        // PostgreSQL hashes the institutions' texts (280 MB for 6.8 M lines): with the default 4 MB of work memory
        // it spilled to disk in 127 batches (11.1 s); in memory and without JIT compiling it takes 6.1 s. A full
        // run hashes two parts of the lines side by side, on two connections (below).
        let settings = [("work_mem", "512MB"), ("jit", "off")]
        let counted = RowSink<Int64>(0)
        let handle: @Sendable (Int64, Int64, Int64, String?) -> Void = { institution, count, _, text in
            counted.value += count
            guard var text else { return }
            var lines: [AcceptedLine] = []
            var open: [String: OpenSum] = [:]
            text.withUTF8 { bytes in
                var scanner = RecordScanner(bytes: bytes)
                while !scanner.atEnd {
                    let key = scanner.integer()
                    let quantity = scanner.integer()
                    let amount = scanner.integer()
                    if key >= 0 {
                        if let product = products.number(scanner.lastField()), let month = MonthKey(yyyymm: Int(key / 2)) {
                            lines.append(AcceptedLine(product: product, month: month, inYear: key % 2 == 1, quantity: quantity, amountFen: amount))
                        }
                    } else if let product = scanner.lastText() {
                        let overdue: Int64 = key == -2 ? 1 : 0
                        open[
                            product,
                            default: OpenSum(institutionID: institution, productCode: product, quantity: 0, overdueOrders: 0, overdueQuantity: 0)
                        ]
                        .add(quantity: quantity, overdue: overdue)
                    }
                }
            }
            body(institution, lines, open.values.sorted { $0.productCode < $1.productCode })
        }
        if institutions == nil, db.engine == .postgres {
            // Two parts of about the same number of lines, in id order, aggregated side by side on two connections
            // (`forEachRowInSequence`). A province's year, lines and fold: one query 6.9-8.6 s, two parts 6.1-6.2 s,
            // four 5.7-7.3 s, six 6.4-6.9 s (each part scans every partition: there is no institution index).
            let bounds = try await partBounds(batchID: batchID, parts: 2)
            let parts = bounds.indices.map { i in
                sql((i == 0 ? "" : " AND institution_id >= \(bounds[i])") + (i + 1 < bounds.count ? " AND institution_id < \(bounds[i + 1])" : ""))
            }
            try await db.forEachRowInSequence(parts, binds: binds, postgresSettings: settings, handle)
        } else {
            try await db.forEachRow(sql(institutionFilterText(institutions)), binds: binds, postgresSettings: settings, handle)
        }
        return counted.value
    }

    /// PostgreSQL: institution ids that cut the batch's lines into about `parts` parts of equal size, lowest first
    /// (the first part starts at the lowest id): quantiles of a 1% sample of the table's pages, or of all lines of a
    /// small table. Lines per institution vary a lot (the lower half of a demo province's ids held 83% of its lines,
    /// its hospitals), so equal id ranges would not do.
    func partBounds(batchID: Int64, parts: Int) async throws -> [Int64] {
        let sample = RowSink<[Int64]>([])
        for from in ["purchases TABLESAMPLE SYSTEM (1) REPEATABLE (7)", "purchases"] {
            sample.value = []
            try await db.forEachRow("SELECT institution_id AS a, 0 AS b, 0 AS c, '' AS t FROM \(from) WHERE batch_id = $1", binds: [batchID]) {
                id, _, _, _ in
                sample.value.append(id)
            }
            // A sample this small comes from a small table (under some 100,000 lines): all of them are read instead.
            if sample.value.count >= 1000 { break }
        }
        let ids = sample.value.sorted()
        guard !ids.isEmpty else { return [0] }
        var bounds: [Int64] = [0]
        for k in 1..<parts {
            let id = ids[ids.count * k / parts]
            if id > bounds.last! { bounds.append(id) }
        }
        return bounds
    }

    /// " AND <column> IN (…)" for the given institutions; nothing when nil (all of them).
    func institutionFilterText(_ institutions: [Int64]?, column: String = "institution_id") -> String {
        guard let institutions else { return "" }
        return " AND \(column) IN (" + (institutions.isEmpty ? "-1" : institutions.map(String.init).joined(separator: ",")) + ")"
    }

    func institutionFilter(_ institutions: [Int64]?) -> SQLQueryString { "\(unsafeRaw: institutionFilterText(institutions))" }
}

/// A purchase line accepted up to the as-of day, as the recompute reads it: its product (a number in the reader's
/// `CodeTable`), its acceptance month and whether it falls in the current agreement year.
public struct AcceptedLine: Sendable, Hashable {
    public var product: Int32
    public var month: MonthKey
    public var inYear: Bool
    public var quantity: Int64
    public var amountFen: Int64

    public init(product: Int32, month: MonthKey, inYear: Bool, quantity: Int64, amountFen: Int64) {
        self.product = product
        self.month = month
        self.inYear = inYear
        self.quantity = quantity
        self.amountFen = amountFen
    }
}

/// Lines ordered and not yet accepted, of one institution and product: their quantity, and how many of them (and
/// how much) are overdue.
public struct OpenSum: Sendable, Hashable {
    public var institutionID: Int64
    public var productCode: String
    public var quantity: Int64
    public var overdueOrders: Int64
    public var overdueQuantity: Int64

    mutating func add(quantity: Int64, overdue: Int64) {
        self.quantity += quantity
        overdueOrders += overdue
        overdueQuantity += overdue * quantity
    }
}

/// Adds purchase lines to a bulk load.
public struct PurchaseWriter {
    var sink: BulkSink
    let batchID: Int64
    let source: String
    let importID: Int64

    /// Adds a row; true when the buffer should be flushed.
    public mutating func add(_ r: PurchaseRow) -> Bool {
        sink.value(batchID)
        sink.value(r.institutionID)
        sink.text(r.productCode)
        sink.value(Int64(r.orderDate.year * 100 + r.orderDate.month))
        sink.value(r.orderDate.yyyymmdd)
        sink.value(r.deliveryDate?.yyyymmdd)
        sink.value(r.acceptanceDate?.yyyymmdd)
        sink.value(r.quantity)
        sink.value(r.amountFen)
        sink.text(r.orderNumber)
        sink.text(source)
        sink.value(importID)
        return sink.closeRow()
    }

    public mutating func flush() async throws { try await sink.flush() }
}

extension PurchaseStore {
    /// Replaces the purchase lines of one platform order (source `order`, which an import never touches) with `rows`:
    /// what the order's deliveries and acceptances now say. Call inside the transaction that changed the order.
    public func replaceOrder(batchID: Int64, number: String, orderDate: CivilDate, rows: [PurchaseRow]) async throws {
        let month = Int64(orderDate.year * 100 + orderDate.month)
        try await db.run(
            """
            DELETE FROM purchases WHERE batch_id = \(bind: batchID) AND order_month = \(bind: month) AND source = 'order'
            AND order_number = \(bind: number)
            """)
        guard !rows.isEmpty else { return }
        try await ensurePartitions([MonthKey(orderDate)])
        try await db.insert(
            into: "purchases", columns: PurchaseStore.columns,
            rows: rows.map { row in
                [
                    .int(batchID), .int(row.institutionID), .text(row.productCode), .int(Int64(row.orderDate.year * 100 + row.orderDate.month)),
                    .int(row.orderDate.yyyymmdd), .int(row.deliveryDate?.yyyymmdd), .int(row.acceptanceDate?.yyyymmdd), .int(row.quantity),
                    .int(row.amountFen), .text(row.orderNumber), .text("order"), .int(0),
                ]
            })
    }
}

extension PurchaseStore {
    /// Each institution's accepted purchases of the products its agreements of one year cover, from the year's first
    /// day to `through` (amount in fen): the numerator of the year's completion by amount, from every source.
    public func acceptedUnderAgreements(batchID: Int64, yearStart: CivilDate, through: CivilDate) async throws -> [Int64: Int64] {
        struct R: Decodable { var institution_id: Int64, v: Int64 }
        let rows = try await db.all(
            """
            SELECT p.institution_id, CAST(SUM(p.amount_fen) AS BIGINT) AS v FROM purchases p
            WHERE p.batch_id = \(bind: batchID) AND p.acceptance_date >= \(bind: yearStart.yyyymmdd) AND p.acceptance_date <= \(bind: through.yyyymmdd)
            AND EXISTS (SELECT 1 FROM agreements a WHERE a.batch_id = p.batch_id AND a.institution_id = p.institution_id
                        AND a.product_code = p.product_code AND a.start_date = \(bind: yearStart.description))
            GROUP BY p.institution_id
            """, as: R.self)
        return Dictionary(rows.map { ($0.institution_id, $0.v) }, uniquingKeysWith: +)
    }
}
