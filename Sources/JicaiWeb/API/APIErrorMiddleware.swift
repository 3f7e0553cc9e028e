import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// `{"error":{"code","message"}}`, the body of every refused API request.
struct APIErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var messageEn: String
    }
    var error: Detail
}

/// Turns service and import errors into JSON errors with a stable code; internal errors are logged, never shown.
struct APIErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let e as Refusal {
            return try body(e.httpStatus, e.code, e.message, request)
        } catch let e as ImportFailure {
            let message = LocalizedText(
                zh: e.issues.map { $0.text(.zh) }.joined(separator: "\n"), en: e.issues.map { $0.text(.en) }.joined(separator: "\n"))
            return try body(RefusalCode.importFailed.kind.httpStatus, .importFailed, message, request)
        } catch let e as AbortError {
            let code = RequestRefusal.code(e.status)
            return try body(e.status, code, RequestRefusal.message(e, request), request)
        } catch {
            request.logger.error("request failed: \(String(reflecting: error))")
            return try body(.internalServerError, .internalError, RefusalCode.internalError.message, request)
        }
    }

    private func body(_ status: HTTPResponseStatus, _ code: RefusalCode, _ message: LocalizedText, _ request: Request) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(APIErrorBody(error: .init(code: code.rawValue, message: message.zh, messageEn: message.en)))
        return response
    }
}

extension RefusalKind {
    /// The one mapping of refusals to HTTP, for pages and API alike: out of scope or missing is 404 (a refusal must
    /// not tell whether something outside the scope exists), not allowed 403, refused by the window or the report's
    /// state 409, anything else the caller can fix 400.
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .tooLarge: .payloadTooLarge
        case .timeout: .requestTimeout
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }
}

extension Refusal {
    var httpStatus: HTTPResponseStatus { kind.httpStatus }

    /// A scope refusal stays an error page; other refusals come back as a message on the page the user was on.
    var isScopeRefusal: Bool { kind == .notFound || kind == .forbidden }
}

/// What a refusal by the framework (not a service) says to the user: a fixed text per status, never the framework's
/// reason, which for a malformed body names Swift types and coding paths. The reason is logged instead.
enum RequestRefusal {
    static func code(_ status: HTTPResponseStatus) -> RefusalCode {
        switch status {
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .payloadTooLarge: .tooLarge
        case .requestTimeout: .requestTimeout
        case .badRequest: .badRequest
        default: .refused
        }
    }

    static func message(_ e: any AbortError, _ request: Request) -> LocalizedText {
        let code = code(e.status)
        switch code {
        case .forbidden:
            return LocalizedText(zh: "无权操作（或页面已过期，请刷新后重试）", en: "not allowed (or the page expired: reload and try again)")
        case .badRequest:
            request.logger.info("bad request: \(e.reason)")
        case .refused:
            request.logger.info("refused: \(e.status.code) \(e.reason)")
            return LocalizedText(zh: "请求被拒绝（\(e.status.code)）", en: "request refused (\(e.status.code))")
        default:
            break
        }
        return code.message
    }
}
