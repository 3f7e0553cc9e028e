import Foundation
import JicaiCore
import JicaiServices

/// One page of the agreements the user sees, filtered by status.
struct AgreementListView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<StoredAgreement>
        var params: ListParams
        var status: AgreementStatus?
        /// The list of those awaiting the user's own signature (`status=awaitingMine`).
        var awaitingMine: Bool = false
        /// The user's party to an agreement, when it has one.
        var party: AgreementParty?
        /// The awaiting list's narrowing (city, manufacturer, product).
        var narrowing = AgreementNarrowing()
        var csrf = ""
    }

    /// The narrowing a list's query (or the sign-all form) names: city, manufacturer, product, q (the institution).
    static func narrowing(_ value: (String) -> String?) -> AgreementNarrowing {
        AgreementNarrowing(
            regionPrefix: value("city") ?? "", manufacturerCode: value("manufacturer") ?? "", productCode: value("product") ?? "",
            institution: value("q") ?? "")
    }

    /// The filter value of "awaiting my signature" (待本方签署), the reminder's link.
    static let awaitingMine = "awaitingMine"

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("三方购销协议", "Three-party agreements") },
            el("p", .class("filters"), .id("status-filter")) {
                el("a", .href(model.params.href(["status": nil, "page": nil]))) { lang.t("全部", "All") }
                for status in AgreementStatus.allCases {
                    " · "
                    el("a", .href(model.params.href(["status": status.rawValue, "page": nil])), .class(model.status == status ? "active" : "")) {
                        lang.t(status.label)
                    }
                }
                if model.party != nil {
                    " · "
                    el(
                        "a", .href(model.params.href(["status": Self.awaitingMine, "page": nil])), .id("filter-awaiting-mine"),
                        .class(model.awaitingMine ? "active" : "")
                    ) { lang.t("待本方签署", "Awaiting my signature") }
                }
            },
            search,
            model.awaitingMine ? bulk : .fragment([]),
            Layout.pagedTable(
                id: "agreements",
                headers: [
                    .text(lang.t("协议", "Agreement")), .text(lang.t("医疗机构", "Institution")), .text(lang.t("产品", "Product")),
                    .text(lang.t("生产企业", "Manufacturer")), .text(lang.t("配送企业", "Distributor")), .text(lang.t("协议年度", "Agreement year")),
                    .text(lang.t("约定量", "Quantity")), .text(lang.t("金额（元）", "Amount (yuan)")), .text(lang.t("状态", "Status")),
                ],
                rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "agreements-pager"),
        ])
    }

    /// A search by institution (name or code) over the list as filtered, on the server.
    var search: Node {
        el("form", .action(SiteURL.batch(model.batch, .award(.agreements)).path), .id("agreement-search"), .class("no-print")) {
            for key in ["status", "city", "manufacturer", "product"] {
                if let value = model.params[key], !value.isEmpty { el("input", .type("hidden"), .name(key), .value(value)) }
            }
            el(
                "input", .type("search"), .name("q"), .value(model.narrowing.institution),
                Attr("placeholder", lang.t("医疗机构名称或编码", "Institution name or code")))
            el("button", .type("submit")) { lang.t("搜索", "Search") }
        }
    }

    /// Above the awaiting list: narrow it (city, manufacturer, product), then sign all of it in one confirmed step.
    var bulk: Node {
        let n = model.narrowing
        return .fragment([
            el("form", .action(SiteURL.batch(model.batch, .award(.agreements)).path), .id("narrow-awaiting")) {
                el("input", .type("hidden"), .name("status"), .value(Self.awaitingMine))
                el(
                    "input", .type("text"), .name("city"), .value(n.regionPrefix),
                    Attr("placeholder", lang.t("地区编码前缀（如1401）", "Area code prefix (e.g. 1401)")))
                el(
                    "input", .type("text"), .name("manufacturer"), .value(n.manufacturerCode),
                    Attr("placeholder", lang.t("生产企业编码", "Manufacturer code")))
                el("input", .type("text"), .name("product"), .value(n.productCode), Attr("placeholder", lang.t("产品编码", "Product code")))
                el("input", .type("hidden"), .name("q"), .value(n.institution))
                el("button", .type("submit")) { lang.t("筛选", "Filter") }
            },
            model.page.total > 0
                ? Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .award(.signAll)).path, id: "sign-all") {
                    el("input", .type("hidden"), .name("city"), .value(n.regionPrefix))
                    el("input", .type("hidden"), .name("manufacturer"), .value(n.manufacturerCode))
                    el("input", .type("hidden"), .name("product"), .value(n.productCode))
                    el("input", .type("hidden"), .name("q"), .value(n.institution))
                    el("input", .type("hidden"), .name("expected"), .value(String(model.page.total)))
                    el("label") {
                        el("input", .type("checkbox"), .name("confirm"), .value("1"), Attr("required", "required"))
                        lang.t(
                            "我已核对以上\(model.page.total)份协议，以本单位名义全部签署",
                            "I have checked these \(model.page.total) agreements and sign them all for my organisation")
                    }
                    el("button", .type("submit")) { lang.t("全部签署（\(model.page.total)份）", "Sign all (\(model.page.total))") }
                } : .fragment([]),
        ])
    }

    func row(_ agreement: StoredAgreement) -> [Node] {
        [
            el("a", .href(SiteURL.batch(model.batch, .agreement(AgreementKey(agreement.id), .view)).path), .class("agreement-link")) {
                "#\(agreement.id)"
            },
            .text(agreement.institutionName), .text(agreement.productCode), .text(agreement.manufacturerName),
            .text(agreement.distributorName ?? lang.t("未确定", "not named")),
            .text("\(agreement.year.start) – \(agreement.year.lastDay)"), .text(String(agreement.quantity)), .text(Fen(agreement.amountFen).yuanText),
            el("span", .data("status", agreement.status.rawValue)) { lang.t(agreement.status.label) },
        ]
    }
}

