import Foundation

/// A half-year of the city bureaus' report on handling execution problems (001 §4: submitted before 10 January and
/// 10 July each year): the first half (January–June) is due on 10 July, the second (July–December) on 10 January
/// of the next year.
public struct HalfYear: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 or 2.
    public let half: Int

    public init?(year: Int, half: Int) {
        guard (1...2).contains(half), (2000...2200).contains(year) else { return nil }
        self.year = year
        self.half = half
    }

    /// "2026H1".
    public init?(text: String) {
        let parts = text.uppercased().split(separator: "H")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let h = Int(parts[1]) else { return nil }
        self.init(year: y, half: h)
    }

    public var description: String { "\(year)H\(half)" }
    public var first: CivilDate { CivilDate(year, half == 1 ? 1 : 7, 1)! }
    public var last: CivilDate { half == 1 ? CivilDate(year, 6, 30)! : CivilDate(year, 12, 31)! }
    /// The last day to submit (001 §4).
    public var due: CivilDate { half == 1 ? CivilDate(year, 7, 10)! : CivilDate(year + 1, 1, 10)! }

    public var label: LocalizedText {
        LocalizedText(zh: "\(year)年\(half == 1 ? "上" : "下")半年", en: "\(half == 1 ? "first" : "second") half of \(year)")
    }

    public static func < (a: HalfYear, b: HalfYear) -> Bool { (a.year, a.half) < (b.year, b.half) }

    /// The half-year a day falls in.
    public static func containing(_ day: CivilDate) -> HalfYear { HalfYear(year: day.year, half: day.month <= 6 ? 1 : 2)! }

    /// The half-year whose report is due next on or after `day`: up to 10 January the previous year's second half,
    /// up to 10 July this year's first half, then this year's second half.
    public static func dueNext(on day: CivilDate) -> HalfYear {
        let january = CivilDate(day.year, 1, 10)!
        let july = CivilDate(day.year, 7, 10)!
        if day <= january { return HalfYear(year: day.year - 1, half: 2)! }
        if day <= july { return HalfYear(year: day.year, half: 1)! }
        return HalfYear(year: day.year, half: 2)!
    }

    public var previous: HalfYear { half == 2 ? HalfYear(year: year, half: 1)! : HalfYear(year: year - 1, half: 2)! }
}
