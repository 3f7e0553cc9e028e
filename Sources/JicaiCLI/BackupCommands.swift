import Foundation
import JicaiCore
import JicaiPersistence
import Vapor

/// `jicai backup FILE`: a consistent copy of the database while the server runs (docs/operations.md).
public struct BackupCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "file", help: "the backup file to write (must not exist)")
        var file: String
        public init() {}
    }

    let database: DatabaseConfig
    public init(database: DatabaseConfig) { self.database = database }
    public var help: String { "备份数据库（服务运行时也可）/ back up the database (also while serving)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let started = Date()
        do {
            try await DatabaseBackup.backup(try await context.database(), config: database, to: signature.file)
        } catch {
            context.console.error("\(error)")
            throw CommandFailed()
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: signature.file))?[.size] as? Int64) ?? 0
        context.console.output(
            "已备份到 \(signature.file)（\(size / 1024) KB，\(String(format: "%.1f", Date().timeIntervalSince(started))) 秒）/ backed up to \(signature.file)",
            style: .success)
    }
}

/// `jicai restore FILE [--replace]`: puts a backup in place of the database (stop the server first).
public struct RestoreCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "file", help: "the backup file")
        var file: String
        @Flag(name: "replace", help: "replace an existing SQLite database file")
        var replace: Bool
        public init() {}
    }

    let database: DatabaseConfig
    public init(database: DatabaseConfig) { self.database = database }
    public var help: String { "从备份恢复数据库（须先停止服务）/ restore the database from a backup (stop the server first)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        do {
            try await DatabaseBackup.restore(from: signature.file, into: database, replace: signature.replace)
        } catch {
            context.console.error("\(error)")
            throw CommandFailed()
        }
        context.console.output("已从 \(signature.file) 恢复 \(database) / restored \(database) from \(signature.file)", style: .success)
    }
}
