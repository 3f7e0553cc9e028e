import FluentKit
import SQLKit

/// The pre-award prices the province enters itself, one per unit, used by the assessment and the what-if instead of
/// the history's average: the price as entered (yuan per minimal unit of the named spec), the exact price per
/// effective content it stands for, and the province's stated basis.
struct M026AssessmentPrices: SQLMigration {
    var tables: [String] { ["assessment_prices"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE assessment_prices (
                batch_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                spec_code TEXT NOT NULL,
                price_text TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                content BIGINT NOT NULL,
                basis TEXT NOT NULL,
                set_by TEXT NOT NULL,
                set_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, unit_key)
            )
            """
        ]
    }
}
