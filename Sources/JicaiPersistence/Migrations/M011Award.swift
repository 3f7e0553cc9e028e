/// The award stage (采): the batch's award state, its winning results (versioned: a correction after publication
/// keeps the old row), agreed volumes (versioned the same way), the coverage gaps, the manufacturers'
/// distributors per coordination area and the three-party agreements.
struct M011Award: SQLMigration {
    var tables: [String] { ["award_state", "award_results", "agreed_volumes", "award_gaps", "award_distributors", "agreements"] }

    // function-length: table (one CREATE statement per table)
    func up(_ db: DB) -> [String] {
        let serial = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE award_state (
                batch_id BIGINT PRIMARY KEY,
                phase TEXT NOT NULL,
                results_version BIGINT NOT NULL,
                computed_at TEXT,
                published_at TEXT,
                published_by TEXT,
                execution_start TEXT,
                cycle_end TEXT
            )
            """,
            """
            CREATE TABLE award_results (
                batch_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                version BIGINT NOT NULL,
                role TEXT NOT NULL,
                backup_order BIGINT,
                pack_price_fen BIGINT NOT NULL,
                reference_price_fen BIGINT,
                regions TEXT NOT NULL,
                insurance_code TEXT NOT NULL,
                restricted BIGINT NOT NULL,
                spec_code TEXT NOT NULL,
                variety_code TEXT NOT NULL,
                manufacturer_code TEXT NOT NULL,
                manufacturer_name TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                superseded_at TEXT,
                PRIMARY KEY (batch_id, product_code, version)
            )
            """,
            """
            CREATE TABLE agreed_volumes (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                version BIGINT NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL,
                exact_content TEXT NOT NULL,
                content_denominator TEXT NOT NULL,
                sources TEXT NOT NULL,
                reason TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                superseded_at TEXT
            )
            """,
            "CREATE INDEX agreed_volumes_institution ON agreed_volumes (batch_id, institution_id, product_code)",
            """
            CREATE TABLE award_gaps (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL
            )
            """,
            "CREATE INDEX award_gaps_batch ON award_gaps (batch_id)",
            """
            CREATE TABLE award_distributors (
                batch_id BIGINT NOT NULL,
                manufacturer_code TEXT NOT NULL,
                area TEXT NOT NULL,
                distributor_code TEXT NOT NULL,
                added_by TEXT NOT NULL,
                added_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, manufacturer_code, area, distributor_code)
            )
            """,
            """
            CREATE TABLE agreements (
                id \(serial),
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                manufacturer_code TEXT NOT NULL,
                distributor_code TEXT,
                year_index BIGINT NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT NOT NULL,
                days_of_year BIGINT NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL,
                status TEXT NOT NULL,
                institution_signed_by TEXT,
                institution_signed_at TEXT,
                manufacturer_signed_by TEXT,
                manufacturer_signed_at TEXT,
                distributor_signed_by TEXT,
                distributor_signed_at TEXT
            )
            """,
            "CREATE INDEX agreements_institution ON agreements (batch_id, institution_id)",
            "CREATE INDEX agreements_manufacturer ON agreements (batch_id, manufacturer_code)",
            "CREATE INDEX agreements_distributor ON agreements (batch_id, distributor_code)",
        ]
    }
}
