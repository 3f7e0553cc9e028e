import Crypto
import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import NIOConcurrencyHelpers
import Vapor

/// bcrypt through Vapor; generated initial passwords use a lower cost (they are one-time and must be changed at
/// first log-in), so creating 50,000 institution accounts takes minutes, not hours.
public struct BcryptHasher: PasswordHashing {
    public var cost: Int
    public var initialCost: Int
    /// A hash to verify against when the user name does not exist; made at the first such log-in, not at start-up
    /// (every CLI command configures the app, and a cost-12 hash is 0.2 s).
    private let dummy = NIOLockedValueBox<String?>(nil)

    public init(cost: Int = 12, initialCost: Int = 8) {
        self.cost = cost
        self.initialCost = initialCost
    }

    /// bcrypt is deliberately slow (≈ 0.25 s at cost 12): it runs on a pool of its own, neither on the cooperative
    /// executor that serves every other request nor on NIO's shared pool, where SQLite does its blocking I/O (a load
    /// run with bcrypt on the shared pool starved SQLite into connection time-outs).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BcryptHasher.pool.runIfActive(body)
    }

    public func hash(_ password: String) async throws -> String { let c = cost; return try await offload { try Bcrypt.hash(password, cost: c) } }
    public func hashInitial(_ password: String) async throws -> String { let c = initialCost; return try await offload { try Bcrypt.hash(password, cost: c) } }
    public func verify(_ password: String, hash: String) async throws -> Bool { try await offload { try Bcrypt.verify(password, created: hash) } }
    public func verifyNothing(_ password: String) async {
        let box = dummy, c = cost
        _ = try? await offload {
            let hash = try box.withLockedValue { d in
                if let d { return d }
                let h = try Bcrypt.hash("jicai-no-such-account", cost: c)
                d = h
                return h
            }
            return try Bcrypt.verify(password, created: hash)
        }
    }
}

/// What the web layer needs, wired once in JicaiApp.
public struct WebDependencies: Sendable {
    public var hasher: any PasswordHashing
    public var now: @Sendable () -> Date
    public var secureCookies: Bool
    public var sessionLifetime: TimeInterval
    /// How long shutting down waits for running background imports (JICAI_SHUTDOWN_GRACE_SECONDS).
    public var shutdownGraceSeconds: Double

    public init(hasher: any PasswordHashing, now: @escaping @Sendable () -> Date = { Date() }, secureCookies: Bool = false,
                sessionLifetime: TimeInterval = 8 * 3600, shutdownGraceSeconds: Double = 300) {
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
        guard let u = currentUser else { throw Abort(.unauthorized) }
        return RequestContext(principal: u.principal, ip: clientIP, at: deps.now())
    }

    /// The client's address for the audit log and the lock-out: the socket's peer, or, when the peer is one of the
    /// configured trusted proxies (JICAI_TRUSTED_PROXIES), the right-most address of `X-Forwarded-For` that is not
    /// itself a trusted proxy. A client cannot choose what is recorded by sending the header itself.
    var clientIP: String? {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
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

/// Reads the session cookie (web) or a bearer token (API) and puts the user on the request.
struct SessionAuthenticator: AsyncMiddleware {
    let deps: WebDependencies
    static let cookie = "jicai_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let accounts = AccountService(db: DB(request.db), hasher: deps.hasher)
        if let token = request.cookies[Self.cookie]?.string, !token.isEmpty {
            if let (user, csrf) = try await accounts.sessionUser(token: token, at: deps.now()) {
                request.storage[CurrentUserKey.self] = CurrentUser(user: user, csrf: csrf)
            }
        } else if let bearer = request.headers.bearerAuthorization?.token, request.url.path.hasPrefix("/api/v1") {
            if let user = try await accounts.tokenUser(token: bearer, at: deps.now()) {
                // Machine clients carry no cookie, so there is nothing to forge: CSRF does not apply to tokens.
                request.storage[CurrentUserKey.self] = CurrentUser(user: user, csrf: "")
                request.storage[TokenAuthKey.self] = true
            }
        }
        return try await next.respond(to: request)
    }
}

struct TokenAuthKey: StorageKey { typealias Value = Bool }

public enum ClientAddress {
    /// The peer, or behind a trusted proxy the right-most `X-Forwarded-For` address that is not a trusted proxy.
    public static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last(where: { !$0.isEmpty && !trusted.contains($0) }) ?? peer
    }
}

