import Foundation
import Testing

@testable import JicaiCore

@Suite("Bounded quantities: the form, the API and the checks never trap (002 §2: whole quantities in minimal units)")
struct InputLimitsTests {
    @Test("typed quantities: whole, not negative, at most the limit; commas and spaces allowed")
    func typed() {
        #expect(QuantityText.parse("") == nil && QuantityText.parse("  ") == nil)
        #expect(QuantityText.parse("1,200") == .success(1200))
        #expect(QuantityText.parse(" 0 ") == .success(0))
        #expect(QuantityText.parse("-0") == .success(0))
        #expect(QuantityText.parse("\(InputLimits.maxQuantity)") == .success(InputLimits.maxQuantity))
        #expect(QuantityText.parse("\(InputLimits.maxQuantity + 1)") == .failure(.tooLarge))
        #expect(QuantityText.parse("5000000000000000000") == .failure(.tooLarge))
        #expect(QuantityText.parse("99999999999999999999999999") == .failure(.tooLarge), "beyond Int64 is too large, not a crash")
        #expect(QuantityText.parse("-3") == .failure(.negative))
        #expect(QuantityText.parse("1.5") == .failure(.notWhole))
        #expect(QuantityText.parse("1e9") == .failure(.notWhole))
        #expect(QuantityText.parse("١٢") == .failure(.notWhole), "non-ASCII digits are not quantities")
    }

    @Test("a draft over the limit is refused with a code; at the limit it is kept (row 2 and row 9 of the security review)")
    func draftLimit() throws {
        let cat = Fixtures.catalogue
        let huge = DraftInput(lines: [DemandLine(specCode: "S012", quantity: 5_000_000_000_000_000_000)])
        guard case .failure(let r) = huge.validated(against: cat) else {
            Issue.record("accepted")
            return
        }
        #expect(r.code == .quantityTooLarge)
        #expect(r.message.zh.contains("上限") && r.message.en.contains("limit"))
        let negative = DraftInput(lines: [DemandLine(specCode: "S012", quantity: -1)])
        guard case .failure(let n) = negative.validated(against: cat) else {
            Issue.record("accepted")
            return
        }
        #expect(n.code == .badQuantity)
        let exclusion = DraftInput(lines: [], exclusions: ["V01": SpecialNeedsExclusion(specCode: "S011", quantity: Int64.max, reason: "特需")])
        guard case .failure(let e) = exclusion.validated(against: cat) else {
            Issue.record("accepted")
            return
        }
        #expect(e.code == .quantityTooLarge)
        let atLimit = DraftInput(lines: [
            DemandLine(specCode: "S012", quantity: InputLimits.maxQuantity), DemandLine(specCode: "S011", quantity: InputLimits.maxQuantity),
        ])
        let clean = try atLimit.validated(against: cat).get()
        let result = Fixtures.checker().check(InstitutionDemand(institutionCode: "X", history: ["S011": 1], lines: clean.lines))
        // 10¹⁰ × 0.5 g + 10¹⁰ × 0.25 g, shown in 0.25 g capsules: 3 × 10¹⁰, exact.
        #expect(result.units.first { $0.unit.varietyCode == "V01" && $0.unit.separateSpecCode == nil }?.reportedDisplay == 30_000_000_000)
    }

    @Test("form fields: a quantity beyond Int64 is a refusal, not a trap")
    func formFields() {
        let r = DraftInput.fromForm(
            quantities: ["S011": "99999999999999999999999"], brands: [:], explanations: [:], exclusions: [:],
            exclusionSpecs: [:], exclusionReasons: [:])
        guard case .failure(let refusal) = r else {
            Issue.record("accepted")
            return
        }
        #expect(refusal.code == .quantityTooLarge)
        let ok = DraftInput.fromForm(
            quantities: ["S011": "1,000", "S012": ""], brands: ["S011": "P0111"], explanations: ["V01": "说明"],
            exclusions: ["V01": "0"], exclusionSpecs: [:], exclusionReasons: [:])
        #expect((try? ok.get())?.lines == [DemandLine(specCode: "S011", productCode: "P0111", quantity: 1000)])
        #expect((try? ok.get())?.exclusions.isEmpty == true, "a zero exclusion is no exclusion")
    }

