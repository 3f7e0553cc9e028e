/// The audit log: who changed what, when, with a summary and before/after where it fits.
struct M005Audit: SQLMigration {
    var tables: [String] { ["audit_log"] }

    func up(_ db: DB) -> [String] {
        let id = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE audit_log (
                id \(id),
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_key TEXT NOT NULL,
                summary TEXT NOT NULL,
                detail TEXT
            )
            """,
            "CREATE INDEX audit_entity ON audit_log (entity, entity_key)",
        ]
    }
}
