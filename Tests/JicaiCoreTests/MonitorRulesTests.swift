import Foundation
import Testing

@testable import JicaiCore

/// Classification of purchases, the shares, the alerts and their life, and the gap decomposition (docs/rules.md "The measures";
/// 004 §1, §6, §7; 001 §2(三)).
@Suite struct MonitorRulesTests {
    // V01 (amoxicillin, 0.25 g capsule and 0.5 g tablet merged; 0.125 g granules apart); V02 5 mg passed, 2.5 mg not.
    static let products: [Product] = [
        Product(code: "W", specCode: "S011", manufacturerName: "中选药业"),  // winner, 24 × 0.25 g for ¥12.00
        Product(code: "W2", specCode: "S012", manufacturerName: "二号药业"),  // second winner, 12 × 0.5 g for ¥15.00
        Product(code: "B", specCode: "S011", manufacturerName: "备供药业"),  // backup
        Product(code: "N", specCode: "S012", manufacturerName: "原研药业"),  // originator, dear
        Product(code: "C", specCode: "S011", manufacturerName: "平价药业"),  // passed generic, cheaper than every winner
        Product(code: "G", specCode: "S013", manufacturerName: "颗粒药业"),  // granules: its own unit
        Product(code: "P", specCode: "S021", manufacturerName: "丙药业"),  // V02 5 mg, passed spec, no listing
        Product(code: "Q", specCode: "S022", manufacturerName: "丁药业"),  // V02 2.5 mg, spec not passed
    ]
    static let catalogue = try! Catalogue(varieties: Fixtures.varieties, specs: Fixtures.specs, products: products)
    static let results = [
        ResultEntry(productCode: "W", packPriceFen: 1200), ResultEntry(productCode: "W2", packPriceFen: 1500),
        ResultEntry(productCode: "B", role: .backup, backupOrder: 1, packPriceFen: 1300),
    ]
    static let listings = [
        ListingEntry(productCode: "N", category: .originator, packPriceFen: 9000),
        // ¥0.90 for 24 × 0.25 g = 0.15 fen/mg… below W's 1200/6000 mg = 0.2 fen/mg and W2's 1500/6000 mg = 0.25.
        ListingEntry(productCode: "C", category: .passedGeneric, packPriceFen: 900),
    ]
    let classifier = PurchaseClassifier(catalogue: MonitorRulesTests.catalogue, results: results, listings: listings)
    let year = AgreementYears.years(start: CivilDate(2026, 3, 1)!, cycleEnd: CivilDate(2027, 12, 31)!)[0]  // 487 days

    @Test("004 §7: winners, backups, passed and not-passed non-winners, and the cheaper equivalent")
    func classification() throws {
        let v01 = CheckUnit(varietyCode: "V01")
        #expect(classifier.classify("W")?.purchaseClass == .winner)
        #expect(classifier.classify("W2")?.purchaseClass == .winner)
        #expect(classifier.classify("B")?.purchaseClass == .backup)
        #expect(classifier.classify("N")?.purchaseClass == .nonWinningPassed, "an originator dearer than the winners is a non-winner")
        #expect(classifier.classify("C")?.purchaseClass == .cheaperEquivalent, "passed and below the lowest winning price per content")
        #expect(classifier.classify("P")?.purchaseClass == .nonWinningPassed, "no listing: passed when its spec passed")
        #expect(classifier.classify("Q")?.purchaseClass == .nonWinningNotPassed)
        #expect(classifier.classify("G")?.unit == CheckUnit(varietyCode: "V01", separateSpecCode: "S013"), "a non-substitutable spec is its own unit")
        #expect(classifier.classify("N")?.unit == v01 && classifier.classify("W")?.unit == v01, "merged forms share the variety's unit")
        #expect(classifier.classify("nope") == nil)
        // Exactly at the lowest winning price is not cheaper: the rule says "below".
        let atPrice = PurchaseClassifier(
            catalogue: Self.catalogue, results: Self.results, listings: [ListingEntry(productCode: "C", category: .passedGeneric, packPriceFen: 1200)]
        )
        #expect(atPrice.classify("C")?.purchaseClass == .nonWinningPassed)
        // A non-passed product is never a cheaper equivalent, however cheap.
        let cheapNotPassed = PurchaseClassifier(
            catalogue: Self.catalogue, results: Self.results,
            listings: [ListingEntry(productCode: "C", category: .nonPassedGeneric, packPriceFen: 100)])
        #expect(cheapNotPassed.classify("C")?.purchaseClass == .nonWinningNotPassed)
    }

