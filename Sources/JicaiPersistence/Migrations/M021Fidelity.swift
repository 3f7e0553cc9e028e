import FluentKit
import SQLKit

/// A winning product's own pack size (two winners of one spec may sell different packs; empty for the rows before
/// it, which keep their spec's), and an alert's history: an alert is one record per key for good, which resolves
/// itself and opens again as its numbers move, each time noted here.
struct M021Fidelity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("ALTER TABLE award_results ADD COLUMN pack_size BIGINT")
        try await db.run("ALTER TABLE monitor_alerts ADD COLUMN history TEXT")
    }

    func revert(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("ALTER TABLE monitor_alerts DROP COLUMN history")
        try await db.run("ALTER TABLE award_results DROP COLUMN pack_size")
    }
}
