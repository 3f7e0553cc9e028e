import Foundation
import Testing

@testable import JicaiCore

/// The demand form's what-if: the agreed volume under the ratio table, the schedule's monthly need, the retention
/// range by grade from the same `RetentionRules` as the year's run.
@Suite("What-if on the demand form")
struct WhatIfTests {
    static let s021 = Fixtures.catalogue.specByCode["S021"]!

    static func inputs(_ pieces: Int64, winners: Int = 2, known: Bool = false, price: PreAwardPrice? = nil, winning: PreAwardPrice? = nil)
        -> WhatIfInputs
    {
        WhatIfInputs(
            unitKey: "V02", reportedContent: Int128(pieces) * Int128(s021.content.baseAmount), displaySpec: s021, winners: winners,
            winnersKnown: known,
            restricted: false, price: price, winningPrice: winning)
    }

    /// One yuan a piece before the award.
    static var yuanPerPiece: PreAwardPrice { PreAwardPrice(amountFen: 100, content: s021.content.baseAmount) }

    @Test(
        "003 §3: two winners agree 60% of the report; 001 §2(四): a twelfth of it a month, rounded up; 004 §3: retention by grade over the assumed cuts"
    )
    func ratioScheduleAndRetention() throws {
        let w = try #require(WhatIfRules.estimate(Self.inputs(6000, price: Self.yuanPerPiece), award: AwardPolicy(), policy: AssessmentPolicy()))
        #expect(w.ratio == .percent(60) && w.agreedQuantity == 3600 && w.monthlyQuantity == 300)
        #expect(w.agreedContent == 3600 * Self.s021.content.baseAmount)
        // 40% cut: 3600 × 0.40 yuan × 70% fund = 1,008 yuan; A 50% 504, B 40% 403.20, C 30% 302.40; 60% cut: 1,512 yuan.
        #expect(w.range(.a)! == (50400, 75600))
        #expect(w.range(.b)! == (40320, 60480))
        #expect(w.range(.c)! == (30240, 45360))
        #expect(w.range(.d)! == (0, 0))
        #expect(w.assumptions.contains { $0.zh.contains("2家企业均中选") && $0.zh.contains("60%") })
        // 6001 pieces: 3600.6 agreed, rounded half up to 3601; 3601 ÷ 12 rounds up to 301 a month.
        let odd = try #require(WhatIfRules.estimate(Self.inputs(6001), award: AwardPolicy(), policy: AssessmentPolicy()))
        #expect(odd.agreedQuantity == 3601 && odd.monthlyQuantity == 301)
        // One winner: 50%; five winners: the table's last ratio, 80%.
        #expect(WhatIfRules.estimate(Self.inputs(6000, winners: 1), award: AwardPolicy(), policy: AssessmentPolicy())?.agreedQuantity == 3000)
        #expect(WhatIfRules.estimate(Self.inputs(6000, winners: 5), award: AwardPolicy(), policy: AssessmentPolicy())?.agreedQuantity == 4800)
    }

    @Test("003 §3, 004 §3: once the winners are known, their count sets the ratio and the lowest winning price gives one figure per grade")
    func knownAward() throws {
        // 12.60 yuan for 28 pieces: 45 fen a piece; saving 55 fen × 3600 × 70% × 50% = 693 yuan at grade A.
        let winning = PreAwardPrice(amountFen: 1260, content: 28 * Self.s021.content.baseAmount)
        let w = try #require(
            WhatIfRules.estimate(
                Self.inputs(6000, winners: 2, known: true, price: Self.yuanPerPiece, winning: winning), award: AwardPolicy(),
                policy: AssessmentPolicy()))
        #expect(w.scenarios.count == 1 && w.range(.a)! == (69300, 69300))
        #expect(w.assumptions.contains { $0.zh.contains("已公布中选企业2家") })
        // A flat ratio (the 11th batch's 80%) ignores the winners.
        var flat = AwardPolicy()
        flat.flatRatio = .percent(80)
        #expect(WhatIfRules.estimate(Self.inputs(6000, winners: 1), award: flat, policy: AssessmentPolicy())?.agreedQuantity == 4800)
    }

    @Test("004 §3: without amounts in the history no retention is estimated, and says so; nothing reported or beyond Int64 gives none")
    func edges() throws {
        let w = try #require(WhatIfRules.estimate(Self.inputs(100), award: AwardPolicy(), policy: AssessmentPolicy()))
        #expect(w.scenarios.isEmpty && w.range(.a) == nil && w.assumptions.contains { $0.zh.contains("无金额") })
        #expect(WhatIfRules.estimate(Self.inputs(0), award: AwardPolicy(), policy: AssessmentPolicy()) == nil)
        var huge = Self.inputs(1)
        huge.reportedContent = Int128(Int64.max) * 4
        #expect(WhatIfRules.estimate(huge, award: AwardPolicy(), policy: AssessmentPolicy()) == nil)
    }

    @Test("003 §3: before the results the manufacturers that may bid are counted; after them the winners and the lowest winning price")
    func awardFacts() throws {
        let before = WhatIfAwardFacts(catalogue: Fixtures.catalogue, result: nil)
        #expect(before.units["V01"]?.winners == 2 && before.units["V01"]?.known == false)
        #expect(before.units["V02"]?.winners == 1 && before.units["V03"]?.winners == 1)
        let result = AwardResult(winners: [
            WinningProduct(productCode: "P0211", specCode: "S021", manufacturer: "丙药业", packPriceFen: 1260, packSize: 28, regions: []),
            WinningProduct(productCode: "P9", specCode: "S021", manufacturer: "丁药业", packPriceFen: 1400, packSize: 28, regions: []),
        ])
        let after = WhatIfAwardFacts(catalogue: Fixtures.catalogue, result: result)
        let v02 = try #require(after.units["V02"])
        #expect(v02.known && v02.winners == 2 && v02.lowestPrice == PreAwardPrice(amountFen: 1260, content: 28 * Self.s021.content.baseAmount))
        #expect(after.units["V01"]?.known == false)
    }

    @Test("A policy's what-if cuts out of order are a problem; a stored policy without them decodes with the defaults")
    func policy() throws {
        var policy = AssessmentPolicy()
        policy.whatIfCutLow = .percent(70)
        #expect(!policy.problems().isEmpty)
        let decoded = try JSONDecoder().decode(AssessmentPolicy.self, from: Data("{}".utf8))
        #expect(decoded.whatIfCutLow == .percent(40) && decoded.whatIfCutHigh == .percent(60))
    }
}
