import Foundation
import JicaiCore
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiPersistence
@testable import JicaiServices

/// The supply stage on both engines, on the monitoring fixture: the hospital's P0211 agreement (某某药业, delivered by
/// the first distributor) in force; its P0111 agreement awaiting signatures.
enum SupplyFixture {
    static let head = Principal(username: "head", role: .institutionHead, organisationCode: F.hospital)
    static let township = Principal(username: "th", role: .institutionHead, organisationCode: F.township)
    static let carrier = Principal(username: "carrier", role: .distributor, organisationCode: AwardFixture.distributors[0])
    static let otherCarrier = Principal(username: "carrier2", role: .distributor, organisationCode: AwardFixture.distributors[5])
    static let maker = Principal(username: "maker", role: .manufacturer, organisationCode: F.manufacturer)
    static let city = Principal(username: "city", role: .cityReviewer, regionCode: "140100")

    /// The published award with distributors named and the hospital's P0211 agreement signed by all three parties;
    /// returns its id and the P0111 agreement's (not signed).
    static func load(_ db: DB) async throws -> (inForce: Int64, unsigned: Int64) {
        _ = try await MonitorFixture.load(db)
        let agreements = AgreementService(db: db, now: { ReportingWindow.shanghai(2026, 3, 5, 10) })
        try await agreements.addDistributor(
            batchCode: "B1", manufacturerCode: F.manufacturer, area: "1401", distributorCode: AwardFixture.distributors[0], actor: .cli)
        try await agreements.addDistributor(
            batchCode: "B1", manufacturerCode: AwardFixture.maker2, area: "1401", distributorCode: AwardFixture.distributors[5], actor: .cli)
        _ = try await agreements.send(batchCode: "B1", actor: .cli)
        let all = try await agreements.agreements(try await agreements.scope("B1", head), page: PageRequest(size: 100)).items
        let p0211 = try #require(all.first { $0.productCode == "P0211" && $0.yearIndex == 1 })
        let p0111 = try #require(all.first { $0.productCode == "P0111" && $0.yearIndex == 1 })
        for signer in [head, maker, carrier] { _ = try await agreements.sign(batchCode: "B1", id: p0211.id, by: signer, actor: .cli) }
        return (p0211.id, p0111.id)
    }

    static func service(_ db: DB, _ month: Int = 7, _ day: Int = 1) -> SupplyService {
        SupplyService(db: db, now: { ReportingWindow.shanghai(2026, month, day, 10) })
    }

    /// The hospital's order of `packs` under the agreement in force, confirmed and shipped whole (with `codes`).
    static func shipped(_ supply: SupplyService, inForce: Int64, packs: Int64, codes: [String] = []) async throws -> (order: Int64, delivery: Int64) {
        let head = try await supply.scope("B1", SupplyFixture.head)
        let carrier = try await supply.scope("B1", SupplyFixture.carrier)
        let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: packs)], note: "").first)
        _ = try await supply.confirm(carrier, id: order)
        let expiry = try #require(CivilDate(2028, 6, 30))
        let delivery = try await supply.ship(
            carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: packs, lot: "L", expiry: expiry, codes: codes)])
        return (order, delivery)
    }

    static func codes(_ first: Int, _ count: Int) -> [String] {
        (first..<first + count).map { "8100001" + String(format: "%013d", $0) }
    }

    /// The batch's purchase lines from orders: (quantity, amount, delivered, accepted) sorted.
    static func orderLines(_ db: DB) async throws -> [String] {
        struct R: Decodable { var quantity: Int64, amount_fen: Int64, delivery_date: Int64?, acceptance_date: Int64?, order_number: String }
        return try await db.all("SELECT * FROM purchases WHERE source = 'order'", as: R.self).map {
            "\($0.order_number) \($0.quantity) \($0.amount_fen) \($0.delivery_date.map(String.init) ?? "-") \($0.acceptance_date.map(String.init) ?? "-")"
        }.sorted()
    }
}

