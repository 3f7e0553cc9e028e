import Foundation
import SQLKit

/// One entry of the audit log.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var entity: String
    public var entityKey: String
    public var summary: String
    public var detail: String?
    public var ip: String?
}

/// Every change is recorded here, in the same transaction as the change itself.
public struct AuditLog: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    public func record(actor: String, action: String, entity: String, key: String, summary: String, detail: String? = nil,
                       ip: String? = nil, at: Date) async throws {
        try await db.run("""
            INSERT INTO audit_log (at, actor, action, entity, entity_key, summary, detail, ip)
            VALUES (\(bind: Timestamp.text(at)), \(bind: actor), \(bind: action), \(bind: entity), \(bind: key), \(bind: summary), \(bind: detail), \(bind: ip))
            """)
    }

    public func entries(entity: String? = nil, keyPrefix: String? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        struct Row: Decodable { var id: Int64; var at: String; var actor: String; var action: String; var entity: String; var entity_key: String; var summary: String; var detail: String?; var ip: String? }
        var q: SQLQueryString = "SELECT id, at, actor, action, entity, entity_key, summary, detail, ip FROM audit_log WHERE 1 = 1"
        if let entity { q = q + " AND entity = \(bind: entity)" }
        if let keyPrefix { q = q + " AND entity_key LIKE \(bind: keyPrefix + "%")" }
        q = q + " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await db.all(q, as: Row.self).map {
            AuditEntry(id: $0.id, at: Timestamp.date($0.at) ?? .distantPast, actor: $0.actor, action: $0.action, entity: $0.entity,
                       entityKey: $0.entity_key, summary: $0.summary, detail: $0.detail, ip: $0.ip)
        }
    }
}
