import Foundation
import JicaiApp
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Logging
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices

/// What operations staff rely on during the window: `/metrics`, request ids, JSON logs, paged lists.
@Suite("Operations: metrics, request ids, logs and paged pages")
struct OperationsTests {
    static func scrape(_ app: Application) async throws -> String {
        let r = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(metricsToken)"])
        #expect(r.status == .ok)
        #expect(r.headers.contentType?.description.hasPrefix("text/plain") == true)
        return r.body.string
    }

    /// The value of one sample line (`name{labels} value`), summed over the lines that contain every fragment.
    static func sample(_ text: String, _ name: String, _ fragments: String...) -> Double {
        text.split(separator: "\n").filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .filter { line in fragments.allSatisfy { line.contains($0) } }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    @Test("/metrics answers the metrics token (or a configured address) and no one else; requests, queries, log-ins and saves are counted")
    func metrics() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            // In the in-memory tester there is no client address: only the token opens it.
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound)
            #expect(
                try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer wrong-token-0123456789abcd"]).status
                    == .notFound)
            let before = try await Self.scrape(app)
            let bad = Browser(app)
            _ = try await bad.login("hospital", "wrong password")
            let h = Browser(app)
            _ = try await h.login("hospital")
            let form = "/batches/B1/report/\(TestFixtures.hospital)"
            try await h.get(form)
            try await h.post(form + "/save", [("quantity[S021]", "900")])
            let after = try await Self.scrape(app)
            #expect(
                Self.sample(after, "jicai_logins_total", "outcome=\"bad_credentials\"") >= Self.sample(
                    before, "jicai_logins_total", "outcome=\"bad_credentials\"") + 1)
            #expect(Self.sample(after, "jicai_logins_total", "outcome=\"ok\"") >= Self.sample(before, "jicai_logins_total", "outcome=\"ok\"") + 1)
            #expect(
                Self.sample(after, "jicai_report_changes_total", "action=\"save\"") >= Self.sample(
                    before, "jicai_report_changes_total", "action=\"save\"") + 1)
            #expect(
                Self.sample(after, "http_requests_total", "path=\"/batches/:batch/report/:inst\"", "status=\"200\"") >= 1,
                "requests are counted by route pattern, not by path")
            #expect(after.contains("http_request_duration_seconds_bucket{"), "request latency is a histogram")
            #expect(
                Self.sample(after, "jicai_db_queries_total", "engine=\"sqlite\"") > Self.sample(before, "jicai_db_queries_total", "engine=\"sqlite\"")
            )
            #expect(after.contains("jicai_db_query_duration_seconds_bucket{"))
            #expect(Self.sample(after, "jicai_sessions_active") >= 1)
            #expect(Self.sample(after, "jicai_catalogue_cache_lookups_total", "result=\"hit\"") >= 1)
            #expect(!after.contains(TestFixtures.hospital), "no institution code becomes a label")
        }
    }

    @Test("Every response carries a request id: a proxy's plain id is kept, anything else replaced")
    func requestIDs() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let fresh = try await app.testing().sendRequest(.GET, "/health")
            let id = try #require(fresh.headers.first(name: "X-Request-Id"))
            #expect(UUID(uuidString: id) != nil)
            let kept = try await app.testing().sendRequest(.GET, "/health", headers: ["X-Request-Id": "proxy-1234.abc_9"])
            #expect(kept.headers.first(name: "X-Request-Id") == "proxy-1234.abc_9")
            for hostile in [String(repeating: "a", count: 65), "a b", "id\u{7}bell", "标识"] {
                let r = try await app.testing().sendRequest(.GET, "/nothing-here", headers: ["X-Request-Id": hostile])
                #expect(r.status == .notFound)
                #expect(r.headers.first(name: "X-Request-Id").flatMap(UUID.init(uuidString:)) != nil, "\(hostile) is replaced")
            }
        }
    }

    @Test("JSON logs: one object a line with level, message and the metadata (the request id among it)")
    func jsonLogs() throws {
        final class Lines: @unchecked Sendable {
            let lock = NSLock()
            var all: [String] = []
        }
        let lines = Lines()
        var logger = Logger(label: "jicai.test") { label in
            JSONLogHandler(label: label, level: .info) { line in lines.lock.withLock { lines.all.append(line) } }
        }
        logger[metadataKey: "request-id"] = "r-1"
        logger.debug("not written")
        logger.info("保存报量 \"quoted\"\nnext line", metadata: ["institution": "x"])
        #expect(lines.all.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info" && object["logger"] as? String == "jicai.test")
        #expect(object["message"] as? String == "保存报量 \"quoted\"\nnext line")
        #expect(object["request-id"] as? String == "r-1" && object["institution"] as? String == "x")
        #expect(!lines.all[0].contains("\n"), "one line per entry")
    }

    @Test("The review list, accounts and audit log pages are paged and ordered on the server; the statuses API pages with headers")
    func pagedPages() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let province = Browser(app)
            _ = try await province.login("admin")
            var r = try await province.get("/batches/B1/review?size=20&sort=blocking&dir=desc")
            #expect(r.status == .ok)
            #expect(r.body.string.contains("id=\"institutions-pager\"") && r.body.string.contains("id=\"missing-pager\""))
            #expect(r.body.string.contains("data-sort=\"blocking\"") && r.body.string.contains("▼"), "the active order is marked")
            r = try await province.get("/batches/B1/review?search=\(Browser.encode("大同"))")
            #expect(
                r.body.string.contains(WebFixture.datong) && !r.body.string.contains("/report/\(TestFixtures.hospital)\""),
                "the search narrows the list")
            r = try await province.get("/batches/B1/review?size=1")
            #expect(r.body.string.contains("rel=\"next\""), "one row a page: a next page")
            r = try await province.get("/admin/accounts?size=20&role=cityReviewer")
            #expect(r.status == .ok && r.body.string.contains("city1401") && !r.body.string.contains(">hospital<"))
            r = try await province.get("/audit?action=login&size=20")
            #expect(r.status == .ok && r.body.string.contains("id=\"audit-pager\""))
            #expect(!r.body.string.contains(">login-failed<"))

            // The statuses API: pages in code order, the total in X-Total-Count, the next page in Link.
            let api = try await province.send(.GET, "/api/v1/batches/B1/statuses?size=2", headers: [("X-CSRF-Token", province.csrf)])
            #expect(api.status == .ok)
            let total = try #require(api.headers.first(name: "X-Total-Count").flatMap { Int($0) })
            #expect(total >= 4)
            #expect(api.headers.first(name: .link)?.contains("page=2") == true)
            let rows = try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as? [[String: Any]]
            #expect(rows?.count == 2)
        }
    }
}

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("Shutting down waits for a running import to finish before the database closes")
    func drainsJobs() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/admin/batches")
            // Enough rows that the import is still running when the shutdown begins: 30,000 new village clinics.
            var csv = "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码\n"
            for i in 0..<30_000 {
                csv += "\(TestFixtures.code("12140105MB" + String(format: "%07d", 100_000 + i))),村卫生室\(i),医疗机构,村卫生室,民营,0,140105,\n"
            }
            let r = try await admin.upload("/admin/institutions", fields: [], file: ("file", "orgs.csv", "text/csv", Data(csv.utf8)))
            let job = try #require(r.location)
            let early = try await admin.get(job)
            // What shutting down (SIGTERM) does once the server has stopped taking requests.
            #expect(await app.drainBackgroundJobs(seconds: 120) == 0)
            let page = try await admin.get(job)
            #expect(page.body.string.contains("id=\"job-done\""), "the import had ended when the shutdown step returned")
            #expect(try await AccountStore(DB(app.db)).organisationCount() > 30_000)
            if early.body.string.contains("id=\"job-done\"") { Issue.record("the import ended before the drain began: make the file larger") }
        }
    }
}

