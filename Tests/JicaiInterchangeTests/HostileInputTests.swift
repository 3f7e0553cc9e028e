import Foundation
import JicaiCore
import JicaiFuzzTargets
import Testing
import ZIPFoundation

@testable import JicaiInterchange

/// The seed corpus of the fuzz targets, shipped with this test target.
enum Corpus {
    static func files(_ target: FuzzTarget) throws -> [URL] {
        let folder = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil)).appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
    }

    static func file(_ target: FuzzTarget, _ name: String) throws -> URL {
        try #require(try files(target).first { $0.lastPathComponent == name })
    }
}

func readError(_ url: URL) -> XLSXError? {
    do {
        try XLSXReader.readRows(path: url.path) { _, _ in }
        return nil
    } catch let e as XLSXError {
        return e
    } catch {
        return nil
    }
}

extension XLSXError {
    var text: String { if case .invalid(let t, _) = self { t.zh + " / " + t.en } else { "" } }
}

@Suite("Hostile spreadsheets and CSV: bounded work, clear errors (security review rows 1, 4, 8)")
struct HostileInputTests {
    @Test("Every seed of every fuzz target runs through without a trap (the crashes found stay fixed)", arguments: FuzzTarget.allCases)
    func corpus(target: FuzzTarget) throws {
        let files = try Corpus.files(target)
        #expect(!files.isEmpty)
        for url in files { target.run(Array(try Data(contentsOf: url))) }
    }

    @Test("Cell references: at most three letters up to XFD, then the row; anything else is nil (row 1)")
    func cellReferences() {
        #expect(XLSXReader.columnIndex("A1") == 0)
        #expect(XLSXReader.columnIndex("XFD1048576") == 16383)
        #expect(XLSXReader.columnIndex("XFE1") == nil)
        #expect(XLSXReader.columnIndex("ZZZZZZZZZZZZZZ2") == nil)
        #expect(XLSXReader.columnIndex("AAAA1") == nil)
        #expect(XLSXReader.columnIndex("A") == nil)
        #expect(XLSXReader.columnIndex("1") == nil)
        #expect(XLSXReader.rowNumber("1048576") == 1_048_576)
        #expect(XLSXReader.rowNumber("1048577") == nil)
        #expect(XLSXReader.rowNumber("99999999999999999999") == nil)
    }

    @Test("A 14-letter cell reference is a row-level error, not an allocation of 133 GB (row 1)")
    func overflowingReference() throws {
        let e = try #require(readError(try Corpus.file(.xlsx, "row1-cell-reference-overflow.xlsx")))
        #expect(e.text.contains("ZZZZZZZZZZZZZZ2"))
        guard case .invalid(_, let row) = e else { return }
        #expect(row == 2)
    }

    @Test("A part that inflates past the ratio limit, and a flood of shared strings, are refused (row 4)")
    func bombs() throws {
        let bomb = try Corpus.file(.xlsx, "row4-inflation-bomb.xlsx")
        #expect(try Data(contentsOf: bomb).count < 200_000, "the seed is small")
        let e = try #require(readError(bomb))
        #expect(e.text.contains("MB"))
        let strings = try #require(readError(try Corpus.file(.xlsx, "row4-shared-strings-bomb.xlsx")))
        #expect(strings.text.contains("共享字符串") || strings.text.contains("MB"))
        #expect(readError(try Corpus.file(.xlsx, "valid.xlsx")) == nil)
    }

