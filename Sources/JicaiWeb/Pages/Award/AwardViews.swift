import Foundation
import JicaiCore
import JicaiServices

/// The award overview: where the stage stands and the winning results for everyone; the province's actions
/// (import, compute, publish, send, exports); signing progress by city for the province and a city; an
/// institution's links to its volumes and agreements; a manufacturer's distributor network.
struct AwardView {
    struct Model: Sendable {
        var batch: BatchKey
        var overview: AwardService.Overview
        /// Every version of the results, superseded ones included.
        var history: Bool
        var access: AwardService.Access
        var progress: [SigningProgress]
        var network: AgreementService.Network?
        /// Per winning manufacturer, the region's institutions no distributor of it covers (province and city).
        var uncovered: [Uncovered]
        /// The region's institutions that have not signed (province and city, once published).
        var unsigned: Page<UnsignedInstitution>?
        /// The reminder: agreements awaiting the user's own signature.
        var awaitingMine: Int64?
        var today: CivilDate
        var csrf: String
        /// The page's query, for the unsigned list's pager.
        var params: ListParams? = nil
    }

    struct Uncovered: Sendable, Hashable {
        var manufacturer: String
        var name: String
        var institutions: Int64
    }

    let model: Model
    let lang: Lang

    func url(_ page: SiteURL.AwardPage) -> String { SiteURL.batch(model.batch, .award(page)).path }

    var body: Node {
        let state = model.overview.state
        return .fragment([
            el("h1") { lang.t("中选结果与约定采购量", "Award and agreed volumes") },
            el("p", .id("award-phase"), .data("phase", state.phase.rawValue)) {
                el("strong") { lang.t(state.phase.label) }
                if let start = state.executionStart, let end = state.cycleEnd {
                    lang.t("；执行期 \(start) 至 \(end)", "; execution \(start) to \(end)")
                }
            },
            policy,
            reminder,
            links,
            model.access.manages ? actions : .fragment([]),
            model.access.seesProgress && !model.progress.isEmpty ? progressTable : .fragment([]),
            model.unsigned.map(unsignedTable) ?? .fragment([]),
            model.uncovered.isEmpty ? .fragment([]) : coverageTable,
            model.network.map(networkCard) ?? .fragment([]),
            results,
        ])
    }

    /// The rules the volumes are computed by (the province sets them before publication: `jicai award policy`).
    var policy: Node {
        let award = model.overview.batch.policy.award
        func table(_ ratios: [Ratio]) -> String {
            ratios.enumerated().map {
                "\($0.offset + 1)\($0.offset + 1 == ratios.count ? "+" : ""):\(Fraction(Int128($0.element.numerator), Int128($0.element.denominator)).percentText)"
            }
            .joined(separator: " ")
        }
        let ratios =
            award.flatRatio.map { flat in
                let percent = Fraction(Int128(flat.numerator), Int128(flat.denominator)).percentText
                return (zh: "统一比例\(percent)", en: "one ratio of \(percent)")
            } ?? (
                zh: "按中选企业数 \(table(award.ratiosByWinners))，限制使用级抗菌药物 \(table(award.restrictedRatiosByWinners))",
                en: "by winners \(table(award.ratiosByWinners)); restricted antimicrobials \(table(award.restrictedRatiosByWinners))"
            )
        let allocation =
            award.allocation == .evenly
            ? (zh: "未选或未中选品牌的需求平均分配给中选产品", en: "demand without a winning brand shared evenly")
            : (zh: "未选或未中选品牌的需求归单位含量价格最低的中选产品", en: "demand without a winning brand to the lowest price per content")
        let text = el("p", .id("award-policy"), .data("allocation", award.allocation.rawValue)) {
            lang.t(
                "约定采购量规则：\(ratios.zh)；\(allocation.zh)；配送企业上限 药品\(award.distributorLimitDrugs)家、耗材\(award.distributorLimitConsumables)家",
                "Award policy: \(ratios.en); \(allocation.en); distributors at most \(award.distributorLimitDrugs) per drug, \(award.distributorLimitConsumables) per consumable"
            )
        }
        guard model.access.manages && model.overview.state.phase != .published else { return text }
        return .fragment([text, policyForm(award)])
    }

