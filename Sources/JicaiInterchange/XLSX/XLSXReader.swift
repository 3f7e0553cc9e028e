import Foundation
import JicaiCore
#if canImport(FoundationXML)
import FoundationXML
#endif

public enum XLSXError: Error, Sendable {
    /// The file cannot be read; `row` is the sheet row where that was found (0 for the whole file).
    case invalid(LocalizedText, row: Int = 0)

    static func tooLarge(_ part: String, limit: Int64) -> XLSXError {
        .invalid(LocalizedText(zh: "XLSX文件的\(part)解压后超过\(limit >> 20) MB（或压缩比异常），拒绝读取",
                               en: "the XLSX part \(part) inflates beyond \(limit >> 20) MB (or compresses suspiciously well); refused"))
    }
}

/// Reads the rows of one sheet of an XLSX workbook as text. The sheet is extracted to a temporary file and parsed
/// from a stream (FoundationXML's `XMLParser(data:)` fails on Linux above about 10 MB). Relationships are parsed as
/// XML, since writers order attributes differently. Every part is inflated (`ZipReader`) under a byte limit and a
/// compression-ratio limit, counted as the bytes come out (a ZIP's declared sizes can lie), and rows, columns and cell
/// text are bounded (`InputLimits`), so a hostile workbook is a clear error after a bounded amount of work.
public enum XLSXReader {
    /// Calls `body` with each non-empty row's 1-based number and its cells by column (missing cells are "").
    /// Reads the first sheet unless `sheetName` is given.
    public static func readRows(path: String, sheetName: String? = nil, body: (Int, [String]) throws -> Void) throws {
        let archive: ZipReader
        do {
            archive = try ZipReader(path: path)
        } catch {
            throw ZipReader.invalid
        }
        defer { archive.close() }
        func part(_ name: String, limit: Int64) throws -> Data? {
            guard let entry = archive.parts[name] else { return nil }
            var data = Data()
            try archive.inflate(entry, limit: limit) { data.append($0) }
            return data
        }
        guard let workbook = try part("xl/workbook.xml", limit: InputLimits.maxSmallPartBytes) else {
            throw XLSXError.invalid(LocalizedText(zh: "XLSX文件缺少工作簿（xl/workbook.xml）", en: "the XLSX file has no workbook (xl/workbook.xml)"))
        }
        let sheets = ElementCollector.collect(workbook, element: "sheet")
        let chosen = sheetName.flatMap { n in sheets.first { $0["name"] == n } } ?? sheets.first
        guard let chosen, let rid = chosen["r:id"] ?? chosen.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw XLSXError.invalid(LocalizedText(zh: "XLSX文件中没有工作表", en: "the XLSX file has no sheet"))
        }
        let rels = try part("xl/_rels/workbook.xml.rels", limit: InputLimits.maxSmallPartBytes)
            .map { ElementCollector.collect($0, element: "Relationship") } ?? []
        guard var target = rels.first(where: { $0["Id"] == rid })?["Target"] else {
            throw XLSXError.invalid(LocalizedText(zh: "找不到工作表文件", en: "the sheet's part is missing"))
        }
        if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
        let shared = try part("xl/sharedStrings.xml", limit: InputLimits.maxSharedStringsPartBytes).map(SharedStringsParser.parse) ?? []
        guard let entry = archive.parts[target] else {
            throw XLSXError.invalid(LocalizedText(zh: "找不到工作表文件\(target)", en: "the sheet part \(target) is missing"))
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        guard FileManager.default.createFile(atPath: temp.path, contents: nil), let out = FileHandle(forWritingAtPath: temp.path) else {
            throw XLSXError.invalid(LocalizedText(zh: "无法写入临时文件", en: "cannot write a temporary file"))
        }
        do {
            try archive.inflate(entry, limit: InputLimits.maxSheetPartBytes) { try out.write(contentsOf: $0) }
            try out.close()
        } catch {
            try? out.close()
            throw error
        }
        guard let stream = InputStream(url: temp) else {
            throw XLSXError.invalid(LocalizedText(zh: "无法读取工作表", en: "cannot read the sheet"))
        }
        try withoutActuallyEscaping(body) { body in
            let parser = XMLParser(stream: stream)
            let delegate = SheetParser(shared: shared, body: body)
            parser.delegate = delegate
            let ok = parser.parse()
            if let error = delegate.error { throw error }
            if !ok {
                throw XLSXError.invalid(LocalizedText(
                    zh: "工作表XML格式错误：\(parser.parserError?.localizedDescription ?? "")",
                    en: "the sheet's XML is malformed: \(parser.parserError?.localizedDescription ?? "")"))
            }
        }
    }

    /// Column index of a cell reference such as "AB12" (0-based): one to three letters, at most XFD
    /// (`InputLimits.maxSheetColumns`), followed by the row number; nil otherwise.
    static func columnIndex(_ ref: String) -> Int? {
        var n = 0
        var letters = 0
        var rest = Substring(ref).utf8[...]
        while let b = rest.first, b >= 65, b <= 90 {
            letters += 1
            guard letters <= 3 else { return nil }
            n = n * 26 + Int(b - 64)
            rest = rest.dropFirst()
        }
        guard letters > 0, n <= InputLimits.maxSheetColumns, !rest.isEmpty, rest.count <= 7,
              rest.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return n - 1
    }

