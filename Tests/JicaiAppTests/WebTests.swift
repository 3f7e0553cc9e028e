import Foundation
import JicaiApp
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiTestSupport
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices

func reportStatus(_ app: Application, _ code: String) async throws -> ReportRecord? {
    let db = DB(app.db)
    let batch = try #require(try await BatchStore(db).batch(code: "B1"))
    guard let org = try await AccountStore(db).organisation(code: code) else { return nil }
    return try await DemandStore(db).report(batchID: batch.id, institutionID: org.id)
}

@Suite("Web: log-in, the form, review, summary — 000 §3–§5, 001 §2(一), 002 §2–§4")
struct WebTests {
    @Test(
        "The whole story over HTTP: forced password change, below-80% finding explained, letter, submit, return, resubmit, two approvals, summary",
        arguments: TestDatabases.engines)
    func story(engine: String) async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(engine: engine, clock: clock, mustChange: ["hospital"]) { app in
            let h = Browser(app)
            var res = try await h.get("/batches/B1/report/\(TestFixtures.hospital)")
            #expect(res.status == .seeOther && res.location?.hasPrefix("/login") == true)
            res = try await h.login("hospital")
            #expect(res.location == "/password", "an initial password must be changed first")
            res = try await h.get("/batches/B1/report/\(TestFixtures.hospital)")
            #expect(res.location == "/password")
            try await h.get("/password")
            res = try await h.post("/password", [("current", WebFixture.password), ("new", "short"), ("confirm", "short")])
            #expect(res.status == .badRequest)
            res = try await h.post("/password", [("current", WebFixture.password), ("new", "Jicai2025xyz"), ("confirm", "Jicai2025xyz")])
            #expect(res.status == .seeOther)

            let form = "/batches/B1/report/\(TestFixtures.hospital)"
            res = try await h.get(form)
            #expect(res.status == .ok)
            #expect(res.body.string.contains("氨氯地平"))
            #expect(res.body.string.contains("1200"), "the 12-month history is shown")
            // 500 of a history of 1200: below 80% → blocking until explained (000 §3(二)).
            res = try await h.post(form + "/save", [("quantity[S021]", "500"), ("brand[S021]", "P0211")])
            #expect(res.status == .seeOther)
            #expect(try await reportStatus(app, TestFixtures.hospital)?.lines == [DemandLine(specCode: "S021", productCode: "P0211", quantity: 500)])
            res = try await h.get(form)
            #expect(res.body.string.contains("BELOW_FLOOR"))
            #expect(res.body.string.contains("MISSING_COMMITMENT_LETTER"))
            res = try await h.post(form + "/submit", [])
            #expect(h.flash?.contains("BELOW_FLOOR") == true)
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .draft, "a refused submit changes nothing")

