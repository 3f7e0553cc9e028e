import Foundation
import JicaiCore
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// Stored and concurrent inputs that killed the server or broke the stored state before (#25), on both engines.
@Suite("Hardening on both engines: purchases beyond every sum, publication typos and races")
struct HardeningTests {
    /// The award fixture with its results imported and computed, published from 2026-03-01 to 2028-02-29 if asked.
    static func award(_ db: DB, publish: Bool) async throws -> AwardService {
        let award = try await AwardFixture.load(db)
        _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
        _ = try await award.compute(batchCode: "B1", actor: .cli)
        if publish {
            _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
        }
        return award
    }

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

    @Test(
        "A usage file of 10¹⁰ capsules on two lines: the prescription review refuses with its key, every time (004 §2)",
        arguments: TestDatabases.engines)
    func usageBeyondEverySum(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let usage = """
                机构编码,科室,医生编码,产品编码,月份,数量（最小单位）,金额（元）
                \(F.hospital),心内科,D1,P0112,2026-05,10000000000,1200.00
                \(F.hospital),心内科,D1,P0112,2026-06,10000000000,1200.00

                """
            _ = try await monitor.importUsage(path: try F.file("u.csv", usage), batchCode: "B1", actor: .cli)
            let province = RequestContext(principal: Principal(username: "p", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: Date())
            for _ in 0..<2 {
                let refusal = await #expect(throws: Refusal.self) {
                    _ = try await monitor.prescriptionReview(
                        try await monitor.scope("B1", province), from: MonthKey(year: 2026, month: 5)!, through: MonthKey(year: 2026, month: 6)!,
                        institution: nil)
                }
                #expect(refusal?.code == .figureOutOfRange && refusal?.message.zh.contains("心内科") == true)
            }
        }
    }

    @Test(
        "A cycle stored before publication checked it (0226-03-01) is refused by imports and recomputes, not trapped on (#25 item 7)",
        arguments: TestDatabases.engines)
    func storedBadCycle(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            for (start, end) in [("0226-03-01", "2028-02-29"), ("2199-01-01", "2199-12-31")] {
                try await db.run(
                    "UPDATE award_state SET execution_start = \(bind: start), cycle_end = \(bind: end) WHERE batch_id = \(bind: batch.id)")
                let purchases = MonitorFixture.header + "\(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,24,12.00,N1\n"
                let imported = await #expect(throws: Refusal.self) {
                    _ = try await monitor.importPurchases(path: try F.file("p.csv", purchases), batchCode: "B1", actor: .cli)
                }
                #expect([.awardNotPublished, .badCycle].contains(imported?.code), "\(start): \(String(describing: imported))")
                let recomputed = await #expect(throws: Refusal.self) { _ = try await monitor.recompute(batchCode: "B1", actor: .cli) }
                #expect([.awardNotPublished, .badCycle].contains(recomputed?.code))
            }
        }
    }

    @Test("Publication refuses a year typo and a cycle beyond the batch's dates (003 §4)", arguments: TestDatabases.engines)
    func publicationTypos(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await HardeningTests.award(db, publish: false)
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

    @Test(
        "Free text is bounded at every door: a 5 MB adjustment reason, a long supply-problem note from the command line",
        arguments: TestDatabases.engines)
    func boundedText(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let monitor = try await MonitorFixture.load(db)
            let award = AwardService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
            let huge = String(repeating: "理", count: 5 << 20)
            let refusal = await #expect(throws: Refusal.self) {
                try await award.adjustVolume(
                    batchCode: "B1", institutionCode: F.hospital, productCode: "P0211", quantity: 700, reason: huge, actor: .cli)
            }
            #expect(refusal?.code == .textTooLong)
            let problem = SupplyProblem(
                unit: CheckUnit(varietyCode: "V01"), regionPrefix: "1401", from: MonthKey(year: 2026, month: 3)!,
                through: MonthKey(year: 2026, month: 4)!)
            let note = String(repeating: "断", count: InputLimits.maxNoteCharacters + 1)
            await #expect(throws: Refusal(.noteRequired)) { try await monitor.addSupplyProblem(batchCode: "B1", problem, note: note, actor: .cli) }
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await MonitorStore(db).problems(batchID: batch.id).isEmpty)
        }
    }

    @Test("Twenty publications at once: exactly one succeeds, the agreements are written once (003 §4)", arguments: TestDatabases.engines)
    func concurrentPublication(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await HardeningTests.award(db, publish: false)
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

/// Writes checked where they are written (#25 item 9): each operation run many times at once, the stored state read
/// afterwards, on both engines.
@Suite("Concurrent writes on both engines: signatures, distributor limit, token limit, adjustment versions")
struct ConcurrentWriteTests {
    /// Runs `body` `count` times at once; the outcomes in any order.
    static func atOnce<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: Result<T, any Error>.self) { group in
            for index in 0..<count {
                group.addTask {
                    do { return .success(try await body(index)) } catch { return .failure(error) }
                }
            }
            var all: [Result<T, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
    }

    /// The award fixture published, the hospital's P0211 agreement sent with its distributor (as AwardServiceTests).
    static func sent(_ db: DB) async throws -> (AgreementService, Int64) {
        _ = try await HardeningTests.award(db, publish: true)
        let agreements = AgreementService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
        try await agreements.addDistributor(
            batchCode: "B1", manufacturerCode: F.manufacturer, area: "1401", distributorCode: AwardFixture.distributors[0], actor: .cli)
        _ = try await agreements.send(batchCode: "B1", actor: .cli)
        let province = Principal(username: "admin", role: .provinceAdmin, regionCode: "140000")
        let all = try await agreements.agreements(try await agreements.scope("B1", province), page: PageRequest()).items
        let id = try #require(all.first { $0.institutionCode == F.hospital && $0.productCode == "P0211" && $0.status == .sent }).id
        return (agreements, id)
    }

    @Test("The three parties signing at once, 20 times: every agreement ends in force (003 §4)", arguments: TestDatabases.engines)
    func signaturesAtOnce(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (agreements, id) = try await Self.sent(db)
            let parties = [
                Principal(username: "head", role: .institutionHead, organisationCode: F.hospital),
                Principal(username: "maker", role: .manufacturer, organisationCode: F.manufacturer),
                Principal(username: "carrier", role: .distributor, organisationCode: AwardFixture.distributors[0]),
            ]
            let province = Principal(username: "admin", role: .provinceAdmin, regionCode: "140000")
            for trial in 0..<20 {
                let outcomes = await Self.atOnce(3) { index in
                    try await agreements.sign(batchCode: "B1", id: id, by: parties[index], actor: .cli).status
                }
                #expect(outcomes.allSatisfy { (try? $0.get()) != nil }, "trial \(trial): \(outcomes)")
                #expect(try await agreements.agreement(try await agreements.scope("B1", province), id: id).status == .inForce, "trial \(trial)")
                try await db.run(
                    """
                    UPDATE agreements SET status = 'sent', institution_signed_by = NULL, institution_signed_at = NULL,
                    manufacturer_signed_by = NULL, manufacturer_signed_at = NULL, distributor_signed_by = NULL, distributor_signed_at = NULL
                    WHERE id = \(bind: id)
                    """)
            }
        }
    }

    @Test("Six distributors added at once to one area stop at the limit of 5 (003 §7)", arguments: TestDatabases.engines)
    func distributorsAtOnce(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            let agreements = AgreementService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
            let candidates = AwardFixture.distributors
            let outcomes = await Self.atOnce(candidates.count) { index in
                try await agreements.addDistributor(
                    batchCode: "B1", manufacturerCode: F.manufacturer, area: "1402", distributorCode: candidates[index], actor: .cli)
            }
            let network = try await agreements.network(batchCode: "B1", manufacturerCode: F.manufacturer).network
            #expect(network.byArea["1402"]?.count == 5, "\(network.byArea)")
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 5)
            for case .failure(let error) in outcomes { #expect((error as? Refusal)?.code == .distributorLimit, "\(error)") }
        }
    }

    @Test("Forty token mints at once for one account stop at its limit of 20 (000 §3)", arguments: TestDatabases.engines)
    func tokensAtOnce(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let users = UserStore(db)
            try await users.insert(
                [
                    NewUser(
                        username: "u1", displayName: "u1", role: .provinceReviewer, organisationCode: nil, regionCode: "140000", passwordHash: "x",
                        mustChangePassword: false)
                ],
                at: Date())
            let user = try #require(try await users.user(username: "u1"))
            let accounts = AccountService(db: db, hasher: PlainHasher())
            let ctx = RequestContext(principal: Principal(username: "u1", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: Date())
            let outcomes = await Self.atOnce(2 * InputLimits.maxTokensPerUser) { index in
                try await accounts.createToken(userID: user.id, label: "t\(index)", ctx: ctx).expires
            }
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == InputLimits.maxTokensPerUser)
            #expect(try await users.tokenCount(userID: user.id) == Int64(InputLimits.maxTokensPerUser))
        }
    }

    @Test("Twenty adjustments of one figure at once get twenty distinct versions, one current (003 §4)", arguments: TestDatabases.engines)
    func adjustmentsAtOnce(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await HardeningTests.award(db, publish: true)
            let outcomes = await Self.atOnce(20) { index in
                try await award.adjustVolume(
                    batchCode: "B1", institutionCode: F.hospital, productCode: "P0211", quantity: Int64(700 + index), reason: "调整\(index)",
                    actor: .cli)
            }
            #expect(outcomes.allSatisfy { (try? $0.get()) != nil }, "\(outcomes)")
            struct R: Decodable {
                var version: Int64
                var superseded_at: String?
            }
            let rows = try await db.all(
                "SELECT version, superseded_at FROM agreed_volumes WHERE product_code = 'P0211' AND institution_id = (SELECT id FROM organisations WHERE code = \(bind: F.hospital))",
                as: R.self)
            #expect(Set(rows.map(\.version)).count == rows.count && rows.count == 21, "\(rows.map(\.version).sorted())")
            #expect(rows.filter { $0.superseded_at == nil }.count == 1)
        }
    }
}
