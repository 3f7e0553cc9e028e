import Foundation
import JicaiCore
import JicaiTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import JicaiApp
@testable import JicaiPersistence
@testable import JicaiServices
@testable import JicaiWeb

/// The assessment stage through the pages and the API, on the award web fixture (first agreement year 2026-01-01 to
/// 2027-06-30; nothing bought, so every item of the hospital fails completion).
enum AssessmentWebFixture {
    static let july = ReportingWindow.shanghai(2027, 7, 2, 10)
    static let later = ReportingWindow.shanghai(2027, 7, 13, 10)
    static let year = "2026-01-01"

    static func load(_ app: Application) async throws {
        try await AwardWebFixture.prepare(app)
        try await AwardWebFixture.publish(app)
    }

    /// The assessment tables as text, to show a refused request changed nothing.
    static func state(_ app: Application) async throws -> String {
        struct Row: Decodable { var v: String? }
        var out = ""
        for query: SQLQueryString in [
            "SELECT GROUP_CONCAT(year_start || ':' || status || ':' || retained_fen || ':' || computed_at, ';') AS v FROM assessment_runs",
            "SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(SUM(score) AS TEXT) AS v FROM assessment_scores",
            "SELECT GROUP_CONCAT(id || ':' || status, ';') AS v FROM assessment_appeals",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM assessment_exemptions",
            "SELECT GROUP_CONCAT(unit_key || ':' || price_text, ';') AS v FROM assessment_prices",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM assessment_disease_groups",
            "SELECT GROUP_CONCAT(id || ':' || status, ';') AS v FROM assessment_leads",
        ] {
            out += (try await DB(app.db).first(query, as: Row.self)?.v ?? "") + "\n"
        }
        return out
    }

    /// A lead of the hospital's (the fixture's data have none: one is written as a run would).
    static func lead(_ app: Application, _ start: CivilDate) async throws -> Int64 {
        let db = DB(app.db)
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        let hospital = try #require(try await AccountStore(db).organisation(code: TestFixtures.hospital))
        try await AssessmentStore(db).replaceLeads(
            batchID: batch.id, yearStart: start,
            [Lead(kind: .lateRepeated, institutionID: hospital.id, unitKey: "", evidence: LocalizedText(zh: "本年度3笔逾期", en: "3 late"))])
        return try await db.scalar("SELECT MAX(id) AS v FROM assessment_leads")
    }

    /// A failed item of the hospital's sheet.
    static func failedUnit(_ app: Application) async throws -> String {
        let service = AssessmentService(db: DB(app.db), now: { july })
        let scope = try await BatchScope.command("B1", db: DB(app.db))
        let sheet = try await service.sheet(scope, yearStart: try #require(CivilDate(text: year)), institutionCode: TestFixtures.hospital)
        return try #require(sheet.items.first { !$0.passed }?.unitKey)
    }
}

@Suite("Assessment through the pages and the API: run, sheet, appeal, opinion, decision, approval, payment list; every route under every role")
struct AssessmentWebTests {
    static let users = AwardWebTests.users

