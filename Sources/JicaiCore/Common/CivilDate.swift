import Foundation

/// A calendar day (year, month, day) with no time and no time zone: agreement years, execution starts and cycle ends
/// are days in Beijing time, counted with integer arithmetic on the proleptic Gregorian calendar.
///
/// Every day the platform holds lies in **one range, 2000-01-01 … 2199-12-31** (`CivilDate.years`; docs/rules.md):
/// a day outside it cannot be made, parsed or decoded, and every step (`adding(days:)`, `adding(years:)`) answers nil
/// when it would leave the range, so no later computation on a stored or typed day can trap. Months (`MonthKey`) and
/// half-years (`HalfYear`) share the range.
public struct CivilDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The years of the platform's one date range.
    public static let years: ClosedRange<Int> = 2000...2199
    /// The first and the last day of the range.
    public static let earliest = CivilDate(unchecked: 2000, 1, 1)
    public static let latest = CivilDate(unchecked: 2199, 12, 31)

    /// Nil for a day that does not exist (2026-02-29, 2025-13-01) or lies outside `years`.
    public init?(_ year: Int, _ month: Int, _ day: Int) {
        guard CivilDate.years.contains(year), (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A day known to be valid and inside the range (constants of this file only).
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// "2025-07-01": four ASCII digits, a hyphen, one or two digits, a hyphen, one or two digits, inside the range
    /// ("+999-01-01", "0999-01-01" and "3000-01-01" are nil).
    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        self.init(year, month, day)
    }

    /// Decoding checks the day and the range as the initialiser does (a stored or posted day cannot bypass them).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let year = try container.decode(Int.self, forKey: .year)
        let month = try container.decode(Int.self, forKey: .month)
        let day = try container.decode(Int.self, forKey: .day)
        guard let value = CivilDate(year, month, day) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a day in \(CivilDate.earliest) … \(CivilDate.latest)"))
        }
        self = value
    }

    /// "2026-03-01" (written digit by digit: `String(format:)` cost microseconds, and a recompute writes a day per
    /// position).
    public var description: String {
        func digits(_ value: Int, _ width: Int) -> String {
            let text = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int { CivilDate.dayNumber(year, month, day) }

    /// The days of the twelve months that start on this day: 366 when they hold a 29 February, 365 otherwise. Twelve
    /// months from 29 February end on the next 28 February and hold the first day itself, so they have 366 days
    /// (not the 365 to the next 28 February). Counted even where their end lies after the range.
    public var daysOfTwelveMonths: Int {
        if month == 2 && day == 29 { return 366 }
        return CivilDate.dayNumber(year + 1, month, day) - dayNumber
    }

    /// The days-from-civil algorithm for a valid calendar day of any year near the range.
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `dayNumber` days after 1970-01-01; nil outside the range.
    public init?(dayNumber: Int) {
        guard (CivilDate.earliest.dayNumber...CivilDate.latest.dayNumber).contains(dayNumber) else { return nil }
        self.init(inRange: dayNumber)
    }

    /// The civil-from-days algorithm, for a day number already checked against the range.
    private init(inRange dayNumber: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = day
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year. Nil outside the range.
    public func adding(years: Int) -> CivilDate? {
        guard years.magnitude <= UInt(CivilDate.years.count) else { return nil }
        let target = year + years
        return CivilDate(target, month, min(day, CivilDate.daysIn(year: target, month: month)))
    }

    /// The day `days` later (earlier when negative); nil outside the range.
    public func adding(days: Int) -> CivilDate? {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return overflow ? nil : CivilDate(dayNumber: sum)
    }

    /// Days from `self` up to (not including) `other`.
    public func days(until other: CivilDate) -> Int { other.dayNumber - dayNumber }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// A day of a month (total for a day number the month has: months and days share the range).
    public init(_ month: MonthKey, day: Int) {
        self.init(unchecked: month.year, month.month, min(max(day, 1), CivilDate.daysIn(year: month.year, month: month.month)))
    }
}

extension CivilDate {
    /// The calendar day in Beijing (UTC+8, no daylight saving) of an instant: agreements' days are Beijing days. An
    /// instant outside the range (a clock gone wrong) reads as the range's nearest end.
    public init(beijing instant: Date) {
        let seconds = instant.timeIntervalSince1970.rounded(.down) + 8 * 3600
        let first = Double(CivilDate.earliest.dayNumber) * 86_400
        let last = Double(CivilDate.latest.dayNumber) * 86_400
        guard seconds.isFinite, seconds >= first else {
            self = .earliest
            return
        }
        guard seconds < last + 86_400 else {
            self = .latest
            return
        }
        self.init(inRange: Int((seconds / 86_400).rounded(.down)))
    }
}
