import Foundation

/// An exact non-negative ratio such as a policy threshold (80% = 4/5). Parsed from decimal text ("0.8", "80%"),
/// never from a floating-point number, so that comparisons against it are exact.
public struct Ratio: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public init(_ numerator: Int64, _ denominator: Int64) {
        precondition(denominator > 0, "ratio denominator must be positive")
        precondition(numerator >= 0, "ratio must not be negative")
        let divisor = Ratio.gcd(numerator, denominator)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
    }

    public static func percent(_ p: Int64) -> Ratio { Ratio(p, 100) }

    /// Parses "0.8", "1", "80%", "1.5". Returns nil for anything else (signs, exponents, empty).
    public init?(decimal text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale: Int64 = 1
        if rest.hasSuffix("%") {
            rest = rest.dropLast()
            scale = 100
        }
        guard let parsed = FixedDecimal(parsing: String(rest)) else { return nil }
        guard parsed.units >= 0 else { return nil }
        let (den, overflow) = parsed.scaleFactor.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.init(parsed.units, den)
    }

    /// Exactly: is `part < self × whole`, where whole = wholeNumerator / wholeDenominator?
    public func isAbove(_ part: Int128, asShareOf wholeNumerator: Int128, wholeDenominator: Int128 = 1) -> Bool {
        part * wholeDenominator * Int128(denominator) < Int128(numerator) * wholeNumerator
    }

    /// Exactly: is `part > self × whole`?
    public func isBelow(_ part: Int128, asShareOf wholeNumerator: Int128, wholeDenominator: Int128 = 1) -> Bool {
        part * wholeDenominator * Int128(denominator) > Int128(numerator) * wholeNumerator
    }

    public static func < (a: Ratio, b: Ratio) -> Bool {
        Int128(a.numerator) * Int128(b.denominator) < Int128(b.numerator) * Int128(a.denominator)
    }

    public var description: String {
        // Shown as a percentage where exact, e.g. "80%", otherwise as a fraction.
        if (numerator * 100) % denominator == 0 { return "\(numerator * 100 / denominator)%" }
        return "\(numerator)/\(denominator)"
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (Swift.abs(a), Swift.abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }

    enum CodingKeys: String, CodingKey { case numerator, denominator }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let numerator = try container.decode(Int64.self, forKey: .numerator)
        let denominator = try container.decode(Int64.self, forKey: .denominator)
        guard denominator > 0, numerator >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .denominator, in: container, debugDescription: "invalid ratio \(numerator)/\(denominator)")
        }
        self.init(numerator, denominator)
    }
}

/// A decimal number held exactly as `units / scaleFactor` (scaleFactor a power of ten). Used to read quantities,
/// contents and money written as decimal text without going through `Double`.
public struct FixedDecimal: Sendable, Hashable {
    public let units: Int64
    public let scaleFactor: Int64
    public var fractionDigits: Int { String(scaleFactor).count - 1 }

    public init(units: Int64, fractionDigits: Int) {
        self.units = units
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        self.scaleFactor = scale
    }

    /// Accepts an optional leading "-", digits, an optional "." and up to 9 fraction digits; thousands separators
    /// "," are accepted between digit groups as Excel writes them.
    public init?(parsing text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        bytes.removeAll { $0 == UInt8(ascii: ",") }
        guard !bytes.isEmpty else { return nil }
        var units: Int64 = 0
        var scale: Int64 = 1
        var seenDot = false
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            digits += 1
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - 48))
            guard !o1, !o2 else { return nil }
            units = a
            if seenDot {
                scale *= 10
                if scale > 1_000_000_000 { return nil }
            }
        }
        guard digits > 0 else { return nil }
        self.units = negative ? -units : units
        self.scaleFactor = scale
    }

    /// The value as a whole number when it has no fractional part ("12", "12.00").
    public var wholeValue: Int64? {
        units % scaleFactor == 0 ? units / scaleFactor : nil
    }

    /// The value multiplied by `factor` (a power of ten) when the result is whole, e.g. yuan → fen with 100.
    public func scaled(by factor: Int64) -> Int64? {
        let (m, o) = units.multipliedReportingOverflow(by: factor)
        guard !o, m % scaleFactor == 0 else { return nil }
        return m / scaleFactor
    }
}

extension Int128 {
    /// `self / divisor` rounded half up (away from zero for positive values): the one rounding of quantities and
    /// amounts, applied once to an exact figure.
    public func dividedRoundingHalfUp(by divisor: Int128) -> Int128 {
        precondition(divisor > 0)
        if self >= 0 { return (self * 2 + divisor) / (divisor * 2) }
        return -((-self * 2 + divisor) / (divisor * 2))
    }
}
