import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices
@testable import JicaiWeb

/// Monitoring on the web fixture: the award published (execution from 2026-01-01), the hospital buying winning
/// P0211 and non-winning P0212, Datong's only order still undelivered.
enum MonitorWebFixture {
    static var purchases: String {
        """
        机构编码,产品编码,订单日期,配送日期,验收日期,数量（最小单位）,金额（元）,订单号
        \(TestFixtures.hospital),P0211,2026-02-03,2026-02-04,2026-02-05,100,10.00,H1
        \(TestFixtures.hospital),P0212,2026-02-03,2026-02-04,2026-02-05,200,85.71,H2
        \(WebFixture.datong),P0211,2026-06-20,,,28,2.80,D1

        """
    }

    static func load(_ app: Application) async throws {
        try await AwardWebFixture.prepare(app)
        try await AwardWebFixture.publish(app)
        _ = try await MonitorService(db: DB(app.db), now: { WebFixture.t0 }).importPurchases(
            path: try TestFixtures.file("p.csv", purchases), batchCode: "B1", actor: .cli, recompute: false)
        _ = try await MonitorService(db: DB(app.db), now: { WebFixture.t0 }).recompute(batchCode: "B1", asOf: CivilDate(2026, 6, 30)!, actor: .cli)
    }

    static func alertID(_ app: Application, institution: String, code: AlertCode) async throws -> Int64 {
        let db = DB(app.db)
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        let all = try await AlertStore(db).list(batchID: batch.id, scope: .all, page: PageRequest(size: 200)).items
        return try #require(all.first { $0.key.institutionCode == institution && $0.key.code == code }).id
    }

    /// How many alerts of an institution have a status.
    static func alerts(_ app: Application, institution: String, status: String) async throws -> Int64 {
        try await DB(app.db).scalar(
            """
            SELECT COUNT(*) AS v FROM monitor_alerts a JOIN organisations o ON o.id = a.institution_id
            WHERE o.code = \(bind: institution) AND a.status = \(bind: status)
            """)
    }

    /// The monitoring tables as text, to show a refused request changed nothing.
    static func state(_ app: Application) async throws -> String {
        struct Row: Decodable { var v: String? }
        var out = ""
        for query: SQLQueryString in [
            "SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(SUM(quantity) AS TEXT) AS v FROM purchases",
            "SELECT GROUP_CONCAT(id || ':' || status || ':' || COALESCE(note, '') || ':' || COALESCE(reason, ''), ';') AS v FROM monitor_alerts",
            "SELECT GROUP_CONCAT(as_of || ':' || computed_at, ';') AS v FROM monitor_state",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM usage_records",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_problems",
            "SELECT GROUP_CONCAT(city_code || ':' || period || ':' || status, ';') AS v FROM city_reports",
        ] {
            out += (try await DB(app.db).first(query, as: Row.self)?.v ?? "") + "\n"
        }
        return out
    }
}

@Suite("Monitoring on the web: dashboard drill-down, alerts inbox, reports, who may do what", .serialized)
struct MonitorWebTests {
    static let users = AwardWebTests.users
    static let regionStaff = AwardWebTests.regionStaff
    static let institutions = AwardWebTests.institutions