    /// The province's administrator changes the policy before publication.
    func policyForm(_ award: AwardPolicy) -> Node {
        func percents(_ ratios: [Ratio]) -> String { ratios.map { String($0.numerator * 100 / max(1, $0.denominator)) }.joined(separator: ",") }
        return el("details", .id("policy-details")) {
            el("summary") { lang.t("修改约定采购量规则（公布前）", "Change the award policy (before publication)") }
            Layout.postForm(csrf: model.csrf, url(.policy), id: "policy-form") {
                el("label", Attr("for", "policy-allocation")) { lang.t("未选或未中选品牌的需求", "Demand without a winning brand") }
                el("select", .name("allocation"), .id("policy-allocation")) {
                    for rule in AwardPolicy.Allocation.allCases {
                        let name = rule == .evenly ? lang.t("平均分配", "shared evenly") : lang.t("单位含量价格最低者", "lowest price per content")
                        rule == award.allocation
                            ? el("option", .value(rule.rawValue), Attr("selected", "selected")) { name }
                            : el("option", .value(rule.rawValue)) { name }
                    }
                }
                el("label", Attr("for", "policy-flat")) { lang.t("统一比例（%，空为按表）", "One ratio (%, empty for the tables)") }
                el("input", .name("flatRatio"), .id("policy-flat"), .value(award.flatRatio.map { percents([$0]) } ?? ""))
                el("label", Attr("for", "policy-ratios")) { lang.t("按中选企业数的比例（%）", "Ratios by winners (%)") }
                el("input", .name("ratios"), .id("policy-ratios"), .value(percents(award.ratiosByWinners)))
                el("label", Attr("for", "policy-restricted")) { lang.t("限制使用级抗菌药物（%）", "Restricted antimicrobials (%)") }
                el("input", .name("restrictedRatios"), .id("policy-restricted"), .value(percents(award.restrictedRatiosByWinners)))
                el("label", Attr("for", "policy-drugs")) { lang.t("配送企业上限（药品）", "Distributor limit (drugs)") }
                el("input", .type("number"), .name("limitDrugs"), .id("policy-drugs"), .value(String(award.distributorLimitDrugs)))
                el("label", Attr("for", "policy-consumables")) { lang.t("配送企业上限（耗材）", "Distributor limit (consumables)") }
                el("input", .type("number"), .name("limitConsumables"), .id("policy-consumables"), .value(String(award.distributorLimitConsumables)))
                el("button", .type("submit"), .id("policy-save")) { lang.t("保存", "Save") }
            }
        }
    }

    var reminder: Node {
        guard let count = model.awaitingMine, count > 0 else { return .fragment([]) }
        let deadline = model.overview.state.signingDeadline
        let late = deadline.map { model.today > $0 } ?? false
        return el("p", .class(late ? "flash error" : "flash ok"), .id("signing-reminder")) {
            lang.t("您有\(count)份协议待签署", "\(count) agreements await your signature")
            if let deadline {
                late
                    ? lang.t("，已超过签署截止日\(deadline)，请尽快签署。", ", past the signing deadline \(deadline); please sign now.")
                    : lang.t("，签署截止日\(deadline)。", "; the deadline is \(deadline).")
            }
            " "
            el("a", .href(SiteURL.batch(model.batch, .award(.agreements)).path(query: ["status": AgreementListView.awaitingMine]))) {
                lang.t("去签署", "Sign")
            }
        }
    }

    var coverageTable: Node {
        el("div", .class("card"), .id("coverage-gaps")) {
            el("h2") { lang.t("配送未覆盖的机构（按中选企业）", "Institutions no distributor covers, by manufacturer") }
            Layout.table(
                id: "coverage", headers: [lang.t("中选企业", "Manufacturer"), lang.t("编码", "Code"), lang.t("未覆盖机构数", "Institutions not covered")],
                rows: model.uncovered.map { [.text($0.name), .text($0.manufacturer), .text(String($0.institutions))] })
        }
    }

