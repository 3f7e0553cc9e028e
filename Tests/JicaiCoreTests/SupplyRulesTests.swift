import Foundation
import JicaiCore
import Testing

/// The supply stage's rules (供), pure: payment due dates and overdue days, the prepayment and its offsets, the
/// recovery deadline, traceability codes (003 §8(一), 001 §2(五); docs/rules.md).
@Suite("Supply rules: due dates, prepayment, traceability codes")
struct SupplyRulesTests {
    static func day(_ text: String) throws -> CivilDate { try #require(CivilDate(text: text)) }

    @Test("003 §8(一): paid by the end of the month after acceptance, across month, year and leap-year ends")
    func dueDates() throws {
        let cases = [
            ("2026-01-31", "2026-02-28"), ("2028-01-31", "2028-02-29"), ("2026-12-31", "2027-01-31"), ("2028-02-29", "2028-03-31"),
            ("2026-03-01", "2026-04-30"), ("2026-11-15", "2026-12-31"),
        ]
        for (accepted, due) in cases {
            #expect(PaymentTerms.dueDate(acceptedOn: try Self.day(accepted)) == (try Self.day(due)), "\(accepted)")
        }
        #expect(PaymentTerms.dueDate(acceptedOn: try Self.day("2199-12-15")) == nil, "the month after is outside the platform's range")
    }

    @Test("003 §8(一): overdue days count from the day after the due date")
    func overdue() throws {
        let due = try Self.day("2027-01-31")
        #expect(PaymentTerms.overdueDays(due: due, on: try Self.day("2027-01-31")) == 0)
        #expect(PaymentTerms.overdueDays(due: due, on: try Self.day("2027-01-01")) == 0)
        #expect(PaymentTerms.overdueDays(due: due, on: try Self.day("2027-02-01")) == 1)
        #expect(PaymentTerms.overdueDays(due: due, on: try Self.day("2027-03-03")) == 31)
    }

    @Test("003 §8(一): the prepayment is 50% (drugs) or 30% (consumables) of the year's agreed amount, rounded half up once")
    func prepaymentAmount() {
        let policy = SupplyPolicy()
        #expect(Prepayment.amount(yearAgreedFen: 1_000_001, share: policy.prepaymentShare(consumables: false)) == 500_001)
        #expect(Prepayment.amount(yearAgreedFen: 999_999, share: policy.prepaymentShare(consumables: false)) == 500_000)
        #expect(Prepayment.amount(yearAgreedFen: 1_000_005, share: policy.prepaymentShare(consumables: true)) == 300_002)
        #expect(Prepayment.amount(yearAgreedFen: 0, share: .percent(50)) == 0)
    }

    @Test("003 §8(一): offsets follow cumulative completion, never back, capped at 100%, and sum to the prepayment exactly")
    func offsets() {
        let prepayment: Int64 = 1_000_001
        // Completion by month end: a third, then goods returned (lower), then 60%, then past 100%.
        let completion = [Fraction(1, 3), Fraction(1, 4), Fraction(3, 5), Fraction(11, 10), Fraction(6, 5)]
        let offsets = Prepayment.offsets(prepaymentFen: prepayment, cumulativeCompletion: completion)
        // round(1,000,001 / 3) = 333,334; then unchanged (a return gives nothing back); round(600,000.6) = 600,001;
        // then the rest up to the prepayment; then nothing.
        #expect(offsets == [333_334, 0, 266_667, 400_000, 0])
        #expect(offsets.reduce(0, +) == prepayment && Prepayment.balance(prepaymentFen: prepayment, offsets: offsets) == 0)
        let partial = Prepayment.offsets(prepaymentFen: prepayment, cumulativeCompletion: [Fraction(1, 2), Fraction(7, 10)])
        #expect(partial == [500_001, 200_000], "half of 1,000,001 is 500,000.5, rounded half up once")
        #expect(Prepayment.balance(prepaymentFen: prepayment, offsets: partial) == 300_000, "recovered after the cycle")
    }

    @Test("003 §8(一): the balance goes back within two months after the cycle ends")
    func recovery() throws {
        #expect(
            Prepayment.recoveryDeadline(cycleEnd: try Self.day("2027-12-31"), months: SupplyPolicy().recoveryMonths) == (try Self.day("2028-02-29")))
        #expect(Prepayment.recoveryDeadline(cycleEnd: try Self.day("2028-02-29"), months: 2) == (try Self.day("2028-04-30")))
        #expect(Prepayment.recoveryDeadline(cycleEnd: try Self.day("2199-11-30"), months: 2) == nil)
    }

