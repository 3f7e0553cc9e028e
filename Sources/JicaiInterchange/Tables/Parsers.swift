import Foundation
import JicaiCore

/// A value read from a file with the row it came from, so later checks (unknown codes) can point at the row.
public struct Located<Value: Sendable>: Sendable {
    public var row: Int
    public var value: Value
}

/// Reads a whole (small) file of one kind: header resolution, every row checked, all issues collected.
/// Throws `ImportFailure` with every problem when any row is bad.
func readAll<T>(
    _ path: String, _ schema: TableSchema, limit: Int = 1000,
    _ parse: (inout RowReader) -> T?
) throws -> [Located<T>] {
    let file = (path as NSString).lastPathComponent
    var positions: [String: Int] = [:]
    var collector = IssueCollector(limit: limit)
    var out: [Located<T>] = []
    try TableReader.read(
        path: path,
        header: { header in
            switch schema.resolve(header: header, file: file) {
            case .success(let found): positions = found
            case .failure(let failure): throw failure
            }
        },
        body: { row in
            var reader = RowReader(row: row, positions: positions, schema: schema, file: file)
            let value = parse(&reader)
            for issue in reader.issues { collector.add(issue) }
            if let value, reader.issues.isEmpty { out.append(Located(row: row.number, value: value)) }
        })
    guard collector.isEmpty else { throw collector.failure }
    return out
}

/// Duplicate keys within one file, reported at the second occurrence.
func duplicateIssues<T>(_ rows: [Located<T>], file: String, column: String, key: (T) -> String) -> [ImportIssue] {
    var first: [String: Int] = [:]
    var issues: [ImportIssue] = []
    for row in rows {
        let rowKey = key(row.value)
        if let at = first[rowKey] {
            issues.append(
                ImportIssue(
                    file: file, row: row.row, column: column,
                    zh: "“\(rowKey)”与第\(at)行重复", en: "\"\(rowKey)\" repeats row \(at)"))
        } else {
            first[rowKey] = row.row
        }
    }
    return issues
}

