import Foundation

/// One institution × unit in a gap analysis: its agreed content and amount, what it has bought, what it has ordered
/// that is not yet accepted, and whether a verified supply problem covers it.
public struct GapItem: Sendable, Hashable {
    public var key: String
    public var agreedContent: Int64
    public var agreedAmountFen: Int64
    public var winningContent: Int64
    /// Ordered and not accepted (content).
    public var pendingContent: Int64
    public var supplyProblem: Bool

    public init(key: String, agreedContent: Int64, agreedAmountFen: Int64, winningContent: Int64, pendingContent: Int64, supplyProblem: Bool = false)
    {
        self.key = key
        self.agreedContent = agreedContent
        self.agreedAmountFen = agreedAmountFen
        self.winningContent = winningContent
        self.pendingContent = pendingContent
        self.supplyProblem = supplyProblem
    }
}

/// How much one item pulls a group's completion below its schedule, in millionths (1,000,000 = 100 percentage
/// points), split into the supply side (ordered but not delivered, or under a verified supply problem) and the
/// demand side (not ordered).
public struct GapContribution: Sendable, Hashable {
    public var key: String
    public var points: Int64
    public var supplyPoints: Int64
    public var demandPoints: Int64 { points - supplyPoints }
}

/// Why a group (the province, a city, an institution) is behind its schedule (design; docs/rules.md "Why behind").
/// Units are not comparable in content, so a group's completion weighs each institution × unit by its agreed amount
/// at the winning prices: C = Σ wᵢ·Cᵢ with wᵢ = agreed amountᵢ ÷ Σ agreed amount. The gap S − C is then exactly
/// Σ wᵢ·(S − Cᵢ): each item's pull adds up to the group's gap, and a group's pull is the sum of its members'.
/// Completion is not capped (docs/rules.md "The measures"), so an item ahead of the schedule has a negative pull.
public enum ScheduleGap {
    public static let scale: Int128 = 1_000_000

    /// The weighted completion of the items, in millionths; nil when nothing was agreed.
    public static func completion(_ items: [GapItem]) -> Int64? {
        let total = items.reduce(Int128(0)) { $0 + Int128($1.agreedAmountFen) }
        guard total > 0 else { return nil }
        var sum: Int128 = 0
        for item in items where item.agreedContent > 0 {
            sum += (scale * Int128(item.agreedAmountFen) * Int128(item.winningContent)).dividedRoundingHalfUp(by: Int128(item.agreedContent) * total)
        }
        return Int64(clamping: sum)
    }

    /// Each item's pull on the gap, in millionths, rounded half up once per item; largest pull first.
    public static func contributions(_ items: [GapItem], schedule: Fraction) -> [GapContribution] {
        let total = items.reduce(Int128(0)) { $0 + Int128($1.agreedAmountFen) }
        guard total > 0 else { return [] }
        var out: [GapContribution] = []
        for item in items where item.agreedContent > 0 {
            let agreed = Int128(item.agreedContent)
            // shortfall in content × S.den: S·agreed − winning
            let shortfall = schedule.numerator * agreed - schedule.denominator * Int128(item.winningContent)
            let points = (scale * Int128(item.agreedAmountFen) * shortfall).dividedRoundingHalfUp(by: schedule.denominator * agreed * total)
            var supply: Int128 = 0
            if shortfall > 0 {
                let supplied = item.supplyProblem ? shortfall : min(shortfall, schedule.denominator * Int128(item.pendingContent))
                supply = (points * supplied).dividedRoundingHalfUp(by: shortfall)
            }
            out.append(GapContribution(key: item.key, points: Int64(clamping: points), supplyPoints: Int64(clamping: supply)))
        }
        return out.sorted { ($0.points, $1.key) > ($1.points, $0.key) }
    }

    /// Percentage points with two decimals from millionths ("−1.25").
    public static func pointsText(_ millionths: Int64) -> String {
        let hundredths = Int128(millionths).dividedRoundingHalfUp(by: 100)
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
