import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Logging
import SQLKit
import Testing

@testable import JicaiServices

@Suite("Backups taken during a burst of saves restore every submitted report, with the same findings")
struct BackupTests {
    static let at = ReportingWindow.shanghai(2025, 12, 20, 9)

    static func findings(_ db: DB) async throws -> [String] {
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        let afterWindow = ReportingWindow.shanghai(2025, 12, 30, 12)
        _ = try await CheckService(db: db, now: { afterWindow }).run(batchCode: "B1", actor: .cli)
        return try await FindingStore(db).list(batchID: batch.id).filter { $0.institutionCode != F.village }
            .map { "\($0.institutionCode) \($0.finding.code.rawValue) \($0.finding.unitKey ?? "") \($0.finding.numbers.sorted { $0.key < $1.key })" }
            .sorted()
    }

    static func submitted(_ db: DB) async throws -> [String: [DemandLine]] {
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        var out: [String: [DemandLine]] = [:]
        for code in [F.hospital, F.township] {
            let org = try #require(try await AccountStore(db).organisation(code: code))
            if let r = try await DemandStore(db).report(batchID: batch.id, institutionID: org.id), r.status == .submitted { out[code] = r.lines }
        }
        return out
    }

    @Test("jicai backup during saves, restore into a new database: every submitted report is there, checks agree", arguments: TestDatabases.engines)
    func roundTrip(engine: String) async throws {
        let (config, schema) = try await TestDatabases.configuration(engine)
        var logger = Logger(label: "jicai.test")
        logger.logLevel = .warning
        let handle = try DatabaseHandle(config, logger: logger)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let backup = folder.appendingPathComponent("jicai.backup").path
        do {
            try await handle.migrate()
            let db = handle.db
            try await loadReported(db, demand: "机构编码,规格编码,产品编码,需求量,说明\n\(F.hospital),S012,,400,\n\(F.township),S021,,50,\n")
            let before = try await Self.submitted(db)
            let expected = try await Self.findings(db)
            #expect(before.count == 2)
            // A burst of saves by the village clinic while the backup is taken.
            let filler = RequestContext(
                principal: Principal(username: "v", role: .institutionFiller, organisationCode: F.village), ip: nil, at: Self.at)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for i in 1...40 {
                        _ = try await ReportService(db: db).save(
                            try await ReportService(db: db).scope("B1", filler), institutionCode: F.village,
                            input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: Int64(i))]))
                    }
                }
                group.addTask {
                    try await Task.sleep(nanoseconds: 5_000_000)
                    try await DatabaseBackup.backup(db, config: config, to: backup)
                }
                try await group.waitForAll()
            }
            #expect(FileManager.default.fileExists(atPath: backup))
            await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.backup(db, config: config, to: backup) }
            await handle.shutdown()

            // Restore into a new database: a file for SQLite; for PostgreSQL the dumped schema, after dropping it.
            let restored: DatabaseConfig
            if case .postgres(let url, let schema?) = config {
                try await TestDatabases.drop(schema)
                try await DatabaseBackup.restore(from: backup, into: .postgres(url: url))
                restored = .postgres(url: url, schema: schema)
            } else {
                restored = .sqliteFile(folder.appendingPathComponent("restored.sqlite").path)
                try await DatabaseBackup.restore(from: backup, into: restored)
                await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.restore(from: backup, into: restored) }
                try await DatabaseBackup.restore(from: backup, into: restored, replace: true)
            }
            let copy = try DatabaseHandle(restored, logger: logger)
            do {
                try await copy.migrate()
                #expect(try await Self.submitted(copy.db) == before)
                #expect(try await Self.findings(copy.db) == expected)
                let batch = try #require(try await BatchStore(copy.db).batch(code: "B1"))
                let village = try #require(try await AccountStore(copy.db).organisation(code: F.village))
                let draft = try await DemandStore(copy.db).report(batchID: batch.id, institutionID: village.id)
                #expect(draft.map { (1...40).contains($0.lines.first?.quantity ?? 0) } != false, "a draft of the burst, whole")
            } catch {
                await copy.shutdown()
                throw error
            }
            await copy.shutdown()
        } catch {
            await handle.shutdown()
            try? await TestDatabases.drop(schema)
            throw error
        }
        try? await TestDatabases.drop(schema)
    }

    @Test("A file that is not a Jicai backup is refused and changes nothing")
    func notABackup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let junk = folder.appendingPathComponent("junk.sqlite")
        try Data("not a database".utf8).write(to: junk)
        let target = folder.appendingPathComponent("db.sqlite")
        await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.restore(from: junk.path, into: .sqliteFile(target.path)) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    static func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1 }

    @Test("Restore refuses while a server holds the database, a newer version's backup and one without the base tables; files are 0600 (#25)")
    func restoreRefusals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("restore-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("jicai.sqlite").path
        let backup = folder.appendingPathComponent("jicai.backup").path
        var logger = Logger(label: "jicai.test")
        logger.logLevel = .warning
        let handle = try DatabaseHandle(.sqliteFile(database), logger: logger)
        try await handle.migrate()
        try await DatabaseBackup.backup(handle.db, config: .sqliteFile(database), to: backup)
        await handle.shutdown()
        #expect(Self.mode(database) == 0o600 && Self.mode(backup) == 0o600, "password hashes readable by their owner only")

        // A serving process holds the lock: the database is not replaced under it.
        var lock = try DatabaseLock.take(database: database)
        let second = try DatabaseLock.take(database: database)
        #expect(lock != nil && second == nil, "a second server is refused too")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let refusal = await #expect(throws: DatabaseBackup.Failure.self) {
            try await DatabaseBackup.restore(from: backup, into: .sqliteFile(database), replace: true)
        }
        #expect(refusal?.message.contains("停止服务") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        lock = nil
        try await DatabaseBackup.restore(from: backup, into: .sqliteFile(database), replace: true)
        #expect(Self.mode(database) == 0o600)

        // A SQLite file with a migrations table is not enough: newer migrations and missing base tables are refused.
        let first = JicaiMigrations.all[0].name
        for (name, rows, expected) in [("newer", [first, "Future.M999Supply"], "更新的版本"), ("bare", [first], "缺少数据表")] {
            let path = folder.appendingPathComponent("\(name).sqlite").path
            let fake = try DatabaseHandle(.sqliteFile(path), logger: logger)
            try await fake.db.run("CREATE TABLE _fluent_migrations (name TEXT)")
            for row in rows { try await fake.db.run("INSERT INTO _fluent_migrations (name) VALUES (\(bind: row))") }
            if name == "newer" {
                for table in DatabaseBackup.requiredTables { try await fake.db.run("CREATE TABLE \(unsafeRaw: table) (id INTEGER)") }
            }
            await fake.shutdown()
            let refused = await #expect(throws: DatabaseBackup.Failure.self) {
                try await DatabaseBackup.restore(from: path, into: .sqliteFile(database), replace: true)
            }
            #expect(refused?.message.contains(expected) == true, "\(String(describing: refused))")
        }
    }
}
