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

@Suite("Migrations that carry data over")
struct CarryOverMigrationTests {
    /// An in-memory database migrated up to (not including) the migration named `before`, and the step that runs the rest.
    static func migrated(before name: String) async throws -> (DatabaseHandle, rest: () async throws -> Void) {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let handle = try DatabaseHandle(.sqliteMemory, logger: logger)
        let migrations = Migrations()
        let before = Array(JicaiMigrations.all.prefix { "\(type(of: $0))" != name })
        migrations.add(before)
        let migrator = Migrator(databases: handle.databases, migrations: migrations, logger: logger, on: handle.databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        return (
            handle,
            {
                migrations.add(Array(JicaiMigrations.all.dropFirst(before.count)))
                try await migrator.prepareBatch().get()
            }
        )
    }

    @Test("M019 turns the monthly tallies into one packed row per holder × unit and the regional sums; nothing is lost")
    func packedMonths() async throws {
        let (handle, rest) = try await Self.migrated(before: "M019PackedMonths")
        let db = handle.db
        try await db.run(
            "INSERT INTO organisations (id, code, name, kind, region_code) VALUES (1, 'H1', 'A', 'hospital', '140105'), (2, 'H2', 'B', 'hospital', '140105')"
        )
        // (institution, unit, month, winning content, winning amount, non-winning content, valued winning)
        let tallies: [(Int, String, Int, Int, Int, Int, Int)] = [
            (1, "V01", 202_604, 40, 400, 0, 380), (1, "V01", 202_603, 10, 100, 5, 95), (1, "V02", 202_603, 7, 70, 0, 0),
            (2, "V01", 202_603, 1, 9, 2, 10),
        ]
        for t in tallies {
            try await db.run(
                """
                INSERT INTO monitor_months VALUES (1, \(bind: t.0), \(bind: t.1), \(bind: t.2), \(bind: t.3), \(bind: t.4), \(bind: t.5), 50, 0, 0, 0, \(bind: t.6))
                """)
        }
        try await rest()
        let store = MonitorStore(db)
        let h1 = try await store.months(batchID: 1, regionPrefix: "14", institutionCode: "H1", unitKey: "V01")
        #expect(h1.map(\.month.yyyymm) == [202_603, 202_604])
        #expect(h1.map(\.tally.winningContent) == [10, 40] && h1.map(\.valuedWinningFen) == [95, 380] && h1[0].tally.nonWinningAmountFen == 50)
        let region = try await store.months(batchID: 1, regionPrefix: "1401", unitKey: "V01")
        #expect(region.map(\.tally.winningContent) == [11, 40] && region.map(\.tally.nonWinningContent) == [7, 0])
        #expect(region.map(\.valuedWinningFen) == [105, 380])
        let all = try await store.months(batchID: 1, regionPrefix: "")
        #expect(all.map(\.tally.winningAmountFen) == [179, 400])
        #expect(try await db.scalar("SELECT COUNT(*) AS v FROM monitor_unit_months") == 3)
        await handle.shutdown()
    }

    @Test("M025 sums the stored history totals with amounts per batch × spec; rows without an amount or quantity stay out")
    func historyPrices() async throws {
        let (handle, rest) = try await Self.migrated(before: "M025HistoryPrices")
        let db = handle.db
        try await db.run(
            """
            INSERT INTO history_totals (batch_id, institution_id, spec_id, quantity, amount_fen)
            VALUES (1, 1, 7, 100, 1000), (1, 2, 7, 50, 700), (1, 3, 7, 10, NULL), (1, 4, 7, 0, 9), (2, 1, 7, 5, 55)
            """)
        try await rest()
        #expect(try await db.scalar("SELECT quantity AS v FROM history_prices WHERE batch_id = 1 AND spec_id = 7") == 150)
        #expect(try await db.scalar("SELECT amount_fen AS v FROM history_prices WHERE batch_id = 1 AND spec_id = 7") == 1700)
        #expect(try await db.scalar("SELECT amount_fen AS v FROM history_prices WHERE batch_id = 2") == 55)
        await handle.shutdown()
    }
}
