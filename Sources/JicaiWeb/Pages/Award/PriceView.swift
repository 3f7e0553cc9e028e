import Foundation
import JicaiCore
import JicaiServices

/// Every product of the batch with its listing price, its payment standard and whether it is to be suspended;
/// the winners' added specs priced by the price-ratio rule; the province's upload of non-winning listing prices.
struct PriceView {
    struct Model: Sendable {
        var batch: BatchKey
        var sheet: AwardService.PriceSheet
        var manages: Bool
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("挂网价格与医保支付标准", "Listing prices and payment standards") },
            el("p", .class("muted")) {
                lang.t(
                    "中选产品按中选价格挂网；同通用名的支付标准以最高中选价格（按有效含量）为基准，原研药、参比制剂和过评仿制药执行同一标准，未过评仿制药不高于过评药品；高于最高挂网价（最高中选价格的倍数）的非中选产品标记为暂停采购或撤网。",
                    "Winners are listed at their winning price. A generic name's payment standard rests on its highest winning price per effective content: originator, reference and passed generics share it, a non-passed generic is never above it. Non-winning products above the maximum listing price (a multiple of the highest winning price) are flagged for suspension or delisting."
                )
            },
            model.manages ? uploadForm : .fragment([]),
            Layout.table(
                id: "prices",
                headers: [
                    lang.t("产品", "Product"), lang.t("规格", "Spec"), lang.t("生产企业", "Manufacturer"), lang.t("状态", "Standing"),
                    lang.t("挂网价（元/包装）", "Listing (yuan/pack)"), lang.t("支付标准（元/包装）", "Standard (yuan/pack)"), lang.t("处理", "Action"),
                ], filter: lang, rows: model.sheet.rows.map(row)),
            el("h2") { lang.t("中选企业新增规格（差比价）", "Winners' added specs (price-ratio rule)") },
            Layout.table(
                id: "added-specs",
                headers: [
                    lang.t("生产企业", "Manufacturer"), lang.t("依据中选产品", "From winning product"), lang.t("新增规格", "Added spec"),
                    lang.t("挂网价（元/包装）", "Listing (yuan/pack)"),
                ],
                rows: model.sheet.addedSpecs.map { added in
                    [
                        .text(added.manufacturerName), .text(added.fromProduct), .text(added.specCode),
                        .text(added.packPriceFen.map { Fen($0).yuanText } ?? (added.note.map { lang.t($0) } ?? "")),
                    ]
                }),
        ])
    }

    func row(_ row: AwardService.PriceRow) -> [Node] {
        let standing: String =
            switch row.standing {
            case .winner: lang.t("中选", "winner")
            case .backup: lang.t("备供", "backup")
            case .listed: row.category.map { lang.t($0.label) } ?? lang.t("非中选", "non-winning")
            case .unlisted: lang.t("未挂网", "not listed")
            }
        return [
            .text(row.productCode), .text(row.specCode), .text(row.manufacturerName), .text(standing),
            .text(row.listingFen.map { Fen($0).yuanText } ?? "—"), .text(row.paymentStandardFen.map { Fen($0).yuanText } ?? "—"),
            row.suspend
                ? el("strong", .class("suspend"), .data("product", row.productCode)) { lang.t("暂停采购/撤网", "suspend / delist") } : .text(""),
        ]
    }

    var uploadForm: Node {
        Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .award(.listings)).path, id: "listings-form", multipart: true) {
            el("label", Attr("for", "listings-file")) { lang.t("导入非中选产品挂网价格（CSV/XLSX）", "Import non-winning listing prices (CSV/XLSX)") }
            el("input", .type("file"), .name("file"), .id("listings-file"), Attr("accept", ".csv,.xlsx"), .required)
            el("button", .type("submit"), .id("import-listings")) { lang.t("导入", "Import") }
        }
    }
}
