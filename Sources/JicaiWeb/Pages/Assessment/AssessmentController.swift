import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The assessment stage's pages (管): a year's results with the province's inputs and actions, an institution's
/// calculation sheet with its appeals, the workbooks. Handlers are thin: the service decides who may see and do what.
struct AssessmentPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.batch(.any, .assessment(.overview))) { req in try await overview(req) }
        routes.get(.batch(.any, .assessment(.sheet))) { req in try await sheet(req) }
        routes.get(.batch(.any, .assessment(.resultsXLSX))) { req in try await resultsXLSX(req) }
        routes.get(.batch(.any, .assessment(.paymentsXLSX))) { req in try await paymentsXLSX(req) }
        routes.get(.batch(.any, .assessment(.simulate))) { req in try await simulate(req) }
        routes.get(.batch(.any, .assessment(.report))) { req in try await report(req) }
        for action in [
            AssessmentAction.run, .exemptions, .removeExemption, .prices, .removePrice, .diseaseGroups, .approve, .appeal, .review, .decide, .lead,
        ] {
            routes.post(.batch(.any, .assessment(action.page))) { req in try await act(req, action) }
        }
    }

    enum AssessmentAction {
        case run, exemptions, removeExemption, prices, removePrice, diseaseGroups, approve, appeal, review, decide, lead

        var page: SiteURL.AssessmentPage {
            switch self {
            case .run: .run
            case .exemptions: .exemptions
            case .removeExemption: .removeExemption
            case .prices: .prices
            case .removePrice: .removePrice
            case .diseaseGroups: .diseaseGroups
            case .approve: .approve
            case .appeal: .appeal
            case .review: .review
            case .decide: .decide
            case .lead: .lead
            }
        }
    }

    func service(_ req: Request) -> AssessmentService { deps.services(req).assessment }

    /// The year asked for (`year=YYYY-MM-DD`), else the latest year run, else the first year.
    static func year(_ params: ListParams, _ overview: AssessmentService.Overview) -> AgreementYear? {
        if let text = params["year"], let start = CivilDate(text: text), let year = overview.years.first(where: { $0.start == start }) {
            return year
        }
        if let last = overview.runs.last, let year = overview.years.first(where: { $0.start == last.yearStart }) { return year }
        return overview.years.first
    }

    func overview(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let assessment = service(req)
        let overview = try await assessment.overview(scope)
        let year = Self.year(params, overview)
        var results: Page<ScoreRecord>?
        var cities: [CityAssessment] = []
        var appeals: [AppealRecord] = []
        var leads: [LeadRecord] = []
        if let year, overview.run(year.start) != nil {
            let grade = params["grade"].flatMap(Grade.init(rawValue:))
            results = try await assessment.results(scope, yearStart: year.start, grade: grade, search: params["q"], page: params.page()).page
            if overview.access.regionPrefix != nil { cities = try await assessment.cities(scope, yearStart: year.start) }
            appeals = try await assessment.appeals(scope, yearStart: year.start)
            if overview.access.regionPrefix != nil { leads = try await assessment.leads(scope, yearStart: year.start) }
        }
        var model = AssessmentView.Model(
            batch: batch, overview: overview, year: year, results: results, cities: cities, appeals: appeals, leads: leads, params: params,
            csrf: req.currentUser?.csrf ?? "")
        if !cities.isEmpty { model.cityNames = try await assessment.cityNames() }
        return page(req, scope, batch, title: req.lang.t("考核与结余留用", "Assessment and savings retention")) {
            AssessmentView(model: model, lang: req.lang).body
        }
    }

    func sheet(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        guard let start = params["year"].flatMap(CivilDate.init(text:)) else { throw Refusal(.badDate) }
        let code = params["institution"] ?? scope.principal.organisationCode ?? ""
        let sheet = try await service(req).sheet(scope, yearStart: start, institutionCode: code)
        let model = AssessmentSheetView.Model(batch: batch, sheet: sheet, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("考核与结余留用测算表", "Assessment and retention sheet") + " · " + sheet.score.institutionName) {
            AssessmentSheetView(model: model, lang: req.lang).body
        }
    }

    func simulate(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let code = params["institution"] ?? scope.principal.organisationCode ?? ""
        let added = params["add"].map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard let quantity = added ?? 0 else { throw Refusal(.badQuantity) }
        let unit = params["unit"].flatMap { $0.isEmpty ? nil : $0 }
        let simulation = try await service(req).simulate(scope, institutionCode: code, unitKey: unit, added: quantity)
        let model = SimulationView.Model(batch: batch, simulation: simulation)
        return page(req, scope, batch, title: req.lang.t("考核测算（假如）", "What if") + " · " + simulation.institutionName) {
            SimulationView(model: model, lang: req.lang).body
        }
    }

    /// The year's report of the province or a city (`year`, `city` in the query), to print.
    func report(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        guard let start = params["year"].flatMap(CivilDate.init(text:)) else { throw Refusal(.badDate) }
        let report = try await service(req).report(scope, yearStart: start, city: params["city"])
        return page(req, scope, batch, title: req.lang.t("考核与结余留用情况报告", "Assessment report") + " · " + report.regionName) {
            AssessmentReportView(report: report, batch: batch, lang: req.lang).body
        }
    }

    func resultsXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        guard let start = ListParams(req)["year"].flatMap(CivilDate.init(text:)) else { throw Refusal(.badDate) }
        let assessment = service(req)
        let (_, rows) = try await assessment.allResults(scope, yearStart: start)
        let data = try assessment.resultsWorkbook(
            rows, cities: try await assessment.cities(scope, yearStart: start), language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-考核结果-\(start).xlsx", type: Response.xlsxType)
    }

    func paymentsXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        guard let start = ListParams(req)["year"].flatMap(CivilDate.init(text:)) else { throw Refusal(.badDate) }
        let assessment = service(req)
        let (run, rows) = try await assessment.paymentList(scope, yearStart: start)
        let data = try assessment.paymentWorkbook(run, rows, language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-结余留用拨付清单-\(start).xlsx", type: Response.xlsxType)
    }

    func page(_ req: Request, _ scope: BatchScope, _ batch: BatchKey, title: String, _ body: () -> Node) -> Response {
        Layout.stagePage(req, scope, batch, stage: (req.lang.t("考核与结余留用", "Assessment"), .batch(batch, .assessment(.overview))), title: title, body)
    }

    /// Every POST of the stage: one service door each; the flash says what happened, a refusal what was wrong.
    func act(_ req: Request, _ action: AssessmentAction) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try req.content.decode([String: String].self)
        let year = form["year"] ?? ""
        var back = SiteURL.batch(batch, .assessment(.overview)).path + (year.isEmpty ? "" : "?year=\(ListParams.encode(year))")
        if action == .appeal {
            back =
                SiteURL.batch(batch, .assessment(.sheet)).path
                + "?year=\(ListParams.encode(year))&institution=\(ListParams.encode(form["institution"] ?? ""))"
        }
        return try await Flashes.act(req, back: back) {
            let scope = try await req.scope(deps)
            let assessment = service(req)
            func day(_ key: String) throws -> CivilDate {
                guard let d = CivilDate(text: form[key] ?? "") else { throw Refusal(.badDate) }
                return d
            }
            func id() throws -> Int64 {
                guard let n = Int64(form["id"] ?? "") else { throw Refusal(.badRequest) }
                return n
            }
            switch action {
            case .run:
                let run = try await assessment.run(scope, yearStart: try day("year"))
                return lang.t(
                    "已考核并发布：\(run.institutions)家机构，不合格\(run.failedItems)项，结余留用\(Fen(run.retainedFen).yuanText)元",
                    "Assessed and published: \(run.institutions) institutions, \(run.failedItems) items failed, \(Fen(run.retainedFen).yuanText) yuan retained"
                )
            case .exemptions:
                guard let kind = ExemptionKind(rawValue: form["kind"] ?? "") else { throw Refusal(.badRequest) }
                let e = Exemption(
                    kind: kind, unitKey: form["unit"] ?? "", regionPrefix: form["region"] ?? "", from: try day("from"), through: try day("through"),
                    evidence: form["evidence"] ?? "")
                _ = try await assessment.addExemption(scope, e)
                return lang.t("已登记豁免，重新考核后生效", "Exemption recorded; it applies when the year is run again")
            case .removeExemption:
                try await assessment.removeExemption(scope, id: try id())
                return lang.t("已撤销豁免", "Exemption removed")
            case .prices:
                let set = try await assessment.setPrice(
                    scope, specCode: form["spec"] ?? "", yuanPerMinimalUnit: form["yuan"] ?? "", basis: form["basis"] ?? "")
                return lang.t(
                    "已核定\(set.unitKey)的采购前价格，重新考核后生效", "\(set.unitKey)'s pre-award price set; it applies when the year is run again")
            case .removePrice:
                try await assessment.removePrice(scope, unitKey: form["unit"] ?? "")
                return lang.t("已撤销核定价格，恢复按历史采购均价", "Price removed; the history's average applies again")
            case .diseaseGroups:
                try await assessment.setDiseaseGroup(scope, institutionCode: form["institution"] ?? "", form["on"] != "0")
                return lang.t("已更新按病种付费机构名单", "Disease-group list updated")
            case .approve:
                let run = try await assessment.approve(scope, yearStart: try day("year"))
                return lang.t("考核结果已审定，结余留用\(Fen(run.retainedFen).yuanText)元", "Approved: \(Fen(run.retainedFen).yuanText) yuan retained")
            case .appeal:
                _ = try await assessment.fileAppeal(
                    scope, yearStart: try day("year"), unitKey: form["unit"] ?? "", reason: form["reason"] ?? "", evidence: form["evidence"] ?? "")
                return lang.t("申诉已提交，待市级审核", "Appeal filed; the city reviews it next")
            case .review:
                try await assessment.reviewAppeal(scope, id: try id(), opinion: form["opinion"] ?? "")
                return lang.t("已提交市级审核意见", "The city's opinion is recorded")
            case .decide:
                try await assessment.decideAppeal(scope, id: try id(), upheld: form["upheld"] == "1", reason: form["reason"] ?? "")
                return lang.t("已作出决定", "Decided")
            case .lead:
                guard let status = LeadStatus(rawValue: form["status"] ?? "") else { throw Refusal(.badRequest) }
                let lead = try await assessment.updateLead(scope, id: try id(), status: status, finding: form["finding"] ?? "")
                return lang.t("线索已更新为：\(lead.status.label.zh)", "Lead now \(lead.status.label.en)")
            }
        }
    }
}
