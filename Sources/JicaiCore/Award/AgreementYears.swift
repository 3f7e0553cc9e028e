import Foundation

/// The agreement years of a procurement cycle (003 §4; the renewal alignment of the Luliang notice, item 1): the first
/// year runs from the execution start to the aligned renewal date, later years are whole years from there, and the
/// last is cut at the cycle's end. Each year carries its share of the yearly agreed volume.
public struct AgreementYear: Sendable, Hashable, Codable {
    /// The first day of the year.
    public var start: CivilDate
    /// The day after its last day.
    public var end: CivilDate
    /// The days of the twelve months that start on `start` (365, or 366 when they hold a 29 February): a year's share
    /// of the yearly volume is `days ÷ daysOfTwelveMonths`.
    public var daysOfTwelveMonths: Int

    public init(start: CivilDate, end: CivilDate, daysOfTwelveMonths: Int) {
        self.start = start
        self.end = end
        self.daysOfTwelveMonths = daysOfTwelveMonths
    }

    public var days: Int { start.days(until: end) }
    /// The last day, for display ("2026-06-30").
    public var lastDay: CivilDate { end.adding(days: -1) }

    /// This year's part of a yearly quantity, rounded half up once (docs/rules.md, "Award stage").
    /// This year's part of an exact yearly volume of `content` ÷ `denominator` minimal units, rounded half up once
    /// (domain §11.1 item 6).
    public func share(ofExact content: Int128, over denominator: Int128) -> Int64 {
        Int64(clamping: (content * Int128(days)).dividedRoundingHalfUp(by: denominator * Int128(daysOfTwelveMonths)))
    }

    public func share(ofYearly quantity: Int128) -> Int128 {
        (quantity * Int128(days)).dividedRoundingHalfUp(by: Int128(daysOfTwelveMonths))
    }
}

public enum AgreementYears {
    /// The renewal date of a result whose execution starts on `start`: a start in January–June renews on July 1 of
    /// the year in which the nominal renewal (one year after the start) falls; a start in July–December on January 1
    /// of the year after that.
    public static func renewal(after start: CivilDate) -> CivilDate {
        let nominal = start.adding(years: 1)
        return start.month <= 6 ? CivilDate(nominal.year, 7, 1)! : CivilDate(nominal.year + 1, 1, 1)!
    }

    /// The agreement years from `start` to the cycle's last day `cycleEnd` (inclusive); empty when the cycle ends
    /// before it starts.
    public static func years(start: CivilDate, cycleEnd: CivilDate) -> [AgreementYear] {
        let stop = cycleEnd.adding(days: 1)
        guard start < stop else { return [] }
        var out: [AgreementYear] = []
        var from = start
        var to = min(renewal(after: start), stop)
        while from < stop {
            out.append(AgreementYear(start: from, end: to, daysOfTwelveMonths: from.days(until: from.adding(years: 1))))
            from = to
            to = min(from.adding(years: 1), stop)
        }
        return out
    }
}
