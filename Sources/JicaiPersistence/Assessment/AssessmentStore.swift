import Foundation
import JicaiCore
import SQLKit

/// What the assessment stage (管) stores: the province's exemptions and disease-group list, each agreement year's run
/// with its results per institution and item, and the appeals (docs/rules.md "Assessment and savings retention").
public struct AssessmentStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    // MARK: exemptions and the disease-group list

    public struct StoredExemption: Sendable, Hashable {
        public var id: Int64
        public var exemption: Exemption
        public var createdBy: String
        public var createdAt: Date
    }

    public func exemptions(batchID: Int64) async throws -> [StoredExemption] {
        struct R: Decodable {
            var id: Int64, kind: String, unit_key: String, region_prefix: String, from_day: Int64, through_day: Int64, evidence: String
            var created_by: String, created_at: String
        }
        let rows = try await db.all(
            "SELECT * FROM assessment_exemptions WHERE batch_id = \(bind: batchID) ORDER BY unit_key, from_day, id", as: R.self)
        return rows.compactMap { r in
            guard let kind = ExemptionKind(rawValue: r.kind), let from = CivilDate(yyyymmdd: r.from_day),
                let through = CivilDate(yyyymmdd: r.through_day)
            else { return nil }
            return StoredExemption(
                id: r.id,
                exemption: Exemption(
                    kind: kind, unitKey: r.unit_key, regionPrefix: r.region_prefix, from: from, through: through, evidence: r.evidence),
                createdBy: r.created_by, createdAt: Timestamp.date(r.created_at) ?? Date(timeIntervalSince1970: 0))
        }
    }

    public func addExemption(batchID: Int64, _ e: Exemption, by user: String, at: Date) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO assessment_exemptions (batch_id, kind, unit_key, region_prefix, from_day, through_day, evidence, created_by, created_at)
            VALUES (\(bind: batchID), \(bind: e.kind.rawValue), \(bind: e.unitKey), \(bind: e.regionPrefix), \(bind: e.from.yyyymmdd),
                    \(bind: e.through.yyyymmdd), \(bind: e.evidence), \(bind: user), \(bind: Timestamp.text(at)))
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        return id
    }

    /// Removes an exemption; false when the batch has none of that id.
    public func removeExemption(batchID: Int64, id: Int64) async throws -> Bool {
        let found = try await db.scalar("SELECT COUNT(*) AS v FROM assessment_exemptions WHERE batch_id = \(bind: batchID) AND id = \(bind: id)")
        guard found > 0 else { return false }
        try await db.run("DELETE FROM assessment_exemptions WHERE batch_id = \(bind: batchID) AND id = \(bind: id)")
        return true
    }

    // MARK: the province's pre-award prices

    /// A pre-award price the province entered for a unit: as entered (yuan per minimal unit of `specCode`) and as
    /// the exact price per effective content the assessment uses.
    public struct StoredPrice: Sendable, Hashable {
        public var unitKey: String
        public var specCode: String
        public var priceText: String
        public var price: PreAwardPrice
        public var setBy: String
        public var setAt: Date

        public init(unitKey: String, specCode: String, priceText: String, price: PreAwardPrice, setBy: String, setAt: Date) {
            (self.unitKey, self.specCode, self.priceText, self.price, self.setBy, self.setAt) = (unitKey, specCode, priceText, price, setBy, setAt)
        }
    }

    public func prices(batchID: Int64) async throws -> [StoredPrice] {
        struct R: Decodable {
            var unit_key: String, spec_code: String, price_text: String, amount_fen: Int64, content: Int64, basis: String, set_by: String
            var set_at: String
        }
        return try await db.all("SELECT * FROM assessment_prices WHERE batch_id = \(bind: batchID) ORDER BY unit_key", as: R.self).map { r in
            StoredPrice(
                unitKey: r.unit_key, specCode: r.spec_code, priceText: r.price_text,
                price: PreAwardPrice(amountFen: r.amount_fen, content: r.content, basis: r.basis), setBy: r.set_by,
                setAt: Timestamp.date(r.set_at) ?? Date(timeIntervalSince1970: 0))
        }
    }

    /// Sets (or replaces) a unit's price; the batch's stamp is renewed, so what was derived from the old price (the
    /// what-if's) is made again.
    public func putPrice(batchID: Int64, _ p: StoredPrice) async throws {
        try await BatchStore(db).renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM assessment_prices WHERE batch_id = \(bind: batchID) AND unit_key = \(bind: p.unitKey)")
        try await db.run(
            """
            INSERT INTO assessment_prices (batch_id, unit_key, spec_code, price_text, amount_fen, content, basis, set_by, set_at)
            VALUES (\(bind: batchID), \(bind: p.unitKey), \(bind: p.specCode), \(bind: p.priceText), \(bind: p.price.amountFen),
                    \(bind: p.price.content), \(bind: p.price.basis ?? ""), \(bind: p.setBy), \(bind: Timestamp.text(p.setAt)))
            """)
    }

    /// Removes a unit's price (the history's average applies again); false when it had none.
    public func removePrice(batchID: Int64, unitKey: String) async throws -> Bool {
        let found = try await db.scalar(
            "SELECT COUNT(*) AS v FROM assessment_prices WHERE batch_id = \(bind: batchID) AND unit_key = \(bind: unitKey)")
        guard found > 0 else { return false }
        try await BatchStore(db).renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM assessment_prices WHERE batch_id = \(bind: batchID) AND unit_key = \(bind: unitKey)")
        return true
    }

    // MARK: supply of shortage, emergency and seasonal items

    /// The order lines of winning products ordered between two days (order dates, both included), with the ordering
    /// institution, the order day and the pack size: what a shortage item's assessment reads to find what was never
    /// supplied (`OrderLineFigures.unsupplied`). Orders the institution withdrew before confirmation are left out.
    public func orderLines(batchID: Int64, from: CivilDate, through: CivilDate) async throws
        -> [(institutionID: Int64, productCode: String, day: CivilDate, packSize: Int64, figures: OrderLineFigures)]
    {
        struct R: Decodable {
            var institution_id: Int64, product_code: String, order_date: Int64, pack_size: Int64, ordered: Int64, shipped: Int64, accepted: Int64
            var rejected: Int64, closed: Int64
        }
        return try await db.all(
            """
            SELECT o.institution_id, l.product_code, o.order_date, l.pack_size, l.ordered, l.shipped, l.accepted, l.rejected, l.closed
            FROM supply_orders o JOIN supply_order_lines l ON l.order_id = o.id
            WHERE o.batch_id = \(bind: batchID) AND o.withdrawn_by IS NULL
              AND o.order_date >= \(bind: from.yyyymmdd) AND o.order_date <= \(bind: through.yyyymmdd)
            """, as: R.self
        ).compactMap { r in
            guard let day = CivilDate(yyyymmdd: r.order_date) else { return nil }
            let figures = OrderLineFigures(ordered: r.ordered, shipped: r.shipped, accepted: r.accepted, rejected: r.rejected, closed: r.closed)
            return (r.institution_id, r.product_code, day, r.pack_size, figures)
        }
    }

    /// The units whose demand no winner carried, per institution (the award's coverage gaps keyed by a whole unit or
    /// a non-substitutable spec; an essential spec's own gap is judged per purchase by monitoring's fold).
    public func gapUnits(batchID: Int64) async throws -> [Int64: Set<String>] {
        struct R: Decodable { var institution_id: Int64, unit_key: String }
        var out: [Int64: Set<String>] = [:]
        for r in try await db.all("SELECT institution_id, unit_key FROM award_gaps WHERE batch_id = \(bind: batchID)", as: R.self) {
            out[r.institution_id, default: []].insert(r.unit_key)
        }
        return out
    }

    public func diseaseGroups(batchID: Int64) async throws -> Set<Int64> {
        struct R: Decodable { var institution_id: Int64 }
        return Set(
            try await db.all("SELECT institution_id FROM assessment_disease_groups WHERE batch_id = \(bind: batchID)", as: R.self).map(
                \.institution_id))
    }

    public func setDiseaseGroup(batchID: Int64, institutionID: Int64, _ on: Bool) async throws {
        try await db.run(
            "DELETE FROM assessment_disease_groups WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID)")
        if on {
            try await db.run(
                "INSERT INTO assessment_disease_groups (batch_id, institution_id) VALUES (\(bind: batchID), \(bind: institutionID))")
        }
    }

    // MARK: the inputs read from the other stages

    /// Per institution: the accepted amount of deliveries falling due in the year, and the part of each paid by its
    /// due date (the institution's payments and the fund's settlement payments; 003 §8(一)).
    public func payments(batchID: Int64, year: AgreementYear) async throws -> [Int64: (dueFen: Int64, paidOnTimeFen: Int64)] {
        struct R: Decodable { var institution_id: Int64, due: Int64, paid: Int64 }
        let rows = try await db.all(
            """
            SELECT institution_id, CAST(SUM(amount_fen) AS BIGINT) AS due, CAST(SUM(CASE WHEN paid > amount_fen THEN amount_fen ELSE paid END) AS BIGINT) AS paid
            FROM (SELECT s.institution_id, d.amount_fen,
                         (SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p
                          WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds) AND p.on_date <= d.due_date) AS paid
                  FROM supply_deliveries d JOIN supply_orders s ON s.id = d.order_id
                  WHERE d.batch_id = \(bind: batchID) AND d.accept_date IS NOT NULL AND d.amount_fen > 0
                    AND d.due_date >= \(bind: year.start.yyyymmdd) AND d.due_date < \(bind: year.end.yyyymmdd)) x
            GROUP BY institution_id
            """, as: R.self)
        return Dictionary(rows.map { ($0.institution_id, (dueFen: $0.due, paidOnTimeFen: $0.paid)) }, uniquingKeysWith: { a, _ in a })
    }

    /// Per institution: its agreements of the year starting on `yearStart`, and the moments it signed them (nil when
    /// not signed).
    public func signatures(batchID: Int64, yearStart: CivilDate) async throws -> [Int64: [Date?]] {
        struct R: Decodable { var institution_id: Int64, institution_signed_at: String? }
        let rows = try await db.all(
            """
            SELECT institution_id, institution_signed_at FROM agreements
            WHERE batch_id = \(bind: batchID) AND start_date = \(bind: yearStart.description)
            """, as: R.self)
        var out: [Int64: [Date?]] = [:]
        for r in rows { out[r.institution_id, default: []].append(r.institution_signed_at.flatMap(Timestamp.date)) }
        return out
    }

    /// The batch's purchase history with amounts, summed per spec by the history import (`history_prices`): the
    /// pre-award prices are weighed from it.
    public func historyWithAmounts(batchID: Int64) async throws -> [(specCode: String, quantity: Int64, amountFen: Int64)] {
        struct R: Decodable { var code: String, quantity: Int64, amount: Int64 }
        return try await db.all(
            """
            SELECT s.code, t.quantity, t.amount_fen AS amount
            FROM history_prices t JOIN specs s ON s.id = t.spec_id
            WHERE t.batch_id = \(bind: batchID) ORDER BY s.code
            """, as: R.self
        ).map { ($0.code, $0.quantity, $0.amount) }
    }
}
