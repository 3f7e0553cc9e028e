import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai award <action> --batch B …`: the award stage from the command line, the same service calls as the pages.
///
///     jicai award results --batch B --file results.xlsx      import (or, after publication, correct) winning results
///     jicai award distributors --batch B --file d.csv        import manufacturers' distributors per area
///     jicai award compute --batch B                          compute agreed volumes (before publication)
///     jicai award publish --batch B --start 2026-03-01 --end 2028-02-29
///     jicai award send --batch B                             send complete drafts for signing
///     jicai award renew --batch B                            create the next agreement year's agreements
///     jicai award adjust --batch B --institution I --product P --quantity Q --reason R   a versioned adjustment
///     jicai award policy --batch B --as ADMIN [--allocation evenly] [--flat-ratio 80|none] [--ratios 50,60,70,80]
///                       [--restricted-ratios 30,40,50] [--limit-drugs 5] [--limit-consumables 10]   before publication
///     jicai award status --batch B
///     jicai award export --batch B --out volumes.xlsx [--region 1401]
///     jicai award ocds --batch B --out award.json
public struct AwardCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "results | distributors | policy | compute | publish | adjust | renew | send | status | export | ocds")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "file", help: "the file to import")
        var file: String?
        @Option(name: "out", help: "the file to write")
        var out: String?
        @Option(name: "start", help: "execution start, YYYY-MM-DD")
        var start: String?
        @Option(name: "end", help: "procurement cycle end (last day), YYYY-MM-DD")
        var end: String?
        @Option(name: "institution", help: "institution code (adjust)")
        var institution: String?
        @Option(name: "product", help: "product code (adjust)")
        var product: String?
        @Option(name: "quantity", help: "the new agreed quantity in minimal units (adjust)")
        var quantity: String?
        @Option(name: "reason", help: "why (adjust)")
        var reason: String?
        @Option(name: "deadline", help: "signing deadline, YYYY-MM-DD (publish)")
        var deadline: String?
        @Option(name: "region", help: "only this region prefix (export)")
        var region: String?
        @Option(name: "as", help: "the province administrator's username (policy)")
        var user: String?
        @Option(name: "allocation", help: "lowestPrice | evenly (policy)")
        var allocation: String?
        @Option(name: "flat-ratio", help: "one ratio in percent for every variety, or none for the tables (policy)")
        var flatRatio: String?
        @Option(name: "ratios", help: "percent by number of winners, e.g. 50,60,70,80 (policy)")
        var ratios: String?
        @Option(name: "restricted-ratios", help: "the lower table for restricted antimicrobials, e.g. 30,40,50 (policy)")
        var restrictedRatios: String?
        @Option(name: "limit-drugs", help: "distributors per drug and area (policy)")
        var limitDrugs: String?
        @Option(name: "limit-consumables", help: "distributors per consumable and area (policy)")
        var limitConsumables: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "中选结果与约定采购量 / award: results, agreed volumes, agreements, exports" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        do {
            let batch = try requireBatch(signature.batch)
            let db = try await context.database()
            let line = try await perform(signature, batch: batch, db: db)
            context.console.output(line.text(lang), style: .success)
        } catch {
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }

    func perform(_ signature: Signature, batch: String, db: DB) async throws -> LocalizedText {
        let award = AwardService(db: db)
        func scope() async throws -> BatchScope { try await BatchScope.command(batch, db: db) }
        switch signature.action {
        case "results":
            return try await award.importResults(try await scope(), path: try requireFile(signature.file, "--file")).text
        case "distributors":
            return try await AgreementService(db: db).importDistributors(try await scope(), path: try requireFile(signature.file, "--file")).text
        case "policy":
            let ctx = try await acting(signature.user, db: db)
            let policy = try await award.setPolicy(try await BatchScope.resolve(batch, db: db, ctx: ctx)) { try Self.policy(signature, from: $0) }
            let text = AwardService.describe(policy)
            return LocalizedText(zh: "约定采购量规则：\(text)（已计算的约定采购量须重新计算）", en: "award policy: \(text) (computed volumes must be computed again)")
        case "compute":
            let summary = try await award.compute(try await scope())
            return LocalizedText(
                zh: "约定采购量：\(summary.holders)个机构，\(summary.volumes)条，金额\(Fen(summary.amountFen).yuanText)元，覆盖缺口\(summary.gaps)处",
                en:
                    "agreed volumes: \(summary.holders) institutions, \(summary.volumes) rows, \(Fen(summary.amountFen).yuanText) yuan, \(summary.gaps) coverage gaps"
            )
        case "publish":
            guard let start = CivilDate(text: signature.start ?? ""), let end = CivilDate(text: signature.end ?? "") else { throw Refusal(.badDate) }
            let deadline = try signature.deadline.map { text -> CivilDate in
                guard let date = CivilDate(text: text) else { throw Refusal(.badDate) }
                return date
            }
            let count = try await award.publish(try await scope(), executionStart: start, cycleEnd: end, signingDeadline: deadline)
            return LocalizedText(zh: "已公布约定采购量，生成协议\(count)份", en: "volumes published; \(count) agreements created")
        case "adjust":
            guard let institution = signature.institution, let product = signature.product, let quantity = signature.quantity.flatMap({ Int64($0) })
            else { throw Refusal(.badOption, zh: "请给出 --institution、--product 和 --quantity", en: "give --institution, --product and --quantity") }
            try await award.adjustVolume(
                try await scope(), institutionCode: institution, productCode: product, quantity: quantity, reason: signature.reason ?? "")
            return LocalizedText(zh: "约定采购量已调整（保留原版本）", en: "agreed volume adjusted (the previous version is kept)")
        case "renew":
            let (year, count) = try await award.renew(try await scope())
            return LocalizedText(
                zh: "已生成\(year.start)至\(year.lastDay)协议年度的协议\(count)份", en: "\(count) agreements created for \(year.start) to \(year.lastDay)")
        case "send":
            let count = try await AgreementService(db: db).send(try await scope())
            return LocalizedText(zh: "已发出协议\(count)份", en: "\(count) agreements sent")
        case "status":
            let overview = try await award.overview(try await scope())
            return LocalizedText(
                zh: "\(overview.state.phase.label.zh)；中选结果\(overview.results.count)条，约定采购量\(overview.volumes)条，协议\(overview.agreements)份",
                en:
                    "\(overview.state.phase.label.en); \(overview.results.count) results, \(overview.volumes) volumes, \(overview.agreements) agreements"
            )
        case "export":
            let out = try requireFile(signature.out, "--out")
            try await award.volumesWorkbook(try await scope(), region: signature.region, language: language(signature.lang)).write(
                to: URL(fileURLWithPath: out))
            return LocalizedText(zh: "已写出 \(out)", en: "written to \(out)")
        case "ocds":
            let out = try requireFile(signature.out, "--out")
            try await OCDSExport(db: db).write(try await scope(), to: URL(fileURLWithPath: out))
            return LocalizedText(zh: "已写出 \(out)", en: "written to \(out)")
        default:
            throw Refusal(.badAction, zh: "未知操作“\(signature.action)”", en: "unknown action \"\(signature.action)\"")
        }
    }

    /// The current policy with the options given changed; an option that does not read is refused.
    static func policy(_ signature: Signature, from current: AwardPolicy) throws -> AwardPolicy {
        func count(_ text: String?, _ option: String) throws -> Int? {
            guard let text else { return nil }
            guard let value = Int(text) else { throw Refusal(.badOption, zh: "\(option) 的值无法识别", en: "\(option) does not read") }
            return value
        }
        return try current.changed(
            allocation: signature.allocation, flatRatio: signature.flatRatio, ratios: signature.ratios, restrictedRatios: signature.restrictedRatios,
            limitDrugs: try count(signature.limitDrugs, "--limit-drugs"),
            limitConsumables: try count(signature.limitConsumables, "--limit-consumables"))
    }
}
