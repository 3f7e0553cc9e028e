import Foundation

/// Where a listed (挂网) product stands for its generic name's price rules (003 §8(二)).
public enum ListingCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case originator, reference, passedGeneric, nonPassedGeneric, consumable

    public var label: LocalizedText {
        switch self {
        case .originator: LocalizedText(zh: "原研药", en: "originator")
        case .reference: LocalizedText(zh: "参比制剂", en: "reference product")
        case .passedGeneric: LocalizedText(zh: "过评仿制药", en: "generic, passed the evaluation")
        case .nonPassedGeneric: LocalizedText(zh: "未过评仿制药", en: "generic, not passed")
        case .consumable: LocalizedText(zh: "医用耗材", en: "medical consumable")
        }
    }

    /// The Chinese words of a listings file, and the English raw values.
    public static func parse(_ text: String) -> ListingCategory? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return allCases.first { $0.label.zh == trimmed || $0.rawValue == trimmed }
            ?? ["原研": .originator, "参比": .reference, "过评": .passedGeneric, "未过评": .nonPassedGeneric, "耗材": .consumable][trimmed]
    }
}

/// A non-winning product's listing price, as imported.
public struct ListingEntry: Sendable, Hashable, Codable {
    public var productCode: String
    public var category: ListingCategory
    public var packPriceFen: Int64

    public init(productCode: String, category: ListingCategory, packPriceFen: Int64) {
        self.productCode = productCode
        self.category = category
        self.packPriceFen = packPriceFen
    }
}

/// An exact price per base unit of effective content: `fen` ÷ `content` fen.
public struct ContentPrice: Sendable, Hashable, Comparable {
    public let fen: Int128
    public let content: Int128

    public static func < (lhs: ContentPrice, rhs: ContentPrice) -> Bool { lhs.fen * rhs.content < rhs.fen * lhs.content }

    /// A pack of `spec` at this price, in fen, rounded half up once.
    public func pack(of spec: Spec) -> Int64 {
        Int64(clamping: (fen * Int128(spec.packSize) * Int128(spec.content.baseAmount)).dividedRoundingHalfUp(by: content))
    }
}

/// Listing prices and insurance payment standards from the winning prices (003 §8(二), 004 §5). The seeds give the
/// principles; the formulas are the project's design choices (docs/rules.md "Prices"):
/// - a generic name's payment standard per unit of effective content is its highest winning price per content,
///   so that no winner is paid below its price; a spec's standard per pack is that × its content × pack size;
/// - originator, reference and passed generics take that one standard; a non-passed generic takes its own listing
///   price when lower, never more than the passed ones'; a non-winning consumable likewise never more than the
///   highest winning price of its class (its variety);
/// - a non-winning product whose listing price per content exceeds `maxListingMultiple` × the highest winning price
///   per content is flagged for suspension or delisting;
/// - a winner's added spec (差比价) is priced from its winning spec: the unit price × `contentPriceFactor` per doubling
///   of content (exact only when the content ratio is a power of two; other ratios are refused for pricing by hand).
public struct PriceRules: Sendable {
    public let catalogue: Catalogue
    public let winners: [WinningProduct]
    public let policy: AwardPolicy
    let highest: [String: ContentPrice]

    public init(catalogue: Catalogue, winners: [WinningProduct], policy: AwardPolicy) {
        self.catalogue = catalogue
        self.winners = winners
        self.policy = policy
        var highest: [String: ContentPrice] = [:]
        for winner in winners {
            guard let spec = catalogue.specByCode[winner.specCode] else { continue }
            let price = ContentPrice(fen: Int128(winner.packPriceFen), content: Int128(winner.packSize) * Int128(spec.content.baseAmount))
            if highest[spec.varietyCode].map({ $0 < price }) ?? true { highest[spec.varietyCode] = price }
        }
        self.highest = highest
    }

    /// The highest winning price per content of a variety (generic name and route); nil when nothing won.
    public func highestWinning(variety: String) -> ContentPrice? { highest[variety] }

    /// The payment standard of one pack of `spec` for originator, reference and passed products.
    public func paymentStandard(spec: Spec) -> Int64? { highest[spec.varietyCode]?.pack(of: spec) }

    /// A listed product's payment standard: the shared one, or its own price when lower for a non-passed generic
    /// or a non-winning consumable. Nil when its variety has no winner.
    public func paymentStandard(for listing: ListingEntry) -> Int64? {
        guard let product = catalogue.productByCode[listing.productCode], let spec = catalogue.specByCode[product.specCode],
            let shared = paymentStandard(spec: spec)
        else { return nil }
        switch listing.category {
        case .originator, .reference, .passedGeneric: return shared
        case .nonPassedGeneric, .consumable: return min(shared, listing.packPriceFen)
        }
    }

    /// Whether a non-winning product's listing price is above the maximum: suspend or delist (004 §5).
    public func exceedsMaximum(_ listing: ListingEntry) -> Bool {
        guard let product = catalogue.productByCode[listing.productCode], let spec = catalogue.specByCode[product.specCode],
            let top = highest[spec.varietyCode]
        else { return false }
        let own = ContentPrice(fen: Int128(listing.packPriceFen), content: Int128(spec.packSize) * Int128(spec.content.baseAmount))
        let limit = ContentPrice(
            fen: top.fen * Int128(policy.maxListingMultiple.numerator), content: top.content * Int128(policy.maxListingMultiple.denominator))
        return limit < own
    }

    /// The listing price of one pack of a winner's added spec (差比价, 004 §5), from its winning product.
    public func addedSpecPrice(winner: WinningProduct, added: Spec) -> Result<Int64, Refusal> {
        guard let winning = catalogue.specByCode[winner.specCode], winning.varietyCode == added.varietyCode,
            winning.content.dimension == added.content.dimension
        else {
            return .failure(
                Refusal(.badAddedSpec, zh: "新增规格应与中选规格同品种、同含量单位", en: "the added spec must be of the winning spec's variety and content unit"))
        }
        guard let steps = Self.doublings(from: winning.content.baseAmount, to: added.content.baseAmount) else {
            return .failure(Refusal(.priceByHand))
        }
        // unit price of the added spec = winning unit price × factor^steps; a pack = unit price × pack size.
        var numerator = Int128(winner.packPriceFen) * Int128(added.packSize)
        var denominator = Int128(max(1, winner.packSize))
        let factor = policy.contentPriceFactor
        for _ in 0..<abs(steps) {
            numerator *= Int128(steps > 0 ? factor.numerator : factor.denominator)
            denominator *= Int128(steps > 0 ? factor.denominator : factor.numerator)
        }
        return .success(Int64(clamping: numerator.dividedRoundingHalfUp(by: denominator)))
    }

    /// k when `to` = `from` × 2^k (k may be negative), nil otherwise.
    static func doublings(from: Int64, to: Int64) -> Int? {
        guard from > 0, to > 0 else { return nil }
        var steps = 0
        var low = min(from, to)
        let high = max(from, to)
        while low < high {
            low *= 2
            steps += 1
        }
        guard low == high else { return nil }
        return to >= from ? steps : -steps
    }
}
