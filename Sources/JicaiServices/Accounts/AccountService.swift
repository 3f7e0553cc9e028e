import Crypto
import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// Hashes and verifies passwords (bcrypt in the app; injected so Services does not depend on the web framework).
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    /// A cheaper hash for generated one-time initial passwords, which must be changed at first log-in.
    func hashInitial(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
    /// The work of one verification against no account, so an unknown user name costs as much as a wrong password.
    func verifyNothing(_ password: String) async
    /// The cost of hashes of chosen passwords; `verifyNothing` works at this cost.
    var cost: Int { get }
}

extension PasswordHashing {
    /// Verifies `password` against `hash` (nil: no such account) with the same work whatever the outcome: exactly one
    /// verification at full cost, plus the cheaper one of a generated initial password. Log-ins of unknown, locked,
    /// disabled and existing accounts cannot be told apart by their time.
    func verifyWithEqualWork(_ password: String, hash: String?) async throws -> Bool {
        guard let hash else {
            await verifyNothing(password)
            return false
        }
        let ok = try await verify(password, hash: hash)
        if (AccountService.bcryptCost(of: hash) ?? cost) < cost { await verifyNothing(password) }
        return ok
    }
}

/// A generated initial password, shown once to the administrator to hand out.
public struct IssuedCredential: Sendable, Hashable, Codable {
    public var username: String
    public var displayName: String
    public var organisationCode: String?
    public var password: String

    public init(username: String, displayName: String, organisationCode: String?, password: String) {
        self.username = username
        self.displayName = displayName
        self.organisationCode = organisationCode
        self.password = password
    }
}

/// Who made a request, for the audit log and the scope checks.
public struct RequestContext: Sendable {
    public var principal: Principal
    public var ip: String?
    public var at: Date

    public init(principal: Principal, ip: String?, at: Date) {
        self.principal = principal
        self.ip = ip
        self.at = at
    }
}

/// Accounts: log-in with lock-out, password changes and resets, account imports (000 §3(一), 002 §2: accounts carry
/// over from batch to batch, new institutions get new accounts, initial passwords are changed at first log-in).
public struct AccountService: Sendable {
    public let db: DB
    public let hasher: any PasswordHashing
    public let policy: LoginPolicy

    public init(db: DB, hasher: any PasswordHashing, policy: LoginPolicy = LoginPolicy()) {
        self.db = db
        self.hasher = hasher
        self.policy = policy
    }

    /// The one answer to every failed log-in: a wrong password, an unknown, locked or disabled account all read the
    /// same and take the same work, so neither the text nor the time tells which (the log-in page says that five
    /// failures lock an account for 15 minutes).
    public static let badCredentials = ServiceError(.badCredentials)

    /// The context of a command run as a named account (`--as USERNAME`): an active account's principal, so the
    /// command gets that account's checks and its name in the audit log (USER_NOT_FOUND otherwise).
    public static func commandContext(db: DB, username: String, at: Date) async throws -> RequestContext {
        guard let user = try await UserStore(db).user(username: username), user.active else { throw Refusal(.userNotFound) }
        return RequestContext(principal: user.principal, ip: nil, at: at)
    }

