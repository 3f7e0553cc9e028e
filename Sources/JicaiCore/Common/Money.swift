/// An amount of money in fen (分), exact. 1 yuan = 100 fen.
public struct Fen: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var value: Int64
    public init(_ value: Int64) { self.value = value }

    /// Parses a yuan amount written as decimal text ("12.34", "1,200", "5") into fen. More than two decimals is refused.
    public init?(yuanText: String) {
        guard let decimal = FixedDecimal(parsing: yuanText), let fen = decimal.scaled(by: 100) else { return nil }
        self.value = fen
    }

    public static func < (a: Fen, b: Fen) -> Bool { a.value < b.value }
    public static func + (a: Fen, b: Fen) -> Fen { Fen(a.value + b.value) }

    /// "1234.56" — yuan with two decimals, as bureaus' spreadsheets show money.
    public var yuanText: String {
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public var description: String { yuanText }
}
