import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Monitoring (用) over `/api/v1`: the same service calls and scope rules as the pages (`MonitorAccess`).
extension APIv1 {
    func bootMonitor(_ api: any RoutesBuilder) {
        api.get(.api(.monitor(.any))) { req in try await monitorDashboard(req) }
        api.get(.api(.monitorAlerts(.any))) { req in try await monitorAlerts(req) }
        api.post(.api(.monitorAlert(.any, .any, .acknowledge))) { req in try await monitorAlertAction(req, .acknowledge) }
        api.post(.api(.monitorAlert(.any, .any, .resolve))) { req in try await monitorAlertAction(req, .resolve) }
        api.post(.api(.monitorRecompute(.any))) { req in try await monitorRecompute(req) }
        api.get(.api(.monitorProblems(.any))) { req in try await monitorProblems(req) }
        api.post(.api(.monitorProblems(.any))) { req in try await addMonitorProblem(req) }
    }

    /// The dashboard's figures at one level (query: region, institution, unit, rows); the rows are paged (page,
    /// size) in the order of their pull on the gap, largest first, like the page's table.
    func monitorDashboard(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let query = try MonitorService.DashboardQuery(
            text: params["region"], institution: params["institution"], unit: params["unit"], rows: params["rows"])
        let board = try await deps.services(req).monitor.dashboard(try await req.scope(deps), query: query)
        let page = params.apiPage()
        let body = MonitorDashboardDTO(board, page: page)
        let response = try await body.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(board.groups.count))
        return response
    }

    /// Paged like `statuses` (query: status, code, unit, region).
    func monitorAlerts(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let status = try params["status"].map { text -> AlertStatus in
            guard let status = AlertStatus(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的预警状态", en: "unknown alert status") }
            return status
        }
        let code = try params["code"].map { text -> AlertCode in
            guard let code = AlertCode(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的预警类型", en: "unknown alert code") }
            return code
        }
        let rows = try await deps.services(req).monitor.alerts(
            try await req.scope(deps), status: status, code: code, unitKey: params["unit"], region: params["region"], page: page)
        return try await Response.paged(req, rows.items.map(AlertDTO.init), total: rows.total, page: page, params: params)
    }

    func monitorAlertAction(_ req: Request, _ action: SiteURL.APIAlertAction) async throws -> AlertDTO {
        struct Body: Content {
            var note: String?
            var reason: String?
        }
        let alert = try AlertIDKey(req)
        let body = try req.content.decode(Body.self)
        let scope = try await req.scope(deps)
        let monitor = deps.services(req).monitor
        switch action {
        case .acknowledge: try await monitor.acknowledge(scope, id: alert.id, note: body.note ?? "")
        case .resolve: try await monitor.resolve(scope, id: alert.id, reason: body.reason ?? "")
        }
        return AlertDTO(try await monitor.alert(scope, id: alert.id))
    }

    func monitorRecompute(_ req: Request) async throws -> RecomputeDTO {
        struct Body: Content {
            var asOf: String?
            /// Go on when the run resolves more than a handful of alerts by itself (else 409 CONFIRMATION_REQUIRED).
            var confirm: Bool?
        }
        let body = req.body.data == nil ? nil : try req.content.decode(Body.self)
        let asOf = try body?.asOf.map { text -> CivilDate in
            guard let date = CivilDate(text: text) else { throw Refusal(.badDate) }
            return date
        }
        return RecomputeDTO(
            try await deps.services(req).monitor.recompute(try await req.scope(deps), asOf: asOf, confirmed: body?.confirm ?? false))
    }

    func monitorProblems(_ req: Request) async throws -> [SupplyProblemDTO] {
        try await deps.services(req).monitor.supplyProblems(try await req.scope(deps)).map(SupplyProblemDTO.init)
    }

    func addMonitorProblem(_ req: Request) async throws -> [SupplyProblemDTO] {
        let body = try req.content.decode(SupplyProblemDTO.self)
        let scope = try await req.scope(deps)
        let monitor = deps.services(req).monitor
        try await monitor.addSupplyProblem(
            scope, unit: body.unit, region: body.regionPrefix, from: body.from, through: body.through, note: body.note)
        return try await monitor.supplyProblems(scope).map(SupplyProblemDTO.init)
    }
}
