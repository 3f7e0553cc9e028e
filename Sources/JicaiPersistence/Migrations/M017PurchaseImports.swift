import FluentKit
import SQLKit

/// A register of purchase imports (batch, import number, file, lines, who and when), which also numbers the next
/// import; and, on PostgreSQL only, the purchases without secondary indexes. There the table is partitioned by order
/// month: replacing a file's months reads only those months' partitions, and a recompute reads every partition in
/// sequence (the institution index was never chosen for it). Keeping the two indexes up cost a first import of 5.1 M
/// lines 2.8 s of its 9.1 s. A recompute of a few institutions now scans the partitions instead: a one-line file's
/// import and recompute on 5.1 M lines took 2.4 s instead of 1.6 s. SQLite keeps both: it has no partitions.
struct M017PurchaseImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run(
            """
            CREATE TABLE purchase_imports (
                batch_id BIGINT NOT NULL,
                import_id BIGINT NOT NULL,
                file TEXT NOT NULL,
                lines BIGINT NOT NULL,
                actor TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                PRIMARY KEY (batch_id, import_id)
            )
            """)
        // Imports made before this migration, with what the lines still tell.
        try await db.run(
            """
            INSERT INTO purchase_imports (batch_id, import_id, file, lines, actor, imported_at)
            SELECT batch_id, import_id, '', COUNT(*), '', '' FROM purchases WHERE source = 'import' GROUP BY batch_id, import_id
            """)
        if db.engine == .postgres {
            try await db.run("DROP INDEX purchases_institution")
            try await db.run("DROP INDEX purchases_import")
        }
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        if db.engine == .postgres {
            try await db.run("CREATE INDEX purchases_institution ON purchases (batch_id, institution_id)")
            try await db.run("CREATE INDEX purchases_import ON purchases (batch_id, import_id, order_month)")
        }
        try await db.run("DROP TABLE purchase_imports")
    }
}
