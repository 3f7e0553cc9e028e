import Foundation
import JicaiCore
import JicaiTestSupport
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// A batch's one as-of day, alerts as one record per key, and deliveries judged as of the day (004 §6; docs/rules.md
/// "Recompute"), each on the sequence that showed it, on both engines.
@Suite("Monitoring state on both engines: the as-of day, alerts that survive recomputes, deliveries as of the day")
struct MonitorFidelityTests {
    static let march =
        MonitorFixture.header
            + """
            \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,A1
            \(F.hospital),P0112,2026-03-05,2026-03-06,2026-03-07,30,45.00,A2

            """
    /// An order of 06-20 nobody delivered: UNDELIVERED from 06-24 (three days).
    static let june = MonitorFixture.header + "\(F.hospital),P0211,2026-06-20,,,280,28.00,A4\n"

    func keys(_ alerts: [StoredAlert]) -> [String] {
        alerts.map { "\($0.id) \($0.key.code.rawValue) \($0.status.rawValue)" }.sorted()
    }

    @Test(
        "004 §6: an as-of outside the agreement years is refused and changes nothing; an alert that resolved itself opens again as the same alert, acknowledged with its note",
        arguments: TestDatabases.engines)
    func asOfAndStableAlerts(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let asOf = CivilDate(2026, 6, 30)!
            _ = try await monitor.importPurchases(path: try F.file("m.csv", Self.march), batchCode: "B1", actor: .cli, asOf: asOf)
            _ = try await monitor.importPurchases(path: try F.file("j.csv", Self.june), batchCode: "B1", actor: .cli, asOf: asOf)
            let before = try await MonitorFixture.alerts(db)
            #expect(before.contains { $0.key.code == .undelivered } && before.count >= 4, "\(keys(before))")
            // A day before the execution start (the sequence that auto-resolved every alert) and a day after the cycle.
            for day in [CivilDate(2026, 2, 20)!, CivilDate(2028, 3, 1)!] {
                let recompute = await #expect(throws: Refusal.self) { _ = try await monitor.recompute(batchCode: "B1", asOf: day, actor: .cli) }
                #expect(recompute?.code == .asOfOutsideCycle && recompute?.message.zh.contains("2026-03-01至2028-02-29") == true)
                let imported = await #expect(throws: Refusal.self) {
                    _ = try await monitor.importPurchases(path: try F.file("j.csv", Self.june), batchCode: "B1", actor: .cli, asOf: day)
                }
                #expect(imported?.code == .asOfOutsideCycle)
            }
            #expect(keys(try await MonitorFixture.alerts(db)) == keys(before))
            #expect(try await monitor.lastRun(batchCode: "B1")?.asOf == asOf)
            let undelivered = try #require(before.first { $0.key.code == .undelivered })
            #expect(try await AlertStore(db).acknowledge(id: undelivered.id, by: "city", note: "已催配送", at: Date()))
            // As of 06-22 the order is not overdue yet: the alert resolves itself.
            let early = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 22)!, actor: .cli)
            #expect(early.resolved >= 1)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await AlertStore(db).alert(batchID: batch.id, id: undelivered.id)?.status == .resolved)
            // Back to 06-30: the same record opens again, acknowledged, with its note; no new record of that key.
            let again = try await monitor.recompute(batchCode: "B1", asOf: asOf, actor: .cli)
            #expect(again.reopened >= 1)
            let reopened = try #require(try await AlertStore(db).alert(batchID: batch.id, id: undelivered.id))
            #expect(reopened.status == .acknowledged && reopened.note == "已催配送" && reopened.resolution == nil)
            #expect((reopened.history ?? "").contains("自动解除") && (reopened.history ?? "").contains("重新出现"))
            let after = try await MonitorFixture.alerts(db)
            #expect(after.filter { $0.key == undelivered.key }.count == 1)
            #expect(Set(after.map(\.id)).isSuperset(of: before.map(\.id)), "every alert kept its record")
            // The half-yearly report counts each alert once.
            let figures = try await CityReportStore(db).alertFigures(
                batchID: batch.id, regionPrefix: "", from: Date(timeIntervalSince1970: 0), to: Date().addingTimeInterval(86_400))
            #expect(figures.raised.values.reduce(0, +) == Int64(Set(after.map(\.key)).count))
        }
    }

    @Test(
        "004 §6: a recompute that would resolve more alerts than the policy's handful is refused until confirmed, and the refusal writes nothing",
        arguments: TestDatabases.engines)
    func confirmation(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            var policy = batch.policy
            policy.monitor.quietResolutions = 0
            try await BatchStore(db).updatePolicy(batchID: batch.id, policy)
            _ = try await monitor.importPurchases(path: try F.file("j.csv", Self.june), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 6, 30)!)
            let before = try await MonitorFixture.alerts(db)
            #expect(before.contains { $0.key.code == .undelivered && $0.status == .open })
            let refusal = await #expect(throws: Refusal.self) {
                _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 22)!, confirmed: false, actor: .cli)
            }
            #expect(refusal?.code == .confirmationRequired && refusal?.message.zh.contains("自动解除1条") == true)
            #expect(keys(try await MonitorFixture.alerts(db)) == keys(before))
            #expect(try await monitor.lastRun(batchCode: "B1")?.asOf == CivilDate(2026, 6, 30)!)
            let run = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 22)!, confirmed: true, actor: .cli)
            #expect(run.resolved >= 1 && run.asOf == CivilDate(2026, 6, 22)!)
        }
    }

    @Test(
        "004 §6: a batch has one as-of: an import as of another day recomputes everything as of it; without a day, the last day of the latest month imported",
        arguments: TestDatabases.engines)
    func oneAsOf(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await MonitorFixture.load(db)
            // The clock in December: the months imported are past.
            let monitor = MonitorService(db: db, now: { ReportingWindow.shanghai(2026, 12, 1, 9) })
            let first = try await monitor.importPurchases(
                path: try F.file("m.csv", Self.march), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 11, 30)!)
            #expect(first.recompute?.asOf == CivilDate(2026, 11, 30)!)
            // One line for one institution as of 08-31: the whole batch is recomputed as of 08-31, not two positions.
            let one = MonitorFixture.header + "\(F.township),P0212,2026-08-05,2026-08-06,2026-08-07,10,2.00,T1\n"
            let partial = try await monitor.importPurchases(
                path: try F.file("t.csv", one), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 8, 31)!, replacing: .institutions)
            #expect(partial.recompute?.asOf == CivilDate(2026, 8, 31)! && partial.recompute?.institutions == nil)
            #expect(try await monitor.lastRun(batchCode: "B1")?.asOf == CivilDate(2026, 8, 31)!)
            // The same day again: only the file's institutions.
            let same = try await monitor.importPurchases(
                path: try F.file("t.csv", one), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 8, 31)!, replacing: .institutions)
            #expect(same.recompute?.institutions == 1)
            // No day given: the last day of the latest month with lines (08), the batch's day already: partial.
            let byDefault = try await monitor.importPurchases(path: try F.file("t.csv", one), batchCode: "B1", actor: .cli, replacing: .institutions)
            #expect(byDefault.recompute?.asOf == CivilDate(2026, 8, 31)! && byDefault.recompute?.institutions == 1)
            let plain = try await monitor.recompute(batchCode: "B1", actor: .cli)
            #expect(plain.asOf == CivilDate(2026, 8, 31)!)
        }
    }

    @Test(
        "004 §6, §8: as of a past day, a delivery recorded after that day has not happened: an order of 08-20 delivered 09-02 is undelivered as of 08-31",
        arguments: TestDatabases.engines)
    func deliveriesAsOfTheDay(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let late = MonitorFixture.header + "\(F.hospital),P0211,2026-08-20,2026-09-02,2026-09-03,280,28.00,L1\n"
            _ = try await monitor.importPurchases(path: try F.file("l.csv", late), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 8, 31)!)
            let undelivered = try await MonitorFixture.alerts(db).filter { $0.key.code == .undelivered && $0.status.isLive }
            #expect(undelivered.map(\.key.institutionCode) == [F.hospital])
            _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 9, 5)!, actor: .cli)
            #expect(try await MonitorFixture.alerts(db).filter { $0.key.code == .undelivered && $0.status.isLive }.isEmpty)
        }
    }

    @Test(
        "The command line's door for a supply problem refuses what the page refuses: a malformed or foreign region, an over-long note; nothing is written",
        arguments: TestDatabases.engines)
    func problemDoor(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let month = MonthKey(year: 2026, month: 5)!
            func problem(_ region: String) -> SupplyProblem {
                SupplyProblem(unit: CheckUnit(varietyCode: "V02"), regionPrefix: region, from: month, through: month)
            }
            for region in ["14012", "1401a", "150100"] {
                let refusal = await #expect(throws: Refusal.self) {
                    try await monitor.addSupplyProblem(batchCode: "B1", problem(region), note: "断供", actor: .cli)
                }
                #expect(refusal?.code == .badRegion, "\(region)")
            }
            let long = String(repeating: "断", count: InputLimits.maxNoteCharacters + 1)
            await #expect(throws: Refusal(.noteRequired)) {
                try await monitor.addSupplyProblem(batchCode: "B1", problem("1401"), note: long, actor: .cli)
            }
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await MonitorStore(db).problems(batchID: batch.id).isEmpty)
            try await monitor.addSupplyProblem(batchCode: "B1", problem("1401"), note: "断供", actor: .cli)
            #expect(try await MonitorStore(db).problems(batchID: batch.id).map(\.problem.regionPrefix) == ["1401"])
        }
    }

    @Test(
        "Detaching a month's purchases partition goes through a door: audited on PostgreSQL, refused on SQLite and for a month without one",
        arguments: TestDatabases.engines)
    func detachDoor(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            _ = try await monitor.importPurchases(path: try F.file("m.csv", Self.march), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 6, 30)!)
            let march = MonthKey(year: 2026, month: 3)!
            guard engine == "postgres" else {
                let refusal = await #expect(throws: Refusal.self) { try await monitor.detachPartition(march, actor: .cli) }
                let partitions = try await monitor.partitions()
                #expect(refusal?.code == .notOnThisEngine && partitions.isEmpty)
                return
            }
            #expect(try await monitor.partitions().contains("purchases_m202603"))
            try await monitor.detachPartition(march, actor: .cli)
            #expect(try await !monitor.partitions().contains("purchases_m202603"))
            let again = await #expect(throws: Refusal.self) { try await monitor.detachPartition(march, actor: .cli) }
            #expect(again?.code == .notFound)
            #expect(try await AuditLog(db).entries(entity: "purchases").contains { $0.action == "detach" && $0.entityKey == "purchases_m202603" })
        }
    }
}
