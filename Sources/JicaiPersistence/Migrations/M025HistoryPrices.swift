import FluentKit
import SQLKit

/// The batch's history with amounts summed per spec, written by the history import in its transaction: the
/// pre-award prices of the assessment and of the demand form's what-if are read from it (a few hundred rows)
/// instead of grouping a province's history totals on every request. Filled from the totals already stored.
struct M025HistoryPrices: SQLMigration {
    var tables: [String] { ["history_prices"] }

    func up(_ db: DB) -> [String] {
        [
            """
            CREATE TABLE history_prices (
                batch_id BIGINT NOT NULL,
                spec_id BIGINT NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL,
                PRIMARY KEY (batch_id, spec_id)
            )
            """,
            HistoryStore.pricesSelect(batchFilter: nil),
        ]
    }
}
