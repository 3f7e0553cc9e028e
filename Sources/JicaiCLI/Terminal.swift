import Fluent
import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// The language of the command line: `--lang`, else `JICAI_LANG`, else LANG starting with "en", else Chinese.
func language(_ option: String?) -> Language {
    let value = option ?? ProcessInfo.processInfo.environment["JICAI_LANG"] ?? ProcessInfo.processInfo.environment["LANG"] ?? "zh"
    return value.lowercased().hasPrefix("en") ? .en : .zh
}

/// Writes progress of a long import or check to standard error, on one line rewritten in place when standard error
/// is a terminal (rows done, rate, time left), at most four times a second.
final class TerminalProgress: ProgressSink, @unchecked Sendable {
    private let lock = NSLock()
    private let started = Date()
    private var lastPrint = Date.distantPast
    private let language: Language
    private let label: String
    private let interactive = isatty(STDERR_FILENO) == 1

    init(label: String, language: Language) {
        self.label = label
        self.language = language
    }

    func update(rows: Int, bytesRead: Int64, totalBytes: Int64) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard interactive, now.timeIntervalSince(lastPrint) >= 0.25 || bytesRead >= totalBytes else { return }
        lastPrint = now
        let elapsed = max(0.001, now.timeIntervalSince(started))
        let rate = Double(rows) / elapsed
        let fraction = totalBytes > 0 ? Double(bytesRead) / Double(totalBytes) : 0
        let left = fraction > 0.01 ? elapsed * (1 - fraction) / fraction : 0
        let percent = Int(fraction * 100)
        let line =
            language == .zh
            ? "\(label)：已处理\(rows.formatted())行 · \(Int(rate).formatted())行/秒 · \(percent)% · 预计剩余\(Int(left.rounded()))秒"
            : "\(label): \(rows.formatted()) rows · \(Int(rate).formatted()) rows/s · \(percent)% · about \(Int(left.rounded())) s left"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Prints a refused import or request: every issue (up to the shown limit) and the count.
func report(_ error: any Error, language: Language, console: any Console) {
    switch error {
    case let f as ImportFailure:
        let problems = counted(f.totalIssues, zh: "处问题", en: "problem")
        console.error(language == .zh ? "导入失败，未写入任何数据。共\(problems.zh)：" : "Import refused; nothing was written. \(problems.en):")
        for issue in f.issues.prefix(200) { console.output(issue.text(language), style: .plain) }
        if f.totalIssues > 200 {
            console.output(language == .zh ? "……其余\(f.totalIssues - 200)处未列出" : "… \(f.totalIssues - 200) more not listed", style: .plain)
        }
    case let e as ServiceError:
        console.error(e.message.text(language))
    default:
        console.error(String(describing: error))
    }
}

/// Raised after a refusal has been printed, so the process exits non-zero without printing it twice.
public struct CommandFailed: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "failed" }
}

/// The `--batch` option every batch command needs.
/// A file option's value, refused with the option named when it is missing.
func requireFile(_ value: String?, _ option: String) throws -> String {
    guard let value, !value.isEmpty else { throw Refusal(.fileMissing, zh: "请用 \(option) 指定文件", en: "name the file with \(option)") }
    return value
}

func requireBatch(_ option: String?) throws -> String {
    guard let batch = option, !batch.isEmpty else {
        throw ServiceError(.batchRequired, zh: "请用 --batch 指定批次编码", en: "name the batch with --batch")
    }
    return batch
}

extension CommandContext {
    /// The application's database, migrated.
    func database() async throws -> DB {
        try await application.autoMigrate()
        return DB(application.db)
    }
}

/// Runs a command's one operation on the database: its sentence and the time it took on success, the refusal's
/// message (and a failed exit) otherwise.
func runTimed(
    _ context: CommandContext, language lang: Language, _ operation: @Sendable (DB) async throws -> LocalizedText
) async throws {
    do {
        let db = try await context.database()
        let started = Date()
        let line = try await operation(db)
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        context.console.output(lang == .zh ? "\(line.zh)（用时\(seconds)秒）" : "\(line.en) (\(seconds) s)", style: .success)
    } catch {
        report(error, language: lang, console: context.console)
        throw CommandFailed()
    }
}
