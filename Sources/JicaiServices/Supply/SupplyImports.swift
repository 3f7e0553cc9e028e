import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The supply stage's files from hospital and distributor systems (docs/formats.md): an institution's orders, a
/// distributor's invoices or an institution's payments, an institution's settled traceability codes. Each goes
/// through the same checks as the page or API door it stands for; every row is checked before anything is written,
/// a bad row is reported with its file, row, column and reason, and a file with any bad row writes nothing (one
/// transaction, whose own checks still hold against what others write meanwhile).
/// What a file of settled codes did: its summary and how many of its codes had been settled before.
public struct CodeImport: Sendable, Hashable {
    public var summary: ImportSummary
    public var anomalies: Int

    public var text: LocalizedText {
        LocalizedText(zh: summary.text.zh + "，其中重复结算\(anomalies)个", en: summary.text.en + ", \(anomalies) of them settled before")
    }
}

extension SupplyService {
    /// An institution's orders: the rows of one hospital order number make one order (one per distributor), each
    /// product under the institution's agreement for it in force today.
    public func importOrders(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        let started = Date()
        let access = try access(scope)
        guard access.orders, case .institution = access.scope else { throw Refusal.forbidden }
        let rows = try await ParseGate.run(owner: scope.principal.username) { try SupplyTables.orders(path) }
        let file = (path as NSString).lastPathComponent
        let byProduct = Dictionary(try await orderables(scope).map { ($0.productCode, $0.id) }, uniquingKeysWith: { a, _ in a })
        var issues: [ImportIssue] = []
        var groups: [(reference: String, rows: [Located<OrderFileLine>])] = []
        var at: [String: Int] = [:]
        for row in rows {
            guard byProduct[row.value.productCode] != nil else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: Schemas.supplyOrders.column("product").zh,
                        zh: "“\(row.value.productCode)”不是本机构今天可订购的中选产品（需有生效且已指定配送企业的协议）",
                        en: "\"\(row.value.productCode)\" is not a product the institution may order today (an agreement in force with a distributor)"
                    ))
                continue
            }
            if let index = at[row.value.reference] {
                groups[index].rows.append(row)
            } else {
                at[row.value.reference] = groups.count
                groups.append((row.value.reference, [row]))
            }
        }
        var planned: [Int64: Int64] = [:]
        var plans: [PlannedOrder] = []
        for group in groups where issues.isEmpty {
            let lines = group.rows.compactMap { row in
                byProduct[row.value.productCode].map { OrderRequestLine(agreementID: $0, packs: row.value.packs) }
            }
            // The hospital's order number goes into the order's note, before the file's note if it has one.
            let note = ([group.reference] + group.rows.map(\.value.note).filter { !$0.isEmpty }.prefix(1)).joined(separator: " ")
            do {
                plans.append(
                    try await planOrder(
                        scope, lines: lines, note: String(note.prefix(InputLimits.maxNoteCharacters)), planned: &planned))
            } catch let refusal as Refusal {
                issues.append(
                    ImportIssue(file: file, row: group.rows[0].row, column: Schemas.supplyOrders.column("reference").zh, reason: refusal.message))
            }
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let ready = plans
        let written = try await db.transaction { db in
            var ids: [Int64] = []
            for plan in ready { ids += try await Self.insert(db, plan) }
            return ids.count
        }
        return ImportSummary(
            kind: Schemas.supplyOrders.kind, file: file, rows: rows.count, inserted: written, updated: 0, seconds: Date().timeIntervalSince(started))
    }

    /// A distributor's invoices, or an institution's payments, of accepted deliveries it is on: each row as the page
    /// records it, the rows of one delivery counted together against what it allows.
    public func importMoney(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        let started = Date()
        let access = try access(scope)
        guard let kind = access.records else { throw Refusal.forbidden }
        let rows = try await ParseGate.run(owner: scope.principal.username) { try SupplyTables.money(path) }
        let file = (path as NSString).lastPathComponent
        func column(_ key: String) -> String { Schemas.supplyMoney.column(key).zh }
        var issues: [ImportIssue] = []
        var entries: [MoneyEntry] = []
        var left: [Int64: Int64] = [:]
        for row in rows {
            let line = row.value
            guard let id = SupplyNumber.id(line.deliveryNumber, prefix: "PS") else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("delivery"), zh: "配送单号应为PS加数字：“\(line.deliveryNumber.prefix(40))”",
                        en: "a delivery number is PS and digits: \"\(line.deliveryNumber.prefix(40))\""))
                continue
            }
            do {
                let entry = try await checkMoney(scope, deliveryID: id, kind: kind, number: line.number, amountFen: line.amountFen, on: line.day)
                let limit = left[id] ?? entry.limitFen
                guard line.amountFen <= limit else { throw Self.payTooMuch(kind, limit: limit) }
                left[id] = limit - line.amountFen
                entries.append(entry)
            } catch let refusal as Refusal {
                issues.append(ImportIssue(file: file, row: row.row, column: column(Self.moneyColumn(refusal.code)), reason: refusal.message))
            }
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let ready = entries
        try await db.transaction { db in
            for entry in ready { try await Self.write(db, entry) }
        }
        return ImportSummary(
            kind: Schemas.supplyMoney.kind, file: file, rows: rows.count, inserted: entries.count, updated: 0,
            seconds: Date().timeIntervalSince(started))
    }

    /// An institution's settled or dispensed codes: grouped by product and day, each checked as the page checks a
    /// submission; codes settled before (in the platform or earlier in the file) are recorded and raised as anomalies.
    public func importSettledCodes(_ scope: BatchScope, path: String) async throws -> CodeImport {
        let started = Date()
        let capturer = try await codeCapturer(scope)
        let rows = try await ParseGate.run(owner: scope.principal.username) { try SupplyTables.settledCodes(path) }
        let file = (path as NSString).lastPathComponent
        func column(_ key: String) -> String { Schemas.settledCodes.column(key).zh }
        var issues: [ImportIssue] = []
        var checked: [String: Result<ProductParts, Refusal>] = [:]
        var groups: [String: CodeGroup] = [:]
        var order: [String] = []
        for row in rows {
            let line = row.value
            let key = "\(line.productCode) \(line.day)"
            if checked[key] == nil {
                do {
                    checked[key] = .success(try await capturer.check(productCode: line.productCode, day: line.day))
                } catch let refusal as Refusal {
                    checked[key] = .failure(refusal)
                }
            }
            switch checked[key] {
            case .failure(let refusal):
                issues.append(
                    ImportIssue(file: file, row: row.row, column: column(refusal.code == .badDate ? "date" : "product"), reason: refusal.message))
            case .success(let product):
                do {
                    try product.check([line.code], productCode: line.productCode)
                } catch let refusal as Refusal {
                    issues.append(ImportIssue(file: file, row: row.row, column: column("code"), reason: refusal.message))
                    continue
                }
                if groups[key] == nil {
                    order.append(key)
                    groups[key] = CodeGroup(productCode: line.productCode, day: line.day, codes: [])
                }
                groups[key]?.codes.append(line.code)
            case nil: continue
            }
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let ordered = order.compactMap { groups[$0] }
        let anomalies = try await db.transaction { db in
            var raised = 0
            for group in ordered { raised += try await Self.write(db, capturer, group).anomalies }
            return raised
        }
        return CodeImport(
            summary: ImportSummary(
                kind: Schemas.settledCodes.kind, file: file, rows: rows.count, inserted: rows.count, updated: 0,
                seconds: Date().timeIntervalSince(started)),
            anomalies: anomalies)
    }
}

extension SupplyService {
    /// The column of a payments file that a refusal of `checkMoney` points at.
    static func moneyColumn(_ code: RefusalCode) -> String {
        switch code {
        case .badDate: "date"
        case .formIncomplete: "number"
        case .payTooMuch, .badQuantity: "amount"
        default: "delivery"
        }
    }
}
