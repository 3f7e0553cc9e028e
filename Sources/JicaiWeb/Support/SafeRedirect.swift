import Foundation
import Vapor

/// Every redirect of the site goes through here: only same-site paths are followed, and nothing that could split a
/// header. A target that is not a plain path of this site (a scheme, `//host`, a backslash that browsers read as a
/// slash, a control character such as CR, LF or tab) is replaced by the start page.
enum SafeRedirect {
    static let fallback = SiteURL.home.path

    /// `candidate` when it is a same-site path, nil otherwise.
    static func path(_ candidate: String?) -> String? {
        guard let path = candidate, path.hasPrefix("/"), path.utf8.count <= 2048 else { return nil }
        let bytes = Array(path.utf8)
        if bytes.count > 1 && (bytes[1] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "\\")) { return nil }
        for byte in bytes where byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") { return nil }
        return path
    }

    /// A 303 redirect to `path`, or to the start page when `path` is not safe.
    static func response(_ req: Request, to path: String) -> Response {
        req.redirect(to: Self.path(path) ?? fallback, redirectType: .normal)
    }
}