            try await h.get(form)
            res = try await h.post(form + "/save", [("quantity[S021]", "500"), ("brand[S021]", "P0211"), ("explanation[V02]", "心内科床位调减一半")])
            try await h.get(form)
            res = try await h.upload(
                form + "/letter", fields: [("signerName", "张院长"), ("signerTitle", "院长")], file: ("file", "承诺函.pdf", "application/pdf", pdf))
            #expect(h.flash?.contains("承诺函已上传") == true)
            // A text file named .pdf is refused.
            try await h.get(form)
            res = try await h.upload(
                form + "/letter", fields: [("signerName", "张院长"), ("signerTitle", "院长")],
                file: ("file", "fake.pdf", "application/pdf", Data("hello".utf8)))
            #expect(h.flash?.contains("不符") == true)
            try await h.get(form)
            res = try await h.post(form + "/submit", [])
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .submitted)

            // The city returns it with a reason.
            let city = Browser(app)
            _ = try await city.login("city1401")
            res = try await city.get("/batches/B1/review")
            #expect(res.status == .ok)
            #expect(res.body.string.contains(TestFixtures.hospital))
            #expect(res.body.string.contains(TestFixtures.township), "the township has history and has not reported")
            #expect(!res.body.string.contains(WebFixture.datong), "another city's institution is not listed")
            try await city.get(form)
            res = try await city.post(form + "/review", [("action", "cityReturn"), ("reason", "")])
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .submitted, "a return needs a reason")
            try await city.get(form)
            try await city.post(form + "/review", [("action", "cityReturn"), ("reason", "请核实氨氯地平用量")])
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .returned)

            // After the window closes the returned report can still be fixed until the review deadline (002 §3(三)).
            clock.set(WebFixture.window.fillingCloses.addingTimeInterval(3600))
            res = try await h.get(form)
            #expect(res.location?.hasPrefix("/login") == true, "sessions end after 8 hours")
            _ = try await h.login("hospital", "Jicai2025xyz")
            _ = try await city.login("city1401")
            res = try await h.get(form)
            #expect(res.body.string.contains("请核实氨氯地平用量"))
            try await h.post(form + "/save", [("quantity[S021]", "1000"), ("brand[S021]", "P0211"), ("explanation[V02]", "心内科床位调减一半")])
            try await h.get(form)
            try await h.post(form + "/submit", [])
            let resubmitted = try #require(try await reportStatus(app, TestFixtures.hospital))
            #expect(resubmitted.status == .submitted)
            #expect(resubmitted.lines.first?.quantity == 1000)

            try await city.get(form)
            try await city.post(form + "/review", [("action", "cityApprove")])
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .cityApproved)
            let province = Browser(app)
            _ = try await province.login("province")
            try await province.get(form)
            try await province.post(form + "/review", [("action", "provinceApprove")])
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .provinceApproved)

            let admin = Browser(app)
            _ = try await admin.login("admin")
            res = try await admin.get("/batches/B1/progress")
            #expect(res.status == .ok)
            #expect(res.body.string.contains("太原市"))
            res = try await admin.get("/batches/B1/summary.xlsx")
            #expect(res.status == .ok)
            let xlsx = Data(buffer: res.body)
            #expect(xlsx.starts(with: [0x50, 0x4B]))
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID()).xlsx")
            try xlsx.write(to: url)
            var cells: [String] = []
            try TableReader.read(
                path: url.path, header: { cells += $0 }, body: { row in for i in 0..<12 { if let t = row.text(i) { cells.append(t) } } })
            #expect(cells.contains("地市汇总") || cells.contains("地市代码"))
            res = try await admin.get("/batches/B1/summary/print")
            #expect(res.body.string.contains("盖章"))
            try await admin.get("/batches/B1/progress")
            try await admin.post("/batches/B1/lock", [])
            try await admin.get("/batches/B1/progress")
            try await admin.upload("/batches/B1/sealed", fields: [], file: ("file", "汇总表盖章.pdf", "application/pdf", pdf))
            #expect(
                try await BatchStore(DB(app.db)).state(batchID: try #require(try await BatchStore(DB(app.db)).batch(code: "B1")).id).sealedFileID
                    != nil)

            // The institution sees its report's history, with before/after.
            res = try await h.get(form + "/audit")
            #expect(res.body.string.contains("S021/P0211: 500 → 1000"))
            #expect(res.body.string.contains("city1401"))
            // English switch.
            res = try await h.get("/lang/en")
            res = try await h.get(form)
            #expect(res.body.string.contains("Save draft") == false, "a locked batch cannot be edited")
            #expect(res.body.string.contains("Demand report"))
        }
    }

    @Test("Log-in: wrong passwords lock the account after 5 tries; CSRF is required on every form; logout ends the session")
    func loginSecurity() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let b = Browser(app)
            for _ in 0..<5 {
                let r = try await b.login("hospital", "wrong-password1")
                #expect(r.status == .unauthorized)
            }
            var r = try await b.login("hospital")
            #expect(r.status == .unauthorized)
            #expect(r.body.string.contains("锁定"))
            clock.set(WebFixture.t0.addingTimeInterval(15 * 60))
            r = try await b.login("hospital")
            #expect(r.status == .seeOther)
            let form = "/batches/B1/report/\(TestFixtures.hospital)"
            try await b.get(form)
            r = try await b.post(form + "/save", [("quantity[S021]", "900")], csrf: "forged")
            #expect(r.status == .forbidden)
            #expect(try await reportStatus(app, TestFixtures.hospital) == nil, "a request without the CSRF token changes nothing")
            // Log-in itself needs the double-submit token.
            let c = Browser(app)
            r = try await c.post("/login", [("username", "hospital"), ("password", WebFixture.password)], csrf: "x")
            #expect(r.status == .forbidden)
            // A password change ends the account's other sessions.
            let other = Browser(app)
            _ = try await other.login("hospital")
            #expect(try await other.get(form).status == .ok)
            try await b.get("/password")
            r = try await b.post("/password", [("current", WebFixture.password), ("new", "Newpass2025x"), ("confirm", "Newpass2025x")])
            #expect(r.status == .seeOther)
            #expect(try await other.get(form).location?.hasPrefix("/login") == true)
            #expect(try await b.get(form).status == .ok, "the session that changed the password stays")
            try await b.get("/")
            try await b.post("/logout", [])
            r = try await b.get(form)
            #expect(r.location?.hasPrefix("/login") == true)
        }
    }

    @Test("A county medical community lead reports for its members with their history combined (001 §2(一))")
    func community() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let lead = Browser(app)
            _ = try await lead.login("township")
            let res = try await lead.get("/batches/B1/report/\(TestFixtures.township)")
            #expect(res.body.string.contains("阳曲县黄寨镇某村卫生室"), "the member is named")
            #expect(res.body.string.contains(">330<"), "township 11 × 20 + village 11 × 10: the combined history of S021 is 330")
            // Once the lead has submitted, the member is no longer listed as "has history, did not report".
            let service = ReportService(db: DB(app.db))
            let ctx = RequestContext(
                principal: Principal(username: "township", role: .institutionFiller, organisationCode: TestFixtures.township), ip: nil,
                at: WebFixture.t0)
            _ = try await service.save(
                try await service.scope("B1", ctx), institutionCode: TestFixtures.township,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 330)]))
            _ = try await service.attachLetter(
                try await service.scope("B1", ctx), institutionCode: TestFixtures.township, fileName: "l.pdf", data: pdf, signerName: "王",
                signerTitle: "院长")
            let city = Browser(app)
            _ = try await city.login("city1401")
            var list = try await city.get("/batches/B1/review")
            let missingBefore = String(list.body.string[list.body.string.range(of: "id=\"not-reported\"")!.lowerBound...])
            #expect(missingBefore.contains(TestFixtures.village) && missingBefore.contains(TestFixtures.township))
            _ = try await service.submit(try await service.scope("B1", ctx), institutionCode: TestFixtures.township)
            list = try await city.get("/batches/B1/review")
            let missingAfter = String(list.body.string[list.body.string.range(of: "id=\"not-reported\"")!.lowerBound...])
            #expect(!missingAfter.contains(TestFixtures.village) && !missingAfter.contains(TestFixtures.township))
            #expect(missingAfter.contains(TestFixtures.hospital))
            // The lead can open the member's report; the member cannot open the lead's.
            #expect(try await lead.get("/batches/B1/report/\(TestFixtures.village)").status == .ok)
            let member = Browser(app)
            _ = try await member.login("village")
            #expect(try await member.get("/batches/B1/report/\(TestFixtures.township)").status == .notFound)
        }
    }

    @Test("Admin: account import carries existing accounts over and issues initial passwords; a bad file writes nothing; reset forces a change")
    func accounts() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/admin/accounts")
            let good =
                "账号,姓名,角色,机构编码,区划代码,初始密码\nhospital,已有账号,医疗机构填报员,\(TestFixtures.hospital),,\nnewhead,新负责人,医疗机构负责人,\(TestFixtures.hospital),,\nyqcity,阳曲审核,市级审核员,,140100,\n"
            var r = try await admin.importCSV("/admin/accounts/import", name: "accounts.csv", good)
            #expect(r.body.string.contains("id=\"job-done\""))
            #expect(r.body.string.contains("新增2个账号，沿用1个"))
            #expect(r.body.string.contains("newhead") && r.body.string.contains("yqcity"), "the generated passwords are listed for the administrator")
            #expect(try await UserStore(DB(app.db)).user(username: "newhead")?.mustChangePassword == true)
            let jobPath = try #require(
                r.body.string.range(of: #"/admin/jobs/[A-Za-z0-9_-]+/credentials.csv"#, options: .regularExpression).map { String(r.body.string[$0]) }
            )
            let csv = try await admin.get(jobPath)
            #expect(csv.status == .ok && csv.body.string.contains("newhead,新负责人,\(TestFixtures.hospital),"))
            #expect(try await admin.get(jobPath).status == .notFound, "the initial passwords download once")
            let other = Browser(app)
            _ = try await other.login("province")
            #expect(try await other.get(jobPath).status == .forbidden)
            let before = try await UserStore(DB(app.db)).usernames()
            let bad = "账号,姓名,角色,机构编码,区划代码\nok1,甲,医疗机构填报员,\(TestFixtures.hospital),\nbad one,乙,医疗机构填报员,\(TestFixtures.hospital),\nx2,丙,厨师,,\n"
            try await admin.get("/admin/accounts")
            r = try await admin.importCSV("/admin/accounts/import", name: "bad.csv", bad)
            #expect(r.body.string.contains("id=\"job-failed\""))
            #expect(r.body.string.contains("bad.csv"))
            #expect(r.body.string.contains("厨师"))
            #expect(try await UserStore(DB(app.db)).usernames() == before, "a failed import writes nothing")
            try await admin.get("/admin/accounts")
            r = try await admin.post("/admin/accounts/create-missing", [])
            r = try await admin.job(try #require(r.location))
            #expect(r.body.string.contains("开通0个新机构账号"), "every institution of the fixture has an account already")
            try await admin.get("/admin/accounts")
            r = try await admin.post("/admin/accounts/hospital/reset", [])
            #expect(try await UserStore(DB(app.db)).user(username: "hospital")?.mustChangePassword == true)
            let city = Browser(app)
            _ = try await city.login("city1401")
            #expect(try await city.get("/admin/accounts").status == .forbidden)
        }
    }

    @Test("The offline XLSX form downloads and uploads back as the draft")
    func offlineForm() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            let form = "/batches/B1/report/\(TestFixtures.hospital)"
            let res = try await h.get(form + "/form.xlsx")
            #expect(res.status == .ok)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("form-\(UUID()).xlsx")
            try Data(buffer: res.body).write(to: url)
            let rows = try DemandTable.read(url.path)
            #expect(!rows.isEmpty && rows.allSatisfy { $0.value.line.quantity == 0 }, "an empty form lists every passed spec with 0")
            let csv = "机构编码,规格编码,产品编码,需求量,说明\n\(TestFixtures.hospital),S021,,1100,\n\(TestFixtures.hospital),S011,P0111,240,\n"
            try await h.get(form)
            try await h.upload(form + "/upload", fields: [], file: ("file", "filled.csv", "text/csv", Data(csv.utf8)))
            let r = try #require(try await reportStatus(app, TestFixtures.hospital))
            #expect(r.lines.count == 2)
            let other = "机构编码,规格编码,产品编码,需求量\n\(WebFixture.datong),S021,,1\n"
            try await h.get(form)
            try await h.upload(form + "/upload", fields: [], file: ("file", "other.csv", "text/csv", Data(other.utf8)))
            #expect(h.flash?.contains("不是本机构") == true)
            #expect(try await reportStatus(app, TestFixtures.hospital)?.lines.count == 2)
        }
    }

    @Test("History uploads stream to disk and import in the background; a forged CSRF token imports nothing")
    func historyUpload() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/admin/batches")
            let db = DB(app.db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let before = try await HistoryStore(db).rowCount(batchID: batch.id)
            let csv = "机构编码,规格编码,月份,采购数量\n\(TestFixtures.hospital),S011,2025-01,7\n\(WebFixture.datong),S011,2025-02,9\n"
            let good = admin.csrf
            admin.csrf = "forged-token"
            var r = try await admin.upload("/admin/batches/B1/history", fields: [], file: ("file", "h.csv", "text/csv", Data(csv.utf8)))
            #expect(r.status == .forbidden)
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == before)
            admin.csrf = good
            r = try await admin.importCSV("/admin/batches/B1/history", name: "h.csv", csv)
            #expect(r.body.string.contains("id=\"job-done\""), "\(r.body.string.suffix(400))")
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == 2, "an import replaces the batch's history")
            let bad = "机构编码,规格编码,月份,采购数量\n\(TestFixtures.hospital),S011,2025-01,-3\n"
            try await admin.get("/admin/batches")
            r = try await admin.importCSV("/admin/batches/B1/history", name: "bad.csv", bad)
            #expect(r.body.string.contains("id=\"job-failed\"") && r.body.string.contains("bad.csv"))
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == 2, "a failed import writes nothing")
        }
    }
}