    @Test("004 §7: backups count as winning only inside a verified supply problem; cheaper equivalents stay out of the share")
    func tallies() throws {
        func product(_ code: String) -> ClassifiedProduct { classifier.classify(code)! }
        var tally = Tally()
        tally.add(product("W"), quantity: 100, amountFen: 5000, inProblem: false)  // 100 × 250 mg
        tally.add(product("B"), quantity: 40, amountFen: 2000, inProblem: false)
        tally.add(product("N"), quantity: 30, amountFen: 9000, inProblem: false)  // 30 × 500 mg
        tally.add(product("C"), quantity: 1000, amountFen: 3000, inProblem: false)
        let mg250 = Fixtures.content("250mg").baseAmount
        #expect(tally.winningContent == 100 * mg250)
        #expect(tally.nonWinningContent == 30 * 2 * mg250)
        #expect(tally.excludedContent == (40 + 1000) * mg250, "the backup outside a problem and the cheaper product are left out")
        #expect(tally.nonWinningShare == Fraction(60, 160), "60 of 160 capsule-equivalents")
        #expect(tally.nonWinningAmountShare == Fraction(9000, 14000))
        #expect(tally.vbpAmountShare == Fraction(5000, 19000), "001 §2(三): winners' amount over every listed product's amount")
        var inside = Tally()
        inside.add(product("W"), quantity: 100, amountFen: 5000, inProblem: true)
        inside.add(product("B"), quantity: 40, amountFen: 2000, inProblem: true)
        inside.add(product("N"), quantity: 30, amountFen: 9000, inProblem: true)
        #expect(inside.winningContent == 140 * mg250, "inside the problem the backup counts as winning")
        #expect(inside.nonWinningContent == 0, "and non-winning purchases leave the share")
        #expect(inside.nonWinningShare == Fraction(0, 1))
        let problem = SupplyProblem(
            unit: CheckUnit(varietyCode: "V01"), regionPrefix: "1401", from: MonthKey(year: 2026, month: 5)!, through: MonthKey(year: 2026, month: 6)!
        )
        #expect(problem.covers(unit: CheckUnit(varietyCode: "V01"), regionCode: "140105", month: MonthKey(year: 2026, month: 6)!))
        #expect(!problem.covers(unit: CheckUnit(varietyCode: "V01"), regionCode: "140105", month: MonthKey(year: 2026, month: 7)!))
        #expect(!problem.covers(unit: CheckUnit(varietyCode: "V01"), regionCode: "140202", month: MonthKey(year: 2026, month: 6)!))
        #expect(!problem.covers(unit: CheckUnit(varietyCode: "V02"), regionCode: "140105", month: MonthKey(year: 2026, month: 6)!))
    }

    func position(agreed: Int64, winning: Int64, nonWinning: Int64 = 0, entered: Bool = true, overdue: Int = 0) -> UnitPosition {
        var tally = Tally()
        tally.winningContent = winning
        tally.nonWinningContent = nonWinning
        return UnitPosition(
            institutionCode: "H1", unit: CheckUnit(varietyCode: "V01"), year: year, agreedContent: agreed, agreedAmountFen: agreed,
            tally: tally, entered: entered, overdueOrders: overdue, overdueContent: Int64(overdue) * 10)
    }

