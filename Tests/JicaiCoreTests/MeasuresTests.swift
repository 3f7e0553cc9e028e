import Foundation
import Testing

@testable import JicaiCore

/// The monitoring measures (docs/rules.md "The measures"; 004 §1 for hospital entry; §9 for the schedule) — the first rules of #13.
@Suite struct MeasuresTests {
    let year = AgreementYears.years(start: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)[0]  // 487 days to 2027-07-01

    @Test("004 §6, the schedule: the schedule counts the day itself; 0 before the year, 1 from its last day on")
    func schedule() {
        #expect(Measures.schedule(year, on: CivilDate(2026, 3, 1)!) == Fraction(1, 487))
        #expect(Measures.schedule(year, on: CivilDate(2026, 2, 28)!) == Fraction(0, 487))
        #expect(Measures.schedule(year, on: CivilDate(2027, 6, 30)!) == Fraction(1, 1))
        #expect(Measures.schedule(year, on: CivilDate(2028, 1, 1)!) == Fraction(1, 1))
        // A month boundary in a leap year: 2028-02-29 is a day of its own.
        let leap = AgreementYear(start: CivilDate(2028, 1, 1)!, end: CivilDate(2029, 1, 1)!, daysOfTwelveMonths: 366)
        #expect(Measures.schedule(leap, on: CivilDate(2028, 2, 29)!) == Fraction(60, 366))
        #expect(Measures.schedule(leap, on: CivilDate(2028, 3, 1)!) == Fraction(61, 366))
    }

    @Test("004 §6, completion against the schedule: behind the schedule is an alert; severe below 80% of it; exactly on schedule is not behind")
    func lag() {
        let policy = MonitorPolicy()
        let half = Fraction(1, 2)
        #expect(Measures.lag(completion: Fraction(50, 100), schedule: half, policy: policy) == nil)
        #expect(Measures.lag(completion: Fraction(49, 100), schedule: half, policy: policy) == .normal)
        #expect(Measures.lag(completion: Fraction(40, 100), schedule: half, policy: policy) == .normal, "exactly 80% of the schedule is not severe")
        #expect(Measures.lag(completion: Fraction(39, 100), schedule: half, policy: policy) == .severe)
        let tolerant = MonitorPolicy(scheduleTolerance: .percent(5))
        #expect(Measures.lag(completion: Fraction(46, 100), schedule: half, policy: tolerant) == nil)
        #expect(Measures.lag(completion: Fraction(44, 100), schedule: half, policy: tolerant) == .normal)
        #expect(Measures.completion(winningContent: 10, agreedContent: 0) == nil, "zero agreed volume: nothing to be behind on")
        #expect(Measures.completion(winningContent: 150, agreedContent: 100) == Fraction(3, 2), "completion is not capped")
    }

    @Test("001 §2(七), the non-winning share: the non-winning share above the batch's cap (30%) is flagged; exactly at the cap is not")
    func nonWinning() {
        let policy = MonitorPolicy()
        #expect(Measures.nonWinningShare(winning: 0, nonWinning: 0) == nil)
        let atCap = Measures.nonWinningShare(winning: 70, nonWinning: 30)!
        #expect(atCap == Fraction(3, 10) && !Measures.nonWinningHigh(atCap, policy: policy))
        #expect(Measures.nonWinningHigh(Measures.nonWinningShare(winning: 69, nonWinning: 31)!, policy: policy))
        #expect(Fraction(31, 100).percentText == "31.0%" && Fraction(1, 3).percentText == "33.3%")
    }

    @Test("004 §1: hospital entry is checked from the first day of the third month of execution")
    func entry() {
        #expect(Measures.entryCheckFrom(executionStart: CivilDate(2026, 4, 15)!) == CivilDate(2026, 6, 1)!)
        #expect(Measures.entryCheckFrom(executionStart: CivilDate(2026, 11, 1)!) == CivilDate(2027, 1, 1)!)
        #expect(Measures.entryCheckFrom(executionStart: CivilDate(2026, 12, 31)!) == CivilDate(2027, 2, 1)!)
    }

    @Test("A day is written YYYY-MM-DD with leading zeros and reads back")
    func dayText() {
        for day in [CivilDate(2026, 3, 1)!, CivilDate(2028, 12, 31)!, CivilDate(2000, 1, 9)!, CivilDate(2024, 2, 29)!, CivilDate.latest] {
            #expect(CivilDate(text: day.description) == day)
        }
        #expect(CivilDate(2026, 3, 1)!.description == "2026-03-01")
        #expect(CivilDate(2000, 1, 9)!.description == "2000-01-09")
    }
}
