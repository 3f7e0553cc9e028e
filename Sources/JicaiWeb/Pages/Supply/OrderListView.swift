import Foundation
import JicaiCore
import JicaiServices

/// The orders of the user's scope, newest first, with a tab per status; an institution's has a "new order" link.
struct OrderListView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<StoredOrder>
        var counts: [OrderStatus: Int64]
        var status: OrderStatus?
        var access: SupplyService.Access
        var params: ListParams
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("订单与配送", "Orders and deliveries") },
            el("p", .class("actions")) {
                if model.access.orders {
                    el("a", .href(SiteURL.batch(model.batch, .supply(.new)).path), .class("button"), .id("new-order")) { lang.t("新建订单", "New order") }
                    " "
                }
                el("a", .href(SiteURL.batch(model.batch, .supply(.payables)).path), .id("payables-link")) {
                    lang.t("应付账款与回款期限", "Payables and payment deadlines")
                }
                for (page, title, id) in links {
                    " · "
                    el("a", .href(SiteURL.batch(model.batch, .supply(page)).path), .id(id)) { title }
                }
            },
            tabs,
            Layout.pagedTable(
                id: "orders",
                headers: [
                    .text(lang.t("订单号", "Order")), .text(lang.t("下单日期", "Ordered on")), .text(lang.t("医疗机构", "Institution")),
                    .text(lang.t("配送企业", "Distributor")), .text(lang.t("状态", "Status")),
                ],
                rows: model.page.items.map(row)),
            model.page.items.isEmpty ? el("p", .class("muted"), .id("no-orders")) { lang.t("暂无订单", "No orders yet") } : .fragment([]),
            Layout.pager(lang, model.page, model.params, id: "orders-pager"),
        ])
    }

    /// The stage's other pages, as the user's part in them allows.
    var links: [(SiteURL.SupplyPage, String, String)] {
        let access = model.access
        var out: [(SiteURL.SupplyPage, String, String)] = [(.tickets, lang.t("供应问题工单", "Supply-problem tickets"), "tickets-link")]
        if access.orders || access.watches || access.ships {
            out.append((.settlements, lang.t("直接结算", "Direct settlement"), "settlements-link"))
        }
        if access.orders || access.watches { out.append((.prepayments, lang.t("预付金", "Prepayments"), "prepayments-link")) }
        if !access.orders { out.append((.credit, lang.t("企业信用记录", "Credit records"), "credit-link")) }
        if access.orders || access.watches { out.append((.traceCodes, lang.t("追溯码", "Traceability codes"), "trace-codes-link")) }
        if !access.orders && !access.ships { out.append((.productParts, lang.t("追溯码产品标识", "Code product parts"), "product-parts-link")) }
        return out
    }

    var tabs: Node {
        el("p", .class("filters"), .id("status-filter")) {
            el("a", .href(model.params.href(["status": nil, "page": nil])), .class(model.status == nil ? "active" : "")) {
                lang.t("全部", "All") + "（\(model.counts.values.reduce(0, +))）"
            }
            for status in OrderStatus.allCases {
                " · "
                el(
                    "a", .href(model.params.href(["status": status.rawValue, "page": nil])), .class(model.status == status ? "active" : ""),
                    .data("status", status.rawValue)
                ) { lang.t(status.label) + "（\(model.counts[status] ?? 0)）" }
            }
        }
    }

    func row(_ order: StoredOrder) -> [Node] {
        [
            el("a", .href(SiteURL.batch(model.batch, .order(OrderKey(order.id), .view)).path), .class("order-link")) { order.number },
            .text(order.orderDate.description), .text(order.institutionName), .text(order.distributorName),
            el("span", .data("status", order.status.rawValue)) { lang.t(order.status.label) },
        ]
    }
}

