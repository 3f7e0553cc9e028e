import Foundation
import JicaiCore
import Testing

/// The assessment and savings-retention rules (管), pure: items with their exemptions, the score and grade, retention
/// (004 §3, §7; 003 §8(三); 000 §5(二); 001 §2(七); docs/rules.md "Assessment").
@Suite("Assessment rules: items, exemptions, scores, grades, retention")
struct AssessmentTests {
    static func day(_ text: String) throws -> CivilDate { try #require(CivilDate(text: text)) }
    /// A calendar agreement year (365 days).
    static func year() throws -> AgreementYear {
        AgreementYear(start: try day("2026-01-01"), end: try day("2027-01-01"), daysOfTwelveMonths: 365)
    }
    static func tally(winning: Int64, nonWinning: Int64 = 0) -> Tally {
        var t = Tally()
        t.winningContent = winning
        t.nonWinningContent = nonWinning
        return t
    }

    @Test("004 §7: completion exactly at 100% passes, one unit short fails; a share exactly at the cap passes, above fails")
    func edges() throws {
        let year = try Self.year()
        #expect(year.days == 365)
        let cap = Ratio.percent(30)
        let exact = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 1000, tally: Self.tally(winning: 1000)), cap: cap)
        #expect(exact.completionPassed == true && exact.passed)
        let short = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 1000, tally: Self.tally(winning: 999)), cap: cap)
        #expect(short.completionPassed == false && !short.passed)
        // 30% exactly: 300 non-winning of 1,000.
        let atCap = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 700, tally: Self.tally(winning: 700, nonWinning: 300)),
            cap: cap)
        #expect(atCap.sharePassed && atCap.passed)
        let above = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 700, tally: Self.tally(winning: 700, nonWinning: 301)),
            cap: cap)
        #expect(!above.sharePassed && !above.passed)
        #expect(above.reasons.contains { $0.zh.contains("004 §7") })
        let batchCap = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 700, tally: Self.tally(winning: 700, nonWinning: 301)),
            cap: .percent(40))
        #expect(batchCap.sharePassed, "001 §2(七): the cap is the batch's, not a blanket 30%")
        // Amounts read as people read them: 18,750,000,000 base units of a mass are 18.75g.
        let grams = AssessmentRules.evaluate(
            AssessmentItem(
                institutionCode: "H", unitKey: "V01", year: year, agreedContent: 18_750_000_000, tally: Self.tally(winning: 0), dimension: .mass),
            cap: cap)
        #expect(grams.reasons.contains { $0.zh.contains("应完成18.75g（约定18.75g×365/365天）") }, "\(grams.reasons)")
    }

    @Test("004 §7: an exemption over part of the year requires the agreed content for the uncovered days only; overlaps count once")
    func partialExemption() throws {
        let year = try Self.year()
        // Key-monitored from 1 July: 181 uncovered days (January–June) of 365; a public health event in June overlaps.
        let listed = Exemption(
            kind: .keyMonitored, unitKey: "V01", regionPrefix: "", from: try Self.day("2026-07-01"), through: try Self.day("2027-06-30"),
            evidence: "目录")
        let event = Exemption(
            kind: .publicHealthEvent, unitKey: "V01", regionPrefix: "1401", from: try Self.day("2026-06-01"), through: try Self.day("2026-07-15"),
            evidence: "疫情")
        #expect(AssessmentRules.uncoveredDays(year, [listed]) == 181)
        #expect(AssessmentRules.uncoveredDays(year, [listed, event]) == 151, "June counted once more, July not twice")
        // 365,000 agreed × 151 / 365 = 151,000 required.
        let item = { (winning: Int64) in
            AssessmentItem(
                institutionCode: "H", unitKey: "V01", year: year, agreedContent: 365_000, tally: Self.tally(winning: winning),
                exemptions: [listed, event])
        }
        #expect(AssessmentRules.evaluate(item(151_000), cap: .percent(30)).completionPassed == true)
        #expect(AssessmentRules.evaluate(item(150_999), cap: .percent(30)).completionPassed == false)
        let whole = Exemption(
            kind: .guidelineChange, unitKey: "V01", regionPrefix: "", from: try Self.day("2025-12-01"), through: try Self.day("2027-01-31"),
            evidence: "指南")
        let exempt = AssessmentRules.evaluate(
            AssessmentItem(
                institutionCode: "H", unitKey: "V01", year: year, agreedContent: 365_000, tally: Self.tally(winning: 0), exemptions: [whole]),
            cap: .percent(30))
        #expect(exempt.completionPassed == nil && exempt.passed, "covered all year: completion not assessed")
    }

    @Test("004 §7: an exemption covers its unit in its area only (a verified problem for one city, an exemption for a county)")
    func area() throws {
        let e = Exemption(
            kind: .publicHealthEvent, unitKey: "V01", regionPrefix: "1401", from: try Self.day("2026-01-01"), through: try Self.day("2026-12-31"),
            evidence: "")
        #expect(e.covers(unitKey: "V01", regionCode: "140105"))
        #expect(!e.covers(unitKey: "V01", regionCode: "140202"), "another city")
        #expect(!e.covers(unitKey: "V02", regionCode: "140105"), "another unit")
        // Inside a verified supply problem the tally already counts backups as winning and leaves non-winning out
        // (docs/rules.md "The measures"); the assessment reads that tally.
        let year = try Self.year()
        var inProblem = Tally()
        func product(_ kind: PurchaseClass) -> ClassifiedProduct {
            ClassifiedProduct(productCode: "P", unit: CheckUnit(varietyCode: "V01"), purchaseClass: kind, contentPerMinimalUnit: 1)
        }
        inProblem.add(product(.backup), quantity: 1000, amountFen: 100, inProblem: true)
        inProblem.add(product(.nonWinningPassed), quantity: 500, amountFen: 100, inProblem: true)
        let r = AssessmentRules.evaluate(
            AssessmentItem(institutionCode: "H", unitKey: "V01", year: year, agreedContent: 1000, tally: inProblem), cap: .percent(30))
        #expect(r.completionPassed == true && r.sharePassed, "backups count as winning, non-winning left out (004 §7)")
    }

    @Test("000 §5(三): an item whose demand was not carried (no winner supplies the region) is not assessed at all, not even its share")
    func notCarried() throws {
        let year = try Self.year()
        let item = AssessmentItem(
            institutionCode: "H", unitKey: "V01", year: year, agreedContent: 0, tally: Self.tally(winning: 0, nonWinning: 500), notCarried: true)
        let r = AssessmentRules.evaluate(item, cap: .percent(30))
        #expect(r.completionPassed == nil && r.share == nil && r.sharePassed && r.passed)
        #expect(r.reasons.count == 1 && r.reasons[0].zh.contains("000 §5(三)"))
        // The same purchases without the mark: all non-winning, the share fails.
        var carried = item
        carried.notCarried = false
        #expect(!AssessmentRules.evaluate(carried, cap: .percent(30)).sharePassed)
        // The score does not count it either way.
        let assessed = try #require(
            AssessmentRules.assess(
                InstitutionInputs(items: [item], diseaseGroup: false, firstYear: true), cap: .percent(30), policy: AssessmentPolicy()))
        #expect(assessed.parts.completionAssessed == 0 && assessed.parts.shareCounted == 0 && assessed.retainedFen == 0)
    }

    @Test("004 §7 (supply weighs in; the cap is design): a shortage, emergency or seasonal item is assessed against what the winners could supply")
    func supplyAssurance() throws {
        let year = try Self.year()
        // Ordered 500 packs, 300 shipped of which 20 rejected, 100 closed by the institution unsupplied: 220 never supplied.
        let line = OrderLineFigures(ordered: 500, shipped: 300, accepted: 280, rejected: 20, closed: 100)
        #expect(line.unsupplied == 220 && line.outstanding == 120)
        #expect(OrderLineFigures(ordered: 10, shipped: 10, accepted: 10).unsupplied == 0)
        #expect(AssessmentRules.available(agreedContent: 1000, unsuppliedContent: 220) == 780)
        #expect(AssessmentRules.available(agreedContent: 1000, unsuppliedContent: 5000) == 0, "never below zero")
        #expect(AssessmentRules.available(agreedContent: 1000, unsuppliedContent: 0) == 1000, "nothing unsupplied: held to the agreed")
        let shortage = Exemption(
            kind: .shortage, unitKey: "V01", regionPrefix: "14", from: try Self.day("2026-01-01"), through: try Self.day("2026-12-31"),
            evidence: "短缺清单")
        #expect(shortage.kind.isSupplyAssurance && !ExemptionKind.keyMonitored.isSupplyAssurance)
        // Its days, both ends included, in its area only.
        #expect(shortage.covers(unitKey: "V01", regionCode: "140105", on: try Self.day("2026-12-31")))
        #expect(!shortage.covers(unitKey: "V01", regionCode: "140105", on: try Self.day("2027-01-01")))
        #expect(!shortage.covers(unitKey: "V01", regionCode: "150105", on: try Self.day("2026-06-01")))
        // A designation waives no day.
        #expect(AssessmentRules.uncoveredDays(year, [shortage]) == 365)
        let capped = AssessmentItem(
            institutionCode: "H", unitKey: "V01", year: year, agreedContent: 1000, tally: Self.tally(winning: 780), exemptions: [shortage],
            availableContent: 780)
        let passed = AssessmentRules.evaluate(capped, cap: .percent(30))
        #expect(passed.completionPassed == true && passed.required == Fraction(780, 1))
        #expect(passed.reasons.contains { $0.zh.contains("中选企业未能供应已订购的220") && $0.zh.contains("004 §7") })
        var oneShort = capped
        oneShort.tally = Self.tally(winning: 779)
        #expect(AssessmentRules.evaluate(oneShort, cap: .percent(30)).completionPassed == false, "one unit below what could be supplied fails")
        // Supplied in full: held to the agreed content, and says so.
        var full = capped
        full.availableContent = 1000
        let held = AssessmentRules.evaluate(full, cap: .percent(30))
        #expect(held.completionPassed == false && held.reasons.contains { $0.zh.contains("足量供应") })
        // Retention's base is not reduced by the cap: the savings base stays min(winning, agreed).
        let retention = try #require(
            RetentionRules.retention(
                RetentionItem(
                    agreedContent: 1000, winningContent: 780, winningAmountFen: 780, preAwardPriceNumerator: 2, preAwardPriceDenominator: 1,
                    failed: false, reported: true, diseaseGroupFirstYear: false), grade: .a, policy: AssessmentPolicy()))
        #expect(retention.baseContent == 780)
    }

    @Test("004 §3 (the province's own price: design): yuan per minimal unit of a spec becomes an exact price per effective content")
    func provincialPrice() throws {
        let capsule = try #require(Fixtures.catalogue.specByCode["S011"])
        let tablet = try #require(Fixtures.catalogue.specByCode["S012"])
        // 0.0325 元 a 0.25 g capsule and 0.065 元 a 0.5 g tablet are the same price per gram.
        let a = try PreAwardPrice.provincial(yuanPerMinimalUnit: "0.0325", spec: capsule, basis: "测算").get()
        let b = try PreAwardPrice.provincial(yuanPerMinimalUnit: " 0.065 ", spec: tablet, basis: "测算").get()
        #expect(Int128(a.amountFen) * Int128(b.content) == Int128(b.amountFen) * Int128(a.content) && a.basis == "测算")
        // 3.25 fen per 0.25 g: × 4 capsules = 13 fen a gram.
        #expect(Int128(a.amountFen) * Int128(capsule.content.baseAmount) * 4 == Int128(a.content) * 13)
        for bad in ["0", "0.00001", "-1", "1e3", "", "１"] {
            #expect(throws: Refusal.self) { try PreAwardPrice.provincial(yuanPerMinimalUnit: bad, spec: capsule, basis: "测算").get() }
        }
    }

    @Test(
        "004 §7, 003 §8(三) (weights: design): the score is 40/30/15/15 by default, rounded half up to two decimals; an empty part counts as 100%; grades at their edges"
    )
    func scores() {
        let policy = AssessmentPolicy()
        #expect(ScoreRules.score(ScoreParts(), policy: policy) == Score(hundredths: 10_000, grade: .a))
        // 2 of 3 completed (26.666…), 3 of 3 within the cap (30), 1,000 of 3,000 fen on time (5), 1 of 1 signed (15) = 76.67.
        let s = ScoreRules.score(
            ScoreParts(
                completionAssessed: 3, completionPassed: 2, shareCounted: 3, sharePassed: 3, dueFen: 3000, paidOnTimeFen: 1000, agreements: 1,
                signedOnTime: 1),
            policy: policy)
        #expect(s.hundredths == 7667 && s.text == "76.67" && s.grade == .b)
        #expect(ScoreRules.grade(hundredths: 8001, policy: policy) == .a)
        #expect(ScoreRules.grade(hundredths: 8000, policy: policy) == .b, "exactly 80 is B (A is above 80)")
        #expect(ScoreRules.grade(hundredths: 7000, policy: policy) == .b)
        #expect(ScoreRules.grade(hundredths: 6999, policy: policy) == .c)
        #expect(ScoreRules.grade(hundredths: 6000, policy: policy) == .c)
        #expect(ScoreRules.grade(hundredths: 5999, policy: policy) == .d)
        // 79.995 rounds to 80.00: B by the rounded score.
        var weights = AssessmentPolicy(completionWeight: 100, nonWinningWeight: 0, paymentWeight: 0, signingWeight: 0)
        weights.gradeA = 80
        let edge = ScoreRules.score(ScoreParts(completionAssessed: 200_000, completionPassed: 159_999), policy: weights)
        #expect(edge.hundredths == 8000 && edge.grade == .b)
        #expect(AssessmentPolicy().problems().isEmpty && !AssessmentPolicy(completionWeight: 50).problems().isEmpty)
    }

    @Test(
        "004 §3: retention = base × (pre-award − paid price) × fund ratio × insured share × the grade's share, in fen; none when failed, unreported or a DRG first year"
    )
    func retention() throws {
        let policy = AssessmentPolicy(fundPaymentRatio: .percent(70), insuredShare: .percent(90))
        // Agreed 1,000 content, bought 1,200 (200 above the agreed volume do not count); pre-award 0.50 fen per unit,
        // paid 120 fen for 1,200 = 0.10 per unit: saving 0.40 × 1,000 × 0.7 × 0.9 = 252 fen; grade A 50% = 126.
        let item = RetentionItem(
            agreedContent: 1000, winningContent: 1200, winningAmountFen: 120, preAwardPriceNumerator: 1, preAwardPriceDenominator: 2, failed: false,
            reported: true, diseaseGroupFirstYear: false)
        let a = try #require(RetentionRules.retention(item, grade: .a, policy: policy))
        #expect(a.baseContent == 1000 && a.savingsFen == 252 && a.retainedFen == 126 && a.none == nil)
        #expect(RetentionRules.retention(item, grade: .b, policy: policy)?.retainedFen == 101, "252 × 40% = 100.8 → 101")
        #expect(RetentionRules.retention(item, grade: .d, policy: policy)?.retainedFen == 0)
        var failed = item
        failed.failed = true
        #expect(RetentionRules.retention(failed, grade: .a, policy: policy)?.none?.zh.contains("004 §7") == true)
        var unreported = item
        unreported.reported = false
        #expect(RetentionRules.retention(unreported, grade: .a, policy: policy)?.retainedFen == 0)
        var drg = item
        drg.diseaseGroupFirstYear = true
        #expect(RetentionRules.retention(drg, grade: .a, policy: policy)?.none?.zh.contains("003 §8(三)") == true)
        var dearer = item
        dearer.winningAmountFen = 1200
        #expect(RetentionRules.retention(dearer, grade: .a, policy: policy)?.retainedFen == 0, "never below zero")
        var huge = item
        huge.winningAmountFen = 1
        huge.preAwardPriceDenominator = 1
        huge.winningContent = Int64.max
        huge.agreedContent = Int64.max
        huge.preAwardPriceNumerator = Int64.max
        #expect(RetentionRules.retention(huge, grade: .a, policy: policy) == nil, "beyond Int64 fen: refused, not trapped nor clamped")
        // A province's history in base units (10^18 µg for 10^12 fen) against an item of 10^15: each step is reduced,
        // so the figures stay exact: (1/10^6 − 1/(2×10^6)) fen × 10^15 × 70% × 90% = 315,000,000 fen; A keeps half.
        let province = RetentionItem(
            agreedContent: 1_000_000_000_000_000, winningContent: 1_000_000_000_000_000, winningAmountFen: 500_000_000,
            preAwardPriceNumerator: 1_000_000_000_000, preAwardPriceDenominator: 1_000_000_000_000_000_000, failed: false, reported: true,
            diseaseGroupFirstYear: false)
        let exact = try #require(RetentionRules.retention(province, grade: .a, policy: policy))
        #expect(exact.savingsFen == 315_000_000 && exact.retainedFen == 157_500_000)
        // The province's total is the sum of the institutions' to the fen.
        let amounts: [Int64] = [126, 101, 0, 7]
        #expect(RetentionRules.total(amounts) == 234 && RetentionRules.total([Int64.max, 1]) == nil)
    }

    @Test("A stored batch policy without assessment fields decodes with the defaults")
    func policyDefaults() throws {
        let decoded = try JSONDecoder().decode(AssessmentPolicy.self, from: Data(#"{"gradeA":85}"#.utf8))
        #expect(decoded.gradeA == 85 && decoded.completionWeight == 40 && decoded.retentionB == .percent(40))
        let batch = try JSONDecoder().decode(BatchPolicy.self, from: try JSONEncoder().encode(BatchPolicy()))
        #expect(batch.assessment == AssessmentPolicy())
    }

    @Test(
        "003 §8(三), 000 §5(二), 004 §3: an institution's year: DRG/DIP first year retains nothing, no report nothing, an upheld appeal waives a failure"
    )
    func institution() throws {
        let year = try Self.year()
        var winning = Self.tally(winning: 1000)
        winning.winningAmountFen = 10_000
        let passed = AssessmentItem(institutionCode: "H", unitKey: "V02", year: year, agreedContent: 1000, tally: winning)
        let failed = AssessmentItem(
            institutionCode: "H", unitKey: "V01", year: year, agreedContent: 100, tally: Self.tally(winning: 10, nonWinning: 90))
        let notReported = AssessmentItem(institutionCode: "H", unitKey: "V03", year: year, agreedContent: 0, tally: winning)
        let price = PreAwardPrice(amountFen: 30_000, content: 1000)
        let prices = ["V02": price, "V03": price]
        let policy = AssessmentPolicy()
        let base = InstitutionInputs(items: [passed, failed, notReported], prices: prices)
        let plain = try #require(AssessmentRules.assess(base, cap: .percent(30), policy: policy))
        // Completion: V02 and V01 assessed (V03 has nothing agreed), one passes; share: all three counted, two pass.
        #expect(plain.parts.completionAssessed == 2 && plain.parts.completionPassed == 1)
        #expect(plain.parts.shareCounted == 3 && plain.parts.sharePassed == 2)
        // 40 × 1/2 + 30 × 2/3 + 15 + 15 = 70.00: B (70 included), 40%.
        #expect(plain.score.text == "70.00" && plain.score.grade == .b)
        // V02: 1,000 × (30 − 10) fen × 70% × 100% = 14,000 fen savings; × 40% = 5,600.
        #expect(plain.items.map(\.retention.retainedFen) == [5600, 0, 0] && plain.retainedFen == 5600)
        #expect(plain.items[2].retention.none?.zh.contains("未报量") == true, "no report, no retention (000 §5(二))")
        var drg = base
        (drg.diseaseGroup, drg.firstYear) = (true, true)
        let first = try #require(AssessmentRules.assess(drg, cap: .percent(30), policy: policy))
        #expect(first.retainedFen == 0 && first.items[0].retention.none?.zh.contains("首年") == true)
        drg.firstYear = false
        #expect(try #require(AssessmentRules.assess(drg, cap: .percent(30), policy: policy)).retainedFen == 5600, "from the second year on")
        var appealed = base
        appealed.waived = ["V01": "断供属实"]
        let waived = try #require(AssessmentRules.assess(appealed, cap: .percent(30), policy: policy))
        #expect(waived.items[1].result.passed && waived.items[1].result.reasons.contains { $0.zh.contains("申诉成立") })
        // 40 + 30 + 15 + 15 = 100: A, 50% of V02's 14,000; V01 has no price: none, with the reason.
        #expect(waived.score.grade == .a && waived.retainedFen == 7000)
        #expect(waived.items[1].retention.none?.zh.contains("无采购前价格") == true)
        #expect(PreAwardPrice.weighted([(100, 10), (50, 0), (200, 30)]) == PreAwardPrice(amountFen: 300, content: 40))
        #expect(PreAwardPrice.weighted([(.max, 1), (1, 1)]) == nil, "beyond Int64: no price, never a trap")
    }

    @Test("001 §2(八), 004 §9 (thresholds: design): leads at their edges: 150% of agreed, twice the cap, use between 50% and 200%")
    func leads() throws {
        let year = try Self.year()
        let policy = LeadPolicy()
        func item(agreed: Int64, winning: Int64, nonWinning: Int64 = 0) -> AssessmentItem {
            AssessmentItem(
                institutionCode: "H", unitKey: "V01", year: year, agreedContent: agreed, tally: Self.tally(winning: winning, nonWinning: nonWinning))
        }
        #expect(LeadRules.item(item(agreed: 100, winning: 150), institutionID: 1, cap: .percent(30), policy: policy).isEmpty, "exactly 150%")
        let over = LeadRules.item(item(agreed: 100, winning: 151), institutionID: 1, cap: .percent(30), policy: policy)
        #expect(over.map(\.kind) == [.overAgreed] && over.first?.evidence.zh.contains("151") == true)
        #expect(LeadRules.item(item(agreed: 0, winning: 5), institutionID: 1, cap: .percent(30), policy: policy).isEmpty, "nothing agreed")
        // 60 of 100 non-winning: exactly twice the 30% cap, no surge; 61 is.
        #expect(LeadRules.item(item(agreed: 100, winning: 40, nonWinning: 60), institutionID: 1, cap: .percent(30), policy: policy).isEmpty)
        let surge = LeadRules.item(item(agreed: 100, winning: 39, nonWinning: 61), institutionID: 1, cap: .percent(30), policy: policy)
        #expect(surge.map(\.kind) == [.nonWinningSurge])
        #expect(
            LeadRules.item(item(agreed: 100, winning: 0, nonWinning: 100), institutionID: 1, cap: .percent(60), policy: policy).allSatisfy {
                $0.kind != .nonWinningSurge
            }, "twice a 60% cap is above 100%: never")
        #expect(!LeadRules.farFromUse(agreed: 100, used: 50, policy: policy) && LeadRules.farFromUse(agreed: 100, used: 49, policy: policy))
        #expect(!LeadRules.farFromUse(agreed: 100, used: 200, policy: policy) && LeadRules.farFromUse(agreed: 100, used: 201, policy: policy))
        #expect(!LeadRules.farFromUse(agreed: 0, used: 5, policy: policy))
    }

    @Test(
        "003 §4 (agreements signed every year; the deadline: design): signed on time by the publication's deadline in the first year, by the first day later, Beijing time"
    )
    func signing() throws {
        let (start, later) = (try Self.day("2026-03-01"), try Self.day("2027-07-01"))
        let published = try Self.day("2026-02-15")
        #expect(ScoreRules.signingDeadline(firstYear: true, published: published, yearStart: start) == published)
        #expect(ScoreRules.signingDeadline(firstYear: true, published: nil, yearStart: start) == start)
        #expect(ScoreRules.signingDeadline(firstYear: false, published: published, yearStart: later) == later)
        // 2026-02-15 23:30 in Beijing is 15:30 UTC: on time; 2026-02-16 00:30 in Beijing is late; never signed is late.
        let onTime = ReportingWindow.shanghai(2026, 2, 15, 23, 30)
        let late = ReportingWindow.shanghai(2026, 2, 16, 0, 30)
        #expect(ScoreRules.signedOnTime([onTime, late, nil], deadline: published) == 1)
    }

    @Test("Rankings (design): equal scores share a rank and the next counts every one above it (1, 2, 2, 4)")
    func ranking() {
        #expect(Ranking.competition([9000, 8000, 8000, 7000]) == [1, 2, 2, 4])
        #expect(Ranking.competition([5, 5, 5]) == [1, 1, 1])
        #expect(Ranking.competition([Int64]()) == [])
    }
}
