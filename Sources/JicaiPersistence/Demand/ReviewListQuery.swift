import Foundation
import JicaiCore
import SQLKit

/// The reviewers' list, one page at a time: the filters and the order run in the database, and the per-organisation
/// figures (history, lines, findings) are counted only for the rows of the page, unless the order is by one of them.
public struct ReviewListQuery: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    static let submittedStatuses = ReportStatus.allCases.filter(\.isSubmitted).map(\.rawValue)

    func query(_ batchID: Int64, _ f: ReviewFilter) -> PagedQuery {
        var query = PagedQuery(
            from: "organisations o LEFT JOIN demand_reports r ON r.batch_id = \(bind: batchID) AND r.institution_id = o.id",
            where: "o.kind IN ('institution', 'pharmacy')")
        query.add(.region("o.region_code", f.regionPrefix))
        if let status = f.status { query.add(.sql("COALESCE(r.status, 'none') = \(bind: status)")) }
        if let text = f.text { query.add(.contains(["o.code", "o.name"], text)) }
        if let code = f.findingCode {
            query.add(
                .sql(
                    "EXISTS (SELECT 1 FROM findings fc WHERE fc.batch_id = \(bind: batchID) AND fc.institution_id = o.id AND fc.code = \(bind: code))"
                ))
        }
        if f.notReportedOnly {
            let submitted = Self.submittedStatuses
            query.add(
                .sql(
                    """
                    COALESCE(r.status, 'none') NOT IN (\(binds: submitted))
                    AND EXISTS (SELECT 1 FROM history_totals hx WHERE hx.batch_id = \(bind: batchID) AND hx.institution_id = o.id)
                    AND NOT EXISTS (SELECT 1 FROM organisations lo JOIN demand_reports lr ON lr.batch_id = \(bind: batchID) AND lr.institution_id = lo.id
                                    WHERE lo.code = o.community_lead_code AND lo.code <> o.code AND lr.status IN (\(binds: submitted)))
                    """))
        }
        return query
    }

    func figure(_ column: ReviewColumn, _ batchID: Int64) -> SQLQueryString? {
        switch column {
        case .code, .name, .region, .status: nil
        case .specs: "(SELECT COUNT(*) FROM history_totals h WHERE h.batch_id = \(bind: batchID) AND h.institution_id = o.id)"
        case .amount:
            "(SELECT CAST(COALESCE(SUM(h.amount_fen), 0) AS BIGINT) FROM history_totals h WHERE h.batch_id = \(bind: batchID) AND h.institution_id = o.id)"
        case .lines: "(SELECT COUNT(*) FROM demand_lines l WHERE l.batch_id = \(bind: batchID) AND l.institution_id = o.id)"
        case .blocking:
            "(SELECT COUNT(*) FROM findings f WHERE f.batch_id = \(bind: batchID) AND f.institution_id = o.id AND f.severity = 'blocking')"
        case .review: "(SELECT COUNT(*) FROM findings f WHERE f.batch_id = \(bind: batchID) AND f.institution_id = o.id AND f.severity = 'review')"
        case .capacity:
            "(SELECT COUNT(*) FROM findings f WHERE f.batch_id = \(bind: batchID) AND f.institution_id = o.id AND f.code = 'CAPACITY_MISMATCH')"
        }
    }

    func order(_ sort: ListOrder<ReviewColumn>, _ batchID: Int64) -> SQLQueryString {
        let dir: SQLQueryString = sort.descending ? " DESC" : " ASC"
        let expr: SQLQueryString =
            switch sort.column {
            case .code: "o.code"
            case .name: "o.name"
            case .region: "o.region_code"
            case .status: "COALESCE(r.status, 'none')"
            default: figure(sort.column, batchID)!
            }
        return expr + dir + ", o.code ASC"
    }

    public func count(batchID: Int64, filter: ReviewFilter) async throws -> Int64 {
        try await query(batchID, filter).count(db)
    }

    public func page(batchID: Int64, filter: ReviewFilter, sort: ListOrder<ReviewColumn>, page: PageRequest) async throws -> Page<ReviewRow> {
        struct ID: Decodable { var id: Int64 }
        let ids = try await query(batchID, filter).page(db, select: "o.id", orderBy: order(sort, batchID), page: page, as: ID.self, \.id)
        return Page(items: try await rows(batchID: batchID, ids: ids.items), total: ids.total, request: page)
    }

    /// Status counts of the region's reporting organisations ("none" for those without a report).
    public func statusCounts(batchID: Int64, regionPrefix: String) async throws -> [String: Int64] {
        struct R: Decodable {
            var status: String
            var n: Int64
        }
        let query: SQLQueryString =
            "SELECT COALESCE(r.status, 'none') AS status, COUNT(*) AS n" + query(batchID, ReviewFilter(regionPrefix: regionPrefix)).fromWhere
            + " GROUP BY COALESCE(r.status, 'none')"
        return Dictionary(uniqueKeysWithValues: try await db.all(query, as: R.self).map { ($0.status, $0.n) })
    }

    /// The figures of the given organisations, in the order of `ids`.
    func rows(batchID: Int64, ids: [Int64]) async throws -> [ReviewRow] {
        guard !ids.isEmpty else { return [] }
        struct Row: Decodable {
            var id: Int64, code: String, name: String, kind: String, category: String?, ownership: String?, region_code: String, status: String?
            var specs: Int64?, amount: Int64?, lines: Int64?, blocking: Int64?, review: Int64?, info: Int64?, capacity: Int64?
        }
        let batch = batchID
        let query: SQLQueryString = """
            SELECT o.id, o.code, o.name, o.kind, o.category, o.ownership, o.region_code, r.status,
                   \(figure(.specs, batch)!) AS specs, \(figure(.amount, batch)!) AS amount, \(figure(.lines, batch)!) AS lines,
                   \(figure(.blocking, batch)!) AS blocking, \(figure(.review, batch)!) AS review,
                   (SELECT COUNT(*) FROM findings f WHERE f.batch_id = \(bind: batch) AND f.institution_id = o.id AND f.severity = 'info') AS info,
                   \(figure(.capacity, batch)!) AS capacity
            FROM organisations o LEFT JOIN demand_reports r ON r.batch_id = \(bind: batch) AND r.institution_id = o.id
            WHERE o.id IN (\(binds: ids))
            """
        let byID = Dictionary(uniqueKeysWithValues: try await db.all(query, as: Row.self).map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }.map { r in
            ReviewRow(
                summary: InstitutionSummary(
                    code: r.code, name: r.name, kind: r.kind, category: r.category, ownership: r.ownership, regionCode: r.region_code,
                    status: r.status,
                    specsWithHistory: r.specs ?? 0, historyAmountFen: r.amount ?? 0, lines: r.lines ?? 0, blocking: r.blocking ?? 0,
                    review: r.review ?? 0, info: r.info ?? 0), capacityFlags: r.capacity ?? 0)
        }
    }
}
