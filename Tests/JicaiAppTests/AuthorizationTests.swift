import Foundation
import JicaiApp
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices

/// Everything a request could change, as text: reports, lines, notes, findings, files, users, batches, sessions aside.
func snapshot(_ app: Application) async throws -> String {
    struct Row: Decodable { var v: String? }
    let db = DB(app.db)
    var out = ""
    for q: SQLQueryString in [
        "SELECT GROUP_CONCAT(institution_id || ':' || status || ':' || COALESCE(return_reason, '') || ':' || COALESCE(letter_file_id, 0), ';') AS v FROM demand_reports",
        "SELECT GROUP_CONCAT(institution_id || ':' || spec_id || ':' || product_code || ':' || quantity, ';') AS v FROM demand_lines",
        "SELECT GROUP_CONCAT(institution_id || ':' || unit_key || ':' || explanation, ';') AS v FROM demand_notes",
        "SELECT CAST(COUNT(*) AS TEXT) AS v FROM findings",
        "SELECT CAST(COUNT(*) AS TEXT) AS v FROM files",
        "SELECT GROUP_CONCAT(username || ':' || password_hash || ':' || active, ';') AS v FROM users",
        "SELECT GROUP_CONCAT(code || ':' || COALESCE(locked_at, '') || ':' || policy, ';') AS v FROM batches",
    ] {
        out += (try await db.first(q, as: Row.self)?.v ?? "") + "\n"
    }
    return out
}

@Suite("Authorization: every route under every role, own and others' ids; window and deadline edges")
struct AuthorizationTests {
    static let targets = [
        "hospital": TestFixtures.hospital, "township": TestFixtures.township, "village": TestFixtures.village, "datong": WebFixture.datong,
    ]
    static let users = WebFixture.accounts.map(\.0)

    static let view: [String: Set<String>] = [
        "admin": ["hospital", "township", "village", "datong"], "province": ["hospital", "township", "village", "datong"],
        "city1401": ["hospital", "township", "village"], "city1402": ["datong"],
        "hospital": ["hospital"], "head": ["hospital"], "township": ["township", "village"], "village": ["village"], "datong": ["datong"],
        "maker": [],
    ]
    static let fill: [String: Set<String>] = [
        "hospital": ["hospital"], "head": ["hospital"], "township": ["township", "village"], "village": ["village"], "datong": ["datong"],
    ]
    static let cityReview: [String: Set<String>] = [
        "admin": ["hospital", "township", "village", "datong"], "province": ["hospital", "township", "village", "datong"],
        "city1401": ["hospital", "township", "village"], "city1402": ["datong"],
    ]
    static let provinceReview: [String: Set<String>] = [
        "admin": ["hospital", "township", "village", "datong"], "province": ["hospital", "township", "village", "datong"],
    ]

    enum Kind { case view, fill, cityReview, provinceReview }

    struct Route {
        var name: String
        var kind: Kind
        var api: Bool
        var send: (Browser, String) async throws -> TestingHTTPResponse
    }