    /// A row number attribute: 1 … `InputLimits.maxSheetRows`.
    static func rowNumber(_ text: String) -> Int? {
        guard text.utf8.count <= 7, let n = Int(text), n >= 1, n <= InputLimits.maxSheetRows else { return nil }
        return n
    }
}

/// Collects the attributes of every element with a given name (small parts only).
final class ElementCollector: NSObject, XMLParserDelegate {
    let element: String
    var found: [[String: String]] = []
    init(element: String) { self.element = element }

    static func collect(_ data: Data, element: String) -> [[String: String]] {
        let p = XMLParser(data: data)
        let c = ElementCollector(element: element)
        p.delegate = c
        _ = p.parse()
        return c.found
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if name == element || name.hasSuffix(":" + element) { found.append(attributes) }
    }
}

final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false
    var error: XLSXError?

    static func parse(_ data: Data) throws -> [String] {
        let p = XMLParser(data: data)
        let d = SharedStringsParser()
        p.delegate = d
        _ = p.parse()
        if let e = d.error { throw e }
        return d.strings
    }

    private func fail(_ parser: XMLParser, _ zh: String, _ en: String) {
        error = .invalid(LocalizedText(zh: zh, en: en))
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        switch name {
        case "si": current = ""
        case "t": inText = true
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si":
            guard strings.count < InputLimits.maxSharedStrings else {
                return fail(parser, "共享字符串超过\(InputLimits.maxSharedStrings)个", "more than \(InputLimits.maxSharedStrings) shared strings")
            }
            strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Phonetic runs (rPh) are furigana-style annotations, not part of the text.
        guard inText && !inPhonetic, error == nil else { return }
        current += string
        if current.utf8.count > InputLimits.maxCellTextCharacters * 4 || current.count > InputLimits.maxCellTextCharacters {
            fail(parser, "单元格文字超过\(InputLimits.maxCellTextCharacters)个字符", "a cell's text exceeds \(InputLimits.maxCellTextCharacters) characters")
        }
    }
}

final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    let body: (Int, [String]) throws -> Void
    var error: Error?
    var row: [String] = []
    var rowNumber = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var inValue = false
    var nextColumn = 0

    init(shared: [String], body: @escaping (Int, [String]) throws -> Void) {
        self.shared = shared
        self.body = body
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        guard error == nil else { return }
        switch name {
        case "row":
            if let r = attributes["r"] {
                guard let n = XLSXReader.rowNumber(r), n > rowNumber else {
                    return fail(parser, zh: "行号“\(r.prefix(20))”无效（应为1至\(InputLimits.maxSheetRows)且递增）",
                                en: "row number \"\(r.prefix(20))\" is invalid (1 to \(InputLimits.maxSheetRows), ascending)")
                }
                rowNumber = n
            } else {
                guard rowNumber < InputLimits.maxSheetRows else {
                    return fail(parser, zh: "超过\(InputLimits.maxSheetRows)行", en: "more than \(InputLimits.maxSheetRows) rows")
                }
                rowNumber += 1
            }
            row.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            if let r = attributes["r"] {
                guard let column = XLSXReader.columnIndex(r) else {
                    return fail(parser, zh: "单元格引用“\(r.prefix(20))”无效（列最多到XFD）", en: "cell reference \"\(r.prefix(20))\" is invalid (columns end at XFD)")
                }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            guard cellColumn < InputLimits.maxSheetColumns else {
                return fail(parser, zh: "超过\(InputLimits.maxSheetColumns)列", en: "more than \(InputLimits.maxSheetColumns) columns")
            }
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard inValue, error == nil else { return }
        value += string
        if value.utf8.count > InputLimits.maxCellTextCharacters * 4 || value.count > InputLimits.maxCellTextCharacters {
            fail(parser, zh: "单元格文字超过\(InputLimits.maxCellTextCharacters)个字符", en: "a cell's text exceeds \(InputLimits.maxCellTextCharacters) characters")
        }
    }

    private func fail(_ parser: XMLParser, zh: String, en: String) {
        error = XLSXError.invalid(LocalizedText(zh: "第\(rowNumber)行：" + zh, en: "row \(rowNumber): " + en), row: rowNumber)
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard error == nil else { return }
        switch name {
        case "v", "t":
            inValue = false
        case "c":
            var text = value
            if cellType == "s" {
                text = Int(value).flatMap { $0 >= 0 && $0 < shared.count ? shared[$0] : nil } ?? ""
            } else if cellType == "b" {
                text = value == "1" ? "TRUE" : "FALSE"
            }
            if cellColumn >= row.count { row += Array(repeating: "", count: cellColumn - row.count + 1) }
            row[cellColumn] = text
            nextColumn = cellColumn + 1
        case "row":
            guard !row.allSatisfy({ $0.isEmpty }) else { return }
            do { try body(rowNumber, row) } catch {
                self.error = error
                parser.abortParsing()
            }
        default: break
        }
    }
}
