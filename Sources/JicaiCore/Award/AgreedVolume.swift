import Foundation

/// A winning product of a batch's result (中选产品): its spec, its manufacturer, its winning price per pack and the
/// regions it supplies when a variety has several winners (003 §3).
public struct WinningProduct: Sendable, Hashable, Codable {
    public var productCode: String
    public var specCode: String
    /// The winning manufacturer (its unified social credit code): winners are counted per manufacturer.
    public var manufacturer: String
    /// The winning price of one pack, in fen.
    public var packPriceFen: Int64
    /// Minimal units in a pack.
    public var packSize: Int64
    /// The division-code prefixes (2, 4 or 6 digits) it supplies; empty means the whole province.
    public var regions: [String]

    public init(productCode: String, specCode: String, manufacturer: String, packPriceFen: Int64, packSize: Int64, regions: [String] = []) {
        self.productCode = productCode
        self.specCode = specCode
        self.manufacturer = manufacturer
        self.packPriceFen = packPriceFen
        self.packSize = packSize
        self.regions = regions
    }

    public func supplies(regionCode: String) -> Bool { WinningProduct.supplies(regions, regionCode: regionCode) }

    /// Whether a winner supplying `regions` (division-code prefixes; none: the whole province) supplies `regionCode`.
    public static func supplies(_ regions: [String], regionCode: String) -> Bool {
        regions.isEmpty || regions.contains { regionCode.hasPrefix($0) }
    }
}

/// The award of a batch as the rules need it: the winners, and the varieties that take the lower ratio table.
public struct AwardResult: Sendable {
    public var winners: [WinningProduct]
    /// Restricted antimicrobials and antifungals (the lower ratio table, 003 §3).
    public var restrictedVarieties: Set<String>

    public init(winners: [WinningProduct], restrictedVarieties: Set<String> = []) {
        self.winners = winners
        self.restrictedVarieties = restrictedVarieties
    }

    /// Distinct winning manufacturers of each variety.
    public func winnerCounts(_ catalogue: Catalogue) -> [String: Int] {
        var manufacturers: [String: Set<String>] = [:]
        for winner in winners {
            guard let variety = catalogue.specByCode[winner.specCode]?.varietyCode else { continue }
            manufacturers[variety, default: []].insert(winner.manufacturer)
        }
        return manufacturers.mapValues(\.count)
    }
}

/// An institution's agreed volume with one winning product, and how it came about.
public struct AgreedFigure: Sendable, Hashable {
    /// One reported line's part of it.
    public struct Source: Sendable, Hashable {
        /// The line's position in the lines given to `agreedVolume`.
        public var line: Int
        public var specCode: String
        public var reportedQuantity: Int64
        public var ratio: Ratio
        /// Why the line went to this product: its chosen brand won, or the allocation rule chose it.
        public var chosenBrand: Bool
    }

    public var productCode: String
    public var specCode: String
    /// In minimal units of the product's spec, rounded half up once.
    public var quantity: Int64
    /// Quantity × winning price, rounded half up once, in fen.
    public var amountFen: Int64
    public var sources: [Source]
    /// The exact agreed volume before rounding, as content × ratio numerator over `contentDenominator` minimal units:
    /// agreement years take their parts of it and round once each.
    public var exactContent: Int128
    public var contentDenominator: Int128
}

/// The agreed volume of one institution (003 §3), from its counted report: per line the reported quantity × its
/// spec's effective content × the variety's ratio, assigned to the chosen brand when it won and supplies the
/// institution's region, otherwise by the batch's allocation rule; converted into each product's minimal units and
/// rounded half up once per product.
public struct AgreedVolumeCalculator: Sendable {
    public let catalogue: Catalogue
    public let result: AwardResult
    public let policy: AwardPolicy
    let winnerCounts: [String: Int]
    let winnersOfUnit: [CheckUnit: [WinningProduct]]

    public init(catalogue: Catalogue, result: AwardResult, policy: AwardPolicy) {
        self.catalogue = catalogue
        self.result = result
        self.policy = policy
        winnerCounts = result.winnerCounts(catalogue)
        var byUnit: [CheckUnit: [WinningProduct]] = [:]
        for winner in result.winners {
            guard let spec = catalogue.specByCode[winner.specCode] else { continue }
            byUnit[Catalogue.unit(of: spec), default: []].append(winner)
        }
        winnersOfUnit = byUnit.mapValues { $0.sorted { $0.productCode < $1.productCode } }
    }

    /// What the lines of one institution come to.
    public struct Outcome: Sendable, Hashable {
        public var figures: [AgreedFigure]
        /// Units (or essential specs, "V02/S022") whose winners do not supply the institution's region (listed for the
        /// province).
        public var coverageGaps: [String]
        /// Spec codes of lines that carry nothing (no winner, an essential or non-substitutable spec not won).
        public var notCarried: [String]
    }

    /// The lines' content shares per target product, before conversion.
    struct Share {
        var content: Int128 = 0
        var sources: [AgreedFigure.Source] = []
    }

