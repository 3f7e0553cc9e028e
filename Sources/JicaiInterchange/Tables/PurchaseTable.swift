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

/// A purchase line with its codes interned: `institution` and `product` number the codes of
/// `PurchaseCursor.institutions` and `.products` in order of first appearance, so the importer looks each code up
/// once per file, not once per row.
public struct PackedPurchaseRecord: Sendable {
    public var row: Int
    public var institution: Int32
    public var product: Int32
    public var orderDate: CivilDate
    public var deliveryDate: CivilDate?
    public var acceptanceDate: CivilDate?
    public var quantity: Int64
    public var amountFen: Int64
    public var orderNumber: String
}

/// Reads a purchases file as a stream (an XLSX sheet is read whole), every row checked on its own; the checks
/// against the batch (codes, the cycle) are the importer's. Like `HistoryCursor`, plain lines of well-formed ASCII
/// fields are parsed from their bytes; any other row goes through the row reader, which gives the reasons.
public final class PurchaseCursor {
    public let cursor: TableCursor
    let positions: [String: Int]
    public private(set) var issues: IssueCollector
    public private(set) var institutions = CodeNumbering()
    public private(set) var products = CodeNumbering()
    private let columns: (institution: Int, product: Int, order: Int, delivery: Int?, acceptance: Int?, quantity: Int, amount: Int, number: Int?)
    private let neededFields: Int
    private let bounds: FieldBounds
    /// The last institution and product codes' bytes (64 each) and their numbers: lines come in runs.
    private let lastBytes: UnsafeMutablePointer<UInt8>
    private var lastInstitution: (count: Int, slot: Int32) = (-1, -1)
    private var lastProduct: (count: Int, slot: Int32) = (-1, -1)

    public init(path: String, issueLimit: Int = 1000) throws {
        cursor = try TableCursor(path: path)
        switch Schemas.purchases.resolve(header: cursor.header, file: cursor.file) {
        case .success(let found): positions = found
        case .failure(let failure): throw failure
        }
        issues = IssueCollector(limit: issueLimit)
        columns = (
            positions["institution"]!, positions["product"]!, positions["orderDate"]!, positions["deliveryDate"], positions["acceptanceDate"],
            positions["quantity"]!, positions["amount"]!, positions["order"]
        )
        neededFields = positions.values.max()! + 1
        bounds = FieldBounds(wanted: neededFields)
        lastBytes = .allocate(capacity: 128)
        lastBytes.initialize(repeating: 0, count: 128)
    }

    deinit { lastBytes.deallocate() }

    public var file: String { cursor.file }

    public func issue(row: Int, column key: String, zh: String, en: String) -> ImportIssue {
        ImportIssue(file: cursor.file, row: row, column: Schemas.purchases.column(key).zh, zh: zh, en: en)
    }

    public func add(_ issue: ImportIssue) { issues.add(issue) }

    /// Up to `count` rows that passed their own checks, with their row numbers, unpacked; empty at the end.
    public func read(count: Int) throws -> [Located<PurchaseRecord>] {
        var packed: [PackedPurchaseRecord] = []
        try read(into: &packed, count: count)
        return packed.map { p in
            Located(
                row: p.row,
                value: PurchaseRecord(
                    institutionCode: institutions.codes[Int(p.institution)], productCode: products.codes[Int(p.product)], orderDate: p.orderDate,
                    deliveryDate: p.deliveryDate, acceptanceDate: p.acceptanceDate, quantity: p.quantity, amountFen: p.amountFen,
                    orderNumber: p.orderNumber))
        }
    }

