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
