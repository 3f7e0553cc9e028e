import Foundation

/// The numbers of the award stage (003 §3, §7, and the ratios national batches used; docs/rules.md, "Award stage"): part of
/// `BatchPolicy`, so a batch may change any of them.
public struct AwardPolicy: Sendable, Hashable, Codable {
    /// What a batch procures: the rules that differ (the distributor limit, …) take it from here, never from a guess
    /// (003 §7; docs/rules.md "Award stage").
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case drugs, consumables
    }

    /// How a line is allocated when its chosen product did not win or it chose none (docs/rules.md, "Award stage").
    public enum Allocation: String, Sendable, Hashable, Codable, CaseIterable {
        /// To the unit's winner supplying the region with the lowest price per effective content (default).
        case lowestPrice
        /// Equal shares of content over the unit's winners supplying the region.
        case evenly
    }

    public var kind: Kind
    /// The agreed-volume ratio by number of winners: element k is the ratio for k + 1 winners; the last applies to
    /// any more (1→50%, 2→60%, 3→70%, ≥4→80%).
    public var ratiosByWinners: [Ratio]
    /// The lower table for restricted antimicrobials and antifungals (1→30%, 2→40%, ≥3→50%).
    public var restrictedRatiosByWinners: [Ratio]
    /// One ratio for every variety instead of the tables (the 11th batch's "generally 80%"); nil uses the tables.
    public var flatRatio: Ratio?
    public var allocation: Allocation
    /// At most this many distributors per winning drug and coordination area (003 §7).
    public var distributorLimitDrugs: Int
    /// The same for medical consumables.
    public var distributorLimitConsumables: Int
    /// A non-winning product listed above this multiple of the highest winning price per effective content of its
    /// generic name is flagged for suspension or delisting (004 §5; the multiple is a design default, 2×).
    public var maxListingMultiple: Ratio
    /// The price-ratio coefficient per doubling of content (差比价, 004 §5): a winner's added spec with twice the
    /// content is priced at this multiple of the winning spec's unit price (design default 1.7, the national
    /// price-ratio rules' content coefficient).
    public var contentPriceFactor: Ratio

    public init(
        kind: Kind = .drugs, ratiosByWinners: [Ratio] = [.percent(50), .percent(60), .percent(70), .percent(80)],
        restrictedRatiosByWinners: [Ratio] = [.percent(30), .percent(40), .percent(50)], flatRatio: Ratio? = nil,
        allocation: Allocation = .lowestPrice, distributorLimitDrugs: Int = 5, distributorLimitConsumables: Int = 10,
        maxListingMultiple: Ratio = Ratio(2, 1), contentPriceFactor: Ratio = Ratio(17, 10)
    ) {
        self.kind = kind
        self.ratiosByWinners = ratiosByWinners
        self.restrictedRatiosByWinners = restrictedRatiosByWinners
        self.flatRatio = flatRatio
        self.allocation = allocation
        self.distributorLimitDrugs = distributorLimitDrugs
        self.distributorLimitConsumables = distributorLimitConsumables
        self.maxListingMultiple = maxListingMultiple
        self.contentPriceFactor = contentPriceFactor
    }

    enum CodingKeys: String, CodingKey {
        case kind, ratiosByWinners, restrictedRatiosByWinners, flatRatio, allocation, distributorLimitDrugs, distributorLimitConsumables
        case maxListingMultiple, contentPriceFactor
    }

    /// Fields a stored policy lacks take their defaults (policies are stored with each batch).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AwardPolicy()
        kind = try container.decodeIfPresent(Kind.self, forKey: .kind) ?? defaults.kind
        ratiosByWinners = try container.decodeIfPresent([Ratio].self, forKey: .ratiosByWinners) ?? defaults.ratiosByWinners
        restrictedRatiosByWinners =
            try container.decodeIfPresent([Ratio].self, forKey: .restrictedRatiosByWinners) ?? defaults.restrictedRatiosByWinners
        flatRatio = try container.decodeIfPresent(Ratio.self, forKey: .flatRatio)
        allocation = try container.decodeIfPresent(Allocation.self, forKey: .allocation) ?? defaults.allocation
        distributorLimitDrugs = try container.decodeIfPresent(Int.self, forKey: .distributorLimitDrugs) ?? defaults.distributorLimitDrugs
        distributorLimitConsumables =
            try container.decodeIfPresent(Int.self, forKey: .distributorLimitConsumables) ?? defaults.distributorLimitConsumables
        maxListingMultiple = try container.decodeIfPresent(Ratio.self, forKey: .maxListingMultiple) ?? defaults.maxListingMultiple
        contentPriceFactor = try container.decodeIfPresent(Ratio.self, forKey: .contentPriceFactor) ?? defaults.contentPriceFactor
    }

    /// The ratio of a variety with `winners` distinct winning manufacturers; nil when it has none (nothing is agreed).
    public func ratio(winners: Int, restricted: Bool) -> Ratio? {
        guard winners > 0 else { return nil }
        if let flatRatio { return flatRatio }
        let table = restricted ? restrictedRatiosByWinners : ratiosByWinners
        guard let last = table.last else { return nil }
        return winners <= table.count ? table[winners - 1] : last
    }

    /// Whether a firm may name one more distributor in a coordination area that has `current` of them (003 §7).
    /// The distributor limit per coordination area of this batch's kind (003 §2, §7).
    public var distributorLimit: Int { kind == .consumables ? distributorLimitConsumables : distributorLimitDrugs }

    public func mayAddDistributor(current: Int) -> Bool {
        current < distributorLimit
    }

    /// Why the policy cannot be used, or nil.
    public func problems() -> [LocalizedText] {
        var out: [LocalizedText] = []
        let all = ratiosByWinners + restrictedRatiosByWinners + (flatRatio.map { [$0] } ?? [])
        if ratiosByWinners.isEmpty || restrictedRatiosByWinners.isEmpty {
            out.append(LocalizedText(zh: "约定采购比例表不能为空", en: "the agreed-volume ratio tables cannot be empty"))
        }
        if all.contains(where: { $0.numerator <= 0 || $0.numerator > $0.denominator }) {
            out.append(LocalizedText(zh: "约定采购比例应大于0且不超过100%", en: "agreed-volume ratios must be above 0 and at most 100%"))
        }
        if maxListingMultiple.numerator < maxListingMultiple.denominator || contentPriceFactor.numerator <= 0 {
            out.append(LocalizedText(zh: "最高挂网价倍数应不小于1，差比价系数应大于0", en: "the listing multiple must be at least 1 and the price-ratio factor above 0"))
        }
        if distributorLimitDrugs < 1 || distributorLimitConsumables < 1 {
            out.append(LocalizedText(zh: "配送企业数量上限至少为1", en: "the distributor limits must be at least 1"))
        }
        return out
    }
}

