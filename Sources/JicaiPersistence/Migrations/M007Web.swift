import FluentKit
import SQLKit

/// Accounts and sessions of the web application, uploaded files (commitment letters, evidence, the sealed summary),
/// review fields of reports, the batch lock, and the client address in the audit log.
struct M007Web: SQLMigration {
    var tables: [String] { ["users", "sessions", "api_tokens", "files"] }

    func up(_ db: DB) -> [String] {
        let serial = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let blob = db.engine == .sqlite ? "BLOB" : "BYTEA"
        return [
            """
            CREATE TABLE users (
                id \(serial),
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                organisation_code TEXT,
                region_code TEXT,
                password_hash TEXT NOT NULL,
                must_change BOOLEAN NOT NULL,
                failures BIGINT NOT NULL,
                locked_until TEXT,
                active BOOLEAN NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX users_organisation ON users (organisation_code)",
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL,
                csrf TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                ip TEXT
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL,
                label TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE files (
                id \(serial),
                batch_id BIGINT NOT NULL,
                institution_id BIGINT,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                data \(blob) NOT NULL,
                uploaded_by TEXT NOT NULL,
                uploaded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX files_owner ON files (batch_id, institution_id)",
            "ALTER TABLE demand_reports ADD COLUMN letter_file_id BIGINT",
            "ALTER TABLE demand_reports ADD COLUMN return_reason TEXT",
            "ALTER TABLE demand_reports ADD COLUMN reviewed_by TEXT",
            "ALTER TABLE demand_notes ADD COLUMN evidence_file_id BIGINT",
            "ALTER TABLE batches ADD COLUMN locked_at TEXT",
            "ALTER TABLE batches ADD COLUMN sealed_file_id BIGINT",
            "ALTER TABLE audit_log ADD COLUMN ip TEXT",
            "CREATE INDEX audit_actor ON audit_log (actor)",
            "CREATE INDEX organisations_lead ON organisations (community_lead_code)",
        ]
    }

    /// The added columns go with their tables on revert, except the ones added to earlier tables, which are dropped
    /// one by one (SQLite ≥ 3.35 and PostgreSQL both support DROP COLUMN).
    func revert(on database: any Database) async throws {
        let db = DB(database)
        for (table, column) in [
            ("demand_reports", "letter_file_id"), ("demand_reports", "return_reason"), ("demand_reports", "reviewed_by"),
            ("demand_notes", "evidence_file_id"), ("batches", "locked_at"), ("batches", "sealed_file_id"), ("audit_log", "ip"),
        ] {
            let statement: String = "ALTER TABLE \(table) DROP COLUMN \(column)"
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
        try await db.sql.raw("DROP INDEX IF EXISTS audit_actor").run()
        try await db.sql.raw("DROP INDEX IF EXISTS organisations_lead").run()
        for table in tables.reversed() {
            let statement: String = "DROP TABLE IF EXISTS \(table)"
            try await db.sql.raw(SQLQueryString(statement)).run()
        }
    }
}
