import Foundation
import Testing

@testable import JicaiCore

/// The platform's one date range and arithmetic that cannot trap on stored or uploaded figures (#25: inputs that
/// killed the server). Each case here was a crash of the server process before.
@Suite("Dates inside one range, steps that never trap, tallies that saturate (docs/security.md)")
struct DateRangeTests {
    @Test("Days, months and half-years parse only inside 2000-01-01 … 2199-12-31")
    func parsing() {
        for text in ["3000-01-01", "0999-01-01", "+999-01-01", "1999-12-31", "2200-01-01", "0226-03-01", "2026-1-1x", "２０２６-01-01", "2026--01"] {
            #expect(CivilDate(text: text) == nil, "\(text)")
        }
        #expect(CivilDate(text: "2000-01-01") == CivilDate.earliest && CivilDate(text: "2199-12-31") == CivilDate.latest)
        #expect(CivilDate(text: "2026-3-1") == CivilDate(2026, 3, 1))
        for text in ["1900-01", "1899-12", "2200-01", "2026-00", "2026-13", "999901", "0-1"] { #expect(MonthKey(text: text) == nil, "\(text)") }
        #expect(MonthKey(text: "2199-12") != nil && MonthKey(text: "200001") == MonthKey(year: 2000, month: 1))
        for text in ["1999H2", "2200H1", "2026H3", "2026H0", "+999H1", "2026H11", "H1"] { #expect(HalfYear(text: text) == nil, "\(text)") }
        #expect(HalfYear(text: "2000h1") == HalfYear(year: 2000, half: 1))
    }

    @Test("A stored or posted day outside the range does not decode")
    func decoding() throws {
        let bad = Data(#"{"year":999,"month":1,"day":1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CivilDate.self, from: bad) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(MonthKey.self, from: Data(#"{"year":1900,"month":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(HalfYear.self, from: Data(#"{"year":2026,"half":3}"#.utf8)) }
        let day = try #require(CivilDate(2026, 3, 1))
        #expect(try JSONDecoder().decode(CivilDate.self, from: try JSONEncoder().encode(day)) == day)
    }

    @Test("Every step at the range's edges answers nil instead of trapping (001 §4 for the half-years)")
    func steps() throws {
        #expect(CivilDate.latest.adding(days: 1) == nil && CivilDate.earliest.adding(days: -1) == nil)
        #expect(CivilDate.earliest.adding(days: Int.max) == nil && CivilDate.earliest.adding(days: Int.min) == nil)
        #expect(CivilDate.latest.adding(years: 1) == nil && CivilDate.earliest.adding(years: Int.min) == nil)
        let first = try #require(MonthKey(year: 2000, month: 1))
        #expect(first.advanced(by: -2) == nil && first.advanced(by: Int.max) == nil && MonthKey(CivilDate.latest).next == nil)
        // 2000H1's previous half-year lies before the range (the city report's "previous" link crashed on it).
        let h1 = try #require(HalfYear(year: 2000, half: 1))
        #expect(h1.previous == nil && h1.first == CivilDate.earliest && h1.due == CivilDate(2000, 7, 10))
        #expect(HalfYear(year: 2199, half: 2)?.due == nil, "due on 2200-01-10, after the range")
        let eleventh = try #require(CivilDate(2000, 1, 11))
        #expect(HalfYear.dueNext(on: CivilDate.earliest) == nil && HalfYear.dueNext(on: eleventh) == h1)
        #expect(Measures.entryCheckFrom(executionStart: try #require(CivilDate(2199, 11, 1))) == nil)
        // A cycle on the range's last day has no exclusive end: no agreement year, refused at publication.
        #expect(AgreementYears.years(start: try #require(CivilDate(2199, 1, 1)), cycleEnd: CivilDate.latest).isEmpty)
        let last = AgreementYears.years(start: try #require(CivilDate(2198, 7, 1)), cycleEnd: AgreementYears.latestCycleEnd)
        #expect(last.count == 1 && last[0].lastDay == AgreementYears.latestCycleEnd && last[0].daysOfTwelveMonths == 365)
        #expect(CivilDate(beijing: Date(timeIntervalSince1970: 1e15)) == CivilDate.latest)
        #expect(CivilDate(beijing: Date(timeIntervalSince1970: -1e15)) == CivilDate.earliest)
    }

    @Test("Typed timeline times are days of the range (002 §4 timeline form)")
    func timelineText() {
        #expect(ReportingWindow.shanghai(text: "2025-12-29T24:00") == ReportingWindow.shanghai(2025, 12, 30))
        for text in ["99999999999-01-01", "0001-01-01", "2025-02-30", "2025-12-29T25:00", "2025-12-x"] {
            #expect(ReportingWindow.shanghai(text: text) == nil, "\(text)")
        }
    }

    @Test("A purchase of 10¹⁰ vials of a 1 g product saturates its tally instead of trapping, and is out of range (004 §6)")
    func tallySaturates() throws {
        let product = ClassifiedProduct(
            productCode: "P1", unit: CheckUnit(varietyCode: "V1"), purchaseClass: .winner, contentPerMinimalUnit: 1_000_000_000)
        var tally = Tally()
        tally.add(product, quantity: InputLimits.maxQuantity, amountFen: InputLimits.maxAmountFen, inProblem: false)
        #expect(tally.winningContent == Int64.max && tally.outOfRange)
        var sum = Tally()
        for _ in 0..<3 { sum.add(tally) }
        #expect(sum.winningContent == Int64.max && sum.totalAmountFen == 3 * InputLimits.maxAmountFen)
        var small = Tally()
        small.add(product, quantity: 1000, amountFen: 100, inProblem: false)
        #expect(small.winningContent == 1_000_000_000_000 && !small.outOfRange)
        #expect(Tally.times(Int64.min, -1) == Int64.max && Tally.times(-2, Int64.max) == Int64.min)
    }
}

@Suite("A publication's cycle (003 §4): after the batch's reference period, within two years of it, at most five years long")
struct PublishableCycleTests {
    @Test("003 §4: the cycle follows the demand's reference period; typos and over-long cycles are refused")
    func publishable() throws {
        let period = BatchPolicy.period002  // December 2024 – November 2025
        func check(_ start: String, _ end: String) throws -> Result<AgreementYear, Refusal> {
            AgreementYears.publishable(
                start: try #require(CivilDate(text: start)), cycleEnd: try #require(CivilDate(text: end)), referencePeriod: period)
        }
        #expect(try check("2026-03-01", "2028-02-29").map(\.start) == .success(try #require(CivilDate(2026, 3, 1))))
        #expect(try check("2025-12-01", "2026-12-31").map(\.end) == .success(try #require(CivilDate(2027, 1, 1))), "the day after the period")
        #expect(try check("2027-11-30", "2028-05-31").map(\.days) == .success(184), "two years after the period's last day")
        for (start, end) in [
            ("2025-11-30", "2026-12-31"), ("2027-12-01", "2028-12-31"), ("2126-03-01", "2127-12-31"), ("2026-03-01", "2031-03-02"),
            ("2026-03-01", "2026-02-28"),
        ] {
            guard case .failure(let refusal) = try check(start, end) else {
                Issue.record("\(start)–\(end) was accepted")
                continue
            }
            #expect(refusal.code == .badCycle)
        }
    }
}
