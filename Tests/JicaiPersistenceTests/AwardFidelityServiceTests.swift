import Foundation
import JicaiCore
import JicaiInterchange
import JicaiTestSupport
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// The award's figures as monitoring and the agreements read them, on both engines (003 §3–§4; docs/rules.md "Award
/// stage").
@Suite("Award fidelity on both engines: one figure per agreement year, a product's own pack")
struct AwardFidelityServiceTests {
    /// The hospital reports 1,001 tablets of S021 with no brand: 600.6 tablets at 60% go to P0211, the only V02
    /// winner supplying its region, whose pack here is 14 tablets (its spec's is 28).
    static let demand = """
        机构编码,规格编码,产品编码,需求量,说明
        \(F.hospital),S021,,1001,

        """
    static let results = """
        产品编码,中选类型,中选价格（元/包装）,包装数量,供应地区
        P0111,中选,12.00,,
        P0211,中选,2.80,14,
        P0212,中选,5.60,,140122

        """

    @Test(
        "003 §4: the second agreement year's figure is the same before and after the renewal: the exact yearly volume's part, rounded once; a product's own pack prices its amounts",
        arguments: TestDatabases.engines)
    func yearFigureBeforeRenewal(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db, demand: Self.demand)
            _ = try await award.importResults(path: try F.file("r.csv", Self.results), batchCode: "B1", actor: .cli)
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            // 600.6 → 601 tablets; 601 × 2.80 ÷ 14 = 120.20 yuan (the spec's pack of 28 would give 60.10).
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let volume = try #require(try await VolumeStore(db).volumes(batchID: batch.id, institutionCode: F.hospital).first)
            #expect(volume.productCode == "P0211" && volume.quantity == 601 && volume.amountFen == 12_020)
            _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            let years = try await award.state(try await award.commandScope("B1")).years
            #expect(years.count == 2 && years[1].days == 244 && years[1].daysOfTwelveMonths == 366)
            let head = try #require(try await BatchStore(db).head(code: "B1"))
            let catalogue = try #require(try await BatchStore(db).cachedCatalogue(head)?.catalogue)
            let terms = AgreementStore.ProductTerms.of(try await AwardStore(db).results(batchID: batch.id), catalogue: catalogue)
            let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital)).id
            func yearTwo() async throws -> (Int64, Int64)? {
                try await AgreementStore(db).yearFigures(batchID: batch.id, year: years[1], institutions: [hospital], terms: terms)
                    .first { $0.productCode == "P0211" }.map { ($0.quantity, $0.amountFen) }
            }
            // 600.6 × 244 ÷ 366 = 400.4 → 400 tablets (the rounded 601 × 244 ÷ 366 = 400.67 would give 401); 400 × 2.80 ÷ 14.
            let before = try #require(try await yearTwo())
            #expect(before == (400, 8_000))
            // The volumes list and workbook give each agreement year's figure with the institution and product codes.
            let listed = try await award.volumes(batchCode: "B1", institutionCode: F.hospital).items
            #expect(
                listed.flatMap { v in v.years.map { "\(v.institutionCode) \(v.productCode) \($0.start)–\($0.lastDay) \($0.quantity) \($0.amountFen)" }
                } == [
                    "\(F.hospital) P0211 2026-03-01–2027-06-30 801 16020", "\(F.hospital) P0211 2027-07-01–2028-02-29 400 8000",
                ])
            let workbook = try await award.volumesWorkbook(batchCode: "B1", regionPrefix: nil, language: .zh)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("years-\(UUID()).xlsx").path
            try workbook.write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try XLSXReader.readRows(path: path, sheetName: "按协议年度") { _, cells in rows.append(cells) }
            #expect(
                rows.dropFirst().map { $0.prefix(8).joined(separator: " ") } == [
                    "\(F.hospital) 太原市第一人民医院 140105 P0211 2026-03-01 2027-06-30 801 160.20",
                    "\(F.hospital) 太原市第一人民医院 140105 P0211 2027-07-01 2028-02-29 400 80.00",
                ])
            _ = try await award.renew(batchCode: "B1", actor: .cli)
            let after = try #require(try await yearTwo())
            #expect(after == before)
            // Year one as well: 600.6 × 487 ÷ 365 = 801.35 → 801.
            let first = try await AgreementStore(db).yearFigures(batchID: batch.id, year: years[0], institutions: [hospital], terms: terms)
            #expect(first.map { "\($0.productCode) \($0.quantity) \($0.amountFen)" } == ["P0211 801 16020"])
        }
    }
}

@Suite("Coverage gaps listed on both engines (003 §3, 000 §5(三))")
struct CoverageGapListTests {
    /// V02's winners both supply 阳曲县 only: the hospital in 小店区 has a gap of V02; the township is carried.
    static let results = """
        产品编码,中选类型,中选价格（元/包装）,供应地区
        P0111,中选,12.00,
        P0211,中选,2.80,140122
        P0212,中选,5.60,140122

        """

