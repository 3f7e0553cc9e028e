import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension MonitorService {
    /// What an import did, and the institutions (holders) whose positions it changed.
    public struct PurchaseImportResult: Sendable {
        public var summary: ImportSummary
        public var months: [MonthKey]
        /// Lines of earlier imports the file replaced, and how many of their institutions the file does not hold
        /// (a partial file sent as whole months removes those institutions' lines).
        public var replaced: Int64
        public var replacedElsewhere: Int
        public var recompute: RecomputeSummary?

        /// "…, replaced N earlier lines (M institutions not in the file)", after the summary's own text.
        public var text: LocalizedText {
            var zh = summary.text.zh + "；替换此前导入的明细\(replaced)条"
            var en = summary.text.en + "; replaced \(replaced) earlier lines"
            if replacedElsewhere > 0 {
                zh += "（其中\(replacedElsewhere)家机构不在本文件中，其这些月份的明细已被删除）"
                en += " (of \(replacedElsewhere) institutions not in this file, whose lines of these months are gone)"
            }
            return LocalizedText(zh: zh, en: en)
        }
    }

    /// What a purchases file replaces: every imported line of the order months it holds (the platform's monthly
    /// export, the default), or only the lines of its own institutions in those months (a correction for a few).
    public enum PurchaseReplacement: String, Sendable, CaseIterable {
        case months
        case institutions

        /// The choice as a form field or command-line option names it: empty for the default, else a case's name.
        public init(option: String?) throws {
            let text = option?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let value = text.isEmpty ? .months : Self(rawValue: text) else {
                throw Refusal(.badReplacement)
            }
            self = value
        }
    }

    /// Loads a purchases file. Every row is checked on its own and against the batch (a reporting institution, a
    /// product of the catalogue, an order date inside the cycle); any problem fails the file and writes nothing. The
    /// file replaces the imported lines of every order month it holds, or with `.institutions` only its own
    /// institutions' lines of those months (a month re-sent is not counted twice; the supply stage's own orders
    /// stay). The institutions it touches are then recomputed as of `asOf` (inside the cycle; by default the last day
    /// of the latest month with purchases); when that is not the batch's as-of day, the whole batch is.
    func importPurchases(
        path: String, batchCode: String, actor: AuditActor, asOf: CivilDate? = nil, replacing: PurchaseReplacement = .months,
        progress: (any ProgressSink)? = nil, issueLimit: Int = 1000, recompute incremental: Bool = true
    ) async throws -> PurchaseImportResult {
        let started = Date()
        let context = try await context(batchCode)
        // Refused before anything is written; the import's recompute takes the batch's one as-of day (`recompute`).
        if let asOf, let refusal = MonitorAsOf.refusal(asOf, executionStart: context.executionStart, cycleEnd: context.cycleEnd) { throw refusal }
        let organisations = try await Organisations(db).reporting()
        let file = try PurchaseCursor(path: path, issueLimit: 1).file  // header problems fail before any write
        let batchID = context.head.batch.id
        let at = now()
        let (rows, months, inFile, replaced, replacedLines) = try await db.transaction { db -> (Int, [Int], Set<Int64>, [Int64: Int64], Int64) in
            let store = PurchaseStore(db)
            try await store.ensurePartitions(context.cycleMonths)
            let importID = try await store.nextImportID(batchID: batchID)
            let cursor = try PurchaseCursor(path: path, issueLimit: issueLimit)
            var checker = PurchaseRowChecker(context: context, organisations: organisations, cursor: cursor)
            try await store.load(batchID: batchID, importID: importID) { writer in
                var part: [PackedPurchaseRecord] = []
                part.reserveCapacity(8192)
                while true {
                    part.removeAll(keepingCapacity: true)
                    try cursor.read(into: &part, count: 8192)
                    if part.isEmpty { break }
                    for record in part {
                        guard let row = checker.check(record) else { continue }
                        if writer.add(row) { try await writer.flush() }
                    }
                    progress?.update(rows: checker.rows, bytesRead: cursor.cursor.bytesRead, totalBytes: cursor.cursor.fileSize)
                }
                guard cursor.issues.isEmpty else { throw cursor.issues.failure }
            }
            let months = checker.months.sorted()
            let within = replacing == .institutions ? checker.institutions.sorted() : nil
            let replaced = try await store.imported(batchID: batchID, months: months, before: importID, within: within)
            let replacedLines = replaced.values.reduce(0, +)
            try await store.deleteImported(batchID: batchID, months: months, keep: importID, within: within)
            try await store.register(batchID: batchID, importID: importID, file: file, lines: checker.rows, actor: actor.name, at: Timestamp.text(at))
            try await AuditLog(db).record(
                actor: actor.name, event: .purchasesImport, key: batchCode,
                summary:
                    "导入采购明细 \(checker.rows) 行，替换\(months.count)个月份\(replacing == .institutions ? "中文件所含机构" : "")的导入数据\(replacedLines)条",
                at: at)
            return (checker.rows, months, checker.institutions, replaced, replacedLines)
        }
        let byID = Dictionary(organisations.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let touched = inFile.union(replaced.keys)
        let holders = Set(touched.compactMap { byID[$0] }.map { holderID(of: $0, organisations) })
        let summary = ImportSummary(kind: "purchases", file: file, rows: rows, inserted: rows, updated: 0, seconds: Date().timeIntervalSince(started))
        let recompute = incremental ? try await recompute(batchCode: batchCode, asOf: asOf, holders: Array(holders).sorted(), actor: actor) : nil
        return PurchaseImportResult(
            summary: summary, months: months.compactMap { MonthKey(yyyymm: $0) }, replaced: replacedLines,
            replacedElsewhere: replaced.keys.filter { !inFile.contains($0) }.count, recompute: recompute)
    }

    /// A community member's purchases count towards its lead, which holds the agreed volume (001 §2(一)).
    func holderID(of organisation: ReportingOrganisation, _ all: [String: ReportingOrganisation]) -> Int64 {
        PositionRules.holder(of: organisation.id, lead: organisation.communityLeadCode) { all[$0]?.id }
    }
}

/// Checks purchase rows against the batch: the institution, the product, the cycle. Each code is looked up once,
/// when the cursor first numbers it.
struct PurchaseRowChecker {
    let context: MonitorService.Context
    let organisations: [String: ReportingOrganisation]
    let cursor: PurchaseCursor
    var rows = 0
    var months = Set<Int>()
    var institutions = Set<Int64>()
    /// By the cursor's numbering: the institution of each code met (nil: unknown), whether each product is the batch's.
    private var institutionOf: [ReportingOrganisation?] = []
    private var knownProduct: [Bool] = []

    init(context: MonitorService.Context, organisations: [String: ReportingOrganisation], cursor: PurchaseCursor) {
        self.context = context
        self.organisations = organisations
        self.cursor = cursor
    }

    mutating func check(_ r: PackedPurchaseRecord) -> PurchaseRow? {
        rows += 1
        var ok = true
        func issue(_ column: String, _ zh: String, _ en: String) {
            cursor.add(cursor.issue(row: r.row, column: column, zh: zh, en: en))
            ok = false
        }
        while institutionOf.count <= Int(r.institution) { institutionOf.append(organisations[cursor.institutions.codes[institutionOf.count]]) }
        while knownProduct.count <= Int(r.product) {
            knownProduct.append(context.catalogue.productByCode[cursor.products.codes[knownProduct.count]] != nil)
        }
        let organisation = institutionOf[Int(r.institution)]
        if organisation == nil {
            let code = cursor.institutions.codes[Int(r.institution)]
            issue("institution", "机构编码“\(code)”不存在或不是医疗机构", "unknown institution \"\(code)\"")
        }
        let productCode = cursor.products.codes[Int(r.product)]
        if !knownProduct[Int(r.product)] {
            issue("product", "产品编码“\(productCode)”不在批次产品中", "product \"\(productCode)\" is not in the batch")
        }
        if r.orderDate < context.executionStart || context.cycleEnd < r.orderDate {
            issue(
                "orderDate", "订单日期\(r.orderDate)不在采购周期\(context.executionStart)至\(context.cycleEnd)内",
                "order date \(r.orderDate) is outside the cycle \(context.executionStart) to \(context.cycleEnd)")
        }
        guard ok, cursor.issues.isEmpty, let organisation else { return nil }
        months.insert(r.orderDate.year * 100 + r.orderDate.month)
        institutions.insert(organisation.id)
        return PurchaseRow(
            institutionID: organisation.id, productCode: productCode, orderDate: r.orderDate, deliveryDate: r.deliveryDate,
            acceptanceDate: r.acceptanceDate, quantity: r.quantity, amountFen: r.amountFen, orderNumber: r.orderNumber)
    }
}
