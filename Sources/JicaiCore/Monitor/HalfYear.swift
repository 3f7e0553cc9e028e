import Foundation

/// A half-year of the city bureaus' report on handling execution problems (001 §4: submitted before 10 January and
/// 10 July each year): the first half (January–June) is due on 10 July, the second (July–December) on 10 January
/// of the next year.
public struct HalfYear: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 or 2.
    public let half: Int

    /// Nil for a half other than 1 or 2, or a year outside the platform's range (`CivilDate.years`).
    public init?(year: Int, half: Int) {
        guard (1...2).contains(half), CivilDate.years.contains(year) else { return nil }
        self.year = year
        self.half = half
    }

    /// "2026H1" (four ASCII digits, H or h, 1 or 2).
    public init?(text: String) {
        let parts = text.uppercased().split(separator: "H", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 1, parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let year = Int(parts[0]), let half = Int(parts[1])
        else { return nil }
        self.init(year: year, half: half)
    }

    /// Decoding checks the range as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let value = HalfYear(year: try container.decode(Int.self, forKey: .year), half: try container.decode(Int.self, forKey: .half))
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "not a half-year of the platform's range"))
        }
        self = value
    }

    public var description: String { "\(year)H\(half)" }
    /// The first month of the half, January or July.
    private var firstMonth: MonthKey { MonthKey(inRange: year, month: half == 1 ? 1 : 7) }
    public var first: CivilDate { firstMonth.firstDay }
    public var last: CivilDate { (firstMonth.advanced(by: 5) ?? firstMonth).lastDay }
    /// The last day to submit (001 §4): 10 July, or 10 January of the next year; nil for the range's last half-year,
    /// whose due day lies after the range.
    public var due: CivilDate? { firstMonth.advanced(by: 6).map { CivilDate($0, day: 10) } }

    public var label: LocalizedText {
        LocalizedText(zh: "\(year)年\(half == 1 ? "上" : "下")半年", en: "\(half == 1 ? "first" : "second") half of \(year)")
    }

    public static func < (a: HalfYear, b: HalfYear) -> Bool { (a.year, a.half) < (b.year, b.half) }

    /// The half-year a day falls in (total: days and half-years share the range).
    public static func containing(_ day: CivilDate) -> HalfYear { HalfYear(checkedYear: day.year, half: day.month <= 6 ? 1 : 2) }

    /// A half-year of a year already inside the range.
    private init(checkedYear year: Int, half: Int) {
        self.year = year
        self.half = half
    }

    /// The half-year whose report is due next on or after `day`: up to 10 January the previous year's second half,
    /// up to 10 July this year's first half, then this year's second half. Nil on 1–10 January of the range's first
    /// year, whose previous half-year lies before the range.
    public static func dueNext(on day: CivilDate) -> HalfYear? {
        if day.month == 1 && day.day <= 10 { return HalfYear.containing(day).previous }
        if day.month < 7 || (day.month == 7 && day.day <= 10) { return HalfYear(checkedYear: day.year, half: 1) }
        return HalfYear(checkedYear: day.year, half: 2)
    }

    /// The half-year before, or nil before the range.
    public var previous: HalfYear? { half == 2 ? HalfYear(checkedYear: year, half: 1) : HalfYear(year: year - 1, half: 2) }
}
