import Foundation
import Testing

@testable import JicaiInterchange

/// Reads every record of `bytes` as arrays of strings.
func records(_ bytes: [UInt8], maxFieldBytes: Int = 65_536) throws -> [[String]] {
    let reader = try CSVReader(bytes: bytes, maxFieldBytes: maxFieldBytes)
    var record = CSVRecord()
    var out: [[String]] = []
    while try reader.next(into: &record) {
        out.append((0..<record.count).map { i in record.withField(i) { reader.encoding.decode($0) ?? "<?>" } })
    }
    return out
}

let gb18030 = String.Encoding(rawValue: 0x8000_0632)

@Suite("CSV reader and writer")
struct CSVTests {
    @Test("Formula injection (OWASP): a leading sign after spaces and the fullwidth signs are neutralised, plain numbers kept (#25)")
    func neutralisation() {
        for field in [
            "=1+1", " =1+1", "   +cmd|' /C calc'!A0", "\u{3000}=HYPERLINK(\"x\")", "＝SUM(A1:A9)", "＋1", "－1", "＠SUM(1)", "\t=1", "\r=1", "@x", "-x",
        ] {
            #expect(CSVWriter.neutralised(field) == "'" + field, "\(field)")
        }
        for field in ["-12", "+3.5", "12", "", " ", "阿莫西林", "a=b", "１２"] { #expect(CSVWriter.neutralised(field) == field, "\(field)") }
    }

    @Test("RFC 4180: quotes, doubled quotes, separators and newlines inside quotes, CRLF and LF")
    func rfc4180() throws {
        let text = "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"line1\nline2\"\r\n1,,3\n"
        #expect(try records(Array(text.utf8)) == [["a", "b", "c"], ["x, y", "he said \"hi\"", "line1\nline2"], ["1", "", "3"]])
    }

    @Test("A UTF-8 byte-order mark is skipped; a last line without newline is read")
    func bom() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("机构编码,月份\r\nA,2025-01".utf8)
        #expect(try records(bytes) == [["机构编码", "月份"], ["A", "2025-01"]])
    }

    @Test("GB18030 files (what Chinese Excel writes as CSV) are detected and decoded")
    func gb18030File() throws {
        let text = "机构编码,机构名称\r\n12140100MB1234567X,太原市第一人民医院\r\n"
        let bytes = Array(text.data(using: gb18030)!)
        #expect(String(data: Data(bytes), encoding: .utf8) == nil)
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.encoding == .gb18030)
        #expect(try records(bytes) == [["机构编码", "机构名称"], ["12140100MB1234567X", "太原市第一人民医院"]])
    }

    @Test("UTF-16 is refused with a clear reason")
    func utf16() throws {
        let bytes = Array("a,b\n".data(using: .utf16)!)
        #expect(throws: CSVError.self) { _ = try records(bytes) }
    }

    @Test("A field longer than the limit is marked, not loaded whole into memory")
    func hugeCell() throws {
        let big = String(repeating: "药", count: 100_000)
        let reader = try CSVReader(bytes: Array("a,\(big),c\nd,e,f\n".utf8), maxFieldBytes: 1000)
        var record = CSVRecord()
        #expect(try reader.next(into: &record))
        #expect(record.oversizedField == 1)
        #expect(record.storage.count <= 1100)
        #expect(try reader.next(into: &record))
        #expect(record.oversizedField == nil)
        #expect(record.withField(2) { String(decoding: $0, as: UTF8.self) } == "f")
    }

    @Test("Records cross the reader's chunk boundaries intact")
    func chunks() throws {
        var text = "机构编码,规格编码,月份,采购数量\n"
        for i in 0..<5000 { text += "\"I\(i)\",S\(i % 7),2025-0\(1 + i % 9),\(i)\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID()).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CSVReader(path: url.path, chunkSize: 1000)
        var record = CSVRecord()
        var n = 0
        var last = ""
        while try reader.next(into: &record) {
            n += 1
            last = record.withField(0) { String(decoding: $0, as: UTF8.self) }
        }
        #expect(n == 5001)
        #expect(last == "I4999")
    }

    @Test("The writer quotes what needs quoting and round-trips through the reader")
    func writerRoundTrip() throws {
        let w = CSVWriter(bom: true)
        let rows = [["编码", "说明"], ["A,1", "多行\n说明"], ["\"q\"", ""]]
        for r in rows { try w.write(r) }
        try w.finish()
        #expect(Array(w.output.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(try records(w.output) == rows)
    }
}