    @Test("004 §6: behind-schedule and non-winning alerts carry their numbers and clause")
    func alerts() {
        let day = CivilDate(2026, 10, 31)!  // day 245 of 487: schedule 245/487 ≈ 50.3%
        let start = year.start
        let onTrack = MonitorAlerts.evaluate(position(agreed: 487, winning: 245), on: day, executionStart: start, policy: MonitorPolicy())
        #expect(onTrack.isEmpty, "exactly on schedule")
        let behind = MonitorAlerts.evaluate(position(agreed: 487, winning: 244), on: day, executionStart: start, policy: MonitorPolicy())
        #expect(behind.map(\.key.code) == [.behindSchedule])
        #expect(behind.first?.severity == .normal)
        #expect(behind.first?.message.zh.contains("004 §6") == true)
        #expect(behind.first?.figures.contains(AlertFigure("schedule", "50.3%")) == true)
        // 0.8 × 245 = 196: 196 is not severe, 195 is.
        #expect(
            MonitorAlerts.evaluate(position(agreed: 487, winning: 196), on: day, executionStart: start, policy: MonitorPolicy()).first?.severity
                == .normal)
        #expect(
            MonitorAlerts.evaluate(position(agreed: 487, winning: 195), on: day, executionStart: start, policy: MonitorPolicy()).first?.severity
                == .severe)
        let share = MonitorAlerts.evaluate(
            position(agreed: 487, winning: 700, nonWinning: 301), on: day, executionStart: start, policy: MonitorPolicy())
        #expect(share.map(\.key.code) == [.nonWinningShareHigh], "301 of 1001 is above 30%")
        #expect(
            MonitorAlerts.evaluate(position(agreed: 487, winning: 700, nonWinning: 300), on: day, executionStart: start, policy: MonitorPolicy())
                .isEmpty)
        // Zero agreed volume: no schedule to be behind, no entry to make; the share still counts.
        #expect(
            MonitorAlerts.evaluate(position(agreed: 0, winning: 0, entered: false), on: day, executionStart: start, policy: MonitorPolicy()).isEmpty)
        let undelivered = MonitorAlerts.evaluate(
            position(agreed: 487, winning: 300, overdue: 2), on: day, executionStart: start, policy: MonitorPolicy())
        #expect(undelivered.map(\.key.code) == [.undelivered])
    }

    @Test("004 §1: not entered from the first day of the third month (start month counts as the first)")
    func notEntered() {
        let start = year.start  // 2026-03-01 → check from 2026-05-01
        let never = position(agreed: 487, winning: 0, entered: false)
        #expect(
            !MonitorAlerts.evaluate(never, on: CivilDate(2026, 4, 30)!, executionStart: start, policy: MonitorPolicy()).map(\.key.code).contains(
                .notEntered))
        let may = MonitorAlerts.evaluate(never, on: CivilDate(2026, 5, 1)!, executionStart: start, policy: MonitorPolicy())
        #expect(may.map(\.key.code) == [.behindSchedule, .notEntered])
        #expect(may.last?.severity == .severe)
        #expect(Measures.entryCheckFrom(executionStart: CivilDate(2026, 12, 20)!) == CivilDate(2027, 2, 1)!, "across a year end")
    }

    @Test(
        "004 §6: alerts are not duplicated on re-runs, resolve themselves when the numbers recover, open again as the same alert, and a hand resolution stands for the year"
    )
    func reconciliation() {
        let day = CivilDate(2026, 10, 31)!
        let found = MonitorAlerts.evaluate(position(agreed: 487, winning: 100), on: day, executionStart: year.start, policy: MonitorPolicy())
        let first = AlertReconciler.plan(existing: [], found: found, evaluated: { _ in true })
        #expect(first.raise.count == 1 && first.refresh.isEmpty && first.resolve.isEmpty)
        let key = found[0].key
        // Re-run with the alert stored (open or acknowledged): refreshed, not raised again.
        for status in [AlertStatus.open, .acknowledged] {
            let again = AlertReconciler.plan(
                existing: [ExistingAlert(id: 7, key: key, status: status, resolvedByHand: false)], found: found + found, evaluated: { _ in true })
            #expect(again.raise.isEmpty && again.refresh.keys.sorted() == [7] && again.resolve.isEmpty)
        }
        // Found again with the same severity and numbers: nothing to write.
        let same = AlertReconciler.plan(
            existing: [ExistingAlert(id: 7, key: key, status: .open, resolvedByHand: false, severity: found[0].severity, figures: found[0].figures)],
            found: found, evaluated: { _ in true })
        #expect(same.raise.isEmpty && same.refresh.isEmpty && same.resolve.isEmpty)
        // Recovered: resolved automatically; but only for institutions this run evaluated.
        let recovered = AlertReconciler.plan(
            existing: [ExistingAlert(id: 7, key: key, status: .open, resolvedByHand: false)], found: [], evaluated: { _ in true })
        #expect(recovered.resolve == [7])
        let elsewhere = AlertReconciler.plan(
            existing: [ExistingAlert(id: 7, key: key, status: .open, resolvedByHand: false)], found: [], evaluated: { $0 == "H2" })
        #expect(elsewhere.resolve.isEmpty, "an incremental run leaves other institutions' alerts alone")
        // Recurring after an automatic resolution: the same alert opens again (the latest record of its key, when an
        // older database holds several), never a new one. After a hand resolution: not again this year.
        let recurs = AlertReconciler.plan(
            existing: [
                ExistingAlert(id: 3, key: key, status: .resolved, resolvedByHand: false),
                ExistingAlert(id: 7, key: key, status: .resolved, resolvedByHand: false),
            ], found: found, evaluated: { _ in true })
        #expect(recurs.raise.isEmpty && recurs.reopen.keys.sorted() == [7])
        let settled = AlertReconciler.plan(
            existing: [ExistingAlert(id: 7, key: key, status: .resolved, resolvedByHand: true)], found: found, evaluated: { _ in true })
        #expect(settled.raise.isEmpty)
        var nextYear = found[0]
        nextYear.key.yearStart = CivilDate(2027, 7, 1)!
        let later = AlertReconciler.plan(
            existing: [ExistingAlert(id: 7, key: key, status: .resolved, resolvedByHand: true)], found: [nextYear], evaluated: { _ in true })
        #expect(later.raise.count == 1, "a new agreement year is a new alert")
    }

    @Test("Why behind (design): the items' pulls add up to the group's gap; supply side is what was ordered and not delivered")
    func gap() {
        let schedule = Fraction(1, 2)
        let items = [
            GapItem(key: "A", agreedContent: 1000, agreedAmountFen: 6000, winningContent: 200, pendingContent: 100),  // 20%: 30 pts short
            GapItem(key: "B", agreedContent: 500, agreedAmountFen: 3000, winningContent: 250, pendingContent: 0),  // on schedule
            GapItem(key: "C", agreedContent: 100, agreedAmountFen: 1000, winningContent: 100, pendingContent: 0),  // done: 50 pts ahead
            GapItem(key: "D", agreedContent: 0, agreedAmountFen: 0, winningContent: 10, pendingContent: 0),
        ]
        // C = 0.6 × 20% + 0.3 × 50% + 0.1 × 100% = 37% → gap 13 points = 18 − 0 − 5.
        #expect(ScheduleGap.completion(items) == 370_000)
        let pulls = ScheduleGap.contributions(items, schedule: schedule)
        #expect(pulls.map(\.key) == ["A", "B", "C"])
        #expect(pulls.map(\.points) == [180_000, 0, -50_000])
        #expect(pulls.reduce(0) { $0 + $1.points } == 500_000 - 370_000)
        #expect(pulls[0].supplyPoints == 60_000, "100 of A's 300 short are ordered and not delivered: a third is supply side")
        #expect(pulls[0].demandPoints == 120_000)
        let covered = ScheduleGap.contributions(
            [GapItem(key: "A", agreedContent: 1000, agreedAmountFen: 6000, winningContent: 200, pendingContent: 0, supplyProblem: true)],
            schedule: schedule)
        #expect(covered[0].supplyPoints == covered[0].points, "under a verified supply problem the whole lag is supply side")
        #expect(ScheduleGap.pointsText(180_000) == "18.00" && ScheduleGap.pointsText(-50_000) == "-5.00" && ScheduleGap.pointsText(1_234) == "0.12")
        #expect(ScheduleGap.completion([]) == nil)
    }

    @Test("A stored policy without monitoring fields decodes with the defaults")
    func policyDefaults() throws {
        let json = #"{"nonWinningCap":{"numerator":1,"denominator":4}}"#
        let policy = try JSONDecoder().decode(MonitorPolicy.self, from: Data(json.utf8))
        #expect(policy.nonWinningCap == Ratio(1, 4) && policy.deliveryDays == 3 && policy.severeFraction == .percent(80))
        #expect(MonitorPolicy(deliveryDays: -1).problems().count == 1)
    }
}