    /// The cost of a bcrypt hash ("$2b$12$…"), nil when it is not one.
    static func bcryptCost(of hash: String) -> Int? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("2") else { return nil }
        return Int(parts[1])
    }

    /// Checks a log-in. Every attempt verifies the password, whatever the account's state; a wrong password counts
    /// towards the lock-out in the database itself, and the lock is decided from the stored count.
    public func login(username: String, password: String, ip: String?, at: Date) async throws -> StoredUser {
        let users = UserStore(db)
        let user = try await users.user(username: username)
        let right = try await hasher.verifyWithEqualWork(password, hash: user?.passwordHash)
        guard let user else {
            ServiceMetrics.login("bad_credentials")
            throw AccountService.badCredentials
        }
        guard user.active, !policy.isLocked(until: user.lockedUntil, at: at) else {
            ServiceMetrics.login("refused")
            try await AuditLog(db).record(
                actor: username, event: .loginRefused, key: username,
                summary: user.active ? "账号锁定期间尝试登录" : "停用账号尝试登录", ip: ip, at: at)
            throw AccountService.badCredentials
        }
        guard right else {
            ServiceMetrics.login("bad_credentials")
            try await recordFailure(user, .loginFailed, ip: ip, at: at)
            throw AccountService.badCredentials
        }
        // A parallel wrong attempt may have locked the account after it was read: the stored lock wins.
        guard try await users.clearFailuresIfUnlocked(userID: user.id, at: at) else {
            ServiceMetrics.login("refused")
            throw AccountService.badCredentials
        }
        try await AuditLog(db).record(actor: username, event: .login, key: username, summary: "登录", ip: ip, at: at)
        ServiceMetrics.login("ok")
        return user
    }

    /// Counts a wrong password (log-in or password change) and locks the account when the stored count reaches the limit.
    private func recordFailure(_ user: StoredUser, _ failed: AuditEvent, ip: String?, at: Date) async throws {
        try await db.transaction { db in
            let failures = try await UserStore(db).addFailure(userID: user.id)
            let until = policy.lockUntil(failures: failures, at: at)
            if let until {
                try await UserStore(db).lock(userID: user.id, until: until)
                ServiceMetrics.lockout()
            }
            try await AuditLog(db).record(
                actor: user.username, event: until == nil ? failed : .accountLocked, key: user.username,
                summary: until == nil ? "密码错误（第\(failures)次）" : "连续密码错误，账号锁定", ip: ip, at: at)
        }
    }

    /// Changes the password; the user's other sessions end (`keepSession` is the cookie secret of the one making the
    /// change) and every API token is revoked. A wrong current password counts like a failed log-in.
    public func changePassword(userID: Int64, current: String, new: String, keepSession: String? = nil, ctx: RequestContext) async throws {
        guard let user = try await UserStore(db).user(id: userID) else { throw AccountService.badCredentials }
        if policy.isLocked(until: user.lockedUntil, at: ctx.at) {
            throw ServiceError(.accountLocked, zh: "密码错误次数过多，请稍后再试", en: "too many wrong passwords; try again later")
        }
        guard try await hasher.verify(current, hash: user.passwordHash) else {
            try await recordFailure(user, .passwordChangeFailed, ip: ctx.ip, at: ctx.at)
            throw ServiceError(.badCurrentPassword, zh: "原密码不正确", en: "the current password is wrong")
        }
        if let problem = policy.problem(newPassword: new, username: user.username, current: current) {
            throw ServiceError(.weakPassword, zh: problem.zh, en: problem.en)
        }
        let hash = try await hasher.hash(new)
        try await db.transaction { db in
            try await UserStore(db).setPassword(userID: userID, hash: hash, mustChange: false)
            try await UserStore(db).deleteSessions(userID: userID, except: keepSession.map(AccountService.secretHash) ?? "")
            try await UserStore(db).deleteTokens(userID: userID)
            try await AuditLog(db).record(
                actor: user.username, event: .passwordChange, key: user.username,
                summary: "修改密码（其他会话与API令牌失效）", ip: ctx.ip, at: ctx.at)
        }
    }

    /// An administrator resets a password: a new initial password, to be changed at the next log-in; sessions end.
    public func resetPassword(username: String, ctx: RequestContext) async throws -> IssuedCredential {
        let user = try await managedUser(username, ctx)
        let password = AccountService.generatePassword()
        let hash = try await hasher.hashInitial(password)
        try await db.transaction { db in
            try await UserStore(db).setPassword(userID: user.id, hash: hash, mustChange: true)
            try await UserStore(db).deleteSessions(userID: user.id)
            try await UserStore(db).deleteTokens(userID: user.id)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .passwordReset, key: username,
                summary: "重置密码", ip: ctx.ip, at: ctx.at)
        }
        return IssuedCredential(username: user.username, displayName: user.displayName, organisationCode: user.organisationCode, password: password)
    }

    public func setActive(username: String, active: Bool, ctx: RequestContext) async throws {
        let user = try await managedUser(username, ctx)
        try await db.transaction { db in
            try await UserStore(db).setActive(userID: user.id, active)
            if !active {
                try await UserStore(db).deleteSessions(userID: user.id)
                try await UserStore(db).deleteTokens(userID: user.id)
            }
            try await UserStore(db).clearFailures(userID: user.id)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: active ? .accountEnable : .accountDisable, key: username,
                summary: active ? "启用账号并解除锁定" : "停用账号", ip: ctx.ip, at: ctx.at)
        }
    }

    private func managedUser(_ username: String, _ ctx: RequestContext) async throws -> StoredUser {
        guard Authorizer.canManageAccounts(ctx.principal) else { throw ServiceError.forbidden }
        guard let user = try await UserStore(db).user(username: username) else {
            throw ServiceError(.userNotFound, zh: "账号“\(username)”不存在", en: "no account \"\(username)\"")
        }
        var region = user.regionCode
        if let org = user.organisationCode { region = try await AccountStore(db).organisation(code: org)?.organisation.regionCode.value }
        guard Authorizer.canManageAccounts(ctx.principal, accountRegion: region ?? "") else { throw ServiceError.forbidden }
        return user
    }

    // MARK: Sessions and API tokens (only SHA-256 hashes of the secrets are stored)

    public static func secretHash(_ secret: String) -> String { sha256Hex(Data(secret.utf8)) }

    /// SHA-256 in lower-case hex, by table: `String(format:)` per byte cost more than the hash itself, and a token's
    /// hash is taken on every API request.
    static func sha256Hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A random URL-safe secret of `bytes` random bytes.
    public static func randomSecret(_ bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Starts a session after a successful log-in; returns its cookie secret and CSRF token. Expired sessions go.
    public func startSession(userID: Int64, lifetime: TimeInterval, ip: String?, at: Date) async throws -> (token: String, csrf: String) {
        let token = AccountService.randomSecret()
        let csrf = AccountService.randomSecret(24)
        try await db.transaction { db in
            try await UserStore(db).deleteExpiredSessions(at: at)
            try await UserStore(db).createSession(
                tokenHash: AccountService.secretHash(token), userID: userID, csrf: csrf, ip: ip, at: at,
                expires: at.addingTimeInterval(lifetime))
        }
        return (token, csrf)
    }

    /// The active user of a session cookie and the session's CSRF token; an expired session is removed.
    public func sessionUser(token: String, at: Date) async throws -> (user: StoredUser, csrf: String)? {
        let users = UserStore(db)
        let hash = AccountService.secretHash(token)
        guard let session = try await users.session(tokenHash: hash) else { return nil }
        if session.expiresAt <= at {
            try await users.deleteSession(tokenHash: hash)
            return nil
        }
        guard let user = try await users.user(id: session.userID), user.active else { return nil }
        return (user, session.csrf)
    }

    public func endSession(token: String) async throws {
        try await UserStore(db).deleteSession(tokenHash: AccountService.secretHash(token))
    }

    /// Creates an API token for a signed-in user (audited); the token is shown once. It expires after `days`
    /// (default and maximum in `InputLimits`), and ends earlier with a password change, a reset or a disabled account.
    public func createToken(userID: Int64, label: String, days: Int? = nil, ctx: RequestContext) async throws -> (token: String, expires: Date) {
        let days = days ?? InputLimits.defaultTokenLifetimeDays
        guard (1...InputLimits.maxTokenLifetimeDays).contains(days) else {
            throw ServiceError(
                .badTokenLifetime, zh: "令牌有效期应为1至\(InputLimits.maxTokenLifetimeDays)天",
                en: "a token lasts 1 to \(InputLimits.maxTokenLifetimeDays) days")
        }
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty, label.count <= InputLimits.maxTokenLabelCharacters else {
            throw ServiceError(
                .badTokenLabel, zh: "请填写令牌名称（最多\(InputLimits.maxTokenLabelCharacters)字）",
                en: "name the token (at most \(InputLimits.maxTokenLabelCharacters) characters)")
        }
        let token = "jct_" + AccountService.randomSecret(30)
        let expires = ctx.at.addingTimeInterval(TimeInterval(days) * 86400)
        try await db.transaction { db in
            // Counted inside the write, under the user's lock: forty mints at once stop at the limit.
            try await db.serialise(on: "tokens/\(userID)")
            guard try await UserStore(db).tokenCount(userID: userID) < InputLimits.maxTokensPerUser else {
                throw ServiceError(
                    .tooManyTokens, zh: "每个账号最多\(InputLimits.maxTokensPerUser)个令牌，请先撤销不用的令牌",
                    en: "at most \(InputLimits.maxTokensPerUser) tokens per account: revoke unused ones first")
            }
            try await UserStore(db).addToken(tokenHash: AccountService.secretHash(token), userID: userID, label: label, at: ctx.at, expires: expires)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .tokenIssue, key: ctx.principal.username,
                summary: "创建API令牌（\(label)，\(days)天）", ip: ctx.ip, at: ctx.at)
        }
        return (token, expires)
    }

    public func tokens(userID: Int64) async throws -> [StoredToken] {
        try await UserStore(db).tokens(userID: userID)
    }

    /// Revokes one of the user's own tokens (audited).
    public func revokeToken(userID: Int64, id: String, ctx: RequestContext) async throws {
        try await db.transaction { db in
            guard try await UserStore(db).deleteToken(userID: userID, id: id.lowercased()) else {
                throw ServiceError(.tokenNotFound, zh: "令牌不存在", en: "no such token")
            }
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .tokenRevoke, key: ctx.principal.username,
                summary: "撤销API令牌 \(id)", ip: ctx.ip, at: ctx.at)
        }
    }

    /// The active user of an unexpired API token; accounts that still have an initial password cannot use tokens.
    public func tokenUser(token: String, at: Date) async throws -> StoredUser? {
        let users = UserStore(db)
        guard let user = try await users.user(tokenHash: AccountService.secretHash(token), at: at), user.active, !user.mustChangePassword else {
            return nil
        }
        return user
    }

    /// 12 characters from an alphabet without look-alikes (no 0/O, 1/l/I), always with letters and digits.
    public static func generatePassword() -> String {
        let letters = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        var generator = SystemRandomNumberGenerator()
        var chars = (0..<9).map { _ in letters.randomElement(using: &generator)! } + (0..<3).map { _ in digits.randomElement(using: &generator)! }
        chars.shuffle(using: &generator)
        return String(chars)
    }

    /// The result of an account import: how many were new, carried over, and the generated initial passwords.
    public struct ImportResult: Sendable {
        public var file: String
        public var rows: Int
        public var created: Int
        public var carriedOver: Int
        public var issued: [IssuedCredential]
    }

    /// Imports accounts from a spreadsheet. Existing accounts carry over unchanged; new ones get the given or a
    /// generated initial password. Every row is checked first; a bad file writes nothing.
    public func importAccounts(path: String, ctx: RequestContext, progress: (any ProgressSink)? = nil) async throws -> ImportResult {
        guard Authorizer.canManageAccounts(ctx.principal), let prefix = ctx.principal.regionPrefix else { throw ServiceError.forbidden }
        let rows = try await ParseGate.run { try AccountTable.read(path) }
        let file = (path as NSString).lastPathComponent
        let existing = try await UserStore(db).usernames()
        let organisations = Dictionary(
            uniqueKeysWithValues: try await AccountStore(db).organisations().map { ($0.organisation.code, $0.organisation) })
        let regions = Set(try await AccountStore(db).regions().map(\.code.value))
        var issues: [ImportIssue] = []
        func column(_ key: String) -> String { Schemas.accounts.column(key).zh }
        var new: [(AccountRecord, String)] = []
        for row in rows {
            let account = row.value
            if let org = account.organisationCode {
                guard let organisation = organisations[org] else {
                    issues.append(
                        ImportIssue(
                            file: file, row: row.row, column: column("organisation"), zh: "机构编码“\(org)”不存在，请先导入机构",
                            en: "unknown organisation \"\(org)\": import it first"))
                    continue
                }
                if !organisation.regionCode.value.hasPrefix(prefix) {
                    issues.append(
                        ImportIssue(
                            file: file, row: row.row, column: column("organisation"), zh: "机构不在本省", en: "the organisation is not in this province"))
                    continue
                }
                let fits: Bool =
                    switch account.role {
                    case .institutionFiller, .institutionHead: organisation.kind.reportsDemand
                    case .manufacturer: organisation.kind == .manufacturer
                    default: organisation.kind == .distributor
                    }
                if !fits {
                    issues.append(
                        ImportIssue(
                            file: file, row: row.row, column: column("role"), zh: "角色与机构类型（\(organisation.kind.label.zh)）不符",
                            en: "the role does not fit the organisation kind (\(organisation.kind.label.en))"))
                    continue
                }
            }
            if let region = account.regionCode {
                if !regions.contains(region) || !region.hasPrefix(prefix) {
                    issues.append(
                        ImportIssue(
                            file: file, row: row.row, column: column("region"), zh: "区划代码“\(region)”不存在或不在本省",
                            en: "region \"\(region)\" does not exist or is outside the province"))
                    continue
                }
            }
            if existing.contains(account.username) { continue }
            new.append((account, account.password ?? AccountService.generatePassword()))
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let users = try await hashAll(new.map { ($0.0, $0.1) }, progress: progress)
        try await db.transaction { db in
            try await UserStore(db).insert(users, at: ctx.at)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .accountsImport, key: file,
                summary: "导入账号：新增\(users.count)个，沿用\(rows.count - users.count)个", ip: ctx.ip, at: ctx.at)
        }
        let issued = new.filter { $0.0.password == nil }.map {
            IssuedCredential(username: $0.0.username, displayName: $0.0.displayName, organisationCode: $0.0.organisationCode, password: $0.1)
        }
        return ImportResult(file: file, rows: rows.count, created: users.count, carriedOver: rows.count - users.count, issued: issued)
    }

    /// New institutions get new accounts: a filler account named by the institution code for every reporting
    /// organisation of the province that has none.
    public func createMissingInstitutionAccounts(ctx: RequestContext, progress: (any ProgressSink)? = nil) async throws -> [IssuedCredential] {
        guard Authorizer.canManageAccounts(ctx.principal), let prefix = ctx.principal.regionPrefix else { throw ServiceError.forbidden }
        let have = try await UserStore(db).organisationsWithAccount(role: .institutionFiller)
        let taken = try await UserStore(db).usernames()
        let missing = try await AccountStore(db).organisations(kinds: [.institution, .pharmacy], regionPrefix: prefix)
            .filter { !have.contains($0.organisation.code) && !taken.contains($0.organisation.code) }
        let records = missing.map {
            (
                AccountRecord(
                    username: $0.organisation.code, displayName: $0.organisation.name, role: .institutionFiller,
                    organisationCode: $0.organisation.code, regionCode: nil, password: nil), AccountService.generatePassword()
            )
        }
        let users = try await hashAll(records, progress: progress)
        try await db.transaction { db in
            try await UserStore(db).insert(users, at: ctx.at)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .accountsCreate, key: prefix,
                summary: "为\(users.count)个新机构开通账号", ip: ctx.ip, at: ctx.at)
        }
        return records.map {
            IssuedCredential(username: $0.0.username, displayName: $0.0.displayName, organisationCode: $0.0.organisationCode, password: $0.1)
        }
    }

    /// Hashes on every core (bcrypt is deliberately slow).
    private func hashAll(_ records: [(AccountRecord, String)], progress: (any ProgressSink)? = nil) async throws -> [NewUser] {
        let done = ManagedCounter()
        let total = Int64(records.count)
        let hasher = self.hasher
        let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = max(1, (records.count + parts - 1) / parts)
        return try await withThrowingTaskGroup(of: (Int, [NewUser]).self) { group in
            for start in stride(from: 0, to: records.count, by: size) {
                let slice = Array(records[start..<min(records.count, start + size)])
                group.addTask {
                    var users: [NewUser] = []
                    for (a, password) in slice {
                        let hash = a.password == nil ? try await hasher.hashInitial(password) : try await hasher.hash(password)
                        users.append(
                            NewUser(
                                username: a.username, displayName: a.displayName, role: a.role, organisationCode: a.organisationCode,
                                regionCode: a.regionCode, passwordHash: hash, mustChangePassword: true))
                        let finished = done.increment()
                        if finished % 50 == 0 || Int64(finished) == total {
                            progress?.update(rows: finished, bytesRead: Int64(finished), totalBytes: total)
                        }
                    }
                    return (start, users)
                }
            }
            var done: [(Int, [NewUser])] = []
            for try await part in group { done.append(part) }
            return done.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }
}

