import Foundation
import Testing

@testable import JicaiCore

/// Listing prices and payment standards (003 §8(二); 004 §5), on the fixture catalogue with two more products: a
/// second 5 mg amlodipine and a non-passed 2.5 mg one.
@Suite struct PriceRulesTests {
    static let catalogue = try! Catalogue(
        varieties: Fixtures.varieties, specs: Fixtures.specs,
        products: Fixtures.products + [
            Product(code: "P0212", specCode: "S021", manufacturerName: "丁药业", brand: "丁"),
            Product(code: "P0221", specCode: "S022", manufacturerName: "戊药业", brand: "戊"),
        ])
    /// Two winners of the 5 mg tablet (28 a pack): 2.80 yuan (2 fen per mg) and 5.60 yuan (4 fen per mg).
    static let winners = [
        WinningProduct(productCode: "P0211", specCode: "S021", manufacturer: "丙", packPriceFen: 280, packSize: 28),
        WinningProduct(productCode: "W0212", specCode: "S021", manufacturer: "己", packPriceFen: 560, packSize: 28),
    ]
    let rules = PriceRules(catalogue: catalogue, winners: winners, policy: AwardPolicy())

    @Test("003 §8(二): the payment standard rests on the winning price: the highest winning price per content, per pack of each spec")
    func standard() {
        #expect(rules.paymentStandard(spec: Self.catalogue.specByCode["S021"]!) == 560)  // 4 fen/mg × 5 mg × 28
        #expect(rules.paymentStandard(spec: Self.catalogue.specByCode["S022"]!) == 280)  // 4 fen/mg × 2.5 mg × 28
        #expect(rules.paymentStandard(spec: Self.catalogue.specByCode["S031"]!) == nil, "no winner, no standard")
    }

    @Test("003 §8(二): originator, reference and passed generics share one standard; a non-passed generic's is never above the passed ones'")
    func ordering() {
        for category in [ListingCategory.originator, .reference, .passedGeneric] {
            #expect(rules.paymentStandard(for: ListingEntry(productCode: "P0212", category: category, packPriceFen: 900)) == 560)
        }
        let cheap = rules.paymentStandard(for: ListingEntry(productCode: "P0221", category: .nonPassedGeneric, packPriceFen: 200))
        let dear = rules.paymentStandard(for: ListingEntry(productCode: "P0221", category: .nonPassedGeneric, packPriceFen: 400))
        #expect(cheap == 200 && dear == 280)
        let passedSameContent = rules.paymentStandard(spec: Self.catalogue.specByCode["S022"]!)!
        #expect(dear! <= passedSameContent)
    }

    @Test("003 §8(二): a non-winning consumable's standard is never above the highest winning price of its class")
    func consumable() {
        #expect(rules.paymentStandard(for: ListingEntry(productCode: "P0212", category: .consumable, packPriceFen: 700)) == 560)
        #expect(rules.paymentStandard(for: ListingEntry(productCode: "P0212", category: .consumable, packPriceFen: 500)) == 500)
    }

    @Test("004 §5: a non-winning product above twice the highest winning price per content is flagged; exactly twice is not")
    func maximum() {
        #expect(!rules.exceedsMaximum(ListingEntry(productCode: "P0212", category: .passedGeneric, packPriceFen: 1120)))
        #expect(rules.exceedsMaximum(ListingEntry(productCode: "P0212", category: .passedGeneric, packPriceFen: 1121)))
        // 2.5 mg at 5.61 yuan is above 2 × 4 fen/mg × 2.5 mg × 28 = 5.60 yuan.
        #expect(rules.exceedsMaximum(ListingEntry(productCode: "P0221", category: .nonPassedGeneric, packPriceFen: 561)))
        let strict = PriceRules(catalogue: Self.catalogue, winners: Self.winners, policy: AwardPolicy(maxListingMultiple: Ratio(3, 2)))
        #expect(strict.exceedsMaximum(ListingEntry(productCode: "P0212", category: .passedGeneric, packPriceFen: 841)))
    }

    @Test("004 §5 差比价: an added spec with twice the content costs 1.7 times the unit price, half the content 1/1.7, rounded once")
    func addedSpec() {
        // 50 fen a 0.25 g capsule.
        let capsule = WinningProduct(productCode: "P0111", specCode: "S011", manufacturer: "甲", packPriceFen: 1200, packSize: 24)
        let specs = Self.catalogue.specByCode
        #expect(rules.addedSpecPrice(winner: capsule, added: specs["S012"]!) == .success(1020))  // 50 × 1.7 × 12
        #expect(rules.addedSpecPrice(winner: capsule, added: specs["S013"]!) == .success(294))  // 50 ÷ 1.7 × 10 = 294.1
        let tablet = WinningProduct(productCode: "W012", specCode: "S012", manufacturer: "甲", packPriceFen: 1020, packSize: 12)
        #expect(rules.addedSpecPrice(winner: tablet, added: specs["S011"]!) == .success(1200), "back again, exactly")
        let odd = Spec(
            code: "S014", varietyCode: "V01", dosageForm: "片剂", strength: "0.3g", content: Fixtures.content("0.3g"), minimalUnit: "片", packSize: 10)
        #expect(throws: Refusal.self) { try rules.addedSpecPrice(winner: capsule, added: odd).get() }
        #expect(throws: Refusal.self) { try rules.addedSpecPrice(winner: capsule, added: specs["S021"]!).get() }
    }

    @Test("the policy's price numbers decode with their defaults from a policy stored before they existed")
    func decoding() throws {
        let old =
            #"{"ratiosByWinners":[{"numerator":1,"denominator":2}],"restrictedRatiosByWinners":[{"numerator":3,"denominator":10}],"allocation":"evenly","distributorLimitDrugs":5,"distributorLimitConsumables":10}"#
        let policy = try JSONDecoder().decode(AwardPolicy.self, from: Data(old.utf8))
        #expect(policy.maxListingMultiple == Ratio(2, 1) && policy.contentPriceFactor == Ratio(17, 10) && policy.allocation == .evenly)
    }
}
