import Foundation
import JicaiCore
import JicaiServices

/// The supply-problem tickets the user sees, with the clock of each, a tab per status and the province's
/// "escalated" view; institutions and bureaus file new ones below.
struct TicketInboxView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<StoredTicket>
        var today: CivilDate
        var status: TicketStatus?
        var escalated: Bool
        var products: [(code: String, label: String)]
        var params: ListParams
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("供应问题工单", "Supply-problem tickets") },
            el("p", .class("muted")) {
                lang.t(
                    "医疗机构或医保部门报告供应问题，生产企业和配送企业限期答复，市医保局核实；逾期未办的上报省医保局（004 §8）。",
                    "An institution or a bureau reports a supply problem; the manufacturer and the distributor answer by a deadline and the city verifies; what is late goes up to the province (004 §8)."
                )
            },
            tabs,
            Layout.pagedTable(
                id: "tickets",
                headers: [
                    .text(lang.t("工单号", "Ticket")), .text(lang.t("问题类型", "Kind")), .text(lang.t("产品", "Product")), .text(lang.t("地区", "Area")),
                    .text(lang.t("报告日期", "Filed")), .text(lang.t("答复期限", "Answer by")), .text(lang.t("核实期限", "Verify by")),
                    .text(lang.t("状态", "Status")),
                ],
                rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "tickets-pager"),
            model.products.isEmpty ? .fragment([]) : fileForm,
        ])
    }

    var tabs: Node {
        el("p", .class("filters"), .id("ticket-filter")) {
            el(
                "a", .href(model.params.href(["status": nil, "escalated": nil, "page": nil])),
                .class(model.status == nil && !model.escalated ? "active" : "")
            ) {
                lang.t("全部", "All")
            }
            for status in TicketStatus.allCases {
                " · "
                el(
                    "a", .href(model.params.href(["status": status.rawValue, "escalated": nil, "page": nil])),
                    .class(model.status == status ? "active" : "")
                ) {
                    lang.t(status.label)
                }
            }
            " · "
            el(
                "a", .href(model.params.href(["status": nil, "escalated": "1", "page": nil])), .class(model.escalated ? "active" : ""),
                .id("escalated")
            ) {
                lang.t("逾期上报省级", "Gone up to the province")
            }
        }
    }

    func row(_ ticket: StoredTicket) -> [Node] {
        [
            el("a", .href(SiteURL.batch(model.batch, .ticket(TicketKey(ticket.id), .view)).path), .class("ticket-link")) { ticket.number },
            .text(lang.t(ticket.kind.label)), .text(ticket.productCode), .text(ticket.regionPrefix), .text(ticket.filedDate.description),
            .text(ticket.answerDue.description), .text(ticket.verifyDue.description),
            el("span", .data("status", ticket.status.rawValue)) {
                lang.t(ticket.status.label)
                if ticket.isEscalated(on: model.today) {
                    " "
                    el("span", .class("overdue")) { lang.t("已逾期", "overdue") }
                }
            },
        ]
    }

    var fileForm: Node {
        Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(.tickets)).path, id: "ticket-form") {
            el("h2") { lang.t("报告供应问题", "Report a supply problem") }
            el("p") {
                el("label") {
                    lang.t("问题类型", "Kind") + " "
                    el("select", .name("kind")) {
                        for kind in SupplyProblemKind.allCases { el("option", .value(kind.rawValue)) { lang.t(kind.label) } }
                    }
                }
                " "
                el("label") {
                    lang.t("产品", "Product") + " "
                    el("select", .name("product")) { for product in model.products { el("option", .value(product.code)) { product.label } } }
                }
            }
            el("p") {
                el("label") {
                    lang.t("地区（区划代码，留空为本辖区）", "Area (division code; empty for your own)") + " "
                    el("input", .type("text"), .name("region"), Attr("maxlength", "6"))
                }
                " "
                el("label") {
                    lang.t("起始月份", "From") + " "
                    el("input", .type("month"), .name("from"), .value(MonthKey(model.today).description))
                }
                " "
                el("label") {
                    lang.t("截止月份", "Through") + " "
                    el("input", .type("month"), .name("through"), .value(MonthKey(model.today).description))
                }
            }
            el("p") {
                el("label") {
                    lang.t("问题描述", "Description") + " "
                    el("textarea", .name("description"), Attr("rows", "3"), Attr("maxlength", "2000")) { "" }
                }
            }
            el("button", .type("submit"), .id("file-ticket")) { lang.t("提交", "Report") }
        }
    }
}

/// One ticket with its clock, the firms' answers and the decision, and the forms of who acts next.
struct TicketView {
    struct Model: Sendable {
        var batch: BatchKey
        var detail: SupplyService.TicketDetail
        var csrf: String
    }