    @Test("A cell longer than Excel's own limit is refused with its row")
    func longCell() throws {
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>\
            <row r="7"><c r="B7" t="inlineStr"><is><t>\(String(repeating: "长", count: InputLimits.maxCellTextCharacters + 1))</t></is></c></row>\
            </sheetData></worksheet>
            """
        let data = try #require(FuzzTarget.workbook(sheet: Data(sheet.utf8), sharedStrings: nil))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID()).xlsx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var rows = 0
        #expect(throws: XLSXError.self) { try XLSXReader.readRows(path: url.path) { _, _ in rows += 1 } }
        #expect(rows == 1, "the rows before the bad one were read")
    }

    @Test("A cell referring to a shared string that does not exist is an error with its row, not an empty cell (#25 item 12)")
    func sharedStringOutOfRange() throws {
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="s"><v>0</v></c></row>\
            <row r="2"><c r="A2" t="s"><v>7</v></c></row>\
            </sheetData></worksheet>
            """
        let strings = """
            <?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">\
            <si><t>产品编码</t></si></sst>
            """
        let data = try #require(FuzzTarget.workbook(sheet: Data(sheet.utf8), sharedStrings: Data(strings.utf8)))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sst-\(UUID()).xlsx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var read: [[String]] = []
        let error = #expect(throws: XLSXError.self) { try XLSXReader.readRows(path: url.path) { _, row in read.append(row) } }
        #expect(read == [["产品编码"]], "the rows before the bad one were read")
        guard case .invalid(let message, let row)? = error else { return }
        #expect(row == 2 && message.zh.contains("共享字符串"))
    }

    @Test("CSV cells that Excel or WPS would run as formulas get an apostrophe; numbers stay numbers (OWASP; row 8)")
    func formulaInjection() throws {
        let w = CSVWriter(bom: false)
        try w.write(["=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-1+2", "@SUM(A1)", "\tA", "\rB", "-12", "+3.5", "0.25", "普通", "a=b"])
        try w.finish()
        let text = String(decoding: w.output, as: UTF8.self)
        #expect(text == "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",'+1+2,'-1+2,'@SUM(A1),'\tA,\"'\rB\",-12,+3.5,0.25,普通,a=b\r\n")
    }

    @Test("Table quantities above the limit are row errors on every path (fast and row reader), never wrapped")
    func tableQuantities() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).csv")
        try Data(
            "机构编码,规格编码,月份,采购数量,采购金额\n12140100MB0000010B,S021,2025-01,\(InputLimits.maxQuantity + 1),\n12140100MB0000010B,S021,2025-02,12,99999999999.99\n"
                .utf8
        ).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var issues = IssueCollector()
        var rows = 0
        try HistoryTable.read(url.path, issues: &issues) { _, _ in rows += 1 }
        #expect(rows == 0)
        #expect(issues.issues.map(\.row) == [2, 3])
        #expect(issues.issues[0].reason.zh.contains("上限") && issues.issues[1].reason.zh.contains("上限"))
    }

    @Test("A 17-digit amount is a row error on the fast path and in the row reader alike, for history and purchases (#25 item 5)")
    func seventeenDigitAmounts() throws {
        let amount = "99999999999999999"
        let history = "机构编码,规格编码,月份,采购数量,采购金额\n12140100MB0000010B,S021,2025-01,12,\(amount)\n\"12140100MB0000010B\",S021,2025-02,12,\"\(amount)\"\n"
        let hurl = FileManager.default.temporaryDirectory.appendingPathComponent("h17-\(UUID()).csv")
        try Data(history.utf8).write(to: hurl)
        defer { try? FileManager.default.removeItem(at: hurl) }
        var issues = IssueCollector()
        var rows = 0
        try HistoryTable.read(hurl.path, issues: &issues) { _, _ in rows += 1 }
        #expect(rows == 0 && issues.issues.map(\.row) == [2, 3], "the plain row (fast path) and the quoted one (row reader)")
        let line = "12140100MB0000010B,P0112,2026-04-08,2026-04-09,2026-04-10,12,\(amount),D1"
        let quoted = line.split(separator: ",").map { "\"\($0)\"" }.joined(separator: ",")
        let purl = FileManager.default.temporaryDirectory.appendingPathComponent("p17-\(UUID()).csv")
        try Data((FuzzTarget.purchasesHeader + line + "\n" + quoted + "\n").utf8).write(to: purl)
        defer { try? FileManager.default.removeItem(at: purl) }
        let read = try #require(FuzzTarget.readPurchases(purl.path))
        #expect(read.records.isEmpty && read.refused == [2, 3])
    }
}