    /// Appends rows that passed their own checks until `records` holds `count` or the file ends; rows with problems
    /// are recorded in `issues` and skipped. Blank lines are skipped.
    public func read(into records: inout [PackedPurchaseRecord], count: Int) throws {
        while records.count < count {
            let handed = try cursor.forEachPlainLine { line, number in
                if let record = fast(line, fields: bounds.split(line), row: number) {
                    records.append(record)
                } else if let row = cursor.plainRow(line, number: number).nonBlank, let record = slow(row) {
                    records.append(record)
                }
                return records.count < count
            }
            if handed > 0 { continue }
            guard let row = try cursor.next() else { return }
            if case .csv(let record, _) = row.storage, let fields = bounds.take(record),
                let packed = record.storage.withUnsafeBufferPointer({ fast($0, fields: fields, row: row.number) })
            {
                records.append(packed)  // quoted fields, unquoted by the reader
            } else if let record = slow(row) {
                records.append(record)
            }
        }
    }

    /// Any row: every field through the row reader, every problem recorded with its reason.
    private func slow(_ row: TableRow) -> PackedPurchaseRecord? {
        var r = RowReader(row: row, positions: positions, schema: Schemas.purchases, file: cursor.file)
        let record = PurchaseTable.parse(&r)
        for issue in r.issues { issues.add(issue) }
        guard let record, r.issues.isEmpty else { return nil }
        return PackedPurchaseRecord(
            row: row.number, institution: institutions.number(record.institutionCode), product: products.number(record.productCode),
            orderDate: record.orderDate, deliveryDate: record.deliveryDate, acceptanceDate: record.acceptanceDate, quantity: record.quantity,
            amountFen: record.amountFen, orderNumber: record.orderNumber)
    }

    /// A well-formed line from its bytes: codes compared with the last ones and interned on a change, dates
    /// "YYYY-MM-DD" in order (delivery not before the order, acceptance not before delivery, none without delivery),
    /// a positive quantity, yuan with at most two decimals, an ASCII order number. Nil sends the line to the row
    /// reader. Every field it accepts is ASCII, the same bytes in UTF-8 and in GB18030.
    private func fast(_ bytes: UnsafeBufferPointer<UInt8>, fields count: Int, row: Int) -> PackedPurchaseRecord? {
        guard count >= neededFields else { return nil }
        func field(_ k: Int) -> UnsafeBufferPointer<UInt8> { bounds.field(k, of: bytes) }
        func optionalDate(_ k: Int?) -> CivilDate?? {
            guard let k else { return .some(nil) }
            let text = field(k)
            if text.isEmpty { return .some(nil) }
            return ByteFields.date(text).map { .some($0) }
        }
        guard let institution = slot(field(columns.institution), at: 0, last: &lastInstitution, in: &institutions),
            let product = slot(field(columns.product), at: 64, last: &lastProduct, in: &products),
            let order = ByteFields.date(field(columns.order)), let delivery = optionalDate(columns.delivery),
            let acceptance = optionalDate(columns.acceptance), let quantity = ByteFields.quantity(field(columns.quantity)), quantity > 0,
            let amount = ByteFields.fen(field(columns.amount))
        else { return nil }
        if let delivery, delivery < order { return nil }
        if let acceptance, delivery.map({ acceptance < $0 }) ?? true { return nil }
        var number = ""
        if let k = columns.number {
            let text = field(k)
            guard text.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            number = String(decoding: text, as: UTF8.self)
        }
        return PackedPurchaseRecord(
            row: row, institution: institution, product: product, orderDate: order, deliveryDate: delivery, acceptanceDate: acceptance,
            quantity: quantity, amountFen: amount, orderNumber: number)
    }

    /// The number of a code: the last one's when the bytes are the same, else interned (64 bytes of `lastBytes` from
    /// `offset` keep the last code).
    private func slot(_ code: UnsafeBufferPointer<UInt8>, at offset: Int, last: inout (count: Int, slot: Int32), in numbering: inout CodeNumbering)
        -> Int32?
    {
        if code.count == last.count && memcmp(lastBytes + offset, code.baseAddress!, code.count) == 0 { return last.slot }
        guard ByteFields.isCode(code) else { return nil }
        (lastBytes + offset).update(from: code.baseAddress!, count: code.count)
        last = (code.count, numbering.number(String(decoding: code, as: UTF8.self)))
        return last.slot
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
