import FluentKit
import SQLKit

/// The history index becomes one column, `institution_id`: the form's monthly history is its only reader (by
/// institution, with the batch as a filter), and the import builds it after every first load. On 12 M rows
/// PostgreSQL built (batch_id, institution_id) in 2.0–2.6 s and (institution_id) in 1.5 s.
struct M008HistoryIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("DROP INDEX history_batch")
        try await db.run("CREATE INDEX \(unsafeRaw: HistoryStore.index) ON history (institution_id)")
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("DROP INDEX \(unsafeRaw: HistoryStore.index)")
        try await db.run("CREATE INDEX history_batch ON history (batch_id, institution_id)")
    }
}
