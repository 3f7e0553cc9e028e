import Foundation
import JicaiCore
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif

public enum XLSXError: Error, Sendable {
    case invalid(LocalizedText)
}

/// Reads the rows of one sheet of an XLSX workbook as text. The sheet is extracted to a temporary file and parsed
/// from a stream (FoundationXML's `XMLParser(data:)` fails on Linux above about 10 MB). Relationships are parsed as
/// XML, since writers order attributes differently.
public enum XLSXReader {
    /// Calls `body` with each non-empty row's 1-based number and its cells by column (missing cells are "").
    /// Reads the first sheet unless `sheetName` is given.
    public static func readRows(path: String, sheetName: String? = nil, body: (Int, [String]) throws -> Void) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw XLSXError.invalid(LocalizedText(zh: "不是有效的XLSX文件（无法解压）", en: "not a valid XLSX file (cannot unzip)"))
        }
        func part(_ name: String) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw XLSXError.invalid(LocalizedText(zh: "XLSX文件缺少工作簿（xl/workbook.xml）", en: "the XLSX file has no workbook (xl/workbook.xml)"))
        }
        let sheets = ElementCollector.collect(workbook, element: "sheet")
        let chosen = sheetName.flatMap { n in sheets.first { $0["name"] == n } } ?? sheets.first
        guard let chosen, let rid = chosen["r:id"] ?? chosen.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw XLSXError.invalid(LocalizedText(zh: "XLSX文件中没有工作表", en: "the XLSX file has no sheet"))
        }
        let rels = try part("xl/_rels/workbook.xml.rels").map { ElementCollector.collect($0, element: "Relationship") } ?? []
        guard var target = rels.first(where: { $0["Id"] == rid })?["Target"] else {
            throw XLSXError.invalid(LocalizedText(zh: "找不到工作表文件", en: "the sheet's part is missing"))
        }
        if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
        let shared = try part("xl/sharedStrings.xml").map(SharedStringsParser.parse) ?? []
        guard let entry = archive[target] else {
            throw XLSXError.invalid(LocalizedText(zh: "找不到工作表文件\(target)", en: "the sheet part \(target) is missing"))
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        _ = try archive.extract(entry, to: temp, skipCRC32: true)
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

    /// Column index of a cell reference such as "AB12" (0-based), nil when malformed.
    static func columnIndex(_ ref: String) -> Int? {
        var n = 0
        var any = false
        for b in ref.utf8 {
            guard b >= 65, b <= 90 else { break }
            n = n * 26 + Int(b - 64)
            any = true
        }
        return any ? n - 1 : nil
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

    static func parse(_ data: Data) -> [String] {
        let p = XMLParser(data: data)
        let d = SharedStringsParser()
        p.delegate = d
        _ = p.parse()
        return d.strings
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
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Phonetic runs (rPh) are furigana-style annotations, not part of the text.
        if inText && !inPhonetic { current += string }
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
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            row.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex) ?? nextColumn
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
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
