import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Supply (供) over `/api/v1`: the same service calls and scope rules as the pages (`SupplyService.Access`).
extension APIv1 {
    func bootSupply(_ api: any RoutesBuilder) {
        api.get(.api(.supplyOrders(.any))) { req in try await supplyOrders(req) }
        api.post(.api(.supplyOrders(.any))) { req in try await placeOrder(req) }
        api.get(.api(.supplyOrder(.any, .any))) { req in try await supplyOrder(req) }
        for action in SiteURL.APIOrderAction.allCases {
            api.post(.api(.supplyOrderAction(.any, .any, action))) { req in try await orderAction(req, action) }
        }
        for action in SiteURL.APIDeliveryAction.allCases {
            api.post(.api(.supplyDeliveryAction(.any, .any, action))) { req in try await deliveryAction(req, action) }
        }
        api.get(.api(.supplyCodes(.any, .any))) { req in try await supplyCodes(req) }
        api.get(.api(.supplyPayables(.any))) { req in try await supplyPayables(req) }
    }

    /// Paged (query: page, size, status), newest first.
    func supplyOrders(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let status = try params["status"].map { text -> OrderStatus in
            guard let status = OrderStatus(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的订单状态", en: "unknown order status") }
            return status
        }
        let found = try await deps.services(req).supply.ordersPage(try await req.scope(deps), status: status, page: page)
        return try await Response.paged(req, found.page.items.map(OrderSummaryDTO.init), total: found.page.total, page: page, params: params)
    }

    func placeOrder(_ req: Request) async throws -> OrderIDsDTO {
        let body = try req.content.decode(OrderRequestDTO.self)
        let ids = try await deps.services(req).supply.placeOrder(
            try await req.scope(deps), lines: body.lines.map { OrderRequestLine(agreementID: $0.agreementId, packs: $0.packs) }, note: body.note ?? ""
        )
        return OrderIDsDTO(orders: ids)
    }

    func supplyOrder(_ req: Request) async throws -> OrderDTO {
        OrderDTO(try await deps.services(req).supply.orderDetail(try await req.scope(deps), id: try OrderKey(req).id))
    }

    func orderAction(_ req: Request, _ action: SiteURL.APIOrderAction) async throws -> OrderDTO {
        let id = try OrderKey(req).id
        let scope = try await req.scope(deps)
        let supply = deps.services(req).supply
        switch action {
        case .confirm: _ = try await supply.confirm(scope, id: id)
        case .withdraw: _ = try await supply.withdraw(scope, id: id)
        case .close: _ = try await supply.close(scope, id: id)
        case .ship:
            let body = try req.content.decode(ShipmentDTO.self)
            let lines = try body.lines.map { line in
                guard let expiry = CivilDate(text: line.expiry) else { throw Refusal(.badDate) }
                return ShipmentLine(lineNo: line.lineNo, packs: line.packs, lot: line.lot, expiry: expiry, codes: line.codes ?? [])
            }
            _ = try await supply.ship(scope, orderID: id, lines: lines)
        }
        return OrderDTO(try await supply.orderDetail(scope, id: id))
    }

    func deliveryAction(_ req: Request, _ action: SiteURL.APIDeliveryAction) async throws -> DeliveryDTO {
        let id = try DeliveryKey(req).id
        let scope = try await req.scope(deps)
        let supply = deps.services(req).supply
        switch action {
        case .accept:
            let body = try req.content.decode(AcceptanceDTO.self)
            let lines = body.lines.map { AcceptanceLine(lineNo: $0.lineNo, accepted: $0.accepted, rejected: $0.rejected, reason: $0.reason ?? "") }
            return DeliveryDTO(try await supply.accept(scope, deliveryID: id, lines: lines))
        case .invoice, .pay:
            let body = try req.content.decode(MoneyDTO.self)
            guard let day = CivilDate(text: body.date) else { throw Refusal(.badDate) }
            return DeliveryDTO(
                try await supply.record(
                    scope, deliveryID: id, kind: action == .invoice ? .invoice : .payment, number: body.number, amountFen: body.amountFen, on: day))
        }
    }

    /// The codes of one line (query: line, default 1).
    func supplyCodes(_ req: Request) async throws -> TraceCodesDTO {
        let line = req.query[String.self, at: "line"].flatMap { Int($0) } ?? 1
        let codes = try await deps.services(req).supply.codes(try await req.scope(deps), deliveryID: try DeliveryKey(req).id, lineNo: line)
        return TraceCodesDTO(codes: codes.map(\.text))
    }

    /// Paged (query: page, size, overdue=1 for the overdue only), earliest due first.
    func supplyPayables(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let (rows, today) = try await deps.services(req).supply.payables(try await req.scope(deps), overdueOnly: params["overdue"] == "1", page: page)
        return try await Response.paged(req, rows.items.map { PayableDTO($0, today: today) }, total: rows.total, page: page, params: params)
    }
}

/// Tickets, settlement runs, prepayments and credit records over `/api/v1`.
extension APIv1 {
    func bootSupplyOversight(_ api: any RoutesBuilder) {
        api.get(.api(.supplyTickets(.any))) { req in try await supplyTickets(req) }
        api.post(.api(.supplyTickets(.any))) { req in try await fileTicket(req) }
        api.get(.api(.supplyTicket(.any, .any))) { req in try await supplyTicket(req) }
        for action in SiteURL.APITicketAction.allCases {
            api.post(.api(.supplyTicketAction(.any, .any, action))) { req in try await ticketAction(req, action) }
        }
        api.get(.api(.supplySettlements(.any))) { req in try await supplySettlements(req) }
        api.post(.api(.supplySettlements(.any))) { req in try await runSettlement(req) }
        api.get(.api(.supplySettlement(.any, .any))) { req in try await supplyStatement(req) }
        api.post(.api(.supplyApproveSettlement(.any, .any))) { req in try await approveSettlement(req) }
        api.get(.api(.supplyPrepayments(.any))) { req in try await supplyPrepayments(req) }
        for action in SiteURL.APIPrepaymentAction.allCases {
            api.post(.api(.supplyPrepaymentAction(.any, action))) { req in try await prepaymentAction(req, action) }
        }
        api.get(.api(.supplyCredit(.any))) { req in try await supplyCredit(req) }
        api.get(.api(.supplyTraceCodes(.any))) { req in try await codeAnomalies(req) }
        api.post(.api(.supplyTraceCodes(.any))) { req in try await captureCodes(req) }
        api.get(.api(.supplyProductParts(.any))) { req in
            try await deps.services(req).supply.productParts(try await req.scope(deps)).map(ProductPartsDTO.init)
        }
        api.post(.api(.supplyProductParts(.any))) { req in
            let body = try req.content.decode(ProductPartsRequestDTO.self)
            return ProductPartsDTO(
                try await deps.services(req).supply.registerProductParts(
                    try await req.scope(deps), productCode: body.productCode, parts: body.parts.joined(separator: ",")))
        }
    }

