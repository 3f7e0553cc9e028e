import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices
@testable import JicaiWeb

/// Supply on the web fixture: the award published (execution from 2026-01-01), the hospital's P0211 agreement signed
/// by the hospital's head, the manufacturer and the distributor; the clock on 2026-03-02.
enum SupplyWebFixture {
    static let march = ReportingWindow.shanghai(2026, 3, 2, 10)

    /// Returns the hospital's P0211 agreement, now in force.
    static func load(_ app: Application) async throws -> Int64 {
        try await AwardWebFixture.prepare(app)
        try await AwardWebFixture.publish(app)
        let id = try await AwardWebFixture.agreementID(app, institution: TestFixtures.hospital, product: "P0211")
        let agreements = AgreementService(db: DB(app.db), now: { WebFixture.t0 })
        for signer in [
            Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital),
            Principal(username: "maker", role: .manufacturer, organisationCode: TestFixtures.manufacturer),
            Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier),
        ] {
            _ = try await agreements.sign(batchCode: "B1", id: id, by: signer, actor: .cli)
        }
        return id
    }

    /// The supply tables and the order's purchase lines as text, to show a refused request changed nothing.
    static func state(_ app: Application) async throws -> String {
        struct Row: Decodable { var v: String? }
        var out = ""
        for query: SQLQueryString in [
            "SELECT GROUP_CONCAT(id || ':' || status || ':' || version, ';') AS v FROM supply_orders",
            "SELECT GROUP_CONCAT(order_id || ':' || shipped || ':' || accepted || ':' || rejected || ':' || closed, ';') AS v FROM supply_order_lines",
            "SELECT GROUP_CONCAT(id || ':' || COALESCE(accept_date, '') || ':' || amount_fen, ';') AS v FROM supply_deliveries",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_trace_codes",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_product_parts",
            "SELECT GROUP_CONCAT(kind || ':' || amount_fen, ';') AS v FROM supply_payments",
            "SELECT CAST(COUNT(*) AS TEXT) || ':' || CAST(SUM(quantity) AS TEXT) AS v FROM purchases WHERE source = 'order'",
        ] {
            out += (try await DB(app.db).first(query, as: Row.self)?.v ?? "") + "\n"
        }
        return out
    }

    static func codes(_ count: Int) -> String {
        (1...count).map { "8100001" + String(format: "%013d", $0) }.joined(separator: "\n")
    }
}

@Suite("Supply on the web: order, ship with codes, accept, invoice and pay; who may do what (003 §4, §8(一); 004 §6; 001 §2(五))", .serialized)
struct SupplyWebTests {
    static let users = AwardWebTests.users
    static let regionStaff = AwardWebTests.regionStaff

    @Test("Through the pages: the hospital orders, the distributor confirms and ships with codes, the hospital accepts with a rejection and pays")
    func flow() async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let head = Browser(app)
            _ = try await head.login("head")
            var page = try await head.get("/batches/B1")
            #expect(page.body.string.contains("stage-supply-new"))
            page = try await head.get("/batches/B1/supply/new")
            #expect(page.status == .ok && page.body.string.contains("name=\"q\(agreement)\""))
            var r = try await head.post("/batches/B1/supply/orders", [("q\(agreement)", "abc")])
            #expect(r.status == .seeOther && head.flash?.contains("数量") == true, "\(head.flash ?? "")")
            r = try await head.post("/batches/B1/supply/orders", [("q\(agreement)", "10"), ("note", "三月")])
            let orderPath = try #require(r.location)
            #expect(orderPath.hasPrefix("/batches/B1/supply/orders/"), "\(orderPath)")
            page = try await head.get(orderPath)
            #expect(page.body.string.contains("data-status=\"placed\"") && page.body.string.contains("withdraw-order"))

            let carrier = Browser(app)
            _ = try await carrier.login("carrier")
            page = try await carrier.get("/batches/B1")
            #expect(page.body.string.contains("待确认订单1张"), "the batch home says what waits for the distributor")
            page = try await carrier.get("/batches/B1/supply")
            #expect(page.body.string.contains("order-link"))
            try await carrier.get(orderPath)
            r = try await carrier.post(orderPath + "/confirm", [])
            #expect(carrier.flash?.contains("待配送") == true, "\(carrier.flash ?? "")")
            page = try await carrier.get(orderPath)
            #expect(page.body.string.contains("ship-form"))
            r = try await carrier.post(
                orderPath + "/ship", [("packs1", "6"), ("lot1", "L2603"), ("expiry1", "2028-02-29"), ("codes1", SupplyWebFixture.codes(5))])
            #expect(carrier.flash?.contains("BAD_TRACE_CODE") == true || carrier.flash?.contains("一包装一码") == true, "\(carrier.flash ?? "")")
            r = try await carrier.post(
                orderPath + "/ship", [("packs1", "6"), ("lot1", "L2603"), ("expiry1", "2028-02-29"), ("codes1", SupplyWebFixture.codes(6))])
            #expect(carrier.flash?.contains("已发货") == true, "\(carrier.flash ?? "")")

