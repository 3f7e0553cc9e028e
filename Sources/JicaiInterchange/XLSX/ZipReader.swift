import CZlib
import Foundation
import JicaiCore

/// Reads the parts of a ZIP file (an XLSX workbook) without trusting it: the central directory is read within
/// bounds, each part's compressed bytes are read only from where the part lies, and inflated with zlib under a
/// byte limit counted as bytes come out. A deflate stream that ends early is an error, never a loop: ZIPFoundation
/// 0.9 on Linux spins for ever on one (found by the `xlsx` fuzz target, a 1 KB file), so reading does not use it.
struct ZipReader {
    struct Part {
        var name: String
        var method: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    let handle: FileHandle
    let fileSize: UInt64
    private(set) var parts: [String: Part] = [:]

    /// The central directory of a workbook has a few dozen entries; a file claiming more is not a workbook.
    static let maxEntries = 10_000
    static let maxCentralDirectoryBytes: UInt64 = 16 << 20

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Self.invalid }
        self.handle = handle
        fileSize = try handle.seekToEnd()
        // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535, at the end of the file.
        let tailLength = min(fileSize, 22 + 65_535)
        let tail = try read(at: fileSize - tailLength, count: Int(tailLength))
        guard tail.count >= 22, let eocd = (0...(tail.count - 22)).reversed().first(where: { tail.uint32(at: $0) == 0x0605_4B50 }) else {
            throw Self.invalid
        }
        let count = Int(tail.uint16(at: eocd + 10))
        var directorySize = UInt64(tail.uint32(at: eocd + 12))
        var directoryOffset = UInt64(tail.uint32(at: eocd + 16))
        if directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF || count == 0xFFFF {
            // ZIP64 end record: its locator stands 20 bytes before the end record.
            let end = fileSize - tailLength + UInt64(eocd)
            guard end >= 20 else { throw Self.invalid }
            let locator = try read(at: end - 20, count: 20)
            guard locator.uint32(at: 0) == 0x0706_4B50 else { throw Self.invalid }
            let record = try read(at: locator.uint64(at: 8), count: 56)
            guard record.uint32(at: 0) == 0x0606_4B50 else { throw Self.invalid }
            directorySize = record.uint64(at: 40)
            directoryOffset = record.uint64(at: 48)
        }
        guard directorySize <= Self.maxCentralDirectoryBytes, directoryOffset <= fileSize, directorySize <= fileSize - directoryOffset else {
            throw Self.invalid
        }
        let directory = try read(at: directoryOffset, count: Int(directorySize))
        var at = 0
        while at + 46 <= directory.count, directory.uint32(at: at) == 0x0201_4B50 {
            guard parts.count < Self.maxEntries else { throw Self.invalid }
            let nameLength = Int(directory.uint16(at: at + 28))
            let extraLength = Int(directory.uint16(at: at + 30))
            let commentLength = Int(directory.uint16(at: at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else { throw Self.invalid }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            var part = Part(
                name: name, method: directory.uint16(at: at + 10), compressedSize: UInt64(directory.uint32(at: at + 20)),
                uncompressedSize: UInt64(directory.uint32(at: at + 24)), localHeaderOffset: UInt64(directory.uint32(at: at + 42)))
            // ZIP64 sizes and offset, in this order, for each field marked 0xFFFFFFFF.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = directory.uint16(at: extra)
                let size = Int(directory.uint16(at: extra + 2))
                guard extra + 4 + size <= extraEnd else { break }
                if id == 1 {
                    var field = extra + 4
                    func next() -> UInt64? {
                        guard field + 8 <= extra + 4 + size else { return nil }
                        defer { field += 8 }
                        return directory.uint64(at: field)
                    }
                    if part.uncompressedSize == 0xFFFF_FFFF { part.uncompressedSize = next() ?? part.uncompressedSize }
                    if part.compressedSize == 0xFFFF_FFFF { part.compressedSize = next() ?? part.compressedSize }
                    if part.localHeaderOffset == 0xFFFF_FFFF { part.localHeaderOffset = next() ?? part.localHeaderOffset }
                }
                extra += 4 + size
            }
            parts[name] = part
            at += 46 + nameLength + extraLength + commentLength
        }
    }

