import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// The web application of the reporting stage: log-in, the institution's form, review, administration, summaries,
/// and the JSON API with its OpenAPI document. Every handler asks `Authorizer` (through the services) on the server.
public struct WebRoutes: Sendable {
    public let deps: WebDependencies

    public init(deps: WebDependencies) { self.deps = deps }

    public func register(_ app: Application) {
        let base = app.grouped(WebErrorMiddleware()).grouped(SessionAuthenticator(deps: deps)).grouped(CSRFMiddleware())
        base.get("static", "app.css") { _ in Response.text(StaticAssets.css, type: HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])) }
        base.get("static", "app.js") { _ in Response.text(StaticAssets.js, type: HTTPMediaType(type: "application", subType: "javascript", parameters: ["charset": "utf-8"])) }
        base.get("lang", ":lang") { req -> Response in
            let r = SafeRedirect.response(req, to: req.headers.first(name: .referer).flatMap { URL(string: $0)?.path } ?? "/")
            r.cookies["lang"] = HTTPCookies.Value(string: req.parameters.get("lang") == "en" ? "en" : "zh", maxAge: 365 * 86400, path: "/", isHTTPOnly: true, sameSite: .lax)
            return r
        }
        base.get("login") { req in try await loginPage(req, error: nil) }
        base.post("login") { req in try await login(req) }
        let pages = base.grouped(RequireUser(api: false))
        pages.post("logout") { req in try await logout(req) }
        pages.get("password") { req in passwordPage(req, error: nil) }
        pages.post("password") { req in try await changePassword(req) }
        pages.get { req in try await HomePage(deps: deps).render(req) }
        TokenPages(deps: deps).register(pages)
        FormPages(deps: deps).register(pages)
        ReviewPages(deps: deps).register(pages)
        let streamed = app.grouped(WebErrorMiddleware()).grouped(SessionAuthenticator(deps: deps)).grouped(RequireUser(api: false))
        let jobs = ImportJobs()
        app.storage[ImportJobsKey.self] = jobs
        // Shutting down (SIGTERM, SIGINT) waits for running imports before the database closes.
        app.lifecycle.use(JobDrain(seconds: deps.shutdownGraceSeconds))
        AdminPages(deps: deps, jobs: jobs).register(pages, streamed: streamed)
        APIv1(deps: deps).register(app.grouped(APIErrorMiddleware()).grouped(SessionAuthenticator(deps: deps)).grouped(CSRFMiddleware()))
    }

    func loginPage(_ req: Request, error: String?) async throws -> Response {
        let lang = req.lang
        let pre = Secrets.random(18)
        let next = (req.query["next"] as String?) ?? "/"
        let response = Layout.page(req, title: lang.t("登录", "Log in"), flash: error.map { [.error($0)] } ?? []) {
            el("div", .class("card login")) {
                el("h1") { lang.t("登录", "Log in") }
                el("form", .action("/login"), .postMethod, .id("login-form")) {
                    el("input", .type("hidden"), .name("_csrf"), .value(pre))
                    el("input", .type("hidden"), .name("next"), .value(SafeRedirect.path(next) ?? SafeRedirect.fallback))
                    el("label", Attr("for", "username")) { lang.t("账号", "User name") }
                    el("input", .type("text"), .name("username"), .id("username"), Attr("autocomplete", "username"), .required)
                    el("label", Attr("for", "password")) { lang.t("密码", "Password") }
                    el("input", .type("password"), .name("password"), .id("password"), Attr("autocomplete", "current-password"), .required)
                    el("p") { el("button", .type("submit"), .id("login")) { lang.t("登录", "Log in") } }
                }
                el("p", .class("muted")) { lang.t("连续5次密码错误将锁定15分钟。忘记密码请联系省级管理员重置。", "Five wrong passwords lock the account for 15 minutes. Ask the province administrator to reset a forgotten password.") }
            }
        }
        response.cookies[CSRFMiddleware.preCookie] = HTTPCookies.Value(string: pre, maxAge: 3600, path: "/login", isSecure: deps.secureCookies, isHTTPOnly: true, sameSite: .strict)
        if error != nil { response.status = .unauthorized }
        return response
    }

    func login(_ req: Request) async throws -> Response {
        struct Form: Content { var username: String; var password: String; var next: String? }
        let form = try req.content.decode(Form.self)
        let lang = req.lang
        let db = DB(req.db)
        let user: StoredUser
        do {
            user = try await AccountService(db: db, hasher: deps.hasher).login(username: form.username.trimmingCharacters(in: .whitespaces),
                                                                               password: form.password, ip: req.clientIP, at: deps.now())
        } catch let e as ServiceError {
            return try await loginPage(req, error: lang.t(e.message))
        }
        let (token, _) = try await AccountService(db: db, hasher: deps.hasher).startSession(userID: user.id, lifetime: deps.sessionLifetime,
                                                                                             ip: req.clientIP, at: deps.now())
        let next = SafeRedirect.path(form.next) ?? SafeRedirect.fallback
        let r = SafeRedirect.response(req, to: user.mustChangePassword ? "/password" : next)
        r.cookies[SessionAuthenticator.cookie] = HTTPCookies.Value(string: token, maxAge: Int(deps.sessionLifetime), path: "/", isSecure: deps.secureCookies,
                                                                   isHTTPOnly: true, sameSite: .lax)
        return r
    }

    func logout(_ req: Request) async throws -> Response {
        if let token = req.cookies[SessionAuthenticator.cookie]?.string {
            try await AccountService(db: DB(req.db), hasher: deps.hasher).endSession(token: token)
        }
        let r = SafeRedirect.response(req, to: "/login")
        r.cookies[SessionAuthenticator.cookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true)
        return r
    }

    func passwordPage(_ req: Request, error: String?) -> Response {
        let lang = req.lang
        let must = req.currentUser?.user.mustChangePassword == true
        let r = Layout.page(req, title: lang.t("修改密码", "Change password"), flash: error.map { [.error($0)] } ?? []) {
            el("div", .class("card login")) {
                el("h1") { lang.t("修改密码", "Change password") }
                if must { el("p", .class("flash ok")) { lang.t("首次登录须修改初始密码。", "Change the initial password before you continue.") } }
                Layout.postForm(req, "/password", id: "password-form") {
                    el("label", Attr("for", "current")) { lang.t("原密码", "Current password") }
                    el("input", .type("password"), .name("current"), .id("current"), .required)
                    el("label", Attr("for", "new")) { lang.t("新密码（至少8位，含字母和数字）", "New password (8+ characters, letters and digits)") }
                    el("input", .type("password"), .name("new"), .id("new"), .required)
                    el("label", Attr("for", "confirm")) { lang.t("再次输入新密码", "Repeat the new password") }
                    el("input", .type("password"), .name("confirm"), .id("confirm"), .required)
                    el("p") { el("button", .type("submit"), .id("change-password")) { lang.t("保存", "Save") } }
                }
            }
        }
        if error != nil { r.status = .badRequest }
        return r
    }

    func changePassword(_ req: Request) async throws -> Response {
        struct Form: Content { var current: String; var new: String; var confirm: String }
        let form = try req.content.decode(Form.self)
        let lang = req.lang
        guard form.new == form.confirm else { return passwordPage(req, error: lang.t("两次输入的新密码不一致", "the two new passwords differ")) }
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        do {
            try await AccountService(db: DB(req.db), hasher: deps.hasher).changePassword(userID: user.user.id, current: form.current, new: form.new,
                                                                                        keepSession: req.cookies[SessionAuthenticator.cookie]?.string,
                                                                                        ctx: try req.context(deps))
        } catch let e as ServiceError {
            return passwordPage(req, error: lang.t(e.message))
        }
        return Flashes.redirect(req, to: "/", .ok(lang.t("密码已修改", "Password changed")))
    }
}

