import Foundation

/// Writes RFC 4180 CSV in UTF-8 with a BOM (so that Excel opens Chinese text correctly), CRLF line ends.
/// Streams to a file handle through a buffer.
public final class CSVWriter {
    private let handle: FileHandle?
    private var buffer: [UInt8] = []
    public private(set) var output: [UInt8] = []

    /// Writes into memory; read the result from `output` after `finish()`.
    public init(bom: Bool = true) {
        handle = nil
        if bom { buffer += [0xEF, 0xBB, 0xBF] }
    }

    public init(path: String, bom: Bool = true) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let fileHandle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = fileHandle
        if bom { buffer += [0xEF, 0xBB, 0xBF] }
    }

    /// Writes one record. Every field is neutralised against formula injection first (`neutralised`).
    public func write(_ fields: [String]) throws {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            let safe = CSVWriter.neutralised(field)
            let needsQuotes = safe.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                buffer.append(0x22)
                for byte in safe.utf8 {
                    if byte == 0x22 { buffer.append(0x22) }
                    buffer.append(byte)
                }
                buffer.append(0x22)
            } else {
                buffer.append(contentsOf: safe.utf8)
            }
        }
        buffer += [0x0D, 0x0A]
        if buffer.count > 1 << 20 { try flush() }
    }

    /// OWASP's rule for CSV injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
    /// read as a formula by Excel and WPS, so it gets a leading apostrophe, which they show as text. The same holds
    /// after leading spaces (Excel skips them: " =1+1" is a formula) and for the fullwidth signs a Chinese input
    /// method types (`＝`, `＋`, `－`, `＠`), which WPS reads as their ASCII forms. Plain numbers ("-12", "+3.5") are
    /// left alone: they are not formulas and must stay numbers.
    public static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first(where: { $0 != " " && $0 != "\u{3000}" }), formulaStarts.contains(first) else { return field }
        if isPlainNumber(field) { return field }
        return "'" + field
    }

    /// The characters that start a formula (ASCII and fullwidth), and the tab and carriage return.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    private static func isPlainNumber(_ s: String) -> Bool {
        var bytes = Substring(s).utf8.dropFirst(s.utf8.first == UInt8(ascii: "-") || s.utf8.first == UInt8(ascii: "+") ? 1 : 0)
        guard let first = bytes.first, first >= 48, first <= 57 else { return false }
        var seenPoint = false
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return false }
        }
        return true
    }

    private func flush() throws {
        if let handle {
            try handle.write(contentsOf: buffer)
        } else {
            output += buffer
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish() throws {
        try flush()
        try handle?.close()
    }
}
