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
