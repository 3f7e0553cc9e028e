import Foundation
import JicaiCore
import JicaiServices

/// The accounts page: initial passwords just issued, imports, the filters and the paged list with its actions.
struct AccountsView {
    struct Model: Sendable {
        var users: Page<StoredUser>
        var sort: ListOrder<AccountColumn>
        var params: ListParams
        var issued: [IssuedCredential]
        var now: Date
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("账号管理", "Accounts") },
            model.issued.isEmpty
                ? .fragment([])
                : el("div", .class("card"), .id("issued")) {
                    el("h2") { lang.t("新发放的初始密码（仅显示一次，请下发给各账号）", "New initial passwords (shown once: hand them out)") }
                    Self.issuedTable(lang, model.issued)
                },
            imports,
            filters,
            list,
            Layout.pager(lang, model.users, model.params, id: "accounts-pager"),
        ])
    }

    static func issuedTable(_ lang: Lang, _ issued: [IssuedCredential]) -> Node {
        Layout.table(
            id: "issued-table", headers: [lang.t("账号", "User"), lang.t("名称", "Name"), lang.t("初始密码", "Initial password")],
            rows: issued.map { credential in [.text(credential.username), .text(credential.displayName), el("code") { credential.password }] })
    }

    var imports: Node {
        el("div", .class("card grid")) {
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.accountsImport).path, id: "accounts-import", multipart: true) {
                el("label") { lang.t("从表格导入账号（已有账号沿用）", "Import accounts from a spreadsheet (existing accounts carry over)") }
                el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                " "
                el("button", .type("submit"), .id("import-accounts")) { lang.t("导入", "Import") }
            }
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.accountsCreateMissing).path, id: "create-missing") {
                el("p") { lang.t("为尚无账号的新机构开通填报账号（账号为机构编码）", "Open filler accounts for new institutions without one (user name = institution code)") }
                el("button", .type("submit"), .class("secondary"), .id("create-missing-button")) {
                    lang.t("开通新机构账号", "Open accounts for new institutions")
                }
            }
        }
    }

    var states: [(AccountFilter.State, String)] {
        [
            (.active, lang.t("正常", "active")), (.disabled, lang.t("已停用", "disabled")), (.locked, lang.t("已锁定", "locked")),
            (.initial, lang.t("待改初始密码", "initial password")),
        ]
    }

    var filters: Node {
        let params = model.params
        return el("form", .action(SiteURL.admin(.accounts).path), Attr("method", "get"), .id("account-filters")) {
            el(
                "input", .type("search"), .name("search"), .value(params["search"] ?? ""),
                Attr("placeholder", lang.t("账号、机构编码或名称", "user, organisation or name")))
            " "
            el("select", .name("role")) {
                ReviewListView.option("", lang.t("全部角色", "Any role"), selected: params["role"] == nil)
                for role in Role.allCases { ReviewListView.option(role.rawValue, lang.t(role.label), selected: params["role"] == role.rawValue) }
            }
            el("select", .name("state")) {
                ReviewListView.option("", lang.t("全部状态", "Any state"), selected: params["state"] == nil)
                for (state, text) in states { ReviewListView.option(state.rawValue, text, selected: params["state"] == state.rawValue) }
            }
            " "
            el("button", .type("submit"), .class("secondary")) { lang.t("查找", "Search") }
        }
    }

    var list: Node {
        let sort = model.sort
        let params = model.params
        return Layout.pagedTable(
            id: "accounts",
            headers: [
                Layout.sortHeader(lang.t("账号", "User"), AccountColumn.username, sort, params),
                Layout.sortHeader(lang.t("名称", "Name"), .name, sort, params),
                Layout.sortHeader(lang.t("角色", "Role"), .role, sort, params),
                Layout.sortHeader(lang.t("机构/区划", "Organisation / region"), .organisation, sort, params),
                .text(lang.t("状态", "State")), .text(""),
            ], rows: model.users.items.map(row))
    }

    func row(_ user: StoredUser) -> [Node] {
        let state =
            !user.active
            ? lang.t("已停用", "disabled")
            : LoginPolicy().isLocked(until: user.lockedUntil, at: model.now)
                ? lang.t("已锁定", "locked")
                : user.mustChangePassword ? lang.t("待改初始密码", "initial password") : lang.t("正常", "active")
        let key = UserKey(text: user.username)
        func action(_ action: SiteURL.AccountAction, _ style: String, _ text: String) -> Node {
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.account(key, action)).path) { el("button", .type("submit"), .class(style)) { text } }
        }
        return [
            .text(user.username), .text(user.displayName), .text(lang.t(user.role.label)), .text(user.organisationCode ?? user.regionCode ?? ""),
            .text(state),
            .fragment([
                action(.reset, "secondary", lang.t("重置密码", "Reset password")),
                user.active ? action(.disable, "danger", lang.t("停用", "Disable")) : action(.enable, "secondary", lang.t("启用/解锁", "Enable / unlock")),
                user.active && user.lockedUntil != nil ? action(.enable, "secondary", lang.t("解锁", "Unlock")) : .fragment([]),
            ]),
        ]
    }
}

/// The audit log (province): filters and the paged entries with before and after.
struct AuditLogView {
    struct Model: Sendable {
        var entries: Page<AuditEntry>
        var filter: AuditFilter
        var sort: ListOrder<AuditColumn>
        var params: ListParams
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("审计日志", "Audit log") + " (\(model.entries.total))" },
            filters,
            list,
            Layout.pager(lang, model.entries, model.params, id: "audit-pager"),
        ])
    }

    var filters: Node {
        let filter = model.filter
        return el("form", .action(SiteURL.audit.path), Attr("method", "get"), .id("audit-filters"), .class("no-print")) {
            el("input", .type("search"), .name("search"), .value(filter.text ?? ""), Attr("placeholder", lang.t("对象或摘要", "Entity key or summary")))
            el("input", .type("text"), .name("actor"), .value(filter.actor ?? ""), Attr("placeholder", lang.t("操作人", "Who")))
            el("input", .type("text"), .name("action"), .value(filter.action ?? ""), Attr("placeholder", lang.t("操作", "Action")))
            el("input", .type("text"), .name("entity"), .value(filter.entity ?? ""), Attr("placeholder", lang.t("对象类型", "Entity type")))
            " "
            el("button", .type("submit"), .class("secondary")) { lang.t("筛选", "Filter") }
        }
    }

    var list: Node {
        let sort = model.sort
        let params = model.params
        return Layout.pagedTable(
            id: "audit",
            headers: [
                Layout.sortHeader(lang.t("时间", "When"), AuditColumn.at, sort, params), Layout.sortHeader(lang.t("操作人", "Who"), .actor, sort, params),
                Layout.sortHeader(lang.t("操作", "Action"), .action, sort, params), Layout.sortHeader(lang.t("对象", "Entity"), .entity, sort, params),
                .text(lang.t("摘要", "Summary")), .text(lang.t("修改前→后", "Before → after")), .text("IP"),
            ],
            rows: model.entries.items.map { entry in
                [
                    .text(ReportingWindow.shanghaiText(entry.at)), AuditLabels.cell(entry.actor, AuditLabels.actors, lang),
                    AuditLabels.cell(entry.action, AuditLabels.actions, lang),
                    .fragment([AuditLabels.cell(entry.entity, AuditLabels.entities, lang), .text(" \(entry.entityKey)")]),
                    .text(entry.summary), el("pre", .class("muted")) { entry.detail ?? "" }, .text(entry.ip ?? ""),
                ]
            })
    }
}
