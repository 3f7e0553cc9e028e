import Foundation
import Testing

@testable import JicaiCore

/// The agreed volume of one institution (003 §3; 000 §5(三) for essential medicines), on the small fixture catalogue.
@Suite struct AgreedVolumeTests {
    /// V02: one winner of the 5 mg tablet, 28 a pack at 28.00 yuan (1 yuan a tablet).
    static let amlodipine = WinningProduct(productCode: "W021", specCode: "S021", manufacturer: "丙", packPriceFen: 2800, packSize: 28)
    /// V01: two manufacturers: the 0.25 g capsule at 0.20 yuan each and the 0.5 g tablet at 0.15 yuan each (cheaper per gram).
    static let capsule = WinningProduct(productCode: "P0111", specCode: "S011", manufacturer: "甲", packPriceFen: 480, packSize: 24)
    static let tablet = WinningProduct(productCode: "W012", specCode: "S012", manufacturer: "丁", packPriceFen: 180, packSize: 12)

    func calculator(_ winners: [WinningProduct], restricted: Set<String> = [], policy: AwardPolicy = AwardPolicy()) -> AgreedVolumeCalculator {
        AgreedVolumeCalculator(catalogue: Fixtures.catalogue, result: AwardResult(winners: winners, restrictedVarieties: restricted), policy: policy)
    }

    func line(_ spec: String, _ quantity: Int64, brand: String? = nil) -> DemandLine {
        DemandLine(specCode: spec, productCode: brand, quantity: quantity)
    }

    @Test("003 §3: one winner takes 50% of the reported demand; the amount is quantity × winning price")
    func oneWinner() {
        let outcome = calculator([Self.amlodipine]).agreedVolume(regionCode: "140105", lines: [line("S021", 1000)])
        #expect(outcome.figures.map(\.productCode) == ["W021"])
        #expect(outcome.figures[0].quantity == 500 && outcome.figures[0].amountFen == 50_000)
        #expect(
            outcome.figures[0].sources == [
                AgreedFigure.Source(line: 0, specCode: "S021", reportedQuantity: 1000, ratio: .percent(50), chosenBrand: false)
            ])
    }

    @Test("003 §3: two winners take 60%; a chosen brand that won gets the line")
    func chosenWinningBrand() {
        let outcome = calculator([Self.capsule, Self.tablet]).agreedVolume(regionCode: "140105", lines: [line("S011", 1000, brand: "P0111")])
        #expect(outcome.figures.map { "\($0.productCode) \($0.quantity)" } == ["P0111 600"])
        #expect(outcome.figures[0].sources.first?.chosenBrand == true)
    }

    @Test("no brand, or a brand that did not win: the winner with the lowest price per effective content, converted exactly")
    func allocation() {
        let calculator = calculator([Self.capsule, Self.tablet])
        // 1,000 capsules of 0.25 g = 250 g × 60% = 150 g = 300 tablets of 0.5 g.
        let none = calculator.agreedVolume(regionCode: "140105", lines: [line("S011", 1000)])
        #expect(none.figures.map { "\($0.productCode) \($0.quantity)" } == ["W012 300"])
        let lost = calculator.agreedVolume(regionCode: "140105", lines: [line("S011", 1000, brand: "P0112")])
        #expect(lost.figures.map { "\($0.productCode) \($0.quantity)" } == ["W012 300"])
        // Evenly: 150 g over two winners, 75 g each: 300 capsules and 150 tablets.
        var evenly = AwardPolicy()
        evenly.allocation = .evenly
        let split = self.calculator([Self.capsule, Self.tablet], policy: evenly).agreedVolume(regionCode: "140105", lines: [line("S011", 1000)])
        #expect(split.figures.map { "\($0.productCode) \($0.quantity)" } == ["P0111 300", "W012 150"])
    }

    @Test("003 §3: restricted antimicrobials use the lower table (two winners → 40%)")
    func restrictedTable() {
        let outcome = calculator([Self.capsule, Self.tablet], restricted: ["V01"])
            .agreedVolume(regionCode: "140105", lines: [line("S011", 1000, brand: "P0111")])
        #expect(outcome.figures.first?.quantity == 400)
    }

    @Test("000 §5(三): an essential spec is carried only to a winner of that spec supplying the region; otherwise it is not carried")
    func essentialSpec() {
        let essential = WinningProduct(productCode: "W022", specCode: "S022", manufacturer: "戊", packPriceFen: 1400, packSize: 28, regions: ["1402"])
        let calculator = calculator([Self.amlodipine, essential])
        let taiyuan = calculator.agreedVolume(regionCode: "140105", lines: [line("S022", 1000)])
        // Its own winner supplies another city: not carried, and a coverage gap of that spec.
        #expect(taiyuan.figures.isEmpty && taiyuan.notCarried == ["S022"] && taiyuan.coverageGaps == ["V02/S022"])
        // Two manufacturers win V02 now: 60%.
        let datong = calculator.agreedVolume(regionCode: "140213", lines: [line("S022", 1000)])
        #expect(datong.figures.map { "\($0.productCode) \($0.quantity)" } == ["W022 600"])
        let unwon = self.calculator([Self.amlodipine]).agreedVolume(regionCode: "140105", lines: [line("S022", 1000)])
        #expect(unwon.figures.isEmpty && unwon.notCarried == ["S022"] && unwon.coverageGaps.isEmpty)
    }

    @Test("a non-substitutable spec goes only to winners of that spec; a unit whose winners do not supply the region is a coverage gap")
    func nonSubstitutableAndGaps() {
        let granules = calculator([Self.capsule, Self.tablet]).agreedVolume(regionCode: "140105", lines: [line("S013", 500)])
        #expect(granules.figures.isEmpty && granules.notCarried == ["S013"] && granules.coverageGaps.isEmpty)
        let omeprazole = WinningProduct(productCode: "W031", specCode: "S031", manufacturer: "己", packPriceFen: 500, packSize: 1, regions: ["1402"])
        let gap = calculator([omeprazole]).agreedVolume(regionCode: "140105", lines: [line("S031", 100)])
        #expect(gap.figures.isEmpty && gap.coverageGaps == ["V03"])
        // A unit with no winner at all is simply not carried.
        let none = calculator([Self.amlodipine]).agreedVolume(regionCode: "140105", lines: [line("S051", 100)])
        #expect(none.figures.isEmpty && none.notCarried == ["S051"] && none.coverageGaps.isEmpty)
    }

    @Test("rounding half up once per institution × product: 3 tablets × 50% = 1.5 → 2; the amount 2 × 0.35 ÷ 28 × 100 … rounded once")
    func roundingAtHalf() {
        let cheap = WinningProduct(productCode: "W021", specCode: "S021", manufacturer: "丙", packPriceFen: 35, packSize: 28)
        let outcome = calculator([cheap]).agreedVolume(regionCode: "140105", lines: [line("S021", 3)])
        // 2 tablets × 35 fen ÷ 28 = 2.5 fen → 3 fen.
        #expect(outcome.figures.first?.quantity == 2 && outcome.figures.first?.amountFen == 3)
        // Two lines of one product are added before the one rounding: (1 + 2) × 50% = 1.5 → 2, not 1 + 1.
        let merged = calculator([Self.capsule]).agreedVolume(regionCode: "140105", lines: [line("S011", 1), line("S012", 1)])
        // 0.25 g + 0.5 g = 0.75 g × 50% = 0.375 g = 1.5 capsules → 2.
        #expect(merged.figures.map { "\($0.productCode) \($0.quantity)" } == ["P0111 2"])
    }
}