/// Expects `body` to be refused with `code` (whatever the message says).
func expectRefused(_ code: RefusalCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("not refused; expected \(code.rawValue)", sourceLocation: sourceLocation)
    } catch {
        #expect((error as? Refusal)?.code == code, "\(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Supply on both engines: orders, delivery with traceability codes, acceptance, payment deadlines (003 §4, §8(一); 004 §6; 001 §2(五))")
struct SupplyServiceTests {
    @Test(
        "Bad orders are refused and write nothing; an order is placed at the winning pack price with its purchase line open",
        arguments: TestDatabases.engines)
    func placing(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, unsigned) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            await expectRefused(.agreementNotInForce) {
                _ = try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: unsigned, packs: 1)], note: "")
            }
            await expectRefused(.badQuantity) {
                _ = try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 0)], note: "")
            }
            let township = try await supply.scope("B1", SupplyFixture.township)
            await expectRefused(.agreementNotFound) {
                _ = try await supply.placeOrder(township, lines: [OrderRequestLine(agreementID: inForce, packs: 1)], note: "")
            }
            await expectRefused(.forbidden) {
                _ = try await supply.placeOrder(try await supply.scope("B1", SupplyFixture.carrier), lines: [], note: "")
            }
            let late = SupplyFixture.service(db, 7, 2)
            await expectRefused(.orderOutsideCycle) {
                _ = try await SupplyService(db: db, now: { ReportingWindow.shanghai(2028, 3, 1, 10) }).placeOrder(
                    try await late.scope("B1", SupplyFixture.head), lines: [OrderRequestLine(agreementID: inForce, packs: 1)], note: "")
            }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_orders") == 0, "a refused order writes nothing")
            #expect(try await supply.orderables(head).map(\.id) == [inForce])

            let ids = try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 10)], note: "七月")
            let detail = try await supply.orderDetail(head, id: try #require(ids.first))
            let line = try #require(detail.order.lines.first)
            #expect(detail.order.status == .placed && detail.order.distributorCode == AwardFixture.distributors[0])
            #expect(line.packPriceFen == 280 && line.productCode == "P0211", "the winning pack price, 2.80 yuan")
            #expect(line.beyondAgreed == false)
            #expect(try await SupplyFixture.orderLines(db) == ["\(detail.order.number) \(10 * line.packSize) 2800 - -"])
            // A second order that takes the agreement past its agreed quantity is allowed and marked (003 §4).
            let agreed = try #require(try await AgreementStore(db).agreement(batchID: head.batch.id, id: inForce)).quantity
            let beyond = agreed / line.packSize
            let more = try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: beyond)], note: "")
            #expect(try await supply.orderDetail(head, id: try #require(more.first)).order.lines.first?.beyondAgreed == true)
            // Who sees it: the institution, its distributor, the manufacturer, the city; not another distributor.
            for principal in [SupplyFixture.carrier, SupplyFixture.maker, SupplyFixture.city] {
                #expect(try await supply.ordersPage(try await supply.scope("B1", principal), status: nil, page: PageRequest()).page.total == 2)
            }
            let other = try await supply.scope("B1", SupplyFixture.otherCarrier)
            #expect(try await supply.ordersPage(other, status: nil, page: PageRequest()).page.total == 0)
            await expectRefused(.orderNotFound) { _ = try await supply.orderDetail(other, id: detail.order.id) }
        }
    }

    @Test(
        "Confirm, ship with one code per pack, accept with a rejection: purchase lines follow, payment due at the end of the next month",
        arguments: TestDatabases.engines)
    func delivering(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            let carrier = try await supply.scope("B1", SupplyFixture.carrier)
            let id = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 10)], note: "").first)
            let expiry = try #require(CivilDate(2028, 6, 30))
            let six = ShipmentLine(lineNo: 1, packs: 6, lot: "L2607", expiry: expiry, codes: SupplyFixture.codes(1, 6))
            await expectRefused(.orderState) { _ = try await supply.ship(carrier, orderID: id, lines: [six]) }
            await expectRefused(.forbidden) { _ = try await supply.confirm(head, id: id) }
            #expect(try await supply.confirm(carrier, id: id).status == .confirmed)
            await expectRefused(.orderState) { _ = try await supply.confirm(carrier, id: id) }
            await expectRefused(.orderState) { _ = try await supply.withdraw(head, id: id) }

            var bad = six
            bad.codes[2] = "123"
            await expectRefused(.badTraceCode) { _ = try await supply.ship(carrier, orderID: id, lines: [bad]) }
            bad.codes = Array(six.codes.prefix(5))
            await expectRefused(.badTraceCode) { _ = try await supply.ship(carrier, orderID: id, lines: [bad]) }
            bad = ShipmentLine(lineNo: 1, packs: 11, lot: "L", expiry: expiry, codes: [])
            await expectRefused(.shipTooMany) { _ = try await supply.ship(carrier, orderID: id, lines: [bad]) }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_deliveries") == 0)

            let delivery = try await supply.ship(carrier, orderID: id, lines: [six])
            var again = ShipmentLine(lineNo: 1, packs: 2, lot: "L2607", expiry: expiry, codes: SupplyFixture.codes(6, 2))
            await expectRefused(.duplicateTraceCode) { _ = try await supply.ship(carrier, orderID: id, lines: [again]) }
            again.codes = [SupplyFixture.codes(20, 1)[0], SupplyFixture.codes(20, 1)[0]]
            await expectRefused(.duplicateTraceCode) { _ = try await supply.ship(carrier, orderID: id, lines: [again]) }
            #expect(try await supply.orderDetail(head, id: id).order.status == .delivered)
            #expect(try await supply.codes(head, deliveryID: delivery, lineNo: 1).map(\.text) == SupplyFixture.codes(1, 6))

            await expectRefused(.acceptTooMany) {
                _ = try await supply.accept(head, deliveryID: delivery, lines: [AcceptanceLine(lineNo: 1, accepted: 5, rejected: 2, reason: "破损")])
            }
            await expectRefused(.reasonRequired) {
                _ = try await supply.accept(head, deliveryID: delivery, lines: [AcceptanceLine(lineNo: 1, accepted: 5, rejected: 1, reason: " ")])
            }
            await expectRefused(.forbidden) {
                _ = try await supply.accept(carrier, deliveryID: delivery, lines: [])
            }
            let accepted = try await supply.accept(
                head, deliveryID: delivery, lines: [AcceptanceLine(lineNo: 1, accepted: 5, rejected: 1, reason: "外包装破损")])
            #expect(accepted.amountFen == 1400 && accepted.dueDate == CivilDate(2026, 8, 31), "5 packs × 2.80; due by the end of August")
            await expectRefused(.alreadyAccepted) { _ = try await supply.accept(head, deliveryID: delivery, lines: []) }
            let order = try await supply.orderDetail(head, id: id).order
            let figures = try #require(order.lines.first?.figures)
            #expect(figures == OrderLineFigures(ordered: 10, shipped: 6, accepted: 5, rejected: 1))
            #expect(figures.outstanding == 5 && order.status == .confirmed, "the rejected pack goes back to what is still to ship")
            let size = try #require(order.lines.first?.packSize)
            #expect(
                try await SupplyFixture.orderLines(db) == [
                    "\(order.number) \(5 * size) 1400 - -", "\(order.number) \(5 * size) 1400 20260701 20260701",
                ])

            // A purchases file for July replaces imported lines only: the order's lines stay.
            let file = MonitorFixture.header + "\(F.hospital),P0211,2026-07-01,2026-07-01,2026-07-01,28,2.80,X1\n"
            _ = try await MonitorService(db: db).importPurchases(path: try F.file("p.csv", file), batchCode: "B1", actor: .cli)
            #expect(try await SupplyFixture.orderLines(db).count == 2)

            #expect(try await supply.close(head, id: id).status == .completed)
            #expect(try await SupplyFixture.orderLines(db) == ["\(order.number) \(5 * size) 1400 20260701 20260701"])
            #expect(
                try await db.scalar("SELECT COUNT(*) AS v FROM audit_log WHERE entity IN ('order', 'delivery')") == 5,
                "placed, confirmed, shipped, accepted, closed")
        }
    }

    @Test(
        "Invoices up to the accepted value, payments up to the invoiced; overdue days from the due date (003 §8(一))", arguments: TestDatabases.engines
    )
    func paying(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            let carrier = try await supply.scope("B1", SupplyFixture.carrier)
            let id = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 4)], note: "").first)
            _ = try await supply.confirm(carrier, id: id)
            let expiry = try #require(CivilDate(2028, 6, 30))
            let delivery = try await supply.ship(
                carrier, orderID: id, lines: [ShipmentLine(lineNo: 1, packs: 4, lot: "L1", expiry: expiry, codes: [])])
            let today = try #require(CivilDate(2026, 7, 1))
            await expectRefused(.orderState) {
                _ = try await supply.record(carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 100, on: today)
            }
            _ = try await supply.accept(head, deliveryID: delivery, lines: [])
            await expectRefused(.payTooMuch) {
                _ = try await supply.record(head, deliveryID: delivery, kind: .payment, number: "P1", amountFen: 100, on: today)
            }
            await expectRefused(.forbidden) {
                _ = try await supply.record(head, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 100, on: today)
            }
            await expectRefused(.payTooMuch) {
                _ = try await supply.record(carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 1121, on: today)
            }
            #expect(
                try await supply.record(carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 1120, on: today).invoicedFen == 1120)
            #expect(try await supply.record(head, deliveryID: delivery, kind: .payment, number: "P1", amountFen: 500, on: today).paidFen == 500)

            let september = SupplyFixture.service(db, 9, 3)
            let (overdue, day) = try await september.payables(
                try await september.scope("B1", SupplyFixture.city), overdueOnly: true, page: PageRequest())
            let payable = try #require(overdue.items.first)
            #expect(overdue.total == 1 && payable.unpaidFen == 620 && payable.dueDate == CivilDate(2026, 8, 31))
            #expect(payable.overdueDays(on: day) == 3, "unpaid on 3 September: three days past 31 August")
            _ = try await september.record(
                try await september.scope("B1", SupplyFixture.head), deliveryID: delivery, kind: .payment, number: "P2", amountFen: 620,
                on: try #require(CivilDate(2026, 9, 2)))
            let (after, _) = try await september.payables(
                try await september.scope("B1", SupplyFixture.head), overdueOnly: false, page: PageRequest())
            #expect(after.items.first?.overdueDays(on: day) == 2, "paid in full on 2 September: two days late")
            #expect(
                try await september.payables(try await september.scope("B1", SupplyFixture.head), overdueOnly: true, page: PageRequest()).0.total == 0
            )
        }
    }

    @Test(
        "An order left undelivered past the monitoring policy's days raises monitoring's UNDELIVERED alert (004 §6, §8); shipped, it is resolved",
        arguments: TestDatabases.engines)
    func undelivered(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let id = try #require(
                try await supply.placeOrder(
                    try await supply.scope("B1", SupplyFixture.head), lines: [OrderRequestLine(agreementID: inForce, packs: 2)], note: ""
                )
                .first)
            let monitor = MonitorService(db: db, now: { ReportingWindow.shanghai(2026, 7, 10, 9) })
            _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 7, 10), actor: .cli)
            let raised = try await MonitorFixture.alerts(db, status: .open).filter { $0.key.code == .undelivered }
            #expect(raised.map(\.key.institutionCode) == [F.hospital], "nine days without a delivery, three allowed")
            let carrier = try await SupplyFixture.service(db, 7, 11).scope("B1", SupplyFixture.carrier)
            _ = try await SupplyFixture.service(db, 7, 11).confirm(carrier, id: id)
            _ = try await SupplyFixture.service(db, 7, 11).ship(
                carrier, orderID: id, lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L", expiry: try #require(CivilDate(2028, 6, 30)), codes: [])])
            _ = try await monitor.recompute(batchCode: "B1", asOf: CivilDate(2026, 7, 11), actor: .cli)
            #expect(try await MonitorFixture.alerts(db, status: .open).filter { $0.key.code == .undelivered }.isEmpty, "delivered: resolved")
        }
    }

    @Test(
        "An order unconfirmed past the supply policy's day raises UNCONFIRMED (004 §8), a delivery unpaid past its due date PAYMENT_OVERDUE (003 §8(一)); both resolve themselves",
        arguments: TestDatabases.engines)
    func lateness(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            let id = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 4)], note: "").first)
            func day(_ month: Int, _ day: Int) throws -> CivilDate {
                guard let date = CivilDate(2026, month, day) else { throw Refusal(.badDate) }
                return date
            }
            let monitor = MonitorService(db: db, now: { ReportingWindow.shanghai(2026, 9, 10, 9) })
            func live(_ code: AlertCode, asOf day: CivilDate) async throws -> [StoredAlert] {
                _ = try await monitor.recompute(batchCode: "B1", asOf: day, actor: .cli)
                return try await MonitorFixture.alerts(db, status: .open).filter { $0.key.code == code }
            }
            #expect(try await live(.unconfirmed, asOf: try day(7, 2)).isEmpty, "one day allowed")
            let raised = try await live(.unconfirmed, asOf: try day(7, 3))
            #expect(raised.map(\.key.institutionCode) == [F.hospital] && raised.first?.figures.first == AlertFigure("orders", "1"))
            let carrier = try await SupplyFixture.service(db, 7, 3).scope("B1", SupplyFixture.carrier)
            _ = try await SupplyFixture.service(db, 7, 3).confirm(carrier, id: id)
            let delivery = try await SupplyFixture.service(db, 7, 3).ship(
                carrier, orderID: id, lines: [ShipmentLine(lineNo: 1, packs: 4, lot: "L1", expiry: try #require(CivilDate(2028, 6, 30)), codes: [])])
            #expect(try await live(.unconfirmed, asOf: try day(7, 4)).isEmpty, "confirmed on 3 July: resolved")
            _ = try await SupplyFixture.service(db, 7, 5).accept(try await supply.scope("B1", SupplyFixture.head), deliveryID: delivery, lines: [])
            _ = try await SupplyFixture.service(db, 9, 10).record(
                carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 1120, on: try day(7, 5))
            _ = try await SupplyFixture.service(db, 9, 10).record(
                head, deliveryID: delivery, kind: .payment, number: "P1", amountFen: 500, on: try day(8, 20))
            #expect(try await live(.paymentOverdue, asOf: try day(8, 31)).isEmpty, "due on 31 August")
            let found = try await live(.paymentOverdue, asOf: try day(9, 3))
            let overdue = try #require(found.first)
            #expect(overdue.key.institutionCode == F.hospital)
            #expect(overdue.figures.contains(AlertFigure("unpaidFen", "620")) && overdue.figures.contains(AlertFigure("daysOverdue", "3")))
            let cityAlerts = try await monitor.alerts(
                try await monitor.scope("B1", SupplyFixture.city), status: .open, code: .paymentOverdue, page: PageRequest())
            #expect(cityAlerts.total == 1, "the city sees it")
            _ = try await SupplyFixture.service(db, 9, 10).record(
                head, deliveryID: delivery, kind: .payment, number: "P2", amountFen: 620, on: try day(9, 4))
            #expect(try await live(.paymentOverdue, asOf: try day(9, 5)).isEmpty, "paid in full: resolved")
        }
    }

    @Test("A withdrawn order leaves no purchase line", arguments: TestDatabases.engines)
    func withdrawing(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            let id = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 3)], note: "").first)
            #expect(try await supply.withdraw(head, id: id).status == .cancelled)
            #expect(try await SupplyFixture.orderLines(db).isEmpty)
            #expect(try await OrderStore(db).orderedUnder(agreementID: inForce) == 0)
        }
    }
}