    @Test("Through the pages: import, recompute, the dashboard with its charts and drill-down, acknowledge and resolve, the monthly summary (004 §6)")
    func flow() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await AwardWebFixture.prepare(app)
            try await AwardWebFixture.publish(app)
            let admin = Browser(app)
            _ = try await admin.login("admin")
            var page = try await admin.get("/batches/B1/monitor")
            #expect(page.status == .ok && page.body.string.contains("not-computed"))
            var r = try await admin.upload(
                "/batches/B1/monitor/purchases", fields: [], file: ("file", "采购.csv", "text/csv", Data(MonitorWebFixture.purchases.utf8)))
            #expect(r.status == .seeOther && admin.flash?.contains("采购.csv") == true, "\(admin.flash ?? "")")
            try await admin.get("/batches/B1/monitor")
            // The same file again, as a correction of its institutions only; an unknown scope is refused and writes nothing.
            let before = try await MonitorWebFixture.state(app)
            r = try await admin.upload(
                "/batches/B1/monitor/purchases", fields: [("replace", "everything")],
                file: ("file", "采购.csv", "text/csv", Data(MonitorWebFixture.purchases.utf8)))
            #expect(admin.flash?.contains("替换范围") == true, "\(admin.flash ?? "")")
            #expect(try await MonitorWebFixture.state(app) == before, "a refused import changes nothing")
            try await admin.get("/batches/B1/monitor")
            r = try await admin.upload(
                "/batches/B1/monitor/purchases", fields: [("replace", "institutions")],
                file: ("file", "采购.csv", "text/csv", Data(MonitorWebFixture.purchases.utf8)))
            #expect(admin.flash?.contains("替换此前导入的明细") == true && admin.flash?.contains("不在本文件中") == false, "\(admin.flash ?? "")")
            let replaced = try await MonitorWebFixture.state(app)
            #expect(replaced.split(separator: "\n").first == before.split(separator: "\n").first, "the same lines, replaced: \(replaced)")
            try await admin.get("/batches/B1/monitor")
            r = try await admin.post("/batches/B1/monitor/recompute", [("asOf", "2026-06-30")])
            #expect(admin.flash?.contains("截至2026-06-30") == true, "\(admin.flash ?? "")")
            page = try await admin.get("/batches/B1/monitor")
            let html = page.body.string
            #expect(html.contains("<svg id=\"progress-chart\"") && html.contains("id=\"waterfall\"") && html.contains("id=\"ranking-chart\""))
            #expect(html.contains("id=\"groups\"") && html.contains("太原市") && html.contains("大同市"), "the province's rows are its cities")
            // The register of imports: the page's two accepted uploads (the refused one took no number).
            let register = try #require(html.range(of: "id=\"purchase-imports\"")).upperBound
            let rows = html[register...].components(separatedBy: "</table>")[0]
            #expect(rows.components(separatedBy: "<td>admin</td>").count == 3 && rows.contains("<td>采购.csv</td>"), "\(rows)")
            // Drill down: city → institution → unit, where every number explains itself.
            let city = try await admin.get("/batches/B1/monitor?region=1401").body.string
            #expect(city.contains("太原市第一人民医院") && !city.contains("大同市第三人民医院"))
            let unit = try await admin.get("/batches/B1/monitor?institution=\(TestFixtures.hospital)&unit=V02").body.string
            #expect(unit.contains("id=\"explain\"") && unit.contains("004 §6") && unit.contains("id=\"position-alerts\""))
            // The hospital sees its own alerts and acknowledges one; Datong's city resolves Datong's by hand.
            let hospital = Browser(app)
            _ = try await hospital.login("hospital")
            #expect(try await !hospital.get("/batches/B1/monitor").body.string.contains("purchase-imports"), "the register is the province's")
            let inbox = try await hospital.get("/batches/B1/monitor/alerts").body.string
            #expect(inbox.contains("非中选产品采购占比偏高") && !inbox.contains("大同市第三人民医院"))
            let share = try await MonitorWebFixture.alertID(app, institution: TestFixtures.hospital, code: .nonWinningShareHigh)
            r = try await hospital.post("/batches/B1/monitor/alerts/acknowledge", [("id", String(share)), ("text", "已通知药剂科替换")])
            #expect(hospital.flash == "已知悉预警", "\(hospital.flash ?? "")")
            r = try await hospital.post("/batches/B1/monitor/alerts/acknowledge", [("id", String(share)), ("text", "again")])
            #expect(hospital.flash?.contains("不是待处理") == true, "\(hospital.flash ?? "")")
            let undelivered = try await MonitorWebFixture.alertID(app, institution: WebFixture.datong, code: .undelivered)
            let taiyuan = Browser(app)
            _ = try await taiyuan.login("city1401")
            try await taiyuan.get("/batches/B1/monitor/alerts")
            r = try await taiyuan.post("/batches/B1/monitor/alerts/resolve", [("id", String(undelivered)), ("text", "x")])
            #expect(r.status == .notFound, "another city's alert is not found: \(r.status)")
            let datong = Browser(app)
            _ = try await datong.login("city1402")
            try await datong.get("/batches/B1/monitor/alerts")
            r = try await datong.post("/batches/B1/monitor/alerts/resolve", [("id", String(undelivered)), ("text", "")])
            #expect(datong.flash?.contains("请填写") == true, "a reason is required: \(datong.flash ?? "")")
            r = try await datong.post("/batches/B1/monitor/alerts/resolve", [("id", String(undelivered)), ("text", "企业已说明原因，7月初到货")])
            #expect(datong.flash == "已解除预警")
            // In bulk: the hospital's inbox offers to acknowledge all its open alerts with one note, confirmed by count.
            let bulkInbox = try await hospital.get("/batches/B1/monitor/alerts").body.string
            #expect(bulkInbox.contains("id=\"bulk-acknowledge\"") && !bulkInbox.contains("id=\"bulk-resolve\""), "an institution does not resolve")
            let openCount = try await MonitorWebFixture.alerts(app, institution: TestFixtures.hospital, status: "open")
            r = try await hospital.post(
                "/batches/B1/monitor/alerts/bulk", [("action", "acknowledge"), ("expected", String(openCount)), ("note", "已通知药剂科")])
            #expect(hospital.flash?.contains("请勾选确认") == true, "\(hospital.flash ?? "")")
            r = try await hospital.post(
                "/batches/B1/monitor/alerts/bulk",
                [("action", "acknowledge"), ("expected", String(openCount)), ("note", "已通知药剂科"), ("confirm", "1")])
            #expect(hospital.flash == "已批量知悉\(openCount)条预警", "\(hospital.flash ?? "")")
            #expect(try await MonitorWebFixture.alerts(app, institution: TestFixtures.hospital, status: "open") == 0)
            r = try await hospital.post(
                "/batches/B1/monitor/alerts/bulk", [("action", "resolve"), ("expected", "0"), ("note", "x"), ("confirm", "1")])
            #expect(r.status == .forbidden)
            // The monthly summary to print and its workbook; the dashboard's workbook.
            let report = try await admin.get("/batches/B1/monitor/report")
            #expect(report.status == .ok && report.body.string.contains("id=\"signature\"") && report.body.string.contains("id=\"lagging\""))
            let xlsx = try await admin.get("/batches/B1/monitor/report.xlsx")
            #expect(xlsx.status == .ok && xlsx.headers.contentType?.subType.contains("spreadsheetml") == true)
            #expect(try await admin.get("/batches/B1/monitor/dashboard.xlsx?region=1401").status == .ok)
            // A verified supply problem (004 §7): recorded on the page, listed for the city, counted after a recompute.
            try await admin.get("/batches/B1/monitor")
            r = try await admin.post(
                "/batches/B1/monitor/supply-problems",
                [("unit", "V02"), ("region", "1401"), ("from", "2026-02"), ("through", "2026-02"), ("note", "")])
            #expect(admin.flash?.contains("请填写") == true || admin.flash?.contains("说明") == true, "a note is required: \(admin.flash ?? "")")
            r = try await admin.post(
                "/batches/B1/monitor/supply-problems",
                [("unit", "V02"), ("region", "1401"), ("from", "2026-02"), ("through", "2026-02"), ("note", "中选企业断供，已核实")])
            #expect(admin.flash == "已记录供应问题，重算后生效", "\(admin.flash ?? "")")
            let listed = try await taiyuan.get("/batches/B1/monitor").body.string
            #expect(listed.contains("id=\"supply-problems\"") && listed.contains("中选企业断供，已核实") && !listed.contains("id=\"problem-form\""))
            r = try await admin.post("/batches/B1/monitor/recompute", [("asOf", "2026-06-30")])
            let db = DB(app.db)
            let batchRecord = try #require(try await BatchStore(db).batch(code: "B1"))
            let after = try #require(try await AlertStore(db).alert(batchID: batchRecord.id, id: share))
            #expect(after.status == .resolved && after.resolution == "auto", "the February non-winning purchase left the share: \(after.status)")
        }
    }

    @Test("001 §4: the city drafts its half-yearly report from the half's alerts and resolutions, submits it once; the province sees who has")
    func cityReport() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)  // alerts raised on 2025-12-22: the second half of 2025
            let undelivered = try await MonitorWebFixture.alertID(app, institution: WebFixture.datong, code: .undelivered)
            let datong = Browser(app)
            _ = try await datong.login("city1402")
            try await datong.get("/batches/B1/monitor/alerts")
            _ = try await datong.post("/batches/B1/monitor/alerts/resolve", [("id", String(undelivered)), ("text", "配送企业已补货")])
            var page = try await datong.get("/batches/B1/monitor/city-report?period=2025H2").body.string
            #expect(page.contains("2026-01-10") && page.contains("配送企业已补货") && page.contains("id=\"city-report-form\""), "the half's resolutions")
            _ = try await datong.post("/batches/B1/monitor/city-report/save", [("period", "2025H2"), ("measures", ""), ("submit", "1")])
            #expect(datong.flash?.contains("请填写") == true, "measures are required to submit: \(datong.flash ?? "")")
            _ = try await datong.post("/batches/B1/monitor/city-report/save", [("period", "2025H2"), ("measures", "约谈配送企业"), ("submit", "0")])
            #expect(datong.flash == "草稿已保存")
            _ = try await datong.post(
                "/batches/B1/monitor/city-report/save",
                [("period", "2025H2"), ("measures", "约谈配送企业，督促按时配送"), ("problems", "偏远乡镇配送慢"), ("submit", "1")])
            #expect(datong.flash == "报告已报送省医保局")
            _ = try await datong.post("/batches/B1/monitor/city-report/save", [("period", "2025H2"), ("measures", "改"), ("submit", "0")])
            #expect(datong.flash != "草稿已保存", "a submitted report is not changed: \(datong.flash ?? "")")
            page = try await datong.get("/batches/B1/monitor/city-report?period=2025H2").body.string
            #expect(page.contains("约谈配送企业，督促按时配送") && !page.contains("id=\"city-report-form\""))
            let province = Browser(app)
            _ = try await province.login("province")
            let list = try await province.get("/batches/B1/monitor/city-report?period=2025H2").body.string
            #expect(list.contains("大同市") && list.contains("已报送") && list.contains("未报送"))
            let opened = try await province.get("/batches/B1/monitor/city-report?period=2025H2&city=1402").body.string
            #expect(opened.contains("偏远乡镇配送慢") && !opened.contains("id=\"city-report-form\""), "the province reads, it does not edit")
        }
    }

    @Test("Who may do what in monitoring: every monitoring route under every role; refused requests change nothing")
    func matrix() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            var browsers: [String: Browser] = [:]
            for user in Self.users {
                let browser = Browser(app)
                _ = try await browser.login(user)
                try await browser.get("/batches/B1")
                browsers[user] = browser
            }
            let seers = Self.regionStaff.union(Self.institutions)
            let reads: [(String, Set<String>)] = [
                ("/batches/B1/monitor", seers),
                ("/batches/B1/monitor/alerts", seers),
                ("/batches/B1/monitor/dashboard.xlsx", seers),
                ("/batches/B1/monitor/report", Self.regionStaff),
                ("/batches/B1/monitor/report.xlsx", Self.regionStaff),
                ("/batches/B1/monitor/review", Self.regionStaff.union(["head"])),
                ("/batches/B1/monitor/city-report?period=2025H2", Self.regionStaff),
            ]
            for (path, allowed) in reads {
                for user in Self.users {
                    let status = try await browsers[user]!.get(path).status
                    if allowed.contains(user) {
                        #expect(status == .ok, "\(path) by \(user): \(status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(status), "\(path) by \(user): \(status)")
                    }
                }
            }
            // Scopes: a city sees only its region; an institution only itself.
            #expect(try await browsers["city1401"]!.get("/batches/B1/monitor?region=1402").status == .forbidden)
            #expect(try await browsers["hospital"]!.get("/batches/B1/monitor?institution=\(WebFixture.datong)").status == .forbidden)
            let datongInbox = try await browsers["datong"]!.get("/batches/B1/monitor/alerts?status=all").body.string
            #expect(!datongInbox.contains(TestFixtures.hospital))
            // The province's writes by anyone else: refused, nothing changed.
            for user in Self.users where user != "admin" {
                let b = browsers[user]!
                let before = try await MonitorWebFixture.state(app)
                #expect(try await b.post("/batches/B1/monitor/recompute", [("asOf", "2026-06-30")]).status == .forbidden, "recompute by \(user)")
                if !["city1401", "city1402"].contains(user) {
                    let status = try await b.post("/batches/B1/monitor/city-report/save", [("period", "2025H2"), ("measures", "x"), ("submit", "1")])
                        .status
                    #expect(status == .forbidden, "city report by \(user): \(status)")
                }
                let problem = [("unit", "V02"), ("region", ""), ("from", "2026-02"), ("through", "2026-03"), ("note", "x")]
                #expect(try await b.post("/batches/B1/monitor/supply-problems", problem).status == .forbidden, "supply problem by \(user)")
                for path in ["/batches/B1/monitor/purchases", "/batches/B1/monitor/usage"] {
                    let upload = try await b.upload(path, fields: [], file: ("file", "p.csv", "text/csv", Data(MonitorWebFixture.purchases.utf8)))
                    #expect(upload.status == .forbidden, "\(path) by \(user): \(upload.status)")
                }
                #expect(try await MonitorWebFixture.state(app) == before, "monitoring writes by \(user) changed data")
            }
            // Alerts: acknowledging and resolving outside one's scope is refused and changes nothing.
            let hospitalAlert = try await MonitorWebFixture.alertID(app, institution: TestFixtures.hospital, code: .nonWinningShareHigh)
            for user in Self.users where !["admin", "province", "city1401", "hospital", "head"].contains(user) {
                let before = try await MonitorWebFixture.state(app)
                for page in ["acknowledge", "resolve"] {
                    let status = try await browsers[user]!.post("/batches/B1/monitor/alerts/\(page)", [("id", String(hospitalAlert)), ("text", "x")])
                        .status
                    #expect([.forbidden, .notFound].contains(status), "\(page) by \(user): \(status)")
                }
                #expect(try await MonitorWebFixture.state(app) == before, "alert actions by \(user) changed data")
            }
            let before = try await MonitorWebFixture.state(app)
            let status = try await browsers["head"]!.post("/batches/B1/monitor/alerts/resolve", [("id", String(hospitalAlert)), ("text", "x")]).status
            #expect(status == .forbidden, "an institution acknowledges but does not resolve by hand: \(status)")
            #expect(try await MonitorWebFixture.state(app) == before)
            // The same over the API, under every role.
            let datongAlert = try await MonitorWebFixture.alertID(app, institution: WebFixture.datong, code: .undelivered)
            for user in Self.users {
                let api = try await APIClient(app, user: user)
                func send(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> HTTPStatus {
                    try await api.browser.send(
                        method, "/api/v1/batches/B1/monitor" + path, body: body.map { ByteBuffer(string: $0) },
                        contentType: body == nil ? nil : "application/json", headers: [("X-CSRF-Token", api.csrf)]
                    ).status
                }
                for path in ["", "/alerts", "/supply-problems"] {
                    let status = try await send(.GET, path)
                    if seers.contains(user) {
                        #expect(status == .ok, "API \(path) by \(user): \(status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(status), "API \(path) by \(user): \(status)")
                    }
                }
                let before = try await MonitorWebFixture.state(app)
                if user != "admin" {
                    #expect(try await send(.POST, "/recompute", #"{"asOf":"2026-06-30"}"#) == .forbidden, "API recompute by \(user)")
                    let problem = #"{"unit":"V02","regionPrefix":"","from":"2026-02","through":"2026-03","note":"x"}"#
                    #expect(try await send(.POST, "/supply-problems", problem) == .forbidden, "API supply problem by \(user)")
                }
                // Datong's alert: outside every scope but the province's and Datong's own city and institution.
                if !["admin", "province", "city1402", "datong"].contains(user) {
                    for action in ["acknowledge", "resolve"] {
                        let status = try await send(.POST, "/alerts/\(datongAlert)/\(action)", #"{"note":"x","reason":"x"}"#)
                        #expect([.forbidden, .notFound].contains(status), "API \(action) by \(user): \(status)")
                    }
                }
                #expect(try await MonitorWebFixture.state(app) == before, "API writes by \(user) changed data")
            }
        }
    }

    @Test("The monitoring API: figures, alerts and their life, recompute and supply problems, scoped like the pages, bodies as documented")
    func api() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            let admin = try await APIClient(app, user: "admin")
            try await admin.snapshot(.GET, "/api/v1/batches/B1/monitor", "monitor-province", schema: "MonitorDashboard")
            try await admin.snapshot(
                .GET, "/api/v1/batches/B1/monitor?rows=institution&size=1&page=2", "monitor-institutions-page2", schema: "MonitorDashboard")
            let head = try await APIClient(app, user: "head")
            try await head.snapshot(
                .GET, "/api/v1/batches/B1/monitor?institution=\(TestFixtures.hospital)&unit=V02", "monitor-position", schema: "MonitorDashboard")
            try await head.snapshot(
                .GET, "/api/v1/batches/B1/monitor?institution=\(WebFixture.datong)", "error-monitor-forbidden", status: .forbidden, schema: "Error")
            try await head.snapshot(.GET, "/api/v1/batches/B1/monitor/alerts", "monitor-alerts-head", schema: "AlertList")
            let shareAlert = try await MonitorWebFixture.alertID(app, institution: TestFixtures.hospital, code: .nonWinningShareHigh)
            let alertPath = "/api/v1/batches/B1/monitor/alerts/\(shareAlert)"
            try await head.snapshot(
                .POST, alertPath + "/acknowledge", "error-note-required", body: #"{"note":"  "}"#, status: .badRequest, schema: "Error")
            try await head.snapshot(
                .POST, alertPath + "/acknowledge", "monitor-acknowledge", body: #"{"note":"已约谈科室，下月改用中选产品"}"#, schema: "Alert",
                bodySchema: "AlertNote")
            try await head.snapshot(
                .POST, alertPath + "/resolve", "error-monitor-resolve-forbidden", body: #"{"reason":"x"}"#, status: .forbidden, schema: "Error")
            // Another city's alert is "not found" for city 1401, and refusing changes nothing.
            let city = try await APIClient(app, user: "city1401")
            let datongAlert = try await MonitorWebFixture.alertID(app, institution: WebFixture.datong, code: .undelivered)
            let before = try await MonitorWebFixture.state(app)
            try await city.snapshot(
                .POST, "/api/v1/batches/B1/monitor/alerts/\(datongAlert)/resolve", "error-alert-not-found", body: #"{"reason":"x"}"#,
                status: .notFound, schema: "Error")
            #expect(try await MonitorWebFixture.state(app) == before)
            try await city.snapshot(
                .POST, alertPath + "/resolve", "monitor-resolve", body: #"{"reason":"已核实：该院非中选采购为临床必需"}"#, schema: "Alert",
                bodySchema: "AlertNote")
            let resolved = try await MonitorWebFixture.state(app)
            #expect(resolved != before)
            try await city.snapshot(
                .POST, "/api/v1/batches/B1/monitor/recompute", "error-recompute-forbidden", body: #"{"asOf":"2026-06-30"}"#, status: .forbidden,
                schema: "Error")
            try await city.snapshot(
                .POST, "/api/v1/batches/B1/monitor/supply-problems", "error-problem-forbidden",
                body: #"{"unit":"V02","regionPrefix":"1401","from":"2026-02","through":"2026-03","note":"x"}"#, status: .forbidden, schema: "Error")
            #expect(try await MonitorWebFixture.state(app) == resolved, "refused writes changed nothing")
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/monitor/supply-problems", "monitor-problem-add",
                body: #"{"unit":"V02","regionPrefix":"1401","from":"2026-02","through":"2026-03","note":"中选企业断供，已核实"}"#,
                schema: "SupplyProblemList", bodySchema: "SupplyProblem")
            try await city.snapshot(.GET, "/api/v1/batches/B1/monitor/supply-problems", "monitor-problems", schema: "SupplyProblemList")
            // The recompute's body carries its timing, so it is checked against its schema and its counts only.
            let recompute = try await admin.browser.send(
                .POST, "/api/v1/batches/B1/monitor/recompute", body: ByteBuffer(string: #"{"asOf":"2026-06-30"}"#), contentType: "application/json",
                headers: [("X-CSRF-Token", admin.csrf)])
            #expect(recompute.status == .ok, "\(recompute.body.string)")
            OpenAPIShape.check(recompute.body.string, schema: "Recompute")
            let summary = try JSONSerialization.jsonObject(with: Data(recompute.body.string.utf8)) as? [String: Any]
            #expect(summary?["asOf"] as? String == "2026-06-30")
            #expect((summary?["positions"] as? Int ?? 0) > 0)
            // After the recompute: the hand resolution stands, with its reason.
            try await admin.snapshot(
                .GET, "/api/v1/batches/B1/monitor/alerts?code=NON_WINNING_SHARE_HIGH", "monitor-alerts-after", schema: "AlertList")
            try await admin.snapshot(
                .GET, "/api/v1/batches/B1/monitor/alerts?status=nope", "error-alert-status", status: .badRequest, schema: "Error")
        }
    }

    @Test("Snapshots of the monitoring pages, Chinese and English", arguments: [false, true])
    func snapshots(english: Bool) async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            let lang = english ? "en" : "zh"
            func page(_ user: String, _ path: String, _ name: String) async throws {
                let browser = try await SnapshotTests.browser(app, user, english: english)
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(name): \(response.status)")
                Snapshot.check(Snapshot.html(response.body.string), "pages/\(name).\(lang).html")
            }
            try await page("admin", "/batches/B1/monitor", "monitor-province")
            try await page("head", "/batches/B1/monitor?institution=\(TestFixtures.hospital)&unit=V02", "monitor-position")
            try await page("city1402", "/batches/B1/monitor/alerts", "monitor-alerts")
            try await page("province", "/batches/B1/monitor/report", "monitor-report")
        }
    }
}

