import Foundation
import JicaiCore
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// The assessment stage on both engines, on the monitoring fixture (first agreement year 2026-03-01 to 2027-06-30):
/// the hospital bought 20 winning and 30 non-winning V01 capsules (agreed 67) and its whole V02 year, 801 tablets of
/// the winner at 0.10 元, against a pre-award history of 1,000 tablets for 1,000.50 元.
enum AssessmentFixture {
    static let head = Principal(username: "head", role: .institutionHead, organisationCode: F.hospital)
    static let township = Principal(username: "th", role: .institutionHead, organisationCode: F.township)
    static let city = Principal(username: "city", role: .cityReviewer, regionCode: "140100")
    static let otherCity = Principal(username: "city2", role: .cityReviewer, regionCode: "140200")
    static let maker = Principal(username: "maker", role: .manufacturer, organisationCode: F.manufacturer)

    static func service(_ db: DB, _ year: Int, _ month: Int, _ day: Int) -> AssessmentService {
        AssessmentService(db: db, now: { ReportingWindow.shanghai(year, month, day, 10) })
    }

    static func load(_ db: DB) async throws {
        let monitor = try await MonitorFixture.load(db)
        let purchases =
            MonitorFixture.header
                + """
                \(F.hospital),P0111,2026-03-05,2026-03-06,2026-03-07,20,10.00,A1
                \(F.hospital),P0112,2026-03-05,2026-03-06,2026-03-07,30,45.00,A2
                \(F.hospital),P0211,2026-09-01,2026-09-02,2026-09-10,801,80.10,A3
                \(F.township),P0211,2026-10-01,2026-10-02,2026-10-05,1000,100.00,A4

                """
        _ = try await monitor.importPurchases(path: try F.file("y.csv", purchases), batchCode: "B1", actor: .cli, asOf: CivilDate(2026, 9, 30))
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        let spec = try await db.scalar("SELECT id AS v FROM specs WHERE batch_id = \(bind: batch.id) AND code = 'S021'")
        let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital))
        try await db.run(
            "DELETE FROM history_totals WHERE batch_id = \(bind: batch.id) AND institution_id = \(bind: hospital.id) AND spec_id = \(bind: spec)")
        try await db.run(
            """
            INSERT INTO history_totals (batch_id, institution_id, spec_id, quantity, amount_fen)
            VALUES (\(bind: batch.id), \(bind: hospital.id), \(bind: spec), 1000, 100050)
            """)
        try await HistoryStore(db).refreshPrices(batchID: batch.id)
    }

    static var yearStart: CivilDate { CivilDate(2026, 3, 1) ?? .earliest }
}