@Suite("Supply-problem tickets on both engines: file, answer, escalate, verify into monitoring and credit records (004 §7, §8; 001 §2(四))")
struct SupplyTicketTests {
    static let p0211 = TicketRequest(
        kind: .insufficientSupply, productCode: "P0211", region: "", from: MonthKey(year: 2026, month: 6)!, through: MonthKey(year: 2026, month: 7)!,
        description: "6月起配送企业多次缺货")

    @Test(
        "A ticket's whole life: refusals change nothing, the firms answer, the city verifies: one supply problem, two credit entries",
        arguments: TestDatabases.engines)
    func life(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            await expectRefused(.forbidden) { _ = try await supply.fileTicket(try await supply.scope("B1", SupplyFixture.carrier), Self.p0211) }
            var bad = Self.p0211
            bad.productCode = "P0112"
            await expectRefused(.badProduct) { _ = try await supply.fileTicket(head, bad) }
            bad = Self.p0211
            bad.description = " "
            await expectRefused(.noteRequired) { _ = try await supply.fileTicket(head, bad) }
            bad = Self.p0211
            bad.from = MonthKey(year: 2026, month: 8)!
            await expectRefused(.badPeriod) { _ = try await supply.fileTicket(head, bad) }
            bad = Self.p0211
            bad.region = "1402"
            await expectRefused(.badRegion) { _ = try await supply.fileTicket(try await supply.scope("B1", SupplyFixture.city), bad) }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_tickets") == 0)

            let id = try await supply.fileTicket(head, Self.p0211)
            var ticket = try await supply.ticketDetail(head, id: id).ticket
            #expect(ticket.manufacturerCode == F.manufacturer && ticket.distributorCode == AwardFixture.distributors[0])
            #expect(ticket.unitKey == "V02" && ticket.status == .open)
            #expect(ticket.answerDue == CivilDate(2026, 7, 4) && ticket.verifyDue == CivilDate(2026, 7, 9), "3 and 5 calendar days")
            let city = try await supply.scope("B1", SupplyFixture.city)
            await expectRefused(.ticketState) { _ = try await supply.decideTicket(city, id: id, verify: true, note: "x") }
            let maker = try await supply.scope("B1", SupplyFixture.maker)
            let other = try await supply.scope(
                "B1", Principal(username: "m2", role: .manufacturer, organisationCode: AwardFixture.maker2))
            await expectRefused(.ticketNotFound) { _ = try await supply.answerTicket(other, id: id, text: "与我无关") }
            await expectRefused(.forbidden) { _ = try await supply.answerTicket(head, id: id, text: "x") }
            #expect(try await supply.answerTicket(maker, id: id, text: "原料短缺，7月中旬恢复").status == .open)
            await expectRefused(.alreadyAnswered) { _ = try await supply.answerTicket(maker, id: id, text: "again") }
            ticket = try await supply.answerTicket(try await supply.scope("B1", SupplyFixture.carrier), id: id, text: "库存不足")
            #expect(ticket.status == .answered)

            // Past the verification deadline the ticket has gone up to the province.
            let late = SupplyFixture.service(db, 7, 10)
            let province = try await late.scope("B1", Principal(username: "p", role: .provinceReviewer, regionCode: "140000"))
            #expect(try await late.ticketsPage(province, status: nil, escalatedOnly: true, page: PageRequest()).0.total == 1)
            #expect(try await supply.ticketsPage(province, status: nil, escalatedOnly: true, page: PageRequest()).0.total == 0)
            let otherCity = try await supply.scope("B1", Principal(username: "c2", role: .cityReviewer, regionCode: "140200"))
            await expectRefused(.ticketNotFound) { _ = try await supply.decideTicket(otherCity, id: id, verify: true, note: "x") }

            ticket = try await supply.decideTicket(city, id: id, verify: true, note: "经核实，6—7月供应不足属实")
            #expect(ticket.status == .verified)
            await expectRefused(.ticketState) { _ = try await supply.decideTicket(city, id: id, verify: false, note: "x") }
            let problems = try await MonitorStore(db).problems(batchID: head.batch.id)
            #expect(problems.count == 1)
            let problem = try #require(problems.first?.problem)
            #expect(problem.unit.key == "V02" && problem.regionPrefix == ticket.regionPrefix && problem.from.yyyymm == 202606)
            #expect(problem.covers(unit: problem.unit, regionCode: ticket.regionPrefix, month: MonthKey(year: 2026, month: 7)!))
            let credit = try await supply.credit(city, page: PageRequest()).items
            #expect(Set(credit.map(\.firmCode)) == [F.manufacturer, AwardFixture.distributors[0]])
            #expect(try await supply.credit(maker, page: PageRequest()).items.count == 1, "a firm sees its own record")
            await expectRefused(.forbidden) { _ = try await supply.credit(head, page: PageRequest()) }
        }
    }

    @Test(
        "Firms that let the deadline pass: the city may decide without answers, and a dismissal records no problem", arguments: TestDatabases.engines)
    func dismissal(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let id = try await supply.fileTicket(try await supply.scope("B1", SupplyFixture.head), Self.p0211)
            let later = SupplyFixture.service(db, 7, 5)
            let city = try await later.scope("B1", SupplyFixture.city)
            #expect(try await later.ticketDetail(city, id: id).mayDecide)
            #expect(try await later.decideTicket(city, id: id, verify: false, note: "系医院订单填报错误").status == .dismissed)
            #expect(try await MonitorStore(db).problems(batchID: city.batch.id).isEmpty)
            await expectRefused(.ticketState) {
                _ = try await later.answerTicket(try await later.scope("B1", SupplyFixture.maker), id: id, text: "x")
            }
        }
    }
}

