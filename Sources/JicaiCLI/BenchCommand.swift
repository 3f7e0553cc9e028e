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

/// `jicai bench-sign --batch B --distributor CODE [--city 1401] [--product P] [--send]`: a distributor's "sign all"
/// timed through the service door (benchmark; the drafts may be sent first with `--send`).
public struct BenchSignCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "distributor", help: "the distributor's code")
        var distributor: String?
        @Option(name: "city", help: "narrow to an area code prefix")
        var city: String?
        @Option(name: "product", help: "narrow to a product")
        var product: String?
        @Flag(name: "send", help: "send the drafts first (as the province)")
        var send: Bool
        public init() {}
    }

    public init() {}
    public var help: String { "以配送企业身份批量签署协议（基准测试）/ a distributor's sign-all, timed (benchmark)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        do {
            let db = try await context.database()
            let batch = try requireBatch(signature.batch)
            let service = AgreementService(db: db)
            if signature.send { _ = try await service.send(try await BatchScope.command(batch, db: db)) }
            let principal = Principal(username: "bench", role: .distributor, organisationCode: signature.distributor ?? "")
            let scope = try await BatchScope.resolve(batch, db: db, ctx: RequestContext(principal: principal, ip: nil, at: Date()))
            let narrowing = AgreementNarrowing(regionPrefix: signature.city ?? "", productCode: signature.product ?? "")
            var started = Date()
            let listed = try await service.awaitingMine(scope, narrowing: narrowing, page: PageRequest()).total
            let listing = Date().timeIntervalSince(started)
            started = Date()
            let done = try await service.signAll(scope, narrowing: narrowing, expected: listed)
            let seconds = Date().timeIntervalSince(started)
            context.console.output(
                "\(listed) awaiting (listed in " + String(format: "%.2f s", listing) + "), \(done.signed) signed, \(done.inForce) in force, "
                    + String(format: "%.2f s", seconds), style: .plain)
        } catch {
            report(error, language: .en, console: context.console)
            throw CommandFailed()
        }
    }
}