    public func agreedVolume(regionCode: String, lines: [DemandLine]) -> Outcome {
        var shares: [String: Share] = [:]
        var even: [[String]: EvenPool] = [:]
        var gaps = Set<String>()
        var notCarried: [String] = []
        for (index, line) in lines.enumerated() where line.quantity > 0 {
            guard let spec = catalogue.specByCode[line.specCode], let ratio = ratio(of: spec) else {
                notCarried.append(line.specCode)
                continue
            }
            let candidates = candidates(for: spec, regionCode: regionCode)
            guard !candidates.isEmpty else {
                if !unitWinners(of: spec).isEmpty { gaps.insert(gapKey(of: spec)) }
                notCarried.append(line.specCode)
                continue
            }
            let content = ContentConversion.content(of: line.quantity, spec) * Int128(ratio.numerator)
            let chosen = candidates.first { $0.productCode == line.productCode }
            let source = AgreedFigure.Source(
                line: index, specCode: spec.code, reportedQuantity: line.quantity, ratio: ratio, chosenBrand: chosen != nil)
            if chosen == nil && policy.allocation == .evenly && candidates.count > 1 {
                // Shared out once per institution × candidate set, so that the lowest code takes the rest of the sum.
                even[candidates.map(\.productCode), default: EvenPool(candidates: candidates, ratio: ratio)].add(content, source)
                continue
            }
            let target = chosen ?? cheapest(candidates)
            shares[target.productCode, default: Share()].content += content
            shares[target.productCode, default: Share()].sources.append(source)
        }
        for pool in even.values {
            for (target, part) in shareEvenly(pool) {
                shares[target.productCode, default: Share()].content += part
                shares[target.productCode, default: Share()].sources += pool.sources
            }
        }
        return Outcome(figures: figures(shares), coverageGaps: gaps.sorted(), notCarried: notCarried)
    }

    /// Lines of one institution shared evenly over the same winners.
    struct EvenPool {
        var candidates: [WinningProduct]
        var ratio: Ratio
        var content: Int128 = 0
        var sources: [AgreedFigure.Source] = []

        mutating func add(_ part: Int128, _ source: AgreedFigure.Source) {
            content += part
            sources.append(source)
        }
    }

    /// The winners of a spec's unit, whatever the regions they supply.
    func unitWinners(of spec: Spec) -> [WinningProduct] {
        let winners = winnersOfUnit[Catalogue.unit(of: spec)] ?? []
        return spec.essential ? winners.filter { $0.specCode == spec.code } : winners
    }

    func gapKey(of spec: Spec) -> String { CoverageGap.key(of: spec) }

    func ratio(of spec: Spec) -> Ratio? {
        policy.ratio(winners: winnerCounts[spec.varietyCode] ?? 0, restricted: result.restrictedVarieties.contains(spec.varietyCode))
    }

    /// The winners a line may go to in the institution's region: of the same spec for an essential-medicine spec
    /// (000 §5(三)) and a non-substitutable spec, of the line's check unit otherwise.
    func candidates(for spec: Spec, regionCode: String) -> [WinningProduct] {
        let unitWinners = winnersOfUnit[Catalogue.unit(of: spec)] ?? []
        let sameSpecOnly = spec.essential || spec.nonSubstitutable
        return unitWinners.filter { (!sameSpecOnly || $0.specCode == spec.code) && $0.supplies(regionCode: regionCode) }
    }

    /// The evenly rule on a pool's content (already multiplied by the ratio's numerator): every winner but the lowest
    /// code gets an equal share converted into its minimal units and rounded half up; the lowest code gets the total
    /// minus those, never below zero (docs/rules.md "Award stage").
    func shareEvenly(_ pool: EvenPool) -> [(WinningProduct, Int128)] {
        let count = Int128(pool.candidates.count)
        let others = pool.candidates.dropFirst().map { winner -> (WinningProduct, Int128) in
            let unit = Int128(pool.ratio.denominator) * contentPerUnit(winner)
            return (winner, pool.content.dividedRoundingHalfUp(by: count * unit) * unit)
        }
        let rest = max(0, pool.content - others.reduce(0) { $0 + $1.1 })
        return [(pool.candidates[0], rest)] + others
    }

    /// The winner with the lowest price per effective content; ties go to the lowest product code.
    func cheapest(_ candidates: [WinningProduct]) -> WinningProduct {
        candidates.min { left, right in
            // price per content = packPrice ÷ (packSize × content per unit), compared by cross-multiplying.
            let leftCost = Int128(left.packPriceFen) * Int128(right.packSize) * contentPerUnit(right)
            let rightCost = Int128(right.packPriceFen) * Int128(left.packSize) * contentPerUnit(left)
            return leftCost != rightCost ? leftCost < rightCost : left.productCode < right.productCode
        }!
    }

    func contentPerUnit(_ winner: WinningProduct) -> Int128 {
        Int128(catalogue.specByCode[winner.specCode]?.content.baseAmount ?? 1)
    }

    /// Each product's quantity (its content share ÷ the ratio's denominator ÷ its spec's content, rounded half up
    /// once) and amount (quantity × pack price ÷ pack size, rounded half up once).
    func figures(_ shares: [String: Share]) -> [AgreedFigure] {
        let winners = Dictionary(result.winners.map { ($0.productCode, $0) }, uniquingKeysWith: { first, _ in first })
        return shares.keys.sorted().compactMap { code -> AgreedFigure? in
            guard let winner = winners[code], let share = shares[code], let ratio = share.sources.first?.ratio else { return nil }
            let denominator = Int128(ratio.denominator) * contentPerUnit(winner)
            let quantity = share.content.dividedRoundingHalfUp(by: denominator)
            let amount = (quantity * Int128(winner.packPriceFen)).dividedRoundingHalfUp(by: Int128(max(1, winner.packSize)))
            guard let whole = Int64(exactly: quantity), let fen = Int64(exactly: amount) else { return nil }
            return AgreedFigure(
                productCode: code, specCode: winner.specCode, quantity: whole, amountFen: fen, sources: share.sources, exactContent: share.content,
                contentDenominator: denominator)
        }
    }
}