@Suite("Prepayment and direct settlement on both engines (003 §8(一), 004 §6): runs, approval, offsets, recovery, books to the fen")
struct SupplySettlementTests {
    /// The hospital buys 10 packs of P0211 in July (28.00 yuan), invoiced in full, 10.00 paid by the hospital itself.
    static func july(_ db: DB, inForce: Int64) async throws -> Int64 {
        let supply = SupplyFixture.service(db)
        let head = try await supply.scope("B1", SupplyFixture.head)
        let carrier = try await supply.scope("B1", SupplyFixture.carrier)
        let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 10)], note: "").first)
        _ = try await supply.confirm(carrier, id: order)
        let expiry = try #require(CivilDate(2028, 6, 30))
        let delivery = try await supply.ship(
            carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 10, lot: "L", expiry: expiry, codes: [])])
        _ = try await supply.accept(head, deliveryID: delivery, lines: [])
        let day = try #require(CivilDate(2026, 7, 1))
        _ = try await supply.record(carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 2800, on: day)
        _ = try await supply.record(head, deliveryID: delivery, kind: .payment, number: "P1", amountFen: 1000, on: day)
        return delivery
    }

    struct Stop: Error {}

    @Test(
        "Prepay, run July, approve: the fund pays the unpaid invoiced amount, the prepayment is offset by completion, all once",
        arguments: TestDatabases.engines)
    func settlement(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let delivery = try await Self.july(db, inForce: inForce)
            let august = SupplyFixture.service(db, 8, 2)
            let province = try await august.commandScope("B1")
            let yearStart = try #require(CivilDate(2026, 3, 1))
            await expectRefused(.forbidden) {
                _ = try await august.payPrepayment(try await august.scope("B1", SupplyFixture.city), yearStart: yearStart)
            }
            let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital))
            let hospitalAgreed = try #require(
                try await AgreementStore(db).agreedByYear(batchID: province.batch.id).first {
                    $0.institutionID == hospital.id && $0.year.start == yearStart
                })
            let paid = try await august.payPrepayment(province, yearStart: yearStart)
            #expect(paid.institutions >= 1)
            await expectRefused(.prepaymentExists) { _ = try await august.payPrepayment(province, yearStart: yearStart) }
            let prepayment = Prepayment.amount(yearAgreedFen: hospitalAgreed.amountFen, share: .percent(50))

            // A run stopped after writing its lines leaves nothing.
            await #expect(throws: Stop.self) {
                _ = try await august.runSettlement(province, month: MonthKey(year: 2026, month: 7)!, interrupt: { throw Stop() })
            }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_settlements") == 0)
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_settlement_lines") == 0)
            await expectRefused(.badDate) { _ = try await august.runSettlement(province, month: MonthKey(year: 2026, month: 8)!) }

            let run = try await august.runSettlement(province, month: MonthKey(year: 2026, month: 7)!)
            let expectedOffset = Prepayment.offset(prepaymentFen: prepayment, acceptedFen: 2800, agreedFen: hospitalAgreed.amountFen, offsetSoFar: 0)
            #expect(run.status == .draft && run.directFen == 1800, "28.00 invoiced less 10.00 the hospital paid")
            #expect(run.offsetFen == expectedOffset && expectedOffset > 0)
            let approved = try await august.approveSettlement(province, id: run.id)
            #expect(approved.status == .approved)
            await expectRefused(.settlementApproved) { _ = try await august.approveSettlement(province, id: run.id) }
            let stored = try #require(try await DeliveryStore(db).delivery(batchID: province.batch.id, id: delivery))
            #expect(stored.paidFen == 2800 && stored.unpaidFen == 0, "paid by the hospital and the fund together")

            // The statement: the city sees the hospital's part; the distributor its own; the manufacturer nothing.
            let statement = try await august.statement(try await august.scope("B1", SupplyFixture.city), id: run.id)
            let part = try #require(statement.institutions.first { $0.code == F.hospital })
            #expect(part.directFen == 1800 && part.offsetFen == expectedOffset && part.netFen == 1800 - expectedOffset)
            let firm = try await august.statement(try await august.scope("B1", SupplyFixture.carrier), id: run.id)
            #expect(firm.firms.map(\.totalFen) == [1800] && firm.institutions.allSatisfy { $0.offsetFen == 0 })
            await expectRefused(.forbidden) { _ = try await august.statement(try await august.scope("B1", SupplyFixture.maker), id: run.id) }
            let workbook = try august.statementWorkbook(statement, language: .zh)
            #expect(workbook.count > 1000)

            // The contract's implementation in OCDS: the delivery a milestone met, the hospital's and the fund's payments
            // its transactions, adding up to the accepted value.
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("ocds-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: url) }
            try await OCDSExport(db: db).write(batchCode: "B1", at: Date(), to: url)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let release = try #require((json["releases"] as? [[String: Any]])?.first)
            #expect((release["tag"] as? [String])?.contains("implementation") == true)
            let contract = try #require((release["contracts"] as? [[String: Any]])?.first { $0["id"] as? String == "agreement-\(inForce)" })
            let implementation = try #require(contract["implementation"] as? [String: Any])
            let milestones = try #require(implementation["milestones"] as? [[String: Any]])
            #expect(milestones.count == 1 && milestones.first?["status"] as? String == "met")
            let transactions = try #require(implementation["transactions"] as? [[String: Any]])
            let amounts = transactions.compactMap { ($0["value"] as? [String: Any])?["amount"] as? NSNumber }.map { $0.decimalValue }
            #expect(amounts.reduce(0, +) == Decimal(28), "10.00 by the hospital and 18.00 by the fund")
            #expect(transactions.contains { $0["source"] as? String == "urn:jicai:direct-settlement" })

            // A second run finds nothing left to pay and no new completion.
            let next = try await SupplyFixture.service(db, 9, 2).runSettlement(province, month: MonthKey(year: 2026, month: 8)!)
            #expect(next.directFen == 0 && next.offsetFen == 0)
        }
    }

    @Test(
        "The ledger balances to the fen: prepayment = offsets + recovered + balance, and after recovery the balance is 0",
        arguments: TestDatabases.engines)
    func books(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            _ = try await Self.july(db, inForce: inForce)
            let august = SupplyFixture.service(db, 8, 2)
            let province = try await august.commandScope("B1")
            let yearStart = try #require(CivilDate(2026, 3, 1))
            _ = try await august.payPrepayment(province, yearStart: yearStart)
            let run = try await august.runSettlement(province, month: MonthKey(year: 2026, month: 7)!)
            _ = try await august.approveSettlement(province, id: run.id)
            await expectRefused(.badDate) { _ = try await august.recoverPrepayment(province, yearStart: yearStart) }
            let rows = try await august.prepayments(province, page: PageRequest(size: 100)).items
            let hospitalRow = try #require(rows.first { $0.institutionCode == F.hospital })
            #expect(hospitalRow.offsetsFen == run.offsetFen && hospitalRow.balanceFen == hospitalRow.prepaymentFen - run.offsetFen)
            #expect(hospitalRow.recoveryDeadline == CivilDate(2027, 8, 31), "two months after the year's last day, 2027-06-30")
            let own = try await august.prepayments(try await august.scope("B1", SupplyFixture.head), page: PageRequest()).items
            #expect(own.map(\.institutionCode) == [F.hospital])
            // Paged in the engine: pages of one row walk the same rows in the same order, with the same total.
            var walked: [String] = []
            for number in 1...rows.count {
                let page = try await august.prepayments(province, page: PageRequest(number: number, size: 1))
                #expect(page.total == Int64(rows.count))
                walked += page.items.map(\.institutionCode)
            }
            #expect(walked == rows.map(\.institutionCode) && rows.count > 1)
            await expectRefused(.forbidden) {
                _ = try await august.prepayments(try await august.scope("B1", SupplyFixture.carrier), page: PageRequest())
            }

            let laterYear = SupplyService(db: db, now: { ReportingWindow.shanghai(2027, 7, 2, 10) })
            let recovered = try await laterYear.recoverPrepayment(try await laterYear.commandScope("B1"), yearStart: yearStart)
            let after = try await laterYear.prepayments(try await laterYear.commandScope("B1"), page: PageRequest(size: 100)).items
            #expect(after.allSatisfy { $0.balanceFen == 0 })
            let prepaid = after.reduce(0) { $0 + $1.prepaymentFen }
            #expect(prepaid == after.reduce(0) { $0 + $1.offsetsFen } + recovered.totalFen, "every fen paid out is offset or recovered")
            let ledger: Int64 = try await db.scalar(
                "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'prepayment' THEN amount_fen ELSE -amount_fen END), 0) AS BIGINT) AS v FROM supply_prepayments"
            )
            #expect(ledger == 0, "the ledger sums to zero once every balance is recovered")
        }
    }
}

