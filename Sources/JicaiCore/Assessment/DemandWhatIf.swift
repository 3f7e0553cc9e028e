import Foundation

/// What a reported quantity implies a year later, estimated beside each unit of the demand form (design; docs/rules.md
/// "What-if on the demand form"): the agreed volume under the batch's ratio table (003 §3) for the winners known or
/// expected, the purchases a month needs to keep to the time-proportional schedule (001 §2(四)), and the retention
/// each grade would earn if exactly the agreed volume is bought at the winning price (004 §3 with the same
/// `RetentionRules` as the year's run). An estimate: its assumptions travel with it.
public struct DemandWhatIf: Sendable, Hashable, Codable {
    /// One price assumption's retention at each grade.
    public struct Scenario: Sendable, Hashable, Codable {
        /// The price cut assumed against the pre-award price; nil when the lowest winning price is known.
        public var cut: Ratio?
        /// Fen retained at grades A, B, C and D, in that order.
        public var retainedFen: [Int64]
    }

    public var unitKey: String
    public var winners: Int
    /// Whether the winners come from the imported results (otherwise the manufacturers that may bid are counted).
    public var winnersKnown: Bool
    public var ratio: Ratio
    /// Reported and agreed content in base units; the agreed volume and the monthly need in the display spec's
    /// minimal units.
    public var reportedContent: Int64
    public var agreedContent: Int64
    public var displaySpecCode: String
    public var agreedQuantity: Int64
    public var monthlyQuantity: Int64
    /// The retention scenarios (the larger cut, or the known price, last); empty without a pre-award price.
    public var scenarios: [Scenario]
    /// The assumptions, in both languages, in the order people read them.
    public var assumptions: [LocalizedText]

    /// The retention range at a grade: the smallest and largest of the scenarios (equal with one scenario).
    public func range(_ grade: Grade) -> (low: Int64, high: Int64)? {
        guard let index = Grade.allCases.firstIndex(of: grade) else { return nil }
        let values = scenarios.compactMap { $0.retainedFen.indices.contains(index) ? $0.retainedFen[index] : nil }
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low, high)
    }
}

/// The unit's facts the what-if reads besides the draft.
public struct WhatIfInputs: Sendable, Hashable {
    public var unitKey: String
    /// The draft's reported content of the unit, base units (as the demand check converts it).
    public var reportedContent: Int128
    public var displaySpec: Spec
    public var winners: Int
    public var winnersKnown: Bool
    public var restricted: Bool
    /// The province's pre-award weighted price of the unit, when history has amounts.
    public var price: PreAwardPrice?
    /// The lowest winning price of the unit per base unit, as fen over content, when the award is known.
    public var winningPrice: PreAwardPrice?

    public init(
        unitKey: String, reportedContent: Int128, displaySpec: Spec, winners: Int, winnersKnown: Bool, restricted: Bool, price: PreAwardPrice?,
        winningPrice: PreAwardPrice?
    ) {
        self.unitKey = unitKey
        self.reportedContent = reportedContent
        self.displaySpec = displaySpec
        self.winners = winners
        self.winnersKnown = winnersKnown
        self.restricted = restricted
        self.price = price
        self.winningPrice = winningPrice
    }
}

public enum WhatIfRules {
    /// Months of an agreement year: the schedule spreads the agreed volume evenly over them (001 §2(四)).
    public static let monthsPerYear: Int64 = 12

