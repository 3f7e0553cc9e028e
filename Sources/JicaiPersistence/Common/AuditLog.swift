import Foundation
import JicaiCore
import SQLKit

/// Every change is recorded here, in the same transaction as the change itself.
public struct AuditLog: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    public func record(
        actor: String, action: String, entity: String, key: String, summary: String, detail: String? = nil,
        ip: String? = nil, at: Date
    ) async throws {
        try await db.run(
            """
            INSERT INTO audit_log (at, actor, action, entity, entity_key, summary, detail, ip)
            VALUES (\(bind: Timestamp.text(at)), \(bind: actor), \(bind: action), \(bind: entity), \(bind: key), \(bind: summary), \(bind: detail), \(bind: ip))
            """)
    }

    /// One entry per key, in one statement (a bulk change audits each thing it changed).
    public func recordAll(actor: String, action: String, entity: String, keys: [String], summary: String, ip: String? = nil, at: Date) async throws {
        let stamp = Timestamp.text(at)
        try await db.insert(
            into: "audit_log", columns: ["at", "actor", "action", "entity", "entity_key", "summary", "detail", "ip"],
            rows: keys.map { [.text(stamp), .text(actor), .text(action), .text(entity), .text($0), .text(summary), .null, .text(ip)] })
    }

    public func entries(entity: String? = nil, keyPrefix: String? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        var query: SQLQueryString = "SELECT id, at, actor, action, entity, entity_key, summary, detail, ip FROM audit_log WHERE 1 = 1"
        if let entity { query = query + " AND entity = \(bind: entity)" }
        if let keyPrefix { query = query + " AND entity_key LIKE \(bind: keyPrefix + "%")" }
        query = query + " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await db.all(query, as: AuditRow.self).map(\.entry)
    }
}

extension AuditLog {
    /// One page of the log with the number of entries the filter matches.
    public func page(filter: AuditFilter, sort: ListOrder<AuditColumn>, page: PageRequest) async throws -> Page<AuditEntry> {
        var condition: SQLQueryString = " FROM audit_log WHERE 1 = 1"
        if let entity = filter.entity { condition = condition + " AND entity = \(bind: entity)" }
        if let actor = filter.actor { condition = condition + " AND actor = \(bind: actor)" }
        if let action = filter.action { condition = condition + " AND action = \(bind: action)" }
        if let text = filter.text {
            let pattern = ListSQL.likePattern(text)
            condition = condition + " AND (entity_key LIKE \(bind: pattern) ESCAPE '\\' OR summary LIKE \(bind: pattern) ESCAPE '\\')"
        }
        let column: SQLQueryString =
            switch sort.column {
            case .at: "id"
            case .actor: "actor"
            case .action: "action"
            case .entity: "entity"
            }
        let total = try await db.scalar("SELECT COUNT(*) AS v" + condition)
        let rows = try await db.all(
            "SELECT id, at, actor, action, entity, entity_key, summary, detail, ip" + condition + " ORDER BY " + column
                + (sort.descending ? " DESC" : " ASC") + ", id DESC LIMIT \(bind: page.size) OFFSET \(bind: page.offset)", as: AuditRow.self)
        return Page(items: rows.map(\.entry), total: total, request: page)
    }
}

/// A row of `audit_log` as the database returns it.
private struct AuditRow: Decodable {
    var id: Int64
    var at: String
    var actor: String
    var action: String
    var entity: String
    var entity_key: String
    var summary: String
    var detail: String?
    var ip: String?

    var entry: AuditEntry {
        AuditEntry(
            id: id, at: Timestamp.date(at) ?? .distantPast, actor: actor, action: action, entity: entity, entityKey: entity_key,
            summary: summary, detail: detail, ip: ip)
    }
}
