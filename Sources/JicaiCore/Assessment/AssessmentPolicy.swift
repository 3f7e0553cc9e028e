import Foundation

/// The numbers of the assessment and savings-retention stage (管; 004 §3, §7; 003 §8(三); docs/rules.md
/// "Assessment"): the score's weights, the grade thresholds, the retention formula's coefficients. Every one a batch
/// may change, so another province's scheme is a configuration.
public struct AssessmentPolicy: Sendable, Hashable, Codable {
    /// The score's weights (points): completion, the non-winning cap, payment on time, agreements signed on time.
    public var completionWeight: Int64
    public var nonWinningWeight: Int64
    public var paymentWeight: Int64
    public var signingWeight: Int64
    /// Grade A above `gradeA` points; B from `gradeB` to `gradeA`; C from `gradeC` below `gradeB`; D below `gradeC`.
    public var gradeA: Int64
    public var gradeB: Int64
    public var gradeC: Int64
    /// The share of an item's savings left with the institution, by grade (A 50%, B 40%, C 30%, D 0).
    public var retentionA: Ratio
    public var retentionB: Ratio
    public var retentionC: Ratio
    public var retentionD: Ratio
    /// The fund's payment ratio and the share of insured patients, applied to the price saving.
    public var fundPaymentRatio: Ratio
    public var insuredShare: Ratio
    /// Institutions paid by disease group (DRG/DIP) are not assessed for retention in their first agreement year
    /// (003 §8(三)).
    public var diseaseGroupFirstYearExempt: Bool
    /// Days an institution has to contest its result (design).
    public var appealDays: Int
    /// The supervision leads' thresholds (design).
    public var leads: LeadPolicy
    /// The price cuts the demand form's what-if assumes before the award is known, from the smaller to the larger
    /// (design: national batches have cut prices by about half on average).
    public var whatIfCutLow: Ratio
    public var whatIfCutHigh: Ratio

    public init(
        completionWeight: Int64 = 40, nonWinningWeight: Int64 = 30, paymentWeight: Int64 = 15, signingWeight: Int64 = 15, gradeA: Int64 = 80,
        gradeB: Int64 = 70, gradeC: Int64 = 60, retentionA: Ratio = .percent(50), retentionB: Ratio = .percent(40), retentionC: Ratio = .percent(30),
        retentionD: Ratio = .percent(0), fundPaymentRatio: Ratio = .percent(70), insuredShare: Ratio = .percent(100),
        diseaseGroupFirstYearExempt: Bool = true, appealDays: Int = 10, leads: LeadPolicy = LeadPolicy(),
        whatIfCutLow: Ratio = .percent(40), whatIfCutHigh: Ratio = .percent(60)
    ) {
        self.completionWeight = completionWeight
        self.nonWinningWeight = nonWinningWeight
        self.paymentWeight = paymentWeight
        self.signingWeight = signingWeight
        self.gradeA = gradeA
        self.gradeB = gradeB
        self.gradeC = gradeC
        self.retentionA = retentionA
        self.retentionB = retentionB
        self.retentionC = retentionC
        self.retentionD = retentionD
        self.fundPaymentRatio = fundPaymentRatio
        self.insuredShare = insuredShare
        self.diseaseGroupFirstYearExempt = diseaseGroupFirstYearExempt
        self.appealDays = appealDays
        self.leads = leads
        self.whatIfCutLow = whatIfCutLow
        self.whatIfCutHigh = whatIfCutHigh
    }

    private enum CodingKeys: String, CodingKey {
        case completionWeight, nonWinningWeight, paymentWeight, signingWeight, gradeA, gradeB, gradeC, retentionA, retentionB, retentionC
        case retentionD, fundPaymentRatio, insuredShare, diseaseGroupFirstYearExempt, appealDays, leads, whatIfCutLow, whatIfCutHigh
    }

