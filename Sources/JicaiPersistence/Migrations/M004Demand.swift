/// Demand reports (one per institution and batch), their lines, per-unit notes (explanations and special-needs
/// exclusions) and the findings of the last check run.
struct M004Demand: SQLMigration {
    var tables: [String] { ["demand_reports", "demand_lines", "demand_notes", "findings"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE demand_reports (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                status TEXT NOT NULL,
                letter_file TEXT,
                signer_name TEXT,
                signer_title TEXT,
                submitted_at TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, institution_id)
            )
            """,
            """
            CREATE TABLE demand_lines (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                spec_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                quantity BIGINT NOT NULL,
                PRIMARY KEY (batch_id, institution_id, spec_id, product_code)
            )
            """,
            """
            CREATE TABLE demand_notes (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                explanation TEXT NOT NULL,
                exclusion_spec_code TEXT,
                exclusion_quantity BIGINT,
                exclusion_reason TEXT,
                PRIMARY KEY (batch_id, institution_id, unit_key)
            )
            """,
            """
            CREATE TABLE findings (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                severity TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                numbers TEXT NOT NULL,
                message_zh TEXT NOT NULL,
                message_en TEXT NOT NULL,
                clause TEXT NOT NULL,
                explanation TEXT
            )
            """,
            "CREATE INDEX findings_batch ON findings (batch_id, institution_id)",
        ]
    }
}