    @Test(
        "Through the pages: the province assesses, the hospital reads its sheet and appeals, the city and the province decide, the year is approved")
    func flow() async throws {
        let clock = TestClock(AssessmentWebFixture.july)
        try await withWeb(clock: clock) { app in
            try await AssessmentWebFixture.load(app)
            let base = "/batches/B1/assessment"
            let admin = Browser(app)
            _ = try await admin.login("admin")
            var page = try await admin.get("/batches/B1")
            #expect(page.body.string.contains("stage-assess-overview"))
            page = try await admin.get(base)
            #expect(page.status == .ok && page.body.string.contains("run-assessment") && page.body.string.contains("assessment-none"))
            _ = try await admin.post(base + "/run", [("year", AssessmentWebFixture.year)])
            #expect(admin.flash?.contains("已考核并发布") == true, "\(admin.flash ?? "")")
            page = try await admin.get(base + "?year=\(AssessmentWebFixture.year)")
            #expect(page.body.string.contains("data-status=\"published\"") && page.body.string.contains("sheet-link"))
            #expect(page.body.string.contains("assessment-cities"))

            let unit = try await AssessmentWebFixture.failedUnit(app)
            let head = Browser(app)
            _ = try await head.login("head")
            let sheetPath = base + "/sheet?year=\(AssessmentWebFixture.year)&institution=\(TestFixtures.hospital)"
            page = try await head.get(sheetPath)
            #expect(page.status == .ok && page.body.string.contains("appeal-\(unit)") && page.body.string.contains("004 §7"))
            #expect(page.body.string.contains("simulate-link"))
            #expect(try await head.get(base + "/sheet?year=\(AssessmentWebFixture.year)&institution=\(TestFixtures.township)").status == .notFound)
            _ = try await head.post(
                base + "/appeals",
                [
                    ("year", AssessmentWebFixture.year), ("institution", TestFixtures.hospital), ("unit", unit), ("reason", "中选产品断供"),
                    ("evidence", "停产通知"),
                ])
            #expect(head.flash?.contains("申诉已提交") == true, "\(head.flash ?? "")")
            let appealID = try await DB(app.db).scalar("SELECT MAX(id) AS v FROM assessment_appeals")

            let city = Browser(app)
            _ = try await city.login("city1401")
            page = try await city.get(base + "?year=\(AssessmentWebFixture.year)")
            #expect(page.body.string.contains("review-\(appealID)"))
            _ = try await city.post(base + "/appeals/review", [("id", String(appealID)), ("year", AssessmentWebFixture.year), ("opinion", "属实")])
            #expect(city.flash?.contains("市级审核意见") == true, "\(city.flash ?? "")")
            _ = try await admin.post(base + "/approve", [("year", AssessmentWebFixture.year)])
            #expect(admin.flash?.contains("未决申诉") == true, "\(admin.flash ?? "")")
            _ = try await admin.post(
                base + "/appeals/decide", [("id", String(appealID)), ("year", AssessmentWebFixture.year), ("upheld", "1"), ("reason", "核实")])
            page = try await head.get(sheetPath)
            #expect(page.body.string.contains("申诉成立"))

            clock.set(AssessmentWebFixture.later)
            let admin2 = Browser(app)
            _ = try await admin2.login("admin")
            _ = try await admin2.get(base)
            _ = try await admin2.post(base + "/approve", [("year", AssessmentWebFixture.year)])
            #expect(admin2.flash?.contains("考核结果已审定") == true, "\(admin2.flash ?? "")")
            let xlsx = try await admin2.get(base + "/payments.xlsx?year=\(AssessmentWebFixture.year)")
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.subType.contains("spreadsheet") == true)
            #expect(try await admin2.get(base + "/results.xlsx?year=\(AssessmentWebFixture.year)").status == .ok)
            // The year's report: the province's with every city ranked; a city's own (whatever city it asks for) with its rank.
            page = try await admin2.get(base + "/report?year=\(AssessmentWebFixture.year)")
            #expect(page.status == .ok && page.body.string.contains("report-cities") && page.body.string.contains("已审定"))
            #expect(page.body.string.contains("太原市") && page.body.string.contains("id=\"signature\""))
            let city2 = Browser(app)
            _ = try await city2.login("city1401")
            page = try await city2.get(base + "/report?year=\(AssessmentWebFixture.year)&city=1402")
            #expect(page.status == .ok && page.body.string.contains("report-rank") && page.body.string.contains("<h1>太原市"))
            page = try await admin2.get(base + "/report?year=\(AssessmentWebFixture.year)&city=9999")
            #expect(page.status == .badRequest, "a city outside the province is refused")
            page = try await admin2.get(base + "/report?year=\(AssessmentWebFixture.year)&city=14a1")
            #expect(page.status == .badRequest, "a city code is four digits")
        }
    }

