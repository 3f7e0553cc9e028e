import Fluent
import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// `{"error":{"code","message"}}`, the body of every refused API request.
struct APIErrorBody: Content {
    struct Detail: Content { var code: String; var message: String; var messageEn: String }
    var error: Detail
}

/// Turns service and import errors into JSON errors with a stable code; internal errors are logged, never shown.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let e as Refusal {
            return try body(e.httpStatus, e.code, e.message, request)
        } catch let e as ImportFailure {
            let message = LocalizedText(zh: e.issues.map { $0.text(.zh) }.joined(separator: "\n"), en: e.issues.map { $0.text(.en) }.joined(separator: "\n"))
            return try body(RefusalCode.importFailed.kind.httpStatus, .importFailed, message, request)
        } catch let e as AbortError {
            let code = RequestRefusal.code(e.status)
            return try body(e.status, code, RequestRefusal.message(e, request), request)
        } catch {
            request.logger.error("request failed: \(String(reflecting: error))")
            return try body(.internalServerError, .internalError, RefusalCode.internalError.message, request)
        }
    }

    private func body(_ status: HTTPResponseStatus, _ code: RefusalCode, _ message: LocalizedText, _ request: Request) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(APIErrorBody(error: .init(code: code.rawValue, message: message.zh, messageEn: message.en)))
        return response
    }
}

extension RefusalKind {
    /// The one mapping of refusals to HTTP, for pages and API alike: out of scope or missing is 404 (a refusal must
    /// not tell whether something outside the scope exists), not allowed 403, refused by the window or the report's
    /// state 409, anything else the caller can fix 400.
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .payloadTooLarge
        case .timeout: .requestTimeout
        case .internalError: .internalServerError
        }
    }
}

extension Refusal {
    var httpStatus: HTTPResponseStatus { kind.httpStatus }

    /// A scope refusal stays an error page; other refusals come back as a message on the page the user was on.
    var isScopeRefusal: Bool { kind == .notFound || kind == .forbidden }
}

/// What a refusal by the framework (not a service) says to the user: a fixed text per status, never the framework's
/// reason, which for a malformed body names Swift types and coding paths. The reason is logged instead.
enum RequestRefusal {
    static func code(_ status: HTTPResponseStatus) -> RefusalCode {
        switch status {
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .payloadTooLarge: .tooLarge
        case .requestTimeout: .requestTimeout
        case .badRequest: .badRequest
        default: .refused
        }
    }

    static func message(_ e: any AbortError, _ request: Request) -> LocalizedText {
        let code = code(e.status)
        switch code {
        case .forbidden:
            return LocalizedText(zh: "无权操作（或页面已过期，请刷新后重试）", en: "not allowed (or the page expired: reload and try again)")
        case .badRequest:
            request.logger.info("bad request: \(e.reason)")
        case .refused:
            request.logger.info("refused: \(e.status.code) \(e.reason)")
            return LocalizedText(zh: "请求被拒绝（\(e.status.code)）", en: "request refused (\(e.status.code))")
        default:
            break
        }
        return code.message
    }
}

/// Province-level read access to the API until accounts arrive: `Authorization: Bearer <JICAI_API_TOKEN>`.
struct APITokenMiddleware: AsyncMiddleware {
    let token: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let given = request.headers.bearerAuthorization?.token,
              given.utf8.count == token.utf8.count,
              zip(given.utf8, token.utf8).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw Abort(.unauthorized)
        }
        return try await next.respond(to: request)
    }
}

/// Escapes text for HTML element content and attribute values (the typed HTML module's escaping).
func escapeHTML(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    Node.escape(s, into: &out)
    return out
}

public struct BatchDTO: Content {
    public var code: String
    public var name: String
    public var provinceCode: String
    public var policy: BatchPolicy
    public var phase: String
}

/// The status page and the read-only JSON API of the reporting stage.
public struct StatusRoutes: Sendable {
    public let apiToken: String
    public let now: @Sendable () -> Date
    /// Whether `/status` answers without a log-in; in production it needs a province account.
    public let statusPublic: Bool
    public let deps: WebDependencies

    public init(apiToken: String, now: @escaping @Sendable () -> Date = { Date() }, statusPublic: Bool, deps: WebDependencies) {
        self.apiToken = apiToken
        self.now = now
        self.statusPublic = statusPublic
        self.deps = deps
    }