    @Test("001 §2(五): a traceability code is 20 digits, its first 7 the product's; a code seen twice is an anomaly")
    func traceCodes() throws {
        #expect(TraceCode(text: "81234560000000000017")?.productPart == "8123456")
        #expect(TraceCode(text: " 81234560000000000017 ") != nil, "spaces around are ignored")
        for bad in ["8123456000000000001", "812345600000000000170", "8123456000000000001X", "８１２３４５６０００００００００００１７", ""] {
            #expect(TraceCode(text: bad) == nil, "\(bad)")
        }
        let code = try #require(TraceCode(text: "81234560000000000017"))
        #expect(code.isOf(productPrefix: "8123456") && !code.isOf(productPrefix: "8123457"))
        let other = try #require(TraceCode(text: "81234560000000000024"))
        let seen = TraceCode.duplicates([code, other, code, code, other, try #require(TraceCode(text: "91234560000000000017"))])
        #expect(seen.map { "\($0.code) \($0.count)" } == ["81234560000000000017 3", "81234560000000000024 2"])
    }

    @Test("004 §8: a ticket's deadline in calendar days, or in working days over a weekend; then it is overdue")
    func ticketDeadlines() throws {
        #expect(TicketClock.weekday(try Self.day("2026-12-11")) == 4)
        #expect(TicketClock.weekday(try Self.day("2000-01-01")) == 5)
        #expect(TicketClock.weekday(try Self.day("2028-02-29")) == 1)
        let friday = try Self.day("2026-12-11")
        #expect(TicketClock.deadline(filed: friday, days: 3, workingDays: false) == (try Self.day("2026-12-14")))
        #expect(TicketClock.deadline(filed: friday, days: 3, workingDays: true) == (try Self.day("2026-12-16")), "Monday, Tuesday, Wednesday")
        #expect(TicketClock.deadline(filed: try Self.day("2026-12-12"), days: 1, workingDays: true) == (try Self.day("2026-12-14")))
        #expect(TicketClock.deadline(filed: try Self.day("2026-12-31"), days: 2, workingDays: true) == (try Self.day("2027-01-04")))
        #expect(TicketClock.deadline(filed: friday, days: 0, workingDays: false) == (try Self.day("2026-12-12")), "at least a day")
        let deadline = try Self.day("2026-12-16")
        let after = try Self.day("2026-12-17")
        #expect(!TicketClock.isOverdue(deadline: deadline, on: deadline) && TicketClock.isOverdue(deadline: deadline, on: after))
        #expect(Set(SupplyProblemKind.allCases.map(\.label.zh)).count == SupplyProblemKind.allCases.count, "one label each")
    }

    @Test("003 §8(一): the shares and the recovery months are the batch policy's; a stored policy without them gets the defaults")
    func policyFields() throws {
        var policy = BatchPolicy()
        #expect(policy.prepaymentShare == .percent(50))
        policy.award.kind = .consumables
        #expect(policy.prepaymentShare == .percent(30))
        let stored = try JSONEncoder().encode(BatchPolicy())
        var object = try #require(try JSONSerialization.jsonObject(with: stored) as? [String: Any])
        object["supply"] = nil
        let older = try JSONDecoder().decode(BatchPolicy.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.supply == SupplyPolicy() && older.validate().isEmpty)
        let partial = try JSONDecoder().decode(SupplyPolicy.self, from: Data(#"{"recoveryMonths":3}"#.utf8))
        #expect(partial.recoveryMonths == 3 && partial.prepaymentShareDrugs == .percent(50))
        policy.supply.recoveryMonths = 25
        policy.supply.prepaymentShareDrugs = .percent(101)
        #expect(policy.validate().count == 2)
    }
}

/// An order's life (003 §4, §6; 004 §6): quantities in packs, partial acceptance, what is still to ship.
@Suite("Supply rules: orders, shipments and acceptance")
struct OrderRulesTests {
    @Test("004 §6: rejected packs go back to what is still to ship; closing cancels the rest")
    func figures() {
        var line = OrderLineFigures(ordered: 10, shipped: 6, accepted: 5, rejected: 1)
        #expect(line.inTransit == 0 && line.outstanding == 5)
        line.shipped = 9
        #expect(line.inTransit == 3 && line.outstanding == 2)
        line.closed = 2
        #expect(line.outstanding == 0)
    }

    @Test("An order's status follows its lines: placed, confirmed, delivered, completed, cancelled")
    func status() {
        let open = OrderLineFigures(ordered: 4)
        #expect(OrderRules.status(lines: [open], confirmed: false, withdrawn: false) == .placed)
        #expect(OrderRules.status(lines: [open], confirmed: true, withdrawn: false) == .confirmed)
        #expect(OrderRules.status(lines: [OrderLineFigures(ordered: 4, shipped: 4)], confirmed: true, withdrawn: false) == .delivered)
        #expect(OrderRules.status(lines: [OrderLineFigures(ordered: 4, shipped: 4, accepted: 4)], confirmed: true, withdrawn: false) == .completed)
        #expect(
            OrderRules.status(lines: [OrderLineFigures(ordered: 4, shipped: 1, accepted: 1, closed: 3)], confirmed: true, withdrawn: false)
                == .completed)
        #expect(OrderRules.status(lines: [OrderLineFigures(ordered: 4, closed: 4)], confirmed: true, withdrawn: false) == .cancelled)
        #expect(OrderRules.status(lines: [open], confirmed: false, withdrawn: true) == .cancelled)
        // One line delivered and another still to ship: awaiting acceptance comes first.
        #expect(OrderRules.status(lines: [OrderLineFigures(ordered: 4, shipped: 4), open], confirmed: true, withdrawn: false) == .delivered)
    }

    @Test("A shipment is whole packs, no more than is still to ship; acceptance adds up to what came, rejection with a reason")
    func checks() {
        let line = OrderLineFigures(ordered: 10, shipped: 6, accepted: 5, rejected: 1)
        #expect(OrderRules.checkShipment(5, on: line) == nil)
        #expect(OrderRules.checkShipment(6, on: line)?.code == .shipTooMany)
        #expect(OrderRules.checkShipment(0, on: line)?.code == .badQuantity)
        #expect(OrderRules.checkAcceptance(accepted: 6, rejected: 0, delivered: 6, reason: "") == nil)
        #expect(OrderRules.checkAcceptance(accepted: 5, rejected: 1, delivered: 6, reason: "破损") == nil)
        #expect(OrderRules.checkAcceptance(accepted: 5, rejected: 1, delivered: 6, reason: "  ")?.code == .reasonRequired)
        #expect(OrderRules.checkAcceptance(accepted: 7, rejected: 0, delivered: 6, reason: "")?.code == .acceptTooMany)
        #expect(OrderRules.checkAcceptance(accepted: 7, rejected: -1, delivered: 6, reason: "x")?.code == .badQuantity)
        #expect(OrderRules.checkOrdered(0)?.code == .badQuantity && OrderRules.checkOrdered(1) == nil)
        #expect(OrderRules.checkOrdered(InputLimits.maxQuantity + 1)?.code == .quantityTooLarge)
    }

    @Test("003 §4: beyond the agreed quantity is allowed and marked; orders stop when the cycle ends or outside the agreement's year")
    func beyondAndCycle() throws {
        #expect(!OrderRules.beyondAgreed(before: 90, adding: 10, agreed: 100))
        #expect(OrderRules.beyondAgreed(before: 90, adding: 11, agreed: 100))
        let year = AgreementYear(start: try SupplyRulesTests.day("2026-03-01"), end: try SupplyRulesTests.day("2027-03-01"), daysOfTwelveMonths: 365)
        let cycleEnd = try SupplyRulesTests.day("2028-02-29")
        #expect(OrderRules.checkOrderDay(try SupplyRulesTests.day("2027-02-28"), year: year, cycleEnd: cycleEnd) == nil)
        #expect(OrderRules.checkOrderDay(try SupplyRulesTests.day("2027-03-01"), year: year, cycleEnd: cycleEnd)?.code == .orderOutsideCycle)
        #expect(OrderRules.checkOrderDay(try SupplyRulesTests.day("2026-02-28"), year: year, cycleEnd: cycleEnd)?.code == .orderOutsideCycle)
        let last = AgreementYear(start: try SupplyRulesTests.day("2027-03-01"), end: try SupplyRulesTests.day("2028-03-01"), daysOfTwelveMonths: 366)
        #expect(OrderRules.checkOrderDay(try SupplyRulesTests.day("2028-02-29"), year: last, cycleEnd: cycleEnd) == nil)
        #expect(OrderRules.checkOrderDay(try SupplyRulesTests.day("2028-03-01"), year: last, cycleEnd: cycleEnd)?.code == .orderOutsideCycle)
    }

    @Test("004 §6: a distributor confirms within the policy's days (calendar days, one by default)")
    func confirmation() throws {
        let ordered = try SupplyRulesTests.day("2026-07-03")
        let days = SupplyPolicy().confirmDays
        #expect(!OrderRules.confirmedLate(ordered: ordered, confirmed: try SupplyRulesTests.day("2026-07-04"), on: ordered, days: days))
        #expect(OrderRules.confirmedLate(ordered: ordered, confirmed: try SupplyRulesTests.day("2026-07-05"), on: ordered, days: days))
        #expect(OrderRules.confirmedLate(ordered: ordered, confirmed: nil, on: try SupplyRulesTests.day("2026-07-06"), days: days))
        #expect(!OrderRules.confirmedLate(ordered: ordered, confirmed: nil, on: try SupplyRulesTests.day("2026-07-04"), days: days))
    }
}

/// A supply-problem ticket's life (004 §8, 001 §2(四)): two deadlines, who answers, when it goes up to the province.
@Suite("Supply rules: supply-problem tickets")
struct TicketRulesTests {
    @Test("004 §8: the firms answer within 3 days, the city verifies within 5 more; calendar days unless the policy counts working days")
    func deadlines() throws {
        var policy = SupplyPolicy()
        let friday = try SupplyRulesTests.day("2026-12-11")
        let calendar = try #require(TicketRules.deadlines(filed: friday, policy: policy))
        let (dec14, dec19) = (try SupplyRulesTests.day("2026-12-14"), try SupplyRulesTests.day("2026-12-19"))
        #expect(calendar.answer == dec14 && calendar.verify == dec19)
        policy.ticketWorkingDays = true
        let working = try #require(TicketRules.deadlines(filed: friday, policy: policy))
        // Mon, Tue, Wed for the answer; Thu, Fri, Mon, Tue, Wed for the verification.
        let (dec16, dec23) = (try SupplyRulesTests.day("2026-12-16"), try SupplyRulesTests.day("2026-12-23"))
        #expect(working.answer == dec16 && working.verify == dec23)
    }

    @Test("004 §8: a ticket goes up to the province when a deadline passes with its step undone; the city decides once answered or late")
    func escalation() throws {
        let answerDue = try SupplyRulesTests.day("2026-12-14")
        let verifyDue = try SupplyRulesTests.day("2026-12-19")
        let (on14, on15, on20) = (
            try SupplyRulesTests.day("2026-12-14"), try SupplyRulesTests.day("2026-12-15"), try SupplyRulesTests.day("2026-12-20")
        )
        #expect(!TicketRules.isEscalated(status: .open, answerDue: answerDue, verifyDue: verifyDue, on: on14))
        #expect(TicketRules.isEscalated(status: .open, answerDue: answerDue, verifyDue: verifyDue, on: on15))
        #expect(!TicketRules.isEscalated(status: .answered, answerDue: answerDue, verifyDue: verifyDue, on: on15))
        #expect(TicketRules.isEscalated(status: .answered, answerDue: answerDue, verifyDue: verifyDue, on: on20))
        #expect(!TicketRules.isEscalated(status: .verified, answerDue: answerDue, verifyDue: verifyDue, on: on20))
        #expect(!TicketRules.mayDecide(status: .open, answerDue: answerDue, on: on14))
        #expect(TicketRules.mayDecide(status: .open, answerDue: answerDue, on: on15), "the firms let the deadline pass")
        #expect(TicketRules.mayDecide(status: .answered, answerDue: answerDue, on: on14))
        #expect(!TicketRules.mayDecide(status: .dismissed, answerDue: answerDue, on: on20))
    }

    @Test("004 §8: answered once the manufacturer and, when named, the distributor have answered")
    func answers() {
        #expect(TicketRules.afterAnswer(manufacturerAnswered: true, distributorAnswered: false, hasDistributor: true) == .open)
        #expect(TicketRules.afterAnswer(manufacturerAnswered: true, distributorAnswered: false, hasDistributor: false) == .answered)
        #expect(TicketRules.afterAnswer(manufacturerAnswered: true, distributorAnswered: true, hasDistributor: true) == .answered)
        #expect(TicketRules.afterAnswer(manufacturerAnswered: false, distributorAnswered: true, hasDistributor: true) == .open)
    }
}

/// The prepayment's offset in a settlement run, month by month (003 §8(一)).
@Suite("Supply rules: the prepayment's monthly offset")
struct PrepaymentOffsetTests {
    @Test("003 §8(一): each run offsets round(P × C) less what was offset before; the runs give the same as the month-by-month offsets")
    func runs() {
        let (prepayment, agreed): (Int64, Int64) = (1_000_001, 3_000_000)
        // Accepted by each month's end: a third, then lower after a return, then 60%, then above the agreed amount.
        let accepted: [Int64] = [1_000_000, 750_000, 1_800_000, 3_300_000, 3_600_000]
        var soFar: Int64 = 0
        var runs: [Int64] = []
        for amount in accepted {
            let offset = Prepayment.offset(prepaymentFen: prepayment, acceptedFen: amount, agreedFen: agreed, offsetSoFar: soFar)
            runs.append(offset)
            soFar += offset
        }
        let monthly = Prepayment.offsets(prepaymentFen: prepayment, cumulativeCompletion: accepted.map { Fraction(Int128($0), Int128(agreed)) })
        #expect(runs == monthly && runs == [333_334, 0, 266_667, 400_000, 0])
        #expect(soFar == prepayment, "the offsets add up to the prepayment at full completion, to the fen")
        #expect(Prepayment.offset(prepaymentFen: 0, acceptedFen: 5, agreedFen: 10, offsetSoFar: 0) == 0)
        #expect(Prepayment.offset(prepaymentFen: 100, acceptedFen: 5, agreedFen: 0, offsetSoFar: 0) == 0, "no agreed amount, nothing to offset")
    }
}

/// One reading of a submission's traceability codes, and a ticket's period (001 §2(五); 004 §8).
@Suite("Supply rules: reading codes, a ticket's months")
struct SupplyInputTests {
    @Test("001 §2(五): a submission's codes are 20 digits each, blanks ignored; the first bad one is named")
    func parse() throws {
        #expect(
            try TraceCode.parse([" 81000010000000000001 ", "", "81000010000000000002"]).map(\.text) == [
                "81000010000000000001", "81000010000000000002",
            ])
        #expect(throws: Refusal.self) { _ = try TraceCode.parse(["81000010000000000001", "8100001000000000000X"]) }
        do {
            _ = try TraceCode.parse(["81000010000000000001", "123"])
        } catch let refusal as Refusal {
            #expect(refusal.code == .badTraceCode && refusal.message.zh.contains("第2个"))
        }
    }

    @Test("004 §8 (design): a ticket covers months in order, at most 24")
    func period() throws {
        let january = try #require(MonthKey(year: 2026, month: 1))
        #expect(TicketRules.checkPeriod(from: january, through: try #require(MonthKey(year: 2027, month: 12))) == nil)
        #expect(TicketRules.checkPeriod(from: january, through: try #require(MonthKey(year: 2028, month: 1)))?.code == .badPeriod)
        #expect(TicketRules.checkPeriod(from: try #require(MonthKey(year: 2026, month: 2)), through: january)?.code == .badPeriod)
    }
}

@Suite("Supply rules: the supply alerts")
struct SupplyAlertRulesTests {
    static func day(_ text: String) throws -> CivilDate { try #require(CivilDate(text: text)) }

    @Test("004 §8: an order not confirmed within the policy's days raises UNCONFIRMED, counted once per order, the oldest named")
    func unconfirmed() throws {
        let policy = SupplyPolicy()
        var l = SupplyLateness(institutionCode: "H", unitKey: "V01", yearStart: try Self.day("2026-01-01"))
        l.order(1, ordered: try Self.day("2026-07-01"), on: try Self.day("2026-07-02"), policy: policy)
        #expect(SupplyAlerts.evaluate(l, policy: policy).isEmpty, "one day allowed: not late on the next day")
        l.order(1, ordered: try Self.day("2026-07-01"), on: try Self.day("2026-07-03"), policy: policy)
        l.order(1, ordered: try Self.day("2026-07-01"), on: try Self.day("2026-07-03"), policy: policy)
        l.order(2, ordered: try Self.day("2026-06-28"), on: try Self.day("2026-07-03"), policy: policy)
        let findings = SupplyAlerts.evaluate(l, policy: policy)
        #expect(findings.map(\.key.code) == [.unconfirmed])
        #expect(findings.first?.figures == [AlertFigure("orders", "2"), AlertFigure("oldest", "2026-06-28"), AlertFigure("days", "1")])
        var slower = policy
        slower.confirmDays = 5
        var m = SupplyLateness(institutionCode: "H", unitKey: "V01", yearStart: try Self.day("2026-01-01"))
        m.order(2, ordered: try Self.day("2026-06-28"), on: try Self.day("2026-07-03"), policy: slower)
        #expect(SupplyAlerts.evaluate(m, policy: slower).isEmpty, "five days allowed by the batch's policy")
    }

    @Test("003 §8(一): a delivery unpaid after the end of the month after acceptance raises PAYMENT_OVERDUE with what is owed and the days")
    func paymentOverdue() throws {
        let policy = SupplyPolicy()
        let due = try #require(PaymentTerms.dueDate(acceptedOn: try Self.day("2026-07-01")))
        var l = SupplyLateness(institutionCode: "H", unitKey: "V01", yearStart: try Self.day("2026-01-01"))
        l.delivery(7, due: due, unpaidFen: 620, on: try Self.day("2026-08-31"))
        l.delivery(8, due: due, unpaidFen: 0, on: try Self.day("2026-09-03"))
        #expect(SupplyAlerts.evaluate(l, policy: policy).isEmpty, "on the due date nothing is late; paid in full nothing is owed")
        l.delivery(7, due: due, unpaidFen: 620, on: try Self.day("2026-09-03"))
        l.delivery(7, due: due, unpaidFen: 620, on: try Self.day("2026-09-03"))
        l.delivery(9, due: try Self.day("2026-09-30"), unpaidFen: 100, on: try Self.day("2026-10-01"))
        let finding = try #require(SupplyAlerts.evaluate(l, policy: policy).first)
        #expect(finding.key.code == .paymentOverdue && finding.severity == .normal)
        #expect(
            finding.figures == [
                AlertFigure("deliveries", "2"), AlertFigure("unpaidFen", "720"), AlertFigure("daysOverdue", "3"),
                AlertFigure("earliestDue", "2026-08-31"),
            ], "a delivery's two lines count it once")
        #expect(finding.message.zh.contains("7.20元") && finding.message.zh.contains("003 §8(一)"))
    }
}

@Suite("Supply rules: a product's registered parts")
struct ProductPartsTests {
    static func code(_ text: String) throws -> TraceCode { try #require(TraceCode(text: text)) }

    @Test("001 §2(五): the manufacturer's registered parts decide; without them the delivered parts; without either any part")
    func precedence() throws {
        let a = try Self.code("81000010000000000001")
        let b = try Self.code("81000090000000000001")
        #expect(ProductParts(registered: [], delivered: []).fits(a))
        #expect(ProductParts(registered: [], delivered: ["8100001"]).fits(a) && !ProductParts(registered: [], delivered: ["8100001"]).fits(b))
        let registered = ProductParts(registered: ["8100009"], delivered: ["8100001"])
        #expect(registered.expected == ["8100009"] && registered.fits(b) && !registered.fits(a), "registered parts override the delivered")
    }

    @Test("001 §2(五): a registered part is 7 digits; a list may use commas, 、 or spaces; at most 20")
    func parse() throws {
        #expect(try ProductParts.parse("8100001, 8100002、8100003") == ["8100001", "8100002", "8100003"])
        #expect(try ProductParts.parse(" ").isEmpty, "an empty list clears them")
        #expect(throws: Refusal.self) { try ProductParts.parse("810000") }
        #expect(throws: Refusal.self) { try ProductParts.parse("81000a1") }
        #expect(throws: Refusal.self) { try ProductParts.parse((0..<21).map { String(8_100_000 + $0) }.joined(separator: ",")) }
    }
}

@Suite("Supply rules: a delivery's payment over its agreements")
struct PaymentSharesTests {
    @Test("004 §6 (design): a payment is shared over a delivery's lines by value, rounded down, the last the rest; the shares sum to it")
    func apportion() {
        #expect(PaymentShares.apportion(100, over: [1, 1, 1], totalFen: 3) == [33, 33, 34])
        #expect(PaymentShares.apportion(1120, over: [560, 560], totalFen: 1120) == [560, 560])
        #expect(PaymentShares.apportion(500, over: [300, 820], totalFen: 1120) == [133, 367])
        #expect(PaymentShares.apportion(500, over: [300], totalFen: 0).isEmpty, "a delivery of no value")
        for amount: Int64 in [1, 7, 999, 1_000_003] {
            #expect(PaymentShares.apportion(amount, over: [13, 29, 58], totalFen: 100).reduce(0, +) == amount, "\(amount)")
        }
    }
}