extension MonitorRulesTests {
    @Test("004 §2, 001 §2(三): a department or doctor is reported above the review share and at least the review amount")
    func prescriptionReview() {
        let policy = MonitorPolicy()  // 50%, ¥1,000
        var heavy = Tally()
        heavy.winningContent = 40
        heavy.nonWinningContent = 60
        heavy.nonWinningAmountFen = 100_000
        #expect(PrescriptionReview.flagged(heavy, policy: policy))
        var small = heavy
        small.nonWinningAmountFen = 99_999
        #expect(!PrescriptionReview.flagged(small, policy: policy), "below the amount: not reported")
        var even = heavy
        even.winningContent = 60
        #expect(!PrescriptionReview.flagged(even, policy: policy), "exactly 50% is not above the share")
        #expect(!PrescriptionReview.flagged(Tally(), policy: policy))
    }
}

extension MonitorRulesTests {
    @Test("Content sums are shown in grams, IU or millilitres, exactly to three decimals")
    func contentDisplay() {
        #expect(EffectiveContent.display(base: 374_000_000_000, dimension: .mass) == "374g")
        #expect(EffectiveContent.display(base: 2_500_000, dimension: .mass) == "2.5mg")
        #expect(EffectiveContent.display(base: 1_234_567_890, dimension: .mass) == "1.235g")
        #expect(EffectiveContent.display(base: 0, dimension: .mass) == "0g")
        #expect(EffectiveContent.display(base: 800_000_000, dimension: .activity) == "800000IU")
        #expect(EffectiveContent.display(base: 1_500, dimension: .volume) == "1.5ml")
    }
}

