import Foundation
import Vapor

/// `/metrics` in Prometheus's text format, for a scraper: answered only to the configured addresses (the client as
/// `ClientAddress` resolves it, so a request relayed by a trusted proxy counts as its real client) or to a request
/// with the metrics token. Anyone else gets the same 404 as an unknown path.
public struct MetricsRoute: Sendable {
    public var allowed: Set<String>
    public var token: String?
    public var render: @Sendable () async throws -> String

    public init(allowed: Set<String>, token: String?, render: @escaping @Sendable () async throws -> String) {
        self.allowed = allowed
        self.token = token
        self.render = render
    }

    public func register(_ app: Application) {
        app.get("metrics") { req -> Response in
            guard mayScrape(req) else { throw Abort(.notFound) }
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return Response(status: .ok, headers: headers, body: .init(string: try await render()))
        }
    }

    func mayScrape(_ req: Request) -> Bool {
        if let token, !token.isEmpty, let given = req.headers.bearerAuthorization?.token, Secrets.equal(given, token) { return true }
        guard let client = req.clientIP else { return false }
        return allowed.contains(client)
    }
}

/// Puts a request id on every log line of a request and on the response (`X-Request-Id`): the id a trusted proxy
/// sent when it is a plain token of at most 64 characters, a new one otherwise.
public struct RequestIDMiddleware: AsyncMiddleware {
    public init() {}

    static func acceptable(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95 || c == 46
        }
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id: String
        if let given = request.headers.first(name: .xRequestId), Self.acceptable(given) {
            id = given
        } else {
            id = UUID().uuidString
        }
        request.logger[metadataKey: "request-id"] = .string(id)
        // Installed before the framework's error middleware: errors arrive here as responses already.
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        return response
    }
}
