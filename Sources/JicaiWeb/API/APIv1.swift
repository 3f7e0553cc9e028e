import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The JSON API: the same use cases as the pages, the same scope rules, bearer tokens for machine clients
/// (a session cookie with the `X-CSRF-Token` header works too). Described at `/openapi.json`.
struct APIv1: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.openAPI) { _ in Response.json(OpenAPIDocument.json) }
        let api = routes.grouped(RequireUser(api: true))
        api.get(.api(.me)) { req in try me(req) }
        api.post(.api(.tokens)) { req in try await createToken(req) }
        api.get(.api(.tokens)) { req in try await tokens(req) }
        api.delete(.api(.token(.any))) { req in try await revokeToken(req) }
        bootDemand(api)
        bootAward(api)
        bootMonitor(api)
        bootSupply(api)
        bootSupplyOversight(api)
        bootAssessment(api)
    }

    func user(_ req: Request) throws -> CurrentUser {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        return user
    }

    // MARK: the account and its tokens

    func me(_ req: Request) throws -> MeDTO {
        let current = try user(req)
        let user = current.user
        return MeDTO(
            username: user.username, displayName: user.displayName, role: user.role.rawValue, organisationCode: user.organisationCode,
            regionCode: user.regionCode, csrf: current.csrf.isEmpty ? nil : current.csrf)
    }

    func createToken(_ req: Request) async throws -> TokenDTO {
        struct Body: Content {
            var label: String?
            var days: Int?
        }
        let current = try user(req)
        guard req.storage[TokenAuthKey.self] != true else { throw Refusal(.sessionRequired) }
        let body = req.body.data == nil ? nil : try req.content.decode(Body.self)
        let label = body?.label ?? "api"
        let (token, expires) = try await deps.services(req).accounts.createToken(
            userID: current.user.id, label: label, days: body?.days,
            ctx: try req.context(deps))
        return TokenDTO(token: token, label: label, expiresAt: expires)
    }

    func tokens(_ req: Request) async throws -> [TokenInfoDTO] {
        try await deps.services(req).accounts.tokens(userID: try user(req).user.id).map(TokenInfoDTO.init)
    }

    func revokeToken(_ req: Request) async throws -> Response {
        let token = try TokenKey(req)
        try await deps.services(req).accounts.revokeToken(userID: try user(req).user.id, id: token.text, ctx: try req.context(deps))
        return Response(status: .noContent)
    }
}
