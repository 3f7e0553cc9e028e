import FluentKit
import SQLKit

/// The product parts (the first 7 digits of a traceability code) a manufacturer registers for its winning products:
/// once registered they are what a product's codes are checked against at delivery and at settlement.
struct M023ProductParts: SQLMigration {
    var tables: [String] { ["supply_product_parts"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE supply_product_parts (
                batch_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                prefix TEXT NOT NULL,
                registered_by TEXT NOT NULL,
                registered_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, product_code, prefix)
            )
            """
        ]
    }
}
