import Foundation
import JicaiCore
import SQLKit

/// The institutions' appeals against a year's results: filed, reviewed by the city, decided by the province.
extension AssessmentStore {
    struct AppealRow: Decodable {
        var id: Int64, year_start: Int64, institution_id: Int64, code: String, name: String, region_code: String, unit_key: String
        var reason: String, evidence: String, status: String, filed_by: String, filed_at: String, opinion: String?, reviewed_by: String?
        var decision: String?, decided_by: String?

        var record: AppealRecord? {
            guard let start = CivilDate(yyyymmdd: year_start), let status = AppealStatus(rawValue: status) else { return nil }
            return AppealRecord(
                id: id, yearStart: start, institutionID: institution_id, institutionCode: code, institutionName: name, regionCode: region_code,
                unitKey: unit_key, reason: reason, evidence: evidence, status: status, filedBy: filed_by,
                filedAt: Timestamp.date(filed_at) ?? Date(timeIntervalSince1970: 0), opinion: opinion, reviewedBy: reviewed_by, decision: decision,
                decidedBy: decided_by)
        }
    }

    static let appealFrom: SQLQueryString = "assessment_appeals a JOIN organisations o ON o.id = a.institution_id"
    static let appealColumns: SQLQueryString = "a.*, o.code, o.name, o.region_code"

    public func fileAppeal(
        batchID: Int64, yearStart: CivilDate, institutionID: Int64, unitKey: String, reason: String, evidence: String, by user: String, at: Date
    ) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO assessment_appeals (batch_id, year_start, institution_id, unit_key, reason, evidence, status, filed_by, filed_at)
            VALUES (\(bind: batchID), \(bind: yearStart.yyyymmdd), \(bind: institutionID), \(bind: unitKey), \(bind: reason), \(bind: evidence),
                    'filed', \(bind: user), \(bind: Timestamp.text(at)))
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        return id
    }

    public func appeal(batchID: Int64, id: Int64) async throws -> AppealRecord? {
        try await db.first(
            "SELECT \(Self.appealColumns) FROM \(Self.appealFrom) WHERE a.batch_id = \(bind: batchID) AND a.id = \(bind: id)", as: AppealRow.self)?
            .record
    }

    /// The appeals of a year under a region prefix (`""` the province) or of one institution, newest first.
    public func appeals(batchID: Int64, yearStart: CivilDate, regionPrefix: String, institutionID: Int64?) async throws -> [AppealRecord] {
        var query = PagedQuery(from: Self.appealFrom, where: "a.batch_id = \(bind: batchID) AND a.year_start = \(bind: yearStart.yyyymmdd)")
        if !regionPrefix.isEmpty { query.add(.region("o.region_code", regionPrefix)) }
        if let institutionID { query.add(.equals("a.institution_id", .int(institutionID))) }
        return try await query.all(db, select: Self.appealColumns, orderBy: "a.id DESC", as: AppealRow.self) { $0.record }
    }

    /// Open appeals (not yet decided) of a year.
    public func openAppeals(batchID: Int64, yearStart: CivilDate) async throws -> Int64 {
        try await db.scalar(
            """
            SELECT COUNT(*) AS v FROM assessment_appeals
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd) AND status IN ('filed', 'reviewed')
            """)
    }

    /// Whether the institution has an appeal of this item not yet decided.
    public func hasOpenAppeal(batchID: Int64, yearStart: CivilDate, institutionID: Int64, unitKey: String) async throws -> Bool {
        try await db.scalar(
            """
            SELECT COUNT(*) AS v FROM assessment_appeals
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd) AND institution_id = \(bind: institutionID)
              AND unit_key = \(bind: unitKey) AND status IN ('filed', 'reviewed')
            """) > 0
    }

    /// The city's opinion; false unless the appeal was awaiting it (a concurrent review changed it first).
    public func review(batchID: Int64, id: Int64, opinion: String, by user: String, at: Date) async throws -> Bool {
        guard try await appeal(batchID: batchID, id: id)?.status == .filed else { return false }
        try await db.run(
            """
            UPDATE assessment_appeals SET status = 'reviewed', opinion = \(bind: opinion), reviewed_by = \(bind: user), reviewed_at = \(bind: Timestamp.text(at))
            WHERE batch_id = \(bind: batchID) AND id = \(bind: id) AND status = 'filed'
            """)
        return true
    }

    /// The province's decision; false unless the appeal was awaiting it.
    public func decide(batchID: Int64, id: Int64, upheld: Bool, reason: String, by user: String, at: Date) async throws -> Bool {
        guard try await appeal(batchID: batchID, id: id)?.status == .reviewed else { return false }
        try await db.run(
            """
            UPDATE assessment_appeals SET status = \(bind: upheld ? AppealStatus.upheld.rawValue : AppealStatus.rejected.rawValue),
              decision = \(bind: reason), decided_by = \(bind: user), decided_at = \(bind: Timestamp.text(at))
            WHERE batch_id = \(bind: batchID) AND id = \(bind: id) AND status = 'reviewed'
            """)
        return true
    }

    /// The items an upheld appeal waived, per institution: unit key → the decision's reason.
    public func waivers(batchID: Int64, yearStart: CivilDate) async throws -> [Int64: [String: String]] {
        struct R: Decodable { var institution_id: Int64, unit_key: String, decision: String? }
        let rows = try await db.all(
            """
            SELECT institution_id, unit_key, decision FROM assessment_appeals
            WHERE batch_id = \(bind: batchID) AND year_start = \(bind: yearStart.yyyymmdd) AND status = 'upheld' ORDER BY id
            """, as: R.self)
        var out: [Int64: [String: String]] = [:]
        for r in rows { out[r.institution_id, default: [:]][r.unit_key] = r.decision ?? "" }
        return out
    }
}
