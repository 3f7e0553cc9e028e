import Foundation
import JicaiCore

public enum XLSXError: Error, Sendable {
    /// The file cannot be read; `row` is the sheet row where that was found (0 for the whole file).
    case invalid(LocalizedText, row: Int = 0)

    static func tooLarge(_ part: String, limit: Int64) -> XLSXError {
        .invalid(
            LocalizedText(
                zh: "XLSX文件的\(part)解压后超过\(limit >> 20) MB（或压缩比异常），拒绝读取",
                en: "the XLSX part \(part) inflates beyond \(limit >> 20) MB (or compresses suspiciously well); refused"))
    }
}

/// Reads the rows of one sheet of an XLSX workbook as text. The sheet is extracted to a temporary file and parsed
/// from a stream by our own `XMLScanner` (FoundationXML's parser traps on some malformed input). Relationships are
/// parsed as XML, since writers order attributes differently. Every part is inflated (`ZipReader`) under a byte limit and a
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
        let sheets = try ElementCollector.collect(workbook, element: "sheet")
        let chosen = sheetName.flatMap { n in sheets.first { $0["name"] == n } } ?? sheets.first
        guard let chosen, let rid = chosen["r:id"] ?? chosen.first(where: { $0.key.hasSuffix(":id") })?.value else {
            throw XLSXError.invalid(LocalizedText(zh: "XLSX文件中没有工作表", en: "the XLSX file has no sheet"))
        }
        let rels =
            try part("xl/_rels/workbook.xml.rels", limit: InputLimits.maxSmallPartBytes)
            .map { try ElementCollector.collect($0, element: "Relationship") } ?? []
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
        guard let handle = FileHandle(forReadingAtPath: temp.path) else {
            throw XLSXError.invalid(LocalizedText(zh: "无法读取工作表", en: "cannot read the sheet"))
        }
        defer { try? handle.close() }
        var scanner = XMLScanner(handle: handle)
        var sheet = SheetReader(shared: shared)
        try scanner.scan { try sheet.take($0, body) }
    }

    /// Column index of a cell reference such as "AB12" (0-based): one to three letters, at most XFD
    /// (`InputLimits.maxSheetColumns`), followed by the row number; nil otherwise.
    static func columnIndex(_ ref: String) -> Int? {
        var column = 0
        var letters = 0
        var rest = Substring(ref).utf8[...]
        while let letter = rest.first, letter >= 65, letter <= 90 {
            letters += 1
            guard letters <= 3 else { return nil }
            column = column * 26 + Int(letter - 64)
            rest = rest.dropFirst()
        }
        guard letters > 0, column <= InputLimits.maxSheetColumns, !rest.isEmpty, rest.count <= 7,
            rest.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return column - 1
    }

    /// A row number attribute: 1 … `InputLimits.maxSheetRows`.
    static func rowNumber(_ text: String) -> Int? {
        guard text.utf8.count <= 7, let number = Int(text), number >= 1, number <= InputLimits.maxSheetRows else { return nil }
        return number
    }
}