/// The addresses of the reverse proxies whose `X-Forwarded-For` is believed.
public struct TrustedProxiesKey: StorageKey { public typealias Value = Set<String> }

/// Every state-changing request with a session must carry the session's CSRF token (form field `_csrf` or the
/// `X-CSRF-Token` header). Log-in, before a session exists, uses a double-submit cookie instead.
struct CSRFMiddleware: AsyncMiddleware {
    static let preCookie = "jicai_pre"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET && request.method != .HEAD else { return try await next.respond(to: request) }
        try await Self.collectBody(request)
        if request.storage[TokenAuthKey.self] == true { return try await next.respond(to: request) }
        let given = request.headers.first(name: "X-CSRF-Token") ?? formToken(request)
        let expected: String?
        if let user = request.currentUser {
            expected = user.csrf
        } else {
            expected = request.cookies[Self.preCookie]?.string
        }
        guard let expected, !expected.isEmpty, let given, Secrets.equal(given, expected) else {
            throw Abort(.forbidden, reason: "CSRF")
        }
        return try await next.respond(to: request)
    }

    /// Middleware runs before the route collects the body: it is collected here, bounded in size (a few kilobytes
    /// before anyone has logged in, the upload limit for a user) and in time (a body that trickles in slower than
    /// `InputLimits.bodyReadSeconds` allows is refused with 408).
    static func collectBody(_ request: Request) async throws {
        let limit = request.currentUser == nil ? InputLimits.unauthenticatedBodyBytes : InputLimits.authenticatedBodyBytes
        if let body = request.body.data {
            guard body.readableBytes <= limit else { throw Abort(.payloadTooLarge) }
            return
        }
        let promise = request.eventLoop.makePromise(of: ByteBuffer?.self)
        let settled = NIOLockedValueBox(false)
        @Sendable func settle(_ result: Result<ByteBuffer?, any Error>) {
            guard settled.withLockedValue({ done in defer { done = true }; return !done }) else { return }
            promise.completeWith(result)
        }
        let deadline = request.eventLoop.scheduleTask(in: .seconds(InputLimits.bodyReadSeconds)) {
            settle(.failure(Abort(.requestTimeout, headers: ["Connection": "close"])))
        }
        request.body.collect(max: limit).whenComplete { result in
            deadline.cancel()
            settle(result)
        }
        _ = try await promise.futureResult.get()
    }

    private func formToken(_ request: Request) -> String? {
        if let ct = request.headers.contentType, ct == .urlEncodedForm || ct.type == "multipart" {
            return try? request.content.get(String.self, at: "_csrf")
        }
        return nil
    }
}

/// Pages need a signed-in user; a user with an initial password is sent to change it first.
struct RequireUser: AsyncMiddleware {
    let api: Bool
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let u = request.currentUser else {
            if api { throw Abort(.unauthorized) }
            if request.method != .GET { throw Abort(.forbidden) }
            let back = request.url.path
            let encoded = back.split(separator: "/", omittingEmptySubsequences: false).map { SafeRedirect.segment(String($0)) }.joined(separator: "%2F")
            return SafeRedirect.response(request, to: "/login?next=" + encoded)
        }
        if u.user.mustChangePassword && api {
            throw ServiceError(.passwordChangeRequired, zh: "请先修改初始密码", en: "change the initial password first")
        }
        if u.user.mustChangePassword && request.url.path != "/password" && request.url.path != "/logout" {
            return SafeRedirect.response(request, to: "/password")
        }
        return try await next.respond(to: request)
    }
}

/// Security headers on every response: installed first among the application's middleware, so errors, 404s of
/// unknown routes, `/health` and the legacy API get them too. A `Location` that is not a safe same-site path never
/// leaves the server (a last guard; every redirect is built by `SafeRedirect`).
public struct SecurityHeaders: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if let location = response.headers.first(name: .location), SafeRedirect.path(location) == nil {
            request.logger.warning("unsafe redirect target replaced")
            response.headers.replaceOrAdd(name: .location, value: SafeRedirect.fallback)
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if response.headers.first(name: "Content-Security-Policy") == nil {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
        }
        return response
    }
}
