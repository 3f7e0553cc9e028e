import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// The user's own API tokens: list (label, created, expires, last used), create (shown once), revoke.
struct TokenPages: Sendable {
    let deps: WebDependencies

    func register(_ r: any RoutesBuilder) {
        r.get("tokens") { req in try await page(req, created: nil) }
        r.post("tokens") { req in try await create(req) }
        r.post("tokens", ":id", "revoke") { req in try await revoke(req) }
    }

    func accounts(_ req: Request) -> AccountService { AccountService(db: DB(req.db), hasher: deps.hasher) }

    func page(_ req: Request, created: (token: String, expires: Date)?) async throws -> Response {
        guard let u = req.currentUser else { throw Abort(.unauthorized) }
        let lang = req.lang
        let tokens = try await accounts(req).tokens(userID: u.user.id)
        let now = deps.now()
        let response = Layout.page(req, title: lang.t("API令牌", "API tokens"), flash: Flashes.take(req)) {
            el("h1") { lang.t("API令牌", "API tokens") }
            el("p", .class("muted")) {
                lang.t("令牌供系统对接使用（Authorization: Bearer …），默认\(InputLimits.defaultTokenLifetimeDays)天后失效；修改密码、重置密码或停用账号后全部失效。",
                       "Tokens let other systems call the API (Authorization: Bearer …). They expire after \(InputLimits.defaultTokenLifetimeDays) days by default and all end when the password is changed or reset, or the account is disabled.")
            }
            if let created {
                el("div", .class("card")) {
                    el("p", .class("flash ok")) { lang.t("新令牌（只显示这一次，请立即复制保存）：", "The new token (shown only this once; copy it now):") }
                    el("p") { el("code", .id("new-token")) { created.token } }
                    el("p", .class("muted")) { lang.t("有效期至 ", "Valid until ") + ReportingWindow.shanghaiText(created.expires) }
                }
            }
            el("table", .id("tokens")) {
                el("tr") {
                    for h in [lang.t("名称", "Label"), lang.t("编号", "Id"), lang.t("创建", "Created"), lang.t("到期", "Expires"), lang.t("最近使用", "Last used"), ""] {
                        el("th") { h }
                    }
                }
                for t in tokens {
                    el("tr") {
                        el("td") { t.label }
                        el("td") { el("code") { t.id } }
                        el("td") { ReportingWindow.shanghaiText(t.createdAt) }
                        el("td") {
                            if let e = t.expiresAt { e > now ? ReportingWindow.shanghaiText(e) : lang.t("已过期", "expired") } else { lang.t("已失效", "invalid") }
                        }
                        el("td") { t.lastUsedAt.map(ReportingWindow.shanghaiText) ?? "—" }
                        el("td") {
                            Layout.postForm(req, "/tokens/\(SafeRedirect.segment(t.id))/revoke") {
                                el("button", .type("submit"), .class("secondary")) { lang.t("撤销", "Revoke") }
                            }
                        }
                    }
                }
            }
            el("div", .class("card")) {
                el("h2") { lang.t("创建令牌", "Create a token") }
                Layout.postForm(req, "/tokens", id: "token-form") {
                    el("label", Attr("for", "token-label")) { lang.t("名称", "Label") }
                    el("input", .type("text"), .name("label"), .id("token-label"), Attr("maxlength", String(InputLimits.maxTokenLabelCharacters)), .required)
                    el("label", Attr("for", "token-days")) { lang.t("有效天数（1–\(InputLimits.maxTokenLifetimeDays)）", "Days valid (1–\(InputLimits.maxTokenLifetimeDays))") }
                    el("input", .type("number"), .name("days"), .id("token-days"), .value(String(InputLimits.defaultTokenLifetimeDays)),
                       Attr("min", "1"), Attr("max", String(InputLimits.maxTokenLifetimeDays)))
                    el("p") { el("button", .type("submit"), .id("create-token")) { lang.t("创建", "Create") } }
                }
            }
        }
        return Flashes.clear(req, response)
    }

    func create(_ req: Request) async throws -> Response {
        struct Form: Content { var label: String; var days: String? }
        guard let u = req.currentUser else { throw Abort(.unauthorized) }
        let form = try req.content.decode(Form.self)
        let days = form.days.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        do {
            let created = try await accounts(req).createToken(userID: u.user.id, label: form.label, days: days, ctx: try req.context(deps))
            return try await page(req, created: created)
        } catch let e as ServiceError where !e.isScopeRefusal {
            return Flashes.redirect(req, to: "/tokens", .error(req.lang.t(e.message)))
        }
    }

    func revoke(_ req: Request) async throws -> Response {
        guard let u = req.currentUser else { throw Abort(.unauthorized) }
        let id = try req.parameters.require("id")
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: "/tokens") {
            try await accounts(req).revokeToken(userID: u.user.id, id: id, ctx: ctx)
            return lang.t("令牌已撤销", "Token revoked")
        }
    }
}
