import Foundation

/// A calendar month as the business uses it (Asia/Shanghai), e.g. 2024-12. Stored as yyyymm. Its years are the
/// platform's one range (`CivilDate.years`): every month of a valid day is a valid month, and a step out of the range
/// is nil, never a trap.
public struct MonthKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard CivilDate.years.contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// A month whose year is known to be inside the range (a year taken from a `CivilDate`, `HalfYear` or `MonthKey`).
    init(inRange year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month of a day (total: a `CivilDate` is inside the same range of years).
    public init(_ day: CivilDate) {
        year = day.year
        month = day.month
    }

    /// Decoding checks the range as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let value = MonthKey(year: try container.decode(Int.self, forKey: .year), month: try container.decode(Int.self, forKey: .month))
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a month of the platform's range"))
        }
        self = value
    }

    /// The first and the last day of the month.
    public var firstDay: CivilDate { CivilDate(self, day: 1) }
    public var lastDay: CivilDate { CivilDate(self, day: CivilDate.daysIn(year: year, month: month)) }

    /// Accepts "2024-12", "2024/12", "202412", "2024-12-01", "2024年12月".
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var digits: [Int] = []
        var current = ""
        for ch in trimmed {
            if ch.isASCII, ch.isNumber {
                current.append(ch)
            } else {
                if !current.isEmpty {
                    digits.append(Int(current) ?? -1)
                    current = ""
                }
                guard ch == "-" || ch == "/" || ch == "." || ch == "年" || ch == "月" || ch == "日" else { return nil }
            }
        }
        if !current.isEmpty { digits.append(Int(current) ?? -1) }
        if digits.count == 1, let only = digits.first, only >= 100_001, only <= 999_912 {
            self.init(year: only / 100, month: only % 100)
        } else if digits.count == 2 || digits.count == 3 {
            if digits.count == 3, !(1...31).contains(digits[2]) { return nil }
            self.init(year: digits[0], month: digits[1])
        } else {
            return nil
        }
    }

    public init?(yyyymm: Int) { self.init(year: yyyymm / 100, month: yyyymm % 100) }

    public var yyyymm: Int { year * 100 + month }
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    public static func < (a: MonthKey, b: MonthKey) -> Bool { a.yyyymm < b.yyyymm }

    public func distance(to other: MonthKey) -> Int {
        (other.year * 12 + other.month) - (year * 12 + month)
    }

    /// The month `n` months later (earlier when negative); nil outside the range.
    public func advanced(by n: Int) -> MonthKey? {
        guard n.magnitude <= UInt(CivilDate.years.count * 12) else { return nil }
        let index = year * 12 + (month - 1) + n
        return MonthKey(year: index / 12, month: index % 12 + 1)
    }

    /// The next month, or nil after December of the range's last year.
    public var next: MonthKey? { advanced(by: 1) }
}

/// An inclusive range of months, such as a reference period for history (002 §2: Dec 2024 – Nov 2025).
public struct MonthRange: Sendable, Hashable, Codable {
    public let first: MonthKey
    public let last: MonthKey

    public init?(first: MonthKey, last: MonthKey) {
        guard first <= last else { return nil }
        self.first = first
        self.last = last
    }

    public var count: Int { first.distance(to: last) + 1 }
    public func contains(_ m: MonthKey) -> Bool { first <= m && m <= last }
    public func index(of m: MonthKey) -> Int? { contains(m) ? first.distance(to: m) : nil }
    public var months: [MonthKey] { (0..<count).compactMap { first.advanced(by: $0) } }
}
