import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The user's own API tokens: list (label, created, expires, last used), create (shown once), revoke.
struct TokenPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.tokens) { req in try await page(req, created: nil) }
        routes.post(.tokens) { req in try await create(req) }
        routes.post(.revokeToken(.any)) { req in try await revoke(req) }
    }

    func page(_ req: Request, created: (token: String, expires: Date)?) async throws -> Response {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        let tokens = try await deps.services(req).accounts.tokens(userID: user.user.id)
        let model = TokenView.Model(tokens: tokens, created: created, now: deps.now(), csrf: user.csrf)
        let response = Layout.page(req, title: req.lang.t("API令牌", "API tokens"), flash: Flashes.take(req)) {
            TokenView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, response)
    }

    func create(_ req: Request) async throws -> Response {
        struct Form: Content {
            var label: String
            var days: String?
        }
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        let form = try req.content.decode(Form.self)
        let days = form.days.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        do {
            let created = try await deps.services(req).accounts.createToken(
                userID: user.user.id, label: form.label, days: days,
                ctx: try req.context(deps))
            return try await page(req, created: created)
        } catch let refusal as Refusal where !refusal.isScopeRefusal {
            return Flashes.redirect(req, to: SiteURL.tokens.path, .error(req.lang.t(refusal.message)))
        }
    }

    func revoke(_ req: Request) async throws -> Response {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        let token = try TokenKey(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.tokens.path) {
            try await deps.services(req).accounts.revokeToken(userID: user.user.id, id: token.text, ctx: ctx)
            return lang.t("令牌已撤销", "Token revoked")
        }
    }
}

/// The token page: the list, the token just created (once) and the form to create one.
struct TokenView {
    struct Model: Sendable {
        var tokens: [StoredToken]
        var created: (token: String, expires: Date)?
        var now: Date
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("API令牌", "API tokens") },
            el("p", .class("muted")) {
                lang.t(
                    "令牌供系统对接使用（Authorization: Bearer …），默认\(InputLimits.defaultTokenLifetimeDays)天后失效；修改密码、重置密码或停用账号后全部失效。",
                    "Tokens let other systems call the API (Authorization: Bearer …). They expire after \(InputLimits.defaultTokenLifetimeDays) days by default and all end when the password is changed or reset, or the account is disabled."
                )
            },
            model.created.map(createdCard) ?? .fragment([]),
            list,
            createForm,
        ])
    }

    func createdCard(_ created: (token: String, expires: Date)) -> Node {
        el("div", .class("card")) {
            el("p", .class("flash ok")) { lang.t("新令牌（只显示这一次，请立即复制保存）：", "The new token (shown only this once; copy it now):") }
            el("p") { el("code", .id("new-token")) { created.token } }
            el("p", .class("muted")) { lang.t("有效期至 ", "Valid until ") + ReportingWindow.shanghaiText(created.expires) }
        }
    }

    var list: Node {
        el("table", .id("tokens")) {
            el("tr") {
                for heading in [
                    lang.t("名称", "Label"), lang.t("编号", "Id"), lang.t("创建", "Created"), lang.t("到期", "Expires"),
                    lang.t("最近使用", "Last used"), "",
                ] {
                    el("th") { heading }
                }
            }
            for token in model.tokens { row(token) }
        }
    }

    func row(_ token: StoredToken) -> Node {
        el("tr") {
            el("td") { token.label }
            el("td") { el("code") { token.id } }
            el("td") { ReportingWindow.shanghaiText(token.createdAt) }
            el("td") {
                if let expires = token.expiresAt {
                    expires > model.now ? ReportingWindow.shanghaiText(expires) : lang.t("已过期", "expired")
                } else {
                    lang.t("已失效", "invalid")
                }
            }
            el("td") { token.lastUsedAt.map(ReportingWindow.shanghaiText) ?? "—" }
            el("td") {
                Layout.postForm(csrf: model.csrf, SiteURL.revokeToken(TokenKey(text: token.id)).path) {
                    el("button", .type("submit"), .class("secondary")) { lang.t("撤销", "Revoke") }
                }
            }
        }
    }

    var createForm: Node {
        el("div", .class("card")) {
            el("h2") { lang.t("创建令牌", "Create a token") }
            Layout.postForm(csrf: model.csrf, SiteURL.tokens.path, id: "token-form") {
                el("label", Attr("for", "token-label")) { lang.t("名称", "Label") }
                el(
                    "input", .type("text"), .name("label"), .id("token-label"), Attr("maxlength", String(InputLimits.maxTokenLabelCharacters)),
                    .required)
                el("label", Attr("for", "token-days")) {
                    lang.t("有效天数（1–\(InputLimits.maxTokenLifetimeDays)）", "Days valid (1–\(InputLimits.maxTokenLifetimeDays))")
                }
                el(
                    "input", .type("number"), .name("days"), .id("token-days"), .value(String(InputLimits.defaultTokenLifetimeDays)),
                    Attr("min", "1"), Attr("max", String(InputLimits.maxTokenLifetimeDays)))
                el("p") { el("button", .type("submit"), .id("create-token")) { lang.t("创建", "Create") } }
            }
        }
    }
}
