import Foundation
import JicaiCore

/// One line of an orders file: packs of a product under the hospital system's order number.
public struct OrderFileLine: Sendable, Hashable {
    public var reference: String
    public var productCode: String
    public var packs: Int64
    public var note: String
}

/// One invoice or payment of an accepted delivery.
public struct MoneyFileLine: Sendable, Hashable {
    public var deliveryNumber: String
    public var number: String
    public var amountFen: Int64
    public var day: CivilDate
}

/// One settled or dispensed traceability code.
public struct SettledCodeLine: Sendable, Hashable {
    public var code: TraceCode
    public var productCode: String
    public var day: CivilDate
}

/// The supply stage's files (docs/formats.md): every row checked for its shape here, against the batch by the service.
public enum SupplyTables {
    /// At most this many rows in one supply file (a hospital's month of orders, a distributor's invoices).
    public static let maxRows = 100_000

    public static func orders(_ path: String) throws -> [Located<OrderFileLine>] {
        let rows = try readAll(path, Schemas.supplyOrders) { r -> OrderFileLine? in
            let reference = r.text("reference")
            let product = r.text("product")
            let packs = r.count("packs")
            let note = r.text("note")
            if reference.count > InputLimits.maxReferenceCharacters {
                r.add("reference", zh: "订单号最多\(InputLimits.maxReferenceCharacters)字", en: "\(InputLimits.maxReferenceCharacters) characters at most")
            }
            if packs == 0 { r.add("packs", zh: "数量应大于0", en: "the quantity must be above 0") }
            if note.count > InputLimits.maxNoteCharacters { r.add("note", zh: "备注过长", en: "the note is too long") }
            guard !reference.isEmpty, !product.isEmpty, let packs, packs > 0 else { return nil }
            return OrderFileLine(reference: reference, productCode: product, packs: packs, note: note)
        }
        try checkSize(rows.count, path)
        let dups = duplicateIssues(rows, file: (path as NSString).lastPathComponent, column: Schemas.supplyOrders.column("product").zh) {
            "\($0.reference) \($0.productCode)"
        }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }

    public static func money(_ path: String) throws -> [Located<MoneyFileLine>] {
        let rows = try readAll(path, Schemas.supplyMoney) { r -> MoneyFileLine? in
            let delivery = r.text("delivery")
            let number = r.text("number")
            let amount = ResultTable.money(&r, "amount")
            let day = PurchaseTable.date(&r, "date")
            if number.count > InputLimits.maxReferenceCharacters {
                r.add("number", zh: "票据号最多\(InputLimits.maxReferenceCharacters)字", en: "\(InputLimits.maxReferenceCharacters) characters at most")
            }
            if amount == 0 { r.add("amount", zh: "金额应大于0", en: "the amount must be above 0") }
            guard !delivery.isEmpty, !number.isEmpty, let amount, amount > 0, let day else { return nil }
            return MoneyFileLine(deliveryNumber: delivery, number: number, amountFen: amount, day: day)
        }
        try checkSize(rows.count, path)
        return rows
    }

    public static func settledCodes(_ path: String) throws -> [Located<SettledCodeLine>] {
        let rows = try readAll(path, Schemas.settledCodes) { r -> SettledCodeLine? in
            let text = r.text("code")
            let product = r.text("product")
            let day = PurchaseTable.date(&r, "date")
            let code = TraceCode(text: text)
            if !text.isEmpty && code == nil {
                r.add("code", zh: "追溯码应为20位数字：“\(text.prefix(40))”", en: "a code is 20 digits: \"\(text.prefix(40))\"")
            }
            guard let code, !product.isEmpty, let day else { return nil }
            return SettledCodeLine(code: code, productCode: product, day: day)
        }
        try checkSize(rows.count, path)
        return rows
    }

    static func checkSize(_ count: Int, _ path: String) throws {
        guard count <= maxRows else {
            throw ImportFailure(issues: [
                ImportIssue(
                    file: (path as NSString).lastPathComponent, row: maxRows + 1, column: "",
                    zh: "一个文件最多\(maxRows)行，请分文件导入", en: "at most \(maxRows) rows in one file: split it")
            ])
        }
    }
}
