import Fluent
import Foundation
import JicaiCLI
import JicaiCore
import JicaiPersistence
import JicaiServices
import JicaiWeb
import NIOCore
import Vapor

/// The settings, read once at start-up. In production a missing or bad setting stops start-up with its name.
public struct AppConfig: Sendable {
    public var database: DatabaseConfig
    public var apiToken: String
    public var generatedToken: Bool
    public var demoInstitutions: Int
    public var demoOnEmpty: Bool
    /// Whether the demo goes on to the award (JICAI_DEMO_AWARD, default on): the clean reports approved, the batch
    /// locked, the volumes published and the agreements sent. Off, the demo stops at the demand with its window open.
    public var demoAward: Bool = true
    /// bcrypt cost of chosen passwords (JICAI_BCRYPT_COST, 10–14, default 12); generated initial passwords use 4 less.
    public var bcryptCost: Int = 12
    /// Cookies only over HTTPS (JICAI_SECURE_COOKIES=1 behind a TLS proxy; on by default in production).
    public var secureCookies: Bool = false
    /// Reverse proxies whose `X-Forwarded-For` names the client (JICAI_TRUSTED_PROXIES, comma-separated addresses).
    public var trustedProxies: Set<String> = []
    /// Whether `/status` answers without a log-in (JICAI_STATUS_PUBLIC; off in production, where it needs a province account).
    public var statusPublic: Bool = true
    /// Who may read `/metrics`: these client addresses (JICAI_METRICS_ALLOW, comma-separated; loopback by default) …
    public var metricsAllowed: Set<String> = ["127.0.0.1", "::1"]
    /// … or a request with this bearer token (JICAI_METRICS_TOKEN, at least 24 characters; none by default).
    public var metricsToken: String?
    /// How durable an SQLite commit is (JICAI_SQLITE_SYNCHRONOUS: full, the default, or normal).
    public var sqliteDurability: SQLiteDurability = .full
    /// How long shutting down waits for running background imports (JICAI_SHUTDOWN_GRACE_SECONDS, default 300).
    public var shutdownGraceSeconds: Double = 300
    /// The clock every rule reads (tests set it; production uses the system clock).
    public var clock: @Sendable () -> Date = { Date() }

    public init(database: DatabaseConfig, apiToken: String, generatedToken: Bool = false, demoInstitutions: Int = 3000, demoOnEmpty: Bool = true) {
        self.database = database
        self.apiToken = apiToken
        self.generatedToken = generatedToken
        self.demoInstitutions = demoInstitutions
        self.demoOnEmpty = demoOnEmpty
    }