    func unsignedTable(_ unsigned: Page<UnsignedInstitution>) -> Node {
        let deadline = model.overview.state.signingDeadline
        let late = deadline.map { model.today > $0 } ?? false
        return el("div", .class("card"), .id("unsigned")) {
            el("h2") {
                (late ? lang.t("逾期未签署的机构", "Institutions past the signing deadline") : lang.t("尚未签署的机构", "Institutions that have not signed"))
                    + " (\(unsigned.total))"
            }
            if let deadline { el("p", .class("muted")) { lang.t("签署截止日：\(deadline)", "Signing deadline: \(deadline)") } }
            Layout.table(
                id: "unsigned-list",
                headers: [lang.t("机构", "Institution"), lang.t("编码", "Code"), lang.t("区划", "Region"), lang.t("待签协议", "Awaiting")],
                rows: unsigned.items.map { [.text($0.name), .text($0.code), .text($0.regionCode), .text(String($0.awaiting))] })
            // Paged on the server: a province has hundreds of institutions yet to sign.
            model.params.map { Layout.pager(lang, unsigned, $0, key: "unsignedPage", id: "unsigned-pager") } ?? .fragment([])
        }
    }

    var links: Node {
        el("p", .class("actions")) {
            if model.access.volumePrefix != nil || model.access.ownInstitution != nil {
                el("a", .href(url(.volumes)), .id("award-volumes"), .class("button")) { lang.t("约定采购量", "Agreed volumes") }
                " "
            }
            el("a", .href(url(.agreements)), .id("award-agreements"), .class("button")) { lang.t("三方购销协议", "Agreements") }
            " "
            el("a", .href(url(.prices)), .id("award-prices"), .class("button")) { lang.t("挂网价格与支付标准", "Prices and payment standards") }
            if model.access.volumePrefix != nil {
                " "
                el("a", .href(url(.volumesXLSX)), .id("award-xlsx"), .class("button secondary")) { lang.t("导出约定采购量（XLSX）", "Volumes (XLSX)") }
            }
            if model.access.seesProgress && model.overview.gaps > 0 {
                " "
                el("a", .href(url(.gaps)), .id("award-gaps"), .class("button secondary")) {
                    lang.t("覆盖缺口（\(model.overview.gaps)处）", "Coverage gaps (\(model.overview.gaps))")
                }
            }
            if model.access.manages && model.overview.state.phase == .published {
                " "
                el("a", .href(url(.ocds)), .id("award-ocds"), .class("button secondary")) { lang.t("导出OCDS", "OCDS export") }
            }
        }
    }

