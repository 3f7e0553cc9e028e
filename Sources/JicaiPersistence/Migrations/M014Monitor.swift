/// The monitoring stage (用): purchase lines (on PostgreSQL partitioned by order month, one partition per month made
/// on import, so old months detach), the monthly tallies and current positions a recompute writes, the alerts with
/// their life, verified supply problems, the use records of the prescription review, and each batch's last run.
struct M014Monitor: SQLMigration {
    var tables: [String] {
        ["purchases", "monitor_months", "monitor_positions", "monitor_alerts", "supply_problems", "usage_records", "monitor_state"]
    }

    // function-length: table (one CREATE statement per table)
    func up(_ db: DB) -> [String] {
        let serial = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        let purchases = """
            CREATE TABLE purchases (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                product_code TEXT NOT NULL,
                order_month INTEGER NOT NULL,
                order_date INTEGER NOT NULL,
                delivery_date INTEGER,
                acceptance_date INTEGER,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL,
                order_number TEXT NOT NULL,
                source TEXT NOT NULL,
                import_id BIGINT NOT NULL
            )
            """
        var statements = [
            db.engine == .postgres ? purchases + " PARTITION BY RANGE (order_month)" : purchases,
            "CREATE INDEX purchases_institution ON purchases (batch_id, institution_id)",
            "CREATE INDEX purchases_month ON purchases (batch_id, order_month)",
            """
            CREATE TABLE monitor_months (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                month INTEGER NOT NULL,
                winning_content BIGINT NOT NULL,
                winning_amount_fen BIGINT NOT NULL,
                non_winning_content BIGINT NOT NULL,
                non_winning_amount_fen BIGINT NOT NULL,
                excluded_content BIGINT NOT NULL,
                excluded_amount_fen BIGINT NOT NULL,
                not_passed_content BIGINT NOT NULL,
                valued_winning_fen BIGINT NOT NULL
            )
            """,
            "CREATE INDEX monitor_months_institution ON monitor_months (batch_id, institution_id, unit_key, month)",
            """
            CREATE TABLE monitor_positions (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                region_code TEXT NOT NULL,
                year_start TEXT NOT NULL,
                agreed_content BIGINT NOT NULL,
                agreed_amount_fen BIGINT NOT NULL,
                winning_content BIGINT NOT NULL,
                winning_amount_fen BIGINT NOT NULL,
                non_winning_content BIGINT NOT NULL,
                non_winning_amount_fen BIGINT NOT NULL,
                excluded_content BIGINT NOT NULL,
                excluded_amount_fen BIGINT NOT NULL,
                not_passed_content BIGINT NOT NULL,
                entered BIGINT NOT NULL,
                pending_content BIGINT NOT NULL,
                overdue_orders BIGINT NOT NULL,
                overdue_content BIGINT NOT NULL,
                supply_problem BIGINT NOT NULL,
                valued_winning_fen BIGINT NOT NULL,
                valued_pending_fen BIGINT NOT NULL,
                PRIMARY KEY (batch_id, institution_id, unit_key)
            )
            """,
            "CREATE INDEX monitor_positions_region ON monitor_positions (batch_id, region_code)",
            """
            CREATE TABLE monitor_alerts (
                id \(serial),
                batch_id BIGINT NOT NULL,
                code TEXT NOT NULL,
                institution_id BIGINT NOT NULL,
                region_code TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                year_start TEXT NOT NULL,
                severity TEXT NOT NULL,
                status TEXT NOT NULL,
                figures TEXT NOT NULL,
                message_zh TEXT NOT NULL,
                message_en TEXT NOT NULL,
                raised_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                acknowledged_by TEXT,
                acknowledged_at TEXT,
                note TEXT,
                resolved_by TEXT,
                resolved_at TEXT,
                resolution TEXT,
                reason TEXT
            )
            """,
            "CREATE INDEX monitor_alerts_institution ON monitor_alerts (batch_id, institution_id)",
            "CREATE INDEX monitor_alerts_status ON monitor_alerts (batch_id, status, region_code)",
            """
            CREATE TABLE supply_problems (
                id \(serial),
                batch_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                region_prefix TEXT NOT NULL,
                from_month INTEGER NOT NULL,
                through_month INTEGER NOT NULL,
                note TEXT NOT NULL,
                verified_by TEXT NOT NULL,
                verified_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE usage_records (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                department TEXT NOT NULL,
                doctor TEXT NOT NULL,
                product_code TEXT NOT NULL,
                month INTEGER NOT NULL,
                quantity BIGINT NOT NULL,
                amount_fen BIGINT NOT NULL
            )
            """,
            "CREATE INDEX usage_records_institution ON usage_records (batch_id, institution_id, month)",
            """
            CREATE TABLE monitor_state (
                batch_id BIGINT PRIMARY KEY,
                as_of TEXT NOT NULL,
                computed_at TEXT NOT NULL,
                seconds TEXT NOT NULL,
                positions BIGINT NOT NULL,
                lines BIGINT NOT NULL
            )
            """,
        ]
        if db.engine == .postgres {
            // Lines of a month without its partition (made on import) land here instead of failing.
            statements.insert("CREATE TABLE purchases_default PARTITION OF purchases DEFAULT", at: 1)
        }
        return statements
    }
}