            page = try await head.get("/batches/B1")
            #expect(page.body.string.contains("待验收订单1张"), "the batch home says what waits for the hospital")
            page = try await head.get(orderPath)
            let body = page.body.string
            #expect(body.contains("data-status=\"delivered\"") && body.contains("accept-delivery"))
            let delivery = try #require(body.range(of: "id=\"delivery-").map { body[$0.upperBound...].prefix { $0.isNumber } }.map(String.init))
            page = try await head.get("/batches/B1/supply/deliveries/\(delivery)/codes?line=1")
            #expect(page.body.string.contains("81000010000000000006"))
            r = try await head.post(
                "/batches/B1/supply/deliveries/\(delivery)/accept",
                [("order", String(orderPath.split(separator: "/").last ?? "")), ("accepted1", "5"), ("rejected1", "1"), ("reason1", "")])
            #expect(head.flash?.contains("原因") == true, "\(head.flash ?? "")")
            r = try await head.post(
                "/batches/B1/supply/deliveries/\(delivery)/accept", [("accepted1", "5"), ("rejected1", "1"), ("reason1", "外包装破损")])
            #expect(head.flash?.contains("2026-04-30") == true, "due by the end of April: \(head.flash ?? "")")

            try await carrier.get(orderPath)
            r = try await carrier.post(
                "/batches/B1/supply/deliveries/\(delivery)/invoice", [("number", "FP001"), ("amount", "14.00"), ("date", "2026-03-02")])
            #expect(carrier.flash?.contains("已登记发票") == true, "\(carrier.flash ?? "")")
            try await head.get(orderPath)
            r = try await head.post(
                "/batches/B1/supply/deliveries/\(delivery)/pay", [("number", "ZF001"), ("amount", "14.01"), ("date", "2026-03-02")])
            #expect(head.flash?.contains("PAY_TOO_MUCH") == true || head.flash?.contains("超过") == true, "\(head.flash ?? "")")
            r = try await head.post("/batches/B1/supply/deliveries/\(delivery)/pay", [("number", "ZF001"), ("amount", "14"), ("date", "2026-03-02")])
            #expect(head.flash?.contains("已登记付款") == true, "\(head.flash ?? "")")

            let city = Browser(app)
            _ = try await city.login("city1401")
            page = try await city.get("/batches/B1/supply/payables")
            #expect(page.body.string.contains("2026-04-30") && page.body.string.contains("14.00"))
            page = try await city.get("/batches/B1/supply/payables?overdue=1")
            #expect(!page.body.string.contains("2026-04-30"), "nothing is overdue on 2 March")
        }
    }

    @Test("Who may do what in supply: every supply route under every role; refused requests change nothing")
    func matrix() async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let headScope = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let order = try #require(
                try await supply.placeOrder(headScope, lines: [OrderRequestLine(agreementID: agreement, packs: 4)], note: "").first)
            let carrierScope = try await supply.scope(
                "B1", Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier))
            _ = try await supply.confirm(carrierScope, id: order)
            let expiry = try #require(CivilDate(2028, 1, 31))
            let delivery = try await supply.ship(
                carrierScope, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L1", expiry: expiry, codes: [])])
            let browsers = try await Self.browsers(app)
            let parties: Set<String> = ["admin", "province", "city1401", "hospital", "head", "maker", "carrier"]
            let reads: [(String, Set<String>)] = [
                ("/batches/B1/supply", Set(Self.users)),
                ("/batches/B1/supply/payables", Set(Self.users)),
                ("/batches/B1/supply/new", AwardWebTests.institutions),
                ("/batches/B1/supply/orders/\(order)", parties),
                ("/batches/B1/supply/deliveries/\(delivery)/codes?line=1", parties),
            ]
            try await Self.walk(reads: reads, browsers)
            // Lists are scoped: another city and another institution see none of the hospital's orders.
            for user in ["city1402", "datong", "township"] {
                #expect(try await browsers[user]!.get("/batches/B1/supply").body.string.contains("order-link") == false, "\(user)")
            }
            let writes: [(String, [(String, String)], Set<String>)] = [
                ("/batches/B1/supply/orders", [("q\(agreement)", "1")], ["hospital", "head"]),
                ("/batches/B1/supply/orders/\(order)/confirm", [], []),
                ("/batches/B1/supply/orders/\(order)/withdraw", [], []),
                ("/batches/B1/supply/orders/\(order)/close", [], []),
                ("/batches/B1/supply/orders/\(order)/ship", [("packs1", "1"), ("lot1", "L"), ("expiry1", "2028-01-31")], ["carrier"]),
                ("/batches/B1/supply/deliveries/\(delivery)/accept", [("accepted1", "2"), ("rejected1", "0")], ["hospital", "head"]),
                ("/batches/B1/supply/deliveries/\(delivery)/invoice", [("number", "F"), ("amount", "1"), ("date", "2026-03-02")], []),
                ("/batches/B1/supply/deliveries/\(delivery)/pay", [("number", "P"), ("amount", "1"), ("date", "2026-03-02")], []),
            ]
            try await Self.walk(writes: writes, browsers) { try await SupplyWebFixture.state(app) }
            let before = try await SupplyWebFixture.state(app)
            _ = try await browsers["carrier"]!.post("/batches/B1/supply/orders/\(order)/confirm", [])
            #expect(try await SupplyWebFixture.state(app) == before, "a second confirmation changes nothing")
            _ = try await browsers["head"]!.post("/batches/B1/supply/deliveries/\(delivery)/accept", [("accepted1", "2"), ("rejected1", "0")])
            #expect(try await SupplyWebFixture.state(app) != before, "the hospital's acceptance lands")
        }
    }
}

