/// Regions (GB/T 2260 division codes) and organisations: institutions, pharmacies, companies and bureaus.
struct M001Accounts: SQLMigration {
    var tables: [String] { ["regions", "organisations"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE regions (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                level TEXT NOT NULL,
                parent_code TEXT
            )
            """,
            "CREATE INDEX regions_parent ON regions (parent_code)",
            """
            CREATE TABLE organisations (
                id BIGINT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                category TEXT,
                ownership TEXT,
                beds BIGINT,
                region_code TEXT NOT NULL,
                community_lead_code TEXT
            )
            """,
            "CREATE INDEX organisations_region ON organisations (region_code)",
        ]
    }
}