    /// The estimate of one unit; nil when nothing is reported or a figure leaves exact arithmetic.
    public static func estimate(_ inputs: WhatIfInputs, award: AwardPolicy, policy: AssessmentPolicy) -> DemandWhatIf? {
        let winners = max(1, inputs.winners)
        guard inputs.reportedContent > 0, let ratio = award.ratio(winners: winners, restricted: inputs.restricted),
            let reported = Int64(exactly: inputs.reportedContent),
            let agreed = Int64(exactly: (inputs.reportedContent * Int128(ratio.numerator)).dividedRoundingHalfUp(by: Int128(ratio.denominator)))
        else { return nil }
        let display = ContentConversion.quantity(ofContent: Int128(agreed), in: inputs.displaySpec)
        guard let quantity = Int64(exactly: display) else { return nil }
        let monthly = quantity == 0 ? 0 : (quantity - 1) / monthsPerYear + 1
        var assumptions = [winnersText(inputs, winners, ratio, flat: award.flatRatio != nil)]
        var scenarios: [DemandWhatIf.Scenario] = []
        if let price = inputs.price, price.content > 0 {
            let paid: [(Ratio?, PreAwardPrice)] =
                if let known = inputs.winningPrice, known.content > 0 {
                    [(nil, known)]
                } else {
                    [policy.whatIfCutLow, policy.whatIfCutHigh].map { cut in (cut, cutPrice(price, cut)) }
                }
            for (cut, winning) in paid {
                guard let scenario = scenario(agreed: agreed, price: price, winning: winning, cut: cut, policy: policy) else { return nil }
                scenarios.append(scenario)
            }
            assumptions.append(priceText(inputs, policy))
        } else {
            assumptions.append(
                LocalizedText(
                    zh: "历史采购无金额，无法估算采购前均价，结余留用不作测算", en: "no amounts in the history: no pre-award price, retention not estimated"))
        }
        assumptions.append(
            LocalizedText(
                zh: "假设按约定采购量全部采购中选产品、考核合格；实际以年度考核为准（004 §3、§7）",
                en: "assumes exactly the agreed volume is bought, all of it winning, and the item passes; the year's assessment decides (004 §3, §7)"
            ))
        return DemandWhatIf(
            unitKey: inputs.unitKey, winners: winners, winnersKnown: inputs.winnersKnown, ratio: ratio, reportedContent: reported,
            agreedContent: agreed,
            displaySpecCode: inputs.displaySpec.code, agreedQuantity: quantity, monthlyQuantity: monthly, scenarios: scenarios,
            assumptions: assumptions)
    }

    /// The pre-award price cut by `cut`, kept as a fraction: amount × (1 − cut) over content.
    static func cutPrice(_ price: PreAwardPrice, _ cut: Ratio) -> PreAwardPrice {
        let keep = Int128(cut.denominator - cut.numerator)
        let amount = (Int128(price.amountFen) * keep).dividedRoundingHalfUp(by: Int128(cut.denominator))
        return PreAwardPrice(amountFen: Int64(clamping: amount), content: price.content)
    }

    /// The retention at each grade when exactly the agreed content is bought at `winning` (fen over content).
    static func scenario(agreed: Int64, price: PreAwardPrice, winning: PreAwardPrice, cut: Ratio?, policy: AssessmentPolicy) -> DemandWhatIf.Scenario?
    {
        let amount = (Int128(agreed) * Int128(winning.amountFen)).dividedRoundingHalfUp(by: Int128(winning.content))
        guard let amountFen = Int64(exactly: amount) else { return nil }
        var retained: [Int64] = []
        for grade in Grade.allCases {
            let item = RetentionItem(
                agreedContent: agreed, winningContent: agreed, winningAmountFen: amountFen, preAwardPriceNumerator: price.amountFen,
                preAwardPriceDenominator: price.content, failed: false, reported: true, diseaseGroupFirstYear: false)
            guard let result = RetentionRules.retention(item, grade: grade, policy: policy) else { return nil }
            retained.append(result.retainedFen)
        }
        return DemandWhatIf.Scenario(cut: cut, retainedFen: retained)
    }

