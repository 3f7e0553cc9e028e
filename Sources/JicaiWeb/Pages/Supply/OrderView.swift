import Foundation
import JicaiCore
import JicaiServices

/// One order: its lines with what was shipped, accepted, rejected and is still to ship; its deliveries with lot,
/// expiry, codes, acceptance, invoices and payments; and the forms of what the user's party does next.
struct OrderView {
    struct Model: Sendable {
        var batch: BatchKey
        var detail: SupplyService.OrderDetail
        var today: CivilDate
        var csrf: String
    }

    let model: Model
    let lang: Lang
    var order: StoredOrder { model.detail.order }

    var body: Node {
        .fragment([
            el("h1") { lang.t("订单", "Order") + " " + order.number },
            el("p", .id("order-status"), .data("status", order.status.rawValue)) {
                el("strong") { lang.t(order.status.label) }
                " · " + lang.t("下单", "ordered") + " \(order.orderDate) · \(order.institutionName) → \(order.distributorName)"
                if let confirmed = order.confirmedDate { " · " + lang.t("确认于", "confirmed on") + " \(confirmed)" }
                if model.detail.confirmedLate {
                    " "
                    el("span", .class("overdue"), .id("confirmed-late")) { lang.t("配送企业确认超时", "confirmed late") }
                }
            },
            order.note.isEmpty ? .fragment([]) : el("p", .class("muted")) { lang.t("备注：", "Note: ") + order.note },
            lines,
            actions,
            deliveries,
        ])
    }

    var lines: Node {
        Layout.table(
            id: "order-lines",
            headers: [
                lang.t("行", "Line"), lang.t("产品", "Product"), lang.t("中选价（元/包装）", "Price (yuan/pack)"), lang.t("订购", "Ordered"),
                lang.t("已配送", "Shipped"), lang.t("已验收", "Accepted"), lang.t("拒收", "Rejected"), lang.t("待配送", "To ship"),
                lang.t("金额（元）", "Amount (yuan)"),
            ],
            rows: order.lines.map { line in
                let figures = line.figures
                return [
                    .text(String(line.lineNo)),
                    el("span") {
                        line.productCode
                        if line.beyondAgreed {
                            " "
                            el("span", .class("tag"), .data("beyond", "1")) { lang.t("超约定量", "beyond agreed") }
                        }
                    },
                    .text(Fen(line.packPriceFen).yuanText), .text(String(figures.ordered)), .text(String(figures.shipped)),
                    .text(String(figures.accepted)), .text(String(figures.rejected)), .text(String(figures.outstanding)),
                    .text(Fen(figures.ordered * line.packPriceFen).yuanText),
                ]
            })
    }

    var actions: Node {
        let detail = model.detail
        return el("div", .class("no-print"), .id("order-actions")) {
            if detail.mayConfirm { button(.confirm, lang.t("确认订单", "Confirm the order"), id: "confirm-order") }
            if detail.mayWithdraw { button(.withdraw, lang.t("撤回订单", "Withdraw the order"), id: "withdraw-order") }
            if detail.mayClose { button(.close, lang.t("结案（未配送部分不再配送）", "Close (the rest will not be shipped)"), id: "close-order") }
            if detail.mayShip { shipForm }
        }
    }

    func button(_ page: SiteURL.OrderPage, _ title: String, id: String) -> Node {
        Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .order(OrderKey(order.id), page)).path, id: id + "-form") {
            el("button", .type("submit"), .id(id)) { title }
        }
    }

    var shipForm: Node {
        Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .order(OrderKey(order.id), .ship)).path, id: "ship-form") {
            el("h2") { lang.t("配送", "Ship") }
            Layout.table(
                id: "ship-lines",
                headers: [
                    lang.t("产品", "Product"), lang.t("待配送", "To ship"), lang.t("本次配送（包装）", "Packs now"), lang.t("批号", "Lot"),
                    lang.t("有效期至", "Expiry"), lang.t("追溯码（每包装一个，每行一个）", "Traceability codes (one per pack, one per line)"),
                ],
                rows: order.lines.filter { $0.figures.outstanding > 0 }.map { line in
                    [
                        .text(line.productCode), .text(String(line.figures.outstanding)),
                        el("input", .type("number"), .name("packs\(line.lineNo)"), Attr("min", "0"), Attr("max", String(line.figures.outstanding))),
                        el("input", .type("text"), .name("lot\(line.lineNo)"), Attr("maxlength", String(InputLimits.maxReferenceCharacters))),
                        el("input", .type("date"), .name("expiry\(line.lineNo)")),
                        el("textarea", .name("codes\(line.lineNo)"), Attr("rows", "3")) { "" },
                    ]
                })
            el("button", .type("submit"), .id("ship")) { lang.t("确认发货", "Ship") }
        }
    }

    var deliveries: Node {
        el("div", .id("deliveries")) {
            el("h2") { lang.t("配送与验收", "Deliveries and acceptance") }
            if model.detail.deliveries.isEmpty { el("p", .class("muted")) { lang.t("尚无配送", "Nothing shipped yet") } }
            for delivery in model.detail.deliveries { DeliveryPart(model: model, delivery: delivery, lang: lang).body }
        }
    }
}

/// One delivery on the order page: its lines, the acceptance form or result, invoices and payments.
struct DeliveryPart {
    let model: OrderView.Model
    let delivery: StoredDelivery
    let lang: Lang