    /// A stored policy that predates a field gets the field's default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AssessmentPolicy()
        completionWeight = try c.decodeIfPresent(Int64.self, forKey: .completionWeight) ?? d.completionWeight
        nonWinningWeight = try c.decodeIfPresent(Int64.self, forKey: .nonWinningWeight) ?? d.nonWinningWeight
        paymentWeight = try c.decodeIfPresent(Int64.self, forKey: .paymentWeight) ?? d.paymentWeight
        signingWeight = try c.decodeIfPresent(Int64.self, forKey: .signingWeight) ?? d.signingWeight
        gradeA = try c.decodeIfPresent(Int64.self, forKey: .gradeA) ?? d.gradeA
        gradeB = try c.decodeIfPresent(Int64.self, forKey: .gradeB) ?? d.gradeB
        gradeC = try c.decodeIfPresent(Int64.self, forKey: .gradeC) ?? d.gradeC
        retentionA = try c.decodeIfPresent(Ratio.self, forKey: .retentionA) ?? d.retentionA
        retentionB = try c.decodeIfPresent(Ratio.self, forKey: .retentionB) ?? d.retentionB
        retentionC = try c.decodeIfPresent(Ratio.self, forKey: .retentionC) ?? d.retentionC
        retentionD = try c.decodeIfPresent(Ratio.self, forKey: .retentionD) ?? d.retentionD
        fundPaymentRatio = try c.decodeIfPresent(Ratio.self, forKey: .fundPaymentRatio) ?? d.fundPaymentRatio
        insuredShare = try c.decodeIfPresent(Ratio.self, forKey: .insuredShare) ?? d.insuredShare
        diseaseGroupFirstYearExempt = try c.decodeIfPresent(Bool.self, forKey: .diseaseGroupFirstYearExempt) ?? d.diseaseGroupFirstYearExempt
        appealDays = try c.decodeIfPresent(Int.self, forKey: .appealDays) ?? d.appealDays
        leads = try c.decodeIfPresent(LeadPolicy.self, forKey: .leads) ?? d.leads
        whatIfCutLow = try c.decodeIfPresent(Ratio.self, forKey: .whatIfCutLow) ?? d.whatIfCutLow
        whatIfCutHigh = try c.decodeIfPresent(Ratio.self, forKey: .whatIfCutHigh) ?? d.whatIfCutHigh
    }

    /// The retention share of a grade.
    public func retention(_ grade: Grade) -> Ratio {
        switch grade {
        case .a: retentionA
        case .b: retentionB
        case .c: retentionC
        case .d: retentionD
        }
    }

    /// What makes the policy unusable: weights that do not add up to 100, thresholds out of order, shares above 100%.
    public func problems() -> [LocalizedText] {
        var out: [LocalizedText] = []
        let weights = [completionWeight, nonWinningWeight, paymentWeight, signingWeight]
        if weights.contains(where: { $0 < 0 }) || weights.reduce(0, +) != 100 {
            out.append(LocalizedText(zh: "考核各项权重应为非负数且合计100分", en: "the score's weights must be non-negative and add up to 100"))
        }
        if !(0 <= gradeC && gradeC <= gradeB && gradeB <= gradeA && gradeA <= 100) {
            out.append(LocalizedText(zh: "等级分数线应满足0≤C≤B≤A≤100", en: "the grade thresholds must satisfy 0 ≤ C ≤ B ≤ A ≤ 100"))
        }
        let shares = [retentionA, retentionB, retentionC, retentionD, fundPaymentRatio, insuredShare]
        if shares.contains(where: { $0.numerator > $0.denominator }) {
            out.append(LocalizedText(zh: "留用比例、基金支付比例和参保人比例应在0至100%之间", en: "the retention, fund and insured shares must be between 0 and 100%"))
        }
        if whatIfCutLow > whatIfCutHigh || whatIfCutHigh.numerator >= whatIfCutHigh.denominator {
            out.append(LocalizedText(zh: "预估降价幅度应满足0≤下限≤上限<100%", en: "the what-if price cuts must satisfy 0 ≤ low ≤ high < 100%"))
        }
        if !(0...60).contains(appealDays) { out.append(LocalizedText(zh: "申诉期限应在0至60天之间", en: "the appeal days must be between 0 and 60")) }
        return out
    }
}

/// An institution's grade from its score (docs/rules.md "Assessment").
public enum Grade: String, Sendable, Hashable, Codable, CaseIterable {
    case a = "A"
    case b = "B"
    case c = "C"
    case d = "D"
}
