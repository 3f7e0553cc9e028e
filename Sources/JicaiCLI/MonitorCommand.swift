import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai monitor <action> --batch B …`: the monitoring stage from the command line, the same service calls as the pages.
///
///     jicai monitor import --batch B --file purchases.csv [--as-of 2026-06-30] [--replace institutions]
///                                                                               load purchase lines, recompute those touched
///     jicai monitor recompute --batch B [--as-of 2026-06-30]                    full recompute of positions and alerts
///     jicai monitor status --batch B                                            the last run and the alerts by status
///     jicai monitor problem --batch B --unit V01 [--region 1401] --from 2026-05 --through 2026-06 --reason "…"
///     jicai monitor usage --batch B --file usage.csv                            use by department and doctor (prescription review)
///     jicai monitor demo-purchases --batch B --file out.csv [--through 2027-02]  write the demo's purchases for a published batch
///     jicai monitor imports --batch B                                           the purchase imports: number, when, who, file, lines
///     jicai monitor partitions                                                  PostgreSQL: the monthly partitions
///     jicai monitor detach --month 2026-03                                      PostgreSQL: detach a month's partition
public struct MonitorCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "import | recompute | status | problem | usage | demo-purchases | imports | partitions | detach")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "file", help: "the file to import")
        var file: String?
        @Option(
            name: "as-of",
            help: "measure as of this day inside the cycle, YYYY-MM-DD (default: the last day of the latest month with purchases)")
        var asOf: String?
        @Option(name: "unit", help: "variety code, or variety/spec for a non-substitutable spec (problem)")
        var unit: String?
        @Option(name: "region", help: "division-code prefix; empty = the whole province (problem)")
        var region: String?
        @Option(name: "from", help: "first month, YYYY-MM (problem)")
        var from: String?
        @Option(name: "through", help: "last month, YYYY-MM (problem; demo-purchases: default 2026-11)")
        var through: String?
        @Option(name: "month", help: "YYYY-MM (detach)")
        var month: String?
        @Option(name: "reason", help: "why (problem)")
        var reason: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        @Option(name: "replace", help: "months (default: every line of the file's months) | institutions (only its institutions' lines) (import)")
        var replace: String?
        @Flag(name: "no-recompute", help: "import only; recompute later (import)")
        var noRecompute: Bool
        @Flag(name: "confirm", help: "recompute even when the run resolves more than a handful of alerts by itself (recompute)")
        var confirm: Bool
        public init() {}
    }

    public init() {}
    public var help: String { "执行监测 / monitoring: purchases, recompute, alerts, supply problems, partitions" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let db = try await context.database()
            let line = try await perform(signature, db: db, console: context.console)
            context.console.output(line.text(lang), style: .success)
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }

    func asOf(_ text: String?) throws -> CivilDate? {
        guard let text else { return nil }
        guard let day = CivilDate(text: text) else {
            throw Refusal(.badDate, zh: "日期应为YYYY-MM-DD：\(text)", en: "a date must be YYYY-MM-DD: \(text)")
        }
        return day
    }

    func month(_ text: String?, _ option: String) throws -> MonthKey {
        guard let month = MonthKey(text: try required(text, option)) else {
            throw Refusal(.badPeriod, zh: "\(option)应为YYYY-MM", en: "\(option) must be YYYY-MM")
        }
        return month
    }

    func perform(_ signature: Signature, db: DB, console: any Console) async throws -> LocalizedText {
        let monitor = MonitorService(db: db)
        func scope() async throws -> BatchScope { try await BatchScope.command(try requireBatch(signature.batch), db: db) }
        switch signature.action {
        case "import":
            let replacing = try MonitorService.PurchaseReplacement(option: signature.replace)
            let result = try await monitor.importPurchases(
                try await scope(), path: try required(signature.file, "--file"), asOf: try asOf(signature.asOf), replacing: replacing,
                recompute: !signature.noRecompute)
            guard let recompute = result.recompute?.text else { return result.text }
            return LocalizedText(zh: result.text.zh + "；" + recompute.zh, en: result.text.en + "; " + recompute.en)
        case "recompute":
            let summary = try await monitor.recompute(
                try await scope(), asOf: try asOf(signature.asOf), confirmed: signature.confirm,
                progress: { phase in console.output("… \(phase)", style: .info) })
            let seconds = String(format: "%.1f", summary.seconds)
            return LocalizedText(
                zh: summary.text.zh + "，\(summary.months)个月度汇总，用时\(seconds)秒",
                en: summary.text.en + ", \(summary.months) monthly tallies in \(seconds) s")
        case "status":
            let scope = try await scope()
            let counts = try await monitor.alertCounts(scope)
            guard let run = try await monitor.lastRun(scope) else {
                return LocalizedText(zh: "尚未重算", en: "not computed yet")
            }
            let open = counts[.open] ?? 0
            let acknowledged = counts[.acknowledged] ?? 0
            let resolved = counts[.resolved] ?? 0
            return LocalizedText(
                zh: "截至\(run.asOf)：\(run.lines)条采购明细，\(run.positions)个机构品种；预警待处理\(open)、已知悉\(acknowledged)、已解除\(resolved)",
                en:
                    "as of \(run.asOf): \(run.lines) purchase lines, \(run.positions) positions; alerts open \(open), acknowledged \(acknowledged), resolved \(resolved)"
            )
        case "problem":
            return try await problem(signature, monitor: monitor, scope: try await scope())
        case "usage":
            return try await monitor.importUsage(try await scope(), path: try required(signature.file, "--file")).text
        case "demo-purchases":
            let lines = try await monitor.writeDemoPurchases(
                batchCode: try requireBatch(signature.batch), to: URL(fileURLWithPath: try required(signature.file, "--file")),
                through: try signature.through.map { try month($0, "--through") })
            return LocalizedText(zh: "已生成演示采购明细\(lines)行", en: "\(lines) demo purchase lines written")
        case "imports":
            let entries = try await monitor.imports(try await scope())
            guard !entries.isEmpty else { return LocalizedText(zh: "尚无采购明细导入", en: "no purchase imports yet") }
            func line(_ e: PurchaseImportEntry, _ lines: String) -> String {
                "#\(e.id)  \(e.at.map(Timestamp.text) ?? "-")  \(e.actor.isEmpty ? "-" : e.actor)  \(e.file.isEmpty ? "-" : e.file)  \(lines)"
            }
            return LocalizedText(
                zh: entries.map { line($0, "\($0.lines)行") }.joined(separator: "\n"),
                en: entries.map { line($0, "\($0.lines) lines") }.joined(separator: "\n"))
        case "partitions":
            let names = try await monitor.partitions()
            return LocalizedText(
                zh: names.isEmpty ? "无分区（SQLite不分区）" : names.joined(separator: "\n"),
                en: names.isEmpty ? "no partitions (SQLite)" : names.joined(separator: "\n"))
        case "detach":
            let month = try month(signature.month, "--month")
            try await monitor.detachPartition(month, actor: .cli)
            return LocalizedText(zh: "已分离\(month)的采购明细分区", en: "detached the partition of \(month)")
        default:
            throw Refusal(.badAction, zh: "未知操作：\(signature.action)", en: "unknown action: \(signature.action)")
        }
    }

    func problem(_ signature: Signature, monitor: MonitorService, scope: BatchScope) async throws -> LocalizedText {
        guard let unit = CheckUnit(key: try required(signature.unit, "--unit")) else {
            throw Refusal(.unknownUnit, zh: "--unit 无效", en: "bad --unit")
        }
        let problem = SupplyProblem(
            unit: unit, regionPrefix: signature.region ?? "", from: try month(signature.from, "--from"),
            through: try month(signature.through, "--through"))
        try await monitor.addSupplyProblem(scope, problem, note: try required(signature.reason, "--reason"))
        return LocalizedText(zh: "已认定供应问题；请重算监测", en: "supply problem recorded; recompute the monitoring")
    }

    func required(_ value: String?, _ option: String) throws -> String {
        guard let value, !value.isEmpty else { throw Refusal(.badOption, zh: "请用 \(option) 指定", en: "give \(option)") }
        return value
    }
}
