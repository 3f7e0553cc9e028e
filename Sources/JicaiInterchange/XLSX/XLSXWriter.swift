import Foundation
import ZIPFoundation

/// Writes an XLSX workbook: one or more sheets of text and whole numbers, the first row of each sheet bold and
/// frozen. Sheets stream to temporary files, so memory stays flat for large reports. Texts are escaped for XML;
/// characters XML 1.0 forbids are dropped.
public final class XLSXWriter {
    public enum Cell: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        case number(Int64)
        case decimal(String)
        case empty

        public init(stringLiteral value: String) { self = .text(value) }
        public init(integerLiteral value: Int64) { self = .number(value) }
    }

    private struct Sheet {
        let name: String
        let url: URL
        let handle: FileHandle
        var rows = 0
        var buffer: [UInt8] = []
        var closed = false
    }

    private var sheets: [Sheet] = []
    private let directory: URL

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Starts a new sheet; following `addRow` calls write to it. Column widths are in characters.
    public func addSheet(_ name: String, columnWidths: [Int] = []) throws {
        try closeCurrentSheet()
        let url = directory.appendingPathComponent("sheet\(sheets.count + 1).xml")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var sheet = Sheet(name: name, url: url, handle: handle)
        var head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        head +=
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        head +=
            #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        if !columnWidths.isEmpty {
            head += "<cols>"
            for (i, w) in columnWidths.enumerated() { head += #"<col min="\#(i + 1)" max="\#(i + 1)" width="\#(w)" customWidth="1"/>"# }
            head += "</cols>"
        }
        head += "<sheetData>"
        sheet.buffer.append(contentsOf: head.utf8)
        sheets.append(sheet)
    }

    public func addRow(_ cells: [Cell]) throws {
        guard !sheets.isEmpty else {
            try addSheet("Sheet1")
            return try addRow(cells)
        }
        let sheet = sheets.count - 1
        sheets[sheet].rows += 1
        let rowNumber = sheets[sheet].rows
        var out = "<row r=\"\(rowNumber)\">"
        for (c, cell) in cells.enumerated() {
            let ref = XLSXWriter.columnName(c) + String(rowNumber)
            let style = rowNumber == 1 ? " s=\"1\"" : ""
            switch cell {
            case .text(let text):
                out += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(XLSXWriter.escape(text))</t></is></c>"
            case .number(let number):
                out += "<c r=\"\(ref)\"\(style)><v>\(number)</v></c>"
            case .decimal(let decimal):
                out += "<c r=\"\(ref)\"\(style)><v>\(XLSXWriter.escape(decimal))</v></c>"
            case .empty:
                continue
            }
        }
        out += "</row>"
        sheets[sheet].buffer.append(contentsOf: out.utf8)
        if sheets[sheet].buffer.count > 1 << 20 {
            try sheets[sheet].handle.write(contentsOf: sheets[sheet].buffer)
            sheets[sheet].buffer.removeAll(keepingCapacity: true)
        }
    }

    public func addRow(_ texts: [String]) throws { try addRow(texts.map { Cell.text($0) }) }

    private func closeCurrentSheet() throws {
        guard let sheet = sheets.indices.last, !sheets[sheet].closed else { return }
        sheets[sheet].buffer.append(contentsOf: "</sheetData></worksheet>".utf8)
        try sheets[sheet].handle.write(contentsOf: sheets[sheet].buffer)
        sheets[sheet].buffer = []
        try sheets[sheet].handle.close()
        sheets[sheet].closed = true
    }

    /// Writes the workbook to `url`, replacing any file there.
    public func write(to url: URL) throws {
        if sheets.isEmpty { try addSheet("Sheet1") }
        try closeCurrentSheet()
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
                data.subdata(in: Int(pos)..<Int(pos) + size)
            }
        }
        var types =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        var workbook =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
        var rels =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (i, s) in sheets.enumerated() {
            types +=
                #"<Override PartName="/xl/worksheets/sheet\#(i + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            workbook += #"<sheet name="\#(XLSXWriter.escape(String(s.name.prefix(31))))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"#
            rels +=
                #"<Relationship Id="rId\#(i + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(i + 1).xml"/>"#
        }
        types += "</Types>"
        workbook += "</sheets></workbook>"
        rels +=
            #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
        try add("[Content_Types].xml", types)
        try add(
            "_rels/.rels",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        )
        try add("xl/workbook.xml", workbook)
        try add("xl/_rels/workbook.xml.rels", rels)
        try add(
            "xl/styles.xml",
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>"#
        )
        for (i, s) in sheets.enumerated() {
            try archive.addEntry(with: "xl/worksheets/sheet\(i + 1).xml", fileURL: s.url, compressionMethod: .deflate)
        }
    }

    /// Convenience: the workbook as bytes.
    public func data() throws -> Data {
        let url = directory.appendingPathComponent("book.xlsx")
        try write(to: url)
        return try Data(contentsOf: url)
    }

    public static func columnName(_ index: Int) -> String {
        var remaining = index + 1
        var letters = ""
        while remaining > 0 {
            let digit = (remaining - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
            remaining = (remaining - 1) / 26
        }
        return letters
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let code = scalar.value
                // XML 1.0 allows tab, LF, CR and everything from 0x20 except surrogates and FFFE/FFFF.
                if code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code != 0xFFFE && code != 0xFFFF) {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
