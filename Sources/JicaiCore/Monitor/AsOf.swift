import Foundation

/// The day a monitoring run measures as of (004 §6; docs/rules.md "Recompute"). A batch has one: every position,
/// tally and alert of it is as of the same day.
public enum MonitorAsOf {
    /// Why `day` cannot be a run's as-of day, or nil: it must fall inside the cycle, from the execution start to the
    /// cycle's last day, where every day belongs to an agreement year.
    public static func refusal(_ day: CivilDate, executionStart: CivilDate, cycleEnd: CivilDate) -> Refusal? {
        guard day < executionStart || cycleEnd < day else { return nil }
        return Refusal(
            .asOfOutsideCycle, zh: "监测截止日\(day)不在采购周期\(executionStart)至\(cycleEnd)内",
            en: "the as-of day \(day) is outside the cycle \(executionStart) to \(cycleEnd)")
    }

    /// The as-of day when none is given: the last day of the latest month with purchase lines (the data is complete
    /// to there), but never after today (a month still running is measured as of today, not as of days to come);
    /// today without lines; either taken into the cycle.
    public static func byDefault(latestMonth: MonthKey?, today: CivilDate, executionStart: CivilDate, cycleEnd: CivilDate) -> CivilDate {
        let day = min(latestMonth?.lastDay ?? today, today)
        return min(max(day, executionStart), cycleEnd)
    }
}