    public func register(_ app: Application) {
        app.get("health") { _ in ["status": "ok"] }
        if statusPublic {
            app.get("status") { req in try await statusPage(req) }
        } else {
            app.grouped(WebErrorMiddleware()).grouped(SessionAuthenticator(deps: deps)).grouped(RequireUser(api: false)).get("status") { req in
                guard let p = req.currentUser?.principal, Authorizer.canSeeProvince(p) else { throw ServiceError.forbidden }
                return try await statusPage(req)
            }
        }
        let api = app.grouped("api").grouped(APIErrorMiddleware()).grouped(APITokenMiddleware(token: apiToken))
        api.get("batches") { req -> [BatchDTO] in
            let at = now()
            return try await BatchStore(DB(req.db)).batches().map {
                BatchDTO(code: $0.code, name: $0.name, provinceCode: $0.provinceCode, policy: $0.policy, phase: $0.policy.window.phase(at: at).rawValue)
            }
        }
        api.get("batches", ":batch", "cities") { req -> [CitySummary] in
            try await ExportService(db: DB(req.db)).citySummary(batchCode: try req.parameters.require("batch"), regionPrefix: try region(req))
        }
        // The two lists that grow with the province come a page at a time (`page` from 1, `size` up to
        // `PageRequest.maxAPISize`, default that many); the total is in X-Total-Count, the next page in Link.
        api.get("batches", ":batch", "institutions") { req -> Response in
            let db = DB(req.db)
            let page = apiPage(req)
            let batch = try await batchRecord(db, try req.parameters.require("batch"))
            let rows = try await ReviewListQuery(db).page(batchID: batch.id, filter: ReviewFilter(regionPrefix: try region(req) ?? ""),
                                                          sort: ListOrder(.code), page: page)
            return try await paged(req, rows.items.map(\.summary), total: rows.total, page: page)
        }
        api.get("batches", ":batch", "findings") { req -> Response in
            let db = DB(req.db)
            let page = apiPage(req)
            let batch = try await batchRecord(db, try req.parameters.require("batch"))
            let region = try region(req), institution: String? = req.query["institution"]
            let rows = try await FindingStore(db).list(batchID: batch.id, regionPrefix: region, institutionCode: institution, page: page)
            let total = try await FindingStore(db).listCount(batchID: batch.id, regionPrefix: region, institutionCode: institution)
            return try await paged(req, rows.map(FindingDTO.init), total: total, page: page)
        }
    }

    private func apiPage(_ req: Request) -> JicaiCore.PageRequest {
        let params = ListParams(req)
        return JicaiCore.PageRequest(number: params["page"].flatMap { Int($0) }, size: params["size"].flatMap { Int($0) } ?? JicaiCore.PageRequest.maxAPISize,
                           maxSize: JicaiCore.PageRequest.maxAPISize)
    }

    private func batchRecord(_ db: DB, _ code: String) async throws -> BatchRecord {
        guard let batch = try await BatchStore(db).batch(code: code) else {
            throw ServiceError(.batchNotFound, zh: "批次“\(code)”不存在", en: "batch \"\(code)\" does not exist")
        }
        return batch
    }

    private func paged<T: Content>(_ req: Request, _ items: [T], total: Int64, page: JicaiCore.PageRequest) async throws -> Response {
        let response = try await items.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        if Int64(page.offset + items.count) < total {
            response.headers.replaceOrAdd(name: .link,
                                          value: "<\(ListParams(req).href(["page": String(page.number + 1), "size": String(page.size)]))>; rel=\"next\"")
        }
        return response
    }

    /// `?region=` must be 2, 4 or 6 digits.
    private func region(_ req: Request) throws -> String? {
        guard let r: String = req.query["region"], !r.isEmpty else { return nil }
        guard [2, 4, 6].contains(r.count), r.allSatisfy(\.isASCII), r.allSatisfy(\.isNumber) else {
            throw ServiceError(.badRegion, zh: "region 应为2、4或6位区划代码前缀", en: "region must be a 2, 4 or 6-digit division code prefix")
        }
        return r
    }

    private func statusPage(_ req: Request) async throws -> Response {
        let db = DB(req.db)
        let accounts = AccountStore(db)
        let orgs = try await accounts.organisationCount()
        let regions = try await accounts.regionCount()
        var rows = ""
        for b in try await BatchStore(db).batches() {
            let history = try await HistoryStore(db).rowCount(batchID: b.id)
            let reports = try await DemandStore(db).reportCount(batchID: b.id)
            let findings = try await FindingStore(db).count(batchID: b.id)
            let label = b.policy.window.phase(at: now()).label
            let phase = "\(label.zh) \(label.en)"
            rows += "<tr><td>\(escapeHTML(b.code))</td><td>\(escapeHTML(b.name))</td><td>\(escapeHTML(phase))</td><td>\(history)</td><td>\(reports)</td><td>\(findings)</td></tr>"
        }
        let html = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>集采平台 Jicai</title>
            <style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f2f2f2}small{color:#666}</style></head>
            <body><h1>集采平台 <small>Jicai — volume-based procurement</small></h1>
            <p>行政区划 Regions: \(regions) · 机构 Organisations: \(orgs)</p>
            <table><tr><th>批次 Batch</th><th>名称 Name</th><th>阶段 Phase</th><th>历史采购行 History rows</th><th>报量机构 Reports</th><th>问题 Findings</th></tr>\(rows)</table>
            <p>JSON API: <code>/api/batches</code>, <code>/api/batches/{batch}/cities</code>, <code>/api/batches/{batch}/institutions?region=1401</code>,
            <code>/api/batches/{batch}/findings?region=140105</code> — <code>Authorization: Bearer $JICAI_API_TOKEN</code></p>
            </body></html>
            """
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: "Content-Security-Policy", value: "default-src 'self'; style-src 'unsafe-inline'")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}

public struct FindingDTO: Content {
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var code: String
    public var severity: String
    public var unit: String?
    public var numbers: [String: String]
    public var message: LocalizedText
    public var clause: String
    public var explanation: String?

    init(_ s: StoredFinding) {
        institutionCode = s.institutionCode
        institutionName = s.institutionName
        regionCode = s.regionCode
        code = s.finding.code.rawValue
        severity = s.finding.severity.rawValue
        unit = s.finding.unitKey
        numbers = s.finding.numbers
        message = s.finding.message
        clause = s.finding.clause
        explanation = s.finding.explanation
    }
}

extension CitySummary: Content {}
extension InstitutionSummary: Content {}
