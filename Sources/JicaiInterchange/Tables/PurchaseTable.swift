import Foundation
import JicaiCore

/// One purchase line as read from a file (docs/formats.md "Purchases"): dates checked for order (delivery not before
/// the order, acceptance not before delivery, no acceptance without delivery), quantity and amount checked for range.
public struct PurchaseRecord: Sendable, Hashable {
    public var institutionCode: String
    public var productCode: String
    public var orderDate: CivilDate
    public var deliveryDate: CivilDate?
    public var acceptanceDate: CivilDate?
    public var quantity: Int64
    public var amountFen: Int64
    public var orderNumber: String

    public init(
        institutionCode: String, productCode: String, orderDate: CivilDate, deliveryDate: CivilDate? = nil, acceptanceDate: CivilDate? = nil,
        quantity: Int64, amountFen: Int64, orderNumber: String = ""
    ) {
        self.institutionCode = institutionCode
        self.productCode = productCode
        self.orderDate = orderDate
        self.deliveryDate = deliveryDate
        self.acceptanceDate = acceptanceDate
        self.quantity = quantity
        self.amountFen = amountFen
        self.orderNumber = orderNumber
    }
}

/// Reads a purchases file row by row (CSV streams; an XLSX sheet is read whole), every row checked on its own; the
/// checks against the batch (codes, the cycle) are the importer's.
public final class PurchaseCursor {
    public let cursor: TableCursor
    let positions: [String: Int]
    public private(set) var issues: IssueCollector

    public init(path: String, issueLimit: Int = 1000) throws {
        cursor = try TableCursor(path: path)
        switch Schemas.purchases.resolve(header: cursor.header, file: cursor.file) {
        case .success(let found): positions = found
        case .failure(let failure): throw failure
        }
        issues = IssueCollector(limit: issueLimit)
    }

    public var file: String { cursor.file }

    public func issue(row: Int, column key: String, zh: String, en: String) -> ImportIssue {
        ImportIssue(file: cursor.file, row: row, column: Schemas.purchases.column(key).zh, zh: zh, en: en)
    }

    public func add(_ issue: ImportIssue) { issues.add(issue) }

    /// Up to `count` rows that passed their own checks, with their row numbers; empty at the end of the file.
    public func read(count: Int) throws -> [Located<PurchaseRecord>] {
        var out: [Located<PurchaseRecord>] = []
        out.reserveCapacity(count)
        while out.count < count, let row = try cursor.next() {
            var r = RowReader(row: row, positions: positions, schema: Schemas.purchases, file: cursor.file)
            let record = PurchaseTable.parse(&r)
            for issue in r.issues { issues.add(issue) }
            if let record, r.issues.isEmpty { out.append(Located(row: row.number, value: record)) }
        }
        return out
    }
}

public enum PurchaseTable {
    static func parse(_ r: inout RowReader) -> PurchaseRecord? {
        let institution = r.text("institution")
        let product = r.text("product")
        let order = date(&r, "orderDate")
        let delivery = date(&r, "deliveryDate")
        let acceptance = date(&r, "acceptanceDate")
        let quantity = r.count("quantity")
        let amount = ResultTable.money(&r, "amount")
        let number = r.text("order")
        if let order, let delivery, delivery < order {
            r.add("deliveryDate", zh: "配送日期\(delivery)早于订单日期\(order)", en: "delivered on \(delivery), before the order of \(order)")
        }
        if let acceptance {
            if let delivery, acceptance < delivery {
                r.add("acceptanceDate", zh: "验收日期\(acceptance)早于配送日期\(delivery)", en: "accepted on \(acceptance), before the delivery on \(delivery)")
            } else if delivery == nil && r.issues.allSatisfy({ $0.column != Schemas.purchases.column("deliveryDate").zh }) {
                r.add("acceptanceDate", zh: "已验收的订单须填写配送日期", en: "an accepted line needs its delivery date")
            }
        }
        if quantity == 0 { r.add("quantity", zh: "数量应大于0", en: "the quantity must be above 0") }
        guard !institution.isEmpty, !product.isEmpty, let order, let quantity, let amount else { return nil }
        return PurchaseRecord(
            institutionCode: institution, productCode: product, orderDate: order, deliveryDate: delivery, acceptanceDate: acceptance,
            quantity: quantity, amountFen: amount, orderNumber: number)
    }

    /// "2026-04-08", "2026/4/8", "20260408", or the day number Excel stores for a date cell.
    static func date(_ r: inout RowReader, _ key: String) -> CivilDate? {
        let text = r.text(key)
        guard !text.isEmpty else { return nil }
        if let parsed = parseDate(text) { return parsed }
        r.add(key, zh: "日期应为YYYY-MM-DD：“\(text)”", en: "a date must be YYYY-MM-DD: \"\(text)\"")
        return nil
    }

    public static func parseDate(_ text: String) -> CivilDate? {
        let normalised = text.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
        let parts = normalised.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), parts[1].count <= 2,
            parts[2].count <= 2
        {
            return CivilDate(y, m, d)
        }
        if text.count == 8, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let y = Int(text.prefix(4)), let m = Int(text.dropFirst(4).prefix(2)),
            let d = Int(text.suffix(2))
        {
            return CivilDate(y, m, d)
        }
        // Excel's serial day: days since 1899-12-30; 1970-01-01 is 25569. Only plausible dates (1982–2064).
        if text.count == 5, let serial = Int(text), serial >= 30_000, serial <= 60_000 { return CivilDate(dayNumber: serial - 25_569) }
        return nil
    }
}

/// One row of a use-by-department file (prescription review, 004 §2).
public struct UsageRecord: Sendable, Hashable {
    public var institutionCode: String
    public var department: String
    public var doctor: String
    public var productCode: String
    public var month: MonthKey
    public var quantity: Int64
    public var amountFen: Int64
}

public enum UsageTable {
    public static func read(_ path: String) throws -> [Located<UsageRecord>] {
        try readAll(path, Schemas.usage, limit: 1000) { r -> UsageRecord? in
            let institution = r.text("institution")
            let department = r.text("department")
            let doctor = r.text("doctor")
            let product = r.text("product")
            let monthText = r.text("month")
            let month = MonthKey(text: monthText)
            if !monthText.isEmpty && month == nil {
                r.add("month", zh: "月份应为YYYY-MM：“\(monthText)”", en: "a month must be YYYY-MM: \"\(monthText)\"")
            }
            let quantity = r.count("quantity")
            let amount = ResultTable.money(&r, "amount")
            guard !institution.isEmpty, !department.isEmpty, !doctor.isEmpty, !product.isEmpty, let month, let quantity, let amount else {
                return nil
            }
            return UsageRecord(
                institutionCode: institution, department: department, doctor: doctor, productCode: product, month: month, quantity: quantity,
                amountFen: amount)
        }
    }
}