extension AwardPolicy {
    /// This policy with the fields given as text changed (the page's form, the API's body and the command line's
    /// options read the same way): the allocation rule's name, one flat ratio in percent ("none" or empty for the
    /// tables), the tables as percents by number of winners ("50,60,70,80"), the distributor limits. A field that does
    /// not read is refused, naming it.
    public func changed(
        allocation: String? = nil, flatRatio: String? = nil, ratios: String? = nil, restrictedRatios: String? = nil, limitDrugs: Int? = nil,
        limitConsumables: Int? = nil
    ) throws -> AwardPolicy {
        var policy = self
        func bad(_ field: String) -> Refusal { Refusal(.badPolicy, zh: "\(field) 的值无法识别", en: "\(field) does not read") }
        func percents(_ text: String, _ field: String) throws -> [Ratio] {
            let parts = text.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.count <= InputLimits.maxRatioTableEntries, parts.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 101) <= 100 }) else {
                throw bad(field)
            }
            return parts.compactMap { $0.map(Ratio.percent) }
        }
        func limit(_ value: Int?, _ field: String) throws -> Int? {
            guard let value else { return nil }
            guard value >= 1, value <= InputLimits.maxDistributorLimit else { throw bad(field) }
            return value
        }
        if let text = allocation?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let rule = Allocation(rawValue: text) else { throw bad("allocation") }
            policy.allocation = rule
        }
        if let text = flatRatio?.trimmingCharacters(in: .whitespaces) {
            policy.flatRatio = text.isEmpty || text == "none" ? nil : try percents(text, "flatRatio").first
        }
        if let text = ratios, !text.isEmpty { policy.ratiosByWinners = try percents(text, "ratios") }
        if let text = restrictedRatios, !text.isEmpty { policy.restrictedRatiosByWinners = try percents(text, "restrictedRatios") }
        policy.distributorLimitDrugs = try limit(limitDrugs, "limitDrugs") ?? policy.distributorLimitDrugs
        policy.distributorLimitConsumables = try limit(limitConsumables, "limitConsumables") ?? policy.distributorLimitConsumables
        return policy
    }
}
