/// The supply stage (供): orders placed under agreements and their lines (quantities in packs at the winning pack
/// price; the order's status is `OrderRules.status` of its lines, written with them for the lists' filters), deliveries with lot, expiry and acceptance per line, the traceability codes captured at delivery (one row
/// per code and stage; a code seen twice is found through its index), and the invoices and payments of accepted
/// deliveries.
struct M022Supply: SQLMigration {
    var tables: [String] {
        [
            "supply_orders", "supply_order_lines", "supply_deliveries", "supply_delivery_lines", "supply_trace_codes", "supply_payments",
            "supply_tickets", "supply_credit_entries", "supply_code_anomalies", "supply_code_prefixes", "supply_prepayments", "supply_settlements",
            "supply_settlement_lines",
        ]
    }

    // function-length: table (one CREATE statement per table)
    func up(_ db: DB) -> [String] {
        let serial = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE supply_orders (
                id \(serial),
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                distributor_code TEXT NOT NULL,
                order_date BIGINT NOT NULL,
                placed_by TEXT NOT NULL,
                placed_at TEXT NOT NULL,
                confirmed_date BIGINT,
                confirmed_by TEXT,
                withdrawn_by TEXT,
                note TEXT NOT NULL,
                status TEXT NOT NULL,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supply_orders_institution ON supply_orders (batch_id, institution_id)",
            "CREATE INDEX supply_orders_distributor ON supply_orders (batch_id, distributor_code)",
            """
            CREATE TABLE supply_order_lines (
                order_id BIGINT NOT NULL,
                line_no BIGINT NOT NULL,
                agreement_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                manufacturer_code TEXT NOT NULL,
                pack_price_fen BIGINT NOT NULL,
                pack_size BIGINT NOT NULL,
                ordered BIGINT NOT NULL,
                shipped BIGINT NOT NULL,
                accepted BIGINT NOT NULL,
                rejected BIGINT NOT NULL,
                closed BIGINT NOT NULL,
                beyond_agreed BIGINT NOT NULL,
                PRIMARY KEY (order_id, line_no)
            )
            """,
            "CREATE INDEX supply_order_lines_agreement ON supply_order_lines (agreement_id)",
            """
            CREATE TABLE supply_deliveries (
                id \(serial),
                batch_id BIGINT NOT NULL,
                order_id BIGINT NOT NULL,
                ship_date BIGINT NOT NULL,
                shipped_by TEXT NOT NULL,
                accept_date BIGINT,
                accepted_by TEXT,
                amount_fen BIGINT NOT NULL,
                due_date BIGINT
            )
            """,
            "CREATE INDEX supply_deliveries_order ON supply_deliveries (order_id)",
            "CREATE INDEX supply_deliveries_due ON supply_deliveries (batch_id, due_date)",
            """
            CREATE TABLE supply_delivery_lines (
                delivery_id BIGINT NOT NULL,
                line_no BIGINT NOT NULL,
                packs BIGINT NOT NULL,
                lot TEXT NOT NULL,
                expiry BIGINT NOT NULL,
                accepted BIGINT,
                rejected BIGINT,
                reason TEXT NOT NULL,
                PRIMARY KEY (delivery_id, line_no)
            )
            """,
            """
            CREATE TABLE supply_trace_codes (
                code TEXT NOT NULL,
                stage TEXT NOT NULL,
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                delivery_id BIGINT,
                line_no BIGINT,
                seen_date BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supply_trace_codes_code ON supply_trace_codes (code, stage)",
            "CREATE INDEX supply_trace_codes_delivery ON supply_trace_codes (delivery_id)",
            """
            CREATE TABLE supply_payments (
                id \(serial),
                batch_id BIGINT NOT NULL,
                delivery_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                number TEXT NOT NULL,
                amount_fen BIGINT NOT NULL,
                on_date BIGINT NOT NULL,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX supply_payments_delivery ON supply_payments (delivery_id)",
        ] + later(serial)
    }

    /// Supply-problem tickets and the firms' credit entries they leave; the prepayment ledger; settlement runs.
    // function-length: table (one CREATE statement per table)
    func later(_ serial: String) -> [String] {
        [
            """
            CREATE TABLE supply_tickets (
                id \(serial),
                batch_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                product_code TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                manufacturer_code TEXT NOT NULL,
                distributor_code TEXT,
                institution_id BIGINT,
                region_prefix TEXT NOT NULL,
                from_month BIGINT NOT NULL,
                through_month BIGINT NOT NULL,
                description TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                filed_date BIGINT NOT NULL,
                answer_due BIGINT NOT NULL,
                verify_due BIGINT NOT NULL,
                status TEXT NOT NULL,
                manufacturer_answer TEXT,
                manufacturer_answered_by TEXT,
                distributor_answer TEXT,
                distributor_answered_by TEXT,
                answered_date BIGINT,
                decided_by TEXT,
                decided_date BIGINT,
                decision_note TEXT,
                problem_id BIGINT,
                version BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supply_tickets_batch ON supply_tickets (batch_id, status, region_prefix)",
            """
            CREATE TABLE supply_credit_entries (
                id \(serial),
                batch_id BIGINT NOT NULL,
                firm_code TEXT NOT NULL,
                party TEXT NOT NULL,
                ticket_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                on_date BIGINT NOT NULL,
                note TEXT NOT NULL
            )
            """,
            "CREATE INDEX supply_credit_entries_firm ON supply_credit_entries (firm_code)",
            """
            CREATE TABLE supply_code_anomalies (
                id \(serial),
                batch_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                first_institution_id BIGINT NOT NULL,
                first_date BIGINT NOT NULL,
                second_institution_id BIGINT NOT NULL,
                second_date BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                raised_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX supply_code_anomalies_batch ON supply_code_anomalies (batch_id, id)",
            """
            CREATE TABLE supply_code_prefixes (
                batch_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                prefix TEXT NOT NULL,
                PRIMARY KEY (batch_id, product_code, prefix)
            )
            """,
            """
            CREATE TABLE supply_prepayments (
                id \(serial),
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                year_start TEXT NOT NULL,
                kind TEXT NOT NULL,
                month BIGINT,
                amount_fen BIGINT NOT NULL,
                source TEXT NOT NULL,
                settlement_id BIGINT,
                recorded_by TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX supply_prepayments_institution ON supply_prepayments (batch_id, institution_id, year_start)",
            """
            CREATE TABLE supply_settlements (
                id \(serial),
                batch_id BIGINT NOT NULL,
                month BIGINT NOT NULL,
                status TEXT NOT NULL,
                run_by TEXT NOT NULL,
                run_at TEXT NOT NULL,
                approved_by TEXT,
                approved_at TEXT,
                direct_fen BIGINT NOT NULL,
                offset_fen BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supply_settlements_month ON supply_settlements (batch_id, month)",
            """
            CREATE TABLE supply_settlement_lines (
                settlement_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                distributor_code TEXT NOT NULL,
                delivery_id BIGINT,
                kind TEXT NOT NULL,
                amount_fen BIGINT NOT NULL
            )
            """,
            "CREATE INDEX supply_settlement_lines_run ON supply_settlement_lines (settlement_id, institution_id)",
        ]
    }
}