@Suite("ZIP container: read without trusting it")
struct ZipReaderTests {
    @Test("A deflate stream that ends before its part does is an error, not an endless loop (found by the xlsx fuzz target)")
    func truncatedStream() throws {
        let url = try Corpus.file(.xlsx, "zip-truncated-deflate-loop.xlsx")
        let started = Date()
        #expect(readError(url) != nil)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("Stored and deflated parts read back byte for byte; the output limit holds; a truncated file is refused")
    func parts() throws {
        let sheet = Data(
            #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row></sheetData></worksheet>"#
                .utf8)
        let data = try #require(FuzzTarget.workbook(sheet: sheet, sharedStrings: nil))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID()).xlsx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let zip = try ZipReader(path: url.path)
        defer { zip.close() }
        let part = try #require(zip.parts["xl/worksheets/sheet1.xml"])
        var out = Data()
        try zip.inflate(part, limit: 1 << 20) { out.append($0) }
        #expect(out == sheet)
        #expect(throws: XLSXError.self) { try zip.inflate(part, limit: 10) { _ in } }
        // A stored (uncompressed) part.
        let stored = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        try stored.addEntry(with: "a.xml", type: .file, uncompressedSize: Int64(sheet.count), compressionMethod: .none) { position, size in
            sheet.subdata(in: Int(position)..<Int(position) + size)
        }
        let storedURL = url.appendingPathExtension("stored")
        try #require(stored.data).write(to: storedURL)
        defer { try? FileManager.default.removeItem(at: storedURL) }
        let plain = try ZipReader(path: storedURL.path)
        defer { plain.close() }
        var copy = Data()
        try plain.inflate(try #require(plain.parts["a.xml"]), limit: 1 << 20) { copy.append($0) }
        #expect(copy == sheet && plain.parts["a.xml"]?.method == 0)
        try data.prefix(data.count - 30).write(to: url)
        #expect(throws: (any Error).self) { _ = try ZipReader(path: url.path) }
    }
}

@Suite("XML scanner of workbook parts")
struct XMLScannerTests {
    func events(_ xml: String) throws -> [String] {
        var out: [String] = []
        var scanner = XMLScanner(data: Data(xml.utf8))
        try scanner.scan { event in
            switch event {
            case .start(let name, let attributes, _):
                out.append("<\(name)" + attributes.pairs.sorted { $0.name < $1.name }.map { " \($0.name)=\($0.value)" }.joined() + ">")
            case .end(let name): out.append("</\(name)>")
            case .text(let text): out.append(text)
            }
        }
        return out
    }

    @Test("Elements, prefixed names, attributes in either quotes, entities, character references, CDATA, comments")
    func wellFormed() throws {
        let xml =
            "\u{FEFF}<?xml version=\"1.0\"?><!-- c --><x:a r:id='1' b=\"&lt;&amp;&#x4E2D;&#25991;\"><t>a &gt; b</t><![CDATA[<raw>]]><e/></x:a>\n"
        #expect(try events(xml) == ["<a b=<&中文 r:id=1>", "<t>", "a > b", "</t>", "<raw>", "<e>", "</e>", "</a>"])
    }

    @Test(
        "Refused: document type declarations, unknown entities, mismatched or unclosed tags, text outside the root, control references",
        arguments: [
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a>&nbsp;</a>", "<a></b>", "<a><b></a>", "<a>", "x<a/>", "<a>&#1;</a>",
            "<a b=c/>", "<a " + String(repeating: "x", count: 300) + "=\"1\"/>",
        ])
    func refused(xml: String) {
        #expect(throws: XLSXError.self) { _ = try events(xml) }
    }

    @Test("Broken UTF-8 in names and text is repaired, never a trap (FoundationXML trapped on it)")
    func brokenUTF8() throws {
        var bytes =
            Array("<t5".utf8) + [0xE8, 0xA7, 0x84, 0xE6, 0xA0, 0x44] + Array(">x".utf8) + [0xFF] + Array("</t5".utf8) + [
                0xE8, 0xA7, 0x84, 0xE6, 0xA0, 0x44,
            ] + Array(">".utf8)
        var scanner = XMLScanner(data: Data(bytes))
        var count = 0
        try scanner.scan { _ in count += 1 }
        #expect(count == 3)
        bytes.removeLast()
        var truncated = XMLScanner(data: Data(bytes))
        #expect(throws: XLSXError.self) { try truncated.scan { _ in } }
    }
}