    static func routes(token: @escaping (Browser) -> String) -> [Route] {
        func api(_ b: Browser, _ method: HTTPMethod, _ path: String, _ json: String? = nil) async throws -> TestingHTTPResponse {
            var headers = [("Authorization", "Bearer \(token(b))")]
            if json != nil { headers.append(("Content-Type", "application/json")) }
            let saved = b.cookies
            b.cookies = [:]
            defer { b.cookies = saved }
            return try await b.send(method, path, body: json.map { ByteBuffer(string: $0) }, headers: headers)
        }
        let letter = "{\"fileName\":\"l.pdf\",\"contentBase64\":\"\(pdf.base64EncodedString())\",\"signerName\":\"王\",\"signerTitle\":\"院长\"}"
        return [
            Route(name: "GET form", kind: .view, api: false) { b, i in try await b.get("/batches/B1/report/\(i)") },
            Route(name: "GET audit", kind: .view, api: false) { b, i in try await b.get("/batches/B1/report/\(i)/audit") },
            Route(name: "GET form.xlsx", kind: .view, api: false) { b, i in try await b.get("/batches/B1/report/\(i)/form.xlsx") },
            Route(name: "POST save", kind: .fill, api: false) { b, i in try await b.post("/batches/B1/report/\(i)/save", [("quantity[S021]", "7")]) },
            Route(name: "POST submit", kind: .fill, api: false) { b, i in try await b.post("/batches/B1/report/\(i)/submit", []) },
            Route(name: "POST letter", kind: .fill, api: false) { b, i in
                try await b.upload(
                    "/batches/B1/report/\(i)/letter", fields: [("signerName", "王"), ("signerTitle", "院长")],
                    file: ("file", "l.pdf", "application/pdf", pdf))
            },
            Route(name: "POST evidence", kind: .fill, api: false) { b, i in
                try await b.upload("/batches/B1/report/\(i)/evidence", fields: [("unit", "V02")], file: ("file", "e.pdf", "application/pdf", pdf))
            },
            Route(name: "POST upload", kind: .fill, api: false) { b, i in
                try await b.upload(
                    "/batches/B1/report/\(i)/upload", fields: [], file: ("file", "f.csv", "text/csv", Data("机构编码,规格编码,需求量\n\(i),S021,5\n".utf8)))
            },
            Route(name: "POST review cityApprove", kind: .cityReview, api: false) { b, i in
                try await b.post("/batches/B1/report/\(i)/review", [("action", "cityApprove")])
            },
            Route(name: "POST review cityReturn", kind: .cityReview, api: false) { b, i in
                try await b.post("/batches/B1/report/\(i)/review", [("action", "cityReturn"), ("reason", "x")])
            },
            Route(name: "POST correct", kind: .cityReview, api: false) { b, i in
                try await b.post("/batches/B1/report/\(i)/correct", [("spec", "S021"), ("quantity", "3"), ("reason", "x")])
            },
            Route(name: "POST review provinceApprove", kind: .provinceReview, api: false) { b, i in
                try await b.post("/batches/B1/report/\(i)/review", [("action", "provinceApprove")])
            },
            Route(name: "API GET report", kind: .view, api: true) { b, i in try await api(b, .GET, "/api/v1/batches/B1/reports/\(i)") },
            Route(name: "API GET audit", kind: .view, api: true) { b, i in try await api(b, .GET, "/api/v1/batches/B1/reports/\(i)/audit") },
            Route(name: "API PUT report", kind: .fill, api: true) { b, i in
                try await api(
                    b, .PUT, "/api/v1/batches/B1/reports/\(i)",
                    "{\"lines\":[{\"specCode\":\"S021\",\"quantity\":9}],\"explanations\":{},\"exclusions\":{}}")
            },
            Route(name: "API letter", kind: .fill, api: true) { b, i in try await api(b, .POST, "/api/v1/batches/B1/reports/\(i)/letter", letter) },
            Route(name: "API check", kind: .fill, api: true) { b, i in
                try await api(
                    b, .POST, "/api/v1/batches/B1/reports/\(i)/check",
                    "{\"lines\":[{\"specCode\":\"S021\",\"quantity\":9}],\"explanations\":{},\"exclusions\":{}}")
            },
            Route(name: "API what-if", kind: .fill, api: true) { b, i in
                try await api(
                    b, .POST, "/api/v1/batches/B1/reports/\(i)/what-if",
                    "{\"lines\":[{\"specCode\":\"S021\",\"quantity\":9}],\"explanations\":{},\"exclusions\":{}}")
            },
            Route(name: "API submit", kind: .fill, api: true) { b, i in try await api(b, .POST, "/api/v1/batches/B1/reports/\(i)/submit") },
            Route(name: "API review cityReturn", kind: .cityReview, api: true) { b, i in
                try await api(b, .POST, "/api/v1/batches/B1/reports/\(i)/review", "{\"action\":\"cityReturn\",\"reason\":\"x\"}")
            },
            Route(name: "API evidence", kind: .fill, api: true) { b, i in
                try await api(
                    b, .POST, "/api/v1/batches/B1/reports/\(i)/evidence",
                    "{\"unit\":\"V02\",\"fileName\":\"e.pdf\",\"contentBase64\":\"\(pdf.base64EncodedString())\"}")
            },
            Route(name: "API correct", kind: .cityReview, api: true) { b, i in
                try await api(b, .POST, "/api/v1/batches/B1/reports/\(i)/correct", "{\"specCode\":\"S021\",\"quantity\":4,\"reason\":\"x\"}")
            },
            Route(name: "API review provinceApprove", kind: .provinceReview, api: true) { b, i in
                try await api(b, .POST, "/api/v1/batches/B1/reports/\(i)/review", "{\"action\":\"provinceApprove\"}")
            },
        ]
    }

