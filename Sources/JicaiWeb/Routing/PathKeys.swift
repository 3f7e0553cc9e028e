import Foundation
import Vapor

/// A value carried in a path segment, decoded once per request from the route's parameter of the same name.
protocol PathKey: Hashable, Sendable {
    /// The parameter name in the route pattern (`:batch`).
    static var parameterName: String { get }
    var text: String { get }
    /// The value, or nil when the text cannot be one (the route then answers 404).
    init?(text: String)
}

extension PathKey {
    var segment: SiteURL.Segment { .value(name: Self.parameterName, text: text) }

    /// The value in this request's path; 404 when the route has none or the text is not a valid value.
    init(_ req: Request) throws {
        guard let text = req.parameters.get(Self.parameterName), let value = Self(text: text) else { throw Abort(.notFound) }
        self = value
    }
}

/// A placeholder for registering a route: only the pattern of a `SiteURL` is used then, never its values.
extension PathKey where Self: ExpressibleByStringLiteral, StringLiteralType == String {
    static var any: Self { Self(stringLiteral: "") }
}

/// A batch code (`GY-2025-11`).
struct BatchKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "batch"
    let text: String
    init(text: String) { self.text = text }
    init(_ code: String) { text = code }
    init(stringLiteral value: String) { text = value }
    var code: String { text }
}

/// An institution's code (its unified social credit code).
struct InstitutionKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "inst"
    let text: String
    init(text: String) { self.text = text }
    init(_ code: String) { text = code }
    init(stringLiteral value: String) { text = value }
    var code: String { text }
}

/// A stored file's number.
struct FileKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "id"
    let text: String
    init?(text: String) {
        guard Int64(text) != nil else { return nil }
        self.text = text
    }
    init(_ id: Int64) { text = String(id) }
    init(stringLiteral value: String) { text = value }
    var id: Int64 { Int64(text) ?? 0 }
}

/// An agreement's number.
struct AgreementKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "agreement"
    let text: String
    init?(text: String) {
        guard Int64(text) != nil else { return nil }
        self.text = text
    }
    init(_ id: Int64) { text = String(id) }
    init(stringLiteral value: String) { text = value }
    var id: Int64 { Int64(text) ?? 0 }
}

/// A monitoring alert's number.
struct AlertIDKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "alert"
    let text: String
    init?(text: String) {
        guard Int64(text) != nil else { return nil }
        self.text = text
    }
    init(_ id: Int64) { text = String(id) }
    init(stringLiteral value: String) { text = value }
    var id: Int64 { Int64(text) ?? 0 }
}

/// A background import job's id.
struct JobKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "id"
    let text: String
    init(text: String) { self.text = text }
    init(stringLiteral value: String) { text = value }
}

/// An API token's id.
struct TokenKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "id"
    let text: String
    init(text: String) { self.text = text }
    init(stringLiteral value: String) { text = value }
}

/// An account's user name.
struct UserKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "user"
    let text: String
    init(text: String) { self.text = text }
    init(stringLiteral value: String) { text = value }
}

/// The interface language of `/lang/{lang}`: `en`, anything else is Chinese.
struct LanguageKey: PathKey, ExpressibleByStringLiteral {
    static let parameterName = "lang"
    let text: String
    init(text: String) { self.text = text }
    init(_ text: String) { self.text = text }
    init(stringLiteral value: String) { text = value }
    var english: Bool { text == "en" }
}

/// The batch and institution of a report's pages and API paths.
struct ReportKey: Sendable {
    let batch: BatchKey
    let institution: InstitutionKey

    init(_ req: Request) throws {
        batch = try BatchKey(req)
        institution = try InstitutionKey(req)
    }

    func page(_ page: SiteURL.ReportPage = .form) -> SiteURL { .batch(batch, .report(institution, page)) }
}

extension RoutesBuilder {
    @discardableResult
    func get<R: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.GET, url.pattern, use: handler)
    }

    @discardableResult
    func post<R: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.POST, url.pattern, use: handler)
    }

    @discardableResult
    func put<R: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.PUT, url.pattern, use: handler)
    }

    @discardableResult
    func delete<R: AsyncResponseEncodable>(_ url: SiteURL, use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        on(.DELETE, url.pattern, use: handler)
    }
}

extension Request {
    /// A 303 redirect to a page of the site.
    func redirect(to url: SiteURL) -> Response { SafeRedirect.response(self, to: url.path) }
}
