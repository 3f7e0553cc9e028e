import FluentKit
import SQLKit

/// API tokens get an expiry and a last-use time. Tokens made before this migration have no expiry and stop working:
/// they never expired, and their owners make new ones (docs/security.md).
struct M009TokenExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("ALTER TABLE api_tokens ADD COLUMN expires_at TEXT")
        try await db.run("ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT")
        try await db.run("CREATE INDEX api_tokens_user ON api_tokens (user_id)")
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("DROP INDEX api_tokens_user")
        try await db.run("ALTER TABLE api_tokens DROP COLUMN last_used_at")
        try await db.run("ALTER TABLE api_tokens DROP COLUMN expires_at")
    }
}