@Suite("The province's machine API pages its long lists")
struct LegacyAPIPagingTests {
    @Test("Institutions and findings come a page at a time with X-Total-Count and a Link to the next page; the pages add up to the whole")
    func pages() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            _ = try await CheckService(db: DB(app.db), now: { WebFixture.t0 }).run(batchCode: "B1", actor: .cli)
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            for list in ["institutions", "findings"] {
                let whole = try await app.testing().sendRequest(.GET, "/api/batches/B1/\(list)", headers: auth)
                #expect(whole.status == .ok)
                let total = try #require(whole.headers.first(name: "X-Total-Count").flatMap { Int($0) })
                let all = try #require(try JSONSerialization.jsonObject(with: Data(whole.body.string.utf8)) as? [Any])
                #expect(all.count == total && total >= 2, "\(list): the default page holds a small province whole")
                var seen = 0
                var path: String? = "/api/batches/B1/\(list)?size=1"
                while let next = path {
                    let r = try await app.testing().sendRequest(.GET, next, headers: auth)
                    let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.body.string.utf8)) as? [Any])
                    #expect(rows.count == 1)
                    seen += rows.count
                    let link: String? = r.headers.first(name: "Link")
                    path = nil
                    if let link, let start = link.range(of: "<")?.upperBound, let end = link.range(of: ">")?.lowerBound {
                        path = String(link[start..<end])
                    }
                }
                #expect(seen == total, "\(list): following Link visits every row once")
            }
        }
    }
}