    /// Codes settled twice, paged (query: page, size).
    func codeAnomalies(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).supply.codeAnomalies(try await req.scope(deps), page: page)
        return try await Response.paged(req, rows.items.map(CodeAnomalyDTO.init), total: rows.total, page: page, params: params)
    }

    func captureCodes(_ req: Request) async throws -> CodeCaptureDTO {
        let body = try req.content.decode(CodeCaptureRequestDTO.self)
        guard let day = CivilDate(text: body.date) else { throw Refusal(.badDate) }
        let done = try await deps.services(req).supply.captureCodes(
            try await req.scope(deps), productCode: body.productCode, day: day, codes: body.codes)
        return CodeCaptureDTO(captured: done.captured, anomalies: done.anomalies)
    }

    /// Paged (query: page, size, status, escalated=1).
    func supplyTickets(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let status = try params["status"].map { text -> TicketStatus in
            guard let status = TicketStatus(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的工单状态", en: "unknown ticket status") }
            return status
        }
        let (rows, today) = try await deps.services(req).supply.ticketsPage(
            try await req.scope(deps), status: status, escalatedOnly: params["escalated"] == "1", page: page)
        return try await Response.paged(req, rows.items.map { TicketDTO($0, today: today) }, total: rows.total, page: page, params: params)
    }

    func fileTicket(_ req: Request) async throws -> TicketDTO {
        let body = try req.content.decode(TicketRequestDTO.self)
        guard let kind = SupplyProblemKind(rawValue: body.kind) else { throw Refusal(.badRequest, zh: "未知的问题类型", en: "unknown kind of problem") }
        guard let from = MonthKey(text: body.from), let through = MonthKey(text: body.through) else { throw Refusal(.badPeriod) }
        let scope = try await req.scope(deps)
        let supply = deps.services(req).supply
        let id = try await supply.fileTicket(
            scope,
            TicketRequest(
                kind: kind, productCode: body.productCode, region: body.region ?? "", from: from, through: through, description: body.description))
        let detail = try await supply.ticketDetail(scope, id: id)
        return TicketDTO(detail.ticket, today: detail.today)
    }

    func supplyTicket(_ req: Request) async throws -> TicketDTO {
        let detail = try await deps.services(req).supply.ticketDetail(try await req.scope(deps), id: try TicketKey(req).id)
        return TicketDTO(detail.ticket, today: detail.today)
    }

    func ticketAction(_ req: Request, _ action: SiteURL.APITicketAction) async throws -> TicketDTO {
        let body = try req.content.decode(TicketActionDTO.self)
        let (id, scope, supply) = (try TicketKey(req).id, try await req.scope(deps), deps.services(req).supply)
        switch action {
        case .answer: _ = try await supply.answerTicket(scope, id: id, text: body.text ?? "")
        case .decide: _ = try await supply.decideTicket(scope, id: id, verify: body.verify ?? false, note: body.note ?? "")
        }
        let detail = try await supply.ticketDetail(scope, id: id)
        return TicketDTO(detail.ticket, today: detail.today)
    }

    func supplySettlements(_ req: Request) async throws -> [SettlementRunDTO] {
        try await deps.services(req).supply.settlements(try await req.scope(deps)).map(SettlementRunDTO.init)
    }

    func runSettlement(_ req: Request) async throws -> SettlementRunDTO {
        let body = try req.content.decode(SettlementRequestDTO.self)
        guard let month = MonthKey(text: body.month) else { throw Refusal(.badPeriod) }
        return SettlementRunDTO(try await deps.services(req).supply.runSettlement(try await req.scope(deps), month: month))
    }

    func supplyStatement(_ req: Request) async throws -> StatementDTO {
        StatementDTO(try await deps.services(req).supply.statement(try await req.scope(deps), id: try SettlementKey(req).id))
    }

    func approveSettlement(_ req: Request) async throws -> SettlementRunDTO {
        SettlementRunDTO(try await deps.services(req).supply.approveSettlement(try await req.scope(deps), id: try SettlementKey(req).id))
    }

    /// Paged (query: page, size).
    func supplyPrepayments(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).supply.prepayments(try await req.scope(deps), page: page)
        return try await Response.paged(req, rows.items.map(PrepaymentDTO.init), total: rows.total, page: page, params: params)
    }

    func prepaymentAction(_ req: Request, _ action: SiteURL.APIPrepaymentAction) async throws -> PrepaymentResultDTO {
        let body = try req.content.decode(PrepaymentRequestDTO.self)
        guard let year = CivilDate(text: body.yearStart) else { throw Refusal(.badDate) }
        let (scope, supply) = (try await req.scope(deps), deps.services(req).supply)
        let done =
            action == .pay ? try await supply.payPrepayment(scope, yearStart: year) : try await supply.recoverPrepayment(scope, yearStart: year)
        return PrepaymentResultDTO(institutions: done.institutions, totalFen: done.totalFen)
    }

    /// Paged (query: page, size).
    func supplyCredit(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).supply.credit(try await req.scope(deps), page: page)
        return try await Response.paged(req, rows.items.map(CreditEntryDTO.init), total: rows.total, page: page, params: params)
    }
}
