import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The interface language: Simplified Chinese by default, English by a switch (cookie `lang`).
struct Lang: Sendable {
    var en: Bool
    func t(_ zh: String, _ en: String) -> String { self.en ? en : zh }
    func t(_ text: LocalizedText) -> String { en ? text.en : text.zh }
}

/// One step of the breadcrumbs above a page's title: a link, or the current page (no link).
struct Crumb: Sendable, Hashable {
    var title: String
    var url: SiteURL?
}

/// What the shared header of every page shows: who is signed in and which links their role has.
struct Chrome: Sendable {
    struct User: Sendable {
        var displayName: String
        var roleLabel: String
        var csrf: String
        var managesAccounts: Bool
        var seesAuditLog: Bool
    }

    var lang: Lang
    var user: User?
    /// The open alerts of the batch a page belongs to, in the principal's scope, with the inbox's address.
    var alerts: AlertBadge?

    init(lang: Lang, user: User?, alerts: AlertBadge? = nil) {
        self.lang = lang
        self.user = user
        self.alerts = alerts
    }

    init(_ req: Request) {
        lang = req.lang
        user = req.currentUser.map { current in
            User(
                displayName: current.user.displayName, roleLabel: req.lang.t(current.principal.role.label), csrf: current.csrf,
                managesAccounts: current.principal.role == .provinceAdmin, seesAuditLog: current.principal.role.isProvince)
        }
        alerts = req.storage[AlertBadge.Key.self]
    }
}

/// The header's alert count on a batch's pages (the monitoring inbox, 004 §6): put in the request by the handlers of
/// pages that know their batch.
struct AlertBadge: Sendable {
    var open: Int64
    var inbox: SiteURL

    struct Key: StorageKey {
        typealias Value = AlertBadge
    }
}