/// A counter shared by the hashing tasks, for progress.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

extension AccountService {
    /// Creates one account with a generated initial password that must be changed at first log-in (the command
    /// line's `create-user`, the first administrator of a deployment): a known role; an existing organisation for
    /// institution and company roles, a 6-digit division code for province and city roles; a new user name. Checked
    /// and written in one transaction, audited under `actor`.
    public func createAccount(
        username: String, role roleText: String, region: String?, organisation: String?, displayName: String?, actor: AuditActor
    ) async throws -> IssuedCredential {
        let name = username.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= InputLimits.maxUsernameCharacters else {
            throw Refusal(
                .badOption, zh: "请给出账号名（最多\(InputLimits.maxUsernameCharacters)字）",
                en: "give a user name (at most \(InputLimits.maxUsernameCharacters) characters)")
        }
        guard let role = Role.parse(roleText) else { throw Refusal(.badOption, zh: "未知角色：\(roleText)", en: "unknown role: \(roleText)") }
        if role.needsOrganisation {
            guard let organisation, try await AccountStore(db).organisation(code: organisation) != nil else {
                throw Refusal(.institutionNotFound, zh: "须指定已存在的机构或企业编码", en: "name an existing organisation")
            }
        } else {
            guard let region, case .success = DivisionCode.parse(region) else {
                throw Refusal(.badRegion, zh: "须指定6位区划代码", en: "name a 6-digit division code")
            }
        }
        let password = AccountService.generatePassword()
        let user = NewUser(
            username: name, displayName: displayName ?? name, role: role, organisationCode: role.needsOrganisation ? organisation : nil,
            regionCode: role.needsOrganisation ? nil : region, passwordHash: try await hasher.hashInitial(password), mustChangePassword: true)
        let at = Date()
        try await db.transaction { db in
            try await db.serialise(on: "user/\(name)")
            guard try await UserStore(db).user(username: name) == nil else {
                throw Refusal(.accountExists, zh: "账号已存在：\(name)", en: "the account exists: \(name)")
            }
            try await UserStore(db).insert([user], at: at)
            try await AuditLog(db).record(actor: actor.name, event: .accountCreate, key: name, summary: "创建账号（\(role.rawValue)）", at: at)
        }
        return IssuedCredential(username: name, displayName: user.displayName, organisationCode: user.organisationCode, password: password)
    }
}
