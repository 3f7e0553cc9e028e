import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The bodies of `/api/v1` shared by every stage (the account and its tokens); each stage's are in its own file
/// (`DemandDTOs`, `AwardDTOs`, `MonitorDTOs`). `/openapi.json` describes them; the snapshot tests check every body
/// against its schema (`OpenAPIShape`).
struct MeDTO: Content {
    var username: String
    var displayName: String
    var role: String
    var organisationCode: String?
    var regionCode: String?
    var csrf: String?
}

struct TokenDTO: Content {
    var token: String
    var label: String
    var expiresAt: Date
}

struct TokenInfoDTO: Content {
    var id: String
    var label: String
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
    init(_ t: StoredToken) { (id, label, createdAt, expiresAt, lastUsedAt) = (t.id, t.label, t.createdAt, t.expiresAt, t.lastUsedAt) }
}