public enum RegionTable {
    public static func read(_ path: String) throws -> [Located<Region>] {
        let rows = try readAll(path, Schemas.regions) { r -> Region? in
            let codeText = r.text("code")
            let name = r.text("name")
            let levelText = r.text("level")
            let parentText = r.text("parent")
            var code: DivisionCode?
            switch DivisionCode.parse(codeText) {
            case .success(let parsed): code = parsed
            case .failure(let error): if !codeText.isEmpty { r.add("code", zh: error.message.zh, en: error.message.en) }
            }
            let level: DivisionCode.Level?
            switch levelText.lowercased() {
            case "省", "省级", "province": level = .province
            case "市", "市级", "地级", "city": level = .city
            case "县", "县级", "区", "county", "district": level = .county
            default:
                level = nil
                if !levelText.isEmpty {
                    r.add("level", zh: "级别应为省、市或县：“\(levelText)”", en: "level must be province, city or county: \"\(levelText)\"")
                }
            }
            var parent: DivisionCode?
            if !parentText.isEmpty {
                switch DivisionCode.parse(parentText) {
                case .success(let parsed): parent = parsed
                case .failure(let error): r.add("parent", zh: error.message.zh, en: error.message.en)
                }
            }
            guard let code, let level, !name.isEmpty else { return nil }
            if level != .province && parent == nil {
                r.add("parent", zh: "市、县级区划须填写上级代码", en: "a city or county needs its parent code")
            }
            return Region(code: code, name: name, level: level, parentCode: parent)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.regions.column("code").zh) { $0.code.value }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

public enum OrganisationTable {
    static let kinds: [String: OrganisationKind] = [
        "": .institution, "医疗机构": .institution, "institution": .institution,
        "定点零售药店": .pharmacy, "零售药店": .pharmacy, "药店": .pharmacy, "pharmacy": .pharmacy,
        "生产企业": .manufacturer, "manufacturer": .manufacturer, "配送企业": .distributor, "distributor": .distributor,
        "市医保局": .cityBureau, "city bureau": .cityBureau, "省医保局": .provinceBureau, "province bureau": .provinceBureau,
    ]

    public static func read(_ path: String) throws -> [Located<Organisation>] {
        let categories = Dictionary(
            InstitutionCategory.allCases.flatMap { c in
                [(c.label.zh, c), (c.label.en.lowercased(), c), (c.rawValue.lowercased(), c)]
            }, uniquingKeysWith: { first, _ in first })
        let ownerships = Dictionary(
            Ownership.allCases.flatMap { o in
                [(o.label.zh, o), (o.label.en.lowercased(), o), (o.rawValue.lowercased(), o)]
            }, uniquingKeysWith: { first, _ in first })
        let rows = try readAll(path, Schemas.organisations) { r -> Organisation? in
            let codeText = r.text("code")
            let name = r.text("name")
            let kindText = r.text("kind")
            let categoryText = r.text("category")
            let ownershipText = r.text("ownership")
            let beds = r.count("beds")
            let regionText = r.text("region")
            let leadText = r.text("lead")
            var code: String?
            switch CreditCode.parse(codeText) {
            case .success(let parsed): code = parsed.value
            case .failure(let error): if !codeText.isEmpty { r.add("code", zh: error.message.zh, en: error.message.en) }
            }
            let kind = kinds[kindText.lowercased()]
            if kind == nil { r.add("kind", zh: "机构类型无法识别：“\(kindText)”", en: "unknown organisation kind: \"\(kindText)\"") }
            var category: InstitutionCategory?
            if !categoryText.isEmpty {
                category = categories[categoryText] ?? categories[categoryText.lowercased()]
                if category == nil { r.add("category", zh: "机构类别无法识别：“\(categoryText)”", en: "unknown institution category: \"\(categoryText)\"") }
            }
            var ownership: Ownership?
            if !ownershipText.isEmpty {
                ownership = ownerships[ownershipText] ?? ownerships[ownershipText.lowercased()]
                if ownership == nil {
                    r.add(
                        "ownership", zh: "所有制应为公立、军队或民营：“\(ownershipText)”", en: "ownership must be public, military or private: \"\(ownershipText)\""
                    )
                }
            }
            var region: DivisionCode?
            switch DivisionCode.parse(regionText) {
            case .success(let parsed): region = parsed
            case .failure(let error): if !regionText.isEmpty { r.add("region", zh: error.message.zh, en: error.message.en) }
            }
            var lead: String?
            if !leadText.isEmpty {
                switch CreditCode.parse(leadText) {
                case .success(let parsed): lead = parsed.value
                case .failure(let error): r.add("lead", zh: error.message.zh, en: error.message.en)
                }
            }
            guard let code, let kind, let region, !name.isEmpty else { return nil }
            return Organisation(
                code: code, name: name, kind: kind, category: category, ownership: ownership,
                beds: beds.map { Int($0) }, regionCode: region, communityLeadCode: lead)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.organisations.column("code").zh) { $0.code }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

public enum CatalogueTable {
    public struct Row: Sendable {
        public var variety: Variety
        public var spec: Spec
    }

    /// Reads the catalogue and checks it as a whole: a variety's name, route and flags agree on all its rows;
    /// codes are unique; merged specs have convertible contents.
    public static func read(_ path: String) throws -> Catalogue {
        let schema = Schemas.catalogue
        let file = (path as NSString).lastPathComponent
        let rows = try readAll(path, schema) { r -> Row? in
            let varietyCode = r.text("variety")
            let generic = r.text("generic")
            let route = r.text("route")
            let specCode = r.text("spec")
            let form = r.text("form")
            let strength = r.text("strength")
            let contentText = r.text("content")
            let unit = r.text("unit")
            let pack = r.count("pack")
            let passed = r.text("passed").isEmpty ? true : r.flag("passed")
            let essential = r.flag("essential")
            let nonSub = r.flag("nonSubstitutable")
            let flags = VarietyFlags(
                keyMonitored: r.flag("keyMonitored"), antimicrobial: r.flag("antimicrobial"),
                restrictedIndication: r.flag("restricted"), rising: r.flag("rising"))
            let insuranceText = r.text("insuranceCode")
            let content = EffectiveContent(text: contentText)
            if content == nil && !contentText.isEmpty {
                r.add(
                    "content", zh: "有效含量应为正数加单位（如0.25g、80万IU）：“\(contentText)”",
                    en: "effective content must be a positive number and a unit (e.g. 0.25g, 80万IU): \"\(contentText)\"")
            }
            if pack == 0 { r.add("pack", zh: "包装数量须大于0", en: "pack size must be more than 0") }
            var insurance: InsuranceDrugCode?
            if !insuranceText.isEmpty {
                switch InsuranceDrugCode.parse(insuranceText) {
                case .success(let parsed): insurance = parsed
                case .failure(let error): r.add("insuranceCode", zh: error.message.zh, en: error.message.en)
                }
            }
            guard let content, !varietyCode.isEmpty, !generic.isEmpty, !route.isEmpty, !specCode.isEmpty,
                !form.isEmpty, !strength.isEmpty, !unit.isEmpty
            else { return nil }
            return Row(
                variety: Variety(code: varietyCode, genericName: generic, route: route, flags: flags),
                spec: Spec(
                    code: specCode, varietyCode: varietyCode, dosageForm: form, strength: strength, content: content,
                    minimalUnit: unit, packSize: pack ?? 1, passedEvaluation: passed, essential: essential,
                    nonSubstitutable: nonSub, insuranceCode: insurance))
        }
        var issues = duplicateIssues(rows, file: file, column: schema.column("spec").zh) { $0.spec.code }
        var varieties: [String: (row: Int, variety: Variety)] = [:]
        var order: [String] = []
        for row in rows {
            if let first = varieties[row.value.variety.code] {
                if first.variety != row.value.variety {
                    issues.append(
                        ImportIssue(
                            file: file, row: row.row, column: schema.column("variety").zh,
                            zh: "品种\(row.value.variety.code)的通用名、给药途径或标识与第\(first.row)行不一致",
                            en: "variety \(row.value.variety.code) has another name, route or flag than on row \(first.row)"))
                }
            } else {
                varieties[row.value.variety.code] = (row.row, row.value.variety)
                order.append(row.value.variety.code)
            }
        }
        if rows.isEmpty {
            issues.append(ImportIssue(file: file, row: 0, column: "", zh: "清单中没有任何规格", en: "the catalogue has no spec"))
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        do {
            return try Catalogue(varieties: order.map { varieties[$0]!.variety }, specs: rows.map(\.value.spec))
        } catch {
            throw ImportFailure(ImportIssue(file: file, row: 0, column: schema.column("content").zh, reason: error.message))
        }
    }
}

public enum ProductTable {
    public static func read(_ path: String) throws -> [Located<Product>] {
        let rows = try readAll(path, Schemas.products) { r -> Product? in
            let code = r.text("product")
            let spec = r.text("spec")
            let maker = r.text("manufacturer")
            let makerCodeText = r.text("manufacturerCode")
            let brand = r.text("brand")
            var makerCode: CreditCode?
            if !makerCodeText.isEmpty {
                switch CreditCode.parse(makerCodeText) {
                case .success(let parsed): makerCode = parsed
                case .failure(let error): r.add("manufacturerCode", zh: error.message.zh, en: error.message.en)
                }
            }
            guard !code.isEmpty, !spec.isEmpty, !maker.isEmpty else { return nil }
            return Product(code: code, specCode: spec, manufacturerName: maker, manufacturerCode: makerCode, brand: brand)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.products.column("product").zh) { $0.code }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

/// One row of a history file.
public struct HistoryRecord: Sendable, Hashable {
    public var institutionCode: String
    public var specCode: String
    public var month: MonthKey
    public var quantity: Int64
    public var amount: Fen?
}

/// Codes numbered 0, 1, 2, … in order of first appearance.
public struct CodeNumbering: Sendable {
    public private(set) var codes: [String] = []
    private var numbers: [String: Int32] = [:]

    public init() {}

    /// The code's number, given on its first appearance.
    public mutating func number(_ code: String) -> Int32 {
        if let known = numbers[code] { return known }
        let number = Int32(codes.count)
        codes.append(code)
        numbers[code] = number
        return number
    }
}

/// A history row with its codes interned: `institution` and `spec` number the codes of `HistoryCursor.institutions`
/// and `.specs` in order of first appearance, so a bulk reader maps each code once, not once per row.
public struct PackedHistoryRecord: Sendable {
    public var row: Int
    public var institution: Int32
    public var spec: Int32
    public var month: MonthKey
    public var quantity: Int64
    public var amount: Fen?
}

/// History files can hold millions of rows: they are read as a stream, one record at a time, with a fast path for
/// well-formed rows and the full row reader (with its reasons) for the rest.
public final class HistoryCursor {
    public let cursor: TableCursor
    public private(set) var issues: IssueCollector
    private let positions: [String: Int]
    private let columns: (inst: Int, spec: Int, month: Int, quantity: Int, amount: Int?)
    private let neededFields: Int
    /// Start and end of each field of the current plain line.
    private let bounds: FieldBounds
    /// The codes met so far, in order of first appearance (`PackedHistoryRecord` numbers them).
    public private(set) var institutions = CodeNumbering()
    public private(set) var specs = CodeNumbering()
    /// The last codes' bytes (up to 64 each, in raw memory: an array here cost a retain and a release per row) and
    /// their numbers: rows of one institution, and of one spec, come in runs.
    private let lastBytes: UnsafeMutablePointer<UInt8>
    private var lastInstitution: (count: Int, slot: Int32) = (-1, -1)
    private var lastSpec: (count: Int, slot: Int32) = (-1, -1)

    public init(path: String, issueLimit: Int = 1000) throws {
        cursor = try TableCursor(path: path)
        issues = IssueCollector(limit: issueLimit)
        switch Schemas.history.resolve(header: cursor.header, file: cursor.file) {
        case .success(let found): positions = found
        case .failure(let failure): throw failure
        }
        columns = (positions["institution"]!, positions["spec"]!, positions["month"]!, positions["quantity"]!, positions["amount"])
        neededFields = max(columns.inst, columns.spec, columns.month, columns.quantity) + 1
        bounds = FieldBounds(wanted: max(neededFields, (columns.amount ?? 0) + 1))
        lastBytes = .allocate(capacity: 128)
        lastBytes.initialize(repeating: 0, count: 128)
    }

    deinit { lastBytes.deallocate() }

    public var file: String { cursor.file }

    /// Records an issue found by a later check (unknown code, duplicate) against a row.
    public func add(_ issue: ImportIssue) { issues.add(issue) }

    public func issue(row: Int, column key: String, zh: String, en: String) -> ImportIssue {
        ImportIssue(file: cursor.file, row: row, column: Schemas.history.column(key).zh, zh: zh, en: en)
    }

    /// The next valid record; rows with problems are recorded in `issues` and skipped.
    public func next() throws -> (row: Int, record: HistoryRecord)? {
        guard let packed = try nextPacked() else { return nil }
        return (
            packed.row,
            HistoryRecord(
                institutionCode: institutions.codes[Int(packed.institution)], specCode: specs.codes[Int(packed.spec)],
                month: packed.month, quantity: packed.quantity, amount: packed.amount)
        )
    }

    /// The next valid record with interned codes; rows with problems are recorded in `issues` and skipped.
    public func nextPacked() throws -> PackedHistoryRecord? {
        var one: [PackedHistoryRecord] = []
        try read(into: &one, count: 1)
        return one.first
    }

    /// Appends valid records with interned codes until `records` holds `count` or the file ends; rows with problems
    /// are recorded in `issues` and skipped. Plain lines are split in place, in runs; a line the fast parse refuses,
    /// and any record that is not a plain line, go through the row reader.
    public func read(into records: inout [PackedHistoryRecord], count: Int) throws {
        while records.count < count {
            let handed = try cursor.forEachPlainLine { line, number in
                if let packed = fast(line, row: number) {
                    records.append(packed)
                } else if let row = cursor.plainRow(line, number: number).nonBlank, let record = slow(row) {
                    records.append(pack(record, row: number))
                }
                return records.count < count
            }
            if handed > 0 { continue }
            guard let row = try cursor.next() else { return }
            if case .csv(let record, _) = row.storage, let packed = fast(record, row: row.number) {
                records.append(packed)  // quoted fields, unquoted by the reader
            } else if let parsed = slow(row) {
                records.append(pack(parsed, row: row.number))
            }
        }
    }

    private func pack(_ r: HistoryRecord, row: Int) -> PackedHistoryRecord {
        PackedHistoryRecord(
            row: row, institution: slot(institution: r.institutionCode), spec: slot(spec: r.specCode),
            month: r.month, quantity: r.quantity, amount: r.amount)
    }

    private func slot(institution code: String) -> Int32 { institutions.number(code) }
    private func slot(spec code: String) -> Int32 { specs.number(code) }

    /// A well-formed plain line without decoding its fields into Strings: the codes are compared with the last
    /// ones as bytes (they come in runs) and interned on a change; month, quantity and amount are parsed from the
    /// bytes. Nil sends the line to the row reader, which gives the reasons.
    /// Every field it accepts is ASCII, the same bytes in UTF-8 and in GB18030.
    private func fast(_ line: UnsafeBufferPointer<UInt8>, row: Int) -> PackedHistoryRecord? {
        fast(line, fields: bounds.split(line), row: row)
    }

    /// The same for a record the CSV reader has unquoted (fields back to back in its storage).
    private func fast(_ record: CSVRecord, row: Int) -> PackedHistoryRecord? {
        guard let count = bounds.take(record) else { return nil }
        return record.storage.withUnsafeBufferPointer { fast($0, fields: count, row: row) }
    }

    /// The record whose first `fields` field bounds are in `bounds`, over `bytes`.
    private func fast(_ bytes: UnsafeBufferPointer<UInt8>, fields count: Int, row: Int) -> PackedHistoryRecord? {
        guard count >= neededFields else { return nil }
        func field(_ k: Int) -> UnsafeBufferPointer<UInt8> { bounds.field(k, of: bytes) }
        let inst = field(columns.inst)
        if inst.count != lastInstitution.count || memcmp(lastBytes, inst.baseAddress!, inst.count) != 0 {
            guard inst.count == 18, let text = String(validating: inst, as: UTF8.self), case .success = CreditCode.parse(text) else { return nil }
            lastBytes.update(from: inst.baseAddress!, count: 18)
            lastInstitution = (18, slot(institution: text))
        }
        let spec = field(columns.spec)
        if spec.count != lastSpec.count || memcmp(lastBytes + 64, spec.baseAddress!, spec.count) != 0 {
            guard ByteFields.isCode(spec) else { return nil }
            (lastBytes + 64).update(from: spec.baseAddress!, count: spec.count)
            lastSpec = (spec.count, slot(spec: String(decoding: spec, as: UTF8.self)))
        }
        // 2025-01 or 202501
        let monthBytes = field(columns.month)
        guard monthBytes.count == 7 || monthBytes.count == 6 else { return nil }
        let mi = monthBytes.count == 7 ? 5 : 4
        guard monthBytes.count == 6 || monthBytes[4] == UInt8(ascii: "-") else { return nil }
        let y0 = Int(monthBytes[0]) &- 48
        let y1 = Int(monthBytes[1]) &- 48
        let y2 = Int(monthBytes[2]) &- 48
        let y3 = Int(monthBytes[3]) &- 48
        let m0 = Int(monthBytes[mi]) &- 48
        let m1 = Int(monthBytes[mi + 1]) &- 48
        guard (y0 | y1 | y2 | y3 | m0 | m1) & ~0xF == 0, y0 <= 9, y1 <= 9, y2 <= 9, y3 <= 9, m0 <= 9, m1 <= 9,
            let month = MonthKey(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1)
        else { return nil }
        // Out of bounds: the row reader's path reports it with its reason.
        guard let quantity = ByteFields.quantity(field(columns.quantity)) else { return nil }
        var amount: Fen?
        if let amountColumn = columns.amount, amountColumn < count {
            let amountBytes = field(amountColumn)
            if !amountBytes.isEmpty {
                guard let fen = ByteFields.fen(amountBytes) else { return nil }
                amount = Fen(fen)
            }
        }
        return PackedHistoryRecord(
            row: row, institution: lastInstitution.slot, spec: lastSpec.slot, month: month,
            quantity: quantity, amount: amount)
    }

    /// Any row: every field through the row reader, every problem recorded with its reason.
    private func slow(_ row: TableRow) -> HistoryRecord? {
        var reader = RowReader(row: row, positions: positions, schema: Schemas.history, file: cursor.file)
        let inst = reader.text("institution")
        let spec = reader.text("spec")
        let monthText = reader.text("month")
        let quantity = reader.count("quantity")
        let amountText = positions["amount"] == nil ? "" : reader.text("amount")
        var month = MonthKey(text: monthText)
        if month == nil, let serial = Int(monthText), (20_000...80_000).contains(serial) {
            month = HistoryTable.excelSerialMonth(serial)
        }
        if month == nil && !monthText.isEmpty {
            reader.add("month", zh: "月份格式应为2025-01：“\(monthText)”", en: "month must look like 2025-01: \"\(monthText)\"")
        }
        var amount: Fen?
        if !amountText.isEmpty {
            amount = Fen(yuanText: amountText)
            if amount == nil || amount!.value < 0 {
                reader.add(
                    "amount", zh: "金额应为非负数，最多两位小数：“\(amountText)”",
                    en: "amount must be a non-negative yuan value with at most two decimals: \"\(amountText)\"")
            } else if amount!.value > InputLimits.maxAmountFen {
                reader.add(
                    "amount", zh: "金额超过上限（\(Fen(InputLimits.maxAmountFen).yuanText)元）：“\(amountText)”",
                    en: "the amount exceeds the limit of \(Fen(InputLimits.maxAmountFen).yuanText) yuan: \"\(amountText)\"")
            }
        }
        if !inst.isEmpty, case .failure(let error) = CreditCode.parse(inst) { reader.add("institution", zh: error.message.zh, en: error.message.en) }
        for issue in reader.issues { issues.add(issue) }
        guard reader.issues.isEmpty, let month, let quantity, !inst.isEmpty, !spec.isEmpty else { return nil }
        return HistoryRecord(institutionCode: inst, specCode: spec, month: month, quantity: quantity, amount: amount)
    }
}

public enum HistoryTable {
    /// Calls `body` for every valid row; the problems of the file replace `issues`, and bad rows are skipped.
    public static func read(_ path: String, issues: inout IssueCollector, body: (Int, HistoryRecord) throws -> Void) throws {
        let cursor = try HistoryCursor(path: path, issueLimit: issues.limit)
        while let (row, record) = try cursor.next() { try body(row, record) }
        issues = cursor.issues
    }

    /// Excel turns "2025-01" typed into a cell into a date; its serial counts days from 1899-12-30.
    static func excelSerialMonth(_ serial: Int) -> MonthKey? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let base = cal.date(from: DateComponents(year: 1899, month: 12, day: 30))!
        let components = cal.dateComponents([.year, .month], from: base.addingTimeInterval(Double(serial) * 86_400))
        return MonthKey(year: components.year!, month: components.month!)
    }
}

/// One row of a demand file.
public struct DemandRecord: Sendable, Hashable {
    public var institutionCode: String
    public var line: DemandLine
    public var explanation: String
    public var letter: CommitmentLetter?
    public var exclusion: SpecialNeedsExclusion?
}

public enum DemandTable {
    public static func read(_ path: String) throws -> [Located<DemandRecord>] {
        let rows = try readAll(path, Schemas.demand) { r -> DemandRecord? in
            let inst = r.text("institution")
            let spec = r.text("spec")
            let product = r.text("product")
            let quantity = r.count("quantity")
            let explanation = r.text("explanation")
            let letterFile = r.text("letter")
            let signer = r.text("signer")
            let title = r.text("signerTitle")
            let excluded = r.count("exclusion")
            let exclusionReason = r.text("exclusionReason")
            if !inst.isEmpty, case .failure(let error) = CreditCode.parse(inst) { r.add("institution", zh: error.message.zh, en: error.message.en) }
            guard !inst.isEmpty, !spec.isEmpty, let quantity else { return nil }
            let letter = letterFile.isEmpty ? nil : CommitmentLetter(fileName: letterFile, signerName: signer, signerTitle: title)
            return DemandRecord(
                institutionCode: inst, line: DemandLine(specCode: spec, productCode: product.isEmpty ? nil : product, quantity: quantity),
                explanation: explanation, letter: letter,
                exclusion: excluded.map { SpecialNeedsExclusion(specCode: spec, quantity: $0, reason: exclusionReason) })
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.demand.column("spec").zh) {
            "\($0.institutionCode) \($0.line.specCode) \($0.line.productCode ?? "")"
        }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

/// One row of an account file.
public struct AccountRecord: Sendable, Hashable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var organisationCode: String?
    public var regionCode: String?
    public var password: String?

    public init(username: String, displayName: String, role: Role, organisationCode: String?, regionCode: String?, password: String?) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.organisationCode = organisationCode
        self.regionCode = regionCode
        self.password = password
    }
}

public enum AccountTable {
    public static func read(_ path: String) throws -> [Located<AccountRecord>] {
        let rows = try readAll(path, Schemas.accounts) { r -> AccountRecord? in
            let username = r.text("username")
            let name = r.text("name")
            let roleText = r.text("role")
            let org = r.text("organisation")
            let region = r.text("region")
            let password = r.text("password")
            let allowed = username.unicodeScalars.allSatisfy { ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || $0 == "_" || $0 == "-" }
            if !username.isEmpty && (!allowed || username.count < 3 || username.count > 64) {
                r.add("username", zh: "账号只能由字母、数字、下划线或短横线组成，3–64位", en: "a user name has 3–64 letters, digits, _ or -")
            }
            let role = Role.parse(roleText)
            if !roleText.isEmpty && role == nil { r.add("role", zh: "未知角色“\(roleText)”", en: "unknown role \"\(roleText)\"") }
            if let role {
                if role.needsOrganisation && org.isEmpty { r.add("organisation", zh: "该角色须填写机构编码", en: "this role needs an organisation code") }
                if !role.needsOrganisation && region.isEmpty { r.add("region", zh: "该角色须填写区划代码", en: "this role needs a region code") }
                if !role.needsOrganisation, !region.isEmpty, case .failure(let error) = DivisionCode.parse(region) {
                    r.add("region", zh: error.message.zh, en: error.message.en)
                }
            }
            if !org.isEmpty, case .failure(let error) = CreditCode.parse(org) { r.add("organisation", zh: error.message.zh, en: error.message.en) }
            if !password.isEmpty, let problem = LoginPolicy().problem(newPassword: password, username: username, current: nil) {
                r.add("password", zh: problem.zh, en: problem.en)
            }
            guard !username.isEmpty, let role else { return nil }
            return AccountRecord(
                username: username, displayName: name.isEmpty ? username : name, role: role,
                organisationCode: role.needsOrganisation ? org : nil, regionCode: role.needsOrganisation ? nil : region,
                password: password.isEmpty ? nil : password)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.accounts.column("username").zh) { $0.username }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

public enum ResultTable {
    /// Reads a winning-results file: every row checked on its own (price with at most two decimals, a known role,
    /// a backup order only on backup rows, division codes of 2, 4 or 6 digits); the catalogue checks are the
    /// service's.
    public static func read(_ path: String) throws -> [Located<ResultEntry>] {
        let rows = try readAll(path, Schemas.results) { r -> ResultEntry? in
            let product = r.text("product")
            let roleText = r.text("role")
            let order = r.count("backupOrder")
            let price = money(&r, "packPrice")
            let reference = money(&r, "referencePrice")
            let regions = regionList(&r)
            let insurance = r.text("insuranceCode")
            let restricted = r.flag("restricted")
            let packSize = r.count("packSize")
            if packSize == 0 { r.add("packSize", zh: "包装数量须大于0", en: "pack size must be more than 0") }
            guard let role = AwardRole.parse(roleText) else {
                r.add("role", zh: "应填“中选”或“备供”：“\(roleText)”", en: "must be 中选 (winner) or 备供 (backup): \"\(roleText)\"")
                return nil
            }
            if role == .backup && (order ?? 0) < 1 {
                r.add("backupOrder", zh: "备供企业应填顺位（1、2…）", en: "a backup supplier needs its order (1, 2…)")
            } else if role == .winner && order != nil {
                r.add("backupOrder", zh: "中选企业不填备供顺位", en: "a winner has no backup order")
            }
            if let price, price <= 0 { r.add("packPrice", zh: "中选价格应大于0", en: "the winning price must be above 0") }
            guard !product.isEmpty, let price else { return nil }
            return ResultEntry(
                productCode: product, role: role, backupOrder: order.map { Int($0) }, packPriceFen: price, referencePriceFen: reference,
                regions: regions, insuranceCode: insurance, restricted: restricted, packSize: packSize)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.results.column("product").zh) { $0.productCode }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }

    /// A yuan amount with at most two decimals, in fen; nil when empty or bad (a bad one is an issue).
    static func money(_ r: inout RowReader, _ key: String) -> Int64? {
        let text = r.text(key)
        guard !text.isEmpty else { return nil }
        guard let fen = Fen(yuanText: text), fen.value >= 0, fen.value <= InputLimits.maxAmountFen else {
            r.add(
                key, zh: "金额应为非负数，最多两位小数：“\(text)”",
                en: "must be a non-negative yuan amount with at most two decimals: \"\(text)\"")
            return nil
        }
        return fen.value
    }

    static func regionList(_ r: inout RowReader) -> [String] {
        let text = r.text("regions")
        let parts = text.split(whereSeparator: { "、,，;； ".contains($0) }).map(String.init)
        for part in parts where ![2, 4, 6].contains(part.count) || !part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            r.add("regions", zh: "区划代码应为2、4或6位数字：“\(part)”", en: "a division code has 2, 4 or 6 digits: \"\(part)\"")
        }
        return parts
    }
}

/// One row of a distributors file.
public struct DistributorRecord: Sendable, Hashable {
    public var manufacturerCode: String
    public var area: String
    public var distributorCode: String
}

public enum DistributorTable {
    public static func read(_ path: String) throws -> [Located<DistributorRecord>] {
        let rows = try readAll(path, Schemas.distributors) { r -> DistributorRecord? in
            let maker = r.text("manufacturer")
            let area = r.text("area")
            let distributor = r.text("distributor")
            for key in ["manufacturer", "distributor"] {
                let value = key == "manufacturer" ? maker : distributor
                if !value.isEmpty, case .failure(let error) = CreditCode.parse(value) { r.add(key, zh: error.message.zh, en: error.message.en) }
            }
            if !area.isEmpty && (area.count != 4 || !area.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })) {
                r.add("area", zh: "统筹区代码应为4位数字：“\(area)”", en: "a coordination area has 4 digits: \"\(area)\"")
            }
            guard !maker.isEmpty, !area.isEmpty, !distributor.isEmpty else { return nil }
            return DistributorRecord(manufacturerCode: maker, area: area, distributorCode: distributor)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.distributors.column("distributor").zh) {
            "\($0.manufacturerCode) \($0.area) \($0.distributorCode)"
        }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}

public enum ListingTable {
    public static func read(_ path: String) throws -> [Located<ListingEntry>] {
        let rows = try readAll(path, Schemas.listings) { r -> ListingEntry? in
            let product = r.text("product")
            let categoryText = r.text("category")
            let price = ResultTable.money(&r, "packPrice")
            let category = ListingCategory.parse(categoryText)
            if !categoryText.isEmpty && category == nil {
                r.add(
                    "category", zh: "应为原研药、参比制剂、过评仿制药、未过评仿制药或医用耗材：“\(categoryText)”",
                    en: "must be originator, reference, passed generic, non-passed generic or consumable: \"\(categoryText)\"")
            }
            if let price, price <= 0 { r.add("packPrice", zh: "挂网价格应大于0", en: "the listing price must be above 0") }
            guard !product.isEmpty, let category, let price else { return nil }
            return ListingEntry(productCode: product, category: category, packPriceFen: price)
        }
        let file = (path as NSString).lastPathComponent
        let dups = duplicateIssues(rows, file: file, column: Schemas.listings.column("product").zh) { $0.productCode }
        if !dups.isEmpty { throw ImportFailure(issues: dups) }
        return rows
    }
}
