import FluentKit
import Foundation
import SQLKit

/// Backups that can be taken while the server runs, and their restore.
///
/// SQLite: `VACUUM INTO` writes a consistent copy of the database as of one transaction, while saves go on; the
/// restore puts a checked copy in place of the database file (the server must be stopped). PostgreSQL: `pg_dump` in
/// its custom format (a consistent snapshot too) and `pg_restore` into an empty database; both tools come with the
/// server's packages and are looked for on `PATH` and in `/usr/lib/postgresql/*/bin`.
public enum DatabaseBackup {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// Writes a backup of the open database `db` (configured as `config`) to `path`, which must not exist yet.
    public static func backup(_ db: DB, config: DatabaseConfig, to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Failure(message: "备份文件已存在 / the backup file exists already: \(path)")
        }
        // The copy holds password and token hashes: it is created 0600 before anything is written into it.
        try PrivateFile.create(path)
        do {
            switch config {
            case .sqliteFile, .sqliteMemory:
                try await db.run("VACUUM INTO \(bind: path)")
            case .postgres(let url, let schema):
                var arguments = ["--format=custom", "--no-owner", "--file=\(path)"]
                if let schema { arguments.append("--schema=\(schema)") }
                try run("pg_dump", arguments + ["--dbname=\(url)"])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Restores `path` into the database of `config`. SQLite: the file replaces the database (only with `replace`
    /// when one exists); PostgreSQL: into the database of the URL, which should be empty.
    public static func restore(from path: String, into config: DatabaseConfig, replace: Bool = false) async throws {
        guard FileManager.default.fileExists(atPath: path) else { throw Failure(message: "找不到备份文件 / no backup file at \(path)") }
        switch config {
        case .sqliteMemory:
            throw Failure(message: "内存数据库无法恢复 / an in-memory database cannot be restored")
        case .sqliteFile(let target):
            try await checkSQLiteBackup(path)
            let fm = FileManager.default
            if fm.fileExists(atPath: target) && !replace {
                throw Failure(message: "数据库文件已存在，确认覆盖请加 --replace（先停止服务）/ the database exists: add --replace (stop the server first)")
            }
            // A serving process holds the database's lock for its life: the file is not replaced under it.
            guard let lock = try DatabaseLock.take(database: target) else {
                throw Failure(message: "服务正在使用该数据库，请先停止服务 / a server is using the database: stop it first (\(target))")
            }
            let dir = (target as NSString).deletingLastPathComponent
            if !dir.isEmpty { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let staging = target + ".restoring"
            try? fm.removeItem(atPath: staging)
            try fm.copyItem(atPath: path, toPath: staging)
            try PrivateFile.restrict(staging)
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: target + suffix) }
            // rename(2) puts the copy in place in one step, replacing the old file if there is one.
            guard rename(staging, target) == 0 else {
                try? fm.removeItem(atPath: staging)
                throw Failure(message: "无法替换数据库文件 / cannot replace the database file \(target) (errno \(errno))")
            }
            withExtendedLifetime(lock) {}
        case .postgres(let url, _):
            try run("pg_restore", ["--no-owner", "--exit-on-error", "--dbname=\(url)", path])
        }
    }

    /// A backup must be a Jicai database of this version or an earlier one: it opens, every migration it records is
    /// one this version knows (a newer backup would lose its newer tables' meaning), the first migrations are there,
    /// and the tables every version has exist.
    static func checkSQLiteBackup(_ path: String) async throws {
        let handle = try DatabaseHandle(.sqliteFile(path))
        struct Name: Decodable { var name: String }
        do {
            let recorded = try await handle.db.all("SELECT name FROM _fluent_migrations", as: Name.self).map(\.name)
            let tables = Set(try await handle.db.all("SELECT name FROM sqlite_master WHERE type = 'table'", as: Name.self).map(\.name))
            await handle.shutdown()
            let known = JicaiMigrations.all.map { $0.name }
            guard let first = known.first, recorded.contains(first) else {
                throw Failure(message: "备份文件中没有迁移记录 / the backup has no migrations")
            }
            if let unknown = recorded.first(where: { !known.contains($0) }) {
                throw Failure(message: "备份来自更新的版本（迁移\(unknown)）/ the backup comes from a newer version (migration \(unknown))")
            }
            if let missing = requiredTables.first(where: { !tables.contains($0) }) {
                throw Failure(message: "备份缺少数据表\(missing) / the backup lacks the table \(missing)")
            }
        } catch let f as Failure {
            throw f
        } catch {
            await handle.shutdown()
            throw Failure(message: "不是集采平台的数据库备份 / not a Jicai database backup: \(path)")
        }
    }

    /// Tables the first migrations create, which every Jicai database has.
    public static let requiredTables = ["regions", "organisations", "users", "audit_log", "batches"]

    /// Runs a PostgreSQL client tool and waits for it; its error output becomes the failure's message.
    static func run(_ tool: String, _ arguments: [String]) throws {
        guard let executable = locate(tool) else {
            throw Failure(message: "找不到\(tool)（请安装 postgresql-client）/ \(tool) not found (install postgresql-client)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(message: "\(tool) 失败 / failed: " + String(decoding: message, as: UTF8.self))
        }
    }

    static func locate(_ tool: String) -> String? {
        let fm = FileManager.default
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        return (path + versions).map { "\($0)/\(tool)" }.first { fm.isExecutableFile(atPath: $0) }
    }
}
