import Foundation

/// What an institution's yearly score is made of (docs/rules.md "Assessment"): for each part, how many passed of how
/// many counted. A part with nothing in it counts as fully passed.
public struct ScoreParts: Sendable, Hashable {
    /// Items whose completion was assessed, and those that completed.
    public var completionAssessed: Int64
    public var completionPassed: Int64
    /// Items whose non-winning share was counted, and those within the cap.
    public var shareCounted: Int64
    public var sharePassed: Int64
    /// The accepted amount due in the year, and the part of it paid by its due date (003 §8(一)).
    public var dueFen: Int64
    public var paidOnTimeFen: Int64
    /// The institution's agreements, and those it signed by the deadline.
    public var agreements: Int64
    public var signedOnTime: Int64

    public init(
        completionAssessed: Int64 = 0, completionPassed: Int64 = 0, shareCounted: Int64 = 0, sharePassed: Int64 = 0, dueFen: Int64 = 0,
        paidOnTimeFen: Int64 = 0, agreements: Int64 = 0, signedOnTime: Int64 = 0
    ) {
        self.completionAssessed = completionAssessed
        self.completionPassed = completionPassed
        self.shareCounted = shareCounted
        self.sharePassed = sharePassed
        self.dueFen = dueFen
        self.paidOnTimeFen = paidOnTimeFen
        self.agreements = agreements
        self.signedOnTime = signedOnTime
    }
}

/// A score in hundredths of a point (8235 = 82.35) with its grade.
public struct Score: Sendable, Hashable {
    public var hundredths: Int64
    public var grade: Grade

    public init(hundredths: Int64, grade: Grade) {
        self.hundredths = hundredths
        self.grade = grade
    }

    /// "82.35".
    public var text: String {
        let cents = hundredths % 100
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

public enum ScoreRules {
    /// The score: Σ weight × passed ÷ counted over the four parts, rounded half up to two decimals once; the grade
    /// from the rounded score: A above `gradeA`, B from `gradeB` to `gradeA` (both included), C from `gradeC` below
    /// `gradeB`, D below `gradeC` (docs/rules.md "Assessment"). Counts are clamped into 0…counted.
    public static func score(_ p: ScoreParts, policy: AssessmentPolicy) -> Score {
        let parts: [(weight: Int64, passed: Int64, counted: Int64)] = [
            (policy.completionWeight, p.completionPassed, p.completionAssessed), (policy.nonWinningWeight, p.sharePassed, p.shareCounted),
            (policy.paymentWeight, p.paidOnTimeFen, p.dueFen), (policy.signingWeight, p.signedOnTime, p.agreements),
        ]
        // Exact: Σ (100 × w × n / d) over a common denominator, reduced as it grows.
        var numerator: Int128 = 0
        var denominator: Int128 = 1
        for part in parts {
            let counted = Int128(max(0, part.counted))
            let (n, d): (Int128, Int128) = counted == 0 ? (1, 1) : (Int128(min(max(0, part.passed), part.counted)), counted)
            let term = Int128(100) * Int128(max(0, part.weight)) * n
            numerator = numerator * d + term * denominator
            denominator *= d
            let g = gcd(numerator, denominator)
            numerator /= g
            denominator /= g
        }
        let hundredths = Int64(clamping: numerator.dividedRoundingHalfUp(by: denominator))
        return Score(hundredths: hundredths, grade: grade(hundredths: hundredths, policy: policy))
    }

    public static func grade(hundredths: Int64, policy: AssessmentPolicy) -> Grade {
        if hundredths > policy.gradeA * 100 { return .a }
        if hundredths >= policy.gradeB * 100 { return .b }
        if hundredths >= policy.gradeC * 100 { return .c }
        return .d
    }

    /// The greatest common divisor of the magnitudes, 1 when both are 0 (or when it would be 2^127, which `Int128`
    /// cannot hold). Once both fit in 64 bits the rest runs on hardware division: `Int128`'s `%` is a library call,
    /// and every retention (the year's run, each what-if) reduces its fractions here.
    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var (x, y) = (a.magnitude, b.magnitude)
        let small = UInt128(UInt64.max)
        while y != 0 {
            if x <= small, y <= small {
                var (p, q) = (UInt64(x), UInt64(y))
                while q != 0 { (p, q) = (q, p % q) }
                (x, y) = (UInt128(p), 0)
                break
            }
            (x, y) = (y, x % y)
        }
        guard x != 0, let g = Int128(exactly: x) else { return 1 }
        return g
    }
}

extension ScoreRules {
    /// The last day for signing a year's agreements (agreements are signed every year, 003 §4; the day: design): the
    /// publication's signing deadline for the cycle's first year (its first day when none was set), a later year's
    /// first day.
    public static func signingDeadline(firstYear: Bool, published: CivilDate?, yearStart: CivilDate) -> CivilDate {
        firstYear ? (published ?? yearStart) : yearStart
    }

    /// Of an institution's agreements of the year (the moment it signed each, nil when not signed), those signed on or
    /// before the deadline, Beijing time.
    public static func signedOnTime(_ signatures: [Date?], deadline: CivilDate) -> Int64 {
        Int64(signatures.filter { $0.map { CivilDate(beijing: $0) <= deadline } ?? false }.count)
    }
}

/// Ranks for a list already ordered best first (design: the bureaus' usual "1, 2, 2, 4" ranking): equal values share
/// the rank of the first of them, and the next value's rank counts every one above it.
public enum Ranking {
    public static func competition<T: Equatable>(_ ordered: [T]) -> [Int] {
        var ranks: [Int] = []
        ranks.reserveCapacity(ordered.count)
        for (index, value) in ordered.enumerated() {
            if index > 0, ordered[index - 1] == value, let previous = ranks.last {
                ranks.append(previous)
            } else {
                ranks.append(index + 1)
            }
        }
        return ranks
    }
}
