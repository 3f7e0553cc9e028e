import Foundation
import JicaiCore

/// The coverage gaps (docs/rules.md "Award stage"): institutions whose demand of a unit was not carried because the
/// unit's winners all supply other regions, with those winners and their regions; paged, narrowed by city or county.
struct CoverageGapView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<CoverageGap>
        var params: ListParams
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let region = model.params["region"] ?? ""
        return .fragment([
            el("h1") { lang.t("覆盖缺口", "Coverage gaps") },
            el("p", .class("muted")) {
                lang.t(
                    "以下机构报送了这些品种（规格），但其中选产品均不供应该机构所在地区，需求未计入约定采购量；请协调中选企业扩大供应地区或另行安排（003 §3）。",
                    "These institutions reported these units, but none of the winners supplies their region, so the demand carries no agreed volume; the province arranges supply (003 §3)."
                )
            },
            el("form", .action(SiteURL.batch(model.batch, .award(.gaps)).path), Attr("method", "get"), .id("gaps-filter")) {
                el("label", Attr("for", "gaps-region")) { lang.t("地区代码（市4位、县6位）", "Region code (4-digit city, 6-digit county)") }
                el("input", .name("region"), .id("gaps-region"), .value(region), Attr("inputmode", "numeric"), Attr("maxlength", "6"))
                el("button", .type("submit")) { lang.t("筛选", "Filter") }
                " "
                el("a", .href(SiteURL.batch(model.batch, .award(.gapsXLSX)).path(query: region.isEmpty ? [:] : ["region": region]))) {
                    lang.t("下载 XLSX", "Download XLSX")
                }
            },
            Layout.pagedTable(
                id: "gaps",
                headers: [
                    .text(lang.t("地区", "Region")), .text(lang.t("机构", "Institution")), .text(lang.t("品种/规格", "Unit")),
                    .text(lang.t("中选产品及其供应地区", "Winners and the regions they supply")),
                ],
                rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "gaps-pager"),
        ])
    }

    func row(_ gap: CoverageGap) -> [Node] {
        [
            .text(gap.regionCode), .text("\(gap.institutionName) \(gap.institutionCode)"), .text(gap.unitKey),
            el("ul", .class("winners")) {
                for winner in gap.winners {
                    el("li") {
                        "\(winner.productCode) \(winner.manufacturerName)："
                            + (winner.regions.isEmpty ? lang.t("全省", "whole province") : winner.regions.joined(separator: "、"))
                    }
                }
            },
        ]
    }
}
