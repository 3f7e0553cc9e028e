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
    public var lastDay: CivilDate { end.adding(days: -1) ?? start }

    /// This year's part of a yearly quantity, rounded half up once (docs/rules.md, "Award stage").
    /// This year's part of an exact yearly volume of `content` ÷ `denominator` minimal units, rounded half up once
    /// (docs/rules.md "Award stage": each year's share rounded once).
    public func share(ofExact content: Int128, over denominator: Int128) -> Int64 {
        Int64(clamping: (content * Int128(days)).dividedRoundingHalfUp(by: denominator * Int128(daysOfTwelveMonths)))
    }

    public func share(ofYearly quantity: Int128) -> Int128 {
        (quantity * Int128(days)).dividedRoundingHalfUp(by: Int128(daysOfTwelveMonths))
    }

    /// The one figure of an institution × product in this year, for its agreement and for monitoring alike (003 §4;
    /// docs/rules.md "Award stage"): the year's part of the exact yearly volume (`exact`: content over denominator
    /// minimal units), rounded half up once; a figure adjusted after publication has no exact volume behind it, so its
    /// year takes the part of the adjusted yearly `quantity`. The amount is the year's quantity × pack price ÷ pack
    /// size, rounded half up once.
    public func figure(quantity: Int64, exact: (content: Int128, denominator: Int128)?, packPriceFen: Int64, packSize: Int64) -> (
        quantity: Int64, amountFen: Int64
    ) {
        let part =
            exact.map { share(ofExact: $0.content, over: $0.denominator) } ?? Int64(clamping: share(ofYearly: Int128(quantity)))
        let amount = (Int128(part) * Int128(packPriceFen)).dividedRoundingHalfUp(by: Int128(max(1, packSize)))
        return (part, Int64(clamping: amount))
    }
}

public enum AgreementYears {
    /// The renewal date of a result whose execution starts on `start`: a start in January–June renews on July 1 of
    /// the year in which the nominal renewal (one year after the start) falls; a start in July–December on January 1
    /// of the year after that.
    /// Nil when that day lies after the platform's date range.
    public static func renewal(after start: CivilDate) -> CivilDate? {
        start.month <= 6 ? CivilDate(start.year + 1, 7, 1) : CivilDate(start.year + 2, 1, 1)
    }

    /// The agreement years from `start` to the cycle's last day `cycleEnd` (inclusive); empty when the cycle ends
    /// before it starts, or on the range's last day (the end of a year is the day after its last, which must be a
    /// day of the range: `latestCycleEnd`). A renewal or anniversary after the range lies after the cycle's end.
    public static func years(start: CivilDate, cycleEnd: CivilDate) -> [AgreementYear] {
        guard let stop = cycleEnd.adding(days: 1), start < stop else { return [] }
        var out: [AgreementYear] = []
        var from = start
        var to = renewal(after: start).map { min($0, stop) } ?? stop
        while from < stop {
            out.append(AgreementYear(start: from, end: to, daysOfTwelveMonths: from.daysOfTwelveMonths))
            from = to
            to = from.adding(years: 1).map { min($0, stop) } ?? stop
        }
        return out
    }

    /// The first agreement year of a cycle a publication may set (003 §4), or why not: the cycle starts after the
    /// batch's history reference period (the demand it executes was measured on it) and at most
    /// `InputLimits.maxYearsToExecution` years after it, lasts at most `InputLimits.maxCycleYears`, and has an
    /// agreement year (it ends by `latestCycleEnd`). A year typo such as 2126 is refused here, not found later.
    public static func publishable(start: CivilDate, cycleEnd: CivilDate, referencePeriod: MonthRange) -> Result<AgreementYear, Refusal> {
        guard let first = years(start: start, cycleEnd: cycleEnd).first else { return .failure(Refusal(.badCycle)) }
        let referenceEnd = referencePeriod.last.lastDay
        let latestStart = referenceEnd.adding(years: InputLimits.maxYearsToExecution) ?? CivilDate.latest
        guard start > referenceEnd, start <= latestStart, cycleEnd <= start.adding(years: InputLimits.maxCycleYears) ?? CivilDate.latest else {
            return .failure(
                Refusal(
                    .badCycle,
                    zh: "执行起始日应在本批次历史采购基准期（截至\(referenceEnd)）之后、\(latestStart)之前，采购周期不超过\(InputLimits.maxCycleYears)年",
                    en: "the execution must start after the batch's reference period (to \(referenceEnd)) and by \(latestStart), "
                        + "and the cycle last at most \(InputLimits.maxCycleYears) years"))
        }
        return .success(first)
    }

    /// The last cycle end the platform can hold: the day before the range's last.
    public static let latestCycleEnd = CivilDate.latest.adding(days: -1) ?? CivilDate.latest
}