    public static func load(_ environment: Environment, _ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let production = environment == .production
        if production && (env["DATABASE_URL"] ?? "").isEmpty && (env["JICAI_SQLITE_PATH"] ?? "").isEmpty {
            throw ConfigError(name: "DATABASE_URL", reason: "production needs DATABASE_URL (postgres://…) or JICAI_SQLITE_PATH")
        }
        var token = env["JICAI_API_TOKEN"] ?? ""
        var generated = false
        if token.isEmpty {
            if production { throw ConfigError(name: "JICAI_API_TOKEN", reason: "production needs an API token of at least 24 characters") }
            token = [UInt8].random(count: 18).base64String().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            generated = true
        } else if token.count < 24 {
            throw ConfigError(name: "JICAI_API_TOKEN", reason: "must be at least 24 characters")
        }
        var institutions = 3000
        if let text = env["JICAI_DEMO_INSTITUTIONS"], !text.isEmpty {
            guard let number = Int(text), number >= 100 else {
                throw ConfigError(name: "JICAI_DEMO_INSTITUTIONS", reason: "must be a whole number of at least 100")
            }
            institutions = number
        }
        let demo = env["JICAI_DEMO"].map { $0 != "0" && $0.lowercased() != "false" } ?? !production
        var config = AppConfig(
            database: .fromEnvironment(env), apiToken: token, generatedToken: generated,
            demoInstitutions: institutions, demoOnEmpty: demo)
        config.demoAward = env["JICAI_DEMO_AWARD"].map { $0 != "0" && $0.lowercased() != "false" } ?? true
        if let text = env["JICAI_BCRYPT_COST"], !text.isEmpty {
            guard let cost = Int(text), (4...14).contains(cost) else {
                throw ConfigError(name: "JICAI_BCRYPT_COST", reason: "must be a whole number from 4 to 14")
            }
            if production && cost < 10 { throw ConfigError(name: "JICAI_BCRYPT_COST", reason: "production needs at least 10") }
            config.bcryptCost = cost
        }
        config.secureCookies = env["JICAI_SECURE_COOKIES"].map { $0 == "1" || $0.lowercased() == "true" } ?? production
        config.statusPublic = env["JICAI_STATUS_PUBLIC"].map { $0 == "1" || $0.lowercased() == "true" } ?? !production
        if let text = env["JICAI_TRUSTED_PROXIES"], !text.isEmpty {
            let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for address in addresses where (try? SocketAddress(ipAddress: address, port: 0)) == nil {
                throw ConfigError(name: "JICAI_TRUSTED_PROXIES", reason: "\"\(address)\" is not an IP address")
            }
            config.trustedProxies = Set(addresses)
        }
        if let text = env["JICAI_METRICS_ALLOW"] {
            let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for address in addresses where (try? SocketAddress(ipAddress: address, port: 0)) == nil {
                throw ConfigError(name: "JICAI_METRICS_ALLOW", reason: "\"\(address)\" is not an IP address")
            }
            config.metricsAllowed = Set(addresses)
        }
        if let text = env["JICAI_SQLITE_SYNCHRONOUS"], !text.isEmpty {
            guard let level = SQLiteDurability(rawValue: text.lowercased()) else {
                throw ConfigError(name: "JICAI_SQLITE_SYNCHRONOUS", reason: "must be full or normal")
            }
            config.sqliteDurability = level
        }
        if let text = env["JICAI_SHUTDOWN_GRACE_SECONDS"], !text.isEmpty {
            guard let seconds = Double(text), (0...86400).contains(seconds) else {
                throw ConfigError(name: "JICAI_SHUTDOWN_GRACE_SECONDS", reason: "must be a number of seconds from 0 to 86400")
            }
            config.shutdownGraceSeconds = seconds
        }
        if let text = env["JICAI_CLOCK_OFFSET_DAYS"], !text.isEmpty {
            guard !production else {
                throw ConfigError(name: "JICAI_CLOCK_OFFSET_DAYS", reason: "a shifted clock is for training and demonstration only, never production")
            }
            guard let days = Int(text), (-3660...3660).contains(days) else {
                throw ConfigError(name: "JICAI_CLOCK_OFFSET_DAYS", reason: "must be a whole number of days from -3660 to 3660")
            }
            config.clock = { Date().addingTimeInterval(TimeInterval(days) * 86_400) }
        }
        if let text = env["JICAI_METRICS_TOKEN"], !text.isEmpty {
            guard text.count >= 24 else { throw ConfigError(name: "JICAI_METRICS_TOKEN", reason: "must be at least 24 characters") }
            config.metricsToken = text
        }
        return config
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var name: String
    public var reason: String
    public var description: String { "配置项 \(name) 无效 / invalid setting \(name): \(reason)" }
}

/// The national division table shipped in the bundle.
public var divisionsPath: String {
    Bundle.module.url(forResource: "divisions", withExtension: "csv", subdirectory: "Resources")?.path
        ?? Bundle.module.bundleURL.appendingPathComponent("Resources/divisions.csv").path
}

/// Wires configuration, databases, migrations, commands and routes.
public func configure(_ app: Application, config: AppConfig? = nil) async throws {
    let config = try config ?? AppConfig.load(app.environment)
    config.sqliteDurability.apply()
    app.databases.use(try config.database.factory(), as: .init(string: "main"), isDefault: true)
    app.migrations.add(JicaiMigrations.all)
    app.asyncCommands.use(ImportCommand(divisionsPath: divisionsPath), as: "import")
    app.asyncCommands.use(TemplateCommand(), as: "template")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(CheckCommand(), as: "check")
    app.asyncCommands.use(AwardCommand(), as: "award")
    app.asyncCommands.use(MonitorCommand(), as: "monitor")
    app.asyncCommands.use(SupplyCommand(), as: "supply")
    app.asyncCommands.use(AssessCommand(), as: "assess")
    app.asyncCommands.use(ReviewCommand(), as: "review")
    app.asyncCommands.use(BatchCommand(), as: "batch")
    app.asyncCommands.use(DemoCommand(divisionsPath: divisionsPath), as: "demo")
    app.asyncCommands.use(BenchParseCommand(), as: "bench-parse")
    app.asyncCommands.use(BenchAssessCommand(), as: "bench-assess")
    app.asyncCommands.use(BenchSignCommand(), as: "bench-sign")
    app.asyncCommands.use(BackupCommand(database: config.database), as: "backup")
    app.asyncCommands.use(RestoreCommand(database: config.database), as: "restore")
    // Security headers wrap everything, the framework's error responses included; the request id is set before
    // anything logs.
    app.middleware.use(SecurityHeaders(), at: .beginning)
    app.middleware.use(RequestIDMiddleware(), at: .beginning)
    AppMetrics.bootstrap()
    app.storage[TrustedProxiesKey.self] = config.trustedProxies
    app.http.server.configuration.idleTimeout = .seconds(InputLimits.idleTimeoutSeconds)
    let hasher = BcryptHasher(cost: config.bcryptCost, initialCost: max(4, config.bcryptCost - 4))
    let clock = config.clock
    let deps = WebDependencies(
        hasher: hasher, services: { req in Services(db: DB(req.db), hasher: hasher, now: clock) }, now: clock,
        secureCookies: config.secureCookies, shutdownGraceSeconds: config.shutdownGraceSeconds)
    try WebRoutes(deps: deps, apiToken: config.apiToken, statusPublic: config.statusPublic).register(app)
    let pool = System.coreCount * (config.database.isPostgres ? DatabaseConfig.postgresConnectionsPerLoop : 1)
    MetricsRoute(allowed: config.metricsAllowed, token: config.metricsToken) { [app] in
        try await AppMetrics.render(db: DB(app.db), pool: pool, now: config.clock())
    }.register(app)
    app.routes.defaultMaxBodySize = ByteCount(value: InputLimits.authenticatedBodyBytes)
    app.asyncCommands.use(CreateUserCommand(hasher: hasher), as: "create-user")
    let command = app.environment.arguments.dropFirst().first
    if command == nil || command == "serve" {
        app.lifecycle.use(ServeStartup(config: config))
    }
}

struct DatabaseLockKey: StorageKey {
    typealias Value = DatabaseLock
}

/// Before serving: migrate, load the national division table and, on an empty database, a demo province.
struct ServeStartup: LifecycleHandler {
    let config: AppConfig

