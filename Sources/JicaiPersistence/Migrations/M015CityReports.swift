/// The city bureaus' half-yearly reports on handling execution problems (001 §4): one per batch × city × half-year,
/// drafted and then submitted to the province.
struct M015CityReports: SQLMigration {
    var tables: [String] { ["city_reports"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE city_reports (
                batch_id BIGINT NOT NULL,
                city_code TEXT NOT NULL,
                period TEXT NOT NULL,
                summary TEXT NOT NULL,
                measures TEXT NOT NULL,
                problems TEXT NOT NULL,
                status TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                submitted_by TEXT,
                submitted_at TEXT,
                PRIMARY KEY (batch_id, city_code, period)
            )
            """
        ]
    }
}
