import JicaiCore

/// Parsers of one field straight from its bytes, for the bulk readers' fast paths (history, purchases). Each
/// accepts only the plain ASCII form (the same bytes in UTF-8 and GB18030) and returns nil for anything else, which
/// the caller then sends through the row reader for its reason.
enum ByteFields {
    /// A whole non-negative number of at most 18 digits and at most `InputLimits.maxQuantity`.
    static func quantity(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var quantity: Int64 = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            quantity = quantity * 10 + Int64(byte - 48)
        }
        return quantity <= InputLimits.maxQuantity ? quantity : nil
    }

    /// Yuan with at most two decimals ("12", "12.5", "12.50"), as fen, at most `InputLimits.maxAmountFen`.
    static func fen(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !bytes.isEmpty, bytes.count <= 17 else { return nil }
        var fen: Int64 = 0
        var decimals = -1
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard decimals < 0 else { return nil }
                decimals = 0
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            fen = fen * 10 + Int64(byte - 48)
            // Above the limit already (scaling to fen only makes it larger): refused before `fen * 100` could leave
            // Int64, as the row reader refuses it (`Fen(yuanText:)` and the same limit).
            if fen > InputLimits.maxAmountFen { return nil }
            if decimals >= 0 {
                decimals += 1
                if decimals > 2 { return nil }
            }
        }
        if decimals < 0 { decimals = 0 }
        for _ in decimals..<2 { fen *= 10 }
        return fen <= InputLimits.maxAmountFen ? fen : nil
    }

    /// "2026-04-08": a day that exists, written with four, two and two digits.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func digit(_ index: Int) -> Int { Int(bytes[index]) &- 48 }
        let d = (digit(0), digit(1), digit(2), digit(3), digit(5), digit(6), digit(8), digit(9))
        guard (d.0 | d.1 | d.2 | d.3 | d.4 | d.5 | d.6 | d.7) & ~0xF == 0, d.0 <= 9, d.1 <= 9, d.2 <= 9, d.3 <= 9, d.4 <= 9, d.5 <= 9, d.6 <= 9,
            d.7 <= 9
        else { return nil }
        let value = ((((((d.0 * 10 + d.1) * 10 + d.2) * 10 + d.3) * 10 + d.4) * 10 + d.5) * 10 + d.6) * 10 + d.7
        return CivilDate(value / 10_000, value / 100 % 100, value % 100)
    }

    /// A code of printable ASCII without spaces, at most 64 bytes.
    static func isCode(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= 64 && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

/// The start and end of the first fields of a line split at its commas (no quotes: a plain line), kept in raw
/// memory so a bulk reader splits millions of lines without allocating.
final class FieldBounds {
    let wanted: Int
    private let bounds: UnsafeMutablePointer<Int>

    init(wanted: Int) {
        self.wanted = wanted
        bounds = .allocate(capacity: 2 * wanted)
        bounds.initialize(repeating: 0, count: 2 * wanted)
    }

    deinit { bounds.deallocate() }

    /// Splits `line` up to the wanted fields; returns how many were found.
    func split(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var start = 0
        var position = 0
        while count < wanted {
            while position < line.count && line[position] != 0x2C { position += 1 }
            bounds[2 * count] = start
            bounds[2 * count + 1] = position
            count += 1
            if position >= line.count { break }
            position += 1
            start = position
        }
        return count
    }

    /// The bounds of a record the CSV reader has unquoted (fields back to back in its storage); nil when a field was
    /// too large to keep.
    func take(_ record: CSVRecord) -> Int? {
        guard record.oversizedField == nil else { return nil }
        let count = min(record.count, wanted)
        for index in 0..<count {
            bounds[2 * index] = index == 0 ? 0 : record.ends[index - 1]
            bounds[2 * index + 1] = record.ends[index]
        }
        return count
    }

    /// Field `k` of `bytes`.
    func field(_ k: Int, of bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[bounds[2 * k]..<bounds[2 * k + 1]])
    }
}
