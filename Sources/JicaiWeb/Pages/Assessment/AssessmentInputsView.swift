import Foundation
import JicaiCore
import JicaiServices

/// The page's appeals (with the city's opinion form and the province's decision form) and the province's inputs.
extension AssessmentView {
    var appealsTable: Node {
        guard !model.appeals.isEmpty, let year = model.year else { return .fragment([]) }
        let access = model.overview.access
        return .fragment([
            el("h2") { lang.t("申诉", "Appeals") },
            Layout.table(
                id: "assessment-appeals",
                headers: [
                    lang.t("机构", "Institution"), lang.t("品种", "Item"), lang.t("理由与证明", "Reason and evidence"), lang.t("状态", "Status"),
                    lang.t("市级意见", "City's opinion"), lang.t("省级决定", "Decision"), "",
                ],
                rows: model.appeals.map { a in
                    [
                        el("a", .href(model.sheet(a.institutionCode))) { a.institutionName }, .text(a.unitKey), .text("\(a.reason)；\(a.evidence)"),
                        el("span", .data("status", a.status.rawValue)) { lang.t(a.status.label.zh, a.status.label.en) }, .text(a.opinion ?? ""),
                        .text(a.decision ?? ""), form(a, year: year, access: access),
                    ]
                }),
        ])
    }

    func form(_ a: AppealRecord, year: AgreementYear, access: AssessmentService.Access) -> Node {
        if a.status == .filed && access.reviews {
            return Layout.postForm(csrf: model.csrf, model.url(.review), id: "review-\(a.id)") {
                el("input", .type("hidden"), .name("id"), .value(String(a.id)))
                el("input", .type("hidden"), .name("year"), .value(year.start.description))
                el("input", .type("text"), .name("opinion"), Attr("required", "required"), Attr("placeholder", lang.t("审核意见", "Opinion")))
                el("button", .type("submit")) { lang.t("提交意见", "Send opinion") }
            }
        }
        if a.status == .reviewed && access.manages {
            return Layout.postForm(csrf: model.csrf, model.url(.decide), id: "decide-\(a.id)") {
                el("input", .type("hidden"), .name("id"), .value(String(a.id)))
                el("input", .type("hidden"), .name("year"), .value(year.start.description))
                el("select", .name("upheld")) {
                    el("option", .value("1")) { lang.t("申诉成立", "Uphold") }
                    el("option", .value("0")) { lang.t("申诉不成立", "Reject") }
                }
                el("input", .type("text"), .name("reason"), Attr("required", "required"), Attr("placeholder", lang.t("理由", "Reason")))
                el("button", .type("submit")) { lang.t("决定", "Decide") }
            }
        }
        return .fragment([])
    }

    /// The supervision leads (bureaus only), each with the form that moves its case on.
    var leadsTable: Node {
        guard model.overview.access.regionPrefix != nil, model.run != nil else { return .fragment([]) }
        return .fragment([
            el("h2") { lang.t("监管线索（001 §2(八)）", "Supervision leads (001 §2(八))") },
            model.leads.isEmpty
                ? el("p", .class("muted"), .id("assessment-no-leads")) { lang.t("本年度未发现线索。", "No lead found this year.") }
                : Layout.table(
                    id: "assessment-leads",
                    headers: [
                        lang.t("类型", "Kind"), lang.t("机构", "Institution"), lang.t("品种", "Item"), lang.t("依据", "Evidence"), lang.t("状态", "Status"),
                        lang.t("结论", "Finding"), "",
                    ],
                    rows: model.leads.map { l in
                        [
                            .text(lang.t(l.kind.label.zh, l.kind.label.en)), el("a", .href(model.sheet(l.institutionCode))) { l.institutionName },
                            .text(l.unitKey), .text(lang.t(l.evidence.zh, l.evidence.en)),
                            el("span", .data("status", l.status.rawValue)) { lang.t(l.status.label.zh, l.status.label.en) }, .text(l.finding ?? ""),
                            leadForm(l),
                        ]
                    }),
        ])
    }

    func leadForm(_ l: LeadRecord) -> Node {
        guard l.status != .closed else { return .fragment([]) }
        return Layout.postForm(csrf: model.csrf, model.url(.lead), id: "lead-\(l.id)") {
            el("input", .type("hidden"), .name("id"), .value(String(l.id)))
            el("input", .type("hidden"), .name("year"), .value(model.year?.start.description ?? ""))
            el("select", .name("status")) {
                el("option", .value(LeadStatus.investigating.rawValue)) { lang.t("核查中", "Investigating") }
                el("option", .value(LeadStatus.closed.rawValue)) { lang.t("办结", "Close") }
            }
            el("input", .type("text"), .name("finding"), Attr("placeholder", lang.t("核查结论（办结必填）", "Finding (required to close)")))
            el("button", .type("submit")) { lang.t("更新", "Update") }
        }
    }

