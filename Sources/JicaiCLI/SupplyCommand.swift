import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai supply <action> --batch B …`: the province's supply operations from the command line, through the same
/// doors as the pages (as the batch province's administrator, "cli" in the audit log).
///
///     jicai supply prepay --batch B --year 2026-03-01            pay an agreement year's prepayment to every institution
///     jicai supply recover --batch B --year 2026-03-01           recover the year's balances once it has ended
///     jicai supply settle --batch B --month 2026-10              run a month's direct settlement (a draft)
///     jicai supply approve --batch B --run 3                     approve a draft run
///     jicai supply statement --batch B --run 3 --out F.xlsx      a run's statement as XLSX
///     jicai supply runs --batch B                                the settlement runs
///     jicai supply import --batch B --kind orders|payments|codes --file F --as USER
///                                                                an institution's orders, payments or settled codes, a
///                                                                distributor's invoices (payments), as that account
public struct SupplyCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "action", help: "prepay | recover | settle | approve | statement | runs | import")
        var action: String
        @Option(name: "batch", help: "batch code")
        var batch: String?
        @Option(name: "year", help: "the agreement year's first day, YYYY-MM-DD (prepay, recover)")
        var year: String?
        @Option(name: "month", help: "YYYY-MM, a month that has ended (settle)")
        var month: String?
        @Option(name: "run", help: "a settlement run's number (approve, statement)")
        var run: String?
        @Option(name: "out", help: "the XLSX to write (statement)")
        var out: String?
        @Option(name: "kind", help: "orders | payments | codes (import; payments are a distributor's invoices)")
        var kind: String?
        @Option(name: "file", help: "the CSV or XLSX to import (import)")
        var file: String?
        @Option(name: "as", help: "the institution's or distributor's username (import)")
        var user: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    public init() {}
    public var help: String { "供应与结算 / supply: prepayment, direct settlement runs and statements" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        try await runTimed(context, language: lang) { db in try await perform(signature, db: db, lang: lang) }
    }

    func perform(_ signature: Signature, db: DB, lang: Language) async throws -> LocalizedText {
        let supply = SupplyService(db: db)
        if signature.action == "import" { return try await importFile(signature, supply: supply, db: db) }
        let scope = try await BatchScope.command(try requireBatch(signature.batch), db: db)
        switch signature.action {
        case "prepay", "recover":
            guard let year = CivilDate(text: signature.year ?? "") else { throw Refusal(.badOption, zh: "请用 --year 指定协议年度首日", en: "give --year") }
            let done =
                signature.action == "prepay"
                ? try await supply.payPrepayment(scope, yearStart: year) : try await supply.recoverPrepayment(scope, yearStart: year)
            let yuan = Fen(done.totalFen).yuanText
            return signature.action == "prepay"
                ? LocalizedText(zh: "已拨付\(done.institutions)家机构预付金\(yuan)元", en: "paid \(yuan) yuan to \(done.institutions) institutions")
                : LocalizedText(zh: "已收回\(done.institutions)家机构余额\(yuan)元", en: "recovered \(yuan) yuan from \(done.institutions) institutions")
        case "settle":
            guard let month = MonthKey(text: signature.month ?? "") else { throw Refusal(.badOption, zh: "请用 --month 指定月份", en: "give --month") }
            let run = try await supply.runSettlement(scope, month: month)
            return LocalizedText(
                zh: "已生成结算单\(run.number)（待审核）：直接结算\(Fen(run.directFen).yuanText)元，预付金冲抵\(Fen(run.offsetFen).yuanText)元",
                en: "run \(run.number) (draft): \(Fen(run.directFen).yuanText) yuan paid directly, \(Fen(run.offsetFen).yuanText) yuan offset")
        case "approve":
            let run = try await supply.approveSettlement(scope, id: try runID(signature.run))
            return LocalizedText(zh: "结算单\(run.number)已审核", en: "run \(run.number) approved")
        case "statement":
            guard let out = signature.out, !out.isEmpty else { throw Refusal(.badOption, zh: "请用 --out 指定文件", en: "give --out") }
            let statement = try await supply.statement(scope, id: try runID(signature.run))
            try supply.statementWorkbook(statement, language: lang).write(to: URL(fileURLWithPath: out))
            return LocalizedText(zh: "已写出结算单\(statement.run.number)：\(out)", en: "statement \(statement.run.number) written to \(out)")
        case "runs":
            let runs = try await supply.settlements(scope)
            let lines = runs.map { "\($0.number)  \($0.month)  \($0.status.rawValue)  \(Fen($0.directFen).yuanText)  \(Fen($0.offsetFen).yuanText)" }
            return LocalizedText(
                zh: lines.isEmpty ? "尚无结算单" : lines.joined(separator: "\n"), en: lines.isEmpty ? "no runs yet" : lines.joined(separator: "\n"))
        default:
            throw Refusal(.badAction, zh: "未知操作：\(signature.action)", en: "unknown action: \(signature.action)")
        }
    }

    func runID(_ text: String?) throws -> Int64 {
        guard let id = text.flatMap({ Int64($0.trimmingCharacters(in: .init(charactersIn: "JSjs"))) }) else {
            throw Refusal(.badOption, zh: "请用 --run 指定结算单号", en: "give --run")
        }
        return id
    }
}

extension SupplyCommand {
    /// A file from a hospital or distributor system, as the named account (docs/formats.md).
    func importFile(_ signature: Signature, supply: SupplyService, db: DB) async throws -> LocalizedText {
        guard let user = signature.user, !user.isEmpty else {
            throw Refusal(.badOption, zh: "请用 --as 指定机构或配送企业的账号", en: "name the institution's or distributor's account with --as")
        }
        let path = try requireFile(signature.file, "--file")
        let scope = try await BatchScope.resolve(try requireBatch(signature.batch), db: db, ctx: try await acting(user, db: db))
        switch signature.kind {
        case "orders": return try await supply.importOrders(scope, path: path).text
        case "payments": return try await supply.importMoney(scope, path: path).text
        case "codes": return try await supply.importSettledCodes(scope, path: path).text
        default:
            throw Refusal(.badOption, zh: "请用 --kind 指定 orders、payments 或 codes", en: "give --kind orders, payments or codes")
        }
    }
}