enum Layout {
    /// A whole page as a response: the shared header, breadcrumbs, flash messages, content.
    static func page(
        _ req: Request, title: String, crumbs: [Crumb] = [], flash: [Flash] = [],
        @HTMLBuilder _ content: () -> [Node]
    ) -> Response {
        let html = document(Chrome(req), title: title, crumbs: crumbs, flash: flash, content())
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: "Cache-Control", value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    /// The page's HTML (pure: the snapshot tests render pages through it).
    static func document(_ chrome: Chrome, title: String, crumbs: [Crumb] = [], flash: [Flash] = [], _ body: [Node]) -> String {
        let lang = chrome.lang
        let doc = el("html", attrs: [Attr("lang", lang.en ? "en" : "zh-CN")]) {
            el("head") {
                el("meta", Attr("charset", "utf-8"))
                el("meta", .name("viewport"), Attr("content", "width=device-width, initial-scale=1"))
                el("title") { "\(title) · \(lang.t("集采平台", "Jicai"))" }
                el("link", Attr("rel", "stylesheet"), .href(SiteURL.asset(.css).path))
                el("script", Attr("src", SiteURL.asset(.js).path), Attr("defer", nil))
            }
            el("body") {
                header(chrome)
                el("main") {
                    if !crumbs.isEmpty { breadcrumbs(lang, crumbs) }
                    for message in flash { el("p", .class("flash \(message.kind)"), Attr("role", "status")) { message.text } }
                    body
                }
            }
        }
        var html = "<!doctype html>"
        doc.render(into: &html)
        return html
    }

    /// The bar at the top: the brand, the links of the user's role, the user, log-out and the language switch.
    static func header(_ chrome: Chrome) -> Node {
        let lang = chrome.lang
        return el("header", .class("top")) {
            el("a", .href(SiteURL.home.path), .class("brand")) { lang.t("集采平台", "Jicai") }
            el("nav") {
                if let user = chrome.user {
                    if user.managesAccounts { el("a", .href(SiteURL.admin(.accounts).path)) { lang.t("账号", "Accounts") } }
                    if user.seesAuditLog { el("a", .href(SiteURL.audit.path)) { lang.t("审计日志", "Audit log") } }
                    el("a", .href(SiteURL.tokens.path)) { lang.t("API令牌", "API tokens") }
                    if let alerts = chrome.alerts {
                        el("a", .href(alerts.inbox.path), .id("alert-badge"), .class(alerts.open > 0 ? "alert-badge open" : "alert-badge")) {
                            lang.t("预警 \(alerts.open)", "Alerts \(alerts.open)")
                        }
                    }
                    el("span", .class("who")) { "\(user.displayName)（\(user.roleLabel)）" }
                    el("form", .action(SiteURL.logout.path), .postMethod, .class("inline")) {
                        el("input", .type("hidden"), .name("_csrf"), .value(user.csrf))
                        el("button", .type("submit"), .class("link"), .id("logout")) { lang.t("退出", "Log out") }
                    }
                }
                el("a", .href(SiteURL.language(LanguageKey(lang.en ? "zh" : "en")).path), .id("lang-switch")) { lang.en ? "中文" : "English" }
            }
        }
    }

    /// 首页 › batch › page: where the page sits, each step a link but the last.
    static func breadcrumbs(_ lang: Lang, _ crumbs: [Crumb]) -> Node {
        el("nav", .class("crumbs no-print"), Attr("aria-label", lang.t("位置", "Breadcrumbs"))) {
            el("a", .href(SiteURL.home.path)) { lang.t("首页", "Home") }
            for crumb in crumbs {
                el("span", .class("sep")) { "›" }
                if let url = crumb.url { el("a", .href(url.path)) { crumb.title } } else { el("span", Attr("aria-current", "page")) { crumb.title } }
            }
        }
    }

    static func csrf(_ req: Request) -> Node { csrf(req.currentUser?.csrf ?? "") }

    static func csrf(_ token: String) -> Node { el("input", .type("hidden"), .name("_csrf"), .value(token)) }

    /// The block a bureau's printed report is sealed and signed in.
    static func signatureBlock(_ lang: Lang) -> Node {
        el("div", .class("signature"), .id("signature")) {
            el("p") { lang.t("编制单位（盖章）：", "Issued by (seal):") }
            el("p") { lang.t("审核人：　　　　　　　负责人：　　　　　　　日期：", "Reviewed by:            Approved by:            Date:") }
        }
    }

    static func postForm(
        _ req: Request, _ action: String, id: String? = nil, multipart: Bool = false,
        @HTMLBuilder _ content: () -> [Node]
    ) -> Node {
        postForm(csrf: req.currentUser?.csrf ?? "", action, id: id, multipart: multipart, content)
    }

    /// A POST form carrying the session's CSRF token.
    static func postForm(
        csrf token: String, _ action: String, id: String? = nil, multipart: Bool = false,
        @HTMLBuilder _ content: () -> [Node]
    ) -> Node {
        var attrs: [Attr] = [.action(action), .postMethod]
        if let id { attrs.append(.id(id)) }
        if multipart { attrs.append(.multipart) }
        let inner = content()
        return el("form", attrs: attrs) {
            csrf(token)
            inner
        }
    }

    /// A sortable, filterable table (app.js adds the behaviour; without script it is a plain table).
    static func table(id: String, headers: [String], filter: Lang? = nil, rows: [[Node]]) -> Node {
        el("div", .class("table-wrap")) {
            if let filter {
                el("input", .type("search"), .class("filter"), .data("table", id), Attr("placeholder", filter.t("筛选…", "Filter…")))
            }
            el("table", .id(id), .class("sortable")) {
                el("thead") { el("tr") { for header in headers { el("th") { header } } } }
                el("tbody") {
                    for row in rows { el("tr") { for cell in row { el("td") { cell } } } }
                }
            }
        }
    }

    /// "2025-12-29 24:00" as the seeds write it, with a live countdown to it.
    static func countdown(_ lang: Lang, to date: Date, label: String) -> Node {
        el(
            "span", .class("countdown"), .data("deadline", String(Int(date.timeIntervalSince1970))), .data("left", lang.t("，剩余", ", left: ")),
            .data("over", lang.t("，已截止", ", passed"))
        ) {
            "\(label) \(ReportingWindow.shanghaiText(date)) \(lang.t("（北京时间）", "(Beijing time)"))"
        }
    }
}

struct Flash: Sendable {
    var kind: String
    var text: String
    static func ok(_ t: String) -> Flash { Flash(kind: "ok", text: t) }
    static func error(_ t: String) -> Flash { Flash(kind: "error", text: t) }
}

/// The stylesheet and script, readable files in the bundle's `Resources`, read once.
enum StaticAssets {
    static let css = load("app", "css")
    static let js = load("app", "js")

    /// A short content hash, so a changed file gets a new ETag.
    static func etag(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(hash, radix: 16)
    }

    static func load(_ name: String, _ ext: String) -> String {
        guard
            let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources")
                ?? Bundle.module.url(forResource: name, withExtension: ext),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            fatalError("the bundle has no Resources/\(name).\(ext)")
        }
        return text
    }
}

extension Layout {
    /// A page inside one stage of a batch: the crumbs batch → the stage's first page → this page; the flash taken and
    /// cleared.
    static func stagePage(
        _ req: Request, _ scope: BatchScope, _ batch: BatchKey, stage: (title: String, url: SiteURL), title: String, _ body: () -> Node
    ) -> Response {
        let crumbs = [
            Crumb(title: scope.batch.name, url: .batch(batch, .home)), Crumb(title: stage.title, url: stage.url), Crumb(title: title, url: nil),
        ]
        let html = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { body() }
        return Flashes.clear(req, html)
    }
}