@Suite("Traceability codes at settlement on both engines (001 §2(五)): the product part checked, a code settled twice raised with both occurrences")
struct SupplyCodeTests {
    @Test(
        "Codes settled: wrong length or product part refused whole; a second settlement of a code, or a code twice, is an anomaly",
        arguments: TestDatabases.engines)
    func settled(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let (inForce, _) = try await SupplyFixture.load(db)
            let supply = SupplyFixture.service(db)
            let head = try await supply.scope("B1", SupplyFixture.head)
            let carrier = try await supply.scope("B1", SupplyFixture.carrier)
            _ = try await SupplyFixture.shipped(supply, inForce: inForce, packs: 3, codes: SupplyFixture.codes(1, 3))
            let day = try #require(CivilDate(2026, 7, 1))
            await expectRefused(.badTraceCode) {
                _ = try await supply.captureCodes(head, productCode: "P0211", day: day, codes: ["81000020000000000001"])
            }
            await expectRefused(.badTraceCode) { _ = try await supply.captureCodes(head, productCode: "P0211", day: day, codes: ["123"]) }
            await expectRefused(.badProduct) {
                _ = try await supply.captureCodes(head, productCode: "P0112", day: day, codes: SupplyFixture.codes(1, 1))
            }
            await expectRefused(.forbidden) {
                _ = try await supply.captureCodes(carrier, productCode: "P0211", day: day, codes: SupplyFixture.codes(1, 1))
            }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_trace_codes WHERE stage = 'settlement'") == 0)

            #expect(
                try await supply.captureCodes(head, productCode: "P0211", day: day, codes: SupplyFixture.codes(1, 3))
                    == .init(captured: 3, anomalies: 0))
            let township = try await supply.scope("B1", SupplyFixture.township)
            let twice = SupplyFixture.codes(2, 1) + SupplyFixture.codes(9, 1) + SupplyFixture.codes(9, 1)
            #expect(try await supply.captureCodes(township, productCode: "P0211", day: day, codes: twice) == .init(captured: 3, anomalies: 2))
            let city = try await supply.codeAnomalies(try await supply.scope("B1", SupplyFixture.city), page: PageRequest()).items
            #expect(city.count == 2)
            let across = try #require(city.first { $0.code == SupplyFixture.codes(2, 1)[0] })
            #expect(across.firstInstitutionCode == F.hospital && across.secondInstitutionCode == F.township, "both occurrences")
            #expect(try await supply.codeAnomalies(head, page: PageRequest()).items.map(\.code) == [across.code])
            await expectRefused(.forbidden) { _ = try await supply.codeAnomalies(carrier, page: PageRequest()) }
        }
    }
}

