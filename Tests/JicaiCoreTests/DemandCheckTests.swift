import Foundation
import Testing

@testable import JicaiCore

@Suite("Demand checks — 000 §3(二), 002 §3(三)")
struct DemandCheckTests {
    func run(
        history: [String: Int64], lines: [DemandLine], explanations: [String: String] = [:],
        exclusions: [String: SpecialNeedsExclusion] = [:], letter: CommitmentLetter? = Fixtures.letter,
        policy: BatchPolicy = .default
    ) -> DemandCheckResult {
        Fixtures.checker(policy).check(
            InstitutionDemand(
                institutionCode: "I1", history: history, lines: lines, exclusions: exclusions,
                explanations: explanations, letter: letter))
    }

    func codes(_ r: DemandCheckResult, unit: String? = nil) -> [FindingCode] {
        r.findings.filter { unit == nil || $0.unitKey == unit }.map(\.code)
    }

    @Test("000 §3(二) / 002 §3(三): below 80% of history needs an explanation; exactly 80% passes")
    func belowFloor() {
        let at = run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 800)])
        #expect(codes(at).isEmpty)
        let below = run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 799)])
        let f = try! #require(below.findings.first)
        #expect(f.code == .belowFloor)
        #expect(f.severity == .blocking)
        #expect(f.numbers["history"] == "1000")
        #expect(f.numbers["reported"] == "799")
        #expect(f.numbers["percentOfHistory"] == "79.9%")
        #expect(f.message.zh.contains("80%"))
        #expect(f.message.en.contains("002 §3(三)"))
        #expect(below.blocksSubmission)
    }

    @Test("an explanation turns the floor finding into a reviewer note that no longer blocks (000 §3(二))")
    func explained() {
        let r = run(
            history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 500)],
            explanations: ["V02": "心内科调减床位"])
        #expect(codes(r) == [.belowFloor])
        #expect(r.findings[0].severity == .review)
        #expect(r.findings[0].explanation == "心内科调减床位")
        #expect(!r.blocksSubmission)
        let blank = run(
            history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 500)],
            explanations: ["V02": "  "])
        #expect(blank.blocksSubmission)
    }

    @Test("R = 0 with history on a submitted report is a floor finding (000 §3(二); 002 §3(三))")
    func zeroReport() {
        let r = run(history: ["S021": 1000], lines: [])
        #expect(codes(r) == [.belowFloor])
    }

    @Test("000 §3(二): key-monitored varieties have no floor")
    func keyMonitored() {
        let r = run(history: ["S031": 1000], lines: [DemandLine(specCode: "S031", quantity: 1)])
        #expect(codes(r).isEmpty)
    }

    @Test("000 §3(二): rising varieties strive for 100% of history")
    func rising() {
        let r = run(history: ["S041": 1000], lines: [DemandLine(specCode: "S041", quantity: 999)])
        #expect(codes(r) == [.risingBelowTarget])
        #expect(codes(run(history: ["S041": 1000], lines: [DemandLine(specCode: "S041", quantity: 1000)])).isEmpty)
    }

    @Test("000 §3(二): antimicrobials may go somewhat below 80% (reduced floor, default 70%)")
    func antimicrobial() {
        // V01 is antimicrobial: 75% passes, 69% needs an explanation.
        #expect(codes(run(history: ["S011": 1000], lines: [DemandLine(specCode: "S011", quantity: 750)])).isEmpty)
        #expect(codes(run(history: ["S011": 1000], lines: [DemandLine(specCode: "S011", quantity: 700)])).isEmpty)
        #expect(codes(run(history: ["S011": 1000], lines: [DemandLine(specCode: "S011", quantity: 699)])) == [.reducedFloor])
    }

    @Test("002 §3(三): restricted-indication varieties may go somewhat below 80%; the reduced floor is policy")
    func restricted() {
        var policy = BatchPolicy.default
        policy.reducedFloor = .percent(60)
        let h = ["S051": Int64(100)]
        #expect(codes(run(history: h, lines: [DemandLine(specCode: "S051", quantity: 65)], policy: policy)).isEmpty)
        #expect(codes(run(history: h, lines: [DemandLine(specCode: "S051", quantity: 59)], policy: policy)) == [.reducedFloor])
    }

    @Test("000 §5(四), 002 §3(五): merged forms are compared as total effective content")
    func mergedForms() {
        // History 1000 capsules of 0.25 g = 250 g. Report 400 tablets of 0.5 g = 200 g = 80%: passes.
        let ok = run(history: ["S011": 1000], lines: [DemandLine(specCode: "S012", quantity: 400)])
        #expect(codes(ok).isEmpty)
        // 100 paediatric sachets are their own unit: history on them, no report → finding on V01/S013 only.
        let r = run(history: ["S011": 1000, "S013": 100], lines: [DemandLine(specCode: "S012", quantity: 400)])
        #expect(codes(r, unit: "V01/S013") == [.reducedFloor])
        #expect(codes(r, unit: "V01").isEmpty)
        let totals = r.units.first { $0.unit.key == "V01" }!
        #expect(totals.historyDisplay == 1000)  // shown in the first passed spec (capsules)
        #expect(totals.reportedDisplay == 800)
    }

    @Test("002 §2, §3(四): history on a non-passed essential spec counts; reports on it are refused")
    func nonPassed() {
        // History 1000 × 2.5 mg = 2500 mg; report 400 × 5 mg = 2000 mg = 80%: passes the floor.
        let ok = run(history: ["S022": 1000], lines: [DemandLine(specCode: "S021", quantity: 400)])
        #expect(codes(ok).isEmpty)
        let bad = run(history: ["S022": 1000], lines: [DemandLine(specCode: "S022", quantity: 1000)])
        #expect(codes(bad) == [.notPassedSpec])
        #expect(bad.findings[0].message.zh.contains("基本药物"))
        #expect(bad.blocksSubmission)
    }

    @Test("002 §2: a chosen brand must be a product of the spec")
    func brands() {
        let ok = run(history: ["S011": 10], lines: [DemandLine(specCode: "S011", productCode: "P0112", quantity: 10)])
        #expect(codes(ok).isEmpty)
        let bad = run(history: ["S011": 10], lines: [DemandLine(specCode: "S011", productCode: "P0211", quantity: 10)])
        #expect(codes(bad) == [.brandSpecMismatch])
    }

    @Test("002 §3(三): capacity mismatch above 150% of history; new demand without history")
    func capacity() {
        #expect(codes(run(history: ["S021": 100], lines: [DemandLine(specCode: "S021", quantity: 150)])).isEmpty)
        let over = run(history: ["S021": 100], lines: [DemandLine(specCode: "S021", quantity: 151)])
        #expect(codes(over) == [.capacityMismatch])
        #expect(!over.blocksSubmission)
        let new = run(history: [:], lines: [DemandLine(specCode: "S021", quantity: 5)])
        #expect(codes(new) == [.newDemand])
        #expect(new.findings[0].severity == .info)
    }

    @Test("002 §3(三): special-needs volume leaves the history, never more than it, with a reason")
    func specialNeeds() {
        let ex = ["V02": SpecialNeedsExclusion(specCode: "S021", quantity: 200, reason: "特需门诊")]
        // H = 1000 − 200 = 800; 640 = 80% of 800 passes.
        #expect(codes(run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 640)], exclusions: ex)).isEmpty)
        #expect(codes(run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 639)], exclusions: ex)) == [.belowFloor])
        let tooMuch = ["V02": SpecialNeedsExclusion(specCode: "S021", quantity: 1001, reason: "特需")]
        #expect(
            codes(run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 0)], exclusions: tooMuch)).contains(
                .exclusionExceedsHistory))
        let noReason = ["V02": SpecialNeedsExclusion(specCode: "S021", quantity: 10, reason: "")]
        #expect(
            codes(run(history: ["S021": 1000], lines: [DemandLine(specCode: "S021", quantity: 1000)], exclusions: noReason)) == [
                .exclusionExceedsHistory
            ])
    }

    @Test("002 (平均采购量): annual-average basis over a longer period")
    func annualAverage() {
        var policy = BatchPolicy.default
        policy.historyBasis = .annualAverage
        policy.referencePeriod = MonthRange(first: MonthKey(year: 2024, month: 1)!, last: MonthKey(year: 2025, month: 6)!)!
        // 18 months, 1800 units → 1200 a year; floor 960.
        #expect(codes(run(history: ["S021": 1800], lines: [DemandLine(specCode: "S021", quantity: 960)], policy: policy)).isEmpty)
        #expect(codes(run(history: ["S021": 1800], lines: [DemandLine(specCode: "S021", quantity: 959)], policy: policy)) == [.belowFloor])
    }

    @Test("001 §2(一), 002 §2: the commitment letter must be attached, named, signed by 院长 or 党委书记")
    func letter() {
        let h = ["S021": Int64(10)]
        let l = [DemandLine(specCode: "S021", quantity: 10)]
        #expect(codes(run(history: h, lines: l, letter: nil)) == [.missingCommitmentLetter])
        #expect(
            codes(run(history: h, lines: l, letter: CommitmentLetter(fileName: "a.pdf", signerName: "", signerTitle: "院长"))) == [
                .missingCommitmentLetter
            ])
        let wrongTitle = run(history: h, lines: l, letter: CommitmentLetter(fileName: "a.pdf", signerName: "李四", signerTitle: "科长"))
        #expect(codes(wrongTitle) == [.missingCommitmentLetter])
        #expect(wrongTitle.findings[0].message.zh.contains("科长"))
        #expect(codes(run(history: h, lines: l, letter: CommitmentLetter(fileName: "a.pdf", signerName: "李四", signerTitle: "党委书记"))).isEmpty)
    }

    @Test("000 §3(二): institutions with history that do not report are listed; a focus once the window closes")
    func notReported() {
        let c = Fixtures.checker()
        #expect(c.notReportedFinding(institutionCode: "I1", hasHistory: true, submitted: false, windowClosed: true)?.severity == .review)
        #expect(c.notReportedFinding(institutionCode: "I1", hasHistory: true, submitted: false, windowClosed: false)?.severity == .info)
        #expect(c.notReportedFinding(institutionCode: "I1", hasHistory: true, submitted: true, windowClosed: true) == nil)
        #expect(c.notReportedFinding(institutionCode: "I1", hasHistory: false, submitted: false, windowClosed: true) == nil)
    }

    @Test("thresholds are policy: a batch with a 90% floor")
    func policyFloor() {
        var policy = BatchPolicy.default
        policy.floor = .percent(90)
        #expect(codes(run(history: ["S021": 100], lines: [DemandLine(specCode: "S021", quantity: 85)], policy: policy)) == [.belowFloor])
        #expect(policy.validate().isEmpty)
        policy.reducedFloor = .percent(95)
        #expect(!policy.validate().isEmpty)
    }
}