extension SupplyWebTests {
    static func csv(_ lines: [String]) -> (field: String, name: String, type: String, data: Data) {
        ("file", "supply.csv", "text/csv", Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    @Test("Supply files through the pages: orders, invoices, payments and settled codes uploaded; refused uploads and bad files change nothing")
    func uploads() async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let headScope = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let carrierScope = try await supply.scope(
                "B1", Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier))
            let order = try #require(
                try await supply.placeOrder(headScope, lines: [OrderRequestLine(agreementID: agreement, packs: 4)], note: "").first)
            _ = try await supply.confirm(carrierScope, id: order)
            let delivery = try await supply.ship(
                carrierScope, orderID: order,
                lines: [ShipmentLine(lineNo: 1, packs: 4, lot: "L1", expiry: try #require(CivilDate(2028, 1, 31)), codes: [])])
            _ = try await supply.accept(headScope, deliveryID: delivery, lines: [])
            let number = StoredDelivery.number(delivery)
            let orders = ["院内订单号,产品编码,数量（包装）", "HIS-1,P0211,2"]
            let invoices = ["配送单号,票据号,金额（元）,日期", "\(number),F1,11.20,2026-03-02"]
            let codes = ["追溯码,产品编码,结算日期", "81000010000000000001,P0211,2026-03-01"]
            let browsers = try await Self.browsers(app)
            let uploads: [(String, [String], Set<String>)] = [
                ("/batches/B1/supply/orders/import", orders, ["hospital", "head"]),
                ("/batches/B1/supply/payables/import", invoices, ["carrier"]),
                ("/batches/B1/supply/trace-codes/import", codes, AwardWebTests.institutions),
            ]
            for (path, lines, allowed) in uploads {
                for user in Self.users where !allowed.contains(user) {
                    let before = try await SupplyWebFixture.state(app)
                    try await browsers[user]!.upload(path, fields: [], file: Self.csv(lines))
                    #expect(try await SupplyWebFixture.state(app) == before, "\(path) by \(user) changed data")
                }
            }
            let head = try #require(browsers["head"])
            let before = try await SupplyWebFixture.state(app)
            try await head.upload("/batches/B1/supply/orders/import", fields: [], file: Self.csv(orders + ["HIS-2,P0112,1"]))
            #expect(head.flash?.contains("第3行") == true, "\(head.flash ?? "")")
            #expect(try await SupplyWebFixture.state(app) == before, "a bad file writes nothing")
            try await head.upload("/batches/B1/supply/orders/import", fields: [], file: Self.csv(orders))
            #expect(head.flash?.contains("新增1条") == true, "\(head.flash ?? "")")
            let carrier = try #require(browsers["carrier"])
            try await carrier.upload("/batches/B1/supply/payables/import", fields: [], file: Self.csv(invoices))
            #expect(carrier.flash?.contains("新增1条") == true, "\(carrier.flash ?? "")")
            try await head.upload(
                "/batches/B1/supply/payables/import", fields: [], file: Self.csv(["配送单号,票据号,金额（元）,日期", "\(number),P1,11.20,2026-03-02"]))
            #expect(head.flash?.contains("新增1条") == true, "\(head.flash ?? "")")
            try await head.upload("/batches/B1/supply/trace-codes/import", fields: [], file: Self.csv(codes))
            #expect(head.flash?.contains("重复结算0个") == true, "\(head.flash ?? "")")
            let after = try await SupplyWebFixture.state(app)
            #expect(after.contains("invoice:1120") && after.contains("payment:1120"), "\(after)")
            let page = try await head.get("/batches/B1/supply/new")
            #expect(page.body.string.contains("import-orders-form"))
            // The same file from the command line, as another institution's account: the code was settled before.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("codes-\(UUID()).csv")
            try Self.csv(codes).data.write(to: file)
            let cli = try await run(
                app, ["supply", "import", "--batch", "B1", "--kind", "codes", "--file", file.path, "--as", "township", "--lang", "en"])
            #expect(cli.ok && cli.output.contains("1 of them settled before"), "\(cli.output)")
            let anonymous = try await run(app, ["supply", "import", "--batch", "B1", "--kind", "codes", "--file", file.path])
            #expect(!anonymous.ok && anonymous.output.contains("--as"))
        }
    }

    @Test("Snapshots of the supply pages, Chinese and English", arguments: [false, true])
    func snapshots(english: Bool) async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let head = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let carrier = try await supply.scope("B1", Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier))
            let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: agreement, packs: 4)], note: "急用").first)
            _ = try await supply.confirm(carrier, id: order)
            let expiry = try #require(CivilDate(2028, 1, 31))
            let codes = (1...2).map { "8100001" + String(format: "%013d", $0) }
            let delivery = try await supply.ship(
                carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L1", expiry: expiry, codes: codes)])
            _ = try await supply.accept(head, deliveryID: delivery, lines: [AcceptanceLine(lineNo: 1, accepted: 1, rejected: 1, reason: "破损")])
            let lang = english ? "en" : "zh"
            func page(_ user: String, _ path: String, _ name: String) async throws {
                let browser = try await SnapshotTests.browser(app, user, english: english)
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(name): \(response.status)")
                Snapshot.check(Snapshot.html(response.body.string), "pages/\(name).\(lang).html")
            }
            try await page("head", "/batches/B1/supply", "supply-orders")
            try await page("head", "/batches/B1/supply/new", "supply-new-order")
            try await page("head", "/batches/B1/supply/orders/\(order)", "supply-order-institution")
            try await page("carrier", "/batches/B1/supply/orders/\(order)", "supply-order-distributor")
            try await page("city1401", "/batches/B1/supply/payables", "supply-payables")
            try await page("head", "/batches/B1/supply/deliveries/\(delivery)/codes?line=1", "supply-codes")
            let ticket = try await supply.fileTicket(
                head,
                TicketRequest(
                    kind: .lateDelivery, productCode: "P0211", region: "", from: MonthKey(year: 2026, month: 3)!,
                    through: MonthKey(year: 2026, month: 3)!, description: "订单超过3天未送达"))
            _ = try await supply.answerTicket(
                try await supply.scope("B1", Principal(username: "maker", role: .manufacturer, organisationCode: TestFixtures.manufacturer)),
                id: ticket,
                text: "已安排补送")
            try await page("head", "/batches/B1/supply/tickets", "supply-tickets")
            try await page("carrier", "/batches/B1/supply/tickets/\(ticket)", "supply-ticket-distributor")
            let admin = try await supply.commandScope("B1")
            _ = try await supply.payPrepayment(admin, yearStart: try #require(CivilDate(2026, 1, 1)))
            let run = try await supply.runSettlement(admin, month: MonthKey(year: 2026, month: 2)!)
            try await page("admin", "/batches/B1/supply/settlements", "supply-settlements")
            try await page("admin", "/batches/B1/supply/settlements/\(run.id)", "supply-statement")
            try await page("admin", "/batches/B1/supply/prepayments", "supply-prepayments")
            try await page("head", "/batches/B1/supply/trace-codes", "supply-trace-codes")
            try await page("maker", "/batches/B1/supply/product-parts", "supply-product-parts")
        }
    }
}