    static func winnersText(_ inputs: WhatIfInputs, _ winners: Int, _ ratio: Ratio, flat: Bool) -> LocalizedText {
        let percent = ratio.description
        if flat {
            return LocalizedText(zh: "本批次约定采购比例统一为\(percent)（003 §3）", en: "this batch agrees \(percent) of every variety (003 §3)")
        }
        if inputs.winnersKnown {
            return LocalizedText(
                zh: "已公布中选企业\(winners)家，约定采购比例\(percent)（003 §3）", en: "\(winners) winning manufacturers published: ratio \(percent) (003 §3)")
        }
        return LocalizedText(
            zh: "按可参与投标的\(winners)家企业均中选估算，约定采购比例\(percent)（003 §3）；中选企业更少时比例更低",
            en: "assumes the \(winners) manufacturer(s) that may bid all win: ratio \(percent) (003 §3); fewer winners mean a lower ratio")
    }

    static func priceText(_ inputs: WhatIfInputs, _ policy: AssessmentPolicy) -> LocalizedText {
        let fund = policy.fundPaymentRatio.description
        let insured = policy.insuredShare.description
        if inputs.winningPrice != nil {
            return LocalizedText(
                zh: "按最低中选价与全省采购前加权均价之差、医保基金支付比例\(fund)、参保患者占比\(insured)测算",
                en: "priced at the lowest winning price against the province's pre-award average, fund ratio \(fund), insured share \(insured)")
        }
        let (low, high) = (policy.whatIfCutLow.description, policy.whatIfCutHigh.description)
        return LocalizedText(
            zh: "中选价未知，按较全省采购前加权均价降价\(low)至\(high)估算，医保基金支付比例\(fund)、参保患者占比\(insured)",
            en: "winning price unknown: a cut of \(low) to \(high) on the province's pre-award average, fund ratio \(fund), insured share \(insured)")
    }
}

/// Per unit what the what-if knows of the award: the winners and the lowest winning price once results are in,
/// otherwise the manufacturers whose products may bid.
public struct WhatIfAwardFacts: Sendable {
    public struct Unit: Sendable, Hashable {
        public var winners: Int
        public var known: Bool
        public var restricted: Bool
        public var lowestPrice: PreAwardPrice?
    }

    public var units: [String: Unit]

    /// `result` nil (or without a winner) before the results are imported.
    public init(catalogue: Catalogue, result: AwardResult?) {
        var makers: [String: Set<String>] = [:]
        var lowest: [String: PreAwardPrice] = [:]
        var known = Set<String>()
        for winner in result?.winners ?? [] {
            guard let spec = catalogue.specByCode[winner.specCode] else { continue }
            let key = Catalogue.unit(of: spec).key
            known.insert(key)
            makers[key, default: []].insert(winner.manufacturer)
            let (content, overflow) = winner.packSize.multipliedReportingOverflow(by: spec.content.baseAmount)
            guard !overflow, content > 0, winner.packPriceFen >= 0 else { continue }
            let price = PreAwardPrice(amountFen: winner.packPriceFen, content: content)
            if let current = lowest[key],
                Int128(current.amountFen) * Int128(price.content) <= Int128(price.amountFen) * Int128(current.content)
            {
                continue
            }
            lowest[key] = price
        }
        var bidders: [String: Set<String>] = [:]
        for product in catalogue.products {
            guard let spec = catalogue.specByCode[product.specCode] else { continue }
            bidders[Catalogue.unit(of: spec).key, default: []].insert(product.manufacturerCode?.value ?? product.manufacturerName)
        }
        var out: [String: Unit] = [:]
        for spec in catalogue.specs {
            let unit = Catalogue.unit(of: spec)
            guard out[unit.key] == nil else { continue }
            let isKnown = known.contains(unit.key)
            out[unit.key] = Unit(
                winners: isKnown ? makers[unit.key]?.count ?? 0 : max(1, bidders[unit.key]?.count ?? 1), known: isKnown,
                restricted: result?.restrictedVarieties.contains(unit.varietyCode) ?? false, lowestPrice: isKnown ? lowest[unit.key] : nil)
        }
        units = out
    }
}