extension Response {
    static func text(_ s: String, type: HTTPMediaType) -> Response {
        var h = HTTPHeaders()
        h.contentType = type
        h.add(name: "Cache-Control", value: "public, max-age=300")
        return Response(status: .ok, headers: h, body: .init(string: s))
    }

    static func download(_ data: Data, name: String, type: String) -> Response {
        var h = HTTPHeaders()
        h.add(name: .contentType, value: type)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        h.add(name: .contentDisposition, value: "attachment; filename=\"download\"; filename*=UTF-8''\(encoded)")
        h.add(name: "Cache-Control", value: "no-store")
        return Response(status: .ok, headers: h, body: .init(data: data))
    }
}

/// One-shot messages carried to the next page in a cookie (post/redirect/get).
enum Flashes {
    static let cookie = "jicai_flash"

    static func redirect(_ req: Request, to path: String, _ flash: Flash) -> Response {
        let r = SafeRedirect.response(req, to: path)
        let text = String(flash.text.prefix(600))
        r.cookies[cookie] = HTTPCookies.Value(string: flash.kind + ":" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                              maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
        return r
    }

    static func take(_ req: Request) -> [Flash] {
        guard let v = req.cookies[cookie]?.string, let i = v.firstIndex(of: ":") else { return [] }
        let text = String(v[v.index(after: i)...]).removingPercentEncoding ?? ""
        return [Flash(kind: String(v[..<i]), text: text)]
    }

    /// Renders `response` and clears the cookie the flash came in.
    static func clear(_ req: Request, _ response: Response) -> Response {
        if req.cookies[cookie] != nil {
            response.cookies[cookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true)
        }
        return response
    }

    /// Runs a state-changing action: refusals come back as a message on `back`; scope refusals stay errors (404/403).
    static func act(_ req: Request, back: String, _ body: () async throws -> String) async throws -> Response {
        do {
            return redirect(req, to: back, .ok(try await body()))
        } catch let e as ServiceError where !e.isScopeRefusal {
            return redirect(req, to: back, .error(req.lang.t(e.message)))
        } catch let e as ImportFailure {
            let lang = req.lang
            return redirect(req, to: back, .error(e.issues.prefix(5).map { $0.text(lang.en ? .en : .zh) }.joined(separator: "；")))
        }
    }
}

/// Errors of pages become an HTML page with the status; internals are logged with the request id, never shown.
struct WebErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let lang = request.lang
            let status: HTTPResponseStatus
            let message: String
            switch error {
            case let e as ServiceError:
                status = e.httpStatus
                message = lang.t(e.message)
            case let e as AbortError:
                status = e.status
                message = lang.t(RequestRefusal.message(e, request))
            default:
                request.logger.error("request failed: \(String(reflecting: error))")
                status = .internalServerError
                message = lang.t("服务器内部错误，请稍后重试", "internal error; please try again later")
            }
            let r = Layout.page(request, title: "\(status.code)", flash: [.error(message)]) {
                el("p") { el("a", .href("/")) { lang.t("返回首页", "Back to the start page") } }
            }
            r.status = status
            return r
        }
    }
}

/// On shutdown the server has stopped taking requests and finished those in flight (Vapor quiesces its
/// connections); this waits for background imports too, up to the grace period, before the databases close.
struct JobDrain: LifecycleHandler {
    let seconds: Double

    func shutdownAsync(_ application: Application) async {
        let left = await application.drainBackgroundJobs(seconds: seconds)
        if left > 0 { application.logger.warning("shutting down with \(left) background jobs still running (their transactions roll back)") }
    }
}

struct ImportJobsKey: StorageKey { typealias Value = ImportJobs }

extension Application {
    /// Waits until the background imports started from the browser have ended, or `seconds` have passed; returns how
    /// many were still running. Shutting down calls it.
    public func drainBackgroundJobs(seconds: Double) async -> Int {
        guard let jobs = storage[ImportJobsKey.self] else { return 0 }
        return await jobs.drain(seconds: seconds)
    }
}
