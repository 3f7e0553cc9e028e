import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// Parses `--at 2025-12-30T12:00` (Asia/Shanghai) or ISO 8601 with a zone; nil for now.
func instant(_ text: String?) throws -> Date? {
    guard let text, !text.isEmpty else { return nil }
    if let parsed = try? Date(text, strategy: .iso8601) { return parsed }
    guard let date = ReportingWindow.shanghai(text: text) else {
        throw ServiceError(
            .badTime, zh: "时间格式应为2025-12-30T12:00（北京时间）：“\(text)”", en: "time must look like 2025-12-30T12:00 (Beijing time): \"\(text)\"")
    }
    return date
}

/// `jicai check --batch B [--out findings.csv|xlsx|json]`: runs every demand check and stores (and writes) the findings.
public struct CheckCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "out", help: "write the findings to a .csv, .xlsx or .json file")
        var out: String?
        @Option(name: "at", help: "check as of this time (Asia/Shanghai), default now")
        var at: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "运行报量检查 / run the demand checks of a batch" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let batch = try requireBatch(signature.batch)
            let at = try instant(signature.at)
            // The output's type is checked before the check runs (and replaces the stored findings).
            let output = try signature.out.map { out -> (String, ExportFormat) in
                guard let format = ExportFormat.of(path: out) else {
                    throw ServiceError(.badOutputFormat, zh: "输出文件应为.csv、.xlsx或.json", en: "the output must be .csv, .xlsx or .json")
                }
                return (out, format)
            }
            let db = try await context.database()
            let progress = TerminalProgress(label: lang == .zh ? "检查" : "checking", language: lang)
            let scope = try await BatchScope.command(batch, db: db, at: at ?? Date())
            let summary = try await CheckService(db: db, now: { at ?? Date() }).run(scope, progress: progress)
            progress.finish()
            context.console.output(summary.text.text(lang), style: .success)
            if let (out, format) = output {
                let count = try await ExportService(db: db).findings(batchCode: batch, to: URL(fileURLWithPath: out), format: format, language: lang)
                let written = counted(count, zh: "条问题", en: "finding")
                context.console.output(lang == .zh ? "已写出\(written.zh)到 \(out)" : "\(written.en) written to \(out)", style: .plain)
            }
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }
}

/// `jicai export findings|institutions|cities --batch B --out FILE [--region 1401]`.
public struct ExportCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "what", help: "findings | institutions | cities")
        var what: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "out", help: ".csv, .xlsx or .json file")
        var out: String?
        @Option(name: "region", help: "only this region: a city (4 digits) or county (6 digits) prefix")
        var region: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "导出问题清单或汇总 / export findings or the per-institution / per-city summary" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let batch = try requireBatch(signature.batch)
            guard let out = signature.out, let format = ExportFormat.of(path: out) else {
                throw ServiceError(.badOutputFormat, zh: "请用 --out 指定.csv、.xlsx或.json文件", en: "name a .csv, .xlsx or .json file with --out")
            }
            let url = URL(fileURLWithPath: out)
            let exports = ExportService(db: try await context.database())
            let count: Int
            switch signature.what {
            case "findings":
                count = try await exports.findings(batchCode: batch, to: url, format: format, language: lang, regionPrefix: signature.region)
            case "institutions":
                count = try await exports.summary(
                    batchCode: batch, byCity: false, to: url, format: format, language: lang, regionPrefix: signature.region)
            case "cities":
                count = try await exports.summary(
                    batchCode: batch, byCity: true, to: url, format: format, language: lang, regionPrefix: signature.region)
            default: throw ServiceError(.unknownExport, zh: "未知的导出“\(signature.what)”", en: "unknown export \"\(signature.what)\"")
            }
            let written = counted(count, zh: "行", en: "row")
            context.console.output(lang == .zh ? "已写出\(written.zh)到 \(out)" : "\(written.en) written to \(out)", style: .success)
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }
}

/// `jicai demo [--institutions N] [--seed S] [--out DIR]`: a demo province, written as files (--out) or loaded.
public struct DemoCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Option(name: "institutions", help: "number of reporting institutions, default 3000")
        var institutions: Int?
        @Option(name: "seed", help: "random seed, default 2025")
        var seed: UInt64?
        @Option(name: "out", help: "only write the import files into this directory")
        var out: String?
        @Option(name: "at", help: "check as of this time (Asia/Shanghai), default now")
        var at: String?
        @Flag(name: "no-award", help: "stop after the demand: no approval, lock or award")
        var noAward: Bool
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    let divisionsPath: String
    public init(divisionsPath: String) { self.divisionsPath = divisionsPath }
    public var help: String { "生成演示省份 / generate a demo province (Shanxi)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let province = DemoProvince(
                institutions: signature.institutions ?? 3000, seed: signature.seed ?? 2025,
                divisions: try DemoService.divisions(path: divisionsPath))
            if let out = signature.out {
                let started = Date()
                let (_, s) = try province.write(to: URL(fileURLWithPath: out))
                context.console.output(
                    lang == .zh
                        ? "已写出演示文件到 \(out)：机构\(s.institutions)个，规格\(s.specs)个，历史采购\(s.historyRows)行，报量\(s.demandRows)行，用时\(String(format: "%.1f", Date().timeIntervalSince(started)))秒"
                        : "demo files written to \(out): \(s.institutions) organisations, \(s.specs) specs, \(s.historyRows) history rows, \(s.demandRows) demand rows in \(String(format: "%.1f", Date().timeIntervalSince(started))) s",
                    style: .success)
                return
            }
            let db = try await context.database()
            let at = try instant(signature.at)
            let progress = TerminalProgress(label: lang == .zh ? "导入历史采购量" : "importing history", language: lang)
            let result = try await DemoService(db: db, now: { at ?? Date() }).load(province, award: !signature.noAward, progress: progress)
            progress.finish()
            for summary in result.imports { context.console.output(summary.text.text(lang), style: .plain) }
            context.console.output(result.checks.text.text(lang), style: .success)
            if let award = result.award {
                context.console.output(
                    lang == .zh
                        ? "约定采购量已公布：\(award.holders)个机构，\(award.volumes)条，金额\(Fen(award.amountFen).yuanText)元"
                        : "agreed volumes published: \(award.holders) institutions, \(award.volumes) rows, \(Fen(award.amountFen).yuanText) yuan",
                    style: .success)
            }
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }
}