    let model: Model
    let lang: Lang
    var ticket: StoredTicket { model.detail.ticket }

    var body: Node {
        .fragment([
            el("h1") { lang.t("供应问题工单", "Supply-problem ticket") + " " + ticket.number },
            el("p", .id("ticket-status"), .data("status", ticket.status.rawValue)) {
                el("strong") { lang.t(ticket.status.label) }
                if ticket.isEscalated(on: model.detail.today) {
                    " "
                    el("span", .class("overdue"), .id("ticket-escalated")) { lang.t("已逾期，上报省医保局", "late: gone up to the province") }
                }
            },
            Layout.table(
                id: "ticket-facts", headers: [lang.t("项目", "Item"), lang.t("内容", "Value")],
                rows: facts.map { [.text($0.0), .text($0.1)] }),
            el("p", .id("ticket-description")) { ticket.description },
            answers,
            forms,
        ])
    }

    var facts: [(String, String)] {
        [
            (lang.t("问题类型", "Kind"), lang.t(ticket.kind.label)), (lang.t("产品", "Product"), "\(ticket.productCode)（\(ticket.unitKey)）"),
            (lang.t("生产企业", "Manufacturer"), ticket.manufacturerName),
            (lang.t("配送企业", "Distributor"), ticket.distributorName ?? ticket.distributorCode ?? "—"),
            (lang.t("报告单位", "Filed by"), ticket.institutionName ?? ticket.filedBy), (lang.t("地区", "Area"), ticket.regionPrefix),
            (lang.t("问题期间", "Period"), "\(ticket.from) – \(ticket.through)"), (lang.t("报告日期", "Filed"), ticket.filedDate.description),
            (lang.t("企业答复期限", "Firms answer by"), ticket.answerDue.description),
            (lang.t("核实期限", "City verifies by"), ticket.verifyDue.description),
        ]
    }

    var answers: Node {
        el("div", .id("ticket-answers")) {
            el("h2") { lang.t("答复与处理", "Answers and decision") }
            el("p", .data("party", "manufacturer")) {
                el("strong") { lang.t("生产企业：", "Manufacturer: ") }
                ticket.manufacturerAnswer ?? lang.t("未答复", "no answer yet")
            }
            if ticket.distributorCode != nil {
                el("p", .data("party", "distributor")) {
                    el("strong") { lang.t("配送企业：", "Distributor: ") }
                    ticket.distributorAnswer ?? lang.t("未答复", "no answer yet")
                }
            }
            if let decided = ticket.decidedDate {
                el("p", .id("ticket-decision")) {
                    el("strong") { lang.t("处理意见：", "Decision: ") }
                    "\(ticket.decisionNote ?? "")（\(ticket.decidedBy ?? "") \(decided)）"
                }
            }
        }
    }

    var forms: Node {
        el("div", .class("no-print")) {
            if model.detail.mayAnswer {
                Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .ticket(TicketKey(ticket.id), .answer)).path, id: "answer-form") {
                    el("label") {
                        lang.t("答复", "Answer") + " "
                        el("textarea", .name("text"), Attr("rows", "3"), Attr("maxlength", "2000")) { "" }
                    }
                    " "
                    el("button", .type("submit"), .id("answer-ticket")) { lang.t("提交答复", "Answer") }
                }
            }
            if model.detail.mayDecide {
                Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .ticket(TicketKey(ticket.id), .decide)).path, id: "decide-form") {
                    el("label") {
                        lang.t("核实意见", "Finding") + " "
                        el("input", .type("text"), .name("note"), Attr("maxlength", "500"))
                    }
                    " "
                    el("button", .type("submit"), .name("verify"), .value("1"), .id("verify-ticket")) { lang.t("认定为供应问题", "Verify") }
                    " "
                    el("button", .type("submit"), .name("verify"), .value("0"), .id("dismiss-ticket")) { lang.t("不予认定", "Dismiss") }
                }
            }
        }
    }
}

/// Firms' credit entries from verified supply problems.
struct CreditView {
    let batch: BatchKey
    let page: Page<CreditEntry>
    let params: ListParams
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("企业信用记录（供应问题）", "Firms' credit records (supply problems)") },
            Layout.pagedTable(
                id: "credit",
                headers: [
                    .text(lang.t("企业", "Firm")), .text(lang.t("身份", "As")), .text(lang.t("问题类型", "Kind")), .text(lang.t("工单", "Ticket")),
                    .text(lang.t("认定日期", "Verified on")), .text(lang.t("核实意见", "Finding")),
                ],
                rows: page.items.map { entry in
                    [
                        .text(entry.firmName), .text(lang.t(entry.party.label)), .text(lang.t(entry.kind.label)),
                        el("a", .href(SiteURL.batch(batch, .ticket(TicketKey(entry.ticketID), .view)).path)) { "#\(entry.ticketID)" },
                        .text(entry.onDate.description), .text(entry.note),
                    ]
                }),
            Layout.pager(lang, page, params, id: "credit-pager"),
        ])
    }
}

