import Foundation
import JicaiCore
import NIOConcurrencyHelpers
import Vapor

/// Every state-changing request with a session must carry the session's CSRF token (form field `_csrf` or the
/// `X-CSRF-Token` header). Log-in, before a session exists, uses a double-submit cookie instead.
struct CSRFMiddleware: AsyncMiddleware {
    static let preCookie = "jicai_pre"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET && request.method != .HEAD else { return try await next.respond(to: request) }
        try await Self.collectBody(request)
        if request.storage[TokenAuthKey.self] == true { return try await next.respond(to: request) }
        let given = request.headers.first(name: "X-CSRF-Token") ?? formToken(request)
        let expected: String?
        if let user = request.currentUser {
            expected = user.csrf
        } else {
            expected = request.cookies[Self.preCookie]?.string
        }
        guard let expected, !expected.isEmpty, let given, Secrets.equal(given, expected) else {
            throw Abort(.forbidden, reason: "CSRF")
        }
        return try await next.respond(to: request)
    }

    /// Middleware runs before the route collects the body: it is collected here, bounded in size (a few kilobytes
    /// before anyone has logged in, the upload limit for a user) and in time (a body that trickles in slower than
    /// `InputLimits.bodyReadSeconds` allows is refused with 408).
    static func collectBody(_ request: Request) async throws {
        let limit = request.currentUser == nil ? InputLimits.unauthenticatedBodyBytes : InputLimits.authenticatedBodyBytes
        if let body = request.body.data {
            guard body.readableBytes <= limit else { throw Abort(.payloadTooLarge) }
            return
        }
        let promise = request.eventLoop.makePromise(of: ByteBuffer?.self)
        let settled = NIOLockedValueBox(false)
        @Sendable func settle(_ result: Result<ByteBuffer?, any Error>) {
            guard
                settled.withLockedValue({ done in
                    defer { done = true }
                    return !done
                })
            else { return }
            promise.completeWith(result)
        }
        let deadline = request.eventLoop.scheduleTask(in: .seconds(InputLimits.bodyReadSeconds)) {
            settle(.failure(Abort(.requestTimeout, headers: ["Connection": "close"])))
        }
        request.body.collect(max: limit).whenComplete { result in
            deadline.cancel()
            settle(result)
        }
        _ = try await promise.futureResult.get()
    }

    private func formToken(_ request: Request) -> String? {
        if let ct = request.headers.contentType, ct == .urlEncodedForm || ct.type == "multipart" {
            return try? request.content.get(String.self, at: "_csrf")
        }
        return nil
    }
}
