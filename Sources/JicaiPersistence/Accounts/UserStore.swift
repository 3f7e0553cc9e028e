import Foundation
import JicaiCore
import SQLKit

/// A new account to insert.
public struct NewUser: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var organisationCode: String?
    public var regionCode: String?
    public var passwordHash: String
    public var mustChangePassword: Bool

    public init(
        username: String, displayName: String, role: Role, organisationCode: String?, regionCode: String?,
        passwordHash: String, mustChangePassword: Bool = true
    ) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.organisationCode = organisationCode
        self.regionCode = regionCode
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
    }
}

/// Accounts, sessions and API tokens. Session and token secrets are stored only as SHA-256 hashes.
public struct UserStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    struct Row: Decodable {
        var id: Int64, username: String, display_name: String, role: String, organisation_code: String?, region_code: String?
        var password_hash: String, must_change: Bool, failures: Int64, locked_until: String?, active: Bool

        var user: StoredUser? {
            guard let role = Role(rawValue: role) else { return nil }
            return StoredUser(
                id: id, username: username, displayName: display_name, role: role, organisationCode: organisation_code,
                regionCode: region_code, passwordHash: password_hash, mustChangePassword: must_change,
                failures: Int(failures), lockedUntil: locked_until.flatMap(Timestamp.date), active: active)
        }
    }

    static let columns =
        "id, username, display_name, role, organisation_code, region_code, password_hash, must_change, failures, locked_until, active"

    public func user(username: String) async throws -> StoredUser? {
        try await db.first("SELECT \(unsafeRaw: UserStore.columns) FROM users WHERE username = \(bind: username)", as: Row.self)?.user
    }

    public func user(id: Int64) async throws -> StoredUser? {
        try await db.first("SELECT \(unsafeRaw: UserStore.columns) FROM users WHERE id = \(bind: id)", as: Row.self)?.user
    }

    /// Accounts, optionally of one organisation or with a user name / organisation containing `search`.
    public func users(regionPrefix: String? = nil, search: String? = nil, limit: Int = 200) async throws -> [StoredUser] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: UserStore.columns) FROM users WHERE 1 = 1"
        if let regionPrefix {
            query =
                query
                + " AND (region_code LIKE \(bind: regionPrefix + "%") OR organisation_code IN (SELECT code FROM organisations WHERE region_code LIKE \(bind: regionPrefix + "%")))"
        }
        if let search, !search.isEmpty {
            query =
                query
                + " AND (username LIKE \(bind: "%" + search + "%") OR organisation_code LIKE \(bind: "%" + search + "%") OR display_name LIKE \(bind: "%" + search + "%"))"
        }
        query = query + " ORDER BY username LIMIT \(bind: limit)"
        return try await db.all(query, as: Row.self).compactMap(\.user)
    }

    /// Sessions that have not expired (for `/metrics`).
    public func activeSessionCount(at now: Date) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM sessions WHERE expires_at > \(bind: Timestamp.text(now))")
    }

    public func usernames() async throws -> Set<String> {
        struct R: Decodable { var username: String }
        return Set(try await db.all("SELECT username FROM users", as: R.self).map(\.username))
    }

    /// Organisation codes that already have an account of `role`.
    public func organisationsWithAccount(role: Role) async throws -> Set<String> {
        struct R: Decodable { var organisation_code: String? }
        return Set(
            try await db.all("SELECT organisation_code FROM users WHERE role = \(bind: role.rawValue)", as: R.self).compactMap(\.organisation_code))
    }

    public func insert(_ users: [NewUser], at: Date) async throws {
        let now = Timestamp.text(at)
        try await db.insert(
            into: "users",
            columns: [
                "username", "display_name", "role", "organisation_code", "region_code", "password_hash", "must_change", "failures", "active",
                "created_at",
            ],
            rows: users.map { u in
                [
                    .text(u.username), .text(u.displayName), .text(u.role.rawValue), .text(u.organisationCode), .text(u.regionCode),
                    .text(u.passwordHash), .bool(u.mustChangePassword), .int(0), .bool(true), .text(now),
                ]
            })
    }

    public func setPassword(userID: Int64, hash: String, mustChange: Bool) async throws {
        try await db.run(
            "UPDATE users SET password_hash = \(bind: hash), must_change = \(bind: mustChange), failures = 0, locked_until = NULL WHERE id = \(bind: userID)"
        )
    }

    /// Adds one failed log-in in the database itself (never read-modify-write: parallel attempts each count) and
    /// returns the count now stored.
    public func addFailure(userID: Int64) async throws -> Int {
        struct R: Decodable { var failures: Int64 }
        let counted = try await db.first("UPDATE users SET failures = failures + 1 WHERE id = \(bind: userID) RETURNING failures", as: R.self)
        return Int(clamping: counted?.failures ?? 0)
    }

    /// Locks the account until `until`; the count starts again after the lock.
    public func lock(userID: Int64, until: Date) async throws {
        try await db.run("UPDATE users SET failures = 0, locked_until = \(bind: Timestamp.text(until)) WHERE id = \(bind: userID)")
    }

    /// After a right password: clears the failures unless the account is locked at `at` (a lock set by a parallel
    /// attempt after this one read the account still wins). Returns whether the account was unlocked.
    public func clearFailuresIfUnlocked(userID: Int64, at: Date) async throws -> Bool {
        struct R: Decodable { var id: Int64 }
        let counted = try await db.first(
            """
            UPDATE users SET failures = 0, locked_until = NULL
            WHERE id = \(bind: userID) AND (locked_until IS NULL OR locked_until <= \(bind: Timestamp.text(at))) RETURNING id
            """, as: R.self)
        return counted != nil
    }

    public func clearFailures(userID: Int64) async throws {
        try await db.run("UPDATE users SET failures = 0, locked_until = NULL WHERE id = \(bind: userID)")
    }

    public func setActive(userID: Int64, _ active: Bool) async throws {
        try await db.run("UPDATE users SET active = \(bind: active) WHERE id = \(bind: userID)")
    }

    // MARK: Sessions

    public struct Session: Sendable, Hashable {
        public var userID: Int64
        public var csrf: String
        public var expiresAt: Date
    }

    public func createSession(tokenHash: String, userID: Int64, csrf: String, ip: String?, at: Date, expires: Date) async throws {
        try await db.run(
            """
            INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, ip)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: csrf), \(bind: Timestamp.text(at)), \(bind: Timestamp.text(expires)), \(bind: ip))
            """)
    }

    public func session(tokenHash: String) async throws -> Session? {
        struct R: Decodable {
            var user_id: Int64
            var csrf: String
            var expires_at: String
        }
        guard let row = try await db.first("SELECT user_id, csrf, expires_at FROM sessions WHERE token_hash = \(bind: tokenHash)", as: R.self) else {
            return nil
        }
        return Session(userID: row.user_id, csrf: row.csrf, expiresAt: Timestamp.date(row.expires_at) ?? .distantPast)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await db.run("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)")
    }

    /// Ends every session of a user (password change or reset, deactivation).
    public func deleteSessions(userID: Int64) async throws {
        try await db.run("DELETE FROM sessions WHERE user_id = \(bind: userID)")
    }

    /// Sessions past their end go at each log-in, so the table holds only live ones.
    public func deleteExpiredSessions(at now: Date) async throws {
        try await db.run("DELETE FROM sessions WHERE expires_at < \(bind: Timestamp.text(now))")
    }

    /// Ends the user's other sessions (after a password change), keeping the one making the change.
    public func deleteSessions(userID: Int64, except tokenHash: String) async throws {
        try await db.run("DELETE FROM sessions WHERE user_id = \(bind: userID) AND token_hash <> \(bind: tokenHash)")
    }

    // MARK: API tokens

    public func addToken(tokenHash: String, userID: Int64, label: String, at: Date, expires: Date) async throws {
        try await db.run(
            """
            INSERT INTO api_tokens (token_hash, user_id, label, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: userID), \(bind: label), \(bind: Timestamp.text(at)), \(bind: Timestamp.text(expires)))
            """)
    }

    /// The account of an unexpired API token in one statement (every API request asks), its last use noted at most
    /// once a minute.
    public func user(tokenHash: String, at: Date) async throws -> StoredUser? {
        struct R: Decodable {
            var id: Int64, username: String, display_name: String, role: String, organisation_code: String?, region_code: String?
            var password_hash: String, must_change: Bool, failures: Int64, locked_until: String?, active: Bool, last_used_at: String?
        }
        let now = Timestamp.text(at)
        guard
            let r = try await db.first(
                """
                SELECT u.id, u.username, u.display_name, u.role, u.organisation_code, u.region_code, u.password_hash, u.must_change, u.failures,
                       u.locked_until, u.active, t.last_used_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(bind: tokenHash) AND t.expires_at IS NOT NULL AND t.expires_at > \(bind: now)
                """, as: R.self)
        else { return nil }
        if r.last_used_at.flatMap(Timestamp.date).map({ at.timeIntervalSince($0) >= 60 }) ?? true {
            try await db.run("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE token_hash = \(bind: tokenHash)")
        }
        return Row(
            id: r.id, username: r.username, display_name: r.display_name, role: r.role, organisation_code: r.organisation_code,
            region_code: r.region_code, password_hash: r.password_hash, must_change: r.must_change, failures: r.failures,
            locked_until: r.locked_until, active: r.active
        ).user
    }

    /// A user's tokens, newest first. The id shown is the first 16 hex digits of the token's hash: enough to name it,
    /// nothing to use it with.
    public func tokens(userID: Int64) async throws -> [StoredToken] {
        struct R: Decodable {
            var token_hash: String
            var label: String
            var created_at: String
            var expires_at: String?
            var last_used_at: String?
        }
        return try await db.all(
            """
            SELECT token_hash, label, created_at, expires_at, last_used_at FROM api_tokens WHERE user_id = \(bind: userID)
            ORDER BY created_at DESC
            """, as: R.self
        ).map {
            StoredToken(
                id: String($0.token_hash.prefix(16)), label: $0.label, createdAt: Timestamp.date($0.created_at) ?? .distantPast,
                expiresAt: $0.expires_at.flatMap(Timestamp.date), lastUsedAt: $0.last_used_at.flatMap(Timestamp.date))
        }
    }

    /// Revokes one of the user's tokens by its id; false when the user has no such token.
    public func deleteToken(userID: Int64, id: String) async throws -> Bool {
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { return false }
        let active = try await db.scalar("SELECT COUNT(*) AS v FROM api_tokens WHERE user_id = \(bind: userID) AND token_hash LIKE \(bind: id + "%")")
        guard active == 1 else { return false }
        try await db.run("DELETE FROM api_tokens WHERE user_id = \(bind: userID) AND token_hash LIKE \(bind: id + "%")")
        return true
    }

    public func tokenCount(userID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM api_tokens WHERE user_id = \(bind: userID)")
    }

    public func deleteTokens(userID: Int64) async throws {
        try await db.run("DELETE FROM api_tokens WHERE user_id = \(bind: userID)")
    }
}