extension MonitorRulesTests {
    @Test("001 §4: the city's half-yearly report is due on 10 July (first half) and 10 January (second half)")
    func halfYears() {
        let h1 = HalfYear(year: 2026, half: 1)!
        #expect(h1.due == CivilDate(2026, 7, 10)! && h1.first == CivilDate(2026, 1, 1)! && h1.last == CivilDate(2026, 6, 30)!)
        #expect(HalfYear(year: 2026, half: 2)!.due == CivilDate(2027, 1, 10)!)
        #expect(HalfYear.dueNext(on: CivilDate(2027, 1, 10)!) == HalfYear(year: 2026, half: 2)!, "the due day itself still belongs to it")
        #expect(HalfYear.dueNext(on: CivilDate(2027, 1, 11)!) == HalfYear(year: 2027, half: 1)!)
        #expect(HalfYear.dueNext(on: CivilDate(2026, 7, 11)!) == HalfYear(year: 2026, half: 2)!)
        #expect(HalfYear(text: "2026h2") == HalfYear(year: 2026, half: 2) && HalfYear(text: "2026H3") == nil && HalfYear(text: "x") == nil)
        #expect(HalfYear.containing(CivilDate(2026, 6, 30)!) == h1 && h1.previous == HalfYear(year: 2025, half: 2)!)
    }
}