/// Traceability codes settled twice, with both occurrences; an institution records the codes it settled below.
struct TraceCodesPageView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<CodeAnomaly>
        var mayCapture: Bool
        var products: [(code: String, label: String)]
        var today: CivilDate
        var params: ListParams
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("追溯码重复结算", "Traceability codes settled twice") },
            el("p", .class("muted")) {
                lang.t(
                    "同一追溯码被结算两次为异常，列出两次的机构和日期，报所在市医保局（001 §2(五)）。",
                    "A code settled twice is an anomaly: both institutions and days, for their cities (001 §2(五)).")
            },
            Layout.pagedTable(
                id: "code-anomalies",
                headers: [
                    .text(lang.t("追溯码", "Code")), .text(lang.t("产品", "Product")), .text(lang.t("首次结算", "First settled")),
                    .text(lang.t("再次结算", "Settled again")),
                ],
                rows: model.page.items.map { anomaly in
                    [
                        .text(anomaly.code), .text(anomaly.productCode), .text("\(anomaly.firstInstitutionName) \(anomaly.firstDate)"),
                        .text("\(anomaly.secondInstitutionName) \(anomaly.secondDate)"),
                    ]
                }),
            Layout.pager(lang, model.page, model.params, id: "code-anomalies-pager"),
            model.mayCapture ? form : .fragment([]),
            model.mayCapture
                ? SupplyImportForm(
                    url: .batch(model.batch, .supply(.importCodes)), id: "codes", csrf: model.csrf,
                    label: lang.t("导入结算追溯码（追溯码、产品编码、结算日期）", "Import settled codes (code, product, day)"), lang: lang
                ).body : .fragment([]),
        ])
    }

    var form: Node {
        Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(.traceCodes)).path, id: "capture-form") {
            el("h2") { lang.t("登记结算追溯码", "Record settled codes") }
            el("p") {
                el("label") {
                    lang.t("产品", "Product") + " "
                    el("select", .name("product")) { for product in model.products { el("option", .value(product.code)) { product.label } } }
                }
                " "
                el("label") {
                    lang.t("结算日期", "Settled on") + " "
                    el("input", .type("date"), .name("date"), .value(model.today.description))
                }
            }
            el("p") {
                el("label") {
                    lang.t("追溯码（每行一个）", "Codes (one per line)") + " "
                    el("textarea", .name("codes"), Attr("rows", "5")) { "" }
                }
            }
            el("button", .type("submit"), .id("capture-codes")) { lang.t("登记", "Record") }
        }
    }
}

/// The product parts of the winning products' traceability codes: what the manufacturer registered (what codes are
/// checked against) and what the deliveries showed; a manufacturer registers its own here.
struct ProductPartsView {
    struct Model: Sendable {
        var batch: BatchKey
        var rows: [SupplyService.ProductPartsRow]
        var registers: Bool
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("追溯码产品标识", "Product parts of traceability codes") },
            el("p", .class("muted")) {
                lang.t(
                    "追溯码前7位标识产品及包装层级。生产企业登记后，配送和结算的追溯码须以登记的标识开头；未登记时以已配送追溯码的标识为准（001 §2(五)）。",
                    "The first 7 digits of a code name the product and packaging level. Once the manufacturer registers them, delivered and settled codes must carry one; until then the parts its deliveries showed count (001 §2(五))."
                )
            },
            Layout.table(
                id: "product-parts",
                headers: [
                    lang.t("产品", "Product"), lang.t("生产企业", "Manufacturer"), lang.t("已登记标识", "Registered"), lang.t("已配送标识", "Delivered"),
                ] + (model.registers ? [lang.t("登记", "Register")] : []),
                rows: model.rows.map(row)),
        ])
    }

    func row(_ r: SupplyService.ProductPartsRow) -> [Node] {
        let cells: [Node] = [
            .text("\(r.productCode)（\(r.specCode)）"), .text(r.manufacturerName), .text(r.parts.registered.sorted().joined(separator: "、")),
            .text(r.parts.delivered.sorted().joined(separator: "、")),
        ]
        guard model.registers else { return cells }
        return cells + [
            Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(.productParts)).path, id: "parts-\(r.productCode)") {
                el("input", .type("hidden"), .name("product"), .value(r.productCode))
                el("input", .type("text"), .name("parts"), .value(r.parts.registered.sorted().joined(separator: ",")), Attr("maxlength", "200"))
                " "
                el("button", .type("submit")) { lang.t("保存", "Save") }
            }
        ]
    }
}
