import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

/// The award stage on both engines, on the small fixture province: a hospital in 小店区, a township health centre in
/// 阳曲县 leading a county medical community whose member is a village clinic, two manufacturers, six distributors.
enum AwardFixture {
    static let maker2 = F.code("91140100MA0000050")
    static let distributors = (1...6).map { F.code("91140100MA00001\($0)0") }

    static var organisationsCSV: String {
        "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码\n"
            + "\(maker2),乙药业有限公司,生产企业,,,,140105,\n"
            + distributors.enumerated().map { "\($1),配送\($0 + 1)有限公司,配送企业,,,,140105," }.joined(separator: "\n") + "\n"
    }

    static var productsCSV: String {
        """
        产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌
        P0111,S011,某某药业有限公司,\(F.manufacturer),甲
        P0211,S021,某某药业有限公司,\(F.manufacturer),甲
        P0212,S021,乙药业有限公司,\(maker2),乙

        """
    }

    /// V01 has one winner (ratio 50%), V02 two (60%); P0212 supplies 阳曲县 only; V03 has no result.
    static let resultsCSV = """
        产品编码,中选类型,备供顺位,中选价格（元/包装）,供应地区,采购前参考价（元/包装）,国家医保药品代码,限制使用级抗菌药物
        P0111,中选,,12.00,,30.00,,否
        P0211,中选,,2.80,,9.00,,否
        P0212,中选,,5.60,140122,9.00,,否

        """

    static let demandCSV = """
        机构编码,规格编码,产品编码,需求量,说明
        \(F.hospital),S011,,100,
        \(F.hospital),S021,P0212,1000,
        \(F.township),S021,P0212,500,
        \(F.village),S021,,46,

        """

    /// Loads everything up to a locked batch; the hospital's and township's reports approved by the province, the
    /// village's by its city only.
    static func load(_ db: DB, demand: String = demandCSV) async throws -> AwardService {
        let imports = try await loadBasics(db)
        _ = try await imports.importOrganisations(path: try F.file("more.csv", organisationsCSV), actor: .cli)
        _ = try await imports.importProducts(path: try F.file("products.csv", productsCSV), batchCode: "B1", actor: .cli)
        _ = try await imports.importDemand(path: try F.file("demand.csv", demand), batchCode: "B1", actor: .cli)
        try await setStatus(db, F.hospital, .provinceApproved)
        try await setStatus(db, F.township, .provinceApproved)
        try await setStatus(db, F.village, .cityApproved)
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        try await BatchStore(db).lock(batchID: batch.id, at: Date())
        return AwardService(db: db, now: { ReportingWindow.shanghai(2026, 3, 1, 10) })
    }

    static func setStatus(_ db: DB, _ code: String, _ status: ReportStatus) async throws {
        let org = try #require(try await AccountStore(db).organisation(code: code))
        try await db.run("UPDATE demand_reports SET status = \(bind: status.rawValue) WHERE institution_id = \(bind: org.id)")
    }

    static func volumes(_ db: DB, _ code: String) async throws -> [String: Int64] {
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        return Dictionary(
            try await VolumeStore(db).volumes(batchID: batch.id, institutionCode: code).map { ($0.productCode, $0.quantity) },
            uniquingKeysWith: { a, _ in a })
    }
}

