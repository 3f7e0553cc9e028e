import Foundation
import JicaiCore
import JicaiServices
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiPersistence

/// Stored and concurrent inputs that killed the server or broke the stored state before (#25), on both engines.
@Suite("Hardening on both engines: purchases beyond every sum, publication typos and races")
struct HardeningTests {
    @Test(
        "10¹⁰ capsules of 0.25 g on one line: the recompute refuses with the unit named and writes nothing (004 §6)", arguments: TestDatabases.engines
    )
    func purchaseBeyondEverySum(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let normal = MonitorFixture.header + "\(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,24,12.00,N1\n"
            _ = try await monitor.importPurchases(path: try F.file("p.csv", normal), batchCode: "B1", actor: .cli)
            let before = try await monitor.lastRun(batchCode: "B1")
            let huge = MonitorFixture.header + "\(F.hospital),P0111,2026-04-05,2026-04-06,2026-04-07,10000000000,1.00,H1\n"
            _ = try await monitor.importPurchases(path: try F.file("h.csv", huge), batchCode: "B1", actor: .cli, recompute: false)
            // 10¹⁰ × 0.25 g = 2.5 × 10¹⁸ ng: beyond `InputLimits.maxTallyFigure`; every later recompute is refused, not killed.
            for _ in 0..<2 {
                let refusal = await #expect(throws: Refusal.self) {
                    _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 30)!, actor: .cli)
                }
                #expect(refusal?.code == .figureOutOfRange && refusal?.message.zh.contains("V01") == true, "\(String(describing: refusal))")
            }
            #expect(try await monitor.lastRun(batchCode: "B1") == before, "the refused recompute wrote nothing")
            // The month replaced by a correct file computes again.
            let fixed = MonitorFixture.header + "\(F.hospital),P0111,2026-04-05,2026-04-06,2026-04-07,100,1.00,H1\n"
            _ = try await monitor.importPurchases(path: try F.file("f.csv", fixed), batchCode: "B1", actor: .cli)
            #expect(try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 30)!, actor: .cli).positions > 0)
        }
    }

    @Test("Publication refuses a year typo and a cycle beyond the batch's dates (003 §4)", arguments: TestDatabases.engines)
    func publicationTypos(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            #expect(CivilDate(text: "0226-03-01") == nil, "the typo of the finding does not even parse")
            let cycles = [
                ("2126-03-01", "2127-12-31"), ("2028-03-01", "2029-12-31"), ("2024-03-01", "2025-12-31"), ("2026-03-01", "2036-12-31"),
                ("2198-03-01", "2199-12-31"),
            ]
            for (startText, endText) in cycles {
                let start = try #require(CivilDate(text: startText))
                let end = try #require(CivilDate(text: endText))
                let refusal = await #expect(throws: Refusal.self, "\(start) \(end)") {
                    _ = try await award.publish(batchCode: "B1", executionStart: start, cycleEnd: end, actor: .cli)
                }
                #expect(refusal?.code == .badCycle)
            }
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await AwardStore(db).state(batchID: batch.id).phase == .computed)
        }
    }

    @Test("Twenty publications at once: exactly one succeeds, the agreements are written once (003 §4)", arguments: TestDatabases.engines)
    func concurrentPublication(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            let outcomes = await withTaskGroup(of: Result<Int, any Error>.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            return .success(
                                try await award.publish(
                                    batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli))
                        } catch { return .failure(error) }
                    }
                }
                var all: [Result<Int, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let won = outcomes.compactMap { try? $0.get() }
            #expect(won.count == 1, "\(outcomes)")
            for case .failure(let error) in outcomes { #expect((error as? Refusal)?.code == .awardPublished, "\(error)") }
            struct R: Decodable { var n: Int64 }
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let stored = try await db.first("SELECT COUNT(*) AS n FROM agreements WHERE batch_id = \(bind: batch.id)", as: R.self)?.n
            #expect(stored == Int64(won.first ?? -1))
            struct A: Decodable { var n: Int64 }
            let audits = try await db.first("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'publish'", as: A.self)?.n
            #expect(audits == 1)
        }
    }
}
