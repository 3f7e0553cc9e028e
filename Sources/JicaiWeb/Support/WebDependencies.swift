import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// What the web layer needs, wired once in JicaiApp.
public struct WebDependencies: Sendable {
    public var hasher: any PasswordHashing
    public var now: @Sendable () -> Date
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// How long shutting down waits for running background imports (JICAI_SHUTDOWN_GRACE_SECONDS).
    public var shutdownGraceSeconds: Double
    /// The services of a request (the web layer's only door to the database), built by JicaiApp.
    public var services: @Sendable (Request) -> Services

    public init(
        hasher: any PasswordHashing, services: @escaping @Sendable (Request) -> Services, now: @escaping @Sendable () -> Date = { Date() },
        secureCookies: Bool = false, sessionLifetime: TimeInterval = 8 * 3600, shutdownGraceSeconds: Double = 300
    ) {
        self.services = services
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.hasher = hasher
        self.now = now
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
    }
}

/// The signed-in user of a request.
struct CurrentUser: Sendable {
    var user: StoredUser
    var csrf: String
    var principal: Principal { user.principal }
}

struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
struct LangKey: StorageKey { typealias Value = Lang }

enum Secrets {
    static func random(_ bytes: Int = 32) -> String { AccountService.randomSecret(bytes) }
    static func equal(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    var currentUser: CurrentUser? { storage[CurrentUserKey.self] }

    func context(_ deps: WebDependencies) throws -> RequestContext {
        guard let current = currentUser else { throw Abort(.unauthorized) }
        return RequestContext(principal: current.principal, ip: clientIP, at: deps.now())
    }

    /// The batch of the path (`BatchKey`) resolved once for this request, for the signed-in user: every stage
    /// service's operation takes it (BATCH_NOT_FOUND, FORBIDDEN for a batch of another province).
    func scope(_ deps: WebDependencies) async throws -> BatchScope {
        try await deps.services(self).scope(try BatchKey(self).code, ctx: try context(deps))
    }

    /// The client's address for the audit log and the lock-out: the socket's peer, or, when the peer is one of the
    /// configured trusted proxies (JICAI_TRUSTED_PROXIES), the right-most address of `X-Forwarded-For` that is not
    /// itself a trusted proxy. A client cannot choose what is recorded by sending the header itself.
    var clientIP: String? {
        ClientAddress.resolve(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trusted: application.storage[TrustedProxiesKey.self] ?? [])
    }

    /// The page language, read once per request (a form page asks for it in every row: parsing the cookie header
    /// and the query string each time was 45% of the form page's CPU).
    var lang: Lang {
        if let known = storage[LangKey.self] { return known }
        let lang = Lang(en: cookies["lang"]?.string == "en" || (query["lang"] as String?) == "en")
        storage[LangKey.self] = lang
        return lang
    }
}
