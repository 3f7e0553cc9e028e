import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Errors of pages become an HTML page with the status; internals are logged with the request id, never shown.
struct WebErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let lang = request.lang
            let status: HTTPResponseStatus
            let message: String
            switch error {
            case let e as ServiceError:
                status = e.httpStatus
                message = lang.t(e.message)
            case let e as AbortError:
                status = e.status
                message = lang.t(RequestRefusal.message(e, request))
            default:
                request.logger.error("request failed: \(String(reflecting: error))")
                status = .internalServerError
                message = lang.t("服务器内部错误，请稍后重试", "internal error; please try again later")
            }
            let response = Layout.page(request, title: "\(status.code)", flash: [.error(message)]) {
                el("p") { el("a", .href(SiteURL.home.path)) { lang.t("返回首页", "Back to the start page") } }
            }
            response.status = status
            return response
        }
    }
}
