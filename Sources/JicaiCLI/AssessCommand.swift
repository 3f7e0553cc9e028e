import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai assess <action> --batch B …`: the province's assessment operations from the command line, through the same
/// doors as the pages (as the batch province's administrator, "cli" in the audit log).
///
///     jicai assess run --batch B --year 2026-03-01               assess an agreement year that has ended and publish it
///     jicai assess approve --batch B --year 2026-03-01           approve it once the appeal period has passed
///     jicai assess results --batch B --year 2026-03-01 --out F   the year's results per institution and the cities ranked (XLSX)
///     jicai assess payments --batch B --year 2026-03-01 --out F  the approved year's retention payment list (XLSX)
///     jicai assess exempt --batch B --unit V01 --kind keyMonitored --from 2026-07-01 --through 2027-06-30
///                         [--region 1401] --evidence "…"         record an exemption (004 §7)
///     jicai assess drg --batch B --institution CODE [--off]      list (or unlist) an institution paid by disease group
///     jicai assess price --batch B --spec S021 --yuan 0.0325 --evidence "…"
///                                                                set a unit's pre-award price (yuan per minimal unit of the spec)
///     jicai assess price --batch B --unit V02 --off              remove it (the history's average applies again)
public struct AssessCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "run | approve | results | payments | exempt | drg | price")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "year", help: "the agreement year's first day, YYYY-MM-DD")
        var year: String?
        @Option(name: "out", help: "the XLSX to write (results, payments)")
        var out: String?
        @Option(name: "unit", help: "the variety (or variety/spec) an exemption covers")
        var unit: String?
        @Option(name: "kind", help: "keyMonitored | publicHealthEvent | guidelineChange | shortage | emergency | seasonal")
        var kind: String?
        @Option(name: "from", help: "the exemption's first day")
        var from: String?
        @Option(name: "through", help: "the exemption's last day")
        var through: String?
        @Option(name: "region", help: "the exemption's area: a division-code prefix (default: the province)")
        var region: String?
        @Option(name: "evidence", help: "the exemption's evidence")
        var evidence: String?
        @Option(name: "spec", help: "the spec a price is quoted for (price)")
        var spec: String?
        @Option(name: "yuan", help: "yuan per minimal unit of --spec, at most four decimals (price)")
        var yuan: String?
        @Option(name: "institution", help: "an institution's code (drg)")
        var institution: String?
        @Flag(name: "off", help: "unlist (drg), remove the price (price)")
        var off: Bool
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "考核与结余留用 / assessment: run, approve, exemptions, results and the payment list" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        try await runTimed(context, language: lang) { db in try await perform(signature, db: db, lang: lang) }
    }

    static func day(_ text: String?, _ option: String) throws -> CivilDate {
        guard let day = CivilDate(text: text ?? "") else {
            throw Refusal(.badOption, zh: "请用 --\(option) 指定日期（YYYY-MM-DD）", en: "give --\(option) as YYYY-MM-DD")
        }
        return day
    }

    func perform(_ signature: Signature, db: DB, lang: Language) async throws -> LocalizedText {
        let service = AssessmentService(db: db)
        let scope = try await BatchScope.command(try requireBatch(signature.batch), db: db)
        switch signature.action {
        case "run", "approve":
            let year = try Self.day(signature.year, "year")
            let run = signature.action == "run" ? try await service.run(scope, yearStart: year) : try await service.approve(scope, yearStart: year)
            let yuan = Fen(run.retainedFen).yuanText
            return LocalizedText(
                zh: "协议年度\(year)：\(run.status.label.zh)，\(run.institutions)家机构，\(run.items)项（不合格\(run.failedItems)项），结余留用\(yuan)元",
                en:
                    "agreement year \(year): \(run.status.label.en), \(run.institutions) institutions, \(run.items) items (\(run.failedItems) failed), \(yuan) yuan retained"
            )
        case "results", "payments":
            let year = try Self.day(signature.year, "year")
            guard let out = signature.out else { throw Refusal(.badOption, zh: "请用 --out 指定输出文件", en: "give --out") }
            if signature.action == "results" {
                let rows = try await service.allResults(scope, yearStart: year).rows
                let cities = try await service.cities(scope, yearStart: year)
                try service.resultsWorkbook(rows, cities: cities, language: lang).write(to: URL(fileURLWithPath: out))
                return LocalizedText(zh: "已写出\(rows.count)家机构的考核结果：\(out)", en: "\(rows.count) institutions' results written to \(out)")
            }
            let (run, rows) = try await service.paymentList(scope, yearStart: year)
            try service.paymentWorkbook(run, rows, language: lang).write(to: URL(fileURLWithPath: out))
            return LocalizedText(
                zh: "已写出拨付清单：\(rows.count)家机构，共\(Fen(run.retainedFen).yuanText)元：\(out)",
                en: "payment list written: \(rows.count) institutions, \(Fen(run.retainedFen).yuanText) yuan: \(out)")
        case "exempt":
            guard let kind = ExemptionKind(rawValue: signature.kind ?? "") else {
                let kinds = ExemptionKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw Refusal(.badOption, zh: "--kind 应为以下之一：\(kinds)", en: "--kind must be one of: \(kinds)")
            }
            let e = Exemption(
                kind: kind, unitKey: signature.unit ?? "", regionPrefix: signature.region ?? "", from: try Self.day(signature.from, "from"),
                through: try Self.day(signature.through, "through"), evidence: signature.evidence ?? "")
            let id = try await service.addExemption(scope, e)
            return LocalizedText(zh: "已登记豁免（编号\(id)），重新考核后生效", en: "exemption \(id) recorded; it applies when the year is run again")
        case "drg":
            try await service.setDiseaseGroup(scope, institutionCode: signature.institution ?? "", !signature.off)
            return LocalizedText(zh: signature.off ? "已取消按病种付费登记" : "已登记为按病种付费机构", en: signature.off ? "unlisted" : "listed as paid by disease group")
        case "price":
            if signature.off {
                try await service.removePrice(scope, unitKey: signature.unit ?? "")
                return LocalizedText(zh: "已撤销核定价格，恢复按历史采购均价", en: "price removed; the history's average applies again")
            }
            let set = try await service.setPrice(
                scope, specCode: signature.spec ?? "", yuanPerMinimalUnit: signature.yuan ?? "", basis: signature.evidence ?? "")
            return LocalizedText(
                zh: "已核定\(set.unitKey)的采购前价格：\(set.specCode)每最小单位\(set.priceText)元，重新考核后生效",
                en:
                    "\(set.unitKey)'s pre-award price set: \(set.priceText) yuan per minimal unit of \(set.specCode); it applies when the year is run again"
            )
        default:
            throw Refusal(.badOption, zh: "未知操作：\(signature.action)", en: "unknown action: \(signature.action)")
        }
    }
}
