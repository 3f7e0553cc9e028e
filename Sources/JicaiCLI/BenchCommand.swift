import Foundation
import JicaiCore
import JicaiInterchange
import JicaiServices
import Vapor

/// `jicai bench-parse FILE`: reads a history file through the import's reader without a database, to separate
/// parsing from writing in the benchmarks (docs/performance.md).
public struct BenchParseCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "file", help: "a history CSV or XLSX file")
        var file: String
        public init() {}
    }

    public init() {}
    public var help: String { "只解析历史采购量文件（基准测试）/ parse a history file only (benchmark)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let started = Date()
        let cursor = try HistoryCursor(path: signature.file)
        var rows = 0
        var quantity: Int64 = 0
        var part: [PackedHistoryRecord] = []
        repeat {
            part.removeAll(keepingCapacity: true)
            try cursor.read(into: &part, count: 16_384)
            for record in part { quantity &+= record.quantity }
            rows += part.count
        } while !part.isEmpty
        let seconds = Date().timeIntervalSince(started)
        context.console.output(
            "\(rows) rows, \(cursor.issues.total) problems, quantity \(quantity), \(String(format: "%.2f", seconds)) s", style: .plain)
    }
}

/// `jicai bench-assess --batch B --year Y --today D`: runs a year's assessment as if today were `D` (the benchmark's
/// years end in the future), through the same door as `jicai assess run`; prints the run and its time.
public struct BenchAssessCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "year", help: "the agreement year's first day")
        var year: String?
        @Option(name: "today", help: "the day the run takes as today (after the year's end)")
        var today: String?
        public init() {}
    }

    public init() {}
    public var help: String { "以指定日期运行年度考核（基准测试）/ run a year's assessment as of a given day (benchmark)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        do {
            let db = try await context.database()
            let year = try AssessCommand.day(signature.year, "year")
            let today = try AssessCommand.day(signature.today, "today")
            let now = ReportingWindow.shanghai(today.year, today.month, today.day, 10)
            let scope = try await BatchScope.command(try requireBatch(signature.batch), db: db)
            let started = Date()
            let run = try await AssessmentService(db: db, now: { now }).run(scope, yearStart: year)
            let seconds = Date().timeIntervalSince(started)
            context.console.output(
                "\(run.institutions) institutions, \(run.items) items, \(run.failedItems) failed, \(Fen(run.retainedFen).yuanText) yuan retained, "
                    + String(format: "%.2f s", seconds), style: .plain)
        } catch {
            report(error, language: .en, console: context.console)
            throw CommandFailed()
        }
    }
}
