import Foundation
import Testing

@testable import JicaiCore

/// The points of the award and monitoring rules an independent reading found wrong, each on its minimal case
/// (docs/rules.md "Award stage" and "The measures").
@Suite struct AwardFidelityTests {
    static let capsuleA0 = WinningProduct(productCode: "A0", specCode: "S011", manufacturer: "甲", packPriceFen: 480, packSize: 24)
    static let capsuleA1 = WinningProduct(productCode: "A1", specCode: "S011", manufacturer: "乙", packPriceFen: 480, packSize: 24)

    func calculator(_ winners: [WinningProduct], allocation: AwardPolicy.Allocation = .lowestPrice) -> AgreedVolumeCalculator {
        var policy = AwardPolicy()
        policy.allocation = allocation
        return AgreedVolumeCalculator(catalogue: Fixtures.catalogue, result: AwardResult(winners: winners), policy: policy)
    }

    func quantities(_ outcome: AgreedVolumeCalculator.Outcome) -> [String] { outcome.figures.map { "\($0.productCode) \($0.quantity)" } }

    @Test(
        "003 §3, evenly: every winner but the lowest code takes its share rounded half up, the lowest code the rest (2,192 × 60% = 1,315.2 → 658 + 657)"
    )
    func evenlyRemainder() {
        let outcome = calculator([Self.capsuleA0, Self.capsuleA1], allocation: .evenly)
            .agreedVolume(regionCode: "140105", lines: [DemandLine(specCode: "S011", quantity: 2192)])
        #expect(quantities(outcome) == ["A0 657", "A1 658"])
        // The rest is taken over the institution's whole pool of such lines, not line by line: two lines of 1,096
        // give the same figures as one of 2,192.
        let twoLines = calculator([Self.capsuleA0, Self.capsuleA1], allocation: .evenly)
            .agreedVolume(
                regionCode: "140105", lines: [DemandLine(specCode: "S011", quantity: 1096), DemandLine(specCode: "S011", quantity: 1096)])
        #expect(quantities(twoLines) == ["A0 657", "A1 658"])
        #expect(twoLines.figures.allSatisfy { $0.sources.count == 2 })
        // A chosen brand that won keeps its line; only the others are shared out.
        let chosen = calculator([Self.capsuleA0, Self.capsuleA1], allocation: .evenly)
            .agreedVolume(
                regionCode: "140105",
                lines: [DemandLine(specCode: "S011", productCode: "A1", quantity: 100), DemandLine(specCode: "S011", quantity: 2192)])
        #expect(quantities(chosen) == ["A0 657", "A1 718"])
    }

    @Test("003 §4: twelve months from 29 February hold a 29 February, so a first year from 2028-02-29 is divided by 366")
    func leapDayStart() {
        let start = CivilDate(2028, 2, 29)!
        #expect(start.daysOfTwelveMonths == 366)
        #expect(CivilDate(2028, 3, 1)!.daysOfTwelveMonths == 365 && CivilDate(2027, 3, 1)!.daysOfTwelveMonths == 366)
        let years = AgreementYears.years(start: start, cycleEnd: CivilDate(2030, 6, 30)!)
        #expect(years[0].days == 488 && years[0].daysOfTwelveMonths == 366)
        // Exact yearly 2,710.4 tablets: 2,710.4 × 488 ÷ 366 = 3,613.87 → 3,614 (÷ 365 would give 3,624).
        #expect(years[0].share(ofExact: 27_104, over: 10) == 3614)
    }

    @Test("000 §5(三), 003 §3: a non-substitutable or essential spec whose own winners all supply other regions is a coverage gap")
    func gapsOfOwnSpecs() {
        let granules = WinningProduct(
            productCode: "G0", specCode: "S013", manufacturer: "甲", packPriceFen: 100, packSize: 10, regions: ["140105", "140106"])
        let gap = calculator([Self.capsuleA0, granules]).agreedVolume(regionCode: "141102", lines: [DemandLine(specCode: "S013", quantity: 50)])
        #expect(gap.figures.isEmpty && gap.notCarried == ["S013"] && gap.coverageGaps == ["V01/S013"])
        let essentialWinner = WinningProduct(
            productCode: "E0", specCode: "S022", manufacturer: "戊", packPriceFen: 1400, packSize: 28, regions: ["1402"])
        let amlodipine = WinningProduct(productCode: "W021", specCode: "S021", manufacturer: "丙", packPriceFen: 2800, packSize: 28)
        let essential = calculator([amlodipine, essentialWinner])
            .agreedVolume(regionCode: "140105", lines: [DemandLine(specCode: "S022", quantity: 100)])
        #expect(essential.figures.isEmpty && essential.coverageGaps == ["V02/S022"])
        // An essential spec with no winner of its own: not carried, no gap, though its variety has a winner here.
        let none = calculator([amlodipine]).agreedVolume(regionCode: "140105", lines: [DemandLine(specCode: "S022", quantity: 100)])
        #expect(none.figures.isEmpty && none.notCarried == ["S022"] && none.coverageGaps.isEmpty)
        // A line of quantity 0 makes no gap.
        let zero = calculator([Self.capsuleA0, granules]).agreedVolume(regionCode: "141102", lines: [DemandLine(specCode: "S013", quantity: 0)])
        #expect(zero.coverageGaps.isEmpty)
    }

    @Test("000 §5(三), 004 §7: purchases of an essential spec that was not carried are left out of completion and the non-winning share")
    func essentialNotCarried() throws {
        let products = [
            Product(code: "W", specCode: "S021", manufacturerName: "丙药业"), Product(code: "Q", specCode: "S022", manufacturerName: "丁药业"),
        ]
        let catalogue = try Catalogue(varieties: Fixtures.varieties, specs: Fixtures.specs, products: products)
        let classifier = PurchaseClassifier(catalogue: catalogue, results: [ResultEntry(productCode: "W", packPriceFen: 2800)], listings: [])
        let winner = try #require(classifier.classify("W"))
        let essential = try #require(classifier.classify("Q"))
        #expect(winner.essentialWinnerRegions == nil && essential.essentialWinnerRegions == [])
        #expect(essential.notCarried(regionCode: "140105") && !winner.notCarried(regionCode: "140105"))
        var tally = Tally()
        tally.add(winner, quantity: 100, amountFen: 10_000, inProblem: false)
        tally.add(essential, quantity: 100, amountFen: 5_000, inProblem: false, notCarried: essential.notCarried(regionCode: "140105"))
        #expect(tally.nonWinningShare == Fraction(0, 1) && tally.nonWinningContent == 0)
        #expect(tally.excludedAmountFen == 5_000 && tally.totalAmountFen == 15_000)
        // With a winner of its own supplying the region, the essential spec is carried and judged as usual.
        let won = PurchaseClassifier(
            catalogue: catalogue,
            results: [ResultEntry(productCode: "W", packPriceFen: 2800), ResultEntry(productCode: "Q", packPriceFen: 1400, regions: ["1401"])],
            listings: [])
        let q = try #require(won.classify("Q"))
        #expect(!q.notCarried(regionCode: "140105") && q.notCarried(regionCode: "140213"))
    }
}
