import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Reads the session cookie (web) or a bearer token (API) and puts the user on the request.
struct SessionAuthenticator: AsyncMiddleware {
    let deps: WebDependencies
    static let cookie = "jicai_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let accounts = deps.services(request).accounts
        if let token = request.cookies[Self.cookie]?.string, !token.isEmpty {
            if let (user, csrf) = try await accounts.sessionUser(token: token, at: deps.now()) {
                request.storage[CurrentUserKey.self] = CurrentUser(user: user, csrf: csrf)
            }
        } else if let bearer = request.headers.bearerAuthorization?.token, request.url.path.hasPrefix(SiteURL.apiPrefix) {
            if let user = try await accounts.tokenUser(token: bearer, at: deps.now()) {
                // Machine clients carry no cookie, so there is nothing to forge: CSRF does not apply to tokens.
                request.storage[CurrentUserKey.self] = CurrentUser(user: user, csrf: "")
                request.storage[TokenAuthKey.self] = true
            }
        }
        return try await next.respond(to: request)
    }
}

struct TokenAuthKey: StorageKey { typealias Value = Bool }

/// Pages need a signed-in user; a user with an initial password is sent to change it first.
struct RequireUser: AsyncMiddleware {
    let api: Bool
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.currentUser else {
            if api { throw Abort(.unauthorized) }
            if request.method != .GET { throw Abort(.forbidden) }
            let back = request.url.path
            let encoded = back.split(separator: "/", omittingEmptySubsequences: false).map { SiteURL.encode(String($0)) }.joined(separator: "%2F")
            return SafeRedirect.response(request, to: SiteURL.login.path + "?next=" + encoded)
        }
        if current.user.mustChangePassword && api {
            throw Refusal(.passwordChangeRequired)
        }
        if current.user.mustChangePassword && request.url.path != SiteURL.password.path && request.url.path != SiteURL.logout.path {
            return request.redirect(to: .password)
        }
        return try await next.respond(to: request)
    }
}
