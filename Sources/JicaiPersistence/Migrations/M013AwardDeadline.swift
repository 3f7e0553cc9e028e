import FluentKit
import SQLKit

/// The signing deadline of a batch's agreements (the city lists the institutions that have not signed by it), and an
/// index for reading a batch's agreements in id order a page at a time (the OCDS export): without it each page
/// sorted the whole batch (78 s for 440,000 agreements on SQLite).
struct M013AwardDeadline: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await DB(database).run("ALTER TABLE award_state ADD COLUMN signing_deadline TEXT")
        try await DB(database).run("CREATE INDEX agreements_batch_id ON agreements (batch_id, id)")
    }

    func revert(on database: any Database) async throws {
        try await DB(database).run("DROP INDEX agreements_batch_id")
        try await DB(database).run("ALTER TABLE award_state DROP COLUMN signing_deadline")
    }
}
