import Foundation
import JicaiApp
import JicaiCore
import JicaiFuzzTargets
import JicaiInterchange
import JicaiPersistence
import JicaiTestSupport
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices
@testable import JicaiWeb

/// A minimal XLSX around a sheet's XML.
func workbook(_ sheetRows: String) throws -> Data {
    let xml = """
        <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(sheetRows)</sheetData></worksheet>
        """
    return try #require(FuzzTarget.workbook(sheet: Data(xml.utf8), sharedStrings: nil))
}

func userRow(_ app: Application, _ name: String) async throws -> StoredUser {
    try #require(try await UserStore(DB(app.db)).user(username: name))
}

@Suite("Security review rows 1–16: each one reproduced over HTTP and refused")
struct SecurityTests {
    let form = "/batches/B1/report/\(TestFixtures.hospital)"

    @Test("Row 1: an offline upload with a 14-letter cell reference is a clear error; the server goes on serving")
    func cellReference() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            try await h.get(form)
            let bad = try workbook(
                #"<row r="1"><c r="A1" t="inlineStr"><is><t>机构编码</t></is></c></row><row r="2"><c r="ZZZZZZZZZZZZZZ2"><v>1</v></c></row>"#)
            let res = try await h.upload(form + "/upload", fields: [], file: ("file", "f.xlsx", "application/octet-stream", bad))
            #expect(res.status == .seeOther)
            #expect(h.flash?.contains("ZZZZZZZZZZZZZZ2") == true)
            #expect(try await app.testing().sendRequest(.GET, "/health").status == .ok)
        }
    }

    @Test(
        "Rows 2 and 9: a quantity of 5×10¹⁸ is refused by the API, the form and the correction; the summary still answers",
        arguments: TestDatabases.engines)
    func hugeQuantities(engine: String) async throws {
        try await withWeb(engine: engine, clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            let csrf = try await h.apiCSRF()
            var res: TestingHTTPResponse
            // S012 (0.5 g) is shown in S011 (0.25 g): 5×10¹⁸ doubled overflowed Int64 before.
            let body = #"{"lines":[{"specCode":"S012","quantity":5000000000000000000}],"explanations":{},"exclusions":{}}"#
            for path in ["/api/v1/batches/B1/reports/\(TestFixtures.hospital)/check", "/api/v1/batches/B1/reports/\(TestFixtures.hospital)"] {
                res = try await h.send(
                    path.hasSuffix("check") ? .POST : .PUT, path, body: ByteBuffer(string: body), contentType: "application/json",
                    headers: [("X-CSRF-Token", csrf)])
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("QUANTITY_TOO_LARGE"))
            }
            try await h.get(form)
            res = try await h.post(form + "/save", [("quantity[S012]", "5000000000000000000")])
            #expect(h.flash?.contains("上限") == true)
            #expect(try await reportStatus(app, TestFixtures.hospital) == nil, "a refused save changes nothing")
            try await h.get(form)
            res = try await h.post(form + "/save", [("quantity[S012]", "99999999999999999999999999")])
            #expect(h.flash?.contains("上限") == true, "beyond Int64 reads as too large")
            // The province summary (a database SUM over every report) answers.
            let admin = Browser(app)
            _ = try await admin.login("admin")
            #expect(try await admin.get("/batches/B1/summary.xlsx").status == .ok)
            #expect(try await admin.get("/batches/B1/summary/print").status == .ok)
        }
    }

    @Test("Row 3: CR/LF from a decoded Referer or path never reaches a header")
    func headerInjection() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let res = try await app.testing().sendRequest(
                .GET, "/lang/en", headers: ["Referer": "http://h/x%0d%0aSet-Cookie:%20jicai_session=attacker"])
            #expect(res.status == .seeOther)
            #expect(res.headers.first(name: .location) == "/")
            #expect(!res.headers[.setCookie].contains { $0.contains("attacker") })
            // Before log-in, a page redirects to the log-in with the path as `next`, encoded.
            let r2 = try await Browser(app).get("/batches/B1%0d%0aSet-Cookie:%20x=1")
            let location = try #require(r2.location)
            #expect(location.hasPrefix("/login?next="))
            #expect(!location.contains("\r") && !location.contains("\n"))
            #expect(!r2.headers[.setCookie].contains { $0.hasPrefix("x=") })
            // Signed in, the decoded batch code is no batch: 404, and nothing of it in a header.
            let h = Browser(app)
            _ = try await h.login("hospital")
            let r3 = try await h.get("/batches/B1%0d%0aSet-Cookie:%20x=1")
            #expect(r3.status == .notFound)
            #expect(!r3.headers[.setCookie].contains { $0.hasPrefix("x=") })
        }
    }

    @Test("Row 4: a workbook that inflates to gigabytes is refused after a bounded amount of work")
    func inflationBomb() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            try await h.get(form)
            // 64 MB of one cell's text (compresses about 1000:1).
            let bomb = try workbook(#"<row r="1"><c r="A1" t="inlineStr"><is><t>"# + String(repeating: "A", count: 64 << 20) + "</t></is></c></row>")
            #expect(bomb.count < 1 << 20)
            let started = Date()
            try await h.upload(form + "/upload", fields: [], file: ("file", "bomb.xlsx", "application/octet-stream", bomb))
            #expect(h.flash?.contains("MB") == true)
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    @Test("Row 5: 40 parallel wrong passwords lock the account, and the right password is then refused")
    func lockoutRace() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let page = try await app.testing().sendRequest(.GET, "/login")
            let pre = try #require(page.headers.setCookie?["jicai_pre"]?.string)
            let body = "_csrf=\(pre)&username=hospital&password=wrong"
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await app.testing().sendRequest(
                            .POST, "/login", headers: ["Cookie": "jicai_pre=\(pre)", "Content-Type": "application/x-www-form-urlencoded"],
                            body: ByteBuffer(string: body)
                        ).status
                    }
                }
                for try await status in group { #expect(status == .unauthorized) }
            }
            let user = try await userRow(app, "hospital")
            #expect(user.lockedUntil != nil, "the stored count reached the limit")
            let right = try await Browser(app).login("hospital")
            #expect(right.status == .unauthorized, "a locked account refuses the right password too")
        }
    }

    @Test("Row 6: API tokens expire, are listed and revoked, and end with a password change, a reset or a disabled account")
    func tokens() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            func create(_ label: String, _ days: Int? = nil) async throws -> String {
                let csrf = try await h.apiCSRF()
                let json = days.map { #"{"label":"\#(label)","days":\#($0)}"# } ?? #"{"label":"\#(label)"}"#
                let r = try await h.send(
                    .POST, "/api/v1/tokens", body: ByteBuffer(string: json), contentType: "application/json", headers: [("X-CSRF-Token", csrf)])
                #expect(r.status == .ok)
                return try r.content.decode(TokenProbe.self).token
            }
            func me(_ token: String) async throws -> HTTPStatus {
                try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status
            }
            // Expiry: 90 days by default.
            let t1 = try await create("erp1")
            #expect(try await me(t1) == .ok)
            clock.set(WebFixture.t0.addingTimeInterval(91 * 86400))
            #expect(try await me(t1) == .unauthorized)
            clock.set(WebFixture.t0)
            // Listing and revocation, by the API and by the page.
            let t2 = try await create("erp2", 7)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/tokens", headers: ["Authorization": "Bearer \(t2)"])
            let items = try list.content.decode([TokenInfoProbe].self)
            #expect(items.count == 2 && !list.body.string.contains(t2), "listed without secrets")
            let second = try #require(items.first { $0.label == "erp2" })
            let del = try await app.testing().sendRequest(.DELETE, "/api/v1/tokens/\(second.id)", headers: ["Authorization": "Bearer \(t2)"])
            #expect(del.status == .noContent)
            #expect(try await me(t2) == .unauthorized)
            let t3 = try await create("erp3")
            var page = try await h.get("/tokens")
            #expect(page.status == .ok && page.body.string.contains("erp3"))
            let id = try #require(
                try await UserStore(DB(app.db)).tokens(userID: try await userRow(app, "hospital").id).first { $0.label == "erp3" }?.id)
            page = try await h.post("/tokens/\(id)/revoke", [])
            #expect(try await me(t3) == .unauthorized)
            // A password change ends every token.
            let t4 = try await create("erp4")
            try await h.get("/password")
            try await h.post("/password", [("current", WebFixture.password), ("new", "Jicai2026xyz"), ("confirm", "Jicai2026xyz")])
            #expect(try await me(t4) == .unauthorized)
            // So do an administrator's reset (even once the user sets a new password) and disabling.
            let t5 = try await create("erp5")
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/admin/accounts")
            try await admin.post("/admin/accounts/hospital/reset", [])
            #expect(try await me(t5) == .unauthorized)
            let store = UserStore(DB(app.db))
            let hospital = try await userRow(app, "hospital")
            try await store.setPassword(userID: hospital.id, hash: try await BcryptHasher(cost: 4).hash("Jicai2027xyz"), mustChange: false)
            #expect(try await me(t5) == .unauthorized, "a reset token does not come back with the next password")
            _ = try await h.login("hospital", "Jicai2027xyz")
            let t6 = try await create("erp6")
            try await admin.get("/admin/accounts")
            try await admin.post("/admin/accounts/hospital/disable", [])
            try await store.setActive(userID: hospital.id, true)
            #expect(try await me(t6) == .unauthorized)
        }
    }

    @Test("Row 7: before log-in a body is limited to a few kilobytes")
    func preAuthBody() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: 1 << 20)
            let res = try await app.testing().sendRequest(.POST, "/login", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: big)
            #expect(res.status == .payloadTooLarge)
            let api = try await app.testing().sendRequest(
                .PUT, "/api/v1/batches/B1/reports/x", headers: ["Content-Type": "application/json"], body: big)
            #expect(api.status == .payloadTooLarge)
        }
    }

    @Test("Row 8: formula-leading explanations are neutralised in the findings CSV")
    func formulaExport() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            try await h.get(form)
            try await h.post(form + "/save", [("quantity[S021]", "500"), ("explanation[V02]", "=HYPERLINK(\"http://evil.example\",\"点此\")")])
            _ = try await CheckService(db: DB(app.db)).run(batchCode: "B1", actor: .cli)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("f-\(UUID()).csv")
            defer { try? FileManager.default.removeItem(at: url) }
            try await ExportService(db: DB(app.db)).findings(batchCode: "B1", to: url, format: .csv)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains("'=HYPERLINK"))
            #expect(!text.contains(",=HYPERLINK") && !text.contains("\"=HYPERLINK"))
        }
    }

    @Test("Row 10: unknown, locked, disabled and wrong-password log-ins read the same and do the same work")
    func enumeration() async throws {
        let clock = TestClock(WebFixture.t0)
        try await withWeb(clock: clock) { app in
            let db = DB(app.db)
            let store = UserStore(db)
            let hospital = try await userRow(app, "hospital")
            try await store.lock(userID: hospital.id, until: WebFixture.t0.addingTimeInterval(600))
            try await store.setActive(userID: try await userRow(app, "township").id, false)
            var bodies: [String] = []
            for (user, password) in [("nobody", "x"), ("hospital", WebFixture.password), ("township", WebFixture.password), ("village", "wrong")] {
                let res = try await Browser(app).login(user, password)
                #expect(res.status == .unauthorized)
                bodies.append(res.body.string.replacingOccurrences(of: #"value="[^"]+""#, with: "", options: .regularExpression))
            }
            #expect(Set(bodies).count == 1, "one page for every failure")
            // Equal work: one full-cost verification for each, whatever the account.
            let counter = CountingHasher()
            let service = AccountService(db: db, hasher: counter)
            for user in ["nobody", "hospital", "township", "village"] {
                counter.reset()
                await #expect(throws: ServiceError.self) { try await service.login(username: user, password: "wrong", ip: nil, at: clock.now) }
                #expect(counter.fullCostVerifications == 1, "\(user)")
            }
        }
    }

    @Test("Row 11: after log-in only same-site paths are followed")
    func openRedirects() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            for next in ["/\\evil.example/", "/\t/evil.example", "//evil.example", "https://evil.example", "/\r\nX: 1", "\\\\evil.example"] {
                let h = Browser(app)
                try await h.get("/login")
                let res = try await h.post("/login", [("username", "hospital"), ("password", WebFixture.password), ("next", next)])
                #expect(res.location == "/", "\(next.debugDescription) → \(res.location ?? "nil")")
            }
            let h = Browser(app)
            try await h.get("/login")
            #expect(try await h.post("/login", [("username", "hospital"), ("password", WebFixture.password), ("next", form)]).location == form)
            // Percent-encoded line ends stay encoded: a path of this site, never a header break.
            let encoded = Browser(app)
            try await encoded.get("/login")
            let e = try await encoded.post("/login", [("username", "hospital"), ("password", WebFixture.password), ("next", "/%0d%0aX:1")])
            #expect(e.location == "/%0d%0aX:1" && e.headers.first(name: "X") == nil)
            let lang = try await app.testing().sendRequest(.GET, "/lang/en", headers: ["Referer": "http://h//evil.example/x"])
            #expect(lang.headers.first(name: .location) == "/")
            #expect(SafeRedirect.path("/\\x") == nil && SafeRedirect.path("/a/b?c=1") == "/a/b?c=1" && SafeRedirect.path("/a\u{7F}") == nil)
        }
    }

    @Test("Row 12: an offline upload with a header and no rows changes nothing, unless the filler asks to clear")
    func emptyUpload() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            try await h.get(form)
            try await h.post(form + "/save", [("quantity[S021]", "900"), ("explanation[V02]", "说明")])
            let header = Data("机构编码,规格编码,产品编码,需求量,说明,特需剔除量,剔除原因\n".utf8)
            try await h.get(form)
            try await h.upload(form + "/upload", fields: [], file: ("file", "f.csv", "text/csv", header))
            #expect(h.flash?.contains("没有数据行") == true)
            #expect(try await reportStatus(app, TestFixtures.hospital)?.lines.first?.quantity == 900)
            #expect(try await reportStatus(app, TestFixtures.hospital)?.explanations["V02"] == "说明")
            try await h.get(form)
            try await h.upload(form + "/upload", fields: [("clear", "1")], file: ("file", "f.csv", "text/csv", header))
            #expect(try await reportStatus(app, TestFixtures.hospital)?.lines.isEmpty == true)
        }
    }

    @Test("Row 13: the streamed history upload writes nothing before the token, and refuses an oversized token part")
    func streamedUpload() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/admin/batches")
            /// Upload folders holding this test's file (other tests upload in parallel under other names).
            func leftovers() -> Int {
                let tmp = FileManager.default.temporaryDirectory
                return ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter {
                    $0.hasPrefix("jicai-up-")
                        && FileManager.default.fileExists(atPath: tmp.appendingPathComponent($0).appendingPathComponent("row13-probe.csv").path)
                }.count
            }
            func send(_ parts: [(String, String?, String)]) async throws -> TestingHTTPResponse {
                let boundary = "b\(UUID().uuidString)"
                var body = ""
                for (name, file, value) in parts {
                    body +=
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"" + (file.map { "; filename=\"\($0)\"" } ?? "")
                        + "\r\n\r\n\(value)\r\n"
                }
                body += "--\(boundary)--\r\n"
                return try await admin.send(
                    .POST, "/admin/batches/B1/history", body: ByteBuffer(string: body), contentType: "multipart/form-data; boundary=\(boundary)")
            }
            let fileFirst = try await send([("file", "row13-probe.csv", String(repeating: "x,y\n", count: 10_000)), ("_csrf", nil, admin.csrf)])
            #expect(fileFirst.status == .forbidden)
            let longToken = try await send([("_csrf", nil, String(repeating: "t", count: 10_000)), ("file", "row13-probe.csv", "a,b\n")])
            #expect(longToken.status == .forbidden)
            #expect(leftovers() == 0, "nothing left on disk")
        }
    }

    @Test("Row 14: security headers on /health, unknown routes and the legacy API's errors")
    func headersEverywhere() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            for path in ["/health", "/nope", "/api/batches", "/api/batches/B1/cities"] {
                let res = try await app.testing().sendRequest(.GET, path)
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                #expect(res.headers.first(name: "Content-Security-Policy") != nil, "\(path)")
            }
        }
    }

    @Test("Row 15: wrong current passwords on /password count towards the lock-out; idle connections time out")
    func passwordFailures() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            let h = Browser(app)
            _ = try await h.login("hospital")
            for _ in 0..<5 {
                try await h.get("/password")
                try await h.post("/password", [("current", "wrong"), ("new", "Jicai2026xyz"), ("confirm", "Jicai2026xyz")])
            }
            #expect(try await userRow(app, "hospital").lockedUntil != nil)
            try await h.get("/password")
            let res = try await h.post("/password", [("current", WebFixture.password), ("new", "Jicai2026xyz"), ("confirm", "Jicai2026xyz")])
            #expect(res.status == .badRequest, "locked: the right current password is refused too")
            #expect(app.http.server.configuration.idleTimeout == .seconds(InputLimits.idleTimeoutSeconds))
        }
    }

    @Test("Row 16: /status needs a province log-in in production; replaced letters go; leftovers are removed; 400s name no Swift types; proxies")
    func information() async throws {
        var config = try AppConfig.load(
            .production,
            [
                "DATABASE_URL": "sqlite:/tmp/x.sqlite", "JICAI_API_TOKEN": String(repeating: "k", count: 30),
                "JICAI_TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2",
            ])
        #expect(!config.statusPublic && config.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(throws: ConfigError.self) { try AppConfig.load(.development, ["JICAI_TRUSTED_PROXIES": "proxy.example"]) }
        config.statusPublic = true
        #expect(
            ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: ["10.0.0.1"]) == "203.0.113.9",
            "an untrusted peer's header is ignored")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, 198.51.100.7", "10.0.0.2"], trusted: ["10.0.0.1", "10.0.0.2"])
                == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trusted: ["10.0.0.1"]) == "10.0.0.1")

        try await withWeb(clock: TestClock(WebFixture.t0), statusPublic: false) { app in
            #expect(try await app.testing().sendRequest(.GET, "/status").status == .seeOther)
            let city = Browser(app)
            _ = try await city.login("city1401")
            #expect(try await city.get("/status").status == .forbidden)
            let province = Browser(app)
            _ = try await province.login("province")
            #expect(try await province.get("/status").status == .ok)

            // Replaced letters are not kept.
            let h = Browser(app)
            _ = try await h.login("hospital")
            try await h.get(form)
            try await h.post(form + "/save", [("quantity[S021]", "1000")])
            try await h.get(form)
            try await h.upload(
                form + "/letter", fields: [("signerName", "张"), ("signerTitle", "院长")], file: ("file", "a.pdf", "application/pdf", pdf))
            let first = try #require(try await reportStatus(app, TestFixtures.hospital)?.letterFileID)
            #expect(try await h.get("/files/\(first)").status == .ok)
            try await h.get(form)
            try await h.upload(
                form + "/letter", fields: [("signerName", "张"), ("signerTitle", "院长")], file: ("file", "b.pdf", "application/pdf", pdf))
            #expect(try await reportStatus(app, TestFixtures.hospital)?.letterFileID != first)
            #expect(try await h.get("/files/\(first)").status == .notFound)

            // A malformed body: no Swift type or coding path in the answer.
            let csrf = try await h.apiCSRF()
            let bad = try await h.send(
                .PUT, "/api/v1/batches/B1/reports/\(TestFixtures.hospital)", body: ByteBuffer(string: #"{"lines":[{"specCode":1}]}"#),
                contentType: "application/json", headers: [("X-CSRF-Token", csrf)])
            #expect(bad.status == .badRequest)
            #expect(bad.body.string.contains("BAD_REQUEST"))
            for leak in ["CodingKeys", "Swift", "typeMismatch", "Int64", "codingPath"] { #expect(!bad.body.string.contains(leak), "\(leak)") }
        }
        // Leftover upload folders of a crashed run are removed at start-up (only old ones).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leftovers-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("jicai-up-old"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("jicai-up-new"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("other"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: folder.appendingPathComponent("jicai-up-old").path)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(TemporaryFiles.removeLeftovers(in: folder) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["jicai-up-new", "other"])
    }
}

