import Foundation
import JicaiCore
import SQLKit

/// Report queries over a batch (SQL aggregates; Services shapes them into exports).
public struct SummaryQueries: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    /// One row per institution or pharmacy, optionally limited to a region prefix, in region then code order.
    public func institutions(batchID: Int64, regionPrefix: String? = nil) async throws -> [InstitutionSummary] {
        struct Row: Decodable {
            var code: String, name: String, kind: String, category: String?, ownership: String?, region_code: String, status: String?
            var specs_with_history: Int64?, history_amount: Int64?, lines: Int64?, blocking: Int64?, review: Int64?, info: Int64?
        }
        var query: SQLQueryString = """
            SELECT o.code, o.name, o.kind, o.category, o.ownership, o.region_code, r.status,
                   h.n AS specs_with_history, h.amount AS history_amount, l.n AS lines,
                   f.blocking, f.review, f.info
            FROM organisations o
            LEFT JOIN demand_reports r ON r.batch_id = \(bind: batchID) AND r.institution_id = o.id
            LEFT JOIN (SELECT institution_id, COUNT(*) AS n, CAST(SUM(COALESCE(amount_fen, 0)) AS BIGINT) AS amount FROM history_totals
                       WHERE batch_id = \(bind: batchID) GROUP BY institution_id) h ON h.institution_id = o.id
            LEFT JOIN (SELECT institution_id, COUNT(*) AS n FROM demand_lines WHERE batch_id = \(bind: batchID) GROUP BY institution_id) l
                   ON l.institution_id = o.id
            LEFT JOIN (SELECT institution_id,
                              CAST(SUM(CASE WHEN severity = 'blocking' THEN 1 ELSE 0 END) AS BIGINT) AS blocking,
                              CAST(SUM(CASE WHEN severity = 'review' THEN 1 ELSE 0 END) AS BIGINT) AS review,
                              CAST(SUM(CASE WHEN severity = 'info' THEN 1 ELSE 0 END) AS BIGINT) AS info
                       FROM findings WHERE batch_id = \(bind: batchID) GROUP BY institution_id) f ON f.institution_id = o.id
            WHERE o.kind IN ('institution', 'pharmacy')
            """
        if let regionPrefix { query = query + " AND o.region_code LIKE \(bind: regionPrefix + "%")" }
        query = query + " ORDER BY o.region_code, o.code"
        return try await db.all(query, as: Row.self).map {
            InstitutionSummary(
                code: $0.code, name: $0.name, kind: $0.kind, category: $0.category, ownership: $0.ownership,
                regionCode: $0.region_code, status: $0.status, specsWithHistory: $0.specs_with_history ?? 0,
                historyAmountFen: $0.history_amount ?? 0, lines: $0.lines ?? 0, blocking: $0.blocking ?? 0,
                review: $0.review ?? 0, info: $0.info ?? 0)
        }
    }
}
