import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Accounts (province administrator): the paged list, imports, accounts for new institutions, reset, enable and
/// disable; and the audit log (province).
struct AccountPages: RouteCollection {
    let deps: WebDependencies
    let jobs: ImportJobs

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.admin(.accounts)) { req in try await accounts(req, issued: [], flash: []) }
        routes.post(.admin(.accountsImport)) { req in try await importAccounts(req) }
        routes.post(.admin(.accountsCreateMissing)) { req in try await createMissing(req) }
        routes.post(.admin(.account(.any, .reset))) { req in try await reset(req) }
        routes.post(.admin(.account(.any, .enable))) { req in try await setActive(req, true) }
        routes.post(.admin(.account(.any, .disable))) { req in try await setActive(req, false) }
        routes.get(.audit) { req in try await audit(req) }
    }

    func accounts(_ req: Request, issued: [IssuedCredential], flash: [Flash]) async throws -> Response {
        _ = try Admin.require(req)
        let params = ListParams(req)
        let sort = params.sort(default: AccountColumn.username)
        let users = try await deps.services(req).accounts.accountPage(
            text: params["search"], role: params["role"].flatMap(Role.init(rawValue:)),
            state: params["state"].flatMap(AccountFilter.State.init(rawValue:)),
            sort: sort, page: params.page(), ctx: try req.context(deps))
        let model = AccountsView.Model(users: users, sort: sort, params: params, issued: issued, now: deps.now(), csrf: req.currentUser?.csrf ?? "")
        let title = req.lang.t("账号管理", "Accounts")
        let page = Layout.page(req, title: title, crumbs: [Crumb(title: title, url: nil)], flash: Flashes.take(req) + flash) {
            AccountsView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    /// Account imports and new-institution accounts run as jobs: 50,000 bcrypt hashes take minutes.
    func accountJob(
        _ req: Request, title: String,
        _ body: @escaping @Sendable (AccountService, RequestContext, ImportJobs.Sink) async throws -> (String, [IssuedCredential])
    ) throws
        -> Response
    {
        let principal = try Admin.require(req)
        let ctx = try req.context(deps)
        let id = jobs.start(.init(owner: principal.username, title: title, back: .admin(.accounts)))
        let service = deps.services(req).accounts
        jobs.run(id, kind: "accounts", english: req.lang.en) { sink in try await body(service, ctx, sink) }
        return req.redirect(to: .admin(.job(JobKey(text: id))))
    }

    func importAccounts(_ req: Request) async throws -> Response {
        _ = try Admin.require(req)
        let lang = req.lang
        let back = SiteURL.admin(.accounts).path
        let upload: TemporaryUpload
        do { upload = try TemporaryUpload.spreadsheet(req) } catch let refusal as Refusal {
            return Flashes.redirect(req, to: back, .error(lang.t(refusal.message)))
        }
        return try accountJob(req, title: lang.t("导入账号", "Account import")) { service, ctx, sink in
            defer { upload.remove() }
            let result = try await service.importAccounts(path: upload.url.path, ctx: ctx, progress: sink)
            return (
                lang.t(
                    "\(result.file)：\(result.rows)行，新增\(result.created)个账号，沿用\(result.carriedOver)个",
                    "\(result.file): \(result.rows) rows, \(result.created) accounts created, \(result.carriedOver) carried over"), result.issued
            )
        }
    }

    func createMissing(_ req: Request) async throws -> Response {
        let lang = req.lang
        return try accountJob(req, title: lang.t("开通新机构账号", "Accounts for new institutions")) { service, ctx, sink in
            let issued = try await service.createMissingInstitutionAccounts(ctx: ctx, progress: sink)
            return (lang.t("开通\(issued.count)个新机构账号", "\(issued.count) accounts opened"), issued)
        }
    }

    func reset(_ req: Request) async throws -> Response {
        _ = try Admin.require(req)
        let user = try UserKey(req)
        let issued = try await deps.services(req).accounts.resetPassword(username: user.text, ctx: try req.context(deps))
        return try await accounts(req, issued: [issued], flash: [.ok(req.lang.t("密码已重置", "Password reset"))])
    }

    func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        _ = try Admin.require(req)
        let user = try UserKey(req)
        let lang = req.lang
        try await deps.services(req).accounts.setActive(username: user.text, active: active, ctx: try req.context(deps))
        return Flashes.redirect(
            req, to: SiteURL.admin(.accounts).path, .ok(active ? lang.t("已启用并解锁", "Enabled and unlocked") : lang.t("已停用", "Disabled")))
    }

    func audit(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let filter = AuditFilter(entity: params["entity"], actor: params["actor"], action: params["action"], text: params["search"])
        let sort = params.sort(default: AuditColumn.at, descending: true)
        let entries = try await deps.services(req).accounts.auditPage(filter: filter, sort: sort, page: params.page(), ctx: try req.context(deps))
        let title = req.lang.t("审计日志", "Audit log")
        return Layout.page(req, title: title, crumbs: [Crumb(title: title, url: nil)]) {
            AuditLogView(model: AuditLogView.Model(entries: entries, filter: filter, sort: sort, params: params), lang: req.lang).body
        }
    }
}
