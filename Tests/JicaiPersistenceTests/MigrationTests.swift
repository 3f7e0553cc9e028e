import FluentKit
import Foundation
import JicaiPersistence
import Logging
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test("Every migration reverts and applies again on an emptied database")
    func revertAndReapply() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let handle = try DatabaseHandle(.sqliteMemory, logger: logger)
        try await handle.migrate()
        try await handle.db.run("INSERT INTO history_totals (batch_id, institution_id, spec_id, quantity) VALUES (1, 2, 3, 4)")
        let migrations = Migrations()
        migrations.add(JicaiMigrations.all)
        let migrator = Migrator(databases: handle.databases, migrations: migrations, logger: logger, on: handle.databases.eventLoopGroup.any())
        try await migrator.revertAllBatches().get()
        try await handle.migrate()
        #expect(try await handle.db.scalar("SELECT COUNT(*) AS v FROM history_totals") == 0)
        try await handle.db.run("INSERT INTO history_totals (batch_id, institution_id, spec_id, quantity) VALUES (1, 2, 3, 4)")
        #expect(try await handle.db.scalar("SELECT quantity AS v FROM history_totals WHERE institution_id = 2") == 4)
        await handle.shutdown()
    }
}