/// The institution's order form: its agreements in force, packs to order for each; one order per distributor.
struct NewOrderView {
    struct Model: Sendable {
        var batch: BatchKey
        var agreements: [StoredAgreement]
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("新建订单", "New order") },
            el("p", .class("muted")) {
                lang.t(
                    "按中选价格订购（元/包装）；超出约定采购量的部分在采购周期内仍按中选价格供应。每个配送企业生成一张订单。",
                    "Ordered at the winning price per pack; beyond the agreed quantity the winning price holds until the cycle ends. One order per distributor."
                )
            },
            model.agreements.isEmpty
                ? el("p", .id("no-agreements")) {
                    lang.t("没有可订购的已生效协议（协议须三方签署并确定配送企业）", "No agreement in force to order under (signed by all three parties, with a distributor)")
                }
                : Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(.place)).path, id: "order-form") {
                    Layout.table(
                        id: "orderables",
                        headers: [
                            lang.t("协议", "Agreement"), lang.t("产品", "Product"), lang.t("生产企业", "Manufacturer"), lang.t("配送企业", "Distributor"),
                            lang.t("约定量（最小单位）", "Agreed (minimal units)"), lang.t("订购数量（包装）", "Packs to order"),
                        ],
                        rows: model.agreements.map(row))
                    el("p") {
                        el("label") {
                            lang.t("备注", "Note") + " "
                            el("input", .type("text"), .name("note"), Attr("maxlength", "500"))
                        }
                    }
                    el("button", .type("submit"), .id("place-order")) { lang.t("提交订单", "Place the order") }
                },
            SupplyImportForm(
                url: .batch(model.batch, .supply(.importOrders)), id: "orders", csrf: model.csrf,
                label: lang.t("从医院信息系统导入订单（院内订单号、产品编码、数量）", "Import orders from the hospital system (order number, product, packs)"), lang: lang
            ).body,
        ])
    }

    func row(_ agreement: StoredAgreement) -> [Node] {
        [
            .text("#\(agreement.id)"), .text("\(agreement.productCode)（\(agreement.specCode)）"), .text(agreement.manufacturerName),
            .text(agreement.distributorName ?? ""), .text(String(agreement.quantity)),
            el("input", .type("number"), .name("q\(agreement.id)"), Attr("min", "0"), Attr("step", "1"), .class("packs")),
        ]
    }
}

/// Accepted deliveries as payables: what each institution owes which distributor, by when, and how late.
struct PayablesView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<Payable>
        var today: CivilDate
        var overdueOnly: Bool
        var params: ListParams
        /// What the user may import here: a distributor its invoices, an institution its payments.
        var imports: SupplyService.MoneyKind?
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("应付账款与回款期限", "Payables and payment deadlines") },
            el("p", .class("muted")) {
                lang.t(
                    "医疗机构应在验收后次月底前付款（003 §8(一)）。截至\(model.today)。",
                    "Institutions pay by the end of the month after acceptance (003 §8(一)). As of \(model.today).")
            },
            el("p", .class("filters"), .id("overdue-filter")) {
                el("a", .href(model.params.href(["overdue": nil, "page": nil])), .class(model.overdueOnly ? "" : "active")) { lang.t("全部", "All") }
                " · "
                el("a", .href(model.params.href(["overdue": "1", "page": nil])), .class(model.overdueOnly ? "active" : "")) {
                    lang.t("仅逾期", "Overdue only")
                }
            },
            Layout.pagedTable(
                id: "payables",
                headers: [
                    .text(lang.t("订单号", "Order")), .text(lang.t("医疗机构", "Institution")), .text(lang.t("配送企业", "Distributor")),
                    .text(lang.t("验收日期", "Accepted on")), .text(lang.t("付款期限", "Due")), .text(lang.t("应付（元）", "Owed (yuan)")),
                    .text(lang.t("已开票（元）", "Invoiced (yuan)")), .text(lang.t("已付（元）", "Paid (yuan)")), .text(lang.t("逾期天数", "Days overdue")),
                ],
                rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "payables-pager"),
            model.imports.map { kind in
                SupplyImportForm(
                    url: .batch(model.batch, .supply(.importMoney)), id: "money", csrf: model.csrf,
                    label: kind == .invoice
                        ? lang.t("导入发票（配送单号、票据号、金额、日期）", "Import invoices (delivery, number, amount, day)")
                        : lang.t("导入付款（配送单号、票据号、金额、日期）", "Import payments (delivery, number, amount, day)"), lang: lang
                ).body
            } ?? .fragment([]),
        ])
    }

    func row(_ payable: Payable) -> [Node] {
        let days = payable.overdueDays(on: model.today)
        return [
            el("a", .href(SiteURL.batch(model.batch, .order(OrderKey(payable.orderID), .view)).path)) { StoredOrder.number(payable.orderID) },
            .text(payable.institutionName), .text(payable.distributorName), .text(payable.acceptDate.description), .text(payable.dueDate.description),
            .text(Fen(payable.amountFen).yuanText), .text(Fen(payable.invoicedFen).yuanText), .text(Fen(payable.paidFen).yuanText),
            el("span", .class(days > 0 ? "overdue" : ""), .data("days", String(days))) { String(days) },
        ]
    }
}

/// An upload of one supply file (CSV or XLSX, docs/formats.md): every row is checked and a bad file writes nothing.
struct SupplyImportForm {
    let url: SiteURL
    let id: String
    let csrf: String
    let label: String
    let lang: Lang

    var body: Node {
        Layout.postForm(csrf: csrf, url.path, id: "import-\(id)-form", multipart: true) {
            el("label", Attr("for", "import-\(id)-file")) { label + lang.t("（CSV/XLSX）", " (CSV/XLSX)") }
            " "
            el("input", .type("file"), .name("file"), .id("import-\(id)-file"), Attr("accept", ".csv,.xlsx"), .required)
            " "
            el("button", .type("submit"), .id("import-\(id)")) { lang.t("导入", "Import") }
        }
    }
}
