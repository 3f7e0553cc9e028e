import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// `/health`, the status page, and the province's read-only machine API under `/api` (a static bearer token,
/// `JICAI_API_TOKEN`).
struct StatusController: RouteCollection {
    let deps: WebDependencies
    /// Whether `/status` answers without a log-in; in production it needs a province account.
    let statusPublic: Bool

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.health) { _ in ["status": "ok"] }
        if statusPublic { routes.get(.status) { req in try await statusPage(req) } }
    }

    /// The status page for a signed-in province account (when it is not public).
    struct SignedIn: RouteCollection {
        let status: StatusController

        func boot(routes: any RoutesBuilder) throws {
            routes.get(.status) { req in
                guard let principal = req.currentUser?.principal, Authorizer.canSeeProvince(principal) else { throw Refusal.forbidden }
                return try await status.statusPage(req)
            }
        }
    }

    func statusPage(_ req: Request) async throws -> Response {
        let figures = try await deps.services(req).platform.figures()
        var html = "<!doctype html>"
        StatusView(model: StatusView.Model(figures: figures, now: deps.now())).body.render(into: &html)
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: "Content-Security-Policy", value: "default-src 'self'; style-src 'unsafe-inline'")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }
}

/// The machine API: batches, the city summary, and the two lists that grow with the province, a page at a time
/// (`page` from 1, `size` up to `PageRequest.maxAPISize`, default that many; the total in X-Total-Count, the next
/// page in Link).
struct LegacyAPIController: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.legacyAPI(.batches)) { req in try await batches(req) }
        routes.get(.legacyAPI(.cities(.any))) { req in try await cities(req) }
        routes.get(.legacyAPI(.institutions(.any))) { req in try await institutions(req) }
        routes.get(.legacyAPI(.findings(.any))) { req in try await findings(req) }
    }

    func batches(_ req: Request) async throws -> [BatchDTO] {
        let now = deps.now()
        return try await deps.services(req).platform.batches().map { batch in
            BatchDTO(
                code: batch.code, name: batch.name, provinceCode: batch.provinceCode, policy: batch.policy,
                phase: batch.policy.window.phase(at: now).rawValue)
        }
    }

    func cities(_ req: Request) async throws -> [CitySummary] {
        try await deps.services(req).exports.citySummary(batchCode: try BatchKey(req).code, regionPrefix: try region(req))
    }

    func institutions(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).platform.institutionPage(batchCode: try BatchKey(req).code, regionPrefix: try region(req), page: page)
        return try await Response.paged(req, rows.items, total: rows.total, page: page, params: params)
    }

    func findings(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).platform.findingPage(
            batchCode: try BatchKey(req).code, regionPrefix: try region(req),
            institutionCode: params["institution"], page: page)
        return try await Response.paged(req, rows.items.map(FindingDTO.init), total: rows.total, page: page, params: params)
    }

    /// `?region=` must be 2, 4 or 6 digits.
    func region(_ req: Request) throws -> String? {
        guard let region: String = req.query["region"], !region.isEmpty else { return nil }
        guard DivisionCode.isPrefix(region) else { throw Refusal(.badRegion) }
        return region
    }
}

/// The status page: regions, organisations and each batch's figures, in both languages at once.
struct StatusView {
    struct Model: Sendable {
        var figures: PlatformService.Figures
        var now: Date
    }

    let model: Model

    static let style = """
        body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
        td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f2f2f2}small{color:#666}
        """

    var body: Node {
        el("html", attrs: [Attr("lang", "zh-CN")]) {
            el("head") {
                el("meta", Attr("charset", "utf-8"))
                el("title") { "集采平台 Jicai" }
                el("style") { Node.unsafeRaw(Self.style) }
            }
            el("body") {
                el("h1") {
                    "集采平台 "
                    el("small") { "Jicai — volume-based procurement" }
                }
                el("p") { "行政区划 Regions: \(model.figures.regions) · 机构 Organisations: \(model.figures.organisations)" }
                table
                el("p") { apiNote }
            }
        }
    }

    var table: Node {
        el("table") {
            el("tr") {
                for heading in ["批次 Batch", "名称 Name", "阶段 Phase", "历史采购行 History rows", "报量机构 Reports", "问题 Findings"] { el("th") { heading } }
            }
            for figures in model.figures.batches {
                let label = figures.batch.policy.window.phase(at: model.now).label
                el("tr") {
                    el("td") { figures.batch.code }
                    el("td") { figures.batch.name }
                    el("td") { "\(label.zh) \(label.en)" }
                    el("td") { String(figures.historyRows) }
                    el("td") { String(figures.reports) }
                    el("td") { String(figures.findings) }
                }
            }
        }
    }

    var apiNote: Node {
        let batch = BatchKey("{batch}")
        let paths = [
            SiteURL.legacyAPI(.batches).path, SiteURL.legacyAPI(.cities(batch)).openAPIPath,
            SiteURL.legacyAPI(.institutions(batch)).openAPIPath + "?region=1401", SiteURL.legacyAPI(.findings(batch)).openAPIPath + "?region=140105",
        ]
        return .fragment(
            [.text("JSON API: ")] + paths.flatMap { path in [el("code") { path }, .text(", ")] }.dropLast()
                + [.text(" — "), el("code") { "Authorization: Bearer $JICAI_API_TOKEN" }])
    }
}

/// Province-level read access to the machine API: `Authorization: Bearer <JICAI_API_TOKEN>`.
struct APITokenMiddleware: AsyncMiddleware {
    let token: String

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let given = request.headers.bearerAuthorization?.token, Secrets.equal(given, token) else { throw Abort(.unauthorized) }
        return try await next.respond(to: request)
    }
}

public struct BatchDTO: Content {
    public var code: String
    public var name: String
    public var provinceCode: String
    public var policy: BatchPolicy
    public var phase: String
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

    init(_ stored: StoredFinding) {
        institutionCode = stored.institutionCode
        institutionName = stored.institutionName
        regionCode = stored.regionCode
        code = stored.finding.code.rawValue
        severity = stored.finding.severity.rawValue
        unit = stored.finding.unitKey
        numbers = stored.finding.numbers
        message = stored.finding.message
        clause = stored.finding.clause
        explanation = stored.finding.explanation
    }
}

extension CitySummary: Content {}
extension InstitutionSummary: Content {}
