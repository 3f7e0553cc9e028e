import Foundation
import JicaiCore
import JicaiTestSupport
import Testing
import Vapor
import VaporTesting

@testable import JicaiWeb

/// The route fuzzer of #25 (docs/security.md): every GET route the application registers, under accounts of each
/// kind, with boundary and hostile query values, answers 200, a redirect or a 4xx — never a 5xx, and never a dead
/// process (a trap in a handler would end this test run).
@Suite("Route fuzzer: every GET route, each role, boundary query values", .serialized)
struct RouteFuzzTests {
    /// Years 0, 1, 999, 1899, 2200 and 9999, months 0 and 13, half-years out of the range, 17-digit numbers, the
    /// seven inputs of #25, and text no handler expects.
    static let values = [
        "0000-01", "0001-01-01", "0999-01-01", "+999-01-01", "1899-12", "1900-01", "2000H1", "1999H2", "2200H3", "2200-01-01",
        "9999-12-31", "3000-01-01", "2026-00", "2026-13", "2026-02-30", "99999999999999999", "-1", "0", "9223372036854775808", "1e308",
        "%00", "' OR 1=1 --", "<script>x</script>", String(repeating: "字", count: 600), "2026-06", "2026H1",
    ]
    static let keys = [
        "through", "from", "period", "asOf", "as_of", "page", "size", "region", "month", "institution", "unit", "rows", "history",
        "city", "status", "sort", "order", "q", "spec", "variety", "code", "year", "day", "date", "view", "scope", "filter", "lang",
    ]
    static let roles = ["admin", "city1401", "hospital"]
    /// The keys tried one at a time on the monitoring pages (those that read months, periods and pages).
    static let singleKeys = ["through", "from", "period", "asOf", "page", "size", "region", "institution", "unit"]

    static func path(of route: Route) -> String {
        "/"
            + route.path.map { component -> String in
                switch component {
                case .constant(let text): text
                case .parameter("batch"): "B1"
                case .parameter("inst"): TestFixtures.hospital
                case .parameter: "1"
                case .anything, .catchall: "x"
                }
            }.joined(separator: "/")
    }

    @Test("Every GET route answers below 500 to boundary query values, for every role (#25 items 1, 2 and 6)")
    func everyGetRoute() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            // Thousands of refused requests: their warnings would fill the test output.
            app.logger.logLevel = .critical
            let routes = app.routes.all.filter { $0.method == .GET }.map(Self.path).filter { !$0.hasPrefix("/logout") }
            #expect(routes.count > 40, "the application's GET routes: \(routes.count)")
            var failures: [String] = []
            var sent = 0
            for role in Self.roles {
                let browser = Browser(app)
                _ = try await browser.login(role)
                for route in routes {
                    for value in Self.values {
                        let query = Self.keys.map { "\($0)=\(Browser.encode(value))" }.joined(separator: "&")
                        let response = try await browser.get("\(route)?\(query)")
                        sent += 1
                        if response.status.code >= 500 { failures.append("\(role) \(route) \(value.prefix(20)): \(response.status.code)") }
                    }
                }
                // One key at a time, on the pages that read months and periods.
                for route in routes where route.contains("/monitor") {
                    for key in Self.singleKeys {
                        for value in Self.values.prefix(16) {
                            let response = try await browser.get("\(route)?\(key)=\(Browser.encode(value))")
                            sent += 1
                            if response.status.code >= 500 { failures.append("\(role) \(route) \(key)=\(value): \(response.status.code)") }
                        }
                    }
                }
            }
            print("route fuzzer: \(routes.count) GET routes, \(Self.roles.count) roles, \(sent) requests, \(failures.count) at 500 or above")
            #expect(failures.isEmpty, "\(failures.prefix(20))")
            #expect(try await Browser(app).get("/health").status == .ok, "the server still answers after \(sent) requests")
        }
    }

    @Test("The two GETs that killed the server: the review before 1900 and the city report of 2000H1 (#25 items 1, 2)")
    func theTwoGets() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            for role in ["hospital", "city1401", "admin"] {
                let browser = Browser(app)
                _ = try await browser.login(role)
                let review = try await browser.get("/batches/B1/monitor/review?through=1900-01")
                #expect(review.status == (role == "hospital" ? .forbidden : .badRequest), "\(role): \(review.status)")
            }
            let city = Browser(app)
            _ = try await city.login("city1401")
            let page = try await city.get("/batches/B1/monitor/city-report?period=2000H1")
            #expect(page.status == .ok && page.body.string.contains("2000年上半年") && !page.body.string.contains("上一期"))
            let saved = try await city.post("/batches/B1/monitor/city-report/save", [("period", "2000H1"), ("measures", "草稿")])
            #expect(saved.status == .seeOther)
            let back = try await city.get(try #require(saved.location))
            #expect(back.status == .ok)
            #expect(try await city.get("/batches/B1/monitor/city-report?period=1999H2").status == .badRequest)
        }
    }

    @Test("A recompute as of 3000-01-01, 0999-01-01 or +999-01-01 is refused on the page and the API and changes nothing (#25 item 6)")
    func recomputeOutOfRange() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await MonitorWebFixture.load(app)
            let before = try await MonitorWebFixture.state(app)
            let admin = try await APIClient(app, user: "admin")
            for text in ["3000-01-01", "0999-01-01", "+999-01-01", "2200-01-01", "1999-12-31"] {
                let api = try await admin.browser.send(
                    .POST, "/api/v1/batches/B1/monitor/recompute", body: ByteBuffer(string: #"{"asOf":"\#(text)"}"#),
                    contentType: "application/json", headers: [("X-CSRF-Token", admin.csrf)])
                #expect(api.status == .badRequest && api.body.string.contains("BAD_DATE"), "\(text): \(api.status)")
                let page = Browser(app)
                _ = try await page.login("admin")
                try await page.get("/batches/B1/monitor")
                let posted = try await page.post("/batches/B1/monitor/recompute", [("asOf", text)])
                #expect(posted.status.code < 500 && page.flash?.isEmpty == false, "\(text): \(posted.status)")
            }
            #expect(try await MonitorWebFixture.state(app) == before, "nothing was recomputed")
        }
    }
}
