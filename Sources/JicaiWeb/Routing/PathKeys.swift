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

/// The name of a route parameter, as a type: each kind of path value is one of the two generic keys below with its
/// parameter (`BatchKey` is `TextKey<BatchParameter>`), so a path key is one line, not a struct of its own.
protocol PathParameter: Sendable {
    static var name: String { get }
}

/// A text carried in a path (a batch code, an institution's code, a user name).
struct TextKey<Parameter: PathParameter>: PathKey, ExpressibleByStringLiteral {
    static var parameterName: String { Parameter.name }
    let text: String
    init(text: String) { self.text = text }
    init(_ text: String) { self.text = text }
    init(stringLiteral value: String) { text = value }
    var code: String { text }
}

/// A stored row's number carried in a path (a file, an agreement, an alert); any other text answers 404.
struct NumberKey<Parameter: PathParameter>: PathKey, ExpressibleByStringLiteral {
    static var parameterName: String { Parameter.name }
    let text: String
    init?(text: String) {
        guard Int64(text) != nil else { return nil }
        self.text = text
    }
    init(_ id: Int64) { text = String(id) }
    init(stringLiteral value: String) { text = value }
    var id: Int64 { Int64(text) ?? 0 }
}

enum BatchParameter: PathParameter { static let name = "batch" }
enum InstitutionParameter: PathParameter { static let name = "inst" }
enum IDParameter: PathParameter { static let name = "id" }
enum AgreementParameter: PathParameter { static let name = "agreement" }
enum AlertParameter: PathParameter { static let name = "alert" }
enum OrderParameter: PathParameter { static let name = "order" }
enum DeliveryParameter: PathParameter { static let name = "delivery" }
enum TicketParameter: PathParameter { static let name = "ticket" }
enum SettlementParameter: PathParameter { static let name = "settlement" }
enum AppealParameter: PathParameter { static let name = "appeal" }
enum LeadParameter: PathParameter { static let name = "lead" }
enum UserParameter: PathParameter { static let name = "user" }
enum LanguageParameter: PathParameter { static let name = "lang" }

/// A batch code (`GY-2025-11`).
typealias BatchKey = TextKey<BatchParameter>
/// An institution's code (its unified social credit code).
typealias InstitutionKey = TextKey<InstitutionParameter>
/// A stored file's number.
typealias FileKey = NumberKey<IDParameter>
/// An agreement's number.
typealias AgreementKey = NumberKey<AgreementParameter>
/// A monitoring alert's number.
typealias AlertIDKey = NumberKey<AlertParameter>
/// An order's number (its id; pages show it as DD00000012).
typealias OrderKey = NumberKey<OrderParameter>
/// A delivery's number.
typealias DeliveryKey = NumberKey<DeliveryParameter>
/// A supply-problem ticket's number.
typealias TicketKey = NumberKey<TicketParameter>
/// A settlement run's number.
typealias SettlementKey = NumberKey<SettlementParameter>
/// An assessment appeal's id.
typealias AppealKey = NumberKey<AppealParameter>
/// A supervision lead's id.
typealias LeadKey = NumberKey<LeadParameter>
/// A background import job's id.
typealias JobKey = TextKey<IDParameter>
/// An API token's id.
typealias TokenKey = TextKey<IDParameter>
/// An account's user name.
typealias UserKey = TextKey<UserParameter>
/// The interface language of `/lang/{lang}`: `en`, anything else is Chinese.
typealias LanguageKey = TextKey<LanguageParameter>

extension TextKey where Parameter == LanguageParameter {
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