    @Test("Who may do what in assessment: every route under every role, pages and API; refused requests change nothing")
    func matrix() async throws {
        let clock = TestClock(AssessmentWebFixture.july)
        try await withWeb(clock: clock) { app in
            try await AssessmentWebFixture.load(app)
            let service = AssessmentService(db: DB(app.db), now: { AssessmentWebFixture.july })
            let province = try await BatchScope.command("B1", db: DB(app.db))
            let start = try #require(CivilDate(text: AssessmentWebFixture.year))
            _ = try await service.run(province, yearStart: start)
            let unit = try await AssessmentWebFixture.failedUnit(app)
            let head = try await BatchScope.resolve(
                "B1", db: DB(app.db),
                ctx: RequestContext(
                    principal: Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital), ip: nil, at: Date()))
            let appeal = try await service.fileAppeal(head, yearStart: start, unitKey: unit, reason: "r", evidence: "e")
            let lead = try await AssessmentWebFixture.lead(app, start)
            let y = AssessmentWebFixture.year
            let base = "/batches/B1/assessment"
            let everyoneButFirms = Set(Self.users).subtracting(["maker", "carrier"])
            let hospitalSide: Set<String> = ["admin", "province", "city1401", "hospital", "head"]
            _ = try await MonitorService(db: DB(app.db), now: { AssessmentWebFixture.july }).recompute(
                batchCode: "B1", asOf: CivilDate(2027, 6, 30), actor: .cli)
            let reads: [(String, Set<String>)] = [
                (base + "?year=\(y)", everyoneButFirms),
                (base + "/simulate?institution=\(TestFixtures.hospital)&unit=\(unit)&add=10", hospitalSide),
                (base + "/sheet?year=\(y)&institution=\(TestFixtures.hospital)", hospitalSide),
                (base + "/results.xlsx?year=\(y)", AwardWebTests.regionStaff),
                (base + "/report?year=\(y)", AwardWebTests.regionStaff),
            ]
            let browsers = try await SupplyWebTests.browsers(app)
            try await SupplyWebTests.walk(reads: reads, browsers)
            // The payment list: the province's administrator's, once the year is approved (409 before), nobody else's.
            for user in Self.users {
                let status = try await #require(browsers[user]).get(base + "/payments.xlsx?year=\(y)").status
                #expect(status == (user == "admin" ? .conflict : .forbidden), "payments.xlsx by \(user): \(status)")
            }
            let writes: [(String, [(String, String)], Set<String>)] = [
                (base + "/run", [("year", y)], ["admin"]),
                (
                    base + "/exemptions",
                    [("unit", unit), ("kind", "keyMonitored"), ("region", ""), ("from", "2026-01-01"), ("through", "2026-06-30"), ("evidence", "x")],
                    ["admin"]
                ),
                (base + "/exemptions/remove", [("id", "1")], ["admin"]),
                (base + "/prices", [("spec", "S011"), ("yuan", "0.5"), ("basis", "x")], ["admin"]),
                (base + "/prices/remove", [("unit", unit)], ["admin"]),
                (base + "/disease-groups", [("institution", TestFixtures.hospital), ("on", "1")], ["admin"]),
                (base + "/approve", [("year", y)], []),
                (base + "/appeals", [("year", y), ("unit", unit), ("reason", "x"), ("evidence", "y")], []),
                (base + "/appeals/review", [("id", String(appeal)), ("opinion", "x")], ["city1401"]),
                (base + "/appeals/decide", [("id", String(appeal)), ("upheld", "1"), ("reason", "x")], []),
                (base + "/leads", [("id", String(lead)), ("status", "closed"), ("finding", "x")], ["admin", "province", "city1401"]),
            ]
            try await SupplyWebTests.walk(writes: writes, browsers) { try await AssessmentWebFixture.state(app) }
            let api = "/api/v1/batches/B1/assessment"
            try await SupplyWebTests.walkAPI(
                app,
                reads: [
                    (api + "?year=\(y)", everyoneButFirms), (api + "/institutions/\(TestFixtures.hospital)?year=\(y)", hospitalSide),
                    (api + "/appeals?year=\(y)", everyoneButFirms), (api + "/leads?year=\(y)", AwardWebTests.regionStaff),
                    (api + "/report?year=\(y)", AwardWebTests.regionStaff),
                ],
                writes: [
                    (api + "/run", "{\"year\":\"\(y)\"}", ["admin"]), (api + "/approve", "{\"year\":\"\(y)\"}", []),
                    (api + "/appeals", "{\"year\":\"\(y)\",\"unit\":\"\(unit)\",\"reason\":\"x\",\"evidence\":\"y\"}", []),
                    (api + "/appeals/\(appeal)/review", "{\"opinion\":\"x\"}", ["city1401"]),
                    (api + "/appeals/\(appeal)/decide", "{\"upheld\":true,\"reason\":\"x\"}", []),
                    (api + "/leads/\(lead)", "{\"status\":\"closed\",\"finding\":\"x\"}", ["admin", "province", "city1401"]),
                ]
            ) { try await AssessmentWebFixture.state(app) }
        }
    }

    @Test("Over the API: the run, the results, the sheet, an appeal through its decision; bodies against schemas and snapshots")
    func api() async throws {
        let clock = TestClock(AssessmentWebFixture.july)
        try await withWeb(clock: clock) { app in
            try await AssessmentWebFixture.load(app)
            let api = "/api/v1/batches/B1/assessment"
            let y = AssessmentWebFixture.year
            let admin = try await APIClient(app, user: "admin")
            try await admin.snapshot(
                .POST, api + "/run", "assessment-run", body: "{\"year\":\"\(y)\"}", schema: "AssessmentRun", bodySchema: "AssessmentYear")
            try await admin.snapshot(.GET, api + "?year=\(y)", "assessment-results", schema: "AssessmentScoreList")
            let unit = try await AssessmentWebFixture.failedUnit(app)
            let head = try await APIClient(app, user: "head")
            try await head.snapshot(.GET, api + "/institutions/\(TestFixtures.hospital)?year=\(y)", "assessment-sheet", schema: "AssessmentSheet")
            try await head.snapshot(
                .POST, api + "/appeals", "assessment-appeal", body: "{\"year\":\"\(y)\",\"unit\":\"\(unit)\",\"reason\":\"断供\",\"evidence\":\"通知\"}",
                schema: "Appeal", bodySchema: "AppealRequest")
            let id = try await DB(app.db).scalar("SELECT MAX(id) AS v FROM assessment_appeals")
            let city = try await APIClient(app, user: "city1401")
            try await city.snapshot(
                .POST, api + "/appeals/\(id)/review", "assessment-review", body: "{\"opinion\":\"属实\"}", schema: "Appeal", bodySchema: "AppealAction")
            try await admin.snapshot(
                .POST, api + "/appeals/\(id)/decide", "assessment-decide", body: "{\"upheld\":false,\"reason\":\"证据不足\"}", schema: "Appeal",
                bodySchema: "AppealAction")
            let lead = try await AssessmentWebFixture.lead(app, try #require(CivilDate(text: y)))
            try await city.snapshot(.GET, api + "/leads?year=\(y)", "assessment-leads", schema: "LeadList")
            try await city.snapshot(
                .POST, api + "/leads/\(lead)", "assessment-lead-close", body: "{\"status\":\"closed\",\"finding\":\"已整改\"}", schema: "Lead",
                bodySchema: "LeadAction")
            try await admin.snapshot(
                .POST, api + "/approve", "assessment-approve-early", body: "{\"year\":\"\(y)\"}", status: .conflict, schema: "Error")
            clock.set(AssessmentWebFixture.later)
            let laterAdmin = try await APIClient(app, user: "admin")
            try await laterAdmin.snapshot(.POST, api + "/approve", "assessment-approve", body: "{\"year\":\"\(y)\"}", schema: "AssessmentRun")
            try await APIClient(app, user: "city1401").snapshot(.GET, api + "/report?year=\(y)", "assessment-report", schema: "AssessmentReport")
        }
    }

    @Test("The stage's pages as each side sees them, in both languages", arguments: [false, true])
    func snapshots(english: Bool) async throws {
        try await withWeb(clock: TestClock(AssessmentWebFixture.july)) { app in
            try await AssessmentWebFixture.load(app)
            let service = AssessmentService(db: DB(app.db), now: { AssessmentWebFixture.july })
            let province = try await BatchScope.command("B1", db: DB(app.db))
            let start = try #require(CivilDate(text: AssessmentWebFixture.year))
            _ = try await service.addExemption(
                province,
                Exemption(
                    kind: .publicHealthEvent, unitKey: "V02", regionPrefix: "1402", from: start, through: try #require(CivilDate(2026, 3, 31)),
                    evidence: "某市突发公共卫生事件通报"))
            _ = try await service.run(province, yearStart: start)
            let lang = english ? "en" : "zh"
            func page(_ user: String, _ path: String, _ name: String) async throws {
                let browser = try await SnapshotTests.browser(app, user, english: english)
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(name): \(response.status)")
                Snapshot.check(Snapshot.html(response.body.string), "pages/\(name).\(lang).html")
            }
            let y = AssessmentWebFixture.year
            _ = try await MonitorService(db: DB(app.db), now: { AssessmentWebFixture.july }).recompute(
                batchCode: "B1", asOf: CivilDate(2027, 6, 30), actor: .cli)
            try await page("head", "/batches/B1/assessment/simulate?unit=V01&add=1000", "assessment-simulate")
            try await page("admin", "/batches/B1/assessment?year=\(y)", "assessment-province")
            try await page("head", "/batches/B1/assessment/sheet?year=\(y)&institution=\(TestFixtures.hospital)", "assessment-sheet")
            try await page("admin", "/batches/B1/assessment/report?year=\(y)", "assessment-report")
        }
    }

    @Test("From the command line, as the province's administrator: exemptions, the DRG/DIP list, a year not ended refused, the results workbook")
    func commandLine() async throws {
        try await withWeb(clock: TestClock(AssessmentWebFixture.july)) { app in
            try await AssessmentWebFixture.load(app)
            let y = AssessmentWebFixture.year
            let early = try await run(app, ["assess", "run", "--batch", "B1", "--year", y, "--lang", "en"])
            #expect(!early.ok && early.output.contains("after it ends"), "the command runs on today's date: \(early.output)")
            let exempt = try await run(
                app,
                [
                    "assess", "exempt", "--batch", "B1", "--unit", "V01", "--kind", "guidelineChange", "--from", "2026-07-01", "--through",
                    "2027-06-30",
                    "--evidence", "指南更新",
                ])
            #expect(exempt.ok && exempt.output.contains("已登记豁免"), "\(exempt.output)")
            let bad = try await run(
                app,
                [
                    "assess", "exempt", "--batch", "B1", "--unit", "V99", "--kind", "guidelineChange", "--from", "2026-07-01", "--through",
                    "2027-06-30", "--evidence", "x",
                ])
            #expect(!bad.ok)
            #expect(try await run(app, ["assess", "drg", "--batch", "B1", "--institution", TestFixtures.hospital]).ok)
            let price = try await run(
                app, ["assess", "price", "--batch", "B1", "--spec", "S011", "--yuan", "0.0325", "--evidence", "省医保局测算", "--lang", "en"])
            #expect(price.ok && price.output.contains("0.0325 yuan per minimal unit of S011"), "\(price.output)")
            let badPrice = try await run(app, ["assess", "price", "--batch", "B1", "--spec", "S011", "--yuan", "0.00001", "--evidence", "x"])
            #expect(!badPrice.ok && badPrice.output.contains("最多四位小数"), "\(badPrice.output)")
            #expect(try await run(app, ["assess", "price", "--batch", "B1", "--unit", "V01", "--off"]).ok)
            #expect(!(try await run(app, ["assess", "price", "--batch", "B1", "--unit", "V01", "--off"]).ok), "nothing left to remove")
            let service = AssessmentService(db: DB(app.db), now: { AssessmentWebFixture.july })
            let published = try await service.run(try await BatchScope.command("B1", db: DB(app.db)), yearStart: try #require(CivilDate(text: y)))
            #expect(published.institutions > 0)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("results-\(UUID()).xlsx")
            let results = try await run(app, ["assess", "results", "--batch", "B1", "--year", y, "--out", file.path])
            #expect(results.ok && FileManager.default.fileExists(atPath: file.path), "\(results.output)")
            let payments = try await run(app, ["assess", "payments", "--batch", "B1", "--year", y, "--out", file.path])
            #expect(!payments.ok, "not approved yet")
            struct Row: Decodable { var v: String? }
            let listed = try await DB(app.db).first("SELECT CAST(COUNT(*) AS TEXT) AS v FROM assessment_disease_groups", as: Row.self)?.v
            #expect(listed == "1")
        }
    }
}
