import FluentKit
import SQLKit

/// The assessment and savings-retention stage (管): the province's exemptions and its list of institutions paid by
/// disease group, each agreement year's run (published, then approved), its results per institution and per item
/// (each item's reasons kept as the sheet shows them), and the institutions' appeals with the city's opinion and the
/// province's decision, and the supervision leads found in a year with their case life.
struct M024Assessment: SQLMigration {
    var tables: [String] {
        [
            "assessment_exemptions", "assessment_disease_groups", "assessment_runs", "assessment_scores", "assessment_items", "assessment_appeals",
            "assessment_leads",
        ]
    }

    // function-length: table (one CREATE statement per table)
    func up(_ db: DB) -> [String] {
        let serial = db.engine == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
        return [
            """
            CREATE TABLE assessment_exemptions (
                id \(serial),
                batch_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                region_prefix TEXT NOT NULL,
                from_day BIGINT NOT NULL,
                through_day BIGINT NOT NULL,
                evidence TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX assessment_exemptions_batch ON assessment_exemptions (batch_id, unit_key)",
            """
            CREATE TABLE assessment_disease_groups (
                batch_id BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                PRIMARY KEY (batch_id, institution_id)
            )
            """,
            """
            CREATE TABLE assessment_runs (
                batch_id BIGINT NOT NULL,
                year_start BIGINT NOT NULL,
                year_end BIGINT NOT NULL,
                status TEXT NOT NULL,
                published_on BIGINT NOT NULL,
                computed_by TEXT NOT NULL,
                computed_at TEXT NOT NULL,
                institutions BIGINT NOT NULL,
                items BIGINT NOT NULL,
                failed_items BIGINT NOT NULL,
                retained_fen BIGINT NOT NULL,
                approved_by TEXT,
                approved_at TEXT,
                PRIMARY KEY (batch_id, year_start)
            )
            """,
            """
            CREATE TABLE assessment_scores (
                batch_id BIGINT NOT NULL,
                year_start BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                region_code TEXT NOT NULL,
                completion_assessed BIGINT NOT NULL,
                completion_passed BIGINT NOT NULL,
                share_counted BIGINT NOT NULL,
                share_passed BIGINT NOT NULL,
                due_fen BIGINT NOT NULL,
                paid_on_time_fen BIGINT NOT NULL,
                agreements BIGINT NOT NULL,
                signed_on_time BIGINT NOT NULL,
                score BIGINT NOT NULL,
                grade TEXT NOT NULL,
                items BIGINT NOT NULL,
                failed_items BIGINT NOT NULL,
                retained_fen BIGINT NOT NULL,
                disease_group BIGINT NOT NULL,
                PRIMARY KEY (batch_id, year_start, institution_id)
            )
            """,
            "CREATE INDEX assessment_scores_region ON assessment_scores (batch_id, year_start, region_code)",
            """
            CREATE TABLE assessment_items (
                batch_id BIGINT NOT NULL,
                year_start BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                agreed_content BIGINT NOT NULL,
                winning_content BIGINT NOT NULL,
                winning_amount_fen BIGINT NOT NULL,
                non_winning_content BIGINT NOT NULL,
                excluded_content BIGINT NOT NULL,
                uncovered_days BIGINT NOT NULL,
                completion TEXT NOT NULL,
                share_passed BIGINT NOT NULL,
                passed BIGINT NOT NULL,
                price_amount_fen BIGINT,
                price_content BIGINT,
                base_content BIGINT NOT NULL,
                savings_fen BIGINT NOT NULL,
                retained_fen BIGINT NOT NULL,
                reasons TEXT NOT NULL,
                PRIMARY KEY (batch_id, year_start, institution_id, unit_key)
            )
            """,
            """
            CREATE TABLE assessment_appeals (
                id \(serial),
                batch_id BIGINT NOT NULL,
                year_start BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                reason TEXT NOT NULL,
                evidence TEXT NOT NULL,
                status TEXT NOT NULL,
                filed_by TEXT NOT NULL,
                filed_at TEXT NOT NULL,
                opinion TEXT,
                reviewed_by TEXT,
                reviewed_at TEXT,
                decision TEXT,
                decided_by TEXT,
                decided_at TEXT
            )
            """,
            "CREATE INDEX assessment_appeals_batch ON assessment_appeals (batch_id, year_start, institution_id)",
            """
            CREATE TABLE assessment_leads (
                id \(serial),
                batch_id BIGINT NOT NULL,
                year_start BIGINT NOT NULL,
                institution_id BIGINT NOT NULL,
                unit_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                evidence_zh TEXT NOT NULL,
                evidence_en TEXT NOT NULL,
                status TEXT NOT NULL,
                finding TEXT,
                updated_by TEXT,
                updated_at TEXT
            )
            """,
            "CREATE INDEX assessment_leads_batch ON assessment_leads (batch_id, year_start, institution_id)",
        ]
    }
}