    var url: (SiteURL.DeliveryPage) -> String {
        { SiteURL.batch(model.batch, .delivery(DeliveryKey(delivery.id), $0)).path }
    }

    var body: Node {
        el("section", .class("delivery"), .id("delivery-\(delivery.id)"), .data("accepted", delivery.acceptDate == nil ? "0" : "1")) {
            el("h3") {
                delivery.number + " · " + lang.t("发货", "shipped") + " \(delivery.shipDate)"
                if let accepted = delivery.acceptDate { " · " + lang.t("验收", "accepted") + " \(accepted)" }
            }
            Layout.table(
                id: "delivery-\(delivery.id)-lines",
                headers: [
                    lang.t("行", "Line"), lang.t("包装数", "Packs"), lang.t("批号", "Lot"), lang.t("有效期至", "Expiry"), lang.t("追溯码", "Codes"),
                    lang.t("验收", "Accepted"), lang.t("拒收", "Rejected"), lang.t("拒收原因", "Reason"),
                ],
                rows: delivery.lines.map { line in
                    [
                        .text(String(line.lineNo)), .text(String(line.packs)), .text(line.lot), .text(line.expiry.description),
                        line.codes > 0
                            ? el("a", .href(url(.codes) + "?line=\(line.lineNo)")) { String(line.codes) } : .text("0"),
                        .text(line.accepted.map(String.init) ?? "—"), .text(line.rejected.map(String.init) ?? "—"), .text(line.reason),
                    ]
                })
            if delivery.acceptDate == nil, model.detail.access.orders { acceptForm }
            if delivery.acceptDate != nil { money }
        }
    }

    var acceptForm: Node {
        Layout.postForm(csrf: model.csrf, url(.accept), id: "accept-\(delivery.id)") {
            el("input", .type("hidden"), .name("order"), .value(String(delivery.orderID)))
            for line in delivery.lines {
                el("p") {
                    lang.t("第\(line.lineNo)行 验收", "Line \(line.lineNo): accept") + " "
                    el("input", .type("number"), .name("accepted\(line.lineNo)"), .value(String(line.packs)), Attr("min", "0"))
                    " " + lang.t("拒收", "reject") + " "
                    el("input", .type("number"), .name("rejected\(line.lineNo)"), .value("0"), Attr("min", "0"))
                    " " + lang.t("原因", "reason") + " "
                    el("input", .type("text"), .name("reason\(line.lineNo)"), Attr("maxlength", "500"))
                }
            }
            el("button", .type("submit"), .class("accept-delivery")) { lang.t("确认验收", "Accept") }
        }
    }

    var money: Node {
        let due = delivery.dueDate.map { PaymentTerms.overdueDays(due: $0, on: model.today) } ?? 0
        return el("div", .class("payable")) {
            el("p") {
                lang.t("应付", "Owed") + " \(Fen(delivery.amountFen).yuanText) " + lang.t("元，付款期限", "yuan, due by") + " "
                    + (delivery.dueDate?.description ?? "—")
                " · " + lang.t("已开票", "invoiced") + " \(Fen(delivery.invoicedFen).yuanText) · " + lang.t("已付", "paid")
                    + " \(Fen(delivery.paidFen).yuanText)"
                if delivery.unpaidFen > 0, due > 0 {
                    " "
                    el("span", .class("overdue"), .data("days", String(due))) { lang.t("逾期\(due)天", "\(due) days overdue") }
                }
            }
            if model.detail.access.ships, delivery.invoicedFen < delivery.amountFen {
                moneyForm(.invoice, lang.t("登记发票", "Record an invoice"), number: lang.t("发票号", "Invoice number"))
            }
            if model.detail.access.orders, delivery.paidFen < delivery.invoicedFen {
                moneyForm(.pay, lang.t("登记付款", "Record a payment"), number: lang.t("付款凭证号", "Payment reference"))
            }
        }
    }

    func moneyForm(_ page: SiteURL.DeliveryPage, _ title: String, number: String) -> Node {
        Layout.postForm(csrf: model.csrf, url(page), id: "\(page.rawValue)-\(delivery.id)") {
            el("input", .type("hidden"), .name("order"), .value(String(delivery.orderID)))
            el("label") {
                number + " "
                el("input", .type("text"), .name("number"), Attr("maxlength", String(InputLimits.maxReferenceCharacters)))
            }
            " "
            el("label") {
                lang.t("金额（元）", "Amount (yuan)") + " "
                el("input", .type("text"), .name("amount"), Attr("inputmode", "decimal"))
            }
            " "
            el("label") {
                lang.t("日期", "Date") + " "
                el("input", .type("date"), .name("date"), .value(model.today.description))
            }
            " "
            el("button", .type("submit")) { title }
        }
    }
}

/// The traceability codes of one delivered line.
struct TraceCodesView {
    let batch: BatchKey
    let delivery: Int64
    let line: Int
    let codes: [TraceCode]
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("追溯码", "Traceability codes") + " · " + lang.t("第\(line)行", "line \(line)") },
            el("p", .class("muted")) { lang.t("共\(codes.count)个", "\(codes.count) codes") },
            el("pre", .id("trace-codes")) { codes.map(\.text).joined(separator: "\n") },
        ])
    }
}
