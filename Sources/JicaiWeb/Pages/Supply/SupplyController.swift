import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The supply stage's pages (供): the orders of the user's scope, the order form, one order with its deliveries and
/// the parties' actions, the payables, a line's traceability codes. Handlers are thin: the service decides who may
/// see and do what.
struct SupplyPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.batch(.any, .supply(.orders))) { req in try await orders(req) }
        routes.get(.batch(.any, .supply(.new))) { req in try await newOrder(req) }
        routes.post(.batch(.any, .supply(.place))) { req in try await place(req) }
        routes.get(.batch(.any, .supply(.payables))) { req in try await payables(req) }
        routes.get(.batch(.any, .order(.any, .view))) { req in try await order(req) }
        routes.post(.batch(.any, .order(.any, .confirm))) { req in try await orderAction(req) { try await $0.confirm($1, id: $2) } }
        routes.post(.batch(.any, .order(.any, .withdraw))) { req in try await orderAction(req) { try await $0.withdraw($1, id: $2) } }
        routes.post(.batch(.any, .order(.any, .close))) { req in try await orderAction(req) { try await $0.close($1, id: $2) } }
        routes.post(.batch(.any, .order(.any, .ship))) { req in try await ship(req) }
        routes.post(.batch(.any, .delivery(.any, .accept))) { req in try await accept(req) }
        routes.post(.batch(.any, .delivery(.any, .invoice))) { req in try await money(req, kind: .invoice) }
        routes.post(.batch(.any, .delivery(.any, .pay))) { req in try await money(req, kind: .payment) }
        routes.get(.batch(.any, .delivery(.any, .codes))) { req in try await codes(req) }
        routes.post(.batch(.any, .supply(.importOrders))) { req in
            try await importFile(req, back: .new) { supply, scope, path in try await supply.importOrders(scope, path: path).text }
        }
        routes.post(.batch(.any, .supply(.importMoney))) { req in
            try await importFile(req, back: .payables) { supply, scope, path in try await supply.importMoney(scope, path: path).text }
        }
        routes.post(.batch(.any, .supply(.importCodes))) { req in
            try await importFile(req, back: .traceCodes) { supply, scope, path in try await supply.importSettledCodes(scope, path: path).text }
        }
    }

    /// A file from a hospital or distributor system: checked whole by the service, its summary or its row issues
    /// flashed on the page it came from.
    func importFile(
        _ req: Request, back: SiteURL.SupplyPage, _ body: @escaping @Sendable (SupplyService, BatchScope, String) async throws -> LocalizedText
    ) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .supply(back)).path) {
            let upload = try TemporaryUpload.spreadsheet(req)
            defer { upload.remove() }
            return lang.t(try await body(deps.services(req).supply, try await req.scope(deps), upload.url.path))
        }
    }

    func crumbs(_ batch: BatchKey, _ name: String, _ titles: [(String, SiteURL?)]) -> [Crumb] {
        [Crumb(title: name, url: .batch(batch, .home))] + titles.map { Crumb(title: $0.0, url: $0.1) }
    }

    func supplyCrumb(_ req: Request, _ batch: BatchKey) -> (String, SiteURL?) {
        (req.lang.t("订单与配送", "Orders and deliveries"), .batch(batch, .supply(.orders)))
    }

    func orders(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let status = params["status"].flatMap(OrderStatus.init(rawValue:))
        let found = try await deps.services(req).supply.ordersPage(scope, status: status, page: params.page())
        let model = OrderListView.Model(
            batch: batch, page: found.page, counts: found.counts, status: status, access: found.access, params: params)
        let title = req.lang.t("订单与配送", "Orders and deliveries")
        let html = Layout.page(req, title: title, crumbs: crumbs(batch, scope.batch.name, [(title, nil)]), flash: Flashes.take(req)) {
            OrderListView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, html)
    }

    func newOrder(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let agreements = try await deps.services(req).supply.orderables(scope)
        let title = req.lang.t("新建订单", "New order")
        let model = NewOrderView.Model(batch: batch, agreements: agreements, csrf: req.currentUser?.csrf ?? "")
        let html = Layout.page(
            req, title: title, crumbs: crumbs(batch, scope.batch.name, [supplyCrumb(req, batch), (title, nil)]), flash: Flashes.take(req)
        ) {
            NewOrderView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, html)
    }

    /// The form's fields as text (`q12` packs of agreement 12, `packs1`/`lot1`/… of line 1).
    func fields(_ req: Request) throws -> [String: String] {
        try req.content.decode([String: String].self)
    }

    func place(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        let form = try fields(req)
        var placed: [Int64] = []
        let response = try await Flashes.act(req, back: SiteURL.batch(batch, .supply(.new)).path) {
            var lines: [OrderRequestLine] = []
            for (key, value) in form.sorted(by: { $0.key < $1.key }) where key.hasPrefix("q") {
                let packs = try number(value, empty: 0)
                guard packs != 0 else { continue }
                guard let id = Int64(key.dropFirst()) else { throw Refusal(.badQuantity) }
                lines.append(OrderRequestLine(agreementID: id, packs: packs))
            }
            placed = try await deps.services(req).supply.placeOrder(try await req.scope(deps), lines: lines, note: form["note"] ?? "")
            return lang.t("已提交\(placed.count)张订单", "\(placed.count) orders placed")
        }
        guard let first = placed.first else { return response }
        let text =
            placed.count == 1
            ? lang.t("已提交订单", "Order placed") : lang.t("已提交\(placed.count)张订单（每个配送企业一张）", "\(placed.count) orders placed (one per distributor)")
        return Flashes.redirect(req, to: SiteURL.batch(batch, .order(OrderKey(first), .view)).path, .ok(text))
    }

    func order(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let key = try OrderKey(req)
        let scope = try await req.scope(deps)
        let detail = try await deps.services(req).supply.orderDetail(scope, id: key.id)
        let title = req.lang.t("订单", "Order") + " " + detail.order.number
        let model = OrderView.Model(batch: batch, detail: detail, today: CivilDate(beijing: scope.ctx.at), csrf: req.currentUser?.csrf ?? "")
        let html = Layout.page(
            req, title: title, crumbs: crumbs(batch, scope.batch.name, [supplyCrumb(req, batch), (title, nil)]), flash: Flashes.take(req)
        ) {
            OrderView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, html)
    }

    func orderAction(_ req: Request, _ body: @escaping (SupplyService, BatchScope, Int64) async throws -> StoredOrder) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try OrderKey(req), req.lang)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .order(key, .view)).path) {
            let order = try await body(deps.services(req).supply, try await req.scope(deps), key.id)
            return lang.t("订单", "Order ") + order.number + lang.t("：", ": ") + lang.t(order.status.label)
        }
    }

    func ship(_ req: Request) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try OrderKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: SiteURL.batch(batch, .order(key, .view)).path) {
            var lines: [ShipmentLine] = []
            for (name, value) in form.sorted(by: { $0.key < $1.key }) where name.hasPrefix("packs") {
                let text = value.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, text != "0", let no = Int(name.dropFirst(5)) else { continue }
                let packs = try number(text, empty: 0)
                guard let expiry = CivilDate(text: form["expiry\(no)"] ?? "") else {
                    throw Refusal(.badDate, zh: "请填写第\(no)行的有效期", en: "enter the expiry of line \(no)")
                }
                let codes = (form["codes\(no)"] ?? "").split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "，" }).map(String.init)
                lines.append(ShipmentLine(lineNo: no, packs: packs, lot: form["lot\(no)"] ?? "", expiry: expiry, codes: codes))
            }
            let id = try await deps.services(req).supply.ship(try await req.scope(deps), orderID: key.id, lines: lines)
            return lang.t("已发货，配送单", "Shipped: delivery ") + StoredDelivery.number(id)
        }
    }

    /// The page to go back to after a delivery's form: its order's (the forms carry the order's number), else the list.
    func back(_ batch: BatchKey, _ form: [String: String]) -> String {
        guard let order = form["order"].flatMap(OrderKey.init(text:)) else { return SiteURL.batch(batch, .supply(.orders)).path }
        return SiteURL.batch(batch, .order(order, .view)).path
    }

    /// A whole number from a form field; an empty field is `empty`.
    func number(_ text: String?, empty: Int64) throws -> Int64 {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return empty }
        guard let value = Int64(trimmed) else {
            throw Refusal(.badQuantity, zh: "数量应为整数：\(trimmed.prefix(20))", en: "not a whole number: \(trimmed.prefix(20))")
        }
        return value
    }

    func accept(_ req: Request) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try DeliveryKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: back(batch, form)) {
            var lines: [AcceptanceLine] = []
            for (name, value) in form.sorted(by: { $0.key < $1.key }) where name.hasPrefix("accepted") {
                guard let no = Int(name.dropFirst(8)) else { continue }
                let (accepted, rejected) = (try number(value, empty: 0), try number(form["rejected\(no)"], empty: 0))
                lines.append(AcceptanceLine(lineNo: no, accepted: accepted, rejected: rejected, reason: form["reason\(no)"] ?? ""))
            }
            let delivery = try await deps.services(req).supply.accept(try await req.scope(deps), deliveryID: key.id, lines: lines)
            return lang.t(
                "已验收，应付\(Fen(delivery.amountFen).yuanText)元，付款期限\(delivery.dueDate?.description ?? "")",
                "Accepted: \(Fen(delivery.amountFen).yuanText) yuan owed, due by \(delivery.dueDate?.description ?? "")")
        }
    }

    func money(_ req: Request, kind: SupplyService.MoneyKind) async throws -> Response {
        let (batch, key, lang) = (try BatchKey(req), try DeliveryKey(req), req.lang)
        let form = try fields(req)
        return try await Flashes.act(req, back: back(batch, form)) {
            guard let amount = Fen(yuanText: (form["amount"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw Refusal(.badQuantity, zh: "金额应为元，最多两位小数", en: "the amount is in yuan with at most two decimals")
            }
            guard let day = CivilDate(text: form["date"] ?? "") else { throw Refusal(.badDate) }
            _ = try await deps.services(req).supply.record(
                try await req.scope(deps), deliveryID: key.id, kind: kind, number: form["number"] ?? "", amountFen: amount.value, on: day)
            return kind == .invoice ? lang.t("已登记发票", "Invoice recorded") : lang.t("已登记付款", "Payment recorded")
        }
    }

    func payables(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let overdue = params["overdue"] == "1"
        let (page, today) = try await deps.services(req).supply.payables(scope, overdueOnly: overdue, page: params.page())
        let title = req.lang.t("应付账款与回款期限", "Payables and payment deadlines")
        let access = try deps.services(req).supply.access(scope)
        let model = PayablesView.Model(
            batch: batch, page: page, today: today, overdueOnly: overdue, params: params,
            imports: access.records, csrf: req.currentUser?.csrf ?? "")
        let html = Layout.page(
            req, title: title, crumbs: crumbs(batch, scope.batch.name, [supplyCrumb(req, batch), (title, nil)]), flash: Flashes.take(req)
        ) {
            PayablesView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, html)
    }

    func codes(_ req: Request) async throws -> Response {
        let (batch, key) = (try BatchKey(req), try DeliveryKey(req))
        let line = req.query[String.self, at: "line"].flatMap { Int($0) } ?? 1
        let scope = try await req.scope(deps)
        let codes = try await deps.services(req).supply.codes(scope, deliveryID: key.id, lineNo: line)
        let title = req.lang.t("追溯码", "Traceability codes")
        return Layout.page(req, title: title, crumbs: crumbs(batch, scope.batch.name, [supplyCrumb(req, batch), (title, nil)])) {
            TraceCodesView(batch: batch, delivery: key.id, line: line, codes: codes, lang: req.lang).body
        }
    }
}
