/// Batches with their policy (JSON), and each batch's catalogue: varieties, specs and products.
struct M002Catalogue: SQLMigration {
    var tables: [String] { ["batches", "varieties", "specs", "products"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE batches (
                id BIGINT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                province_code TEXT NOT NULL,
                policy TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE varieties (
                batch_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                generic_name TEXT NOT NULL,
                route TEXT NOT NULL,
                key_monitored BOOLEAN NOT NULL,
                antimicrobial BOOLEAN NOT NULL,
                restricted_indication BOOLEAN NOT NULL,
                rising BOOLEAN NOT NULL,
                position BIGINT NOT NULL,
                PRIMARY KEY (batch_id, code)
            )
            """,
            """
            CREATE TABLE specs (
                id BIGINT PRIMARY KEY,
                batch_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                variety_code TEXT NOT NULL,
                dosage_form TEXT NOT NULL,
                strength TEXT NOT NULL,
                content_amount TEXT NOT NULL,
                content_unit TEXT NOT NULL,
                minimal_unit TEXT NOT NULL,
                pack_size BIGINT NOT NULL,
                passed_evaluation BOOLEAN NOT NULL,
                essential BOOLEAN NOT NULL,
                non_substitutable BOOLEAN NOT NULL,
                insurance_code TEXT,
                UNIQUE (batch_id, code)
            )
            """,
            """
            CREATE TABLE products (
                batch_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                spec_code TEXT NOT NULL,
                manufacturer_name TEXT NOT NULL,
                manufacturer_code TEXT,
                brand TEXT NOT NULL,
                PRIMARY KEY (batch_id, code)
            )
            """,
        ]
    }
}
