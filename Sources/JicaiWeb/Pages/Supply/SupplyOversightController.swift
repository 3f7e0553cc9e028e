import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The supply stage's oversight pages (供): supply-problem tickets and the firms' credit records, the settlement runs
/// and their statements, the prepayments. Handlers are thin: the service decides who may see and do what.
struct SupplyOversightPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.batch(.any, .supply(.tickets))) { req in try await tickets(req) }
        routes.post(.batch(.any, .supply(.tickets))) { req in try await fileTicket(req) }
        routes.get(.batch(.any, .ticket(.any, .view))) { req in try await ticket(req) }
        routes.post(.batch(.any, .ticket(.any, .answer))) { req in try await answer(req) }
        routes.post(.batch(.any, .ticket(.any, .decide))) { req in try await decide(req) }
        routes.get(.batch(.any, .supply(.credit))) { req in try await credit(req) }
        routes.get(.batch(.any, .supply(.settlements))) { req in try await settlements(req) }
        routes.post(.batch(.any, .supply(.settlements))) { req in try await runSettlement(req) }
        routes.get(.batch(.any, .settlement(.any, .view))) { req in try await statement(req) }
        routes.post(.batch(.any, .settlement(.any, .approve))) { req in try await approve(req) }
        routes.get(.batch(.any, .settlement(.any, .xlsx))) { req in try await statementXLSX(req) }
        routes.get(.batch(.any, .supply(.prepayments))) { req in try await prepayments(req) }
        routes.post(.batch(.any, .supply(.payPrepayment))) { req in try await prepayment(req, pay: true) }
        routes.post(.batch(.any, .supply(.recoverPrepayment))) { req in try await prepayment(req, pay: false) }
        routes.get(.batch(.any, .supply(.traceCodes))) { req in try await traceCodes(req) }
        routes.post(.batch(.any, .supply(.traceCodes))) { req in try await captureCodes(req) }
        routes.get(.batch(.any, .supply(.productParts))) { req in try await productParts(req) }
        routes.post(.batch(.any, .supply(.productParts))) { req in try await registerProductParts(req) }
    }

    func productParts(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let rows = try await deps.services(req).supply.productParts(scope)
        let model = ProductPartsView.Model(
            batch: batch, rows: rows, registers: scope.principal.role == .manufacturer, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("追溯码产品标识", "Product parts of traceability codes")) {
            ProductPartsView(model: model, lang: req.lang).body
        }
    }

    func registerProductParts(_ req: Request) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.productParts)).path) {
            let row = try await deps.services(req).supply.registerProductParts(
                try await req.scope(deps), productCode: form["product"] ?? "", parts: form["parts"] ?? "")
            let parts = row.parts.registered.sorted().joined(separator: "、")
            return row.parts.registered.isEmpty
                ? lang.t("已清除\(row.productCode)的产品标识", "\(row.productCode)'s product parts cleared")
                : lang.t("已登记\(row.productCode)的产品标识：\(parts)", "\(row.productCode)'s product parts registered: \(parts)")
        }
    }

    func traceCodes(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let supply = deps.services(req).supply
        let found = try await supply.codeAnomalies(scope, page: params.page())
        let captures = scope.principal.role.isInstitution
        let model = TraceCodesPageView.Model(
            batch: batch, page: found, mayCapture: captures, products: captures ? try await supply.ticketProducts(scope) : [],
            today: CivilDate(beijing: scope.ctx.at), params: params, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("追溯码", "Traceability codes")) { TraceCodesPageView(model: model, lang: req.lang).body }
    }

    func captureCodes(_ req: Request) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.traceCodes)).path) {
            guard let day = CivilDate(text: form["date"] ?? "") else { throw Refusal(.badDate) }
            let codes = (form["codes"] ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" }).map(String.init)
            let done = try await deps.services(req).supply.captureCodes(
                try await req.scope(deps), productCode: form["product"] ?? "", day: day, codes: codes)
            return lang.t("已登记\(done.captured)个追溯码，重复\(done.anomalies)个", "\(done.captured) codes recorded, \(done.anomalies) settled twice")
        }
    }

    func page(_ req: Request, _ scope: BatchScope, _ batch: BatchKey, title: String, _ body: () -> Node) -> Response {
        Layout.stagePage(
            req, scope, batch, stage: (req.lang.t("订单与配送", "Orders and deliveries"), .batch(batch, .supply(.orders))), title: title, body)
    }

    func fields(_ req: Request) throws -> [String: String] { try req.content.decode([String: String].self) }

    func tickets(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let status = params["status"].flatMap(TicketStatus.init(rawValue:))
        let escalated = params["escalated"] == "1"
        let supply = deps.services(req).supply
        let (found, today) = try await supply.ticketsPage(scope, status: status, escalatedOnly: escalated, page: params.page())
        let model = TicketInboxView.Model(
            batch: batch, page: found, today: today, status: status, escalated: escalated, products: try await supply.ticketProducts(scope),
            params: params, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("供应问题工单", "Supply-problem tickets")) { TicketInboxView(model: model, lang: req.lang).body }
    }

    func fileTicket(_ req: Request) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.tickets)).path) {
            guard let kind = SupplyProblemKind(rawValue: form["kind"] ?? "") else { throw Refusal(.badRequest) }
            guard let from = MonthKey(text: form["from"] ?? ""), let through = MonthKey(text: form["through"] ?? "") else {
                throw Refusal(.badPeriod, zh: "月份应为YYYY-MM", en: "months must be YYYY-MM")
            }
            let request = TicketRequest(
                kind: kind, productCode: form["product"] ?? "", region: form["region"] ?? "", from: from, through: through,
                description: form["description"] ?? "")
            let id = try await deps.services(req).supply.fileTicket(try await req.scope(deps), request)
            return lang.t("已报告供应问题，工单号\(StoredTicket.number(id))", "Supply problem reported: ticket \(StoredTicket.number(id))")
        }
    }

    func ticket(_ req: Request) async throws -> Response {
        let (batch, key) = (try BatchKey(req), try TicketKey(req))
        let scope = try await req.scope(deps)
        let detail = try await deps.services(req).supply.ticketDetail(scope, id: key.id)
        let model = TicketView.Model(batch: batch, detail: detail, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("工单", "Ticket") + " " + detail.ticket.number) {
            TicketView(model: model, lang: req.lang).body
        }
    }

    func answer(_ req: Request) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try TicketKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .ticket(key, .view)).path) {
            let ticket = try await deps.services(req).supply.answerTicket(try await req.scope(deps), id: key.id, text: form["text"] ?? "")
            return lang.t("已答复，工单状态：", "Answered; the ticket is now: ") + lang.t(ticket.status.label)
        }
    }

    func decide(_ req: Request) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try TicketKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .ticket(key, .view)).path) {
            let ticket = try await deps.services(req).supply.decideTicket(
                try await req.scope(deps), id: key.id, verify: form["verify"] == "1", note: form["note"] ?? "")
            return lang.t(ticket.status.label)
        }
    }

    func credit(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let found = try await deps.services(req).supply.credit(scope, page: params.page())
        return page(req, scope, batch, title: req.lang.t("企业信用记录", "Credit records")) {
            CreditView(batch: batch, page: found, params: params, lang: req.lang).body
        }
    }

    func settlements(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let runs = try await deps.services(req).supply.settlements(scope)
        let lastMonth = MonthKey(CivilDate(beijing: scope.ctx.at)).advanced(by: -1) ?? MonthKey(CivilDate(beijing: scope.ctx.at))
        let model = SettlementListView.Model(
            batch: batch, runs: runs, mayRun: deps.services(req).supply.administers(scope), lastMonth: lastMonth,
            csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("直接结算", "Direct settlement")) { SettlementListView(model: model, lang: req.lang).body }
    }

    func runSettlement(_ req: Request) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try fields(req)
        var run: SettlementRun?
        let response = try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.settlements)).path) {
            guard let month = MonthKey(text: form["month"] ?? "") else {
                throw Refusal(.badPeriod, zh: "月份应为YYYY-MM", en: "the month must be YYYY-MM")
            }
            let made = try await deps.services(req).supply.runSettlement(try await req.scope(deps), month: month)
            run = made
            return lang.t("已生成结算单\(made.number)，请核对后审核", "Run \(made.number) made; check it, then approve")
        }
        guard let run else { return response }
        return Flashes.redirect(
            req, to: SiteURL.batch(batch, .settlement(SettlementKey(run.id), .view)).path,
            .ok(lang.t("已生成结算单\(run.number)，请核对后审核", "Run \(run.number) made; check it, then approve")))
    }

    func statement(_ req: Request) async throws -> Response {
        let (batch, key) = (try BatchKey(req), try SettlementKey(req))
        let scope = try await req.scope(deps)
        let statement = try await deps.services(req).supply.statement(scope, id: key.id)
        let model = StatementView.Model(batch: batch, statement: statement, csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("结算单", "Statement") + " " + statement.run.number) {
            StatementView(model: model, lang: req.lang).body
        }
    }

    func approve(_ req: Request) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try SettlementKey(req), req.lang)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .settlement(key, .view)).path) {
            let run = try await deps.services(req).supply.approveSettlement(try await req.scope(deps), id: key.id)
            return lang.t("结算单\(run.number)已审核", "Run \(run.number) approved")
        }
    }

    func statementXLSX(_ req: Request) async throws -> Response {
        let (batch, key) = (try BatchKey(req), try SettlementKey(req))
        let supply = deps.services(req).supply
        let statement = try await supply.statement(try await req.scope(deps), id: key.id)
        let data = try supply.statementWorkbook(statement, language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-直接结算单-\(statement.run.number).xlsx", type: Response.xlsxType)
    }

    func prepayments(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let supply = deps.services(req).supply
        let found = try await supply.prepayments(scope, page: params.page())
        let manages = supply.administers(scope)
        let model = PrepaymentView.Model(
            batch: batch, page: found, mayManage: manages, years: manages ? try await supply.agreementYears(scope) : [],
            share: scope.batch.policy.prepaymentShare.description, recoveryMonths: scope.batch.policy.supply.recoveryMonths, params: params,
            csrf: req.currentUser?.csrf ?? "")
        return page(req, scope, batch, title: req.lang.t("医保基金预付金", "Prepayments")) { PrepaymentView(model: model, lang: req.lang).body }
    }

    func prepayment(_ req: Request, pay: Bool) async throws -> Response {
        let (batch, lang) = (try BatchKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.prepayments)).path) {
            guard let year = CivilDate(text: form["year"] ?? "") else { throw Refusal(.badDate) }
            let supply = deps.services(req).supply
            let scope = try await req.scope(deps)
            let done = pay ? try await supply.payPrepayment(scope, yearStart: year) : try await supply.recoverPrepayment(scope, yearStart: year)
            return pay
                ? lang.t(
                    "已拨付\(done.institutions)家机构预付金\(Fen(done.totalFen).yuanText)元",
                    "Paid \(Fen(done.totalFen).yuanText) yuan to \(done.institutions) institutions")
                : lang.t(
                    "已收回\(done.institutions)家机构余额\(Fen(done.totalFen).yuanText)元",
                    "Recovered \(Fen(done.totalFen).yuanText) yuan from \(done.institutions) institutions")
        }
    }
}