@Suite("Award stage on both engines: results, agreed volume, publication, agreements, distributors")
struct AwardServiceTests {
    @Test("A results file with bad rows is refused row by row and writes nothing (003 §3; formats.md)", arguments: TestDatabases.engines)
    func badResults(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let service = try await AwardFixture.load(db)
            // Each row is read on its own first (price, role, order, codes), then checked against the catalogue.
            let unreadable = """
                产品编码,中选类型,备供顺位,中选价格（元/包装）,供应地区
                P0111,中选,,12.345,
                P0211,备供,,2.80,
                P0212,第三,,5.60,14012

                """
            let read = await importFailure {
                _ = try await service.importResults(path: try F.file("r.csv", unreadable), batchCode: "B1", actor: .cli)
            }
            let readIssues = try #require(read).issues
            #expect(readIssues.contains { $0.row == 2 && $0.column == "中选价格（元/包装）" && $0.reason.zh.contains("两位小数") }, "\(readIssues)")
            #expect(readIssues.contains { $0.row == 3 && $0.column == "备供顺位" })
            #expect(readIssues.contains { $0.row == 4 && $0.column == "中选类型" })
            #expect(readIssues.contains { $0.row == 4 && $0.column == "供应地区" })
            let unknown = """
                产品编码,中选类型,备供顺位,中选价格（元/包装）,供应地区,限制使用级抗菌药物
                P9999,中选,,1.00,,否
                P0211,中选,,2.80,,否
                P0212,中选,,5.60,610100,是

                """
            let checked = await importFailure {
                _ = try await service.importResults(path: try F.file("r.csv", unknown), batchCode: "B1", actor: .cli)
            }
            let issues = try #require(checked).issues
            #expect(issues.contains { $0.row == 2 && $0.column == "产品编码" && $0.reason.zh.contains("P9999") }, "\(issues)")
            #expect(issues.contains { $0.row == 4 && $0.column == "供应地区" })
            #expect(issues.contains { $0.row == 4 && $0.column == "限制使用级抗菌药物" })
            #expect(try await service.overview(try await service.commandScope("B1")).results.isEmpty)
            #expect(try await service.overview(try await service.commandScope("B1")).state.phase == .none)
        }
    }

    @Test(
        "Agreed volume from province-approved reports of the locked batch: brand, allocation, community lead, idempotent recompute (003 §3; docs/rules.md, award stage)",
        arguments: TestDatabases.engines)
    func compute(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let service = try await AwardFixture.load(db)
            await #expect(throws: Refusal.self) { _ = try await service.compute(batchCode: "B1", actor: .cli) }
            _ = try await service.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            let first = try await service.compute(batchCode: "B1", actor: .cli)
            // The hospital chose P0212, which does not supply 小店区: its 1000 × 60% go to the cheaper P0211.
            #expect(try await AwardFixture.volumes(db, F.hospital) == ["P0111": 50, "P0211": 600])
            // The township chose P0212, which supplies it; the village's report is only city-approved: not counted.
            #expect(try await AwardFixture.volumes(db, F.township) == ["P0212": 300])
            #expect(try await AwardFixture.volumes(db, F.village).isEmpty)
            #expect(first.holders == 2 && first.volumes == 3)
            #expect(first.amountFen == 2500 + 6000 + 6000)
            // Approved by the province: the member's 46 × 60% = 27.6 → 28 go to its lead, at the cheapest winner.
            try await AwardFixture.setStatus(db, F.village, .provinceApproved)
            let second = try await service.compute(batchCode: "B1", actor: .cli)
            #expect(try await AwardFixture.volumes(db, F.township) == ["P0211": 28, "P0212": 300])
            #expect(try await AwardFixture.volumes(db, F.village).isEmpty)
            let again = try await service.compute(batchCode: "B1", actor: .cli)
            #expect(again.volumes == second.volumes && again.amountFen == second.amountFen)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let township = try await VolumeStore(db).volumes(batchID: batch.id, institutionCode: F.township)
            let held = try #require(township.first { $0.productCode == "P0211" })
            #expect(held.sources.map(\.reporter) == [F.village])
            #expect(held.sources.first?.ratio == "60%")
            #expect(try await AuditLog(db).entries(entity: "agreed-volume").filter { $0.action == "compute" }.count == 3)
        }
    }

    @Test(
        "003 §6: a party signs all its awaiting agreements at once, narrowed and confirmed by count; each signature audited on its own",
        arguments: TestDatabases.engines)
    func signAll(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let service = try await AwardFixture.load(db)
            _ = try await service.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await service.compute(batchCode: "B1", actor: .cli)
            _ = try await service.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            let agreements = AgreementService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
            for (maker, distributor) in [(F.manufacturer, AwardFixture.distributors[0]), (AwardFixture.maker2, AwardFixture.distributors[5])] {
                try await agreements.addDistributor(batchCode: "B1", manufacturerCode: maker, area: "1401", distributorCode: distributor, actor: .cli)
            }
            #expect(try await agreements.send(batchCode: "B1", actor: .cli) == 3)
            func scope(_ p: Principal) async throws -> BatchScope { try await agreements.scope("B1", p) }
            let maker = try await scope(Principal(username: "maker", role: .manufacturer, organisationCode: F.manufacturer))
            let all = AgreementNarrowing()
            let mine = try await agreements.awaitingMine(maker, narrowing: all, page: PageRequest())
            #expect(mine.total == 2 && mine.items.allSatisfy { $0.manufacturerCode == F.manufacturer })
            func signatures() async throws -> Int {
                let entries = try await AuditLog(db).entries(entity: "agreement")
                return entries.filter { $0.action == "sign" }.count
            }
            // The count confirmed no longer matches: nothing is signed.
            await expectRefused(.concurrentChange) { _ = try await agreements.signAll(maker, narrowing: all, expected: 3) }
            #expect(try await signatures() == 0)
            // Narrowed to one product: only its agreement.
            let one = try await agreements.signAll(maker, narrowing: AgreementNarrowing(productCode: "P0211"), expected: 1)
            #expect(one.signed == 1 && one.inForce == 0 && one.skipped == 0)
            #expect(try await agreements.awaitingMine(maker, narrowing: all, page: PageRequest()).total == 1)
            // A region that is not the agreements': nothing listed, nothing to confirm.
            #expect(try await agreements.awaitingMine(maker, narrowing: AgreementNarrowing(regionPrefix: "1402"), page: PageRequest()).total == 0)
            let rest = try await agreements.signAll(maker, narrowing: all, expected: 1)
            #expect(rest.signed == 1)
            // The heads and the distributor: the third signature puts them in force.
            for code in [F.hospital, F.township] {
                let head = try await scope(Principal(username: "h-\(code)", role: .institutionHead, organisationCode: code))
                let waiting = try await agreements.awaitingMine(head, narrowing: all, page: PageRequest()).total
                _ = try await agreements.signAll(head, narrowing: all, expected: waiting)
            }
            let carrier = try await scope(Principal(username: "carrier", role: .distributor, organisationCode: AwardFixture.distributors[0]))
            let carried = try await agreements.signAll(carrier, narrowing: all, expected: 2)
            #expect(carried.signed == 2 && carried.inForce == 2)
            #expect(try await agreements.signAll(carrier, narrowing: all, expected: 0).signed == 0, "nothing left to sign")
            // A bureau signs for nobody.
            await #expect(throws: Refusal(.wrongParty)) {
                _ = try await agreements.signAll(
                    try await scope(Principal(username: "admin", role: .provinceAdmin, regionCode: "140000")), narrowing: all, expected: 0)
            }
            // Every signature has its own audit entry, keyed by its agreement.
            let entries = try await AuditLog(db).entries(entity: "agreement").filter { $0.action == "sign" }
            #expect(entries.count == 2 + 3 + 2 && Set(entries.map(\.entityKey)).count == 3)
            #expect(entries.allSatisfy { $0.summary.contains("批量签署") })
            // Searched by institution, by part of its code (or name); a wildcard is a character, not "everything".
            let province = try await scope(Principal(username: "admin", role: .provinceAdmin, regionCode: "140000"))
            let found = try await agreements.agreements(
                province, narrowing: AgreementNarrowing(institution: String(F.hospital.suffix(6))), page: PageRequest())
            #expect(found.total > 0 && found.items.allSatisfy { $0.institutionCode == F.hospital })
            #expect(try await agreements.agreements(province, narrowing: AgreementNarrowing(institution: "%"), page: PageRequest()).total == 0)
            #expect(try await agreements.agreements(province, narrowing: AgreementNarrowing(institution: "_"), page: PageRequest()).total == 0)
        }
    }

    @Test(
        "Publication freezes the volumes, creates the first year's agreements; distributors within the limit; each party signs once (003 §4, §6, §7)",
        arguments: TestDatabases.engines)
    func publishAndSign(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let service = try await AwardFixture.load(db)
            _ = try await service.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await service.compute(batchCode: "B1", actor: .cli)
            let start = CivilDate(2026, 3, 1)!
            let end = CivilDate(2028, 2, 29)!
            #expect(try await service.publish(batchCode: "B1", executionStart: start, cycleEnd: end, actor: .cli) == 3)
            await #expect(throws: Refusal(.awardPublished)) { _ = try await service.compute(batchCode: "B1", actor: .cli) }
            let agreements = AgreementService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
            let province = Principal(username: "admin", role: .provinceAdmin, regionCode: "140000")
            let all = try await agreements.agreements(try await agreements.scope("B1", province), page: PageRequest()).items
            // 2026-03-01 starts in the first half: the first year runs to 2027-07-01, 487 days of a 365-day year.
            let hospitalP0211 = try #require(all.first { $0.institutionCode == F.hospital && $0.productCode == "P0211" })
            #expect(hospitalP0211.year.start == start && hospitalP0211.year.end == CivilDate(2027, 7, 1)!)
            #expect(hospitalP0211.quantity == 801)  // 600 × 487 / 365 = 800.548 → 801
            #expect(hospitalP0211.amountFen == 8010)  // 801 × 280 / 28
            #expect(all.allSatisfy { $0.status == .draft && $0.distributorCode == nil })
            #expect(try await agreements.send(batchCode: "B1", actor: .cli) == 0)

            for distributor in AwardFixture.distributors.prefix(5) {
                try await agreements.addDistributor(
                    batchCode: "B1", manufacturerCode: F.manufacturer, area: "1401", distributorCode: distributor, actor: .cli)
            }
            await #expect(throws: Refusal.self) {
                try await agreements.addDistributor(
                    batchCode: "B1", manufacturerCode: F.manufacturer, area: "1401", distributorCode: AwardFixture.distributors[5], actor: .cli)
            }
            let network = try await agreements.network(batchCode: "B1", manufacturerCode: F.manufacturer)
            #expect(network.network.byArea["1401"]?.count == 5)
            #expect(network.uncovered.isEmpty)
            let uncovered = try await agreements.network(batchCode: "B1", manufacturerCode: AwardFixture.maker2)
            #expect(uncovered.uncovered == [F.township])
            try await agreements.addDistributor(
                batchCode: "B1", manufacturerCode: AwardFixture.maker2, area: "1401", distributorCode: AwardFixture.distributors[5], actor: .cli)
            #expect(try await agreements.send(batchCode: "B1", actor: .cli) == 3)

            let head = Principal(username: "head", role: .institutionHead, organisationCode: F.hospital)
            let maker = Principal(username: "maker", role: .manufacturer, organisationCode: F.manufacturer)
            let other = Principal(username: "other", role: .manufacturer, organisationCode: AwardFixture.maker2)
            let carrier = Principal(username: "carrier", role: .distributor, organisationCode: AwardFixture.distributors[0])
            let id = hospitalP0211.id
            _ = try await agreements.sign(batchCode: "B1", id: id, by: head, actor: .cli)
            await #expect(throws: Refusal(.alreadySigned)) { _ = try await agreements.sign(batchCode: "B1", id: id, by: head, actor: .cli) }
            await #expect(throws: Refusal(.agreementNotFound)) { _ = try await agreements.sign(batchCode: "B1", id: id, by: other, actor: .cli) }
            _ = try await agreements.sign(batchCode: "B1", id: id, by: maker, actor: .cli)
            let done = try await agreements.sign(batchCode: "B1", id: id, by: carrier, actor: .cli)
            #expect(done.status == .inForce)
            #expect(try await agreements.agreement(try await agreements.scope("B1", province), id: id).status == .inForce)
            #expect(try await AuditLog(db).entries(entity: "agreement").filter { $0.action == "sign" }.count == 3)

            // 003 §4: the next agreement year, 2027-07-01 to the cycle's end: 244 days of a 366-day year (it holds
            // 29 February 2028): 600 × 244 / 366 = 400 exactly. Then there is no further year.
            let (second, count) = try await service.renew(batchCode: "B1", actor: .cli)
            #expect(second.start == CivilDate(2027, 7, 1)! && second.end == CivilDate(2028, 3, 1)! && count == 3)
            let listed = try await agreements.agreements(try await agreements.scope("B1", province), page: PageRequest()).items
            let bothYears = listed.filter { $0.institutionCode == F.hospital && $0.productCode == "P0211" }
            #expect(bothYears.map(\.yearIndex) == [1, 2] && bothYears.map(\.quantity) == [801, 400])
            await #expect(throws: Refusal.self) { _ = try await service.renew(batchCode: "B1", actor: .cli) }
            // The reminder counts what awaits each party; the city's list names who has not signed.
            let township = Principal(username: "t", role: .institutionHead, organisationCode: F.township)
            #expect(
                try await agreements.awaitingMySignature(try await agreements.scope("B1", RequestContext(principal: township, ip: nil, at: Date())))
                    == 1)
            let city = RequestContext(principal: Principal(username: "c", role: .cityReviewer, regionCode: "140100"), ip: nil, at: Date())
            let unsigned = try await agreements.unsignedInstitutions(try await agreements.scope("B1", city), page: PageRequest())
            #expect(unsigned.items.map(\.code) == [F.hospital, F.township] && unsigned.total == 2)
        }
    }

    @Test(
        "After publication, volumes change only by a versioned adjustment with a reason, and results by versioned corrections",
        arguments: TestDatabases.engines)
    func versions(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let service = try await AwardFixture.load(db)
            _ = try await service.importResults(path: try F.file("r.csv", AwardFixture.resultsCSV), batchCode: "B1", actor: .cli)
            _ = try await service.compute(batchCode: "B1", actor: .cli)
            _ = try await service.publish(batchCode: "B1", executionStart: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2028, 2, 29)!, actor: .cli)
            await #expect(throws: Refusal(.reasonRequired)) {
                try await service.adjustVolume(
                    batchCode: "B1", institutionCode: F.hospital, productCode: "P0211", quantity: 700, reason: " ", actor: .cli)
            }
            try await service.adjustVolume(
                batchCode: "B1", institutionCode: F.hospital, productCode: "P0211", quantity: 700, reason: "新增院区", actor: AuditActor("admin"))
            #expect(try await AwardFixture.volumes(db, F.hospital)["P0211"] == 700)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let history = try await VolumeStore(db).volumes(batchID: batch.id, institutionCode: F.hospital, history: true).filter {
                $0.productCode == "P0211"
            }
            #expect(history.map(\.quantity) == [600, 700] && history.map(\.version) == [1, 2] && history.last?.reason == "新增院区")
            #expect(history.last?.amountFen == 7000)
            // The unsigned first-year agreement takes the new figure: 700 × 487 / 365 = 933.97 → 934; amount 934 × 280 / 28.
            let province = Principal(username: "admin", role: .provinceAdmin, regionCode: "140000")
            let agreement = try await AgreementService(db: db).agreements(
                try await BatchScope.resolve("B1", db: db, ctx: RequestContext(principal: province, ip: nil, at: Date())), page: PageRequest()
            ).items.first {
                $0.institutionCode == F.hospital && $0.productCode == "P0211"
            }
            #expect(agreement?.quantity == 934 && agreement?.amountFen == 9340)

            let corrected = AwardFixture.resultsCSV.replacingOccurrences(of: "P0211,中选,,2.80", with: "P0211,中选,,2.75")
            let summary = try await service.importResults(path: try F.file("r2.csv", corrected), batchCode: "B1", actor: AuditActor("admin"))
            #expect(summary.updated == 1)
            let versions = try await service.overview(try await service.commandScope("B1"), history: true).results.filter {
                $0.entry.productCode == "P0211"
            }
            #expect(versions.map(\.entry.packPriceFen) == [280, 275])
            #expect(versions.first?.supersededAt != nil && versions.last?.supersededAt == nil && versions.last?.changedBy == "admin")
            #expect(try await service.overview(try await service.commandScope("B1")).results.count == 3)
        }
    }
}
