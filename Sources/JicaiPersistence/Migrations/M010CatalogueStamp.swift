import FluentKit
import Foundation
import SQLKit

/// Batches get a catalogue stamp: a random value replaced whenever the batch's catalogue or products change, so a
/// server can keep the decoded catalogue in memory and know, with one cheap read of the batch row, whether it is
/// still current (`CatalogueCache`). Random rather than a counter, so two databases never share a stamp.
struct M010CatalogueStamp: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let db = DB(database)
        try await db.run("ALTER TABLE batches ADD COLUMN catalogue_stamp TEXT")
        struct Row: Decodable { var id: Int64 }
        for row in try await db.all("SELECT id FROM batches", as: Row.self) {
            try await db.run("UPDATE batches SET catalogue_stamp = \(bind: CatalogueCache.newStamp()) WHERE id = \(bind: row.id)")
        }
    }

    func revert(on database: any Database) async throws {
        try await DB(database).run("ALTER TABLE batches DROP COLUMN catalogue_stamp")
    }
}
