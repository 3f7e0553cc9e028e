import Foundation

/// What a purchase line is, measured against a batch's result (004 §6–§7, docs/rules.md "The measures").
public enum PurchaseClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// A winning product (中选产品).
    case winner
    /// A backup supplier's product (备供企业): counts as winning only inside a verified supply problem.
    case backup
    /// A non-winning product of the unit that passed the consistency evaluation (or is the originator / reference).
    case nonWinningPassed
    /// A non-winning product that did not pass.
    case nonWinningNotPassed
    /// A passed non-winning product priced below the lowest winning price per effective content of its unit: left out
    /// of the non-winning share (004 §7).
    case cheaperEquivalent

    public var label: LocalizedText {
        switch self {
        case .winner: LocalizedText(zh: "中选产品", en: "winning product")
        case .backup: LocalizedText(zh: "备供产品", en: "backup supplier's product")
        case .nonWinningPassed: LocalizedText(zh: "非中选（过评）", en: "non-winning, passed the evaluation")
        case .nonWinningNotPassed: LocalizedText(zh: "非中选（未过评）", en: "non-winning, not passed")
        case .cheaperEquivalent: LocalizedText(zh: "低于中选价的过评非中选", en: "passed non-winning, cheaper than the winners")
        }
    }
}

/// A verified supply problem (004 §7): one unit (a variety, or a non-substitutable spec), an area
/// (a division-code prefix: "" the whole province, 4 digits a city, 6 a county) and the months it covers, inclusive
/// (design: monitoring counts purchases by month, so a problem's period is whole months).
public struct SupplyProblem: Sendable, Hashable, Codable {
    public var unit: CheckUnit
    public var regionPrefix: String
    public var from: MonthKey
    public var through: MonthKey

    public init(unit: CheckUnit, regionPrefix: String, from: MonthKey, through: MonthKey) {
        self.unit = unit
        self.regionPrefix = regionPrefix
        self.from = from
        self.through = through
    }

    public func covers(unit: CheckUnit, regionCode: String, month: MonthKey) -> Bool {
        self.unit == unit && regionCode.hasPrefix(regionPrefix) && from <= month && month <= through
    }
}

/// A product as monitoring sees it: its unit, its class, and the effective content of one minimal unit in the
/// unit's base amount (so quantities of different specs add up exactly).
public struct ClassifiedProduct: Sendable, Hashable {
    public let productCode: String
    public let unit: CheckUnit
    public let purchaseClass: PurchaseClass
    public let contentPerMinimalUnit: Int64
    /// For a product of an essential-medicine spec: the regions the spec's own winners supply (each winner's
    /// division-code prefixes; an empty list is the whole province). Nil for other specs.
    public let essentialWinnerRegions: [[String]]?

    public init(
        productCode: String, unit: CheckUnit, purchaseClass: PurchaseClass, contentPerMinimalUnit: Int64, essentialWinnerRegions: [[String]]? = nil
    ) {
        self.productCode = productCode
        self.unit = unit
        self.purchaseClass = purchaseClass
        self.contentPerMinimalUnit = contentPerMinimalUnit
        self.essentialWinnerRegions = essentialWinnerRegions
    }

    /// Whether the product's purchases by an institution in `regionCode` are left out of monitoring on both sides:
    /// its spec is an essential medicine with no winner of its own supplying the region, so the institution's demand
    /// for it was not carried into agreed volume and its use is not assessed (000 §5(三); docs/rules.md "The measures").
    public func notCarried(regionCode: String) -> Bool {
        guard let regions = essentialWinnerRegions else { return false }
        return !regions.contains { WinningProduct.supplies($0, regionCode: regionCode) }
    }
}

/// Classifies the products of a batch against its results and listings (004 §7, docs/rules.md "The measures").
public struct PurchaseClassifier: Sendable {
    public let byProduct: [String: ClassifiedProduct]