    var actions: Node {
        let phase = model.overview.state.phase
        return el("div", .class("card"), .id("award-actions")) {
            el("h2") { lang.t("省级操作", "Province actions") }
            el("p", .class("muted")) {
                lang.t(
                    "中选结果\(model.overview.results.count)条；约定采购量\(model.overview.volumes)条；覆盖缺口\(model.overview.gaps)处；协议\(model.overview.agreements)份。",
                    "\(model.overview.results.count) results; \(model.overview.volumes) volumes; \(model.overview.gaps) coverage gaps; \(model.overview.agreements) agreements."
                )
            }
            Layout.postForm(csrf: model.csrf, url(.results), id: "results-form", multipart: true) {
                el("label", Attr("for", "results-file")) {
                    phase == .published
                        ? lang.t("更正中选结果（保留原记录）", "Correct the results (old rows are kept)")
                        : lang.t("导入中选结果（CSV/XLSX）", "Import the winning results (CSV/XLSX)")
                }
                el("input", .type("file"), .name("file"), .id("results-file"), Attr("accept", ".csv,.xlsx"), .required)
                el("button", .type("submit"), .id("import-results")) { lang.t("导入", "Import") }
            }
            if phase == .resultsImported || phase == .computed {
                Layout.postForm(csrf: model.csrf, url(.compute), id: "compute-form") {
                    el("button", .type("submit"), .id("compute")) { lang.t("计算约定采购量", "Compute the agreed volumes") }
                    el("span", .class("muted")) {
                        lang.t(" 按省级审核通过并锁定的报量计算，可重复计算", " from the province-approved reports of the locked batch; may be run again")
                    }
                }
            }
            if phase == .computed {
                Layout.postForm(csrf: model.csrf, url(.publish), id: "publish-form") {
                    el("label", Attr("for", "start")) { lang.t("执行起始日", "Execution start") }
                    el("input", .type("date"), .name("start"), .id("start"), .required)
                    el("label", Attr("for", "end")) { lang.t("采购周期截止日", "Cycle end (last day)") }
                    el("input", .type("date"), .name("end"), .id("end"), .required)
                    el("label", Attr("for", "deadline")) { lang.t("协议签署截止日", "Signing deadline") }
                    el("input", .type("date"), .name("deadline"), .id("deadline"))
                    el("button", .type("submit"), .id("publish")) { lang.t("公布约定采购量并生成协议", "Publish and create the agreements") }
                }
            }
            if phase == .published {
                Layout.postForm(csrf: model.csrf, url(.send), id: "send-form") {
                    el("button", .type("submit"), .id("send")) { lang.t("发出已确定配送企业的协议", "Send the agreements that have a distributor") }
                }
                Layout.postForm(csrf: model.csrf, url(.renew), id: "renew-form") {
                    el("button", .type("submit"), .id("renew"), .class("secondary")) {
                        lang.t("生成下一协议年度的协议", "Create the next agreement year's agreements")
                    }
                }
            }
        }
    }

    var progressTable: Node {
        el("div", .class("card")) {
            el("h2") { lang.t("协议签署进度", "Signing progress") }
            Layout.table(
                id: "signing-progress",
                headers: [lang.t("城市", "City"), lang.t("协议", "Agreements"), lang.t("已生效", "In force"), lang.t("待机构签署", "Awaiting the institution")],
                rows: model.progress.map { row in
                    [.text(row.regionName), .text(String(row.agreements)), .text(String(row.inForce)), .text(String(row.awaitingInstitution))]
                })
        }
    }

    func networkCard(_ network: AgreementService.Network) -> Node {
        el("div", .class("card"), .id("distributor-network")) {
            el("h2") { lang.t("配送企业（按统筹区）", "Distributors by coordination area") }
            Layout.table(
                id: "network", headers: [lang.t("统筹区", "Area"), lang.t("配送企业", "Distributor"), ""],
                rows: network.network.byArea.sorted(by: { $0.key < $1.key }).flatMap { area, distributors in
                    distributors.map { distributor in
                        [
                            .text("\(network.name(ofArea: area))（\(area)）"),
                            el("span", Attr("title", distributor)) { network.name(ofDistributor: distributor) },
                            Layout.postForm(csrf: model.csrf, url(.removeDistributor)) {
                                el("input", .type("hidden"), .name("manufacturer"), .value(network.manufacturerCode))
                                el("input", .type("hidden"), .name("area"), .value(area))
                                el("input", .type("hidden"), .name("distributor"), .value(distributor))
                                el("button", .type("submit"), .class("secondary")) { lang.t("移除", "Remove") }
                            },
                        ]
                    }
                })
            Layout.postForm(csrf: model.csrf, url(.distributors), id: "distributor-form") {
                el("input", .type("hidden"), .name("manufacturer"), .value(network.manufacturerCode))
                el("label", Attr("for", "area")) { lang.t("统筹区", "Area") }
                if network.areas.isEmpty {
                    el("input", .type("text"), .name("area"), .id("area"), Attr("pattern", "[0-9]{4}"), .required)
                } else {
                    el("select", .name("area"), .id("area"), .required) {
                        for area in network.areas { el("option", .value(area.code)) { "\(area.name)（\(area.code)）" } }
                    }
                }
                el("label", Attr("for", "distributor")) { lang.t("配送企业", "Distributor") }
                if network.distributorNames.isEmpty {
                    el("input", .type("text"), .name("distributor"), .id("distributor"), .required)
                } else {
                    el("select", .name("distributor"), .id("distributor"), .required) {
                        for (code, name) in network.distributorNames.sorted(by: { ($0.value, $0.key) < ($1.value, $1.key) }) {
                            el("option", .value(code)) { "\(name)（\(code)）" }
                        }
                    }
                }
                el("button", .type("submit"), .id("add-distributor")) { lang.t("添加", "Add") }
            }
            el("p", .id("uncovered")) {
                network.uncovered.isEmpty
                    ? lang.t("所有参与机构均已有配送企业覆盖。", "Every participating institution is covered.")
                    : lang.t("未覆盖的机构（\(network.uncovered.count)）：", "Institutions not covered (\(network.uncovered.count)): ")
                        + network.uncovered.joined(separator: "、")
            }
        }
    }

