import Foundation
import JicaiCore

/// One data row of a CSV or XLSX file, read as text.
public struct TableRow {
    enum Storage {
        case csv(CSVRecord, TextEncoding)
        case cells([String])
    }

    public let number: Int
    let storage: Storage

    public var count: Int {
        switch storage {
        case .csv(let r, _): r.count
        case .cells(let cells): cells.count
        }
    }

    /// The trimmed text of column `i` ("" past the end); nil when its bytes are not valid in the file's encoding.
    public func text(_ i: Int) -> String? {
        guard i >= 0 else { return "" }
        switch storage {
        case .csv(let r, let enc):
            guard i < r.count else { return "" }
            return r.withField(i) { enc.decode($0) }?.trimmingCharacters(in: .whitespaces)
        case .cells(let cells):
            return i < cells.count ? cells[i].trimmingCharacters(in: .whitespaces) : ""
        }
    }

    /// A whole non-negative number straight from the bytes where possible (the fast path for bulk history).
    /// `.failure` carries the text that did not parse.
    public func wholeNumber(_ i: Int) -> Int64? {
        if case .csv(let r, _) = storage, i < r.count {
            let fast: Int64?? = r.withField(i) { buf in
                var value: Int64 = 0
                guard !buf.isEmpty, buf.count <= 18 else { return .some(nil) }
                for byte in buf {
                    guard byte >= 48, byte <= 57 else { return .none }
                    value = value * 10 + Int64(byte - 48)
                }
                return .some(value)
            }
            if case .some(let value?) = fast { return value }
        }
        guard let cellText = text(i), let decimal = FixedDecimal(parsing: cellText) else { return nil }
        return decimal.wholeValue
    }

    var oversizedColumn: Int? {
        if case .csv(let r, _) = storage { return r.oversizedField }
        return nil
    }

    /// The row, or nil when it is blank: the plain-line fast paths skip what `TableCursor.next()` skips (a line of
    /// commas and spaces, as spreadsheets export empty rows, is blank on both paths; found by the purchases
    /// differential fuzz target).
    var nonBlank: TableRow? { isBlank ? nil : self }

    var isBlank: Bool {
        switch storage {
        case .csv(let r, _): r.isBlank
        case .cells(let cells): cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }
}

public enum TableFormat: String, Sendable, CaseIterable {
    case csv, xlsx

    public static func of(path: String) -> TableFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "txt": .csv
        case "xlsx", "xlsm": .xlsx
        default: nil
        }
    }
}

/// Reads a CSV or XLSX file row by row, pulling one row at a time (so a caller can write to a database between
/// rows). The first non-blank row is the header; blank rows are skipped. CSV streams in chunks of 1 MB; an XLSX sheet
/// (at most 1,048,576 rows) is read whole first.
public final class TableCursor {
    public let file: String
    public let header: [String]
    public let fileSize: Int64
    private let csv: CSVReader?
    private var record = CSVRecord()
    private var cells: [(Int, [String])] = []
    private var cellIndex = 0

    public init(path: String) throws {
        let file = (path as NSString).lastPathComponent
        self.file = file
        guard FileManager.default.fileExists(atPath: path) else {
            throw ImportFailure(ImportIssue(file: file, row: 0, column: "", zh: "文件不存在", en: "file not found"))
        }
        fileSize = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        switch TableFormat.of(path: path) {
        case .csv:
            do {
                let reader = try CSVReader(path: path)
                csv = reader
                var header: [String]?
                while try reader.next(into: &record) {
                    if record.isBlank { continue }
                    let row = TableRow(number: reader.recordNumber, storage: .csv(record, reader.encoding))
                    header = (0..<row.count).map { row.text($0) ?? "" }
                    break
                }
                guard let header else {
                    throw ImportFailure(ImportIssue(file: file, row: 1, column: "", zh: "文件为空，缺少表头", en: "the file is empty: no header row"))
                }
                self.header = header
            } catch let e as CSVError {
                throw TableCursor.failure(e, file: file)
            }
        case .xlsx:
            csv = nil
            var rows: [(Int, [String])] = []
            do {
                try XLSXReader.readRows(path: path) { number, cells in
                    if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return }
                    rows.append((number, cells))
                }
            } catch let e as XLSXError {
                guard case .invalid(let why, let row) = e else { throw e }
                throw ImportFailure(ImportIssue(file: file, row: row, column: "", reason: why))
            }
            guard let first = rows.first else {
                throw ImportFailure(ImportIssue(file: file, row: 1, column: "", zh: "工作表为空，缺少表头", en: "the sheet is empty: no header row"))
            }
            header = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
            cells = rows
            cellIndex = 1
        case nil:
            let ext = (path as NSString).pathExtension.lowercased()
            let hint =
                ext == "xls"
                ? ("旧版Excel（.xls）格式不受支持，请另存为XLSX或CSV", "the old Excel format (.xls) is not supported; save as XLSX or CSV")
                : ("只接受CSV或XLSX文件", "only CSV or XLSX files are accepted")
            throw ImportFailure(ImportIssue(file: file, row: 0, column: "", zh: hint.0, en: hint.1))
        }
    }

    /// The next non-blank data row, or nil at the end.
    public func next() throws -> TableRow? {
        if let csv {
            do {
                while try csv.next(into: &record) {
                    if record.isBlank { continue }
                    return TableRow(number: csv.recordNumber, storage: .csv(record, csv.encoding))
                }
                return nil
            } catch let e as CSVError {
                throw TableCursor.failure(e, file: file)
            }
        }
        guard cellIndex < cells.count else { return nil }
        defer { cellIndex += 1 }
        return TableRow(number: cells[cellIndex].0, storage: .cells(cells[cellIndex].1))
    }

    /// Plain lines of a CSV file (see `CSVReader.forEachPlainLine`); none for XLSX, whose rows come from `next()`.
    /// Both encodings keep commas, quotes, CR and LF as single bytes that no multi-byte character contains, so lines
    /// split the same; the bytes of a field are in the file's encoding.
    public func forEachPlainLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws -> Int {
        guard let csv else { return 0 }
        return try csv.forEachPlainLine(body)
    }

    /// The row of a plain line, for the readers that find it needs the full row reader.
    func plainRow(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> TableRow {
        TableRow(number: number, storage: .csv(CSVRecord(plainLine: line, maxFieldBytes: csv?.maxFieldBytes ?? 65_536), csv?.encoding ?? .utf8))
    }

    /// Bytes read so far, for progress (an XLSX file counts as read once opened).
    public var bytesRead: Int64 { csv?.bytesConsumed ?? fileSize }

    static func failure(_ e: CSVError, file: String) -> ImportFailure {
        switch e {
        case .unsupportedEncoding(let why): ImportFailure(ImportIssue(file: file, row: 0, column: "", reason: why))
        case .malformed(let row, let why): ImportFailure(ImportIssue(file: file, row: row, column: "", reason: why))
        }
    }
}

public enum TableReader {
    /// Calls `header` once with the header row, then `body` for every non-blank data row. Problems that make the
    /// whole file unreadable throw `ImportFailure`.
    public static func read(path: String, header: ([String]) throws -> Void, body: (TableRow) throws -> Void) throws {
        let cursor = try TableCursor(path: path)
        try header(cursor.header)
        while let row = try cursor.next() { try body(row) }
    }
}