/// Collects the attributes of every element with a given name (small parts only).
enum ElementCollector {
    static func collect(_ data: Data, element: String) throws -> [[String: String]] {
        var found: [[String: String]] = []
        var scanner = XMLScanner(data: data)
        try scanner.scan { event in
            if case .start(let name, let attributes, _) = event, name == element {
                found.append(Dictionary(attributes.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        return found
    }
}

/// The shared-strings table: the text of each `si`, phonetic runs (`rPh`, furigana-style annotations) left out.
enum SharedStringsParser {
    static func parse(_ data: Data) throws -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var inPhonetic = false
        var scanner = XMLScanner(data: data)
        try scanner.scan { event in
            switch event {
            case .start(let name, _, _):
                switch name {
                case "si": current = ""
                case "t": inText = true
                case "rPh": inPhonetic = true
                default: break
                }
            case .end(let name):
                switch name {
                case "si":
                    guard strings.count < InputLimits.maxSharedStrings else {
                        throw XLSXError.invalid(
                            LocalizedText(
                                zh: "共享字符串超过\(InputLimits.maxSharedStrings)个",
                                en: "more than \(InputLimits.maxSharedStrings) shared strings"))
                    }
                    strings.append(current)
                case "t": inText = false
                case "rPh": inPhonetic = false
                default: break
                }
            case .text(let text):
                guard inText && !inPhonetic else { return }
                current += text
                if current.count > InputLimits.maxCellTextCharacters {
                    throw XLSXError.invalid(
                        LocalizedText(
                            zh: "单元格文字超过\(InputLimits.maxCellTextCharacters)个字符",
                            en: "a cell's text exceeds \(InputLimits.maxCellTextCharacters) characters"))
                }
            }
        }
        return strings
    }
}

/// Turns the sheet's events into rows: cells placed by their reference (or after the previous one), shared strings
/// and booleans resolved, every bound of `InputLimits` checked with the row it was found on.
struct SheetReader {
    let shared: [String]
    var row: [String] = []
    var rowNumber = 0
    var cellColumn = 0
    var cellType = ""
    var value = ""
    var inValue = false
    var nextColumn = 0

    init(shared: [String]) { self.shared = shared }

    private func fail(zh: String, en: String) -> XLSXError {
        XLSXError.invalid(LocalizedText(zh: "第\(rowNumber)行：" + zh, en: "row \(rowNumber): " + en), row: rowNumber)
    }

    mutating func take(_ event: XMLScanner.Event, _ body: (Int, [String]) throws -> Void) throws {
        switch event {
        case .start(let name, let attributes, _):
            try start(name, attributes)
        case .text(let text):
            guard inValue else { return }
            value += text
            if value.count > InputLimits.maxCellTextCharacters {
                throw fail(
                    zh: "单元格文字超过\(InputLimits.maxCellTextCharacters)个字符", en: "a cell's text exceeds \(InputLimits.maxCellTextCharacters) characters")
            }
        case .end(let name):
            try end(name, body)
        }
    }

    private mutating func start(_ name: String, _ attributes: XMLScanner.Attributes) throws {
        switch name {
        case "row":
            if let cellReference = attributes["r"] {
                guard let number = XLSXReader.rowNumber(cellReference), number > rowNumber else {
                    throw fail(
                        zh: "行号“\(cellReference.prefix(20))”无效（应为1至\(InputLimits.maxSheetRows)且递增）",
                        en: "row number \"\(cellReference.prefix(20))\" is invalid (1 to \(InputLimits.maxSheetRows), ascending)")
                }
                rowNumber = number
            } else {
                guard rowNumber < InputLimits.maxSheetRows else {
                    throw fail(zh: "超过\(InputLimits.maxSheetRows)行", en: "more than \(InputLimits.maxSheetRows) rows")
                }
                rowNumber += 1
            }
            row.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            if let reference = attributes["r"] {
                guard let column = XLSXReader.columnIndex(reference) else {
                    throw fail(
                        zh: "单元格引用“\(reference.prefix(20))”无效（列最多到XFD）",
                        en: "cell reference \"\(reference.prefix(20))\" is invalid (columns end at XFD)")
                }
                cellColumn = column
            } else {
                cellColumn = nextColumn
            }
            guard cellColumn < InputLimits.maxSheetColumns else {
                throw fail(zh: "超过\(InputLimits.maxSheetColumns)列", en: "more than \(InputLimits.maxSheetColumns) columns")
            }
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t":
            inValue = true
        default: break
        }
    }

    private mutating func end(_ name: String, _ body: (Int, [String]) throws -> Void) throws {
        switch name {
        case "v", "t":
            inValue = false
        case "c":
            var text = value
            if cellType == "s" {
                // A reference outside the shared strings is a broken file, not an empty cell: read as empty, a
                // results file of such rows passed as a correction with 0 rows.
                guard let index = Int(value.trimmingCharacters(in: .whitespaces)), index >= 0, index < shared.count else {
                    throw fail(
                        zh: "单元格引用的共享字符串“\(value.prefix(20))”不存在（共\(shared.count)个）",
                        en: "a cell refers to shared string \"\(value.prefix(20))\", which does not exist (\(shared.count) in all)")
                }
                text = shared[index]
            } else if cellType == "b" {
                text = value == "1" ? "TRUE" : "FALSE"
            }
            if cellColumn >= row.count { row += Array(repeating: "", count: cellColumn - row.count + 1) }
            row[cellColumn] = text
            nextColumn = cellColumn + 1
        case "row":
            guard !row.allSatisfy({ $0.isEmpty }) else { return }
            try body(rowNumber, row)
        default: break
        }
    }
}