    /// `results`: the current winning results (winners and backups); `listings`: non-winning listing prices, which
    /// decide "passed" (originator, reference, passed generic) and the price compared with the winners. A product
    /// without a listing is passed when its spec is.
    public init(catalogue: Catalogue, results: [ResultEntry], listings: [ListingEntry]) {
        let roles = Dictionary(results.map { ($0.productCode, $0.role) }, uniquingKeysWith: { a, b in a == .winner ? a : b })
        // The lowest winning price per effective content of each unit (004 §7: "低于同品种中选药品最低价").
        var lowest: [CheckUnit: ContentPrice] = [:]
        for entry in results where entry.role == .winner {
            guard let product = catalogue.productByCode[entry.productCode], let spec = catalogue.specByCode[product.specCode] else { continue }
            let price = ContentPrice(fen: Int128(entry.packPriceFen), content: Int128(entry.packSize(of: spec)) * Int128(spec.content.baseAmount))
            let unit = Catalogue.unit(of: spec)
            if lowest[unit].map({ price < $0 }) ?? true { lowest[unit] = price }
        }
        var essentialRegions: [String: [[String]]] = [:]
        for entry in results where entry.role == .winner {
            guard let product = catalogue.productByCode[entry.productCode], catalogue.specByCode[product.specCode]?.essential == true else {
                continue
            }
            essentialRegions[product.specCode, default: []].append(entry.regions)
        }
        let listingByProduct = Dictionary(listings.map { ($0.productCode, $0) }, uniquingKeysWith: { _, b in b })
        var out: [String: ClassifiedProduct] = [:]
        for product in catalogue.products {
            guard let spec = catalogue.specByCode[product.specCode] else { continue }
            let unit = Catalogue.unit(of: spec)
            let purchaseClass: PurchaseClass
            if let role = roles[product.code] {
                purchaseClass = role == .winner ? .winner : .backup
            } else {
                let listing = listingByProduct[product.code]
                let passed = listing.map { [.originator, .reference, .passedGeneric].contains($0.category) } ?? spec.passedEvaluation
                if passed, let listing, let floor = lowest[unit],
                    ContentPrice(fen: Int128(listing.packPriceFen), content: Int128(spec.packSize) * Int128(spec.content.baseAmount)) < floor
                {
                    purchaseClass = .cheaperEquivalent
                } else {
                    purchaseClass = passed ? .nonWinningPassed : .nonWinningNotPassed
                }
            }
            out[product.code] = ClassifiedProduct(
                productCode: product.code, unit: unit, purchaseClass: purchaseClass, contentPerMinimalUnit: spec.content.baseAmount,
                essentialWinnerRegions: spec.essential ? essentialRegions[spec.code] ?? [] : nil)
        }
        byProduct = out
    }

    public func classify(_ productCode: String) -> ClassifiedProduct? { byProduct[productCode] }
}

/// Purchases of one institution × unit, added up the way the measures count them (docs/rules.md "The measures"): content in the
/// unit's base amount, amounts in fen.
public struct Tally: Sendable, Hashable, Codable {
    /// Winning purchases: winners, and backups inside a verified supply problem (docs/rules.md "The measures", completion).
    public var winningContent: Int64 = 0
    public var winningAmountFen: Int64 = 0
    /// Non-winning purchases counted in the share (docs/rules.md "The measures", the non-winning share).
    public var nonWinningContent: Int64 = 0
    public var nonWinningAmountFen: Int64 = 0
    /// Left out of the share: backups outside a problem, cheaper equivalents, non-winning purchases inside a problem.
    public var excludedContent: Int64 = 0
    public var excludedAmountFen: Int64 = 0
    /// Of the non-winning purchases counted, those of products that did not pass the evaluation.
    public var notPassedContent: Int64 = 0

    public init() {}

    /// Adds a quantity of one product. `inProblem`: the institution, unit and month are inside a verified problem.
    /// Never traps: a figure that would leave `Int64` stops at `Int64.max` (`saturated`), which the recompute refuses
    /// with a message instead of storing (docs/security.md, "Arithmetic on stored data").
    /// `notCarried`: the product's essential spec was not carried for the institution (`ClassifiedProduct.notCarried`):
    /// the purchase is left out of both sides of the share and of completion.
    public mutating func add(_ product: ClassifiedProduct, quantity: Int64, amountFen: Int64, inProblem: Bool, notCarried: Bool = false) {
        let content = Tally.times(quantity, product.contentPerMinimalUnit)
        guard !notCarried else {
            Tally.plus(&excludedContent, content)
            Tally.plus(&excludedAmountFen, amountFen)
            return
        }
        switch (product.purchaseClass, inProblem) {
        case (.winner, _), (.backup, true):
            Tally.plus(&winningContent, content)
            Tally.plus(&winningAmountFen, amountFen)
        case (.nonWinningPassed, false), (.nonWinningNotPassed, false):
            Tally.plus(&nonWinningContent, content)
            Tally.plus(&nonWinningAmountFen, amountFen)
            if product.purchaseClass == .nonWinningNotPassed { Tally.plus(&notPassedContent, content) }
        case (.backup, false), (.cheaperEquivalent, _), (.nonWinningPassed, true), (.nonWinningNotPassed, true):
            Tally.plus(&excludedContent, content)
            Tally.plus(&excludedAmountFen, amountFen)
        }
    }

