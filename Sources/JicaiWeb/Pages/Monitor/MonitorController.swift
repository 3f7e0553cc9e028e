import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The monitoring stage's pages (用): the dashboard with its drill-down, the alerts inbox, the monthly summary, the
/// prescription review and the province's imports. Handlers are thin: the services decide who may see and do what.
struct MonitorPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(monitor(.dashboard)) { req in try await dashboard(req) }
        routes.get(monitor(.dashboardXLSX)) { req in try await dashboardXLSX(req) }
        routes.get(monitor(.alerts)) { req in try await alerts(req) }
        routes.post(monitor(.acknowledge)) { req in try await acknowledge(req) }
        routes.post(monitor(.resolve)) { req in try await resolve(req) }
        routes.post(monitor(.bulkAlerts)) { req in try await bulkAlerts(req) }
        routes.post(monitor(.recompute)) { req in try await recompute(req) }
        routes.post(monitor(.purchases)) { req in try await importPurchases(req) }
        routes.post(monitor(.usage)) { req in try await importUsage(req) }
        routes.get(monitor(.report)) { req in try await report(req) }
        routes.get(monitor(.reportXLSX)) { req in try await reportXLSX(req) }
        routes.get(monitor(.review)) { req in try await review(req) }
        routes.get(monitor(.cityReport)) { req in try await cityReport(req) }
        routes.post(monitor(.cityReportSave)) { req in try await saveCityReport(req) }
        routes.post(monitor(.addProblem)) { req in try await addProblem(req) }
    }

    /// The half-year asked for ("2026H1"), refused when given but not one of the platform's range; else the one due
    /// next (or, on the range's first ten days, the current one).
    func period(_ req: Request, _ ctx: RequestContext) throws -> HalfYear {
        if let text: String = req.query["period"], !text.isEmpty {
            guard let period = HalfYear(text: text) else {
                throw QueryValue.refusal(zh: "报告期应为如2026H1的半年", en: "the period must be a half-year such as 2026H1")
            }
            return period
        }
        let today = CivilDate(beijing: ctx.at)
        return HalfYear.dueNext(on: today) ?? HalfYear.containing(today)
    }

    /// The city's half-yearly report (001 §4): the city drafts and submits; the province sees every city's state and
    /// opens one.
    func cityReport(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let monitor = deps.services(req).monitor
        guard let prefix = try monitor.access(scope).regionPrefix else { throw Refusal.forbidden }
        let period = try period(req, scope.ctx)
        let city: String? = req.query["city"]
        let statuses = prefix.count < 4 ? try await monitor.cityReportStatuses(scope, period: period) : []
        let report = prefix.count >= 4 || city != nil ? try await monitor.cityReport(scope, period: period, city: city) : nil
        let title = req.lang.t("集采执行问题处置情况半年报告", "Half-yearly report on execution problems")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("执行监测", "Use monitoring"), .batch(batch, .monitor(.dashboard))), (title, nil)])
        let model = CityReportView.Model(batch: batch, period: period, statuses: statuses, report: report, csrf: req.currentUser?.csrf ?? "")
        let html = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { CityReportView(model: model, lang: req.lang).body }
        return Flashes.clear(req, html)
    }

    struct CityReportForm: Content {
        var period: String
        var measures: String?
        var problems: String?
        var submit: String?
    }

    func saveCityReport(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        let form = try req.content.decode(CityReportForm.self)
        guard let period = HalfYear(text: form.period) else { throw Refusal(.badPeriod) }
        let back = SiteURL.batch(batch, .monitor(.cityReport)).path(query: ["period": period.description])
        return try await Flashes.act(req, back: back) {
            let submit = form.submit == "1"
            try await deps.services(req).monitor.saveCityReport(
                try await req.scope(deps), period: period, measures: form.measures ?? "", problems: form.problems ?? "", submit: submit)
            return submit ? lang.t("报告已报送省医保局", "Report submitted to the province") : lang.t("草稿已保存", "Draft saved")
        }
    }

    private func monitor(_ page: SiteURL.MonitorPage) -> SiteURL { .batch(.any, .monitor(page)) }

    /// Puts the open-alert count of the principal's scope into the request, for the header.
    static func badge(_ req: Request, _ batch: BatchKey, _ counts: [AlertStatus: Int64]) {
        req.storage[AlertBadge.Key.self] = AlertBadge(open: counts[.open] ?? 0, inbox: .batch(batch, .monitor(.alerts)))
    }

    static func badge(_ req: Request, _ batch: BatchKey, services: Services, scope: BatchScope) async {
        guard let counts = try? await services.monitor.alertCounts(scope) else { return }
        badge(req, batch, counts)
    }

    func crumbs(_ batch: BatchKey, _ name: String, _ titles: [(String, SiteURL?)]) -> [Crumb] {
        [Crumb(title: name, url: .batch(batch, .home))] + titles.map { Crumb(title: $0.0, url: $0.1) }
    }

    func query(_ req: Request) throws -> MonitorService.DashboardQuery {
        func value(_ key: String) -> String? { req.query[String.self, at: key] }
        return try MonitorService.DashboardQuery(text: value("region"), institution: value("institution"), unit: value("unit"), rows: value("rows"))
    }

    func dashboard(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let title = req.lang.t("执行监测", "Use monitoring")
        let found = try await deps.services(req).monitor.dashboardPage(scope, query: query(req))
        Self.badge(req, batch, found.counts)
        let model = MonitorView.Model(
            batch: batch, board: found.board, access: found.access, counts: found.counts, alerts: found.alerts,
            problems: found.problems.map { MonitorView.Problem(problem: $0.problem, note: $0.note) }, imports: found.imports,
            params: ListParams(req), csrf: req.currentUser?.csrf ?? "")
        let page = Layout.page(req, title: title, crumbs: crumbs(batch, scope.batch.name, [(title, nil)]), flash: Flashes.take(req)) {
            MonitorView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    func dashboardXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let board = try await deps.services(req).monitor.dashboard(try await req.scope(deps), query: query(req))
        let data = try deps.services(req).monitor.dashboardWorkbook(board, language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-执行监测.xlsx", type: Response.xlsxType)
    }

    func alerts(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let status = params["status"].flatMap(AlertStatus.init(rawValue:)) ?? (params["status"] == "all" ? nil : .open)
        let code = params["code"].flatMap(AlertCode.init(rawValue:))
        let found = try await deps.services(req).monitor.alertsPage(scope, status: status, code: code, region: params["region"], page: params.page())
        let (page, counts, access) = (found.page, found.counts, found.access)
        Self.badge(req, batch, counts)
        let title = req.lang.t("预警", "Alerts")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("执行监测", "Use monitoring"), .batch(batch, .monitor(.dashboard))), (title, nil)])
        let monitor = deps.services(req).monitor
        var bulk: [MonitorService.BulkAlertAction: Int64] = [:]
        for action in MonitorService.BulkAlertAction.allCases where action == .acknowledge || access.mayResolve {
            bulk[action] = try await monitor.bulkCount(scope, action: action, code: code, region: params["region"])
        }
        let model = AlertInboxView.Model(
            batch: batch, page: page, status: params["status"] == "all" ? nil : status, code: code, counts: counts, access: access, params: params,
            csrf: req.currentUser?.csrf ?? "", bulk: bulk)
        let html = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { AlertInboxView(model: model, lang: req.lang).body }
        return Flashes.clear(req, html)
    }

    struct AlertForm: Content {
        var id: Int64
        var text: String?
        var back: String?
    }

    func alertAction(_ req: Request, _ body: @escaping (BatchScope, AlertForm, Lang) async throws -> String) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        let form = try req.content.decode(AlertForm.self)
        let back = SafeRedirect.path(form.back) ?? SiteURL.batch(batch, .monitor(.alerts)).path
        return try await Flashes.act(req, back: back) { try await body(try await req.scope(deps), form, lang) }
    }

    func acknowledge(_ req: Request) async throws -> Response {
        try await alertAction(req) { scope, form, lang in
            try await deps.services(req).monitor.acknowledge(scope, id: form.id, note: form.text ?? "")
            return lang.t("已知悉预警", "Alert acknowledged")
        }
    }

    func resolve(_ req: Request) async throws -> Response {
        try await alertAction(req) { scope, form, lang in
            try await deps.services(req).monitor.resolve(scope, id: form.id, reason: form.text ?? "")
            return lang.t("已解除预警", "Alert resolved")
        }
    }

    /// Every alert of the filtered list acknowledged or resolved with one note, after a ticked confirmation of the count.
    func bulkAlerts(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        let form = try req.content.decode([String: String].self)
        let back = SafeRedirect.path(form["back"]) ?? SiteURL.batch(batch, .monitor(.alerts)).path
        return try await Flashes.act(req, back: back) {
            guard let action = MonitorService.BulkAlertAction(rawValue: form["action"] ?? ""), let expected = Int64(form["expected"] ?? "") else {
                throw Refusal(.badRequest)
            }
            guard form["confirm"] == "1" else { throw Refusal(.confirmationRequired, zh: "请勾选确认后再批量处理", en: "tick the confirmation first") }
            let code = (form["code"] ?? "").isEmpty ? nil : AlertCode(rawValue: form["code"] ?? "")
            let done = try await deps.services(req).monitor.handleAll(
                try await req.scope(deps), action: action, code: code, region: form["region"], expected: expected, note: form["note"] ?? "")
            return action == .acknowledge
                ? lang.t("已批量知悉\(done)条预警", "\(done) alerts acknowledged") : lang.t("已批量解除\(done)条预警", "\(done) alerts resolved")
        }
    }

    func act(_ req: Request, _ body: @escaping (BatchScope, Lang) async throws -> String) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .monitor(.dashboard)).path) { try await body(try await req.scope(deps), lang) }
    }

    struct RecomputeForm: Content {
        var asOf: String?
        /// The checkbox "confirm": present when ticked.
        var confirm: String?
    }

    func recompute(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let form = try? req.content.decode(RecomputeForm.self)
            let text = form?.asOf?.trimmingCharacters(in: .whitespaces) ?? ""
            let asOf = CivilDate(text: text)
            guard text.isEmpty || asOf != nil else { throw Refusal(.badDate) }
            let summary = try await deps.services(req).monitor.recompute(scope, asOf: asOf, confirmed: !(form?.confirm ?? "").isEmpty)
            return lang.t(summary.text)
        }
    }

    struct ProblemForm: Content {
        var unit: String
        var region: String?
        var from: String
        var through: String
        var note: String
    }

    /// Records a verified supply problem (004 §7; the province's administrator), then asks for a recompute.
    func addProblem(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let form = try req.content.decode(ProblemForm.self)
            try await deps.services(req).monitor.addSupplyProblem(
                scope, unit: form.unit, region: form.region ?? "", from: form.from, through: form.through, note: form.note)
            return lang.t("已记录供应问题，重算后生效", "Supply problem recorded; it counts from the next recompute")
        }
    }

    struct ReplaceForm: Content { var replace: String? }

    func importPurchases(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let replacing = try MonitorService.PurchaseReplacement(option: (try? req.content.decode(ReplaceForm.self))?.replace)
            let upload = try TemporaryUpload.spreadsheet(req)
            defer { upload.remove() }
            let result = try await deps.services(req).monitor.importPurchases(scope, path: upload.url.path, replacing: replacing)
            return lang.t(result.text)
        }
    }

    func importUsage(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .monitor(.review)).path) {
            let upload = try TemporaryUpload.spreadsheet(req)
            defer { upload.remove() }
            return lang.t(try await deps.services(req).monitor.importUsage(try await req.scope(deps), path: upload.url.path).text)
        }
    }

    func report(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let report = try await deps.services(req).monitor.monthlyReport(try await req.scope(deps), region: req.query["region"])
        let title = req.lang.t("集采执行情况月度通报", "Monthly execution summary")
        let crumbs = crumbs(batch, report.batch.name, [(req.lang.t("执行监测", "Use monitoring"), .batch(batch, .monitor(.dashboard))), (title, nil)])
        return Layout.page(req, title: title, crumbs: crumbs) { MonthlyReportView(report: report, batch: batch, lang: req.lang).body }
    }

    func reportXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let services = deps.services(req)
        let report = try await services.monitor.monthlyReport(try await req.scope(deps), region: req.query["region"])
        let data = try services.monitor.monthlyWorkbook(report, language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-月度通报-\(report.run.asOf).xlsx", type: Response.xlsxType)
    }

    func review(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let services = deps.services(req)
        let access = try services.monitor.access(scope)
        guard access.seesReview else { throw Refusal.forbidden }
        // The months are checked once the caller may see the page, before anything is computed from them.
        let asked = (from: try QueryValue.month(req, "from"), through: try QueryValue.month(req, "through"))
        let run = try await services.monitor.lastRun(scope)
        let through = asked.through ?? MonthKey(run?.asOf ?? CivilDate(beijing: scope.ctx.at))
        let from = asked.from ?? through.advanced(by: -2) ?? through
        let lines = try await services.monitor.prescriptionReview(scope, from: from, through: through, institution: nil)
        let title = req.lang.t("处方点评：非中选产品使用偏高的科室和医生", "Prescription review: heavy non-winning use by department and doctor")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("执行监测", "Use monitoring"), .batch(batch, .monitor(.dashboard))), (title, nil)])
        let model = ReviewView.Model(batch: batch, lines: lines, from: from, through: through, access: access, csrf: req.currentUser?.csrf ?? "")
        let html = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { ReviewView(model: model, lang: req.lang).body }
        return Flashes.clear(req, html)
    }
}