    /// Yuan per minimal unit to four decimals, rounded half up for display (the stored price is the exact pack price).
    static func unitPrice(_ packFen: Int64, packSize: Int64) -> String {
        let tenThousandths = (Int128(packFen) * 100).dividedRoundingHalfUp(by: Int128(max(1, packSize)))
        let whole = tenThousandths / 10_000
        let part = String(Int(tenThousandths % 10_000))
        return "\(whole).\(String(repeating: "0", count: 4 - part.count))\(part)"
    }

    func resultRow(_ row: StoredResult) -> [Node] {
        [
            .text(row.varietyCode), .text(row.specCode), .text(row.entry.productCode), .text(row.manufacturerName),
            .text(lang.t(row.entry.role.label) + (row.entry.backupOrder.map { " \($0)" } ?? "")), .text(Fen(row.entry.packPriceFen).yuanText),
            .text(Self.unitPrice(row.entry.packPriceFen, packSize: row.entry.packSize ?? model.overview.packSizes[row.specCode] ?? 1)),
            .text(row.entry.referencePriceFen.map { Fen($0).yuanText } ?? "—"),
            .text(row.entry.regions.isEmpty ? lang.t("全省", "whole province") : row.entry.regions.joined(separator: "、")),
            .text(String(row.version)),
            .text(
                row.supersededAt.map { lang.t("已被更正（\(ReportingWindow.shanghaiText($0))）", "superseded (\(ReportingWindow.shanghaiText($0)))") }
                    ?? (row.version > 1 ? "\(row.changedBy) \(ReportingWindow.shanghaiText(row.changedAt))" : "")),
        ]
    }

    var results: Node {
        el("div", .class("card")) {
            el("h2") { model.history ? lang.t("中选结果（含更正记录）", "Winning results (with corrections)") : lang.t("中选结果", "Winning results") }
            el("p", .class("muted")) {
                model.history
                    ? el("a", .href(SiteURL.batch(model.batch, .award(.overview)).path), .id("results-current")) {
                        lang.t("只看现行结果", "Current results only")
                    }
                    : el("a", .href(SiteURL.batch(model.batch, .award(.overview)).path(query: ["history": "1"])), .id("results-history")) {
                        lang.t("显示更正记录", "Show corrections")
                    }
            }
            Layout.table(
                id: "results",
                headers: [
                    lang.t("品种", "Variety"), lang.t("规格", "Spec"), lang.t("产品", "Product"), lang.t("生产企业", "Manufacturer"), lang.t("类型", "Role"),
                    lang.t("中选价（元/包装）", "Price (yuan/pack)"), lang.t("单位价（元/最小单位）", "Unit price (yuan)"), lang.t("采购前参考价", "Reference price"),
                    lang.t("供应地区", "Supplies"),
                    lang.t("版本", "Version"), lang.t("更正", "Changed"),
                ], filter: lang, rows: model.overview.results.map(resultRow))
        }
    }
}

