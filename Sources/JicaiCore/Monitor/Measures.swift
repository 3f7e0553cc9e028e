import Foundation

/// The numbers of the monitoring stage (用; domain 11.3, §9): every threshold a batch may change.
public struct MonitorPolicy: Sendable, Hashable, Codable {
    /// `BEHIND_SCHEDULE` when completion is below the schedule by more than this (default 0).
    public var scheduleTolerance: Ratio
    /// "Severe" when completion is also below this fraction of the schedule (default 80%).
    public var severeFraction: Ratio
    /// `NON_WINNING_SHARE_HIGH` above this share (default 30%; 001 §2(七) makes it per batch).
    public var nonWinningCap: Ratio

    public init(scheduleTolerance: Ratio = Ratio(0, 1), severeFraction: Ratio = .percent(80), nonWinningCap: Ratio = .percent(30)) {
        self.scheduleTolerance = scheduleTolerance
        self.severeFraction = severeFraction
        self.nonWinningCap = nonWinningCap
    }
}

/// An exact fraction of two wide integers (completion, schedule, shares), compared by cross-multiplying.
public struct Fraction: Sendable, Comparable, CustomStringConvertible {
    public let numerator: Int128
    public let denominator: Int128

    public init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator > 0, "a fraction needs a positive denominator")
        self.numerator = numerator
        self.denominator = denominator
    }

    public static func < (lhs: Fraction, rhs: Fraction) -> Bool { lhs.numerator * rhs.denominator < rhs.numerator * lhs.denominator }
    public static func == (lhs: Fraction, rhs: Fraction) -> Bool { lhs.numerator * rhs.denominator == rhs.numerator * lhs.denominator }

    public func times(_ ratio: Ratio) -> Fraction { Fraction(numerator * Int128(ratio.numerator), denominator * Int128(ratio.denominator)) }

    public func minus(_ ratio: Ratio) -> Fraction {
        Fraction(numerator * Int128(ratio.denominator) - Int128(ratio.numerator) * denominator, denominator * Int128(ratio.denominator))
    }

    /// Percent with one decimal, rounded half up (display only).
    public var percentText: String {
        let tenths = (numerator * 1000).dividedRoundingHalfUp(by: denominator)
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths < 0 ? -tenths : tenths
        return "\(sign)\(magnitude / 10).\(magnitude % 10)%"
    }

    public var description: String { percentText }
}

/// The measures of one institution × variety × agreement year as of a day (domain 11.3).
public enum Measures {
    /// Schedule S = days elapsed in the agreement year up to and including `day` ÷ days in the year; 0 before the
    /// year starts, 1 from its last day on (domain 11.3 item 2).
    public static func schedule(_ year: AgreementYear, on day: CivilDate) -> Fraction {
        let elapsed = max(0, min(year.days, year.start.days(until: day) + 1))
        return Fraction(Int128(elapsed), Int128(max(1, year.days)))
    }

    /// Completion C = accepted winning content ÷ agreed content of the year; nil when nothing was agreed (a zero
    /// agreed volume has no schedule to fall behind). Not capped (domain 11.3 item 1).
    public static func completion(winningContent: Int128, agreedContent: Int128) -> Fraction? {
        agreedContent > 0 ? Fraction(winningContent, agreedContent) : nil
    }

    /// How far behind the schedule, if behind: nil when on or ahead of schedule (within the tolerance); otherwise
    /// whether it is severe (completion also below `severeFraction` × schedule).
    public enum Lag: Sendable, Hashable { case normal, severe }

    public static func lag(completion: Fraction, schedule: Fraction, policy: MonitorPolicy) -> Lag? {
        guard completion < schedule.minus(policy.scheduleTolerance) else { return nil }
        return completion < schedule.times(policy.severeFraction) ? .severe : .normal
    }

    /// Non-winning share N = non-winning ÷ (winning + non-winning); nil when nothing was bought (domain 11.3 item 3;
    /// the caller leaves out backup purchases outside a verified problem and cheaper equivalents, 004 §7).
    public static func nonWinningShare(winning: Int128, nonWinning: Int128) -> Fraction? {
        winning + nonWinning > 0 ? Fraction(nonWinning, winning + nonWinning) : nil
    }

    public static func nonWinningHigh(_ share: Fraction, policy: MonitorPolicy) -> Bool {
        Fraction(Int128(policy.nonWinningCap.numerator), Int128(policy.nonWinningCap.denominator)) < share
    }

    /// The first day from which `NOT_ENTERED` applies: the first day of the third calendar month of execution, the
    /// start month counting as the first (a start on April 15 gives June 1; domain 11.3 item 5, 004 §1).
    public static func entryCheckFrom(executionStart start: CivilDate) -> CivilDate {
        let monthIndex = start.year * 12 + (start.month - 1) + 2
        return CivilDate(monthIndex / 12, monthIndex % 12 + 1, 1)!
    }
}
