import Foundation

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

    public init(
        id: Int64, at: Date, actor: String, action: String, entity: String, entityKey: String, summary: String, detail: String? = nil,
        ip: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityKey = entityKey
        self.summary = summary
        self.detail = detail
        self.ip = ip
    }
}

/// The columns the audit log sorts by (time is the order of entry).
public enum AuditColumn: String, Sendable, Hashable, CaseIterable {
    case at, actor, action, entity
}

/// Narrows the audit log.
public struct AuditFilter: Sendable, Hashable {
    public var entity: String?
    public var actor: String?
    public var action: String?
    /// Part of the entity key or the summary.
    public var text: String?

    public init(entity: String? = nil, actor: String? = nil, action: String? = nil, text: String? = nil) {
        func clean(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        self.entity = clean(entity)
        self.actor = clean(actor)
        self.action = clean(action)
        self.text = clean(text)
    }
}