    static let invalid = XLSXError.invalid(LocalizedText(zh: "不是有效的XLSX文件（无法解压）", en: "not a valid XLSX file (cannot unzip)"))

    static func damaged(_ name: String) -> XLSXError {
        .invalid(LocalizedText(zh: "XLSX文件已损坏（\(name)无法解压）", en: "the XLSX file is damaged (\(name) cannot be inflated)"))
    }

    func close() { try? handle.close() }

    private func read(at offset: UInt64, count: Int) throws -> Data {
        guard offset <= fileSize, UInt64(count) <= fileSize - offset else { throw Self.invalid }
        try handle.seek(toOffset: offset)
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else { throw Self.invalid }
        return data
    }

    /// Inflates one part into `consume`, refusing it once more than `limit` bytes come out, or more than
    /// `InputLimits.maxCompressionRatio` times its compressed size once past 1 MB.
    func inflate(_ part: Part, limit: Int64, _ consume: (Data) throws -> Void) throws {
        let ratioLimit = max(
            1 << 20, Int64(clamping: part.compressedSize).multipliedReportingOverflow(by: InputLimits.maxCompressionRatio).partialValue)
        let allowed = min(limit, ratioLimit)
        if Int64(clamping: part.uncompressedSize) > allowed { throw XLSXError.tooLarge(part.name, limit: limit) }
        let header = try read(at: part.localHeaderOffset, count: 30)
        guard header.uint32(at: 0) == 0x0403_4B50 else { throw Self.damaged(part.name) }
        let start = part.localHeaderOffset + 30 + UInt64(header.uint16(at: 26)) + UInt64(header.uint16(at: 28))
        guard start <= fileSize, part.compressedSize <= fileSize - start else { throw Self.damaged(part.name) }
        var produced: Int64 = 0
        func emit(_ data: Data) throws {
            produced += Int64(data.count)
            if produced > allowed { throw XLSXError.tooLarge(part.name, limit: limit) }
            try consume(data)
        }
        let chunk = 1 << 16
        var remaining = part.compressedSize
        var offset = start
        switch part.method {
        case 0:
            while remaining > 0 {
                let length = Int(min(UInt64(chunk), remaining))
                try emit(try read(at: offset, count: length))
                offset += UInt64(length)
                remaining -= UInt64(length)
            }
        case 8:
            var stream = z_stream()
            guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Self.damaged(part.name) }
            defer { inflateEnd(&stream) }
            var output = [UInt8](repeating: 0, count: chunk)
            var ended = false
            while !ended {
                // Once the part's compressed bytes are used up, the stream must have ended.
                guard remaining > 0 else { throw Self.damaged(part.name) }
                let length = Int(min(UInt64(chunk), remaining))
                var input = [UInt8](try read(at: offset, count: length))
                offset += UInt64(length)
                remaining -= UInt64(length)
                try input.withUnsafeMutableBufferPointer { inBuffer in
                    stream.next_in = inBuffer.baseAddress
                    stream.avail_in = UInt32(length)
                    repeat {
                        let result = output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                            stream.next_out = outBuffer.baseAddress
                            stream.avail_out = UInt32(chunk)
                            return CZlib.inflate(&stream, Z_NO_FLUSH)
                        }
                        guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else { throw Self.damaged(part.name) }
                        let made = chunk - Int(stream.avail_out)
                        if made > 0 { try emit(Data(output[0..<made])) }
                        if result == Z_STREAM_END {
                            ended = true
                            return
                        }
                        // No progress with input left means a broken stream.
                        if result == Z_BUF_ERROR && made == 0 && stream.avail_in > 0 { throw Self.damaged(part.name) }
                    } while stream.avail_in > 0 || stream.avail_out == 0
                }
            }
        default:
            throw XLSXError.invalid(
                LocalizedText(zh: "XLSX文件使用了不支持的压缩方式（\(part.name)）", en: "the XLSX part \(part.name) uses an unsupported compression"))
        }
    }
}

extension Data {
    fileprivate func uint16(at i: Int) -> UInt16 {
        UInt16(self[startIndex + i]) | UInt16(self[startIndex + i + 1]) << 8
    }

    fileprivate func uint32(at i: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[startIndex + i + $1]) << (8 * UInt32($1)) }
    }

    fileprivate func uint64(at i: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[startIndex + i + $1]) << (8 * UInt64($1)) }
    }
}
