import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// One-shot messages carried to the next page in a cookie (post/redirect/get).
enum Flashes {
    static let cookie = "jicai_flash"

    static func redirect(_ req: Request, to path: String, _ flash: Flash) -> Response {
        let r = SafeRedirect.response(req, to: path)
        let text = String(flash.text.prefix(600))
        r.cookies[cookie] = HTTPCookies.Value(
            string: flash.kind + ":" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
        return r
    }

    static func take(_ req: Request) -> [Flash] {
        guard let v = req.cookies[cookie]?.string, let i = v.firstIndex(of: ":") else { return [] }
        let text = String(v[v.index(after: i)...]).removingPercentEncoding ?? ""
        return [Flash(kind: String(v[..<i]), text: text)]
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