    @Test("conversion between specs of very different content stays exact or says it does not fit (000 §5(四))")
    func conversion() {
        let micro = Spec(code: "A", varietyCode: "V", dosageForm: "片剂", strength: "1μg", content: EffectiveContent(text: "1μg")!, minimalUnit: "片")
        let kilo = Spec(code: "B", varietyCode: "V", dosageForm: "片剂", strength: "1000g", content: EffectiveContent(text: "1000g")!, minimalUnit: "片")
        #expect(ContentConversion.convert(InputLimits.maxQuantity, from: kilo, to: micro) == nil, "10¹⁹ does not fit Int64: nil, not a trap")
        #expect(ContentConversion.convert(3, from: kilo, to: micro) == 3_000_000_000)
        let content = ContentConversion.content(of: InputLimits.maxQuantity, kilo)
        #expect(ContentConversion.quantity(ofContent: content, in: micro) == Int128(InputLimits.maxQuantity) * 1_000_000_000)
    }

    @Test("property: random quantities from 0 to the limit and beyond, random contents — exact totals or a refusal, never a trap")
    func property() throws {
        var g = SeededRandom(seed: 20_261_202)
        let units = ["μg", "mg", "g"]
        for round in 0..<300 {
            // Two merged specs of random content, one separate, one variety.
            func content() -> String { "\(Int.random(in: 1...1000, using: &g))\(units.randomElement(using: &g)!)" }
            let specs = [
                Spec(code: "A", varietyCode: "V", dosageForm: "片剂", strength: "a", content: EffectiveContent(text: content())!, minimalUnit: "片"),
                Spec(code: "B", varietyCode: "V", dosageForm: "胶囊", strength: "b", content: EffectiveContent(text: content())!, minimalUnit: "粒"),
            ]
            let cat = try Catalogue(
                varieties: [Variety(code: "V", genericName: "甲", route: "口服", flags: VarietyFlags(rising: round % 3 == 0))], specs: specs)
            func quantity() -> Int64 {
                switch Int.random(in: 0..<4, using: &g) {
                case 0: Int64.random(in: 0...1000, using: &g)
                case 1: Int64.random(in: 0...InputLimits.maxQuantity, using: &g)
                case 2: InputLimits.maxQuantity
                default: Int64.random(in: (InputLimits.maxQuantity + 1)...Int64.max, using: &g)
                }
            }
            let qa = quantity()
            let qb = quantity()
            let draft = DraftInput(lines: [DemandLine(specCode: "A", quantity: qa), DemandLine(specCode: "B", quantity: qb)])
            switch draft.validated(against: cat) {
            case .failure(let r):
                #expect(qa > InputLimits.maxQuantity || qb > InputLimits.maxQuantity)
                #expect(r.code == .quantityTooLarge)
            case .success(let clean):
                #expect(qa <= InputLimits.maxQuantity && qb <= InputLimits.maxQuantity)
                let history = ["A": quantity() % (InputLimits.maxQuantity + 1), "B": quantity() % (InputLimits.maxQuantity + 1)]
                let result = DemandChecker(catalogue: cat, policy: .default).check(
                    InstitutionDemand(institutionCode: "X", history: history, lines: clean.lines))
                let unit = try #require(result.units.first)
                // The exact reported total in the display spec, rounded half up once.
                let total = Int128(qa) * Int128(specs[0].content.baseAmount) + Int128(qb) * Int128(specs[1].content.baseAmount)
                let base = Int128(unit.displaySpec.content.baseAmount)
                #expect(unit.reportedDisplay == (2 * total + base) / (2 * base))
                if let p = unit.percentOfHistory { #expect(p.hasSuffix("%")) }
                for f in result.findings { #expect(!f.message.zh.isEmpty && !f.clause.isEmpty) }
            }
        }
    }
}
