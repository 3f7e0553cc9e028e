import Foundation
import Testing

@testable import JicaiCore

/// One holder × unit's position as of a day, asked without a database (004 §1, §6–§8; docs/rules.md "The measures").
@Suite struct PositionTests {
    let classifier = PurchaseClassifier(
        catalogue: MonitorRulesTests.catalogue, results: MonitorRulesTests.results, listings: MonitorRulesTests.listings)
    func product(_ code: String) -> ClassifiedProduct { classifier.classify(code)! }
    let mg250 = Fixtures.content("250mg").baseAmount

    @Test("004 §6: accepted winning purchases in the year count toward completion; a winning purchase of an earlier year is an entry only")
    func accepted() {
        var position = PositionAccumulator()
        #expect(!position.positioned)
        var earlier = Tally()
        earlier.add(product("W"), quantity: 10, amountFen: 500, inProblem: false)
        position.accept(earlier, inYear: false)
        #expect(position.positioned && position.entered && position.tally.winningContent == 0)
        var nonWinning = Tally()
        nonWinning.add(product("N"), quantity: 5, amountFen: 1500, inProblem: false)
        var quiet = PositionAccumulator()
        quiet.accept(nonWinning, inYear: false)
        #expect(!quiet.positioned, "a non-winning purchase of an earlier year gives no position")
        position.accept(nonWinning, inYear: true)
        #expect(position.tally.nonWinningContent == 10 * mg250 && !quiet.entered)
    }

    @Test(
        "004 §7, §8: pending supply counts winners' orders, and backups' only inside a verified supply problem; overdue orders whatever the product")
    func pending() {
        var position = PositionAccumulator()
        position.order(product("W"), quantity: 24, overdueOrders: 1, overdueQuantity: 24, inProblem: false)
        position.order(product("B"), quantity: 48, overdueOrders: 0, overdueQuantity: 0, inProblem: false)
        position.order(product("N"), quantity: 12, overdueOrders: 1, overdueQuantity: 12, inProblem: false)
        #expect(position.pendingContent == 24 * mg250, "the backup outside a problem and the non-winner are not supply on its way")
        #expect(position.overdueOrders == 2 && position.overdueContent == 24 * mg250 + 12 * 2 * mg250)
        let added = position.order(product("B"), quantity: 48, overdueOrders: 0, overdueQuantity: 0, inProblem: true)
        #expect(added.pending == 48 * mg250 && position.pendingContent == 72 * mg250)
        #expect(PositionRules.countsAsPending(.winner, inProblem: false) && !PositionRules.countsAsPending(.cheaperEquivalent, inProblem: true))
    }

    @Test(
        "004 §6 (design, docs/rules.md \"The measures\", groups): content valued at the agreed amount per agreed content, rounded half up once; nothing agreed values at 0"
    )
    func valuation() {
        var position = PositionAccumulator()
        #expect(position.valued(1000) == 0)
        // 300 capsules agreed for 150.00 yuan: 0.5 yuan (50 fen) a capsule of 250 mg.
        position.agree(product("W"), quantity: 300, amountFen: 15_000)
        #expect(position.positioned && position.agreedContent == 300 * mg250)
        #expect(position.valued(100 * mg250) == 5_000)
        // One third of a fen rounds down, a half rounds up.
        #expect(
            PositionRules.valued(1, agreedContent: 3, agreedAmountFen: 1) == 0 && PositionRules.valued(1, agreedContent: 2, agreedAmountFen: 1) == 1)
    }

    @Test("001 §2(一): a county medical community member's lines are held by its lead; an unknown lead leaves them with the member")
    func holder() {
        let ids = ["LEAD": 1, "MEMBER": 2]
        #expect(PositionRules.holder(of: 2, lead: "LEAD") { ids[$0] } == 1)
        #expect(PositionRules.holder(of: 2, lead: nil) { ids[$0] } == 2)
        #expect(PositionRules.holder(of: 2, lead: "GONE") { ids[$0] } == 2)
    }
}

@Suite struct AsOfTests {
    let start = CivilDate(2026, 3, 1)!
    let end = CivilDate(2028, 2, 29)!

    @Test("004 §6: a run's day lies inside the cycle; by default the last day of the latest month imported, never after today")
    func asOf() {
        #expect(MonitorAsOf.refusal(CivilDate(2026, 2, 28)!, executionStart: start, cycleEnd: end)?.code == .asOfOutsideCycle)
        #expect(MonitorAsOf.refusal(CivilDate(2028, 3, 1)!, executionStart: start, cycleEnd: end)?.code == .asOfOutsideCycle)
        #expect(
            MonitorAsOf.refusal(start, executionStart: start, cycleEnd: end) == nil
                && MonitorAsOf.refusal(end, executionStart: start, cycleEnd: end) == nil)
        let today = CivilDate(2026, 12, 7)!
        func byDefault(_ month: MonthKey?, _ today: CivilDate) -> CivilDate {
            MonitorAsOf.byDefault(latestMonth: month, today: today, executionStart: start, cycleEnd: end)
        }
        #expect(byDefault(MonthKey(year: 2026, month: 11), today) == CivilDate(2026, 11, 30)!)
        #expect(byDefault(MonthKey(year: 2026, month: 12), today) == today, "a month still running: as of today")
        #expect(byDefault(nil, today) == today)
        #expect(byDefault(nil, CivilDate(2025, 12, 1)!) == start && byDefault(nil, CivilDate(2030, 1, 1)!) == end, "taken into the cycle")
    }
}
