import Foundation
import JicaiCore
import SQLKit

/// The supervision leads of a year (001 §2(八), 004 §9) and what the data behind the institution-wide ones holds.
extension AssessmentStore {
    struct LeadRow: Decodable {
        var id: Int64, year_start: Int64, code: String, name: String, region_code: String, unit_key: String, kind: String
        var evidence_zh: String, evidence_en: String, status: String, finding: String?, updated_by: String?

        var record: LeadRecord? {
            guard let start = CivilDate(yyyymmdd: year_start), let kind = LeadKind(rawValue: kind), let status = LeadStatus(rawValue: status) else {
                return nil
            }
            return LeadRecord(
                id: id, yearStart: start, institutionCode: code, institutionName: name, regionCode: region_code, unitKey: unit_key, kind: kind,
                evidence: LocalizedText(zh: evidence_zh, en: evidence_en), status: status, finding: finding, updatedBy: updated_by)
        }
    }

    static let leadFrom: SQLQueryString = "assessment_leads l JOIN organisations o ON o.id = l.institution_id"
    static let leadColumns: SQLQueryString = "l.*, o.code, o.name, o.region_code"

    /// The year's leads under a region prefix (`""` the province), optionally of one status, open ones first.
    public func leads(batchID: Int64, yearStart: CivilDate, regionPrefix: String, status: LeadStatus?) async throws -> [LeadRecord] {
        var query = PagedQuery(from: Self.leadFrom, where: "l.batch_id = \(bind: batchID) AND l.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("o.region_code", regionPrefix)) }
        query.add(.equals("l.status", status?.rawValue))
        return try await query.all(db, select: Self.leadColumns, orderBy: "l.status DESC, l.kind, o.code, l.unit_key", as: LeadRow.self) { $0.record }
    }

    public func lead(batchID: Int64, id: Int64) async throws -> LeadRecord? {
        try await db.first(
            "SELECT \(Self.leadColumns) FROM \(Self.leadFrom) WHERE l.batch_id = \(bind: batchID) AND l.id = \(bind: id)", as: LeadRow.self)?.record
    }

    /// Stores a run's leads: new ones open; those found again keep their case and get the new evidence when it
    /// changed; open ones no longer found go (the data no longer points there); those under investigation or closed
    /// stay as they are. A rerun on the same data writes nothing (73,741 leads updated one by one doubled a rerun on
    /// PostgreSQL, 35 s to 64 s).
    public func replaceLeads(batchID: Int64, yearStart: CivilDate, _ found: [Lead]) async throws {
        struct R: Decodable { var id: Int64, institution_id: Int64, unit_key: String, kind: String, status: String, evidence_zh: String }
        let y = yearStart.yyyymmdd
        let existing = try await db.all(
            """
            SELECT id, institution_id, unit_key, kind, status, evidence_zh FROM assessment_leads
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: y)
            """, as: R.self)
        var byKey: [String: R] = [:]
        for row in existing { byKey["\(row.institution_id)|\(row.unit_key)|\(row.kind)"] = row }
        var seen = Set<Int64>()
        var fresh: [[DBValue]] = []
        for lead in found {
            guard let row = byKey["\(lead.institutionID)|\(lead.unitKey)|\(lead.kind.rawValue)"] else {
                fresh.append([
                    .int(batchID), .int(y), .int(lead.institutionID), .text(lead.unitKey), .text(lead.kind.rawValue), .text(lead.evidence.zh),
                    .text(lead.evidence.en), .text(LeadStatus.open.rawValue),
                ])
                continue
            }
            seen.insert(row.id)
            guard row.evidence_zh != lead.evidence.zh else { continue }
            try await db.run(
                """
                UPDATE assessment_leads SET evidence_zh = \(bind: lead.evidence.zh), evidence_en = \(bind: lead.evidence.en)
                WHERE id = \(bind: row.id)
                """)
        }
        let gone = existing.filter { $0.status == LeadStatus.open.rawValue && !seen.contains($0.id) }.map(\.id)
        for start in stride(from: 0, to: gone.count, by: 500) {
            let ids = gone[start..<min(start + 500, gone.count)]
            try await db.run("DELETE FROM assessment_leads WHERE id IN (" + ListSQL.bound(ids) + ")")
        }
        let columns = ["batch_id", "year_start", "institution_id", "unit_key", "kind", "evidence_zh", "evidence_en", "status"]
        for start in stride(from: 0, to: fresh.count, by: 1000) {
            try await db.insert(into: "assessment_leads", columns: columns, rows: Array(fresh[start..<min(start + 1000, fresh.count)]))
        }
    }

    /// Moves a lead's case on; false when the batch has no such lead.
    public func updateLead(batchID: Int64, id: Int64, status: LeadStatus, finding: String?, by user: String, at: Date) async throws -> Bool {
        guard try await lead(batchID: batchID, id: id) != nil else { return false }
        try await db.run(
            """
            UPDATE assessment_leads SET status = \(bind: status.rawValue), finding = \(bind: finding), updated_by = \(bind: user),
              updated_at = \(bind: Timestamp.text(at))
            WHERE batch_id = \(bind: batchID) AND id = \(bind: id)
            """)
        return true
    }

    /// Per institution: deliveries falling due in the year that were not paid in full by their due date.
    public func latePayments(batchID: Int64, year: AgreementYear) async throws -> [Int64: Int64] {
        struct R: Decodable { var institution_id: Int64, n: Int64 }
        let rows = try await db.all(
            """
            SELECT s.institution_id, COUNT(*) AS n
            FROM supply_deliveries d JOIN supply_orders s ON s.id = d.order_id
            WHERE d.batch_id = \(bind: batchID) AND d.accept_date IS NOT NULL AND d.amount_fen > 0
              AND d.due_date >= \(bind: year.start.yyyymmdd) AND d.due_date < \(bind: year.end.yyyymmdd)
              AND (SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p
                   WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds) AND p.on_date <= d.due_date) < d.amount_fen
            GROUP BY s.institution_id
            """, as: R.self)
        return Dictionary(rows.map { ($0.institution_id, $0.n) }, uniquingKeysWith: { a, _ in a })
    }

    /// Per institution: codes it settled in the year that had been settled before (the second settlement's side).
    public func doubleSettled(batchID: Int64, year: AgreementYear) async throws -> [Int64: Int64] {
        struct R: Decodable { var second_institution_id: Int64, n: Int64 }
        let rows = try await db.all(
            """
            SELECT second_institution_id, COUNT(*) AS n FROM supply_code_anomalies
            WHERE batch_id = \(bind: batchID) AND second_date >= \(bind: year.start.yyyymmdd) AND second_date < \(bind: year.end.yyyymmdd)
            GROUP BY second_institution_id
            """, as: R.self)
        return Dictionary(rows.map { ($0.second_institution_id, $0.n) }, uniquingKeysWith: { a, _ in a })
    }

    /// The stored items of a year: institution → unit → (agreed content, all purchases), for the two-year comparison.
    public func use(batchID: Int64, yearStart: CivilDate) async throws -> [Int64: [String: (agreed: Int64, used: Int64)]] {
        struct R: Decodable { var institution_id: Int64, unit_key: String, agreed_content: Int64, winning_content: Int64, non_winning_content: Int64 }
        var out: [Int64: [String: (agreed: Int64, used: Int64)]] = [:]
        for r in try await db.all(
            """
            SELECT institution_id, unit_key, agreed_content, winning_content, non_winning_content FROM assessment_items
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd)
            """, as: R.self)
        {
            out[r.institution_id, default: [:]][r.unit_key] = (r.agreed_content, r.winning_content &+ r.non_winning_content)
        }
        return out
    }
}