    /// Adds another tally, saturating as `add(_:quantity:amountFen:inProblem:)` does.
    public mutating func add(_ other: Tally) {
        Tally.plus(&winningContent, other.winningContent)
        Tally.plus(&winningAmountFen, other.winningAmountFen)
        Tally.plus(&nonWinningContent, other.nonWinningContent)
        Tally.plus(&nonWinningAmountFen, other.nonWinningAmountFen)
        Tally.plus(&excludedContent, other.excludedContent)
        Tally.plus(&excludedAmountFen, other.excludedAmountFen)
        Tally.plus(&notPassedContent, other.notPassedContent)
    }

    /// True when a figure is at or above `InputLimits.maxTallyFigure`: the purchases behind it are beyond anything a
    /// province buys, and every sum of such figures could leave `Int64`.
    public var outOfRange: Bool {
        [winningContent, winningAmountFen, nonWinningContent, nonWinningAmountFen, excludedContent, excludedAmountFen, notPassedContent]
            .contains(where: Tally.outOfRange)
    }

    /// The one bound of every monitoring figure: not negative and below `InputLimits.maxTallyFigure`.
    public static func outOfRange(_ figure: Int64) -> Bool { figure >= InputLimits.maxTallyFigure || figure < 0 }

    /// The refusal of a run whose figures for `what` (a unit, an institution's department) reached the bound.
    public static func refusal(_ what: String) -> Refusal {
        let general = RefusalCode.figureOutOfRange.message
        return Refusal(.figureOutOfRange, zh: "\(what)：\(general.zh)", en: "\(what): \(general.en)")
    }

    /// `a × b`, or `Int64.max` (`Int64.min` when negative) when the product leaves `Int64`.
    public static func times(_ a: Int64, _ b: Int64) -> Int64 {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? .min : .max) : value
    }

    /// `a += b`, stopping at `Int64.max` or `Int64.min`.
    public static func plus(_ a: inout Int64, _ b: Int64) {
        let (value, overflow) = a.addingReportingOverflow(b)
        a = overflow ? (b < 0 ? .min : .max) : value
    }

    /// Every purchase's amount (the VBP share's denominator, 001 §2(三)).
    public var totalAmountFen: Int64 {
        var total = winningAmountFen
        Tally.plus(&total, nonWinningAmountFen)
        Tally.plus(&total, excludedAmountFen)
        return total
    }

    /// Non-winning share by quantity (content) and by amount (docs/rules.md "The measures", the non-winning share); nil when nothing counted was bought.
    public var nonWinningShare: Fraction? { Measures.nonWinningShare(winning: Int128(winningContent), nonWinning: Int128(nonWinningContent)) }
    public var nonWinningAmountShare: Fraction? {
        Measures.nonWinningShare(winning: Int128(winningAmountFen), nonWinning: Int128(nonWinningAmountFen))
    }

    /// VBP amount share = winning products' amount ÷ all listed products' amount (001 §2(三); nationally negotiated
    /// drugs are outside a batch catalogue, so none is in these purchases).
    public var vbpAmountShare: Fraction? { totalAmountFen > 0 ? Fraction(Int128(winningAmountFen), Int128(totalAmountFen)) : nil }
}

/// Prescription review (004 §2, 001 §2(三)): a department or doctor whose use of a unit has a non-winning share above
/// the policy's `reviewShare` and a non-winning amount of at least `reviewAmountFen` in the period is reported.
public enum PrescriptionReview {
    public static func flagged(_ tally: Tally, policy: MonitorPolicy) -> Bool {
        guard let share = tally.nonWinningShare, tally.nonWinningAmountFen >= policy.reviewAmountFen else { return false }
        return Fraction(Int128(policy.reviewShare.numerator), Int128(policy.reviewShare.denominator)) < share
    }
}
