/// The listing prices of a batch's non-winning products (挂网价格), as the province imports them.
struct M012AwardListings: SQLMigration {
    var tables: [String] { ["award_listings"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE award_listings (
                batch_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                category TEXT NOT NULL,
                pack_price_fen BIGINT NOT NULL,
                changed_by TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, product_code)
            )
            """
        ]
    }
}