@Suite("Product parts on both engines: the manufacturer registers them; deliveries and settlements are checked against them (001 §2(五))")
struct ProductPartsServiceTests {
    @Test("Registered parts: only the product's manufacturer registers them; then a shipment or a settlement with another part is refused")
    func registered() async throws {
        for engine in TestDatabases.engines {
            try await TestDatabases.with(engine) { db in
                let (inForce, _) = try await SupplyFixture.load(db)
                let supply = SupplyFixture.service(db)
                let head = try await supply.scope("B1", SupplyFixture.head)
                let carrier = try await supply.scope("B1", SupplyFixture.carrier)
                let maker = try await supply.scope("B1", SupplyFixture.maker)
                await expectRefused(.forbidden) { _ = try await supply.registerProductParts(head, productCode: "P0211", parts: "8100009") }
                await expectRefused(.forbidden) { _ = try await supply.productParts(head) }
                await expectRefused(.badTraceCode) { _ = try await supply.registerProductParts(maker, productCode: "P0211", parts: "81000") }
                await expectRefused(.badProduct) { _ = try await supply.registerProductParts(maker, productCode: "P9999", parts: "8100009") }
                let own = try await supply.productParts(maker)
                #expect(!own.isEmpty && own.allSatisfy { $0.manufacturerCode == F.manufacturer })
                let row = try await supply.registerProductParts(maker, productCode: "P0211", parts: "8100009")
                #expect(row.parts.registered == ["8100009"])
                let city = try await supply.productParts(try await supply.scope("B1", SupplyFixture.city))
                #expect(city.first { $0.productCode == "P0211" }?.parts.registered == ["8100009"], "the bureaus see every product's")

                let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: inForce, packs: 2)], note: "").first)
                _ = try await supply.confirm(carrier, id: order)
                let expiry = try #require(CivilDate(2028, 6, 30))
                await expectRefused(.badTraceCode) {
                    _ = try await supply.ship(
                        carrier, orderID: order,
                        lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L", expiry: expiry, codes: SupplyFixture.codes(1, 2))])
                }
                let registeredCodes = (1...2).map { "8100009" + String(format: "%013d", $0) }
                _ = try await supply.ship(
                    carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L", expiry: expiry, codes: registeredCodes)])
                let day = try #require(CivilDate(2026, 7, 1))
                await expectRefused(.badTraceCode) {
                    _ = try await supply.captureCodes(head, productCode: "P0211", day: day, codes: SupplyFixture.codes(5, 1))
                }
                #expect(
                    try await supply.captureCodes(head, productCode: "P0211", day: day, codes: registeredCodes) == .init(captured: 2, anomalies: 0))
                _ = try await supply.registerProductParts(maker, productCode: "P0211", parts: "")
                #expect(
                    try await supply.productParts(maker).first { $0.productCode == "P0211" }?.parts.expected == ["8100009"],
                    "cleared: the delivered parts")
                #expect(try await db.scalar("SELECT COUNT(*) AS v FROM audit_log WHERE action = 'register' AND entity = 'trace_codes'") == 2)
            }
        }
    }
}