    func willBootAsync(_ app: Application) async throws {
        // The database's lock, held for the process's life: `jicai restore --replace` refuses while it is held.
        if case .sqliteFile(let path) = config.database {
            guard let lock = try DatabaseLock.take(database: path) else {
                throw DatabaseBackup.Failure(message: "另一个服务或恢复正在使用数据库 / another server or a restore is using the database \(path)")
            }
            app.storage[DatabaseLockKey.self] = lock
        }
        let leftovers = TemporaryFiles.removeLeftovers()
        if leftovers > 0 { app.logger.notice("removed \(leftovers) temporary upload files left by an earlier run") }
        try await DB(app.db).useWriteAheadLog()
        try await app.autoMigrate()
        let db = DB(app.db)
        app.logger.notice("数据库 Database: \(config.database)")
        if try await AccountStore(db).regionCount() == 0 {
            _ = try await ImportService(db: db).loadShippedDivisions(path: divisionsPath)
        }
        if config.demoOnEmpty, try await BatchStore(db).batches().isEmpty {
            app.logger.notice("空数据库：正在生成演示省份（\(config.demoInstitutions)个机构）… / empty database: generating a demo province")
            let province = DemoProvince(institutions: config.demoInstitutions, divisions: try DemoService.divisions(path: divisionsPath))
            let result = try await DemoService(db: db).load(province, award: config.demoAward)
            app.logger.notice("\(result.checks.text.zh)")
            if let award = result.award {
                app.logger.notice("约定采购量已公布 Agreed volumes published: \(award.holders) 个机构 institutions, \(award.volumes) 条 rows")
            }
            // Without the award the demo is for trying the form: its window is open from now on (the notice's own
            // dates have passed).
            if !config.demoAward, var batch = try await BatchStore(db).batch(code: DemoProvince.batchCode) {
                let now = config.clock()
                batch.policy.window = ReportingWindow(
                    accountTestUntil: now.addingTimeInterval(-2 * 86400), fillingOpens: now.addingTimeInterval(-86400),
                    fillingCloses: now.addingTimeInterval(10 * 86400), reviewDeadline: now.addingTimeInterval(12 * 86400))
                try await BatchStore(db).updatePolicy(batchID: batch.id, batch.policy)
            }
            let logins = try await DemoAccounts.create(db: db, hasher: BcryptHasher(cost: config.bcryptCost, initialCost: 4))
            app.logger.notice("演示账号 Demo logins (密码 password \(DemoAccounts.password)): \(logins.joined(separator: ", "))")
        }
        if config.generatedToken {
            app.logger.notice("API令牌（本次启动生成）/ API token for this run: \(config.apiToken)")
        }
    }
}
