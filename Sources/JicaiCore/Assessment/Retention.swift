import Foundation

/// One item's savings retention (结余留用; 004 §3, 000 §5(二), 003 §8(三); docs/rules.md "Savings retention").
public struct RetentionItem: Sendable, Hashable {
    /// The year's agreed content and the winning purchases (content and amount) of the year.
    public var agreedContent: Int64
    public var winningContent: Int64
    public var winningAmountFen: Int64
    /// The pre-award weighted average price, fen per effective-content unit, as an exact fraction.
    public var preAwardPriceNumerator: Int64
    public var preAwardPriceDenominator: Int64
    /// The item failed its assessment; the variety was reported by the institution; the institution is paid by
    /// disease group and this is its first agreement year.
    public var failed: Bool
    public var reported: Bool
    public var diseaseGroupFirstYear: Bool

    public init(
        agreedContent: Int64, winningContent: Int64, winningAmountFen: Int64, preAwardPriceNumerator: Int64, preAwardPriceDenominator: Int64,
        failed: Bool, reported: Bool, diseaseGroupFirstYear: Bool
    ) {
        self.agreedContent = agreedContent
        self.winningContent = winningContent
        self.winningAmountFen = winningAmountFen
        self.preAwardPriceNumerator = preAwardPriceNumerator
        self.preAwardPriceDenominator = preAwardPriceDenominator
        self.failed = failed
        self.reported = reported
        self.diseaseGroupFirstYear = diseaseGroupFirstYear
    }
}

/// What an item retains, with the steps.
public struct RetentionResult: Sendable, Hashable {
    /// min(winning purchases, agreed content): purchases above the agreed volume do not count.
    public var baseContent: Int64
    /// The savings before the grade's share, rounded half up to fen (for the sheet); 0 when none.
    public var savingsFen: Int64
    public var retainedFen: Int64
    /// Why nothing is retained, when nothing is.
    public var none: LocalizedText?
}

public enum RetentionRules {
    /// savings = base × (pre-award price − the winning price actually paid) × the fund's payment ratio × the insured
    /// share, never below zero; retained = round_half_up(savings × the grade's share), in fen. Nothing when the item
    /// failed (004 §7), the variety was not reported (000 §5(二), 004 §3), or in a disease-group institution's first
    /// year (003 §8(三)). Nil when the figures are beyond exact arithmetic (refused by the caller, never trapped on).
    public static func retention(_ item: RetentionItem, grade: Grade, policy: AssessmentPolicy) -> RetentionResult? {
        let base = max(0, min(item.winningContent, item.agreedContent))
        func none(_ zh: String, _ en: String) -> RetentionResult {
            RetentionResult(baseContent: base, savingsFen: 0, retainedFen: 0, none: LocalizedText(zh: zh, en: en))
        }
        if !item.reported { return none("未报量：不予留用（000 §5(二)，004 §3）", "not reported: no retention (000 §5(二), 004 §3)") }
        if item.failed { return none("考核不合格：不予留用（004 §7）", "failed the assessment: no retention (004 §7)") }
        if item.diseaseGroupFirstYear && policy.diseaseGroupFirstYearExempt {
            return none("按病种付费机构首年不考核留用（003 §8(三)）", "disease-group payment, first year: not assessed (003 §8(三))")
        }
        guard base > 0, item.winningContent > 0, item.preAwardPriceDenominator > 0 else {
            return RetentionResult(baseContent: base, savingsFen: 0, retainedFen: 0, none: nil)
        }
        // Per content unit: P = pn/pd, paid W = wa/wc; saving per unit = (pn × wc − wa × pd) / (pd × wc).
        let (pn, pd) = (Int128(max(0, item.preAwardPriceNumerator)), Int128(item.preAwardPriceDenominator))
        let (wa, wc) = (Int128(max(0, item.winningAmountFen)), Int128(item.winningContent))
        let (fund, insured, share) = (policy.fundPaymentRatio, policy.insuredShare, policy.retention(grade))
        // Each step reduced before the next, so the figures of a province's history (content in base units over
        // millions of packs) stay far inside Int128: unreduced, the product of the two denominators and the base
        // left it for real institutions (the 50,000-institution benchmark).
        guard let perUnit = Exact(pn, pd).minus(Exact(wa, wc)) else { return nil }
        guard perUnit.numerator > 0 else { return RetentionResult(baseContent: base, savingsFen: 0, retainedFen: 0, none: nil) }
        guard
            let savings = perUnit.times(Int128(base), 1)?.times(Int128(fund.numerator), Int128(fund.denominator))?
                .times(Int128(insured.numerator), Int128(insured.denominator)),
            let retained = savings.times(Int128(share.numerator), Int128(share.denominator))
        else { return nil }
        let savingsFen = savings.numerator.dividedRoundingHalfUp(by: savings.denominator)
        let retainedFen = retained.numerator.dividedRoundingHalfUp(by: retained.denominator)
        guard let savingsFen = Int64(exactly: savingsFen), let retainedFen = Int64(exactly: retainedFen) else { return nil }
        return RetentionResult(baseContent: base, savingsFen: savingsFen, retainedFen: retainedFen, none: nil)
    }

    /// A non-negative-denominator fraction kept in lowest terms; every operation checks for overflow (nil).
    struct Exact {
        var numerator: Int128
        var denominator: Int128

        init(_ numerator: Int128, _ denominator: Int128) {
            let g = ScoreRules.gcd(numerator, denominator)
            self.numerator = numerator / g
            self.denominator = denominator / g
        }

        func minus(_ other: Exact) -> Exact? {
            let g = ScoreRules.gcd(denominator, other.denominator)
            let (left, o1) = numerator.multipliedReportingOverflow(by: other.denominator / g)
            let (right, o2) = other.numerator.multipliedReportingOverflow(by: denominator / g)
            let (den, o3) = denominator.multipliedReportingOverflow(by: other.denominator / g)
            let (num, o4) = left.subtractingReportingOverflow(right)
            return o1 || o2 || o3 || o4 ? nil : Exact(num, den)
        }

        /// × n/d, cross-reduced first.
        func times(_ n: Int128, _ d: Int128) -> Exact? {
            guard d > 0 else { return nil }
            let g1 = ScoreRules.gcd(numerator, d)
            let g2 = ScoreRules.gcd(n, denominator)
            let (num, o1) = (numerator / g1).multipliedReportingOverflow(by: n / g2)
            let (den, o2) = (denominator / g2).multipliedReportingOverflow(by: d / g1)
            return o1 || o2 ? nil : Exact(num, den)
        }
    }

    /// The sum of retained amounts, nil when it leaves Int64 (the institution's total, the province's).
    public static func total(_ amounts: [Int64]) -> Int64? {
        var sum: Int64 = 0
        for a in amounts {
            let (next, overflow) = sum.addingReportingOverflow(a)
            if overflow { return nil }
            sum = next
        }
        return sum
    }
}
