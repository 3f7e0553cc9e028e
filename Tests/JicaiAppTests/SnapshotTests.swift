import Foundation
import JicaiCore
import JicaiTestSupport
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices
@testable import JicaiWeb

/// Every page and every `/api/v1` body under a golden file, in Chinese and English (the API's messages carry both):
/// the fixture province at a fixed time, a draft with a finding and an explanation, a submitted report, a letter.
@Suite("Snapshots of every page and API body", .serialized)
struct SnapshotTests {
    static let form = "/batches/B1/report/\(TestFixtures.hospital)"

    /// The same state for every snapshot: the hospital's draft is below 80% of history and explained, a letter is
    /// attached; the township has not reported.
    static func prepare(_ app: Application) async throws {
        let hospital = Browser(app)
        _ = try await hospital.login("hospital")
        try await hospital.get(form)
        try await hospital.post(form + "/save", [("quantity[S021]", "500"), ("brand[S021]", "P0211"), ("explanation[V02]", "心内科床位调减一半")])
        try await hospital.get(form)
        try await hospital.upload(
            form + "/letter", fields: [("signerName", "张院长"), ("signerTitle", "院长")],
            file: ("file", "承诺函.pdf", "application/pdf", Data("%PDF-1.4 letter".utf8)))
    }

    static func browser(_ app: Application, _ user: String?, english: Bool) async throws -> Browser {
        let browser = Browser(app)
        if english { browser.cookies["lang"] = "en" }
        if let user { _ = try await browser.login(user) }
        return browser
    }

