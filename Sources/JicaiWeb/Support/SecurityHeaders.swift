import Foundation
import Vapor

public enum ClientAddress {
    /// The peer, or behind a trusted proxy the right-most `X-Forwarded-For` address that is not a trusted proxy.
    public static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last(where: { !$0.isEmpty && !trusted.contains($0) }) ?? peer
    }
}

/// The addresses of the reverse proxies whose `X-Forwarded-For` is believed.
public struct TrustedProxiesKey: StorageKey { public typealias Value = Set<String> }

/// Security headers on every response: installed first among the application's middleware, so errors, 404s of
/// unknown routes, `/health` and the legacy API get them too. A `Location` that is not a safe same-site path never
/// leaves the server (a last guard; every redirect is built by `SafeRedirect`).
public struct SecurityHeaders: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if let location = response.headers.first(name: .location), SafeRedirect.path(location) == nil {
            request.logger.warning("unsafe redirect target replaced")
            response.headers.replaceOrAdd(name: .location, value: SafeRedirect.fallback)
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.first(name: "Content-Security-Policy") == nil {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
        }
        return response
    }
}
