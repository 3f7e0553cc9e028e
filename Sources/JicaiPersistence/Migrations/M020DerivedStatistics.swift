import FluentKit
import SQLKit

/// PostgreSQL only: the monitoring tables a full recompute empties and fills again are analysed by the recompute
/// itself (in its transaction), not by autovacuum. Autovacuum analysed each of them after every full run, and the
/// next run's TRUNCATE waited for it to give way (1 s per table, deadlock_timeout) while it used a core. Autovacuum
/// still vacuums them (a partial run deletes rows).
struct M020DerivedStatistics: AsyncMigration {
    static let tables = ["monitor_unit_months", "monitor_positions"]

    func prepare(on database: any Database) async throws {
        let db = DB(database)
        guard db.engine == .postgres else { return }
        for table in Self.tables {
            try await db.run(SQLQueryString("ALTER TABLE \(unsafeRaw: table) SET (autovacuum_analyze_threshold = 2147483647)"))
        }
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        guard db.engine == .postgres else { return }
        for table in Self.tables { try await db.run(SQLQueryString("ALTER TABLE \(unsafeRaw: table) RESET (autovacuum_analyze_threshold)")) }
    }
}