    static func allowed(_ kind: Kind, _ user: String, _ target: String) -> Bool {
        let table: [String: Set<String>] =
            switch kind {
            case .view: view
            case .fill: fill
            case .cityReview: cityReview
            case .provinceReview: provinceReview
            }
        return table[user]?.contains(target) ?? false
    }

    @Test("No read or write leaks: 23 institution routes × 10 accounts × 4 institutions; refused requests change nothing")
    func matrix() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let db = DB(app.db)
            // Hospital and Datong have submitted reports; the village a draft.
            let service = ReportService(db: db)
            for (user, code) in [("hospital", TestFixtures.hospital), ("datong", WebFixture.datong)] {
                let ctx = RequestContext(
                    principal: Principal(username: user, role: .institutionFiller, organisationCode: code), ip: nil, at: WebFixture.t0)
                _ = try await service.save(
                    try await service.scope("B1", ctx), institutionCode: code,
                    input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 5000)]))
                _ = try await service.attachLetter(
                    try await service.scope("B1", ctx), institutionCode: code, fileName: "l.pdf", data: pdf, signerName: "王", signerTitle: "院长")
                _ = try await service.submit(try await service.scope("B1", ctx), institutionCode: code)
            }
            let vctx = RequestContext(
                principal: Principal(username: "village", role: .institutionFiller, organisationCode: TestFixtures.village), ip: nil,
                at: WebFixture.t0)
            _ = try await service.save(
                try await service.scope("B1", vctx), institutionCode: TestFixtures.village,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 100)]))

            var browsers: [String: Browser] = [:]
            var tokens: [ObjectIdentifier: String] = [:]
            for u in AuthorizationTests.users {
                let b = Browser(app)
                let r = try await b.login(u)
                #expect(r.status == .seeOther, "\(u) logs in")
                try await b.get("/")
                browsers[u] = b
                let t = "jct_test_\(u)_0123456789"
                let id = try #require(try await UserStore(db).user(username: u)).id
                try await UserStore(db).addToken(
                    tokenHash: AccountService.secretHash(t), userID: id, label: "test", at: WebFixture.t0,
                    expires: WebFixture.t0.addingTimeInterval(90 * 86400))
                tokens[ObjectIdentifier(b)] = t
            }
            var checked = 0
            for route in AuthorizationTests.routes(token: { tokens[ObjectIdentifier($0)]! }) {
                for user in AuthorizationTests.users {
                    for (target, code) in AuthorizationTests.targets.sorted(by: { $0.key < $1.key }) {
                        let b = browsers[user]!
                        let before = try await snapshot(app)
                        let res = try await route.send(b, code)
                        checked += 1
                        if AuthorizationTests.allowed(route.kind, user, target) {
                            #expect(
                                ![.forbidden, .notFound, .unauthorized].contains(res.status),
                                "\(route.name) by \(user) on \(target) should be allowed: \(res.status)")
                        } else {
                            #expect(
                                [.forbidden, .notFound].contains(res.status),
                                "\(route.name) by \(user) on \(target) must be refused, got \(res.status)")
                            #expect(
                                !res.body.string.contains(code) || route.api == false && res.body.string.contains("/login"),
                                "\(route.name) by \(user) on \(target) must not echo the institution")
                            let after = try await snapshot(app)
                            #expect(before == after, "\(route.name) by \(user) on \(target) changed data")
                        }
                    }
                }
            }
            #expect(checked == 23 * 10 * 4)

            // The hospital's letter file: only those who may view the hospital get it.
            let fileID = try #require(try await reportStatus(app, TestFixtures.hospital)?.letterFileID)
            for user in AuthorizationTests.users {
                let res = try await browsers[user]!.get("/files/\(fileID)")
                #expect((res.status == .ok) == AuthorizationTests.allowed(.view, user, "hospital"), "file by \(user): \(res.status)")
            }

            // Region-wide and province pages.
            let regionWide: [(String, Set<String>)] = [
                ("/batches/B1/review", ["admin", "province", "city1401", "city1402"]),
                ("/batches/B1/review?region=1402", ["admin", "province", "city1402"]),
                ("/batches/B1/review.xlsx", ["admin", "province", "city1401", "city1402"]),
                ("/batches/B1/review.xlsx?region=1402", ["admin", "province", "city1402"]),
                ("/batches/B1/progress", ["admin", "province"]),
                ("/batches/B1/summary.xlsx", ["admin", "province"]),
                ("/batches/B1/summary/print", ["admin", "province"]),
                ("/admin/batches", ["admin"]),
                ("/admin/accounts", ["admin"]),
                ("/audit", ["admin", "province"]),
            ]
            for (path, allowed) in regionWide {
                for user in AuthorizationTests.users {
                    let res = try await browsers[user]!.get(path)
                    if allowed.contains(user) {
                        #expect(res.status == .ok, "\(path) by \(user): \(res.status)")
                    } else {
                        #expect(res.status == .forbidden, "\(path) by \(user): \(res.status)")
                    }
                }
            }
            let city = try await browsers["city1401"]!.get("/batches/B1/review")
            #expect(!city.body.string.contains(WebFixture.datong))
            let sheet = try await browsers["city1401"]!.get("/batches/B1/review.xlsx")
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID()).xlsx")
            try Data(buffer: sheet.body).write(to: url)
            var codes: [String] = []
            try TableReader.read(path: url.path, header: { _ in }, body: { row in if let c = row.text(0) { codes.append(c) } })
            #expect(
                Set(codes) == [TestFixtures.hospital, TestFixtures.township, TestFixtures.village],
                "the city's export holds its own institutions only")
            for user in AuthorizationTests.users where user != "admin" {
                let b = browsers[user]!
                let before = try await snapshot(app)
                for path in [
                    "/batches/B1/lock", "/admin/accounts/hospital/reset", "/admin/accounts/hospital/disable", "/admin/accounts/create-missing",
                ] {
                    let res = try await b.post(path, [])
                    #expect(res.status == .forbidden, "\(path) by \(user): \(res.status)")
                }
                for path in [
                    "/admin/accounts/hospital/enable", "/batches/B1/unlock", "/admin/batches/B1/history", "/admin/institutions",
                    "/admin/accounts/import", "/batches/B1/sealed", "/admin/batches",
                ] {
                    let res = try await b.upload(
                        path,
                        fields: [
                            ("code", "X1"), ("name", "x"), ("accountTestUntil", "2025-12-01T00:00"), ("fillingOpens", "2025-12-01T00:00"),
                            ("fillingCloses", "2026-12-01T00:00"), ("reviewDeadline", "2026-12-02T00:00"),
                        ],
                        file: ("file", "x.csv", "text/csv", Data(TestFixtures.catalogueCSV.utf8)))
                    #expect(res.status == .forbidden, "\(path) by \(user): \(res.status)")
                }
                #expect(try await b.get("/admin/jobs/anything").status == .forbidden)
                #expect(try await b.get("/admin/jobs/anything/credentials.csv").status == .forbidden)
                let res = try await b.post(
                    "/admin/batches/B1/window",
                    [
                        ("accountTestUntil", "2025-12-01T00:00"), ("fillingOpens", "2025-12-01T00:00"), ("fillingCloses", "2026-12-01T00:00"),
                        ("reviewDeadline", "2026-12-02T00:00"),
                    ])
                #expect(res.status == .forbidden)
                #expect(try await snapshot(app) == before, "admin actions by \(user) changed data")
            }
            // Every registered route is one of those above, or public, or the caller's own account.
            let covered: Set<String> = [
                "GET /batches/:batch/report/:inst", "GET /batches/:batch/report/:inst/audit", "GET /batches/:batch/report/:inst/form.xlsx",
                "POST /batches/:batch/report/:inst/save", "POST /batches/:batch/report/:inst/submit", "POST /batches/:batch/report/:inst/letter",
                "POST /batches/:batch/report/:inst/evidence", "POST /batches/:batch/report/:inst/upload", "POST /batches/:batch/report/:inst/review",
                "POST /batches/:batch/report/:inst/correct", "GET /api/v1/batches/:batch/reports/:inst", "PUT /api/v1/batches/:batch/reports/:inst",
                "GET /api/v1/batches/:batch/reports/:inst/audit", "POST /api/v1/batches/:batch/reports/:inst/letter",
                "POST /api/v1/batches/:batch/reports/:inst/check", "POST /api/v1/batches/:batch/reports/:inst/what-if",
                "POST /api/v1/batches/:batch/reports/:inst/submit",
                "POST /api/v1/batches/:batch/reports/:inst/review", "POST /api/v1/batches/:batch/reports/:inst/evidence",
                "POST /api/v1/batches/:batch/reports/:inst/correct", "POST /api/v1/batches/:batch/lock", "GET /files/:id",
                "GET /batches/:batch/review", "GET /batches/:batch/review.xlsx", "GET /batches/:batch/progress",
                "GET /batches/:batch/summary.xlsx", "GET /batches/:batch/summary/print", "GET /admin/batches", "GET /admin/accounts", "GET /audit",
                "POST /batches/:batch/lock", "POST /batches/:batch/unlock", "POST /batches/:batch/sealed", "POST /admin/accounts/:user/reset",
                "POST /admin/accounts/:user/disable", "POST /admin/accounts/:user/enable", "POST /admin/accounts/create-missing",
                "POST /admin/accounts/import", "POST /admin/batches/:batch/window", "POST /admin/batches/:batch/history", "POST /admin/institutions",
                "POST /admin/batches", "GET /admin/jobs/:id", "GET /admin/jobs/:id/credentials.csv", "GET /api/v1/batches/:batch/statuses",
                // The award stage's routes, each under every role in AwardWebTests.matrix.
                "GET /batches/:batch/award", "POST /batches/:batch/award/results", "POST /batches/:batch/award/compute",
                "POST /batches/:batch/award/publish", "POST /batches/:batch/award/send", "POST /batches/:batch/award/distributors",
                "POST /batches/:batch/award/distributors/remove", "GET /batches/:batch/award/volumes", "GET /batches/:batch/award/volumes.xlsx",
                "GET /batches/:batch/award/agreements", "GET /batches/:batch/award/ocds.json", "GET /batches/:batch/award/agreements/:agreement",
                "POST /batches/:batch/award/agreements/:agreement/sign", "POST /batches/:batch/award/agreements/sign-all",
                "POST /api/v1/batches/:batch/award/sign-all", "GET /api/v1/batches/:batch/award",
                "GET /api/v1/batches/:batch/award/volumes",
                "GET /api/v1/batches/:batch/award/agreements", "POST /api/v1/batches/:batch/award/agreements/:agreement/sign",
                "GET /batches/:batch/award/prices", "POST /batches/:batch/award/listings", "POST /batches/:batch/award/renew",
                "POST /batches/:batch/award/adjust", "GET /batches/:batch/award/gaps", "GET /batches/:batch/award/gaps.xlsx",
                "POST /batches/:batch/award/policy", "GET /api/v1/batches/:batch/award/gaps", "POST /api/v1/batches/:batch/award/policy",
                "POST /api/v1/batches/:batch/award/compute", "POST /api/v1/batches/:batch/award/publish", "POST /api/v1/batches/:batch/award/send",
                "POST /api/v1/batches/:batch/award/renew", "POST /api/v1/batches/:batch/award/adjust",
                "GET /api/v1/batches/:batch/award/prices",
                // The monitoring stage's routes, each under every role in MonitorWebTests.matrix.
                "GET /batches/:batch/monitor", "GET /batches/:batch/monitor/dashboard.xlsx", "GET /batches/:batch/monitor/alerts",
                "POST /batches/:batch/monitor/alerts/acknowledge", "POST /batches/:batch/monitor/alerts/resolve",
                "POST /batches/:batch/monitor/alerts/bulk",
                "POST /batches/:batch/monitor/recompute",
                "POST /batches/:batch/monitor/purchases", "POST /batches/:batch/monitor/usage", "GET /batches/:batch/monitor/report",
                "GET /batches/:batch/monitor/report.xlsx", "GET /batches/:batch/monitor/review", "GET /batches/:batch/monitor/city-report",
                "POST /batches/:batch/monitor/city-report/save", "POST /batches/:batch/monitor/supply-problems", "GET /api/v1/batches/:batch/monitor",
                "GET /api/v1/batches/:batch/monitor/alerts",
                "POST /api/v1/batches/:batch/monitor/alerts/:alert/acknowledge", "POST /api/v1/batches/:batch/monitor/alerts/:alert/resolve",
                "POST /api/v1/batches/:batch/monitor/recompute", "GET /api/v1/batches/:batch/monitor/supply-problems",
                "POST /api/v1/batches/:batch/monitor/supply-problems",
                // The supply stage's routes, each under every role in SupplyWebTests.matrix.
                "GET /batches/:batch/supply", "GET /batches/:batch/supply/new", "POST /batches/:batch/supply/orders",
                "GET /batches/:batch/supply/payables", "GET /batches/:batch/supply/orders/:order",
                "POST /batches/:batch/supply/orders/:order/confirm",
                "POST /batches/:batch/supply/orders/:order/withdraw", "POST /batches/:batch/supply/orders/:order/close",
                "POST /batches/:batch/supply/orders/:order/ship", "POST /batches/:batch/supply/deliveries/:delivery/accept",
                "POST /batches/:batch/supply/deliveries/:delivery/invoice", "POST /batches/:batch/supply/deliveries/:delivery/pay",
                "GET /batches/:batch/supply/deliveries/:delivery/codes",
                // Tickets, credit records, settlement runs and prepayments, each under every role in SupplyWebTests.oversightMatrix.
                "GET /batches/:batch/supply/tickets", "POST /batches/:batch/supply/tickets", "GET /batches/:batch/supply/tickets/:ticket",
                "POST /batches/:batch/supply/tickets/:ticket/answer", "POST /batches/:batch/supply/tickets/:ticket/decide",
                "GET /batches/:batch/supply/credit", "GET /batches/:batch/supply/settlements", "POST /batches/:batch/supply/settlements",
                "GET /batches/:batch/supply/settlements/:settlement", "POST /batches/:batch/supply/settlements/:settlement/approve",
                "GET /batches/:batch/supply/settlements/:settlement/statement.xlsx", "GET /batches/:batch/supply/prepayments",
                "POST /batches/:batch/supply/prepayments/pay", "POST /batches/:batch/supply/prepayments/recover",
                "GET /batches/:batch/supply/trace-codes", "POST /batches/:batch/supply/trace-codes",
                // The supply files, each under every role in SupplyWebTests.uploads.
                "POST /batches/:batch/supply/orders/import", "POST /batches/:batch/supply/payables/import",
                "POST /batches/:batch/supply/trace-codes/import", "GET /batches/:batch/supply/product-parts",
                "POST /batches/:batch/supply/product-parts",
                // …and over the API, each under every role in SupplyWebTests.apiMatrix.
                "GET /api/v1/batches/:batch/supply/orders", "POST /api/v1/batches/:batch/supply/orders",
                "GET /api/v1/batches/:batch/supply/orders/:order", "POST /api/v1/batches/:batch/supply/orders/:order/confirm",
                "POST /api/v1/batches/:batch/supply/orders/:order/withdraw", "POST /api/v1/batches/:batch/supply/orders/:order/close",
                "POST /api/v1/batches/:batch/supply/orders/:order/ship", "POST /api/v1/batches/:batch/supply/deliveries/:delivery/accept",
                "POST /api/v1/batches/:batch/supply/deliveries/:delivery/invoice", "POST /api/v1/batches/:batch/supply/deliveries/:delivery/pay",
                "GET /api/v1/batches/:batch/supply/deliveries/:delivery/codes", "GET /api/v1/batches/:batch/supply/payables",
                "GET /api/v1/batches/:batch/supply/tickets", "POST /api/v1/batches/:batch/supply/tickets",
                "GET /api/v1/batches/:batch/supply/tickets/:ticket", "POST /api/v1/batches/:batch/supply/tickets/:ticket/answer",
                "POST /api/v1/batches/:batch/supply/tickets/:ticket/decide", "GET /api/v1/batches/:batch/supply/settlements",
                "POST /api/v1/batches/:batch/supply/settlements", "GET /api/v1/batches/:batch/supply/settlements/:settlement",
                "POST /api/v1/batches/:batch/supply/settlements/:settlement/approve", "GET /api/v1/batches/:batch/supply/prepayments",
                "POST /api/v1/batches/:batch/supply/prepayments/pay", "POST /api/v1/batches/:batch/supply/prepayments/recover",
                "GET /api/v1/batches/:batch/supply/credit", "GET /api/v1/batches/:batch/supply/trace-codes",
                "POST /api/v1/batches/:batch/supply/trace-codes", "GET /api/v1/batches/:batch/supply/product-parts",
                "POST /api/v1/batches/:batch/supply/product-parts",
                // Assessment (管), each under every role in AssessmentWebTests.matrix, pages and API.
                "GET /batches/:batch/assessment", "GET /batches/:batch/assessment/sheet", "GET /batches/:batch/assessment/results.xlsx",
                "GET /batches/:batch/assessment/payments.xlsx", "POST /batches/:batch/assessment/run", "POST /batches/:batch/assessment/exemptions",
                "POST /batches/:batch/assessment/exemptions/remove", "POST /batches/:batch/assessment/prices",
                "POST /batches/:batch/assessment/prices/remove", "POST /batches/:batch/assessment/disease-groups",
                "POST /batches/:batch/assessment/approve", "POST /batches/:batch/assessment/appeals",
                "POST /batches/:batch/assessment/appeals/review",
                "POST /batches/:batch/assessment/appeals/decide", "GET /api/v1/batches/:batch/assessment",
                "GET /api/v1/batches/:batch/assessment/institutions/:inst", "POST /api/v1/batches/:batch/assessment/run",
                "POST /api/v1/batches/:batch/assessment/approve", "GET /api/v1/batches/:batch/assessment/appeals",
                "POST /api/v1/batches/:batch/assessment/appeals", "POST /api/v1/batches/:batch/assessment/appeals/:appeal/review",
                "POST /api/v1/batches/:batch/assessment/appeals/:appeal/decide", "POST /batches/:batch/assessment/leads",
                "GET /api/v1/batches/:batch/assessment/leads", "GET /api/v1/batches/:batch/assessment/report",
                "GET /batches/:batch/assessment/report", "POST /api/v1/batches/:batch/assessment/leads/:lead",
                "GET /batches/:batch/assessment/simulate",
            ]
            let ownOrPublic: Set<String> = [
                "GET /", "GET /login", "POST /login", "POST /logout", "GET /password", "POST /password", "GET /lang/:lang", "GET /static/app.css",
                "GET /static/app.js", "GET /health", "GET /openapi.json", "GET /api/v1/me", "POST /api/v1/tokens", "GET /batches/:batch",
                // The user's own API tokens (SecurityTests: list, create, revoke, end with password changes).
                "GET /tokens", "POST /tokens", "POST /tokens/:id/revoke", "GET /api/v1/tokens", "DELETE /api/v1/tokens/:id",
                // The province's read-only API under the deployment's own token (JICAI_API_TOKEN), tested in AppTests.
                "GET /status", "GET /api/batches", "GET /api/batches/:batch/cities", "GET /api/batches/:batch/institutions",
                "GET /api/batches/:batch/findings",
                // The scraper's endpoint: configured addresses or the metrics token only (OperationsTests).
                "GET /metrics",
            ]
            let registered = Set(app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(
                registered.subtracting(covered).subtracting(ownOrPublic).isEmpty,
                "unclassified routes: \(registered.subtracting(covered).subtracting(ownOrPublic).sorted())")
            #expect(covered.subtracting(registered).isEmpty, "stale entries: \(covered.subtracting(registered).sorted())")
            // The API lock: the province admin only.
            for user in AuthorizationTests.users {
                let t = tokens[ObjectIdentifier(browsers[user]!)]!
                let before = try await snapshot(app)
                let res = try await app.testing().sendRequest(
                    .POST, "/api/v1/batches/B1/lock", headers: ["Authorization": "Bearer \(t)", "Content-Type": "application/json"],
                    body: ByteBuffer(string: "{\"locked\":true}"))
                if user == "admin" {
                    #expect(res.status == .ok)
                    _ = try await app.testing().sendRequest(
                        .POST, "/api/v1/batches/B1/lock", headers: ["Authorization": "Bearer \(t)", "Content-Type": "application/json"],
                        body: ByteBuffer(string: "{\"locked\":false}"))
                } else {
                    #expect(res.status == .forbidden, "API lock by \(user): \(res.status)")
                    #expect(try await snapshot(app) == before)
                }
            }
            // API listing: the city's own region only.
            let cityToken = tokens[ObjectIdentifier(browsers["city1401"]!)]!
            let own = try await app.testing().sendRequest(.GET, "/api/v1/batches/B1/statuses", headers: ["Authorization": "Bearer \(cityToken)"])
            #expect(own.status == .ok && own.body.string.contains(TestFixtures.hospital) && !own.body.string.contains(WebFixture.datong))
            let other = try await app.testing().sendRequest(
                .GET, "/api/v1/batches/B1/statuses?region=1402", headers: ["Authorization": "Bearer \(cityToken)"])
            #expect(other.status == .forbidden)
            let none = try await app.testing().sendRequest(.GET, "/api/v1/batches/B1/reports/\(TestFixtures.hospital)")
            #expect(none.status == .unauthorized)
            let anonymous = try await app.testing().sendRequest(.GET, "/batches/B1/report/\(TestFixtures.hospital)")
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test("Window edges over the API, a second before and after: filling opens, closes, review deadline (002 §4; 000 §4)")
    func windowEdges() async throws {
        let w = WebFixture.window
        let clock = TestClock(w.fillingOpens.addingTimeInterval(-1))
        try await withWeb(clock: clock) { app in
            let db = DB(app.db)
            func token(_ user: String) async throws -> String {
                let t = "jct_edge_\(user)_0123456789"
                let id = try #require(try await UserStore(db).user(username: user)).id
                try await UserStore(db).addToken(
                    tokenHash: AccountService.secretHash(t), userID: id, label: "t", at: w.fillingOpens,
                    expires: w.fillingOpens.addingTimeInterval(90 * 86400))
                return t
            }
            let hospital = try await token("hospital")
            let datong = try await token("datong")
            let city = try await token("city1401")
            func call(_ t: String, _ method: HTTPMethod, _ path: String, _ json: String? = nil) async throws -> TestingHTTPResponse {
                var h: HTTPHeaders = ["Authorization": "Bearer \(t)"]
                if json != nil { h.add(name: .contentType, value: "application/json") }
                return try await app.testing().sendRequest(method, path, headers: h, body: json.map { ByteBuffer(string: $0) })
            }
            let draft = "{\"lines\":[{\"specCode\":\"S021\",\"quantity\":1200}],\"explanations\":{},\"exclusions\":{}}"
            let letter = "{\"fileName\":\"l.pdf\",\"contentBase64\":\"\(pdf.base64EncodedString())\",\"signerName\":\"王\",\"signerTitle\":\"党委书记\"}"
            let h = "/api/v1/batches/B1/reports/\(TestFixtures.hospital)"
            let d = "/api/v1/batches/B1/reports/\(WebFixture.datong)"

            var r = try await call(hospital, .PUT, h, draft)
            #expect(r.status == .conflict && r.body.string.contains("WINDOW_NOT_OPEN"))
            #expect(try await reportStatus(app, TestFixtures.hospital) == nil, "refused before the window: nothing written")
            clock.set(w.fillingOpens)
            r = try await call(hospital, .PUT, h, draft)
            #expect(r.status == .ok)
            r = try await call(hospital, .POST, h + "/letter", letter)
            #expect(r.status == .ok)
            r = try await call(datong, .PUT, d, draft)
            #expect(r.status == .ok)

            clock.set(w.fillingCloses.addingTimeInterval(-1))
            r = try await call(hospital, .POST, h + "/submit")
            #expect(r.status == .ok && r.body.string.contains("\"submitted\""))
            clock.set(w.fillingCloses)
            r = try await call(datong, .PUT, d, draft)
            #expect(r.status == .conflict && r.body.string.contains("WINDOW_CLOSED"), "no late data (000 §4)")
            clock.set(w.fillingCloses.addingTimeInterval(1))
            r = try await call(datong, .POST, d + "/submit")
            #expect(r.status == .conflict)
            #expect(try await reportStatus(app, WebFixture.datong)?.status == .draft)

            clock.set(w.reviewDeadline)
            r = try await call(city, .POST, h + "/review", "{\"action\":\"cityApprove\"}")
            #expect(r.status == .conflict && r.body.string.contains("REVIEW_CLOSED"))
            #expect(try await reportStatus(app, TestFixtures.hospital)?.status == .submitted)
            clock.set(w.reviewDeadline.addingTimeInterval(-1))
            r = try await call(city, .POST, h + "/review", "{\"action\":\"cityApprove\"}")
            #expect(r.status == .ok && r.body.string.contains("\"cityApproved\""))

            // The OpenAPI document is served and names every API path.
            let doc = try await app.testing().sendRequest(.GET, "/openapi.json")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: doc.body)) as? [String: Any]
            let paths = (json?["paths"] as? [String: Any])?.keys.sorted() ?? []
            #expect(paths.contains("/api/v1/batches/{batch}/reports/{inst}/submit"))
            #expect(paths.count == 67)
            #expect(paths.contains("/api/v1/tokens/{id}"))
        }
    }
}
