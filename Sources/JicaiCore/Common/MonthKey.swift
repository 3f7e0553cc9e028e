import Foundation

/// A calendar month as the business uses it (Asia/Shanghai), e.g. 2024-12. Stored as yyyymm.
public struct MonthKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible, Strideable {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

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
        if digits.count == 1, let only = digits.first, only >= 190001, only <= 299912 {
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

    public func advanced(by n: Int) -> MonthKey {
        let index = year * 12 + (month - 1) + n
        return MonthKey(year: index / 12, month: index % 12 + 1)!
    }
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
    public var months: [MonthKey] { (0..<count).map { first.advanced(by: $0) } }
}
