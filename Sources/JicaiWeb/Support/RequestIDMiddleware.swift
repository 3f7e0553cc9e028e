import Foundation
import Vapor

/// Puts a request id on every log line of a request and on the response (`X-Request-Id`): the id a trusted proxy
/// sent when it is a plain token of at most 64 characters, a new one otherwise.
public struct RequestIDMiddleware: AsyncMiddleware {
    public init() {}

    static func acceptable(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.utf8.allSatisfy { c in
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
