import Foundation
import JicaiCore

/// Text encodings accepted in CSV files: UTF-8 (with or without BOM) and GB18030, which Chinese Excel writes.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"

    static let foundationGB18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Decodes field bytes; nil when they are not valid in the encoding.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        switch self {
        case .utf8: return String(validating: bytes, as: UTF8.self)
        case .gb18030: return String(data: Data(buffer: bytes), encoding: Self.foundationGB18030)
        }
    }
}

/// One CSV record, its fields' bytes stored back to back. Reused from record to record to avoid allocation.
public struct CSVRecord: Sendable {
    public internal(set) var storage: [UInt8] = []
    public internal(set) var ends: [Int] = []
    /// Index of a field cut at `maxFieldBytes`, if any.
    public internal(set) var oversizedField: Int?

    public init() {}

    public var count: Int { ends.count }

    mutating func reset() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        oversizedField = nil
    }

    public func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let start = i == 0 ? 0 : ends[i - 1]
        let end = ends[i]
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    public var isBlank: Bool {
        storage.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The record of a plain line (no quotes; see `CSVReader.forEachPlainLine`), fields cut at `maxFieldBytes` as the
    /// reader cuts them.
    init(plainLine line: UnsafeBufferPointer<UInt8>, maxFieldBytes: Int) {
        var start = 0
        for index in 0...line.count where index == line.count || line[index] == 0x2C {
            if index - start > maxFieldBytes, oversizedField == nil { oversizedField = ends.count }
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<min(index, start + maxFieldBytes)]))
            ends.append(storage.count)
            start = index + 1
        }
    }
}

public enum CSVError: Error, Sendable {
    case unsupportedEncoding(LocalizedText)
    case malformed(row: Int, reason: LocalizedText)
}

/// A streaming RFC 4180 reader working on bytes: quoted fields, doubled quotes, CR, LF and CRLF line ends,
/// embedded newlines, a UTF-8 BOM. Reads the file in chunks, so memory stays flat whatever its size.
public final class CSVReader {
    public private(set) var encoding: TextEncoding = .utf8
    /// The 1-based number of the record last read (a spreadsheet row number; the header is 1).
    public private(set) var recordNumber = 0
    public let maxFieldBytes: Int

    private let source: FileHandle?
    private var data: [UInt8]
    private var pos = 0
    private var atEOF = false
    private var skipLF = false
    private var firstChunk = true
    private let chunkSize: Int
    private var consumedBefore: Int64 = 0

    /// Bytes of the file consumed so far (for progress).
    public var bytesConsumed: Int64 { consumedBefore + Int64(pos) }

