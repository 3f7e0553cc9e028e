import Foundation

/// The pre-award weighted average price of a unit (004 §3; docs/rules.md "Savings retention"): fen per
/// effective-content base unit, exact, as the province's purchase history before the award paid it.
public struct PreAwardPrice: Sendable, Hashable, Codable {
    public var amountFen: Int64
    public var content: Int64
    /// Set when the province entered the price itself (`provincial`): its stated basis, shown on the sheet.
    public var basis: String?

    public init(amountFen: Int64, content: Int64, basis: String? = nil) {
        self.amountFen = amountFen
        self.content = content
        self.basis = basis
    }

    /// A price the province enters for a unit instead of the history's average (docs/rules.md "Assessment"): yuan per
    /// minimal unit (片/支/袋) of one of the unit's specs, at most four decimals (0.0325), above zero; per effective
    /// content it is that price ÷ the spec's content, exact. Refused as text a bureau reads.
    public static func provincial(yuanPerMinimalUnit text: String, spec: Spec, basis: String) -> Result<PreAwardPrice, Refusal> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let decimal = FixedDecimal(parsing: trimmed), let hundredthsOfFen = decimal.scaled(by: 10_000), hundredthsOfFen > 0,
            hundredthsOfFen <= InputLimits.maxAmountFen
        else {
            return .failure(
                Refusal(
                    .badPrice, zh: "价格应为大于0的元数，最多四位小数（如0.0325）：\(trimmed)",
                    en: "the price is yuan above 0 with at most four decimals (e.g. 0.0325): \(trimmed)"))
        }
        let (content, overflow) = spec.content.baseAmount.multipliedReportingOverflow(by: 100)
        guard !overflow, content > 0 else { return .failure(Refusal(.figureOutOfRange)) }
        let g = Int64(ScoreRules.gcd(Int128(hundredthsOfFen), Int128(content)))
        return .success(PreAwardPrice(amountFen: hundredthsOfFen / g, content: content / g, basis: basis))
    }

    /// Σ amount ÷ Σ content over history rows with an amount; nil without any (or beyond `Int64`).
    public static func weighted(_ rows: [(amountFen: Int64, content: Int64)]) -> PreAwardPrice? {
        var (amount, content): (Int64, Int64) = (0, 0)
        for row in rows where row.amountFen >= 0 && row.content > 0 {
            let (a, o1) = amount.addingReportingOverflow(row.amountFen)
            let (c, o2) = content.addingReportingOverflow(row.content)
            if o1 || o2 { return nil }
            (amount, content) = (a, c)
        }
        return content > 0 ? PreAwardPrice(amountFen: amount, content: content) : nil
    }

    /// The pre-award weighted average price of each unit, from the batch's history with amounts (content in the
    /// spec's base units); a unit whose sums leave `Int64` gets none.
    public static func byUnit(_ history: [(specCode: String, quantity: Int64, amountFen: Int64)], _ catalogue: Catalogue) -> [String: PreAwardPrice] {
        var rows: [String: [(amountFen: Int64, content: Int64)]] = [:]
        var broken = Set<String>()
        for h in history {
            guard let spec = catalogue.specByCode[h.specCode], let unit = catalogue.unit(ofSpec: h.specCode) else { continue }
            let (content, overflow) = h.quantity.multipliedReportingOverflow(by: spec.content.baseAmount)
            if overflow { broken.insert(unit.key) }
            rows[unit.key, default: []].append((h.amountFen, content))
        }
        var out: [String: PreAwardPrice] = [:]
        for (key, list) in rows where !broken.contains(key) { out[key] = weighted(list) }
        return out
    }
}

/// What the assessment of one institution in one agreement year reads besides its items: whether it is paid by
/// disease group, the year's place in the cycle, its payments and signatures, the units' pre-award prices, and the
/// items whose failure an upheld appeal waived (with the decision's reason).
public struct InstitutionInputs: Sendable {
    public var items: [AssessmentItem]
    public var diseaseGroup: Bool
    public var firstYear: Bool
    public var dueFen: Int64
    public var paidOnTimeFen: Int64
    public var agreements: Int64
    public var signedOnTime: Int64
    public var prices: [String: PreAwardPrice]
    public var waived: [String: String]

