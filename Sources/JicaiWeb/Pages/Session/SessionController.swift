import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Log-in and the language switch (before a session exists).
struct SessionController: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.language(.any)) { req in try language(req) }
        routes.get(.login) { req in loginPage(req, error: nil) }
        routes.post(.login) { req in try await login(req) }
    }

    func language(_ req: Request) throws -> Response {
        let language = try LanguageKey(req)
        let back = req.headers.first(name: .referer).flatMap { URL(string: $0)?.path } ?? SiteURL.home.path
        let response = SafeRedirect.response(req, to: back)
        response.cookies["lang"] = HTTPCookies.Value(
            string: language.english ? "en" : "zh", maxAge: 365 * 86400, path: "/",
            isHTTPOnly: true, sameSite: .lax)
        return response
    }

    func loginPage(_ req: Request, error: String?) -> Response {
        let preToken = Secrets.random(18)
        let model = LoginView.Model(
            preToken: preToken, next: SafeRedirect.path(req.query["next"]) ?? SafeRedirect.fallback,
            policy: LoginPolicy())
        let response = Layout.page(req, title: req.lang.t("登录", "Log in"), flash: error.map { [.error($0)] } ?? []) {
            LoginView(model: model, lang: req.lang).body
        }
        response.cookies[CSRFMiddleware.preCookie] = HTTPCookies.Value(
            string: preToken, maxAge: 3600, path: SiteURL.login.path,
            isSecure: deps.secureCookies, isHTTPOnly: true, sameSite: .strict)
        if error != nil { response.status = .unauthorized }
        return response
    }

    func login(_ req: Request) async throws -> Response {
        struct Form: Content {
            var username: String
            var password: String
            var next: String?
        }
        let form = try req.content.decode(Form.self)
        let accounts = deps.services(req).accounts
        let user: StoredUser
        do {
            user = try await accounts.login(
                username: form.username.trimmingCharacters(in: .whitespaces), password: form.password,
                ip: req.clientIP, at: deps.now())
        } catch let refusal as Refusal {
            return loginPage(req, error: req.lang.t(refusal.message))
        }
        let (token, _) = try await accounts.startSession(userID: user.id, lifetime: deps.sessionLifetime, ip: req.clientIP, at: deps.now())
        let next = SafeRedirect.path(form.next) ?? SafeRedirect.fallback
        let response = SafeRedirect.response(req, to: user.mustChangePassword ? SiteURL.password.path : next)
        response.cookies[SessionAuthenticator.cookie] = HTTPCookies.Value(
            string: token, maxAge: Int(deps.sessionLifetime), path: "/",
            isSecure: deps.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

/// Log-out and the password change (a signed-in user).
struct PasswordController: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.post(.logout) { req in try await logout(req) }
        routes.get(.password) { req in passwordPage(req, error: nil) }
        routes.post(.password) { req in try await changePassword(req) }
    }

    func logout(_ req: Request) async throws -> Response {
        if let token = req.cookies[SessionAuthenticator.cookie]?.string {
            try await deps.services(req).accounts.endSession(token: token)
        }
        let response = req.redirect(to: .login)
        response.cookies[SessionAuthenticator.cookie] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), path: "/",
            isHTTPOnly: true)
        return response
    }

    func passwordPage(_ req: Request, error: String?) -> Response {
        let model = PasswordView.Model(mustChange: req.currentUser?.user.mustChangePassword == true)
        let response = Layout.page(req, title: req.lang.t("修改密码", "Change password"), flash: error.map { [.error($0)] } ?? []) {
            PasswordView(model: model, lang: req.lang, csrf: req.currentUser?.csrf ?? "").body
        }
        if error != nil { response.status = .badRequest }
        return response
    }

    func changePassword(_ req: Request) async throws -> Response {
        struct Form: Content {
            var current: String
            var new: String
            var confirm: String
        }
        let form = try req.content.decode(Form.self)
        let lang = req.lang
        guard form.new == form.confirm else { return passwordPage(req, error: lang.t(RefusalCode.passwordsDiffer.message)) }
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        do {
            try await deps.services(req).accounts.changePassword(
                userID: user.user.id, current: form.current, new: form.new,
                keepSession: req.cookies[SessionAuthenticator.cookie]?.string,
                ctx: try req.context(deps))
        } catch let refusal as Refusal {
            return passwordPage(req, error: lang.t(refusal.message))
        }
        return Flashes.redirect(req, to: SiteURL.home.path, .ok(lang.t("密码已修改", "Password changed")))
    }
}