    public init(path: String, chunkSize: Int = 1 << 20, maxFieldBytes: Int = 65_536) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CSVError.unsupportedEncoding(LocalizedText(zh: "无法打开文件：\(path)", en: "cannot open file: \(path)"))
        }
        self.source = handle
        self.data = []
        self.chunkSize = chunkSize
        self.maxFieldBytes = maxFieldBytes
        try refill()
    }

    public init(bytes: [UInt8], maxFieldBytes: Int = 65_536) throws {
        self.source = nil
        self.data = bytes
        self.chunkSize = 0
        self.maxFieldBytes = maxFieldBytes
        self.atEOF = true
        try detectEncoding()
    }

    deinit { try? source?.close() }

    private func refill() throws {
        guard let source, !atEOF else {
            data = []
            pos = 0
            return
        }
        let chunk = try source.read(upToCount: chunkSize) ?? Data()
        consumedBefore += Int64(data.count)
        data = [UInt8](chunk)
        pos = 0
        if chunk.isEmpty { atEOF = true }
        if firstChunk { try detectEncoding() }
    }

    private func detectEncoding() throws {
        firstChunk = false
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            pos = 3
            return
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw CSVError.unsupportedEncoding(
                LocalizedText(
                    zh: "文件是UTF-16编码（Excel的“Unicode文本”），请另存为“CSV UTF-8”或XLSX",
                    en: "the file is UTF-16 (Excel \"Unicode text\"); save it as \"CSV UTF-8\" or XLSX"))
        }
        // Valid UTF-8 in the first chunk (a sequence cut at the chunk's end aside) means UTF-8; otherwise GB18030.
        var end = data.count
        var back = 0
        while back < 3, end > 0, data[end - 1] & 0xC0 == 0x80 {
            end -= 1
            back += 1
        }
        if end > 0, data[end - 1] >= 0xC0 { end -= 1 }
        let valid = data.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[0..<end]), as: UTF8.self) != nil }
        encoding = valid ? .utf8 : .gb18030
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Hands the next records to `body` while they are plain lines — no quote, no lone CR, ending with LF or CRLF
    /// inside the current buffer — each as its bytes without the line end (valid only inside `body`) and its record
    /// number, until `body` returns false, a record is not plain or the buffer ends. Returns how many it handed;
    /// `next(into:)` reads a record that is not plain. Bulk readers split such lines themselves: the byte-by-byte
    /// state machine of `next(into:)` took 40% of a history import's parsing.
    public func forEachPlainLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws -> Int {
        if pos >= data.count { try refill() }
        if skipLF, pos < data.count {
            // The LF of a CRLF whose CR ended the record before.
            skipLF = false
            if data[pos] == 0x0A { pos += 1 }
            if pos >= data.count { try refill() }
        }
        var handed = 0
        var at = pos
        var number = recordNumber
        defer {
            pos = at
            recordNumber = number
        }
        try data.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            while at < p.count {
                guard let nl = memchr(base + at, 0x0A, p.count - at) else { return }
                let newline = base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                var end = newline
                if end > at && p[end - 1] == 0x0D { end -= 1 }
                if end > at && (memchr(base + at, 0x22, end - at) != nil || memchr(base + at, 0x0D, end - at) != nil) { return }
                let line = UnsafeBufferPointer(rebasing: p[at..<end])
                at = newline + 1
                number += 1
                handed += 1
                if try !body(line, number) { return }
            }
        }
        return handed
    }

    /// Reads the next record into `record`. Returns false at the end of the file.
    public func next(into record: inout CSVRecord) throws -> Bool {
        record.reset()
        var state = State.fieldStart
        var fieldStart = 0
        var any = false
        while true {
            if pos >= data.count {
                try refill()
                if data.isEmpty {
                    guard any else { return false }
                    if state == .quoted {
                        throw CSVError.malformed(
                            row: recordNumber + 1,
                            reason: LocalizedText(
                                zh: "引号未闭合，文件意外结束", en: "a quoted field is not closed before the end of the file"))
                    }
                    record.ends.append(record.storage.count)
                    recordNumber += 1
                    return true
                }
            }
            let byte = data[pos]
            pos += 1
            if skipLF {
                skipLF = false
                if byte == 0x0A { continue }
            }
            any = true
            switch state {
            case .fieldStart, .unquoted:
                switch byte {
                case 0x22 where state == .fieldStart:
                    state = .quoted
                case 0x2C:
                    record.ends.append(record.storage.count)
                    fieldStart = record.storage.count
                    state = .fieldStart
                case 0x0A, 0x0D:
                    if byte == 0x0D { skipLF = true }
                    record.ends.append(record.storage.count)
                    recordNumber += 1
                    return true
                default:
                    append(byte, to: &record, fieldStart: fieldStart)
                    state = .unquoted
                }
            case .quoted:
                if byte == 0x22 { state = .quoteInQuoted } else { append(byte, to: &record, fieldStart: fieldStart) }
            case .quoteInQuoted:
                switch byte {
                case 0x22:
                    append(byte, to: &record, fieldStart: fieldStart)
                    state = .quoted
                case 0x2C:
                    record.ends.append(record.storage.count)
                    fieldStart = record.storage.count
                    state = .fieldStart
                case 0x0A, 0x0D:
                    if byte == 0x0D { skipLF = true }
                    record.ends.append(record.storage.count)
                    recordNumber += 1
                    return true
                default:
                    throw CSVError.malformed(
                        row: recordNumber + 1,
                        reason: LocalizedText(
                            zh: "引号后出现多余字符（字段内的引号须写成两个引号）",
                            en: "unexpected character after a closing quote (a quote inside a field is written twice)"))
                }
            }
        }
    }

    @inline(__always)
    private func append(_ b: UInt8, to record: inout CSVRecord, fieldStart: Int) {
        if record.storage.count - fieldStart < maxFieldBytes {
            record.storage.append(b)
        } else if record.oversizedField == nil {
            record.oversizedField = record.ends.count
        }
    }
}
