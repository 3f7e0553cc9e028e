import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// One-shot messages carried to the next page in a cookie (post/redirect/get).
enum Flashes {
    static let cookie = "jicai_flash"

    static func redirect(_ req: Request, to path: String, _ flash: Flash) -> Response {
        let response = SafeRedirect.response(req, to: path)
        let text = String(flash.text.prefix(600))
        response.cookies[cookie] = HTTPCookies.Value(
            string: flash.kind + ":" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static func take(_ req: Request) -> [Flash] {
        guard let value = req.cookies[cookie]?.string, let colon = value.firstIndex(of: ":") else { return [] }
        let text = String(value[value.index(after: colon)...]).removingPercentEncoding ?? ""
        return [Flash(kind: String(value[..<colon]), text: text)]
    }

    /// Renders `response` and clears the cookie the flash came in.
    static func clear(_ req: Request, _ response: Response) -> Response {
        if req.cookies[cookie] != nil {
            response.cookies[cookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true)
        }
        return response
    }

    /// Runs a state-changing action: refusals come back as a message on `back`; scope refusals stay errors (404/403).
    static func act(_ req: Request, back: String, _ body: () async throws -> String) async throws -> Response {
        do {
            return redirect(req, to: back, .ok(try await body()))
        } catch let e as ServiceError where !e.isScopeRefusal {
            return redirect(req, to: back, .error(req.lang.t(e.message)))
        } catch let e as ImportFailure {
            let lang = req.lang
            return redirect(req, to: back, .error(e.issues.prefix(5).map { $0.text(lang.en ? .en : .zh) }.joined(separator: "；")))
        }
    }
}
