import Foundation
import Testing

@testable import JicaiInterchange

@Suite("XLSX writer and reader")
struct XLSXTests {
    @Test("A workbook written with several sheets reads back cell for cell, special characters included")
    func roundTrip() throws {
        let w = try XLSXWriter()
        try w.addSheet("历史采购量")
        try w.addRow(["机构编码", "数量"])
        try w.addRow([.text("<&>\"' 𠀀"), .number(1200)])
        try w.addRow([.text(""), .number(-3)])
        try w.addSheet("说明")
        try w.addRow(["第二张表"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID()).xlsx")
        try w.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var rows: [[String]] = []
        try XLSXReader.readRows(path: url.path) { _, cells in rows.append(cells) }
        #expect(rows.count == 3)
        #expect(rows[0] == ["机构编码", "数量"])
        #expect(rows[1] == ["<&>\"' 𠀀", "1200"])
        #expect(rows[2].last == "-3")
        var second: [[String]] = []
        try XLSXReader.readRows(path: url.path, sheetName: "说明") { _, cells in second.append(cells) }
        #expect(second == [["第二张表"]])
    }

    @Test("Column letters: A, Z, AA, XFD")
    func columns() {
        #expect(XLSXWriter.columnName(0) == "A")
        #expect(XLSXWriter.columnName(25) == "Z")
        #expect(XLSXWriter.columnName(26) == "AA")
        #expect(XLSXWriter.columnName(16383) == "XFD")
        #expect(XLSXReader.columnIndex("AA12") == 26)
    }

    @Test("A file that is not a zip archive gives a clear error")
    func notXLSX() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).xlsx")
        try Data("not a workbook".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: (any Error).self) { try XLSXReader.readRows(path: url.path) { _, _ in } }
    }
}
