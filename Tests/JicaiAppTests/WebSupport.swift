import Foundation
import JicaiApp
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import JicaiWeb
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices

/// A clock the test moves.
final class TestClock: Sendable {
    private let value: NIOLockedValueBox<Date>
    init(_ d: Date) { value = NIOLockedValueBox(d) }
    var now: Date { value.withLockedValue { $0 } }
    func set(_ d: Date) { value.withLockedValue { $0 = d } }
}

/// The people and places of the web tests: two cities of Shanxi, a hospital, a county medical community (township
/// lead and village member) and a hospital in another city; one account per role.
enum WebFixture {
    static let t0 = ReportingWindow.shanghai(2025, 12, 22, 10)
    static let window = ReportingWindow(
        accountTestUntil: ReportingWindow.shanghai(2025, 12, 18, 24), fillingOpens: ReportingWindow.shanghai(2025, 12, 19),
        fillingCloses: ReportingWindow.shanghai(2025, 12, 29, 24), reviewDeadline: ReportingWindow.shanghai(2025, 12, 31, 17))
    static let datong = TestFixtures.code("12140200MB0000050")
    static let password = "Passw0rd-test"

    static let regions = TestFixtures.regionsCSV + "140200,大同市,市,140000\n140213,平城区,县,140200\n"
    static var organisations: String {
        TestFixtures.organisationsCSV + "\(datong),大同市第三人民医院,医疗机构,三级医院,公立,800,140213,\n"
    }

    /// username → (role, organisation, region)
    static let accounts: [(String, Role, String?, String?)] = [
        ("admin", .provinceAdmin, nil, "140000"),
        ("province", .provinceReviewer, nil, "140000"),
        ("city1401", .cityReviewer, nil, "140100"),
        ("city1402", .cityReviewer, nil, "140200"),
        ("hospital", .institutionFiller, TestFixtures.hospital, nil),
        ("head", .institutionHead, TestFixtures.hospital, nil),
        ("township", .institutionFiller, TestFixtures.township, nil),
        ("village", .institutionFiller, TestFixtures.village, nil),
        ("datong", .institutionFiller, datong, nil),
        ("maker", .manufacturer, TestFixtures.manufacturer, nil),
    ]

    static func history() -> String {
        var s = "机构编码,规格编码,月份,采购数量\n"
        for m in 1...11 {
            let month = String(format: "2025-%02d", m)
            s +=
                "\(TestFixtures.hospital),S021,\(month),100\n\(TestFixtures.township),S021,\(month),20\n\(TestFixtures.village),S021,\(month),10\n\(datong),S021,\(month),50\n"
        }
        s += "\(TestFixtures.hospital),S021,2024-12,100\n"
        return s
    }

    static func load(_ app: Application, mustChange: Set<String> = []) async throws {
        let db = DB(app.db)
        let imports = ImportService(db: db)
        _ = try await imports.importRegions(path: try TestFixtures.file("r.csv", regions), actor: .cli)
        _ = try await imports.importOrganisations(path: try TestFixtures.file("o.csv", organisations), actor: .cli)
        _ = try await imports.importCatalogue(
            path: try TestFixtures.file("c.csv", TestFixtures.catalogueCSV), batchCode: "B1", batchName: "测试批次",
            provinceCode: "140000", policy: BatchPolicy(window: window), actor: .cli)
        _ = try await imports.importProducts(path: try TestFixtures.file("p.csv", TestFixtures.productsCSV), batchCode: "B1", actor: .cli)
        _ = try await imports.importHistory(path: try TestFixtures.file("h.csv", history()), batchCode: "B1", actor: .cli)
        let hash = try await BcryptHasher(cost: 4).hash(password)
        try await UserStore(db).insert(
            accounts.map { name, role, org, region in
                NewUser(
                    username: name, displayName: name, role: role, organisationCode: org, regionCode: region, passwordHash: hash,
                    mustChangePassword: mustChange.contains(name))
            }, at: t0)
    }
}

let metricsToken = "metrics-test-token-0123456789"

func withWeb(
    engine: String = "sqlite", clock: TestClock, mustChange: Set<String> = [], statusPublic: Bool = true,
    _ test: (Application) async throws -> Void
) async throws {
    let (database, schema) = try await TestDatabases.configuration(engine)
    do {
        try await withApp(
            configure: { app in
                app.logger.logLevel = .warning
                var config = AppConfig(database: database, apiToken: token, generatedToken: false, demoInstitutions: 100, demoOnEmpty: false)
                config.bcryptCost = 4
                config.clock = { clock.now }
                config.statusPublic = statusPublic
                config.metricsToken = metricsToken
                try await configure(app, config: config)
                try await app.autoMigrate()
                try await WebFixture.load(app, mustChange: mustChange)
            }, test)
    } catch {
        try? await TestDatabases.drop(schema)
        throw error
    }
    try await TestDatabases.drop(schema)
}

/// A cookie-keeping client over the in-memory tester, like a browser: follows nothing by itself, keeps the CSRF
/// token of the last page.
final class Browser {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""

    init(_ app: Application) { self.app = app }

    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer? = nil, contentType: String? = nil, headers extra: [(String, String)] = [])
        async throws -> TestingHTTPResponse
    {
        var headers = HTTPHeaders(extra)
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let contentType { headers.add(name: .contentType, value: contentType) }
        let res = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for (name, value) in res.headers.setCookie?.all ?? [:] {
            if let expires = value.expires, expires < Date() { cookies[name] = nil } else { cookies[name] = value.string }
        }
        if let range = res.body.string.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
            let m = res.body.string[range]
            csrf = String(m.split(separator: "\"")[3])
        }
        return res
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse { try await send(.GET, path) }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Posts a form with the page's CSRF token (unless `csrf` is given).
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestingHTTPResponse {
        let all = [("_csrf", csrf ?? self.csrf)] + fields
        let text = all.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: text), contentType: "application/x-www-form-urlencoded")
    }

    @discardableResult
    func upload(_ path: String, fields: [(String, String)], file: (field: String, name: String, type: String, data: Data)) async throws
        -> TestingHTTPResponse
    {
        let boundary = "----jicai\(UUID().uuidString)"
        var body = Data()
        for (k, v) in [("_csrf", csrf)] + fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                    .utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await send(.POST, path, body: ByteBuffer(data: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func login(_ user: String, _ password: String = WebFixture.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", [("username", user), ("password", password)])
    }

    /// Uploads a CSV file to an import route and follows its background job to the end; returns the job page.
    func importCSV(_ path: String, name: String, _ text: String) async throws -> TestingHTTPResponse {
        let r = try await upload(path, fields: [], file: ("file", name, "text/csv", Data(text.utf8)))
        return try await job(try #require(r.location, "the upload starts a job"))
    }

    /// Polls a job page until the job is done.
    func job(_ path: String) async throws -> TestingHTTPResponse {
        for _ in 0..<200 {
            let r = try await get(path)
            if r.body.string.contains("id=\"job-done\"") || r.body.string.contains("id=\"job-failed\"") { return r }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return try await get(path)
    }

    var flash: String? {
        cookies[Flashes_cookie].flatMap { v in v.firstIndex(of: ":").map { String(v[v.index(after: $0)...]).removingPercentEncoding ?? "" } }
    }
}

let Flashes_cookie = "jicai_flash"
let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

extension TestingHTTPResponse {
    var location: String? { headers.first(name: .location) }
}
