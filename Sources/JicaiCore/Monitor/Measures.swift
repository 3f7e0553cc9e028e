import Foundation

/// The numbers of the monitoring stage (用; 004 §6; docs/rules.md "The measures"): every threshold a batch may change.
public struct MonitorPolicy: Sendable, Hashable, Codable {
    /// `BEHIND_SCHEDULE` when completion is below the schedule by more than this (default 0).
    public var scheduleTolerance: Ratio
    /// "Severe" when completion is also below this fraction of the schedule (default 80%).
    public var severeFraction: Ratio
    /// `NON_WINNING_SHARE_HIGH` above this share (default 30%; 001 §2(七) makes it per batch).
    public var nonWinningCap: Ratio
    /// `UNDELIVERED` when an order has had no delivery for more than this many days (design: 3; the notices ask for
    /// timely delivery without a number, 003 §2, 004 §8).
    public var deliveryDays: Int
    /// Prescription review: a department or doctor is reported when its non-winning share of a variety is above
    /// `reviewShare` and its non-winning amount in the period is at least `reviewAmountFen` (design: 50%, ¥1,000;
    /// 004 §2, 001 §2(三) ask for "unreasonably heavy" use without numbers).
    public var reviewShare: Ratio
    public var reviewAmountFen: Int64
    /// A recompute that would resolve more than this many alerts by itself must be confirmed first (design: 10; a
    /// run as of the wrong day would otherwise close them silently).
    public var quietResolutions: Int

    public init(
        scheduleTolerance: Ratio = Ratio(0, 1), severeFraction: Ratio = .percent(80), nonWinningCap: Ratio = .percent(30),
        deliveryDays: Int = 3, reviewShare: Ratio = .percent(50), reviewAmountFen: Int64 = 100_000, quietResolutions: Int = 10
    ) {
        self.quietResolutions = quietResolutions
        self.scheduleTolerance = scheduleTolerance
        self.severeFraction = severeFraction
        self.nonWinningCap = nonWinningCap
        self.deliveryDays = deliveryDays
        self.reviewShare = reviewShare
        self.reviewAmountFen = reviewAmountFen
    }

    private enum CodingKeys: String, CodingKey {
        case scheduleTolerance, severeFraction, nonWinningCap, deliveryDays, reviewShare, reviewAmountFen, quietResolutions
    }

    /// A stored policy that predates a field gets the field's default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MonitorPolicy()
        scheduleTolerance = try container.decodeIfPresent(Ratio.self, forKey: .scheduleTolerance) ?? defaults.scheduleTolerance
        severeFraction = try container.decodeIfPresent(Ratio.self, forKey: .severeFraction) ?? defaults.severeFraction
        nonWinningCap = try container.decodeIfPresent(Ratio.self, forKey: .nonWinningCap) ?? defaults.nonWinningCap
        deliveryDays = try container.decodeIfPresent(Int.self, forKey: .deliveryDays) ?? defaults.deliveryDays
        reviewShare = try container.decodeIfPresent(Ratio.self, forKey: .reviewShare) ?? defaults.reviewShare
        reviewAmountFen = try container.decodeIfPresent(Int64.self, forKey: .reviewAmountFen) ?? defaults.reviewAmountFen
        quietResolutions = try container.decodeIfPresent(Int.self, forKey: .quietResolutions) ?? defaults.quietResolutions
    }

    public func problems() -> [LocalizedText] {
        var out: [LocalizedText] = []
        if deliveryDays < 0 { out.append(LocalizedText(zh: "配送时限天数不能为负", en: "the delivery days must not be negative")) }
        if nonWinningCap.numerator > nonWinningCap.denominator {
            out.append(LocalizedText(zh: "非中选占比上限应在0至100%之间", en: "the non-winning cap must be between 0 and 100%"))
        }
        return out
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

/// The measures of one institution × variety × agreement year as of a day (docs/rules.md "The measures").
public enum Measures {
    /// Schedule S = days elapsed in the agreement year up to and including `day` ÷ days in the year; 0 before the
    /// year starts, 1 from its last day on (docs/rules.md "The measures").
    public static func schedule(_ year: AgreementYear, on day: CivilDate) -> Fraction {
        let elapsed = max(0, min(year.days, year.start.days(until: day) + 1))
        return Fraction(Int128(elapsed), Int128(max(1, year.days)))
    }

    /// Completion C = accepted winning content ÷ agreed content of the year; nil when nothing was agreed (a zero
    /// agreed volume has no schedule to fall behind). Not capped (docs/rules.md "The measures").
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

    /// Non-winning share N = non-winning ÷ (winning + non-winning); nil when nothing was bought (docs/rules.md "The measures";
    /// the caller leaves out backup purchases outside a verified problem and cheaper equivalents, 004 §7).
    public static func nonWinningShare(winning: Int128, nonWinning: Int128) -> Fraction? {
        winning + nonWinning > 0 ? Fraction(nonWinning, winning + nonWinning) : nil
    }

    public static func nonWinningHigh(_ share: Fraction, policy: MonitorPolicy) -> Bool {
        Fraction(Int128(policy.nonWinningCap.numerator), Int128(policy.nonWinningCap.denominator)) < share
    }

    /// The first day from which `NOT_ENTERED` applies: the first day of the third calendar month of execution, the
    /// start month counting as the first (a start on April 15 gives June 1; docs/rules.md "The measures"; 004 §1).
    /// Nil when that day lies after the platform's date range (the check never applies).
    public static func entryCheckFrom(executionStart start: CivilDate) -> CivilDate? {
        MonthKey(start).advanced(by: 2)?.firstDay
    }
}