@Suite("Assessment and savings retention on both engines (004 §3, §7; 003 §8(三); 000 §5(二); 001 §2(七))")
struct AssessmentServiceTests {
    @Test(
        "004 §7, §3: a year is assessed after it ends, from monitoring's fold; each result explains itself; the province's total is the sum of the institutions'",
        arguments: TestDatabases.engines)
    func year(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let start = AssessmentFixture.yearStart
            let early = AssessmentFixture.service(db, 2027, 6, 30)
            await expectRefused(.yearNotEnded) { _ = try await early.run(try await early.commandScope("B1"), yearStart: start) }
            let july = AssessmentFixture.service(db, 2027, 7, 2)
            let province = try await july.commandScope("B1")
            await expectRefused(.forbidden) { _ = try await july.run(try await july.scope("B1", AssessmentFixture.city), yearStart: start) }
            // Another batch's result stays when this one's run empties its own rows.
            try await db.run(
                """
                INSERT INTO assessment_scores (batch_id, year_start, institution_id, region_code, completion_assessed, completion_passed,
                  share_counted, share_passed, due_fen, paid_on_time_fen, agreements, signed_on_time, score, grade, items, failed_items,
                  retained_fen, disease_group)
                VALUES (999, 20260301, 1, '140105', 0, 0, 0, 0, 0, 0, 0, 0, 10000, 'A', 0, 0, 7, 0)
                """)
            _ = try await july.run(province, yearStart: start)
            let run = try await july.run(province, yearStart: start)
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM assessment_scores WHERE batch_id = 999") == 1)
            #expect(run.status == .published && run.publishedOn == CivilDate(2027, 7, 2))
            let sheet = try await july.sheet(province, yearStart: start, institutionCode: F.hospital)
            let v01 = try #require(sheet.items.first { $0.unitKey == "V01" })
            let v02 = try #require(sheet.items.first { $0.unitKey == "V02" })
            // V01: 20 of 67 required, 30 non-winning of 50 (60% > 30%): fails both, says so with its clause.
            #expect(v01.agreedContent > 0 && v01.completionPassed == false && !v01.sharePassed && !v01.passed)
            #expect(v01.reasons.contains { $0.zh.contains("非中选产品占比60.0%") && $0.zh.contains("004 §7") }, "\(v01.reasons)")
            #expect(v01.reasons.contains { $0.zh.contains("考核不合格：不予留用") })
            // V02: exactly the agreed 801 tablets: completed (exactly 100% passes), share 0%.
            #expect(v02.completionPassed == true && v02.sharePassed && v02.passed)
            // Score: completion 1/2 × 40 + share 1/2 × 30 + nothing due 15 + no agreement signed 0 = 50.00, grade D: no retention.
            #expect(sheet.score.parts.completionAssessed == 2 && sheet.score.parts.completionPassed == 1)
            #expect(sheet.score.parts.agreements > 0 && sheet.score.parts.signedOnTime == 0 && sheet.score.parts.dueFen == 0)
            #expect(sheet.score.score.text == "50.00" && sheet.score.score.grade == .d)
            #expect(v02.retainedFen == 0 && v02.savingsFen == 50491, "801 × 90.05 fen × 70% = 50,491.035 fen before the grade's share")
            let all = try await july.allResults(province, yearStart: start).rows
            #expect(run.retainedFen == all.reduce(0) { $0 + $1.retainedFen }, "the province's total is the institutions' sum")
            #expect(run.institutions == Int64(all.count) && all.contains { $0.institutionCode == F.township })
        }
    }

    @Test(
        "004 §7: an exemption covers its unit in its area only; each principal sees its own scope; firms nothing",
        arguments: TestDatabases.engines)
    func exemptionsAndScope(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let (start, july) = (AssessmentFixture.yearStart, AssessmentFixture.service(db, 2027, 7, 2))
            let province = try await july.commandScope("B1")
            func exemption(_ region: String, from: CivilDate?, through: CivilDate?, evidence: String = "国家重点监控目录（第二批）") throws -> Exemption {
                Exemption(
                    kind: .keyMonitored, unitKey: "V01", regionPrefix: region, from: try #require(from), through: try #require(through),
                    evidence: evidence)
            }
            await expectRefused(.reasonRequired) {
                _ = try await july.addExemption(
                    province, try exemption("", from: CivilDate(2026, 3, 1), through: CivilDate(2027, 6, 30), evidence: " "))
            }
            await expectRefused(.badPeriod) {
                _ = try await july.addExemption(province, try exemption("", from: CivilDate(2027, 6, 30), through: CivilDate(2026, 3, 1)))
            }
            await expectRefused(.forbidden) {
                _ = try await july.addExemption(
                    try await july.scope("B1", AssessmentFixture.city),
                    try exemption("", from: CivilDate(2026, 3, 1), through: CivilDate(2027, 6, 30)))
            }
            // Another city's exemption leaves the hospital (太原市) assessed; its own city's, over the whole year, exempts completion.
            _ = try await july.addExemption(province, try exemption("1402", from: CivilDate(2026, 3, 1), through: CivilDate(2027, 6, 30)))
            _ = try await july.run(province, yearStart: start)
            var v01 = try #require(try await july.sheet(province, yearStart: start, institutionCode: F.hospital).items.first { $0.unitKey == "V01" })
            #expect(v01.completionPassed == false && v01.uncoveredDays == 487)
            let id = try await july.addExemption(province, try exemption("1401", from: CivilDate(2026, 3, 1), through: CivilDate(2027, 6, 30)))
            _ = try await july.run(province, yearStart: start)
            v01 = try #require(try await july.sheet(province, yearStart: start, institutionCode: F.hospital).items.first { $0.unitKey == "V01" })
            #expect(v01.completionPassed == nil && v01.uncoveredDays == 0 && !v01.sharePassed, "completion not assessed; the share still is")
            #expect(v01.reasons.contains { $0.zh.contains("纳入重点监控目录") })
            try await july.removeExemption(province, id: id)
            await expectRefused(.exemptionNotFound) { try await july.removeExemption(province, id: id) }

            // Scope: the institution sees itself only (another's sheet is not revealed), the city its region, firms nothing.
            let head = try await july.scope("B1", AssessmentFixture.head)
            #expect(try await july.results(head, yearStart: start, page: PageRequest()).page.items.map(\.institutionCode) == [F.hospital])
            await expectRefused(.institutionNotFound) { _ = try await july.sheet(head, yearStart: start, institutionCode: F.township) }
            let city = try await july.scope("B1", AssessmentFixture.city)
            #expect(
                Set(try await july.results(city, yearStart: start, page: PageRequest()).page.items.map(\.institutionCode)) == [
                    F.hospital, F.township,
                ])
            let other = try await july.scope("B1", AssessmentFixture.otherCity)
            #expect(try await july.results(other, yearStart: start, page: PageRequest()).page.total == 0)
            await expectRefused(.institutionNotFound) { _ = try await july.sheet(other, yearStart: start, institutionCode: F.hospital) }
            await expectRefused(.forbidden) {
                _ = try await july.results(try await july.scope("B1", AssessmentFixture.maker), yearStart: start, page: PageRequest())
            }
            let cities = try await july.cities(province, yearStart: start)
            #expect(Set(cities.map(\.cityCode)) == ["1401"] && cities.first?.institutions == 3 - 1, "the village counts at its lead")
        }
    }

    @Test(
        "Appeals: the institution within the days, the city's opinion, the province's decision recomputes; approval after the period; the payment list to the fen (004 §3)",
        arguments: TestDatabases.engines)
    func appeals(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let (start, july) = (AssessmentFixture.yearStart, AssessmentFixture.service(db, 2027, 7, 2))
            let province = try await july.commandScope("B1")
            _ = try await july.run(province, yearStart: start)
            let head = try await july.scope("B1", AssessmentFixture.head)
            let sheet = try await july.sheet(head, yearStart: start, institutionCode: F.hospital)
            #expect(sheet.mayAppeal && sheet.appealUntil == CivilDate(2027, 7, 12))
            await expectRefused(.wrongStatus) {
                _ = try await july.fileAppeal(head, yearStart: start, unitKey: "V02", reason: "合格项", evidence: "无")
            }
            await expectRefused(.reasonRequired) { _ = try await july.fileAppeal(head, yearStart: start, unitKey: "V01", reason: "", evidence: "x") }
            await expectRefused(.forbidden) {
                _ = try await july.fileAppeal(province, yearStart: start, unitKey: "V01", reason: "代申诉", evidence: "x")
            }
            let late = AssessmentFixture.service(db, 2027, 7, 13)
            await expectRefused(.appealClosed) {
                _ = try await late.fileAppeal(
                    try await late.scope("B1", AssessmentFixture.head), yearStart: start, unitKey: "V01", reason: "逾期", evidence: "x")
            }
            let id = try await july.fileAppeal(
                head, yearStart: start, unitKey: "V01", reason: "中选企业断供三个月", evidence: "企业停产通知及配送记录")
            await expectRefused(.appealClosed) {
                _ = try await july.fileAppeal(head, yearStart: start, unitKey: "V01", reason: "再次", evidence: "x")
            }
            // The province decides only after the city's opinion; another city cannot review it.
            await expectRefused(.wrongStatus) { try await july.decideAppeal(province, id: id, upheld: true, reason: "属实") }
            await expectRefused(.appealNotFound) {
                try await july.reviewAppeal(try await july.scope("B1", AssessmentFixture.otherCity), id: id, opinion: "同意")
            }
            try await july.reviewAppeal(try await july.scope("B1", AssessmentFixture.city), id: id, opinion: "经核实，断供属实")
            await expectRefused(.forbidden) { try await july.decideAppeal(head, id: id, upheld: true, reason: "自批") }
            // Approval waits for the period and the decision.
            await expectRefused(.appealsOpen) { _ = try await july.approve(province, yearStart: start) }
            try await july.decideAppeal(province, id: id, upheld: true, reason: "供应问题经核实")
            let after = try await july.sheet(head, yearStart: start, institutionCode: F.hospital)
            let v01 = try #require(after.items.first { $0.unitKey == "V01" })
            #expect(v01.passed && v01.reasons.contains { $0.zh.contains("申诉成立") })
            // Now 40 + 30 + 15 + 0 = 85.00, grade A: V02 retains half its savings, 50,491.035 × 50% = 25,245.5175 → 25,246 fen.
            #expect(after.score.score.text == "85.00" && after.score.score.grade == .a)
            #expect(after.items.first { $0.unitKey == "V02" }?.retainedFen == 25246)
            #expect(after.appeals.first?.status == .upheld && after.appeals.first?.opinion == "经核实，断供属实")
            let run = try await july.storedRun(province, start)
            let all = try await july.allResults(province, yearStart: start).rows
            #expect(run.retainedFen == all.reduce(0) { $0 + $1.retainedFen } && run.retainedFen >= 25246, "totals refreshed")
            await expectRefused(.appealsOpen) { _ = try await july.approve(province, yearStart: start) }
            await expectRefused(.wrongStatus) { _ = try await july.paymentList(province, yearStart: start) }
            let later = AssessmentFixture.service(db, 2027, 7, 13)
            let laterProvince = try await later.commandScope("B1")
            let approved = try await later.approve(laterProvince, yearStart: start)
            #expect(approved.status == .approved && approved.approvedBy == "cli")
            await expectRefused(.assessmentApproved) { _ = try await later.run(laterProvince, yearStart: start) }
            await expectRefused(.assessmentApproved) { _ = try await later.approve(laterProvince, yearStart: start) }
            let list = try await later.paymentList(laterProvince, yearStart: start)
            #expect(list.rows.reduce(0) { $0 + $1.retainedFen } == approved.retainedFen && list.rows.allSatisfy { $0.retainedFen > 0 })
            #expect(list.rows.contains { $0.institutionCode == F.hospital && $0.retainedFen == 25246 })
            struct A: Decodable { var action: String }
            let actions = try await db.all("SELECT action FROM audit_log WHERE entity IN ('assessment', 'appeal') ORDER BY id", as: A.self)
            #expect(actions.map(\.action) == ["run", "file", "review", "decide", "approve"])
        }
    }

    @Test(
        "001 §2(八), 004 §9: supervision leads from the year's data, for supervisors only, with a case life a rerun keeps",
        arguments: TestDatabases.engines)
    func leads(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let (start, july) = (AssessmentFixture.yearStart, AssessmentFixture.service(db, 2027, 7, 2))
            let province = try await july.commandScope("B1")
            _ = try await july.run(province, yearStart: start)
            // The township bought 1,000 tablets (with its village) against about 400 agreed: above 150%. The hospital's
            // V01 share of 60% is exactly twice the 30% cap: not above it, no surge.
            let found = try await july.leads(province, yearStart: start)
            let over = try #require(found.first { $0.kind == .overAgreed })
            #expect(over.institutionCode == F.township && over.unitKey == "V02" && over.status == .open, "\(found)")
            #expect(!found.contains { $0.kind == .nonWinningSurge })
            #expect(try await july.leads(try await july.scope("B1", AssessmentFixture.city), yearStart: start).map(\.id) == [over.id])
            #expect(try await july.leads(try await july.scope("B1", AssessmentFixture.otherCity), yearStart: start).isEmpty)
            await expectRefused(.forbidden) { _ = try await july.leads(try await july.scope("B1", AssessmentFixture.township), yearStart: start) }
            let other = try await july.scope("B1", AssessmentFixture.otherCity)
            await expectRefused(.leadNotFound) { _ = try await july.updateLead(other, id: over.id, status: .investigating, finding: "") }
            await expectRefused(.reasonRequired) { _ = try await july.updateLead(province, id: over.id, status: .closed, finding: " ") }
            let city = try await july.scope("B1", AssessmentFixture.city)
            #expect(try await july.updateLead(city, id: over.id, status: .investigating, finding: "").status == .investigating)
            let closed = try await july.updateLead(province, id: over.id, status: .closed, finding: "医共体统一采购，属实")
            #expect(closed.status == .closed && closed.finding == "医共体统一采购，属实" && closed.updatedBy == "cli")
            _ = try await july.run(province, yearStart: start)
            let again = try await july.leads(province, yearStart: start)
            #expect(
                again.first { $0.id == over.id }?.status == .closed && again.filter { $0.kind == .overAgreed }.count == 1, "a rerun keeps the case")
        }
    }

    @Test(
        "The what-if runs the year's rules on today's positions: 51 more V01 capsules complete it and bring the share under the cap: 50.00 D becomes 85.00 A",
        arguments: TestDatabases.engines)
    func whatIf(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let service = AssessmentFixture.service(db, 2026, 10, 8)
            let head = try await service.scope("B1", AssessmentFixture.head)
            let none = try await service.simulate(head, institutionCode: F.hospital, unitKey: "V01", added: 0)
            #expect(none.asOf == CivilDate(2026, 9, 30) && none.before.score.text == "50.00" && none.after.score.text == "50.00")
            // 47 more: 67 of 67 (completed), but 30 non-winning of 97 is 30.9%, above the cap.
            let short = try await service.simulate(head, institutionCode: F.hospital, unitKey: "V01", added: 47)
            let v01 = try #require(short.after.items.first { $0.item.unitKey == "V01" })
            #expect(v01.result.completionPassed == true && !v01.result.sharePassed)
            let enough = try await service.simulate(head, institutionCode: F.hospital, unitKey: "V01", added: 51)
            #expect(enough.minimalUnit.isEmpty == false && enough.addedContent > 0)
            #expect(enough.before.score.grade == .d && enough.after.score.text == "85.00" && enough.after.score.grade == .a)
            #expect(enough.before.retainedFen == 0 && enough.after.retainedFen == 25246, "V02 keeps half its 50,491 fen at A")
            #expect(enough.assumptions.first?.zh.contains("估算") == true)
            await expectRefused(.institutionNotFound) {
                _ = try await service.simulate(
                    try await service.scope("B1", AssessmentFixture.township), institutionCode: F.hospital, unitKey: "V01", added: 1)
            }
            await expectRefused(.unknownUnit) { _ = try await service.simulate(head, institutionCode: F.hospital, unitKey: "V99", added: 1) }
            await expectRefused(.quantityTooLarge) { _ = try await service.simulate(head, institutionCode: F.hospital, unitKey: "V01", added: -1) }
            await expectRefused(.forbidden) {
                _ = try await service.simulate(
                    try await service.scope("B1", AssessmentFixture.maker), institutionCode: F.hospital, unitKey: "V01", added: 1)
            }
            let city = try await service.simulate(
                try await service.scope("B1", AssessmentFixture.city), institutionCode: F.hospital, unitKey: nil, added: 0)
            #expect(city.units.sorted() == ["V01", "V02"])
        }
    }

    @Test(
        "003 §3, 004 §3: the demand form's what-if agrees with the award's agreed volume and with the year's retention at grade A; a draft changes it, nothing is saved",
        arguments: TestDatabases.engines)
    func demandWhatIf(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let reports = ReportService(db: db)
            let head = try await reports.scope("B1", AssessmentFixture.head)
            let saved = try await reports.whatIf(head, institutionCode: F.hospital, input: nil)
            let v02 = try #require(saved.first { $0.unitKey == "V02" })
            // The award gave the hospital 600 tablets of V02 a year; the what-if of its saved report says the same.
            let agreed = try await db.scalar(
                """
                SELECT CAST(SUM(v.quantity) AS BIGINT) AS v FROM agreed_volumes v JOIN organisations o ON o.id = v.institution_id
                WHERE o.code = \(bind: F.hospital) AND v.product_code IN ('P0211', 'P0212') AND v.superseded_at IS NULL
                """)
            #expect(v02.winnersKnown && v02.agreedQuantity == agreed && agreed == 600, "\(v02)")
            #expect(v02.monthlyQuantity == 50, "600 ÷ 12")
            // The lowest winning price (10 fen a tablet) against the history's 100.05, by the year's rules: 600 × 90.05 fen × 70% × 50%
            // = 18,910.5, rounded half up.
            #expect(v02.scenarios.count == 1 && v02.range(.a)! == (18911, 18911) && v02.range(.d)! == (0, 0))
            let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital))
            let report = try #require(try await DemandStore(db).report(batchID: head.batch.id, institutionID: hospital.id))
            let doubled = DraftInput(
                lines: report.lines.map { DemandLine(specCode: $0.specCode, productCode: $0.productCode, quantity: $0.quantity * 2) },
                explanations: report.explanations, exclusions: report.exclusions)
            let draft = try await reports.whatIf(head, institutionCode: F.hospital, input: doubled)
            #expect(draft.first { $0.unitKey == "V02" }?.agreedQuantity == 1200)
            #expect(try await DemandStore(db).report(batchID: head.batch.id, institutionID: hospital.id)?.lines == report.lines)
            // A price the province sets reaches the what-if at once: 600 × (200.05 − 10) fen × 70% × 50% = 39,910.5.
            let assessment = AssessmentFixture.service(db, 2026, 7, 1)
            _ = try await assessment.setPrice(
                try await assessment.commandScope("B1"), specCode: "S021", yuanPerMinimalUnit: "2.0005", basis: "省医保局测算")
            // (A request resolves its batch, with its stamp, anew.)
            let priced = try await reports.whatIf(try await reports.scope("B1", AssessmentFixture.head), institutionCode: F.hospital, input: nil)
            #expect(priced.first { $0.unitKey == "V02" }?.range(.a).map { [$0.0, $0.1] } == [39911, 39911])
            await expectRefused(.institutionNotFound) {
                _ = try await reports.whatIf(try await reports.scope("B1", AssessmentFixture.township), institutionCode: F.hospital, input: nil)
            }
        }
    }

    @Test(
        "004 §7, 000 §5(三), 004 §3: a shortage item against what the winners supplied; an uncarried unit not assessed; the province's own pre-award price",
        arguments: TestDatabases.engines)
    func supplyGapsAndPrices(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await AssessmentFixture.load(db)
            let (start, july) = (AssessmentFixture.yearStart, AssessmentFixture.service(db, 2027, 7, 2))
            let province = try await july.commandScope("B1")
            let batchID = province.batch.id
            let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital)).id
            let township = try #require(try await AccountStore(db).organisation(code: F.township)).id
            // The hospital ordered 47 capsules of the V01 winner in September that never came, and 1,000 in an order it withdrew.
            for (id, withdrawn, ordered) in [(901, "NULL", 47), (902, "'head'", 1000)] {
                try await db.run(
                    """
                    INSERT INTO supply_orders (id, batch_id, institution_id, distributor_code, order_date, placed_by, placed_at, withdrawn_by, note,
                      status, version)
                    VALUES (\(bind: id), \(bind: batchID), \(bind: hospital), 'D', 20260910, 'head', '2026-09-10T01:00:00Z', \(unsafeRaw: withdrawn), '',
                      'confirmed', 1)
                    """)
                try await db.run(
                    """
                    INSERT INTO supply_order_lines (order_id, line_no, agreement_id, product_code, manufacturer_code, pack_price_fen, pack_size,
                      ordered, shipped, accepted, rejected, closed, beyond_agreed)
                    VALUES (\(bind: id), 1, 0, 'P0111', \(bind: F.manufacturer), 50, 1, \(bind: ordered), 0, 0, 0, 0, 0)
                    """)
            }
            // Without a designation the hospital's V01 fails completion: 20 of 67.
            _ = try await july.run(province, yearStart: start)
            func item(_ code: String, _ unit: String) async throws -> ItemRecord {
                try #require(try await july.sheet(province, yearStart: start, institutionCode: code).items.first { $0.unitKey == unit })
            }
            #expect(try await item(F.hospital, "V01").completionPassed == false)
            let shortage = Exemption(
                kind: .shortage, unitKey: "V01", regionPrefix: "1401", from: try #require(CivilDate(2026, 9, 1)),
                through: try #require(CivilDate(2026, 9, 30)), evidence: "国家短缺药品清单")
            _ = try await july.addExemption(province, shortage)
            _ = try await july.run(province, yearStart: start)
            // 67 agreed less 47 never supplied = 20, which it bought: completed (the withdrawn order counts for nothing);
            // the share is still assessed, and no day is waived.
            let v01 = try await item(F.hospital, "V01")
            #expect(v01.completionPassed == true && !v01.sharePassed && v01.uncoveredDays == 487, "\(v01.reasons)")
            #expect(v01.reasons.contains { $0.zh.contains("短缺药品：中选企业未能供应已订购的") && $0.zh.contains("004 §7") }, "\(v01.reasons)")

            // A unit no winner supplies in the township's region: not assessed at all.
            try await db.run("INSERT INTO award_gaps (batch_id, institution_id, unit_key) VALUES (\(bind: batchID), \(bind: township), 'V02')")
            _ = try await july.run(province, yearStart: start)
            let gap = try await item(F.township, "V02")
            #expect(gap.completionPassed == nil && gap.sharePassed && gap.passed && gap.retainedFen == 0)
            #expect(gap.reasons.contains { $0.zh.contains("000 §5(三)") })

            // The province's price: refused when malformed, without a basis, for an unknown spec or by a city.
            for bad in ["0", "-1", "1.00001", "abc", ""] {
                await expectRefused(.badPrice) { _ = try await july.setPrice(province, specCode: "S021", yuanPerMinimalUnit: bad, basis: "测算") }
            }
            await expectRefused(.reasonRequired) { _ = try await july.setPrice(province, specCode: "S021", yuanPerMinimalUnit: "2", basis: " ") }
            await expectRefused(.unknownSpec) { _ = try await july.setPrice(province, specCode: "S999", yuanPerMinimalUnit: "2", basis: "测算") }
            await expectRefused(.forbidden) {
                _ = try await july.setPrice(
                    try await july.scope("B1", AssessmentFixture.city), specCode: "S021", yuanPerMinimalUnit: "2", basis: "测算")
            }
            // 2.0005 元 a tablet instead of the history's 1.0005: 801 × (200.05 − 10) fen × 70% = 106,561.035 fen of savings.
            let set = try await july.setPrice(province, specCode: "S021", yuanPerMinimalUnit: "2.0005", basis: "省医保局2025年挂网均价")
            let listed = try await july.prices(province).map(\.priceText)
            #expect(set.unitKey == "V02" && listed == ["2.0005"])
            _ = try await july.run(province, yearStart: start)
            let priced = try await item(F.hospital, "V02")
            #expect(priced.savingsFen == 106561 && priced.reasons.contains { $0.zh.contains("省级核定价（依据：省医保局2025年挂网均价）") })
            try await july.removePrice(province, unitKey: "V02")
            await expectRefused(.priceNotFound) { try await july.removePrice(province, unitKey: "V02") }
            _ = try await july.run(province, yearStart: start)
            #expect(try await item(F.hospital, "V02").savingsFen == 50491, "the history's average again")
            let audit = try await db.scalar("SELECT COUNT(*) AS v FROM audit_log WHERE entity = 'pre_award_price'")
            #expect(audit == 2)
        }
    }
}