/// Uploaded files (commitment letters, evidence, the sealed summary scan), kept in the database so a deployment
/// has one thing to back up.
public struct FileStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    public func add(
        batchID: Int64, institutionID: Int64?, kind: String, name: String, contentType: String, data: Data, sha256: String,
        uploadedBy: String, at: Date
    ) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO files (batch_id, institution_id, kind, name, content_type, size, sha256, data, uploaded_by, uploaded_at)
            VALUES (\(bind: batchID), \(bind: institutionID), \(bind: kind), \(bind: name), \(bind: contentType), \(bind: Int64(data.count)),
                    \(bind: sha256), \(bind: data), \(bind: uploadedBy), \(bind: Timestamp.text(at)))
            RETURNING id
            """, as: R.self)
        guard let row else { throw Refusal(.internalError) }
        return row.id
    }

    private struct Meta: Decodable {
        var id: Int64, batch_id: Int64, institution_id: Int64?, kind: String, name: String, content_type: String, size: Int64
        var sha256: String, uploaded_by: String, uploaded_at: String
        var file: StoredFile {
            StoredFile(
                id: id, batchID: batch_id, institutionID: institution_id, kind: kind, name: name, contentType: content_type, size: size,
                sha256: sha256, uploadedBy: uploaded_by, uploadedAt: Timestamp.date(uploaded_at) ?? .distantPast)
        }
    }

    /// Removes a file that nothing refers to any more (a replaced letter or evidence).
    public func delete(id: Int64) async throws {
        try await db.run("DELETE FROM files WHERE id = \(bind: id)")
    }

    public func meta(id: Int64) async throws -> StoredFile? {
        try await db.first(
            "SELECT id, batch_id, institution_id, kind, name, content_type, size, sha256, uploaded_by, uploaded_at FROM files WHERE id = \(bind: id)",
            as: Meta.self)?.file
    }

    public func data(id: Int64) async throws -> Data? {
        struct R: Decodable { var data: Data }
        return try await db.first("SELECT data FROM files WHERE id = \(bind: id)", as: R.self)?.data
    }
}
