import Foundation

/// What a supervision lead points at (001 §2(八), 004 §9): leads are found in the year's data for the bureau's
/// supervisors to look into; none is a finding by itself.
public enum LeadKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Purchases of the year far above the agreed volume.
    case overAgreed
    /// A non-winning share far above the batch's cap.
    case nonWinningSurge
    /// Traceability codes settled twice (supply's anomalies).
    case doubleSettled
    /// Deliveries paid after their due date, again and again.
    case lateRepeated
    /// Reported demand far from actual use two years running.
    case demandFarFromUse

    public var label: LocalizedText {
        switch self {
        case .overAgreed: LocalizedText(zh: "采购量远超约定量", en: "purchases far above the agreed volume")
        case .nonWinningSurge: LocalizedText(zh: "非中选产品采购激增", en: "non-winning purchases surging")
        case .doubleSettled: LocalizedText(zh: "追溯码重复结算", en: "traceability codes settled twice")
        case .lateRepeated: LocalizedText(zh: "多次逾期回款", en: "repeated late payments")
        case .demandFarFromUse: LocalizedText(zh: "报量与实际使用连续两年偏离", en: "demand far from use two years running")
        }
    }
}

/// A lead's case life: open, being investigated, closed with the supervisor's finding.
public enum LeadStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, investigating, closed

    public var label: LocalizedText {
        switch self {
        case .open: LocalizedText(zh: "待处理", en: "open")
        case .investigating: LocalizedText(zh: "核查中", en: "investigating")
        case .closed: LocalizedText(zh: "已办结", en: "closed")
        }
    }
}

/// A lead found in the data, with its evidence.
public struct Lead: Sendable, Hashable {
    public var kind: LeadKind
    public var institutionID: Int64
    /// The unit, or "" for a lead about the institution as a whole.
    public var unitKey: String
    public var evidence: LocalizedText

    public init(kind: LeadKind, institutionID: Int64, unitKey: String, evidence: LocalizedText) {
        self.kind = kind
        self.institutionID = institutionID
        self.unitKey = unitKey
        self.evidence = evidence
    }
}

/// The thresholds of the leads (design; each a policy field so a province sets its own).
public struct LeadPolicy: Sendable, Hashable, Codable {
    /// Purchases (winning and non-winning) above this share of the agreed content.
    public var overAgreed: Ratio
    /// A non-winning share above the cap times this factor (and at least some non-winning purchases).
    public var surgeFactor: Int64
    /// Late payments in the year from this many on.
    public var lateCount: Int64
    /// Demand is far from use when use is below `useLow` or above `useHigh` of the agreed content.
    public var useLow: Ratio
    public var useHigh: Ratio

    public init(
        overAgreed: Ratio = .percent(150), surgeFactor: Int64 = 2, lateCount: Int64 = 3, useLow: Ratio = .percent(50), useHigh: Ratio = .percent(200)
    ) {
        self.overAgreed = overAgreed
        self.surgeFactor = surgeFactor
        self.lateCount = lateCount
        self.useLow = useLow
        self.useHigh = useHigh
    }
}

public enum LeadRules {
    /// Whether `part` ÷ `whole` is above `ratio` (exact; a zero whole is never above).
    static func above(_ part: Int64, _ whole: Int64, _ ratio: Ratio) -> Bool {
        whole > 0 && Int128(part) * Int128(ratio.denominator) > Int128(whole) * Int128(ratio.numerator)
    }

    /// The item's leads: purchases far above the agreed volume; a non-winning share above the cap × the factor.
    public static func item(_ item: AssessmentItem, institutionID: Int64, cap: Ratio, policy: LeadPolicy) -> [Lead] {
        var out: [Lead] = []
        let t = item.tally
        let (bought, _) = t.winningContent.addingReportingOverflow(t.nonWinningContent)
        if above(bought, item.agreedContent, policy.overAgreed) {
            out.append(
                Lead(
                    kind: .overAgreed, institutionID: institutionID, unitKey: item.unitKey,
                    evidence: LocalizedText(
                        zh: "年度采购\(item.show(bought))，约定量\(item.show(item.agreedContent))，超过\(policy.overAgreed)",
                        en: "bought \(item.show(bought)) in the year against \(item.show(item.agreedContent)) agreed, above \(policy.overAgreed)")))
        }
        let (factor, overflow) = cap.numerator.multipliedReportingOverflow(by: max(1, policy.surgeFactor))
        let surge = overflow ? nil : Ratio(min(factor, cap.denominator), cap.denominator)
        if let surge, t.nonWinningContent > 0, above(t.nonWinningContent, bought, surge) {
            out.append(
                Lead(
                    kind: .nonWinningSurge, institutionID: institutionID, unitKey: item.unitKey,
                    evidence: LocalizedText(
                        zh: "非中选采购\(item.show(t.nonWinningContent))，占\(item.show(bought))的比例超过上限\(cap)的\(policy.surgeFactor)倍",
                        en: "non-winning \(item.show(t.nonWinningContent)) of \(item.show(bought)), above \(policy.surgeFactor) × the cap \(cap)")))
        }
        return out
    }

    /// Use (all purchases) far from the agreed content, derived from the reported demand, in one year.
    public static func farFromUse(agreed: Int64, used: Int64, policy: LeadPolicy) -> Bool {
        let below = Int128(used) * Int128(policy.useLow.denominator) < Int128(agreed) * Int128(policy.useLow.numerator)
        return agreed > 0 && (below || above(used, agreed, policy.useHigh))
    }
}