    var inputs: Node {
        let overview = model.overview
        guard overview.access.regionPrefix != nil else { return .fragment([]) }
        return .fragment([
            el("h2") { lang.t("考核豁免与保障供应品种（004 §7）", "Exemptions, shortage, emergency and seasonal items (004 §7)") },
            el("p", .class("muted")) {
                lang.t(
                    "重点监控、公共卫生事件、指南变化：期间不考核完成率。短缺、急抢救、季节性用药：期间内已向中选企业订购而未获供应的数量从约定采购量中扣除后考核。",
                    "Key-monitored, public health event, guideline change: completion not assessed over the days. Shortage, emergency, seasonal: what was ordered from the winners on those days and never supplied comes off the agreed volume."
                )
            },
            Layout.table(
                id: "assessment-exemptions",
                headers: [
                    lang.t("品种", "Item"), lang.t("情形", "Kind"), lang.t("区域", "Area"), lang.t("期间", "Days"), lang.t("依据", "Evidence"),
                    lang.t("登记人", "By"), "",
                ],
                rows: overview.exemptions.map { s in
                    let e = s.exemption
                    return [
                        .text(e.unitKey), .text(lang.t(e.kind.label.zh, e.kind.label.en)),
                        .text(e.regionPrefix.isEmpty ? lang.t("全省", "province") : e.regionPrefix),
                        .text("\(e.from)—\(e.through)"), .text(e.evidence), .text(s.createdBy),
                        overview.access.manages
                            ? Layout.postForm(csrf: model.csrf, model.url(.removeExemption)) {
                                el("input", .type("hidden"), .name("id"), .value(String(s.id)))
                                el("button", .type("submit"), .class("link")) { lang.t("撤销", "Remove") }
                            } : .fragment([]),
                    ]
                }),
            overview.access.manages ? exemptionForm : .fragment([]),
            prices,
            el("h2") { lang.t("按病种付费（DRG/DIP）机构", "Institutions paid by disease group (DRG/DIP)") },
            el("p", .class("muted")) {
                lang.t(
                    "首个协议年度不考核结余留用（003 §8(三)）。已登记：\(overview.diseaseGroups.isEmpty ? "无" : overview.diseaseGroups.joined(separator: "、"))",
                    "Not assessed for retention in their first agreement year (003 §8(三)). Listed: \(overview.diseaseGroups.isEmpty ? "none" : overview.diseaseGroups.joined(separator: ", "))"
                )
            },
            overview.access.manages
                ? Layout.postForm(csrf: model.csrf, model.url(.diseaseGroups), id: "disease-group") {
                    el(
                        "input", .type("text"), .name("institution"), Attr("required", "required"),
                        Attr("placeholder", lang.t("机构编码", "Institution code")))
                    el("select", .name("on")) {
                        el("option", .value("1")) { lang.t("登记", "List") }
                        el("option", .value("0")) { lang.t("取消", "Unlist") }
                    }
                    el("button", .type("submit")) { lang.t("保存", "Save") }
                } : .fragment([]),
        ])
    }

    /// The pre-award prices the province set itself (004 §3: the basis explained), with the form to set one.
    var prices: Node {
        let overview = model.overview
        return .fragment([
            el("h2") { lang.t("省级核定采购前价格", "Pre-award prices set by the province") },
            el("p", .class("muted")) {
                lang.t(
                    "未核定的品种按本批次历史采购金额÷有效含量计算加权平均价；核定后考核与报量测算均采用核定价。",
                    "Units without one use the history's amounts ÷ effective content; a price set here replaces it in the assessment and the what-if."
                )
            },
            Layout.table(
                id: "assessment-prices",
                headers: [
                    lang.t("品种", "Unit"), lang.t("规格", "Spec"), lang.t("元/最小单位", "Yuan per minimal unit"), lang.t("依据", "Basis"),
                    lang.t("核定人", "By"), "",
                ],
                rows: overview.prices.map { p in
                    [
                        .text(p.unitKey), .text(p.specCode), .text(p.priceText), .text(p.price.basis ?? ""), .text(p.setBy),
                        overview.access.manages
                            ? Layout.postForm(csrf: model.csrf, model.url(.removePrice)) {
                                el("input", .type("hidden"), .name("unit"), .value(p.unitKey))
                                el("button", .type("submit"), .class("link")) { lang.t("撤销", "Remove") }
                            } : .fragment([]),
                    ]
                }),
            overview.access.manages
                ? Layout.postForm(csrf: model.csrf, model.url(.prices), id: "set-price") {
                    el("select", .name("spec")) {
                        for spec in overview.specs {
                            el("option", .value(spec.code)) { "\(spec.code) \(spec.dosageForm) \(spec.strength)/\(spec.minimalUnit)" }
                        }
                    }
                    el(
                        "input", .type("text"), .name("yuan"), Attr("required", "required"), Attr("inputmode", "decimal"),
                        Attr("placeholder", lang.t("元/最小单位，如0.0325", "yuan per minimal unit, e.g. 0.0325")))
                    el("input", .type("text"), .name("basis"), Attr("required", "required"), Attr("placeholder", lang.t("依据", "Basis")))
                    el("button", .type("submit")) { lang.t("核定价格", "Set the price") }
                } : .fragment([]),
        ])
    }

    var exemptionForm: Node {
        Layout.postForm(csrf: model.csrf, model.url(.exemptions), id: "add-exemption") {
            el("input", .type("hidden"), .name("year"), .value(model.year?.start.description ?? ""))
            el("select", .name("unit")) { for unit in model.overview.units { el("option", .value(unit.key)) { unit.key } } }
            el("select", .name("kind")) {
                for kind in ExemptionKind.allCases { el("option", .value(kind.rawValue)) { lang.t(kind.label.zh, kind.label.en) } }
            }
            el("input", .type("text"), .name("region"), Attr("placeholder", lang.t("区划前缀（空为全省）", "Area prefix (empty: province)")))
            el("input", .type("date"), .name("from"), Attr("required", "required"))
            el("input", .type("date"), .name("through"), Attr("required", "required"))
            el("input", .type("text"), .name("evidence"), Attr("required", "required"), Attr("placeholder", lang.t("依据（文件名称、文号）", "Evidence")))
            el("button", .type("submit")) { lang.t("登记豁免", "Record the exemption") }
        }
    }
}