    @Test("pages, Chinese and English", arguments: [false, true])
    func pages(english: Bool) async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await Self.prepare(app)
            let lang = english ? "en" : "zh"
            func page(_ user: String?, _ path: String, _ name: String, status: HTTPStatus = .ok) async throws {
                let browser = try await Self.browser(app, user, english: english)
                let response = try await browser.get(path)
                #expect(response.status == status, "\(name): \(response.status)")
                Snapshot.check(Snapshot.html(response.body.string), "pages/\(name).\(lang).html")
            }
            try await page(nil, "/login", "login")
            try await page("hospital", "/password", "password")
            try await page("hospital", "/", "home-institution")
            try await page("province", "/", "home-province")
            try await page("hospital", "/batches/B1", "batch-home-institution")
            try await page("admin", "/batches/B1", "batch-home-admin")
            try await page("hospital", Self.form, "form-institution")
            try await page("city1401", Self.form, "form-city")
            try await page("hospital", Self.form + "/audit", "report-history")
            try await page("city1401", "/batches/B1/review", "review-list")
            try await page("province", "/batches/B1/progress", "progress")
            try await page("province", "/batches/B1/summary/print", "summary-print")
            try await page("admin", "/admin/batches", "admin-batches")
            try await page("admin", "/admin/accounts?size=20", "accounts")
            try await page("province", "/audit?action=login&size=20", "audit-log")
            try await page("hospital", "/tokens", "tokens")
            try await page("hospital", "/batches/NOPE", "not-found", status: .notFound)
        }
    }

    @Test("pages without a session store: the status page and an import job")
    func standalonePages() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await Self.prepare(app)
            let response = try await app.testing().sendRequest(.GET, "/status")
            Snapshot.check(Snapshot.html(response.body.string), "pages/status.html")
        }
        for english in [false, true] {
            let lang = Lang(en: english)
            var job = ImportJobs.Job(owner: "admin", title: lang.t("导入账号", "Account import"), back: .admin(.accounts))
            job.done = true
            job.rows = 2
            job.message = lang.t("accounts.csv：2行，新增2个账号，沿用0个", "accounts.csv: 2 rows, 2 accounts created, 0 carried over")
            job.issued = [IssuedCredential(username: "h1", displayName: "甲医院", organisationCode: "H1", password: "Initial-1234")]
            let body = JobView(model: JobView.Model(id: "job-1", job: job), lang: lang).body
            let html = Layout.document(Chrome(lang: lang, user: nil), title: job.title, [body])
            Snapshot.check(Snapshot.html(html), "pages/import-job.\(english ? "en" : "zh").html")
        }
    }

    @Test("every /api/v1 response body")
    func apiBodies() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await Self.prepare(app)
            let api = try await APIClient(app, user: "hospital")
            let report = "/api/v1/batches/B1/reports/\(TestFixtures.hospital)"
            let draft = #"{"lines":[{"specCode":"S021","productCode":"P0211","quantity":500}],"explanations":{"V02":"心内科床位调减一半"},"exclusions":{}}"#
            try await api.snapshot(.GET, "/api/v1/me", "me", schema: "Me")
            try await api.snapshot(.GET, report, "report", schema: "Report")
            try await api.snapshot(.PUT, report, "report-save", body: draft, schema: "Report", bodySchema: "Draft")
            try await api.snapshot(.POST, report + "/what-if", "what-if", body: draft, schema: "WhatIfList", bodySchema: "Draft")
            try await api.snapshot(
                .POST, report + "/check", "check", body: #"{"lines":[],"explanations":{},"exclusions":{}}"#, schema: "FindingList",
                bodySchema: "Draft")
            try await api.snapshot(
                .POST, report + "/evidence", "evidence",
                body: #"{"unit":"V02","fileName":"证明.pdf","contentBase64":"JVBERi0xLjQgZXZpZGVuY2U="}"#, schema: "Report",
                bodySchema: "Evidence")
            try await api.snapshot(
                .POST, report + "/letter", "letter",
                body: #"{"fileName":"承诺函.pdf","contentBase64":"JVBERi0xLjQgbGV0dGVy","signerName":"张院长","signerTitle":"院长"}"#, schema: "Report",
                bodySchema: "Letter")
            try await api.snapshot(.POST, report + "/submit", "submit", schema: "Report")
            try await api.snapshot(.GET, report + "/audit", "audit", schema: "AuditList")
            try await api.snapshot(
                .POST, "/api/v1/tokens", "token-create", body: #"{"label":"对接","days":30}"#, schema: "Token", bodySchema: "TokenRequest")
            try await api.snapshot(.GET, "/api/v1/tokens", "tokens", schema: "TokenList")
            try await api.snapshot(.PUT, report, "error-not-editable", body: draft, status: .conflict, schema: "Error")
            try await api.snapshot(
                .GET, "/api/v1/batches/NOPE/reports/\(TestFixtures.hospital)", "error-batch-not-found", status: .notFound, schema: "Error")
            let city = try await APIClient(app, user: "city1401")
            try await city.snapshot(
                .POST, report + "/correct", "correct",
                body: #"{"specCode":"S021","productCode":"P0211","quantity":600,"reason":"单位录入错误"}"#, schema: "Report",
                bodySchema: "Correction")
            try await city.snapshot(
                .POST, report + "/review", "review", body: #"{"action":"cityReturn","reason":"请核实"}"#, schema: "Report", bodySchema: "Review")
            try await city.snapshot(.GET, "/api/v1/batches/B1/statuses", "statuses", schema: "StatusList")
            try await city.snapshot(
                .POST, "/api/v1/batches/B1/lock", "error-forbidden", body: #"{"locked":true}"#, status: .forbidden, schema: "Error")
            let admin = try await APIClient(app, user: "admin")
            try await admin.snapshot(.POST, "/api/v1/batches/B1/lock", "lock", body: #"{"locked":true}"#, schema: "Lock", bodySchema: "Lock")
            let doc = try await app.testing().sendRequest(.GET, "/openapi.json")
            Snapshot.check(Snapshot.json(doc.body.string, scrub: []), "api/openapi.json")
        }
    }
}

/// The JSON API from a session: the CSRF token from `/api/v1/me` goes in `X-CSRF-Token`.
struct APIClient {
    let browser: Browser
    let csrf: String

    init(_ app: Application, user: String) async throws {
        browser = Browser(app)
        _ = try await browser.login(user)
        let me = try await browser.get("/api/v1/me")
        let object = try JSONSerialization.jsonObject(with: Data(me.body.string.utf8)) as? [String: Any]
        csrf = object?["csrf"] as? String ?? ""
    }

    /// Sends the request, checks the status, the body against its OpenAPI schema (`schema`, and the request body
    /// against `bodySchema`), and the body against its snapshot.
    func snapshot(
        _ method: HTTPMethod, _ path: String, _ name: String, body: String? = nil, status: HTTPStatus = .ok, schema: String,
        bodySchema: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        if let body, let bodySchema { OpenAPIShape.check(body, schema: bodySchema, sourceLocation: sourceLocation) }
        let response = try await browser.send(
            method, path, body: body.map { ByteBuffer(string: $0) }, contentType: body == nil ? nil : "application/json",
            headers: [("X-CSRF-Token", csrf)])
        #expect(response.status == status, "\(name): \(response.status) \(response.body.string.prefix(300))", sourceLocation: sourceLocation)
        if status != .noContent { OpenAPIShape.check(response.body.string, schema: schema, sourceLocation: sourceLocation) }
        Snapshot.check(Snapshot.json(response.body.string), "api/\(name).json", sourceLocation: sourceLocation)
    }
}