extension Browser {
    /// The session's CSRF token for JSON calls with the session cookie, from `GET /api/v1/me`.
    func apiCSRF() async throws -> String {
        struct Me: Decodable { var csrf: String? }
        return try #require(try await get("/api/v1/me").content.decode(Me.self).csrf)
    }
}
struct TokenProbe: Decodable { var token: String }
struct TokenInfoProbe: Decodable {
    var id: String
    var label: String
}

/// Counts verifications by their cost: a verification against a hash cheaper than the full cost counts as cheap.
final class CountingHasher: PasswordHashing, @unchecked Sendable {
    let inner = BcryptHasher(cost: 4)
    let cost = 6
    private let lock = NSLock()
    private var full = 0
    var fullCostVerifications: Int { lock.withLock { full } }
    func reset() { lock.withLock { full = 0 } }
    func hash(_ password: String) async throws -> String { try await inner.hash(password) }
    func hashInitial(_ password: String) async throws -> String { try await inner.hashInitial(password) }
    func verify(_ password: String, hash: String) async throws -> Bool {
        if hash.hasPrefix("$2b$06$") || hash.hasPrefix("$2a$06$") { lock.withLock { full += 1 } }
        return try await inner.verify(password, hash: hash)
    }
    func verifyNothing(_ password: String) async { lock.withLock { full += 1 } }
}