    public init(
        items: [AssessmentItem], diseaseGroup: Bool = false, firstYear: Bool = false, dueFen: Int64 = 0, paidOnTimeFen: Int64 = 0,
        agreements: Int64 = 0, signedOnTime: Int64 = 0, prices: [String: PreAwardPrice] = [:], waived: [String: String] = [:]
    ) {
        self.items = items
        self.diseaseGroup = diseaseGroup
        self.firstYear = firstYear
        self.dueFen = dueFen
        self.paidOnTimeFen = paidOnTimeFen
        self.agreements = agreements
        self.signedOnTime = signedOnTime
        self.prices = prices
        self.waived = waived
    }
}

/// One assessed item: its figures, its result and what it retains.
public struct AssessedItem: Sendable {
    public var item: AssessmentItem
    public var result: ItemResult
    public var retention: RetentionResult
    public var price: PreAwardPrice?
}

/// An institution's year: its items, the score's parts, the score and grade, and the total retained.
public struct InstitutionAssessment: Sendable {
    public var items: [AssessedItem]
    public var parts: ScoreParts
    public var score: Score
    public var retainedFen: Int64
}

extension AssessmentRules {
    /// Assesses an institution's year (004 §3, §7; 003 §8(三); 000 §5(二)): each item evaluated (an upheld appeal
    /// waives its failure, saying so), the score from the items' results and the payment and signing counts, the
    /// grade, then each item's retention at that grade. An item counts as reported when it has agreed content (the
    /// agreed volume is derived from the reported demand: no report, no agreed volume). Nil when a figure leaves
    /// exact arithmetic (the caller refuses the run with a message).
    public static func assess(_ inputs: InstitutionInputs, cap: Ratio, policy: AssessmentPolicy) -> InstitutionAssessment? {
        var results: [(AssessmentItem, ItemResult)] = []
        var parts = ScoreParts(
            dueFen: inputs.dueFen, paidOnTimeFen: inputs.paidOnTimeFen, agreements: inputs.agreements, signedOnTime: inputs.signedOnTime)
        for item in inputs.items {
            var result = evaluate(item, cap: cap)
            if let reason = inputs.waived[item.unitKey], !result.passed {
                result.completionPassed = result.completionPassed.map { _ in true }
                result.sharePassed = true
                result.reasons.append(LocalizedText(zh: "申诉成立，不计不合格：\(reason)", en: "appeal upheld, not failed: \(reason)"))
            }
            if let passed = result.completionPassed {
                parts.completionAssessed += 1
                if passed { parts.completionPassed += 1 }
            }
            if result.share != nil {
                parts.shareCounted += 1
                if result.sharePassed { parts.sharePassed += 1 }
            }
            results.append((item, result))
        }
        let score = ScoreRules.score(parts, policy: policy)
        var assessed: [AssessedItem] = []
        var retained: [Int64] = []
        for (item, result) in results {
            let price = inputs.prices[item.unitKey]
            let retentionItem = RetentionItem(
                agreedContent: item.agreedContent, winningContent: item.tally.winningContent, winningAmountFen: item.tally.winningAmountFen,
                preAwardPriceNumerator: price?.amountFen ?? 0, preAwardPriceDenominator: price?.content ?? 0, failed: !result.passed,
                reported: item.agreedContent > 0, diseaseGroupFirstYear: inputs.diseaseGroup && inputs.firstYear)
            guard var retention = RetentionRules.retention(retentionItem, grade: score.grade, policy: policy) else { return nil }
            if item.notCarried {
                // Not assessed, so nothing to retain: no agreed volume was carried for it.
                retention = RetentionResult(
                    baseContent: 0, savingsFen: 0, retainedFen: 0,
                    none: LocalizedText(zh: "需求未结转为约定采购量：不计留用", en: "no demand carried into agreed volume: none retained"))
            }
            if retention.none == nil, price == nil, item.tally.winningContent > 0 {
                retention.none = LocalizedText(zh: "无采购前价格（历史采购无金额）：无法测算", en: "no pre-award price (no history amounts): none computed")
            }
            retained.append(retention.retainedFen)
            assessed.append(AssessedItem(item: item, result: result, retention: retention, price: price))
        }
        guard let total = RetentionRules.total(retained) else { return nil }
        return InstitutionAssessment(items: assessed, parts: parts, score: score, retainedFen: total)
    }

    /// Whether an appeal may still be filed on `today`: up to `appealDays` days after the day the results were
    /// published (design; docs/rules.md "Appeals").
    public static func appealOpen(publishedOn start: CivilDate, today: CivilDate, policy: AssessmentPolicy) -> Bool {
        start.days(until: today) <= policy.appealDays
    }
}