/// A three-party agreement to read, print and sign: the parties, the figures, the terms and a signature block.
struct AgreementView {
    struct Model: Sendable {
        var batch: BatchKey
        var batchName: String
        var agreement: StoredAgreement
        var maySign: Bool
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let agreement = model.agreement
        return el("div", .class("print-page"), .id("agreement")) {
            el("h1") { lang.t("药品集中带量采购三方购销协议", "Three-party purchase agreement") }
            el("p", .class("muted")) {
                "\(model.batchName) · #\(agreement.id) · " + lang.t("第\(agreement.yearIndex)协议年度", "agreement year \(agreement.yearIndex)")
            }
            el("p", .id("agreement-status"), .data("status", agreement.status.rawValue)) { el("strong") { lang.t(agreement.status.label) } }
            Layout.table(
                id: "agreement-parties", headers: [lang.t("签约方", "Party"), lang.t("名称", "Name"), lang.t("统一社会信用代码", "Credit code")],
                rows: [
                    [.text(lang.t("甲方（医疗机构）", "Institution")), .text(agreement.institutionName), .text(agreement.institutionCode)],
                    [.text(lang.t("乙方（中选生产企业）", "Manufacturer")), .text(agreement.manufacturerName), .text(agreement.manufacturerCode)],
                    [
                        .text(lang.t("丙方（配送企业）", "Distributor")), .text(agreement.distributorName ?? lang.t("未确定", "not named")),
                        .text(agreement.distributorCode ?? ""),
                    ],
                ])
            Layout.table(
                id: "agreement-figures",
                headers: [
                    lang.t("中选产品", "Product"), lang.t("协议期", "Period"), lang.t("约定采购量（最小单位）", "Agreed quantity"), lang.t("金额（元）", "Amount (yuan)"),
                ],
                rows: [
                    [
                        .text("\(agreement.productCode)（\(agreement.specCode)）"), .text("\(agreement.year.start) – \(agreement.year.lastDay)"),
                        .text(String(agreement.quantity)),
                        .text(Fen(agreement.amountFen).yuanText),
                    ]
                ])
            el("p") {
                lang.t(
                    "甲方按约定采购量优先采购中选产品；超出约定采购量的部分，乙方在采购周期内仍按中选价格供应。乙方委托丙方配送，丙方按时足量配送。",
                    "The institution buys the winning product first, up to the agreed quantity; beyond it the manufacturer still supplies at the winning price until the cycle ends. The distributor delivers on the manufacturer's behalf, on time and in full."
                )
            }
            signatures
        }
    }

    var signatures: Node {
        el("div", .class("signature-block"), .id("signatures")) {
            for party in AgreementParty.allCases {
                el("p", .data("party", party.rawValue)) {
                    el("strong") { lang.t(party.label) + lang.t("（签章）：", " (signature): ") }
                    if let signature = model.agreement.signatures[party] {
                        lang.t(
                            "已签署 \(signature.user) \(ReportingWindow.shanghaiText(signature.at))",
                            "signed by \(signature.user) at \(ReportingWindow.shanghaiText(signature.at))")
                    } else {
                        lang.t("未签署", "not signed")
                    }
                }
            }
            if model.maySign {
                Layout.postForm(
                    csrf: model.csrf, SiteURL.batch(model.batch, .agreement(AgreementKey(model.agreement.id), .sign)).path, id: "sign-form"
                ) {
                    el("button", .type("submit"), .id("sign")) { lang.t("本方签署", "Sign for my party") }
                }
            }
        }
    }
}