    @Test(
        "The province and the city see the gaps of their region, paged, each with the unit's winners and the regions they supply",
        arguments: TestDatabases.engines)
    func listed(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            _ = try await award.importResults(path: try F.file("r.csv", Self.results), batchCode: "B1", actor: .cli)
            let summary = try await award.compute(batchCode: "B1", actor: .cli)
            #expect(summary.gaps == 1)
            let province = RequestContext(principal: Principal(username: "p", role: .provinceAdmin, regionCode: "140000"), ip: nil, at: Date())
            let page = try await award.coverageGaps(try await award.scope("B1", province), region: nil, page: PageRequest(number: 1, size: 10))
            #expect(page.total == 1 && page.items.map(\.unitKey) == ["V02"] && page.items.first?.institutionCode == F.hospital)
            #expect(page.items.first?.winners.map { "\($0.productCode) \($0.regions.joined(separator: ","))" } == ["P0211 140122", "P0212 140122"])
            let city = RequestContext(principal: Principal(username: "c", role: .cityReviewer, regionCode: "140100"), ip: nil, at: Date())
            #expect(try await award.coverageGaps(try await award.scope("B1", city), region: nil, page: nil).total == 1)
            #expect(try await award.coverageGaps(try await award.scope("B1", province), region: "140122", page: nil).total == 0)
            await #expect(throws: Refusal.self) { _ = try await award.coverageGaps(try await award.scope("B1", city), region: "1402", page: nil) }
            let filler = RequestContext(
                principal: Principal(username: "f", role: .institutionFiller, organisationCode: F.hospital), ip: nil, at: Date())
            await #expect(throws: Refusal.self) { _ = try await award.coverageGaps(try await award.scope("B1", filler), region: nil, page: nil) }
            let workbook = try await award.coverageGapsWorkbook(try await award.scope("B1", province), region: nil, language: .en)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gaps-\(UUID()).xlsx").path
            try workbook.write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try XLSXReader.readRows(path: path) { _, cells in rows.append(cells) }
            #expect(rows.count == 3 && rows[1].contains("P0211") && rows[2].contains("P0212"))
        }
    }
}

@Suite("The award policy set through its door on both engines (003 §3)")
struct AwardPolicyDoorTests {
    @Test("Computing before the batch is locked says to lock it first (not to upload a sealed summary)", arguments: TestDatabases.engines)
    func computeBeforeLock(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let award = AwardService(db: db)
            _ = try await ImportService(db: db).importProducts(path: try F.file("p.csv", AwardFixture.productsCSV), batchCode: "B1", actor: .cli)
            let refusal = await #expect(throws: Refusal.self) { _ = try await award.compute(batchCode: "B1", actor: .cli) }
            #expect(refusal?.code == .notLocked && refusal?.message.zh.contains("锁定批次") == true)
            #expect(refusal?.message.zh.contains("盖章") == false && refusal?.message.en.contains("lock the batch") == true)
        }
    }

    @Test(
        "The province's administrator sets the policy before publication: computed volumes become stale and the new rule computes; others are refused; after publication it is refused and nothing changes",
        arguments: TestDatabases.engines)
    func policyDoor(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let award = try await AwardFixture.load(db)
            _ = try await award.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            let admin = RequestContext(principal: Principal(username: "p", role: .provinceAdmin, regionCode: "140000"), ip: nil, at: Date())
            let reviewer = RequestContext(principal: Principal(username: "r", role: .provinceReviewer, regionCode: "140000"), ip: nil, at: Date())
            await #expect(throws: Refusal.self) {
                try await award.setPolicy(try await award.scope("B1", reviewer)) { try $0.changed(flatRatio: "80") }
            }
            let bad = await #expect(throws: Refusal.self) {
                try await award.setPolicy(try await award.scope("B1", admin)) { try $0.changed(ratios: "0,60") }
            }
            #expect(bad?.code == .badPolicy)
            try await award.setPolicy(try await award.scope("B1", admin)) { try $0.changed(flatRatio: "80") }
            #expect(try await award.state(try await award.commandScope("B1")).phase == .resultsImported)
            await #expect(throws: Refusal.self) {
                _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            }
            _ = try await award.compute(batchCode: "B1", actor: .cli)
            // 100 capsules × 80% = 80 (50% before, with one winner).
            #expect(try await AwardFixture.volumes(db, F.hospital)["P0111"] == 80)
            _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            let late = await #expect(throws: Refusal.self) {
                try await award.setPolicy(try await award.scope("B1", admin)) { try $0.changed(flatRatio: "none") }
            }
            #expect(late?.code == .awardPublished)
            #expect(try #require(try await BatchStore(db).batch(code: "B1")).policy.award.flatRatio == .percent(80))
            let audit = try await AuditLog(db).entries(entity: "award")
            #expect(audit.filter { $0.action == "policy" }.count == 1)
        }
    }
}
