import Foundation
import JicaiCore
import SQLKit

/// Every change is recorded here, in the same transaction as the change itself.
public struct AuditLog: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    public func record(
        actor: String, event: AuditEvent, key: String, summary: String, detail: String? = nil, ip: String? = nil, at: Date
    ) async throws {
        let (action, entity) = (event.action, event.entity)
        try await db.run(
            """
            INSERT INTO audit_log (at, actor, action, entity, entity_key, summary, detail, ip)
            VALUES (\(bind: Timestamp.text(at)), \(bind: actor), \(bind: action), \(bind: entity), \(bind: key), \(bind: summary), \(bind: detail), \(bind: ip))
            """)
    }

    /// One entry per key, in one statement (a bulk change audits each thing it changed).
    public func recordAll(actor: String, event: AuditEvent, keys: [String], summary: String, ip: String? = nil, at: Date) async throws {
        let (stamp, action, entity) = (Timestamp.text(at), event.action, event.entity)
        try await db.insert(
            into: "audit_log", columns: ["at", "actor", "action", "entity", "entity_key", "summary", "detail", "ip"],
            rows: keys.map { [.text(stamp), .text(actor), .text(action), .text(entity), .text($0), .text(summary), .null, .text(ip)] })
    }

    /// One entry per change, each with its own key and summary, in statements of many rows (a bulk action audits
    /// every item on its own).
    public func recordEach(actor: String, event: AuditEvent, entries: [(key: String, summary: String)], at: Date) async throws {
        let (stamp, action, entity) = (Timestamp.text(at), event.action, event.entity)
        try await db.insert(
            into: "audit_log", columns: ["at", "actor", "action", "entity", "entity_key", "summary", "detail", "ip"],
            rows: entries.map { [.text(stamp), .text(actor), .text(action), .text(entity), .text($0.key), .text($0.summary), .null, .null] })
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
        var query = PagedQuery(from: "audit_log")
        query.add(.equals("entity", filter.entity))
        query.add(.equals("actor", filter.actor))
        query.add(.equals("action", filter.action))
        if let text = filter.text { query.add(.contains(["entity_key", "summary"], text)) }
        let column: SQLQueryString =
            switch sort.column {
            case .at: "id"
            case .actor: "actor"
            case .action: "action"
            case .entity: "entity"
            }
        return try await query.page(
            db, select: "id, at, actor, action, entity, entity_key, summary, detail, ip",
            orderBy: column + (sort.descending ? " DESC" : " ASC") + ", id DESC", page: page, as: AuditRow.self, \.entry)
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
