/// Monthly purchase history per institution × spec (the raw rows, loaded in bulk) and its per-spec totals over the
/// reference period, which the demand checks read.
struct M003History: SQLMigration {
    var tables: [String] { ["history", "history_totals"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE history (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                spec_id BIGINT NOT NULL,
                month INTEGER NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT
            )
            """,
            "CREATE INDEX history_batch ON history (batch_id, institution_id)",
            """
            CREATE TABLE history_totals (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                spec_id BIGINT NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT,
                PRIMARY KEY (batch_id, institution_id, spec_id)
            )
            """,
        ]
    }
}
