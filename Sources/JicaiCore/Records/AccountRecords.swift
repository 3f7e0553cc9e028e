import Foundation

/// The columns the account list sorts by.
public enum AccountColumn: String, Sendable, Hashable, CaseIterable {
    case username, name, role, organisation
}

/// Narrows the account list.
public struct AccountFilter: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable { case active, disabled, locked, initial }

    /// The province's or city's prefix: accounts of that region or of its organisations.
    public var regionPrefix: String?
    /// Part of the user name, the display name or the organisation code.
    public var text: String?
    public var role: Role?
    public var state: State?

    public init(regionPrefix: String? = nil, text: String? = nil, role: Role? = nil, state: State? = nil) {
        self.regionPrefix = regionPrefix
        self.text = text.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        self.role = role
        self.state = state
    }
}

/// A user account as stored.
public struct StoredUser: Sendable, Hashable {
    public var id: Int64
    public var username: String
    public var displayName: String
    public var role: Role
    public var organisationCode: String?
    public var regionCode: String?
    public var passwordHash: String
    public var mustChangePassword: Bool
    public var failures: Int
    public var lockedUntil: Date?
    public var active: Bool

    public var principal: Principal {
        Principal(username: username, role: role, organisationCode: organisationCode, regionCode: regionCode)
    }

    public init(
        id: Int64, username: String, displayName: String, role: Role, organisationCode: String? = nil, regionCode: String? = nil,
        passwordHash: String, mustChangePassword: Bool, failures: Int, lockedUntil: Date? = nil, active: Bool
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.organisationCode = organisationCode
        self.regionCode = regionCode
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.failures = failures
        self.lockedUntil = lockedUntil
        self.active = active
    }
}

/// An API token as its owner sees it (never the secret).
public struct StoredToken: Sendable, Hashable, Codable {
    public var id: String
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?

    public init(id: String, label: String, createdAt: Date, expiresAt: Date? = nil, lastUsedAt: Date? = nil) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}

/// An uploaded file's metadata.
public struct StoredFile: Sendable, Hashable {
    public var id: Int64
    public var batchID: Int64
    public var institutionID: Int64?
    public var kind: String
    public var name: String
    public var contentType: String
    public var size: Int64
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: Date

    public init(
        id: Int64, batchID: Int64, institutionID: Int64? = nil, kind: String, name: String, contentType: String, size: Int64, sha256: String,
        uploadedBy: String, uploadedAt: Date
    ) {
        self.id = id
        self.batchID = batchID
        self.institutionID = institutionID
        self.kind = kind
        self.name = name
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}
