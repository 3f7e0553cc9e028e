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
        app.get(.metrics) { req -> Response in
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