@Suite("The dashboard's alert panel at an institution", .serialized)
struct MonitorAlertPanelTests {
    @Test("Drilled into an institution, the panel lists that institution's alerts even when its region has more than a page of others")
    func institutionAlertsBeyondThePage() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            let db = DB(app.db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            // 25 open alerts of the township (阳曲县, the same city as the hospital).
            var plan = AlertPlan()
            let year = CivilDate(2026, 1, 1)!
            // Of the same unit (V01): a key differs by its agreement year here.
            plan.raise = (0..<25).map { i in
                AlertFinding(
                    key: AlertKey(code: .notEntered, institutionCode: TestFixtures.township, unitKey: "V01", yearStart: year.adding(days: i) ?? year),
                    severity: .severe, figures: [], message: LocalizedText(zh: "测试", en: "test"))
            }
            let township = try #require(try await AccountStore(db).organisation(code: TestFixtures.township))
            try await AlertStore(db).apply(batchID: batch.id, plan, institutions: [TestFixtures.township: (township.id, "140122")], at: WebFixture.t0)
            let hospitalAlerts = try await AlertStore(db).list(batchID: batch.id, scope: .all, page: PageRequest(size: 200)).items.filter {
                $0.key.institutionCode == TestFixtures.hospital && $0.key.unitKey == "V01"
            }
            #expect(!hospitalAlerts.isEmpty)
            // The hospital has acknowledged its own: open alerts of the township sort before them.
            for alert in hospitalAlerts { #expect(try await AlertStore(db).acknowledge(id: alert.id, by: "head", note: "已知悉", at: WebFixture.t0)) }
            let city = Browser(app)
            _ = try await city.login("city1401")
            let html = try await city.get("/batches/B1/monitor?institution=\(TestFixtures.hospital)&unit=V01").body.string
            let panel = try #require(html.range(of: "id=\"position-alerts\"")).upperBound
            let listed = html[panel...].components(separatedBy: "</ul>")[0]
            for alert in hospitalAlerts { #expect(listed.contains(alert.message.zh), "\(alert.key.code) missing from the panel") }
            #expect(!listed.contains("测试"), "no other institution's alert")
            // The dashboard's query reads the same on the page as in the API: a `rows` that is no case is refused.
            let bad = try await city.get("/batches/B1/monitor?rows=nope")
            #expect(bad.status == .badRequest && bad.body.string.contains("rows"), "\(bad.status)")
        }
    }

    @Test("A dashboard request reads the batches row once: the batch is resolved into one scope for the whole page")
    func dashboardReadsTheBatchOnce() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            let city = Browser(app)
            _ = try await city.login("city1401")
            let log = DBMetrics.StatementLog()
            let html = try await DBMetrics.$statements.withValue(log) {
                try await city.get("/batches/B1/monitor?institution=\(TestFixtures.hospital)&unit=V01").body.string
            }
            #expect(html.contains("id=\"position-alerts\""), "the drilled position with its alert panel")
            #expect(log.all.count > 5, "the request's statements are logged: \(log.all.count)")
            #expect(log.reads(from: "batches") == 1, "\(log.all.filter { $0.contains("batches") })")
        }
    }
}
