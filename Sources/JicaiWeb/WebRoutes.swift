import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The web application: log-in, the batch home, the institution's form, review, administration, summaries, and the
/// JSON API with its OpenAPI document. Each area is a controller (`RouteCollection`) registered on the middleware
/// stack it needs; every handler asks the services, which ask `Authorizer`, on the server.
public struct WebRoutes: Sendable {
    public let deps: WebDependencies
    /// The static bearer token of the province's machine API under `/api`.
    public let apiToken: String
    /// Whether `/status` answers without a log-in; in production it needs a province account.
    public let statusPublic: Bool

    public init(deps: WebDependencies, apiToken: String, statusPublic: Bool) {
        self.deps = deps
        self.apiToken = apiToken
        self.statusPublic = statusPublic
    }

    public func register(_ app: Application) throws {
        let stacks = MiddlewareStacks(app, deps: deps, apiToken: apiToken)
        let status = StatusController(deps: deps, statusPublic: statusPublic)
        try app.register(collection: status)
        if !statusPublic { try stacks.pages.register(collection: StatusController.SignedIn(status: status)) }
        try stacks.machine.register(collection: LegacyAPIController(deps: deps))
        let jobs = ImportJobs()
        app.storage[ImportJobsKey.self] = jobs
        // Shutting down (SIGTERM, SIGINT) waits for running imports before the database closes.
        app.lifecycle.use(JobDrain(seconds: deps.shutdownGraceSeconds))
        try stacks.site.register(collection: AssetController())
        try stacks.site.register(collection: SessionController(deps: deps))
        try stacks.pages.register(collection: PasswordController(deps: deps))
        try stacks.pages.register(collection: BatchHomeController(deps: deps))
        try stacks.pages.register(collection: TokenPages(deps: deps))
        try stacks.pages.register(collection: FormPages(deps: deps))
        try stacks.pages.register(collection: ReviewPages(deps: deps))
        try stacks.pages.register(collection: AwardPages(deps: deps))
        try stacks.pages.register(collection: MonitorPages(deps: deps))
        try stacks.pages.register(collection: SupplyPages(deps: deps))
        try stacks.pages.register(collection: SupplyOversightPages(deps: deps))
        try stacks.pages.register(collection: AssessmentPages(deps: deps))
        try stacks.pages.register(collection: AdminPages(deps: deps, jobs: jobs))
        try stacks.pages.register(collection: AccountPages(deps: deps, jobs: jobs))
        try stacks.streamed.register(collection: HistoryUploadController(deps: deps, jobs: jobs))
        try stacks.api.register(collection: APIv1(deps: deps))
    }
}

/// Each middleware stack of the site, built once.
struct MiddlewareStacks {
    /// Pages before log-in: errors as HTML, the session if there is one, CSRF on every state change.
    let site: any RoutesBuilder
    /// Pages that need a signed-in user (who has changed the initial password).
    let pages: any RoutesBuilder
    /// Uploads streamed to disk: no CSRF middleware, which would collect the body; the handler checks the token.
    let streamed: any RoutesBuilder
    /// `/api/v1`: errors as JSON, a session (with `X-CSRF-Token`) or a bearer token.
    let api: any RoutesBuilder
    /// `/api`: the province's machine API (errors as JSON, the static bearer token).
    let machine: any RoutesBuilder

    init(_ app: Application, deps: WebDependencies, apiToken: String) {
        let session = SessionAuthenticator(deps: deps)
        site = app.grouped(WebErrorMiddleware(), session, CSRFMiddleware())
        pages = site.grouped(RequireUser(api: false))
        streamed = app.grouped(WebErrorMiddleware(), session, RequireUser(api: false))
        api = app.grouped(APIErrorMiddleware(), session, CSRFMiddleware())
        machine = app.grouped(APIErrorMiddleware(), APITokenMiddleware(token: apiToken))
    }
}

/// The stylesheet and script, read from the bundle's resources once and served with cache headers.
struct AssetController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for asset in SiteURL.Asset.allCases {
            routes.get(.asset(asset)) { _ in Response.asset(asset) }
        }
    }
}
