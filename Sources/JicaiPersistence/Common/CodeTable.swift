/// A fixed set of codes, numbered in the order given and looked up from their bytes: no String is built and no
/// SipHash is run per lookup (a dictionary keyed by String did both for each of millions of purchase lines). An
/// open-addressing table of FNV-1a hashes, at most half full.
public struct CodeTable: Sendable {
    /// The codes, without repeats, in the order first given; a code's number is its index here.
    public let codes: [String]
    private let bytes: [UInt8]
    /// Start of each code's bytes in `bytes`, and one past the last.
    private let starts: [Int]
    /// Per slot: a code's number, or -1.
    private let slots: [Int32]
    private let mask: Int

    public init<S: Sequence>(_ codes: S) where S.Element == String {
        var kept: [String] = []
        var seen = Set<String>()
        for code in codes where seen.insert(code).inserted { kept.append(code) }
        self.codes = kept
        var bytes: [UInt8] = []
        var starts = [0]
        for code in kept {
            bytes += Array(code.utf8)
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
        var size = 16
        while size < kept.count * 2 { size *= 2 }
        mask = size - 1
        var slots = [Int32](repeating: -1, count: size)
        for (number, code) in kept.enumerated() {
            var slot = Array(code.utf8).withUnsafeBufferPointer { Self.hash($0) } & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(number)
        }
        self.slots = slots
    }

    /// The number of the code spelled by `code`'s bytes; nil when it is not in the table.
    public func number(_ code: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(code) & mask
        while true {
            let number = slots[slot]
            if number < 0 { return nil }
            let start = starts[Int(number)]
            let end = starts[Int(number) + 1]
            if end - start == code.count, bytes.withUnsafeBufferPointer({ memoryEqual($0, start, code) }) { return number }
            slot = (slot + 1) & mask
        }
    }

    public func number(_ code: String) -> Int32? {
        var code = code
        return code.withUTF8 { number($0) }
    }

    private func memoryEqual(_ stored: UnsafeBufferPointer<UInt8>, _ start: Int, _ code: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<code.count where stored[start + i] != code[i] { return false }
        return true
    }

    private static func hash(_ code: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in code {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
