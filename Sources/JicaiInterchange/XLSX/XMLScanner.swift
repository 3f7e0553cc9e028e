import Foundation
import JicaiCore

/// A small streaming XML scanner for the parts of a workbook, in place of FoundationXML's `XMLParser`, which traps
/// on some malformed input (an element name with broken UTF-8 stopped the process: found by the `sheet` fuzz target)
/// and so cannot be given uploads. It reads the XML that spreadsheets are made of — elements, attributes, text, the
/// five predefined entities, character references, CDATA, comments and processing instructions — and refuses a
/// document type declaration (no entity of the document's own is ever expanded). Names keep only their local part
/// (`x:row` → `row`). Every token is bounded, so a hostile part is an error after work proportional to its size.
struct XMLScanner {
    /// An element's attributes in document order (a workbook element has a handful: a linear search beats hashing).
    struct Attributes {
        var pairs: [(name: String, value: String)] = []
        subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }
        var count: Int { pairs.count }
    }

    enum Event {
        case start(name: String, attributes: Attributes, selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    static let maxNameBytes = 256
    static let maxAttributes = 64
    static let maxDepth = 64
    /// Text or an attribute value longer than this is refused (cells are bounded far below it).
    static let maxTokenBytes = InputLimits.maxCellTextCharacters * 4 + 1024

    private let read: () throws -> Data?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var stack: [String] = []

    /// Scans bytes that `read` hands over piece by piece (nil at the end).
    init(read: @escaping () throws -> Data?) {
        self.read = read
    }

    /// Scans a part held in memory.
    init(data: Data) {
        var given = false
        self.read = {
            defer { given = true }
            return given ? nil : data
        }
    }

    /// Scans a file in pieces of a megabyte.
    init(handle: FileHandle) {
        self.read = { try handle.read(upToCount: 1 << 20) }
    }

    static func malformed(_ why: String) -> XLSXError {
        .invalid(LocalizedText(zh: "工作表XML格式错误：\(why)", en: "the sheet's XML is malformed: \(why)"))
    }

    // MARK: bytes

    private mutating func fill() throws -> Bool {
        guard !finished else { return false }
        while position >= buffer.count {
            guard let more = try read() else {
                finished = true
                return false
            }
            if more.isEmpty { continue }
            buffer = Array(more)
            position = 0
        }
        return true
    }

    private mutating func peek() throws -> UInt8? {
        if position < buffer.count { return buffer[position] }
        return try fill() ? buffer[position] : nil
    }

    private mutating func next() throws -> UInt8? {
        guard let byte = try peek() else { return nil }
        position += 1
        return byte
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard try next() == byte else { throw Self.malformed(what) }
    }

    private mutating func skipSpace() throws {
        while let byte = try peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
    }

    /// Skips up to and including `terminator` (e.g. "-->"), bounded by `limit` bytes.
    private mutating func skip(past terminator: [UInt8], limit: Int = 1 << 20) throws {
        var matched = 0
        var count = 0
        while let byte = try next() {
            count += 1
            guard count <= limit else { throw Self.malformed("too long") }
            if byte == terminator[matched] {
                matched += 1
                if matched == terminator.count { return }
            } else {
                matched = byte == terminator[0] ? 1 : 0
            }
        }
        throw Self.malformed("unterminated")
    }

    // MARK: tokens

    private static func isNameByte(_ b: UInt8) -> Bool {
        !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "/") || b == UInt8(ascii: ">")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: "<") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'"))
    }

    /// Bytes while `accept` holds, straight from the buffer a run at a time.
    private mutating func take(while accept: (UInt8) -> Bool, into bytes: inout [UInt8], limit: Int) throws {
        while try peek() != nil {
            let start = position
            while position < buffer.count, accept(buffer[position]) { position += 1 }
            bytes.append(contentsOf: buffer[start..<position])
            guard bytes.count <= limit else { throw Self.malformed("too long") }
            if position < buffer.count { return }
        }
    }

    private mutating func name() throws -> String {
        var bytes: [UInt8] = []
        try take(while: Self.isNameByte, into: &bytes, limit: Self.maxNameBytes)
        guard !bytes.isEmpty else { throw Self.malformed("a name is missing") }
        let local = bytes.lastIndex(of: UInt8(ascii: ":")).map { Array(bytes[($0 + 1)...]) } ?? bytes
        guard !local.isEmpty else { throw Self.malformed("a name is missing") }
        return String(decoding: local, as: UTF8.self)
    }

    /// Appends the character of an entity or character reference (after "&") to `out`.
    private mutating func entity(into out: inout [UInt8]) throws {
        var body: [UInt8] = []
        while let byte = try next(), byte != UInt8(ascii: ";") {
            body.append(byte)
            guard body.count <= 12 else { throw Self.malformed("bad entity") }
        }
        switch String(decoding: body, as: UTF8.self) {
        case "lt": out.append(UInt8(ascii: "<"))
        case "gt": out.append(UInt8(ascii: ">"))
        case "amp": out.append(UInt8(ascii: "&"))
        case "quot": out.append(UInt8(ascii: "\""))
        case "apos": out.append(UInt8(ascii: "'"))
        case let text where text.hasPrefix("#"):
            let digits = text.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value), value >= 0x20 || value == 0x09 || value == 0x0A || value == 0x0D else {
                throw Self.malformed("bad character reference")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw Self.malformed("unknown entity")
        }
    }

    private mutating func attributeValue() throws -> String {
        guard let quote = try next(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw Self.malformed("an attribute needs quotes")
        }
        var out: [UInt8] = []
        while true {
            try take(while: { $0 != quote && $0 != UInt8(ascii: "&") && $0 != UInt8(ascii: "<") }, into: &out, limit: Self.maxTokenBytes)
            guard let byte = try next() else { throw Self.malformed("unterminated attribute") }
            if byte == quote { break }
            if byte == UInt8(ascii: "<") { throw Self.malformed("< in an attribute") }
            try entity(into: &out)
            guard out.count <= Self.maxTokenBytes else { throw Self.malformed("attribute too long") }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The next event, or nil at the end of a complete document.
    mutating func nextEvent() throws -> Event? {
        while true {
            guard let byte = try peek() else {
                guard stack.isEmpty else { throw Self.malformed("the document ends inside <\(stack.last!)>") }
                return nil
            }
            let event: Event?
            if byte != UInt8(ascii: "<") {
                event = try text()
            } else {
                position += 1
                guard let kind = try peek() else { throw Self.malformed("unterminated tag") }
                switch kind {
                case UInt8(ascii: "?"):
                    try skip(past: Array("?>".utf8))
                    event = nil
                case UInt8(ascii: "!"):
                    position += 1
                    event = try declaration()
                case UInt8(ascii: "/"):
                    position += 1
                    event = try endTag()
                default:
                    event = try startTag()
                }
            }
            if let event { return event }
        }
    }

    /// Character data up to the next tag; nil for white space outside the root element.
    private mutating func text() throws -> Event? {
        var out: [UInt8] = []
        while let byte = try peek(), byte != UInt8(ascii: "<") {
            if byte == UInt8(ascii: "&") {
                position += 1
                try entity(into: &out)
            } else {
                try take(while: { $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: "&") }, into: &out, limit: Self.maxTokenBytes)
            }
            guard out.count <= Self.maxTokenBytes else { throw Self.malformed("text too long") }
        }
        if stack.isEmpty {
            // Only white space may stand outside the root element.
            guard out.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }) else {
                throw Self.malformed("text outside the root element")
            }
            return nil
        }
        return .text(String(decoding: out, as: UTF8.self))
    }

    /// After `<!`: a comment (skipped, nil) or CDATA (text); a document type declaration is refused.
    private mutating func declaration() throws -> Event? {
        if try peek() == UInt8(ascii: "-") {
            try expect(UInt8(ascii: "-"), "bad comment")
            try expect(UInt8(ascii: "-"), "bad comment")
            try skip(past: Array("-->".utf8))
            return nil
        }
        guard try peek() == UInt8(ascii: "[") else {
            // <!DOCTYPE …> and anything else that could declare entities.
            throw Self.malformed("document type declarations are not accepted")
        }
        for expected in Array("[CDATA[".utf8) { try expect(expected, "bad CDATA") }
        guard !stack.isEmpty else { throw Self.malformed("CDATA outside the root element") }
        var out: [UInt8] = []
        let end = Array("]]>".utf8)
        while true {
            guard let byte = try next() else { throw Self.malformed("unterminated CDATA") }
            out.append(byte)
            if out.count >= 3 && Array(out.suffix(3)) == end {
                out.removeLast(3)
                break
            }
            guard out.count <= Self.maxTokenBytes else { throw Self.malformed("CDATA too long") }
        }
        return .text(String(decoding: out, as: UTF8.self))
    }

    /// After `</`: the end tag, which must close the open element.
    private mutating func endTag() throws -> Event {
        let tag = try name()
        try skipSpace()
        try expect(UInt8(ascii: ">"), "bad end tag")
        guard let open = stack.popLast(), open == tag else { throw Self.malformed("</\(tag)> does not close the open element") }
        return .end(name: tag)
    }

    /// After `<`: a start tag with its attributes, or an empty element.
    private mutating func startTag() throws -> Event {
        let tag = try name()
        var attributes = Attributes()
        while true {
            try skipSpace()
            guard let byte = try peek() else { throw Self.malformed("unterminated tag") }
            if byte == UInt8(ascii: ">") {
                position += 1
                guard stack.count < Self.maxDepth else { throw Self.malformed("nested too deep") }
                stack.append(tag)
                return .start(name: tag, attributes: attributes, selfClosing: false)
            }
            if byte == UInt8(ascii: "/") {
                position += 1
                try expect(UInt8(ascii: ">"), "bad empty tag")
                return .start(name: tag, attributes: attributes, selfClosing: true)
            }
            // Attribute names keep their prefix (r:id) so that relationship ids can be told apart.
            var key: [UInt8] = []
            try take(while: Self.isNameByte, into: &key, limit: Self.maxNameBytes)
            guard !key.isEmpty else { throw Self.malformed("bad attribute") }
            try skipSpace()
            try expect(UInt8(ascii: "="), "an attribute needs a value")
            try skipSpace()
            let name = String(decoding: key, as: UTF8.self)
            let value = try attributeValue()
            if let existing = attributes.pairs.firstIndex(where: { $0.name == name }) {
                attributes.pairs[existing].value = value
            } else {
                attributes.pairs.append((name, value))
            }
            guard attributes.count <= Self.maxAttributes else { throw Self.malformed("too many attributes") }
        }
    }

    /// Calls `body` with every event; a self-closing element is followed by its end.
    mutating func scan(_ body: (Event) throws -> Void) throws {
        while let event = try nextEvent() {
            try body(event)
            if case .start(let name, _, true) = event { try body(.end(name: name)) }
        }
    }
}
