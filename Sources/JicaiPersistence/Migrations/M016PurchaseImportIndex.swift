import FluentKit
import SQLKit

/// The purchases' second index leads with the import: a file replaces the earlier imports' lines of its months, and
/// with (batch_id, order_month) finding them meant visiting every line of those months, the new file's included
/// (5.1 M lines: seconds on SQLite, more on PostgreSQL). With (batch_id, import_id, order_month) only the earlier
/// imports' entries are read.
struct M016PurchaseImportIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("DROP INDEX purchases_month")
        try await db.run("CREATE INDEX purchases_import ON purchases (batch_id, import_id, order_month)")
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("DROP INDEX purchases_import")
        try await db.run("CREATE INDEX purchases_month ON purchases (batch_id, order_month)")
    }
}