extension SupplyWebTests {
    @Test("Over the API: order, confirm, ship with codes, accept, invoice, pay; bodies checked against their schemas and snapshots")
    func apiFlow() async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let head = try await APIClient(app, user: "head")
            let base = "/api/v1/batches/B1/supply"
            try await head.snapshot(
                .POST, base + "/orders", "supply-place", body: #"{"lines":[{"agreementId":\#(agreement),"packs":4}],"note":"急用"}"#,
                schema: "OrderIDs", bodySchema: "OrderRequest")
            try await head.snapshot(
                .POST, base + "/orders", "supply-place-refused", body: #"{"lines":[{"agreementId":\#(agreement),"packs":0}]}"#,
                status: .badRequest, schema: "Error")
            try await head.snapshot(.GET, base + "/orders", "supply-orders", schema: "OrderList")
            let carrier = try await APIClient(app, user: "carrier")
            try await carrier.snapshot(.POST, base + "/orders/1/confirm", "supply-confirm", schema: "Order")
            let shipment =
                #"{"lines":[{"lineNo":1,"packs":2,"lot":"L1","expiry":"2028-01-31","codes":["81000010000000000001","81000010000000000002"]}]}"#
            try await carrier.snapshot(.POST, base + "/orders/1/ship", "supply-ship", body: shipment, schema: "Order", bodySchema: "Shipment")
            try await carrier.snapshot(
                .POST, base + "/orders/1/ship", "supply-ship-duplicate",
                body: #"{"lines":[{"lineNo":1,"packs":1,"lot":"L1","expiry":"2028-01-31","codes":["81000010000000000001"]}]}"#, status: .conflict,
                schema: "Error")
            try await head.snapshot(.GET, base + "/deliveries/1/codes?line=1", "supply-codes", schema: "TraceCodes")
            try await head.snapshot(
                .POST, base + "/deliveries/1/accept", "supply-accept",
                body: #"{"lines":[{"lineNo":1,"accepted":1,"rejected":1,"reason":"破损"}]}"#, schema: "Delivery", bodySchema: "Acceptance")
            try await carrier.snapshot(
                .POST, base + "/deliveries/1/invoice", "supply-invoice", body: #"{"number":"FP1","amountFen":280,"date":"2026-03-02"}"#,
                schema: "Delivery", bodySchema: "Money")
            try await head.snapshot(
                .POST, base + "/deliveries/1/pay", "supply-pay-too-much", body: #"{"number":"ZF1","amountFen":281,"date":"2026-03-02"}"#,
                status: .badRequest, schema: "Error")
            try await head.snapshot(
                .POST, base + "/deliveries/1/pay", "supply-pay", body: #"{"number":"ZF1","amountFen":280,"date":"2026-03-02"}"#,
                schema: "Delivery", bodySchema: "Money")
            try await head.snapshot(.GET, base + "/orders/1", "supply-order", schema: "Order")
            let city = try await APIClient(app, user: "city1401")
            try await city.snapshot(.GET, base + "/payables", "supply-payables", schema: "PayableList")
        }
    }

    @Test("Over the API, who may do what: every supply API route under every role; refused requests change nothing")
    func apiMatrix() async throws {
        try await withWeb(clock: TestClock(SupplyWebFixture.march)) { app in
            let agreement = try await SupplyWebFixture.load(app)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let head = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let carrier = try await supply.scope("B1", Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier))
            let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: agreement, packs: 4)], note: "").first)
            _ = try await supply.confirm(carrier, id: order)
            let expiry = try #require(CivilDate(2028, 1, 31))
            let delivery = try await supply.ship(
                carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 2, lot: "L1", expiry: expiry, codes: [])])
            let base = "/api/v1/batches/B1/supply"
            let parties: Set<String> = ["admin", "province", "city1401", "hospital", "head", "maker", "carrier"]
            let reads: [(String, Set<String>)] = [
                (base + "/orders", Set(Self.users)), (base + "/payables", Set(Self.users)), (base + "/orders/\(order)", parties),
                (base + "/deliveries/\(delivery)/codes", parties),
            ]
            let writes: [(String, String, Set<String>)] = [
                (base + "/orders", #"{"lines":[{"agreementId":\#(agreement),"packs":1}]}"#, ["hospital", "head"]),
                (base + "/orders/\(order)/confirm", "{}", []), (base + "/orders/\(order)/withdraw", "{}", []),
                (base + "/orders/\(order)/close", "{}", []),
                (base + "/orders/\(order)/ship", #"{"lines":[{"lineNo":1,"packs":1,"lot":"L","expiry":"2028-01-31"}]}"#, ["carrier"]),
                (base + "/deliveries/\(delivery)/accept", #"{"lines":[{"lineNo":1,"accepted":2,"rejected":0}]}"#, ["hospital", "head"]),
                (base + "/deliveries/\(delivery)/invoice", #"{"number":"F","amountFen":1,"date":"2026-03-02"}"#, []),
                (base + "/deliveries/\(delivery)/pay", #"{"number":"P","amountFen":1,"date":"2026-03-02"}"#, []),
            ]
            try await Self.walkAPI(app, reads: reads, writes: writes) { try await SupplyWebFixture.state(app) }
        }
    }
}

extension SupplyWebTests {
    /// The hospital's accepted, invoiced delivery of 4 packs (11.20 yuan) on 2 March.
    static func delivered(_ app: Application, agreement: Int64) async throws -> (order: Int64, delivery: Int64) {
        let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
        let head = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
        let carrier = try await supply.scope("B1", Principal(username: "carrier", role: .distributor, organisationCode: AwardWebFixture.carrier))
        let order = try #require(try await supply.placeOrder(head, lines: [OrderRequestLine(agreementID: agreement, packs: 4)], note: "").first)
        _ = try await supply.confirm(carrier, id: order)
        let expiry = try #require(CivilDate(2028, 1, 31))
        let delivery = try await supply.ship(
            carrier, orderID: order, lines: [ShipmentLine(lineNo: 1, packs: 4, lot: "L1", expiry: expiry, codes: [])])
        _ = try await supply.accept(head, deliveryID: delivery, lines: [])
        _ = try await supply.record(
            carrier, deliveryID: delivery, kind: .invoice, number: "F1", amountFen: 1120, on: try #require(CivilDate(2026, 3, 2)))
        return (order, delivery)
    }

    @Test("Through the pages: a ticket filed, answered by both firms and verified by the city; a prepayment, a settlement run and its approval")
    func oversightFlow() async throws {
        let clock = TestClock(SupplyWebFixture.march)
        try await withWeb(clock: clock) { app in
            let agreement = try await SupplyWebFixture.load(app)
            _ = try await Self.delivered(app, agreement: agreement)
            let head = Browser(app)
            _ = try await head.login("head")
            var page = try await head.get("/batches/B1/supply/tickets")
            #expect(page.body.string.contains("ticket-form") && page.body.string.contains("P0211"))
            var r = try await head.post(
                "/batches/B1/supply/tickets",
                [
                    ("kind", "lateDelivery"), ("product", "P0211"), ("region", ""), ("from", "2026-03"), ("through", "2026-03"),
                    ("description", "订单超过3天未送达"),
                ])
            #expect(head.flash?.contains("GD00000001") == true, "\(head.flash ?? "")")
            for firm in ["maker", "carrier"] {
                let browser = Browser(app)
                _ = try await browser.login(firm)
                page = try await browser.get("/batches/B1/supply/tickets/1")
                #expect(page.body.string.contains("answer-form"), "\(firm)")
                r = try await browser.post("/batches/B1/supply/tickets/1/answer", [("text", "已安排补送")])
                #expect(browser.flash?.contains("已答复") == true, "\(browser.flash ?? "")")
            }
            let city = Browser(app)
            _ = try await city.login("city1401")
            page = try await city.get("/batches/B1/supply/tickets/1")
            #expect(page.body.string.contains("decide-form") && page.body.string.contains("data-status=\"answered\""))
            r = try await city.post("/batches/B1/supply/tickets/1/decide", [("note", "核实属实"), ("verify", "1")])
            #expect(city.flash?.contains("已认定") == true, "\(city.flash ?? "")")
            page = try await city.get("/batches/B1/supply/credit")
            #expect(page.body.string.contains("晋药配送有限公司"))

            let admin = Browser(app)
            _ = try await admin.login("admin")
            page = try await admin.get("/batches/B1/supply/prepayments")
            #expect(page.body.string.contains("pay-prepayment"))
            r = try await admin.post("/batches/B1/supply/prepayments/pay", [("year", "2026-01-01")])
            #expect(admin.flash?.contains("已拨付") == true, "\(admin.flash ?? "")")
            clock.set(ReportingWindow.shanghai(2026, 4, 2, 10))
            _ = try await admin.login("admin")  // a month later the session has lapsed
            try await admin.get("/batches/B1/supply/settlements")
            r = try await admin.post("/batches/B1/supply/settlements", [("month", "2026-03")])
            let statementPath = try #require(r.location)
            page = try await admin.get(statementPath)
            #expect(page.body.string.contains("11.20") && page.body.string.contains("approve-settlement"))
            r = try await admin.post(statementPath + "/approve", [])
            #expect(admin.flash?.contains("已审核") == true, "\(admin.flash ?? "")")
            let xlsx = try await admin.get(statementPath + "/statement.xlsx")
            #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1000)
            r = try await admin.post(statementPath + "/approve", [])
            #expect(admin.flash?.contains("不可更改") == true, "a second approval is refused: \(admin.flash ?? "")")
        }
    }

    @Test("Who may do what with tickets, settlements and prepayments: every route under every role; refused requests change nothing")
    func oversightMatrix() async throws {
        let clock = TestClock(SupplyWebFixture.march)
        try await withWeb(clock: clock) { app in
            let agreement = try await SupplyWebFixture.load(app)
            _ = try await Self.delivered(app, agreement: agreement)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let head = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let ticket = try await supply.fileTicket(
                head,
                TicketRequest(
                    kind: .other, productCode: "P0211", region: "", from: MonthKey(year: 2026, month: 3)!, through: MonthKey(year: 2026, month: 3)!,
                    description: "x"))
            clock.set(ReportingWindow.shanghai(2026, 4, 2, 10))
            let later = SupplyService(db: DB(app.db), now: { ReportingWindow.shanghai(2026, 4, 2, 10) })
            let run = try await later.runSettlement(try await later.commandScope("B1"), month: MonthKey(year: 2026, month: 3)!)
            let browsers = try await Self.browsers(app)
            let bureaus: Set<String> = ["admin", "province", "city1401", "city1402"]
            let reads: [(String, Set<String>)] = [
                ("/batches/B1/supply/tickets", Set(Self.users)),
                ("/batches/B1/supply/tickets/\(ticket)", ["admin", "province", "city1401", "hospital", "head", "maker", "carrier"]),
                ("/batches/B1/supply/credit", bureaus.union(["maker", "carrier"])),
                ("/batches/B1/supply/settlements", Set(Self.users).subtracting(["maker"])),
                ("/batches/B1/supply/settlements/\(run.id)", Set(Self.users).subtracting(["maker"])),
                ("/batches/B1/supply/settlements/\(run.id)/statement.xlsx", Set(Self.users).subtracting(["maker"])),
                ("/batches/B1/supply/prepayments", Set(Self.users).subtracting(["maker", "carrier"])),
                ("/batches/B1/supply/trace-codes", bureaus.union(AwardWebTests.institutions)),
                ("/batches/B1/supply/product-parts", bureaus.union(["maker"])),
            ]
            try await Self.walk(reads: reads, browsers)
            let writes: [(String, [(String, String)], Set<String>)] = [
                (
                    "/batches/B1/supply/tickets",
                    [("kind", "other"), ("product", "P0211"), ("from", "2026-03"), ("through", "2026-03"), ("description", "y")],
                    bureaus.union(AwardWebTests.institutions)
                ),
                ("/batches/B1/supply/tickets/\(ticket)/answer", [("text", "y")], ["maker", "carrier"]),
                ("/batches/B1/supply/tickets/\(ticket)/decide", [("note", "y"), ("verify", "1")], ["admin", "province", "city1401"]),
                ("/batches/B1/supply/settlements", [("month", "2026-03")], ["admin"]),
                ("/batches/B1/supply/settlements/\(run.id)/approve", [], ["admin"]),
                ("/batches/B1/supply/prepayments/pay", [("year", "2026-01-01")], ["admin"]),
                ("/batches/B1/supply/prepayments/recover", [("year", "2026-01-01")], []),
                (
                    "/batches/B1/supply/trace-codes", [("product", "P0211"), ("date", "2026-04-01"), ("codes", "81000010000000000001")],
                    AwardWebTests.institutions
                ),
                ("/batches/B1/supply/product-parts", [("product", "P0211"), ("parts", "8100009")], ["maker"]),
            ]
            try await Self.walk(writes: writes, browsers) { try await SupplyWebFixture.oversight(app) }
        }
    }
}

extension SupplyWebFixture {
    /// Tickets, credit entries, settlement runs and the prepayment ledger as text.
    static func oversight(_ app: Application) async throws -> String {
        struct Row: Decodable { var v: String? }
        var out = ""
        for query: SQLQueryString in [
            "SELECT GROUP_CONCAT(id || ':' || status || ':' || version, ';') AS v FROM supply_tickets",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_credit_entries",
            "SELECT GROUP_CONCAT(id || ':' || status || ':' || direct_fen, ';') AS v FROM supply_settlements",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_prepayments",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_problems",
            "SELECT CAST(COUNT(*) AS TEXT) AS v FROM supply_trace_codes",
        ] {
            out += (try await DB(app.db).first(query, as: Row.self)?.v ?? "") + "\n"
        }
        return out
    }
}

extension SupplyWebTests {
    @Test("Over the API: a ticket filed, answered, verified; a prepayment, a run and its approval; bodies against schemas and snapshots")
    func apiOversight() async throws {
        let clock = TestClock(SupplyWebFixture.march)
        try await withWeb(clock: clock) { app in
            let agreement = try await SupplyWebFixture.load(app)
            _ = try await Self.delivered(app, agreement: agreement)
            let base = "/api/v1/batches/B1/supply"
            let head = try await APIClient(app, user: "head")
            try await head.snapshot(
                .POST, base + "/tickets", "supply-ticket-file",
                body: #"{"kind":"lateDelivery","productCode":"P0211","from":"2026-03","through":"2026-03","description":"订单超过3天未送达"}"#,
                schema: "Ticket", bodySchema: "TicketRequest")
            let maker = try await APIClient(app, user: "maker")
            try await maker.snapshot(
                .POST, base + "/tickets/1/answer", "supply-ticket-answer", body: #"{"text":"已安排补送"}"#, schema: "Ticket", bodySchema: "TicketAction")
            try await maker.snapshot(
                .POST, base + "/tickets/1/answer", "supply-ticket-answer-twice", body: #"{"text":"again"}"#, status: .conflict, schema: "Error")
            let carrier = try await APIClient(app, user: "carrier")
            try await carrier.snapshot(.POST, base + "/tickets/1/answer", "supply-ticket-answer-2", body: #"{"text":"已补送"}"#, schema: "Ticket")
            let city = try await APIClient(app, user: "city1401")
            try await city.snapshot(
                .POST, base + "/tickets/1/decide", "supply-ticket-verify", body: #"{"verify":true,"note":"核实属实"}"#, schema: "Ticket",
                bodySchema: "TicketAction")
            try await city.snapshot(.GET, base + "/tickets", "supply-tickets", schema: "TicketList")
            try await city.snapshot(.GET, base + "/credit", "supply-credit", schema: "CreditList")
            let admin = try await APIClient(app, user: "admin")
            try await admin.snapshot(
                .POST, base + "/prepayments/pay", "supply-prepay", body: #"{"yearStart":"2026-01-01"}"#, schema: "PrepaymentResult",
                bodySchema: "PrepaymentRequest")
            clock.set(ReportingWindow.shanghai(2026, 4, 2, 10))
            let later = try await APIClient(app, user: "admin")
            try await later.snapshot(
                .POST, base + "/settlements", "supply-settlement-run", body: #"{"month":"2026-03"}"#, schema: "SettlementRun",
                bodySchema: "SettlementRequest")
            try await later.snapshot(.GET, base + "/settlements/1", "supply-statement", schema: "Statement")
            try await later.snapshot(.POST, base + "/settlements/1/approve", "supply-settlement-approve", schema: "SettlementRun")
            try await later.snapshot(.POST, base + "/settlements/1/approve", "supply-settlement-approve-twice", status: .conflict, schema: "Error")
            try await later.snapshot(.GET, base + "/settlements", "supply-settlements", schema: "SettlementRunList")
            try await later.snapshot(.GET, base + "/prepayments", "supply-prepayments", schema: "PrepaymentList")
            let hospital = try await APIClient(app, user: "hospital")
            let codes = #"{"productCode":"P0211","date":"2026-04-01","codes":["81000010000000000001","81000010000000000001"]}"#
            try await hospital.snapshot(
                .POST, base + "/trace-codes", "supply-codes-capture", body: codes, schema: "CodeCapture", bodySchema: "CodeCaptureRequest")
            try await hospital.snapshot(.GET, base + "/trace-codes", "supply-code-anomalies", schema: "CodeAnomalyList")
            let makerLater = try await APIClient(app, user: "maker")
            try await makerLater.snapshot(
                .POST, base + "/product-parts", "supply-product-parts-register", body: #"{"productCode":"P0211","parts":["8100001","8100002"]}"#,
                schema: "ProductParts", bodySchema: "ProductPartsRequest")
            try await later.snapshot(.GET, base + "/product-parts", "supply-product-parts", schema: "ProductPartsList")
        }
    }

    @Test("Over the API, who may do what with tickets, settlements and prepayments; refused requests change nothing")
    func apiOversightMatrix() async throws {
        let clock = TestClock(SupplyWebFixture.march)
        try await withWeb(clock: clock) { app in
            let agreement = try await SupplyWebFixture.load(app)
            _ = try await Self.delivered(app, agreement: agreement)
            let supply = SupplyService(db: DB(app.db), now: { SupplyWebFixture.march })
            let head = try await supply.scope("B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let ticket = try await supply.fileTicket(
                head,
                TicketRequest(
                    kind: .other, productCode: "P0211", region: "", from: MonthKey(year: 2026, month: 3)!, through: MonthKey(year: 2026, month: 3)!,
                    description: "x"))
            clock.set(ReportingWindow.shanghai(2026, 4, 2, 10))
            let later = SupplyService(db: DB(app.db), now: { ReportingWindow.shanghai(2026, 4, 2, 10) })
            let run = try await later.runSettlement(try await later.commandScope("B1"), month: MonthKey(year: 2026, month: 3)!)
            let base = "/api/v1/batches/B1/supply"
            let bureaus: Set<String> = ["admin", "province", "city1401", "city1402"]
            let reads: [(String, Set<String>)] = [
                (base + "/tickets", Set(Self.users)),
                (base + "/tickets/\(ticket)", ["admin", "province", "city1401", "hospital", "head", "maker", "carrier"]),
                (base + "/credit", bureaus.union(["maker", "carrier"])), (base + "/settlements", Set(Self.users).subtracting(["maker"])),
                (base + "/settlements/\(run.id)", Set(Self.users).subtracting(["maker"])),
                (base + "/prepayments", Set(Self.users).subtracting(["maker", "carrier"])),
                (base + "/trace-codes", bureaus.union(AwardWebTests.institutions)), (base + "/product-parts", bureaus.union(["maker"])),
            ]
            let writes: [(String, String, Set<String>)] = [
                (
                    base + "/tickets", #"{"kind":"other","productCode":"P0211","from":"2026-04","through":"2026-04","description":"y"}"#,
                    bureaus.union(AwardWebTests.institutions)
                ),
                (base + "/tickets/\(ticket)/answer", #"{"text":"y"}"#, ["maker", "carrier"]),
                (base + "/tickets/\(ticket)/decide", #"{"verify":true,"note":"y"}"#, ["admin", "province", "city1401"]),
                (base + "/settlements", #"{"month":"2026-03"}"#, ["admin"]), (base + "/settlements/\(run.id)/approve", "{}", ["admin"]),
                (base + "/prepayments/pay", #"{"yearStart":"2026-01-01"}"#, ["admin"]),
                (base + "/prepayments/recover", #"{"yearStart":"2026-01-01"}"#, []),
                (base + "/product-parts", #"{"productCode":"P0211","parts":["8100009"]}"#, ["maker"]),
            ]
            try await Self.walkAPI(app, reads: reads, writes: writes) { try await SupplyWebFixture.oversight(app) }
        }
    }
}

/// The matrices' walks: every read under every role (allowed: 200; else 403 or 404), every write by each role not
/// allowed it (refused, and the state unchanged).
extension SupplyWebTests {
    static func browsers(_ app: Application) async throws -> [String: Browser] {
        var browsers: [String: Browser] = [:]
        for user in users {
            let browser = Browser(app)
            _ = try await browser.login(user)
            try await browser.get("/batches/B1/supply")
            browsers[user] = browser
        }
        return browsers
    }

    static func expectStatus(_ status: HTTPStatus, allowed: Bool, _ what: String) {
        if allowed {
            #expect(status == .ok, "\(what): \(status)")
        } else {
            #expect([.forbidden, .notFound].contains(status), "\(what): \(status)")
        }
    }

    static func walk(reads: [(String, Set<String>)], _ browsers: [String: Browser]) async throws {
        for (path, allowed) in reads {
            for user in users {
                let browser = try #require(browsers[user])
                expectStatus(try await browser.get(path).status, allowed: allowed.contains(user), "\(path) by \(user)")
            }
        }
    }

    static func walk(
        writes: [(String, [(String, String)], Set<String>)], _ browsers: [String: Browser], state: () async throws -> String
    ) async throws {
        for (path, fields, allowed) in writes {
            for user in users where !allowed.contains(user) {
                let browser = try #require(browsers[user])
                let before = try await state()
                _ = try await browser.post(path, fields)
                #expect(try await state() == before, "\(path) by \(user) changed data: \(browser.flash ?? "")")
            }
        }
    }

    static func walkAPI(
        _ app: Application, reads: [(String, Set<String>)], writes: [(String, String, Set<String>)], state: () async throws -> String
    ) async throws {
        for user in users {
            let client = try await APIClient(app, user: user)
            for (path, allowed) in reads {
                let status = try await client.browser.send(.GET, path, headers: [("X-CSRF-Token", client.csrf)]).status
                expectStatus(status, allowed: allowed.contains(user), "\(path) by \(user)")
            }
            for (path, body, allowed) in writes where !allowed.contains(user) {
                let before = try await state()
                let response = try await client.browser.send(
                    .POST, path, body: ByteBuffer(string: body), contentType: "application/json", headers: [("X-CSRF-Token", client.csrf)])
                #expect(response.status.code >= 400, "\(path) by \(user): \(response.status)")
                #expect(try await state() == before, "\(path) by \(user) changed data")
            }
        }
    }
}
