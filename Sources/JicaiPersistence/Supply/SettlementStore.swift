import Foundation
import JicaiCore
import SQLKit

/// The prepayment ledger and the monthly settlement runs (供). Ledger entries are only ever added; balances are sums.
public struct SettlementStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    // MARK: The prepayment ledger

    public enum LedgerKind: String, Sendable, CaseIterable {
        case prepayment, offset, recovery
    }

    public struct LedgerEntry: Sendable, Hashable {
        public var institutionID: Int64
        public var institutionCode: String
        public var institutionName: String
        public var regionCode: String
        public var yearStart: CivilDate
        public var kind: LedgerKind
        public var month: MonthKey?
        public var amountFen: Int64
        public var source: String
        public var settlementID: Int64?
        public var recordedAt: Date
    }

    public func addLedger(
        batchID: Int64, institutionID: Int64, yearStart: CivilDate, kind: LedgerKind, month: MonthKey?, amountFen: Int64, source: String,
        settlementID: Int64?, by user: String, at: Date
    ) async throws {
        try await db.run(
            """
            INSERT INTO supply_prepayments (batch_id, institution_id, year_start, kind, month, amount_fen, source, settlement_id, recorded_by, recorded_at)
            VALUES (\(bind: batchID), \(bind: institutionID), \(bind: yearStart.description), \(bind: kind.rawValue),
                \(bind: month.map { Int64($0.yyyymm) }), \(bind: amountFen), \(bind: source), \(bind: settlementID), \(bind: user),
                \(bind: Timestamp.text(at)))
            """)
    }

    /// One ledger entry of `addLedgerMany`.
    public struct NewEntry: Sendable {
        public var institutionID: Int64
        public var yearStart: CivilDate
        public var kind: LedgerKind
        public var month: MonthKey?
        public var amountFen: Int64
        public var source: String
        public var settlementID: Int64?

        public init(
            institutionID: Int64, yearStart: CivilDate, kind: LedgerKind, month: MonthKey?, amountFen: Int64, source: String, settlementID: Int64?
        ) {
            self.institutionID = institutionID
            self.yearStart = yearStart
            self.kind = kind
            self.month = month
            self.amountFen = amountFen
            self.source = source
            self.settlementID = settlementID
        }
    }

    /// Adds many ledger entries in multi-row statements (a province's prepayment or a run's offsets).
    public func addLedgerMany(batchID: Int64, _ entries: [NewEntry], by user: String, at: Date) async throws {
        let stamp = Timestamp.text(at)
        for start in stride(from: 0, to: entries.count, by: 500) {
            try await db.insert(
                into: "supply_prepayments",
                columns: [
                    "batch_id", "institution_id", "year_start", "kind", "month", "amount_fen", "source", "settlement_id", "recorded_by",
                    "recorded_at",
                ],
                rows: entries[start..<min(start + 500, entries.count)].map {
                    [
                        .int(batchID), .int($0.institutionID), .text($0.yearStart.description), .text($0.kind.rawValue),
                        .int($0.month.map { Int64($0.yyyymm) }),
                        .int($0.amountFen), .text($0.source), .int($0.settlementID), .text(user), .text(stamp),
                    ]
                })
        }
    }

    /// Whether the year's prepayment was paid (any prepayment entry of the year).
    public func hasPrepayment(batchID: Int64, yearStart: CivilDate) async throws -> Bool {
        try await db.scalar(
            """
            SELECT COUNT(*) AS v FROM supply_prepayments WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.description)
            AND kind = 'prepayment'
            """) > 0
    }

    /// Each institution's sum of each kind of entry in one year: (prepayment, offsets, recovered).
    public func sums(batchID: Int64, yearStart: CivilDate) async throws -> [Int64: (prepayment: Int64, offsets: Int64, recovered: Int64)] {
        struct R: Decodable { var institution_id: Int64, kind: String, v: Int64 }
        let rows = try await db.all(
            """
            SELECT institution_id, kind, CAST(SUM(amount_fen) AS BIGINT) AS v FROM supply_prepayments
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.description) GROUP BY institution_id, kind
            """, as: R.self)
        var out: [Int64: (prepayment: Int64, offsets: Int64, recovered: Int64)] = [:]
        for row in rows {
            var sum = out[row.institution_id] ?? (0, 0, 0)
            switch LedgerKind(rawValue: row.kind) {
            case .prepayment: sum.prepayment += row.v
            case .offset: sum.offsets += row.v
            case .recovery: sum.recovered += row.v
            case nil: continue
            }
            out[row.institution_id] = sum
        }
        return out
    }

    /// One institution's ledger for one agreement year, summed: what a row of the prepayments list shows.
    public struct YearSums: Sendable, Hashable {
        public var institutionID: Int64
        public var code: String
        public var name: String
        public var regionCode: String
        public var yearStart: CivilDate
        public var prepaymentFen: Int64
        public var offsetsFen: Int64
        public var recoveredFen: Int64
    }

    /// A page of the institutions' prepaid years in a region or of one institution, by institution code and year:
    /// paged in the engine over the ledger's sums (a province has tens of thousands).
    public func prepaymentPage(batchID: Int64, regionPrefix: String?, institution: String?, page: PageRequest) async throws -> Page<YearSums> {
        struct R: Decodable {
            var institution_id: Int64, code: String, name: String, region_code: String, year_start: String, prepayment: Int64, offsets: Int64
            var recovered: Int64
        }
        func sum(_ kind: LedgerKind) -> SQLQueryString {
            "CAST(SUM(CASE WHEN kind = '\(unsafeRaw: kind.rawValue)' THEN amount_fen ELSE 0 END) AS BIGINT)"
        }
        var query = PagedQuery(
            from: "(SELECT institution_id, year_start, " + sum(.prepayment) + " AS prepayment, " + sum(.offset) + " AS offsets, "
                + sum(.recovery) + " AS recovered FROM supply_prepayments WHERE batch_id = \(bind: batchID) GROUP BY institution_id, year_start"
                + " HAVING SUM(CASE WHEN kind = '\(unsafeRaw: LedgerKind.prepayment.rawValue)' THEN 1 ELSE 0 END) > 0) p JOIN organisations o ON o.id = p.institution_id"
        )
        query.add(regionPrefix.map { .region("o.region_code", $0) })
        query.add(.equals("o.code", institution))
        return try await query.page(
            db, select: "p.institution_id, o.code, o.name, o.region_code, p.year_start, p.prepayment, p.offsets, p.recovered",
            orderBy: "o.code, p.year_start", page: page, as: R.self
        ) { r in
            CivilDate(text: r.year_start).map {
                YearSums(
                    institutionID: r.institution_id, code: r.code, name: r.name, regionCode: r.region_code, yearStart: $0,
                    prepaymentFen: r.prepayment,
                    offsetsFen: r.offsets, recoveredFen: r.recovered)
            }
        }
    }

    /// The years that have a prepayment, oldest first.
    public func prepaidYears(batchID: Int64) async throws -> [CivilDate] {
        struct R: Decodable { var year_start: String }
        return try await db.all(
            "SELECT DISTINCT year_start FROM supply_prepayments WHERE batch_id = \(bind: batchID) AND kind = 'prepayment' ORDER BY year_start",
            as: R.self
        ).compactMap { CivilDate(text: $0.year_start) }
    }

    /// A page of ledger entries in a region or of one institution, in the order they were written.
    public func ledger(batchID: Int64, regionPrefix: String?, institution: String?, page: PageRequest) async throws -> Page<LedgerEntry> {
        struct R: Decodable {
            var institution_id: Int64, code: String, name: String, region_code: String, year_start: String, kind: String, month: Int64?
            var amount_fen: Int64, source: String, settlement_id: Int64?, recorded_at: String
        }
        var query = PagedQuery(from: "supply_prepayments l JOIN organisations o ON o.id = l.institution_id", where: "l.batch_id = \(bind: batchID)")
        query.add(regionPrefix.map { .region("o.region_code", $0) })
        query.add(.equals("o.code", institution))
        return try await query.page(
            db,
            select:
                "l.institution_id, o.code, o.name, o.region_code, l.year_start, l.kind, l.month, l.amount_fen, l.source, l.settlement_id, l.recorded_at",
            orderBy: "o.code, l.year_start, l.id", page: page, as: R.self
        ) { row in
            guard let year = CivilDate(text: row.year_start), let kind = LedgerKind(rawValue: row.kind), let at = Timestamp.date(row.recorded_at)
            else {
                return nil
            }
            return LedgerEntry(
                institutionID: row.institution_id, institutionCode: row.code, institutionName: row.name, regionCode: row.region_code, yearStart: year,
                kind: kind, month: row.month.flatMap { MonthKey(yyyymm: Int($0)) }, amountFen: row.amount_fen, source: row.source,
                settlementID: row.settlement_id, recordedAt: at)
        }
    }

    // MARK: Settlement runs

    public typealias Run = SettlementRun

    public enum LineKind: String, Sendable {
        case direct, offset
    }

    public struct Line: Sendable, Hashable {
        public var institutionID: Int64
        public var distributorCode: String
        public var deliveryID: Int64?
        public var kind: LineKind
        public var amountFen: Int64

        public init(institutionID: Int64, distributorCode: String, deliveryID: Int64?, kind: LineKind, amountFen: Int64) {
            self.institutionID = institutionID
            self.distributorCode = distributorCode
            self.deliveryID = deliveryID
            self.kind = kind
            self.amountFen = amountFen
        }
    }

    /// Removes the batch's draft run and its lines (a new run replaces it).
    public func deleteDrafts(batchID: Int64) async throws {
        try await db.run(
            """
            DELETE FROM supply_settlement_lines WHERE settlement_id IN
            (SELECT id FROM supply_settlements WHERE batch_id = \(bind: batchID) AND status = 'draft')
            """)
        try await db.run("DELETE FROM supply_settlements WHERE batch_id = \(bind: batchID) AND status = 'draft'")
    }

    public func insertRun(batchID: Int64, month: MonthKey, by user: String, at: Date, directFen: Int64, offsetFen: Int64) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO supply_settlements (batch_id, month, status, run_by, run_at, direct_fen, offset_fen)
            VALUES (\(bind: batchID), \(bind: Int64(month.yyyymm)), 'draft', \(bind: user), \(bind: Timestamp.text(at)), \(bind: directFen), \(bind: offsetFen))
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        return id
    }

    public func insertLines(runID: Int64, _ lines: [Line]) async throws {
        for start in stride(from: 0, to: lines.count, by: 1000) {
            try await db.insert(
                into: "supply_settlement_lines",
                columns: ["settlement_id", "institution_id", "distributor_code", "delivery_id", "kind", "amount_fen"],
                rows: lines[start..<min(start + 1000, lines.count)].map {
                    [
                        .int(runID), .int($0.institutionID), .text($0.distributorCode), .int($0.deliveryID), .text($0.kind.rawValue),
                        .int($0.amountFen),
                    ]
                })
        }
    }

    /// Marks a draft approved; false when it was not a draft (approved meanwhile).
    public func approve(runID: Int64, by user: String, at: Date) async throws -> Bool {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            UPDATE supply_settlements SET status = 'approved', approved_by = \(bind: user), approved_at = \(bind: Timestamp.text(at))
            WHERE id = \(bind: runID) AND status = 'draft' RETURNING id
            """, as: R.self)
        return row != nil
    }

    public func run(batchID: Int64, id: Int64) async throws -> Run? {
        try await db.first("SELECT * FROM supply_settlements WHERE batch_id = \(bind: batchID) AND id = \(bind: id)", as: RunRow.self)?.run
    }

    public func runs(batchID: Int64) async throws -> [Run] {
        try await db.all("SELECT * FROM supply_settlements WHERE batch_id = \(bind: batchID) ORDER BY id DESC", as: RunRow.self).compactMap(\.run)
    }

    public func lines(runID: Int64) async throws -> [Line] {
        struct R: Decodable { var institution_id: Int64, distributor_code: String, delivery_id: Int64?, kind: String, amount_fen: Int64 }
        return try await db.all(
            "SELECT * FROM supply_settlement_lines WHERE settlement_id = \(bind: runID) ORDER BY institution_id, distributor_code, delivery_id",
            as: R.self
        ).compactMap { row in
            LineKind(rawValue: row.kind).map {
                Line(
                    institutionID: row.institution_id, distributorCode: row.distributor_code, deliveryID: row.delivery_id, kind: $0,
                    amountFen: row.amount_fen)
            }
        }
    }

    /// What is left to settle of each accepted delivery by `monthEnd`: invoiced, less paid by the institution and
    /// settled before, when above 0.
    public func unsettled(batchID: Int64, acceptedBy monthEnd: CivilDate) async throws -> [(
        delivery: Int64, institution: Int64, distributor: String, fen: Int64
    )] {
        struct R: Decodable { var id: Int64, institution_id: Int64, distributor_code: String, left: Int64 }
        let rows = try await db.all(
            """
            SELECT d.id, s.institution_id, s.distributor_code, CAST(
              (SELECT COALESCE(SUM(CASE WHEN p.kind = 'invoice' THEN p.amount_fen ELSE -p.amount_fen END), 0) FROM supply_payments p
               WHERE p.delivery_id = d.id) AS BIGINT) AS left
            FROM supply_deliveries d JOIN supply_orders s ON s.id = d.order_id
            WHERE d.batch_id = \(bind: batchID) AND d.accept_date IS NOT NULL AND d.accept_date <= \(bind: monthEnd.yyyymmdd)
            ORDER BY d.id
            """, as: R.self)
        return rows.filter { $0.left > 0 }.map { ($0.id, $0.institution_id, $0.distributor_code, $0.left) }
    }

    struct RunRow: Decodable {
        var id: Int64, month: Int64, status: String, run_by: String, run_at: String, approved_by: String?, direct_fen: Int64, offset_fen: Int64
        var run: Run? {
            guard let month = MonthKey(yyyymm: Int(month)), let status = SettlementRun.Status(rawValue: status), let at = Timestamp.date(run_at)
            else {
                return nil
            }
            return Run(
                id: id, month: month, status: status, runBy: run_by, runAt: at, approvedBy: approved_by, directFen: direct_fen, offsetFen: offset_fen)
        }
    }
}
