import Foundation
import JicaiCore
import JicaiInterchange
import ZIPFoundation

/// The inputs that reach the platform from outside, as fuzz targets: each takes arbitrary bytes and must end with a
/// result or a clear error, never a trap, a hang or unbounded memory. libFuzzer drives them (`scripts/fuzz.sh`);
/// the test suite replays every file of the seed corpus (`Tests/JicaiInterchangeTests/Corpus/<target>/`) through them, so a crash once
/// found stays a regression test.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The CSV reader: encodings, quotes, line ends, field limits.
    case csv
    /// The XLSX reader on raw bytes (ZIP container and all).
    case xlsx
    /// The XLSX reader on a well-formed workbook whose sheet and shared-strings XML come from the input.
    case sheet
    /// Every table parser (regions, organisations, catalogue, products, history, demand, accounts) on CSV bytes;
    /// the first byte picks the table.
    case tables
    /// A report as the API and the form send it (JSON draft, form fields, typed quantities), validated against a
    /// catalogue with very different contents and checked.
    case report
    /// The award and monitoring readers (results, listings, distributors, usage, purchases) on CSV bytes; the first
    /// byte picks the table.
    case award
    /// The purchases reader's fast path against its row reader: the same lines read plain and with every field
    /// quoted (which sends them through the row reader) give the same records and the same refused rows.
    case purchases

    /// Runs the target on one input. Returns normally for every input; errors of the code under test are expected.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: FuzzTarget.csv(bytes)
        case .xlsx: FuzzTarget.withFile(bytes, ext: "xlsx") { path in FuzzTarget.readSheet(path) }
        case .sheet: FuzzTarget.sheet(bytes)
        case .tables: FuzzTarget.tables(bytes)
        case .report: FuzzTarget.report(bytes)
        case .award: FuzzTarget.award(bytes)
        case .purchases: FuzzTarget.purchases(bytes)
        }
    }

    static func csv(_ bytes: [UInt8]) {
        guard let reader = try? CSVReader(bytes: bytes, maxFieldBytes: 4096) else { return }
        var record = CSVRecord()
        var rows = 0
        while rows < 100_000, (try? reader.next(into: &record)) == true {
            for index in 0..<record.count { _ = record.withField(index) { reader.encoding.decode($0) } }
            rows += 1
        }
    }

    static func readSheet(_ path: String) {
        var cells = 0
        _ = try? XLSXReader.readRows(path: path) { _, row in cells += row.count }
    }

    /// Input: sheet XML, then (after a NUL byte, if any) the shared-strings XML; wrapped in a valid workbook.
    static func sheet(_ bytes: [UInt8]) {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let sheetXML = Data(bytes[..<split])
        let shared = split < bytes.count ? Data(bytes[(split + 1)...]) : nil
        guard let data = workbook(sheet: sheetXML, sharedStrings: shared) else { return }
        withFile(Array(data), ext: "xlsx") { readSheet($0) }
    }

    /// A minimal XLSX package around the given parts.
    public static func workbook(sheet: Data, sharedStrings: Data?) -> Data? {
        guard let archive = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return nil }
        var parts: [(String, Data)] = [
            (
                "[Content_Types].xml",
                Data(
                    #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
                        .utf8)
            ),
            (
                "xl/workbook.xml",
                Data(
                    #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                        .utf8)
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Data(
                    #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                        .utf8)
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        do {
            for (path, data) in parts {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch { return nil }
        return archive.data
    }

    static func tables(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        withFile(body, ext: "csv") { path in
            switch first % 7 {
            case 0: _ = try? RegionTable.read(path)
            case 1: _ = try? OrganisationTable.read(path)
            case 2: _ = try? CatalogueTable.read(path)
            case 3: _ = try? ProductTable.read(path)
            case 4:
                var issues = IssueCollector(limit: 50)
                _ = try? HistoryTable.read(path, issues: &issues) { _, _ in }
            case 5: _ = try? DemandTable.read(path)
            default: _ = try? AccountTable.read(path)
            }
        }
    }

    static func award(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        withFile(Array(bytes.dropFirst()), ext: "csv") { path in
            switch first % 8 {
            case 0: _ = try? ResultTable.read(path)
            case 1: _ = try? ListingTable.read(path)
            case 2: _ = try? DistributorTable.read(path)
            case 3: _ = try? UsageTable.read(path)
            case 4: _ = try? SupplyTables.orders(path)
            case 5: _ = try? SupplyTables.money(path)
            case 6: _ = try? SupplyTables.settledCodes(path)
            default: _ = readPurchases(path)
            }
        }
    }

    /// Every record the purchases reader accepts, and the rows it refuses.
    public static func readPurchases(_ path: String) -> (records: [Located<PurchaseRecord>], refused: [Int])? {
        guard let cursor = try? PurchaseCursor(path: path, issueLimit: 100_000) else { return nil }
        var records: [Located<PurchaseRecord>] = []
        while records.count < 200_000, let next = try? cursor.read(count: 1000), !next.isEmpty { records += next }
        return (records, cursor.issues.issues.map(\.row).sorted())
    }

    public static let purchasesHeader = "机构编码,产品编码,订单日期,配送日期,验收日期,数量（最小单位）,金额（元）,订单号\n"

    /// Input: purchase lines (the header is added); lines with a quote are left out, the rest read twice. Quotes, CRs
    /// and commas are found by their bytes, as the reader finds them: a comma followed by a combining mark is one
    /// Character to Swift but still a field separator in the file (a harness that split on Characters quoted two
    /// fields as one and reported its own mistake as a difference).
    static func purchases(_ bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .filter { !$0.utf8.contains(0x22) && !$0.utf8.contains(0x0D) && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(2000)
        let plain = purchasesHeader + lines.joined(separator: "\n") + "\n"
        func quotedLine(_ line: Substring) -> String {
            line.unicodeScalars.split(separator: ",", omittingEmptySubsequences: false).map { "\"\(String(String.UnicodeScalarView($0)))\"" }
                .joined(separator: ",")
        }
        let quoted = purchasesHeader + lines.map(quotedLine).joined(separator: "\n") + "\n"
        var fast: (records: [Located<PurchaseRecord>], refused: [Int])?
        var slow: (records: [Located<PurchaseRecord>], refused: [Int])?
        withFile(Array(plain.utf8), ext: "csv") { fast = readPurchases($0) }
        withFile(Array(quoted.utf8), ext: "csv") { slow = readPurchases($0) }
        guard let fast, let slow else { return }
        // One rule on both paths: a difference is a finding (libFuzzer saves the input).
        precondition(fast.refused == slow.refused, "refused rows differ: fast \(fast.refused.prefix(5)), rows \(slow.refused.prefix(5))")
        precondition(
            fast.records.map(\.row) == slow.records.map(\.row) && fast.records.map(\.value) == slow.records.map(\.value),
            "records differ between the fast path and the row reader")
    }

    /// A catalogue whose merged specs differ in content by a factor of 10⁹ (1 µg against 1 kg), so conversions of
    /// large quantities would overflow anything narrower than the checks use.
    public static let catalogue: Catalogue = {
        let varieties = [
            Variety(code: "V1", genericName: "甲", route: "口服"),
            Variety(code: "V2", genericName: "乙", route: "注射", flags: VarietyFlags(rising: true)),
            Variety(code: "V3", genericName: "丙", route: "口服", flags: VarietyFlags(antimicrobial: true)),
        ]
        func spec(_ code: String, _ variety: String, _ content: String, passed: Bool = true, separate: Bool = false) -> Spec {
            Spec(
                code: code, varietyCode: variety, dosageForm: "片剂", strength: content, content: EffectiveContent(text: content)!,
                minimalUnit: "片", packSize: 10, passedEvaluation: passed, nonSubstitutable: separate)
        }
        let specs = [
            spec("S11", "V1", "1μg"), spec("S12", "V1", "1000g"), spec("S13", "V1", "0.5mg", passed: false),
            spec("S21", "V2", "2mg"), spec("S22", "V2", "2mg", separate: true),
            spec("S31", "V3", "0.25g"), spec("S32", "V3", "500mg"),
        ]
        let products = [Product(code: "P11", specCode: "S11", manufacturerName: "甲药业", brand: "甲")]
        return try! Catalogue(varieties: varieties, specs: specs, products: products)
    }()

    static func report(_ bytes: [UInt8]) {
        let checker = DemandChecker(catalogue: catalogue, policy: .default)
        let text = String(decoding: bytes, as: UTF8.self)
        // The API's JSON body.
        if let input = try? JSONDecoder().decode(DraftInput.self, from: Data(bytes)), case .success(let clean) = input.validated(against: catalogue) {
            check(checker, clean)
        }
        // The web form's fields: "name=value" lines, names like q.S11, p.S11, e.V1, x.V1, xs.V1, xr.V1.
        var fields: [String: [String: String]] = [:]
        for line in text.split(separator: "\n").prefix(200) {
            let pair = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0].split(separator: ".", maxSplits: 1)
            guard name.count == 2 else { continue }
            fields[String(name[0]), default: [:]][String(name[1])] = pair.count > 1 ? String(pair[1]) : ""
        }
        let parsed = DraftInput.fromForm(
            quantities: fields["q"] ?? [:], brands: fields["p"] ?? [:], explanations: fields["e"] ?? [:],
            exclusions: fields["x"] ?? [:], exclusionSpecs: fields["xs"] ?? [:], exclusionReasons: fields["xr"] ?? [:])
        if case .success(let input) = parsed, case .success(let clean) = input.validated(against: catalogue) { check(checker, clean) }
        _ = QuantityText.parse(text)
    }

    /// Checks the draft against a history built from the same quantities, as the form and the summaries do.
    static func check(_ checker: DemandChecker, _ input: DraftInput) {
        var history: [String: Int64] = [:]
        for line in input.lines { history[line.specCode, default: 0] = max(history[line.specCode, default: 0], line.quantity / 2) }
        let demand = InstitutionDemand(
            institutionCode: "X", history: history, lines: input.lines, exclusions: input.exclusions,
            explanations: input.explanations)
        let result = checker.check(demand)
        for finding in result.findings { _ = finding.numbers.count }
        for totals in result.units { _ = (totals.historyDisplay, totals.reportedDisplay, totals.percentOfHistory) }
    }

    /// Writes the input to a temporary file for the readers that take a path, and removes it.
    static func withFile(_ bytes: [UInt8], ext: String, _ body: (String) -> Void) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-fuzz-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).\(ext)")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else { return }
        defer { try? FileManager.default.removeItem(at: url) }
        body(url.path)
    }
}
