import Foundation
import JicaiCore
import Testing

@Suite struct AwardRulesTests {
    func day(_ text: String) -> CivilDate { CivilDate(text: text)! }

    @Test("calendar days: leap years, day numbers both ways, 29 February one year on")
    func civilDates() {
        #expect(day("2000-01-01").dayNumber == 10_957)
        #expect(day("2024-02-29").dayNumber - day("2024-02-28").dayNumber == 1)
        #expect(CivilDate(2025, 2, 29) == nil && CivilDate(2024, 2, 29) != nil && CivilDate(2100, 2, 29) == nil && CivilDate(2000, 2, 29) != nil)
        let (first, last) = (CivilDate.earliest.dayNumber, CivilDate.latest.dayNumber)
        for number in stride(from: first, through: last, by: 97) { #expect(CivilDate(dayNumber: number)?.dayNumber == number) }
        #expect(CivilDate(dayNumber: last)?.dayNumber == last && CivilDate(dayNumber: last + 1) == nil && CivilDate(dayNumber: first - 1) == nil)
        #expect(day("2024-02-29").adding(years: 1) == day("2025-02-28"))
        #expect(day("2025-03-01").days(until: day("2026-03-01")) == 365 && day("2027-03-01").days(until: day("2028-03-01")) == 366)
    }

    @Test("003 §4 and the renewal alignment: a start in January–June renews on July 1, a start in July–December on January 1")
    func renewalAlignment() {
        #expect(AgreementYears.renewal(after: day("2025-06-30")) == day("2026-07-01"))
        #expect(AgreementYears.renewal(after: day("2025-07-01")) == day("2027-01-01"))
        #expect(AgreementYears.renewal(after: day("2025-12-31")) == day("2027-01-01"))
        #expect(AgreementYears.renewal(after: day("2026-01-01")) == day("2027-07-01"))
        #expect(AgreementYears.renewal(after: day("2025-04-01")) == day("2026-07-01"))
    }

    @Test("003 §4: agreement years run to the renewal, then whole years, the last cut at the cycle end; each year's share rounded half up once")
    func agreementYears() {
        let years = AgreementYears.years(start: day("2025-04-01"), cycleEnd: day("2027-12-31"))
        #expect(years.map(\.start) == [day("2025-04-01"), day("2026-07-01"), day("2027-07-01")])
        #expect(years.map(\.end) == [day("2026-07-01"), day("2027-07-01"), day("2028-01-01")])
        #expect(years.map(\.days) == [456, 365, 184] && years.map(\.daysOfTwelveMonths) == [365, 365, 366])
        // 1,000 a year: 1000 × 456 ÷ 365 = 1249.3 → 1249; 1000; the last year's twelve months (from 2027-07-01) hold
        // 29 February 2028, so 1000 × 184 ÷ 366 = 502.7 → 503.
        #expect(years.map { $0.share(ofYearly: 1000) } == [1249, 1000, 503])
        // A start on July 1 runs eighteen months to January 1 of the year after next.
        let july = AgreementYears.years(start: day("2025-07-01"), cycleEnd: day("2027-12-31"))
        #expect(july.map(\.start) == [day("2025-07-01"), day("2027-01-01")] && july.last?.end == day("2028-01-01"))
        // Twelve months holding 29 February count 366 days.
        let leap = AgreementYears.years(start: day("2027-03-01"), cycleEnd: day("2028-12-31"))
        #expect(leap.first?.daysOfTwelveMonths == 366)
        #expect(AgreementYears.years(start: day("2028-01-01"), cycleEnd: day("2027-12-31")).isEmpty)
        // A cycle ending before the renewal: one short year.
        let short = AgreementYears.years(start: day("2025-04-01"), cycleEnd: day("2025-12-31"))
        #expect(short.count == 1 && short[0].days == 275 && short[0].share(ofYearly: 365) == 275)
    }

    @Test("rounding half up at .5 exactly, down below it (amounts and quantities are rounded once)")
    func halfUp() {
        #expect([1, 3, 5].map { Int128($0).dividedRoundingHalfUp(by: 2) } == [1, 2, 3])
        #expect([49, 50, 149, 150].map { Int128($0).dividedRoundingHalfUp(by: 100) } == [0, 1, 1, 2])
        #expect(Int128(0).dividedRoundingHalfUp(by: 7) == 0 && Int128(14).dividedRoundingHalfUp(by: 7) == 2)
    }

    @Test("003 §3: the agreed-volume ratio by number of winners, the lower table for restricted antimicrobials, a flat ratio")
    func ratios() {
        let policy = AwardPolicy()
        #expect(
            (1...6).map { policy.ratio(winners: $0, restricted: false) } == [
                .percent(50), .percent(60), .percent(70), .percent(80), .percent(80), .percent(80),
            ])
        #expect((1...4).map { policy.ratio(winners: $0, restricted: true) } == [.percent(30), .percent(40), .percent(50), .percent(50)])
        #expect(policy.ratio(winners: 0, restricted: false) == nil)
        var flat = policy
        flat.flatRatio = .percent(80)
        #expect(flat.ratio(winners: 1, restricted: true) == .percent(80))
        #expect(policy.problems().isEmpty)
        flat.ratiosByWinners = [.percent(120)]
        #expect(!flat.problems().isEmpty)
    }

    @Test("003 §7: at most 5 distributors per drug and coordination area (10 for consumables): the limit reached, then exceeded")
    func distributorLimits() {
        let policy = AwardPolicy()
        #expect(policy.mayAddDistributor(current: 4))
        #expect(!policy.mayAddDistributor(current: 5))
        let consumables = AwardPolicy(kind: .consumables)
        #expect(consumables.mayAddDistributor(current: 9) && !consumables.mayAddDistributor(current: 10))
    }

    @Test("a batch stored before the award numbers existed gets them by default")
    func storedPolicies() throws {
        var policy = BatchPolicy()
        policy.award.flatRatio = .percent(80)
        let data = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(BatchPolicy.self, from: data).award.flatRatio == .percent(80))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object["award"] = nil
        let old = try JSONDecoder().decode(BatchPolicy.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.award == AwardPolicy())
    }
}