@Suite("Supply files on both engines: orders, invoices and payments, settled codes; a bad row writes nothing")
struct SupplyImportTests {
    static func file(_ name: String, _ lines: [String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supply-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    static func failure(_ body: () async throws -> Void) async -> [ImportIssue] {
        do {
            try await body()
            Issue.record("the file was not refused")
        } catch let failure as ImportFailure {
            return failure.issues
        } catch {
            Issue.record("unexpected \(error)")
        }
        return []
    }

    @Test("An institution's orders file: one order per hospital order number; an unknown product or a repeated line refuses the whole file")
    func orders() async throws {
        for engine in TestDatabases.engines {
            try await TestDatabases.with(engine) { db in
                _ = try await SupplyFixture.load(db)
                let supply = SupplyFixture.service(db)
                let head = try await supply.scope("B1", SupplyFixture.head)
                let header = "院内订单号,产品编码,数量（包装）,备注"
                // The rows' shape first, then repeated lines, then the batch: each step reports every row it finds.
                let shape = try Self.file("orders.csv", [header, "HIS-1,P0211,3,", "HIS-3,P0211,0,", "HIS-3,P0211,2.5,"])
                #expect(await Self.failure { _ = try await supply.importOrders(head, path: shape) }.map(\.row) == [3, 4])
                let twice = try Self.file("orders.csv", [header, "HIS-1,P0211,3,", "HIS-1,P0211,2,"])
                #expect(await Self.failure { _ = try await supply.importOrders(head, path: twice) }.map(\.row) == [3])
                let unknown = try Self.file("orders.csv", [header, "HIS-1,P0211,3,", "HIS-2,P0112,1,", "HIS-2,P9999,1,"])
                let issues = await Self.failure { _ = try await supply.importOrders(head, path: unknown) }
                #expect(issues.map(\.row) == [3, 4] && issues.allSatisfy { $0.column == "产品编码" }, "\(issues.map { $0.text(.en) })")
                #expect(try await SupplyFixture.orderLines(db).isEmpty, "nothing written")
                let good = try Self.file("orders.csv", ["院内订单号,产品编码,数量（包装）,备注", "HIS-1,P0211,3,急用", "HIS-2,P0211,2,"])
                let summary = try await supply.importOrders(head, path: good)
                #expect(summary.rows == 2 && summary.inserted == 2)
                let orders = try await supply.ordersPage(head, status: nil, page: PageRequest()).page.items
                #expect(orders.count == 2 && orders.allSatisfy { $0.status == .placed && $0.institutionCode == F.hospital })
                #expect(orders.contains { $0.note.hasPrefix("HIS-1") && $0.note.contains("急用") })
                let carrier = try await supply.scope("B1", SupplyFixture.carrier)
                await expectRefused(.forbidden) { _ = try await supply.importOrders(carrier, path: good) }
            }
        }
    }

    @Test("Invoices from the distributor and payments from the institution by file, counted together per delivery (003 §8(一))")
    func money() async throws {
        for engine in TestDatabases.engines {
            try await TestDatabases.with(engine) { db in
                let (inForce, _) = try await SupplyFixture.load(db)
                let supply = SupplyFixture.service(db, 7, 20)
                let head = try await supply.scope("B1", SupplyFixture.head)
                let carrier = try await supply.scope("B1", SupplyFixture.carrier)
                let (_, delivery) = try await SupplyFixture.shipped(supply, inForce: inForce, packs: 4)
                _ = try await supply.accept(head, deliveryID: delivery, lines: [])
                let number = StoredDelivery.number(delivery)
                let header = "配送单号,票据号,金额（元）,日期"
                let tooMuch = try Self.file(
                    "invoices.csv", [header, "\(number),F1,6.00,2026-07-20", "\(number),F2,5.21,2026-07-20", "PS9,F3,1,2026-07-20"])
                let issues = await Self.failure { _ = try await supply.importMoney(carrier, path: tooMuch) }
                #expect(issues.map(\.row) == [3, 4] && issues.first?.column == "金额（元）", "\(issues.map { $0.text(.en) })")
                #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_payments") == 0, "nothing written")
                let invoices = try Self.file("invoices.csv", [header, "\(number),F1,6.00,2026-07-20", "\(number),F2,5.20,2026-07-20"])
                #expect(try await supply.importMoney(carrier, path: invoices).inserted == 2)
                let payments = try Self.file("payments.csv", [header, "\(number.lowercased()),P1,11.20,2026-07-20"])
                #expect(try await supply.importMoney(head, path: payments).inserted == 1)
                let stored = try #require(try await DeliveryStore(db).delivery(batchID: 1, id: delivery))
                #expect(stored.invoicedFen == 1120 && stored.paidFen == 1120)
                let late = try Self.file("payments.csv", [header, "\(number),P2,1,2026-07-21"])
                let again = await Self.failure { _ = try await supply.importMoney(head, path: late) }
                #expect(again.map(\.column) == ["日期"], "a day after today")
            }
        }
    }

    @Test("Settled codes by file (001 §2(五)): a wrong product part refuses the file; a code settled before is an anomaly")
    func codes() async throws {
        for engine in TestDatabases.engines {
            try await TestDatabases.with(engine) { db in
                let (inForce, _) = try await SupplyFixture.load(db)
                let supply = SupplyFixture.service(db)
                let head = try await supply.scope("B1", SupplyFixture.head)
                _ = try await SupplyFixture.shipped(supply, inForce: inForce, packs: 3, codes: SupplyFixture.codes(1, 3))
                let codes = SupplyFixture.codes(1, 3)
                let header = "追溯码,产品编码,结算日期"
                let shape = try Self.file("codes.csv", [header, "\(codes[0]),P0211,2026-07-01", "123,P0211,2026-07-01", "\(codes[1]),P0211,7月1日"])
                let shapeIssues = await Self.failure { _ = try await supply.importSettledCodes(head, path: shape) }
                #expect(shapeIssues.map(\.column) == ["追溯码", "结算日期"], "\(shapeIssues.map { $0.text(.en) })")
                let rows = [
                    header, "\(codes[0]),P0211,2026-07-01", "81000020000000000001,P0211,2026-07-01", "\(codes[1]),P0112,2026-07-01",
                    "\(codes[2]),P0211,2026-07-09",
                ]
                let issues = await Self.failure { _ = try await supply.importSettledCodes(head, path: try Self.file("codes.csv", rows)) }
                #expect(issues.map(\.column) == ["追溯码", "产品编码", "结算日期"], "\(issues.map { $0.text(.en) })")
                #expect(try await db.scalar("SELECT COUNT(*) AS v FROM supply_trace_codes WHERE stage = 'settlement'") == 0)
                let good = try Self.file(
                    "codes.csv", [header, "\(codes[0]),P0211,2026-06-30", "\(codes[1]),P0211,2026-07-01", "\(codes[0]),P0211,2026-07-01"])
                let done = try await supply.importSettledCodes(head, path: good)
                #expect(done.summary.inserted == 3 && done.anomalies == 1, "the first code settled on 30 June and again on 1 July")
                #expect(try await supply.codeAnomalies(head, page: PageRequest()).items.map(\.code) == [codes[0]])
            }
        }
    }
}