/// One page of agreed volumes, each with how it came about.
struct VolumeListView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<StoredVolume>
        var params: ListParams
        /// The province's administrator, once the volumes are published: adjustments with a reason.
        var mayAdjust: Bool
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("约定采购量", "Agreed volumes") },
            el("p", .class("muted")) {
                lang.t(
                    "约定采购量 = Σ 报送量 × 有效含量 × 约定比例 ÷ 中选产品有效含量，按机构 × 中选产品四舍五入一次；金额 = 数量 × 中选价 ÷ 包装数量。",
                    "Agreed quantity = Σ reported quantity × content × ratio ÷ the winning product's content, rounded half up once per institution × product; amount = quantity × winning price ÷ pack size."
                )
            },
            Layout.pagedTable(
                id: "volumes",
                headers: [
                    .text(lang.t("机构", "Institution")), .text(lang.t("产品", "Product")), .text(lang.t("生产企业", "Manufacturer")),
                    .text(lang.t("约定采购量", "Agreed quantity")), .text(lang.t("金额（元）", "Amount (yuan)")), .text(lang.t("依据", "How it came about")),
                ],
                rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "volumes-pager"),
            model.mayAdjust ? adjustForm : .fragment([]),
        ])
    }

    var adjustForm: Node {
        el("div", .class("card")) {
            el("h2") { lang.t("调整已公布的约定采购量", "Adjust a published agreed volume") }
            el("p", .class("muted")) {
                lang.t("调整须说明理由；原数据作为历史版本保留并记入审计日志。", "An adjustment needs a reason; the previous figure is kept as a version and audited.")
            }
            Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .award(.adjust)).path, id: "adjust-form") {
                el("label", Attr("for", "adjust-institution")) { lang.t("机构编码", "Institution code") }
                el("input", .type("text"), .name("institution"), .id("adjust-institution"), .required)
                el("label", Attr("for", "adjust-product")) { lang.t("产品编码", "Product code") }
                el("input", .type("text"), .name("product"), .id("adjust-product"), .required)
                el("label", Attr("for", "adjust-quantity")) { lang.t("调整后数量（最小单位）", "New quantity (minimal units)") }
                el("input", .type("number"), .name("quantity"), .id("adjust-quantity"), Attr("min", "0"), .required)
                el("label", Attr("for", "adjust-reason")) { lang.t("理由", "Reason") }
                el("input", .type("text"), .name("reason"), .id("adjust-reason"), .required)
                el("button", .type("submit"), .id("adjust")) { lang.t("调整", "Adjust") }
            }
        }
    }

    func row(_ volume: StoredVolume) -> [Node] {
        [
            .text("\(volume.institutionName) \(volume.institutionCode)"), .text("\(volume.productCode)（\(volume.specCode)）"),
            .text(volume.manufacturerName),
            el("span", .data("product", volume.productCode), .class("quantity")) { String(volume.quantity) }, .text(Fen(volume.amountFen).yuanText),
            explanation(volume),
        ]
    }

    func explanation(_ volume: StoredVolume) -> Node {
        el("ul", .class("sources")) {
            for source in volume.sources {
                el("li") {
                    lang.t(
                        "\(source.reporter) 报 \(source.specCode) \(source.reportedQuantity) × \(source.ratio)"
                            + (source.chosenBrand ? "（所选厂牌中选）" : "（按最低单位有效含量价格分配，003 §3）"),
                        "\(source.reporter) reported \(source.specCode) \(source.reportedQuantity) × \(source.ratio)"
                            + (source.chosenBrand ? " (its chosen brand won)" : " (allocated to the lowest price per content, 003 §3)"))
                }
            }
            if !volume.reason.isEmpty {
                el("li", .class("adjusted")) {
                    lang.t("第\(volume.version)版调整：\(volume.reason)", "Adjusted (version \(volume.version)): \(volume.reason)")
                }
            }
        }
    }
}