@Suite("Reporting window — 000 §4, 002 §4")
struct ReportingWindowTests {
    @Test("002 §4: test until Dec 18 24:00, fill Dec 19 – Dec 29 24:00, review until Dec 31 17:00 (Asia/Shanghai)")
    func phases() {
        let w = ReportingWindow.notice002
        let s = ReportingWindow.shanghai(_:_:_:_:_:)
        #expect(w.phase(at: s(2025, 12, 18, 23, 59)) == .accountTest)
        #expect(w.phase(at: s(2025, 12, 19, 0, 0)) == .open)
        #expect(w.phase(at: s(2025, 12, 29, 23, 59)) == .open)
        #expect(w.phase(at: s(2025, 12, 30, 0, 0)) == .review)
        #expect(w.phase(at: s(2025, 12, 31, 16, 59)) == .review)
        #expect(w.phase(at: s(2025, 12, 31, 17, 0)) == .closed)
        // One second either side of the close.
        #expect(w.phase(at: w.fillingCloses.addingTimeInterval(-1)) == .open)
        #expect(w.phase(at: w.fillingCloses) == .review)
    }
}

@Suite("Batch policy storage")
struct BatchPolicyCodingTests {
    @Test("a policy round-trips through JSON; a stored policy missing newer fields gets their defaults")
    func coding() throws {
        var p = BatchPolicy.default
        p.floor = .percent(90)
        p.peerMinimum = 5
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(BatchPolicy.self, from: data) == p)
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object.removeValue(forKey: "peerCapacityFactor")
        object.removeValue(forKey: "peerMinimum")
        let old = try JSONDecoder().decode(BatchPolicy.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.floor == .percent(90))
        #expect(old.peerMinimum == BatchPolicy.default.peerMinimum)
        #expect(old.peerCapacityFactor == BatchPolicy.default.peerCapacityFactor)
    }
}
