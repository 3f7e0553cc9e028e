import Foundation
import JicaiCore
import JicaiServices

/// The dashboard: where a region, an institution or one institution × unit stands against the schedule, with the
/// trend, the ranking, "why behind" (the waterfall of each row's pull on the gap, demand or supply side), the
/// non-winning share over months, and at the last level the figures that explain each number. Every chart has its
/// table and an XLSX download.
struct MonitorView {
    struct Model: Sendable {
        var batch: BatchKey
        var board: MonitorService.Dashboard?
        var access: MonitorService.Access
        var counts: [AlertStatus: Int64]
        var alerts: [StoredAlert]
        var problems: [Problem]
        /// The latest purchase imports (managers only).
        var imports: [PurchaseImportEntry]
        var params: ListParams
        var csrf: String
    }

    /// A verified supply problem and its note.
    struct Problem: Sendable {
        var problem: SupplyProblem
        var note: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("执行监测", "Use monitoring") },
            toolbar,
            model.board.map(board)
                ?? el("p", .class("muted"), .id("not-computed")) {
                    lang.t(
                        "尚未计算执行监测：约定采购量公布并导入采购明细后，由省级管理员重算。",
                        "Not computed yet: once the volumes are published and purchases imported, the province recomputes.")
                },
            model.access.manages ? manage : .fragment([]),
            problems,
        ])
    }

    var toolbar: Node {
        let open = model.counts[.open] ?? 0
        let acknowledged = model.counts[.acknowledged] ?? 0
        return el("p", .class("toolbar no-print")) {
            el("a", .href(SiteURL.batch(model.batch, .monitor(.alerts)).path), .id("alerts-link"), .class("button")) {
                lang.t("预警：待处理\(open)，已知悉\(acknowledged)", "Alerts: \(open) open, \(acknowledged) acknowledged")
            }
            " "
            if model.access.regionPrefix != nil {
                el("a", .href(SiteURL.batch(model.batch, .monitor(.report)).path), .id("report-link")) { lang.t("月度通报", "Monthly summary") }
                " · "
            }
            if model.access.seesReview {
                el("a", .href(SiteURL.batch(model.batch, .monitor(.review)).path)) { lang.t("处方点评", "Prescription review") }
                " · "
            }
            if model.access.regionPrefix != nil {
                el("a", .href(SiteURL.batch(model.batch, .monitor(.cityReport)).path), .id("city-report-link")) {
                    lang.t("半年处置报告", "Half-yearly report")
                }
                " · "
            }
            el("a", .href(SiteURL.batch(model.batch, .monitor(.dashboardXLSX)).path + queryTail), .id("dashboard-xlsx")) {
                lang.t("下载本页表格（XLSX）", "Download these tables (XLSX)")
            }
        }
    }

    var queryTail: String {
        let path = model.params.href([:])
        return path.firstIndex(of: "?").map { String(path[$0...]) } ?? ""
    }

    func percent(_ f: Fraction?) -> String { f?.percentText ?? "—" }

    func board(_ b: MonitorService.Dashboard) -> Node {
        let completion = b.total.completion
        let gap = b.total.pull(schedule: b.schedule, parentAgreedFen: b.total.agreedAmountFen)
        return .fragment([
            levelHeading(b),
            el("dl", .class("figures"), .id("headline")) {
                el("dt") { lang.t("截至", "As of") }
                el("dd") { b.run.asOf.description }
                el("dt") { lang.t("协议年度", "Agreement year") }
                el("dd") { "\(b.year.start) – \(b.year.lastDay)" }
                el("dt") { lang.t("序时进度", "Schedule") }
                el("dd", .id("schedule")) { b.schedule.percentText }
                el("dt") { lang.t("采购进度（按约定金额加权）", "Completion (weighed by agreed amount)") }
                el("dd", .id("completion")) { percent(completion) }
                el("dt") { lang.t("与序时进度差距", "Gap to schedule") }
                el("dd", .id("gap")) { lang.t("\(ScheduleGap.pointsText(gap))个百分点", "\(ScheduleGap.pointsText(gap)) points") }
                el("dt") { lang.t("非中选金额占比", "Non-winning amount share") }
                el("dd") { percent(b.total.nonWinningAmountShare) }
                el("dt") { lang.t("集采金额占比", "VBP amount share") }
                el("dd") { percent(b.total.vbpAmountShare) }
                el("dt") { lang.t("未进院（机构品种）", "Not entered (positions)") }
                el("dd") { String(b.total.notEntered) }
            },
            b.position.map { positionDetail($0, board: b) } ?? .fragment([]),
            trend(b),
            b.position == nil ? rowsSection(b) : .fragment([]),
        ])
    }

    func levelHeading(_ b: MonitorService.Dashboard) -> Node {
        let base = SiteURL.batch(model.batch, .monitor(.dashboard))
        return el("nav", .class("drill"), .id("drill")) {
            if model.access.regionPrefix != nil {
                el("a", .href(base.path)) { lang.t("全部地区", "All areas") }
                if b.regionPrefix.count > (model.access.regionPrefix ?? "").count {
                    " › "
                    el("a", .href(base.path(query: ["region": b.regionPrefix]))) { b.regionName }
                }
            }
            if let institution = b.query.institution {
                " › "
                el("a", .href(base.path(query: ["institution": institution]))) { institution }
            }
            if let unit = b.query.unit {
                " › "
                el("strong") { unit }
            }
        }
    }

    func trend(_ b: MonitorService.Dashboard) -> Node {
        let labels = b.trend.map { "\($0.month.month)月" }
        let chart = SVGCharts.progress(
            title: lang.t("采购进度与序时进度", "Completion against the schedule"), labels: labels, actual: b.trend.map { SVGCharts.percent($0.completion) },
            schedule: b.trend.map { SVGCharts.percent($0.schedule) ?? 0 }, legend: (lang.t("采购进度", "completion"), lang.t("序时进度", "schedule")))
        let cap = SVGCharts.percent(Fraction(Int128(b.policy.nonWinningCap.numerator), Int128(b.policy.nonWinningCap.denominator)))
        let shares = SVGCharts.columns(
            title: lang.t("各月非中选金额占比", "Non-winning amount share by month"), id: "share-chart", labels: labels,
            values: b.trend.map { SVGCharts.percent($0.tally.nonWinningAmountShare) }, cap: cap)
        return el("section", .class("charts")) {
            el("h2") { lang.t("进度曲线", "Progress") }
            el("div", .class("chart-pair")) {
                chart
                Layout.table(
                    id: "trend",
                    headers: [
                        lang.t("月份", "Month"), lang.t("累计采购进度", "Completion"), lang.t("序时进度", "Schedule"), lang.t("非中选金额占比", "Non-winning share"),
                    ],
                    rows: b.trend.map {
                        [
                            .text($0.month.description), .text(percent($0.completion)), .text($0.schedule.percentText),
                            .text(percent($0.tally.nonWinningAmountShare)),
                        ]
                    })
            }
            el("h2") { lang.t("非中选产品占比", "Non-winning share") }
            el("div", .class("chart-pair")) {
                shares
                Layout.table(
                    id: "share-table",
                    headers: [
                        lang.t("月份", "Month"), lang.t("中选金额（元）", "Winning (yuan)"), lang.t("非中选金额（元）", "Non-winning (yuan)"),
                        lang.t("非中选金额占比", "Non-winning share"),
                    ],
                    rows: b.trend.map {
                        [
                            .text($0.month.description), .text(Fen($0.tally.winningAmountFen).yuanText),
                            .text(Fen($0.tally.nonWinningAmountFen).yuanText),
                            .text(percent($0.tally.nonWinningAmountShare)),
                        ]
                    })
            }
        }
    }

    func rowsSection(_ b: MonitorService.Dashboard) -> Node {
        let base = SiteURL.batch(model.batch, .monitor(.dashboard))
        let pulls = b.byPull
        let ranked = b.groups.sorted { ($0.completion ?? Fraction(0, 1)) < ($1.completion ?? Fraction(0, 1)) }
        return el("section") {
            el("h2") { lang.t("明细与排名", "Breakdown and ranking") }
            el("p", .class("no-print")) {
                for rows in MonitorService.DashboardQuery.Rows.allCases {
                    el("a", .href(model.params.href(["rows": rows.rawValue])), .class(rows == b.rows ? "tab active" : "tab")) { rowsLabel(rows) }
                    " "
                }
            }
            el("div", .class("chart-pair")) {
                SVGCharts.bars(
                    title: lang.t("采购进度排名", "Completion ranking"), id: "ranking-chart",
                    rows: ranked.prefix(20).map { (label: label($0, b), value: SVGCharts.percent($0.completion) ?? 0) },
                    marker: SVGCharts.percent(b.schedule))
                Layout.table(
                    id: "ranking-table",
                    headers: [lang.t("名次", "Rank"), rowsLabel(b.rows), lang.t("采购进度", "Completion"), lang.t("序时进度", "Schedule")],
                    rows: ranked.prefix(20).enumerated().map { index, g in
                        [.text(String(index + 1)), .text(label(g, b)), .text(percent(g.completion)), .text(b.schedule.percentText)]
                    })
            }
            el("h2", .id("why")) { lang.t("为什么落后于序时进度", "Why behind the schedule") }
            el("p", .class("muted")) {
                lang.t(
                    "每行对总体差距的拉低（百分点）= （序时进度×约定金额 − 按约定价折算的中选采购额）÷ 总约定金额，各行相加等于总体差距；已下单未验收的部分计为供应侧，其余为需求侧（未下单）。",
                    "Each row's pull (points) = (schedule × agreed amount − winning purchases valued at the agreed price) ÷ the total agreed amount; the rows add up to the gap. What was ordered and not yet accepted is the supply side, the rest the demand side (not ordered)."
                )
            }
            waterfall(b, pulls: pulls)
            let rows = Self.page(pulls, model.params.page())
            Layout.table(
                id: "groups",
                headers: [
                    rowsLabel(b.rows), lang.t("机构品种数", "Positions"), lang.t("约定金额（元）", "Agreed (yuan)"), lang.t("采购进度", "Completion"),
                    lang.t("拉低（百分点）", "Pull (points)"), lang.t("其中供应侧", "Supply side"), lang.t("需求侧", "Demand side"),
                    lang.t("非中选金额占比", "Non-winning share"), lang.t("集采金额占比", "VBP share"), lang.t("未进院", "Not entered"),
                ], filter: lang,
                rows: rows.items.map { row in
                    let group = row.group
                    return [
                        el("a", .href(drill(group, b, base: base))) { label(group, b) }, .text(String(group.positions)),
                        .text(Fen(group.agreedAmountFen).yuanText),
                        .text(percent(group.completion)), .text(ScheduleGap.pointsText(row.pull)), .text(ScheduleGap.pointsText(row.supplyPull)),
                        .text(ScheduleGap.pointsText(row.demandPull)), .text(percent(group.nonWinningAmountShare)),
                        .text(percent(group.vbpAmountShare)),
                        .text(String(group.notEntered)),
                    ]
                })
            Layout.pager(lang, rows, model.params, id: "groups-pager")
        }
    }

    /// One page of the rows (a province has tens of thousands of institutions); the charts use all of them.
    static func page<T: Sendable>(_ all: [T], _ request: PageRequest) -> Page<T> {
        Page(items: Array(all.dropFirst(request.offset).prefix(request.size)), total: Int64(all.count), request: request)
    }

    /// `sorted`: the rows by pull, largest first.
    func waterfall(_ b: MonitorService.Dashboard, pulls sorted: [MonitorService.PulledGroup]) -> Node {
        let top = sorted.prefix(8)
        let rest = sorted.dropFirst(8).reduce(Int64(0)) { $0 + $1.pull }
        var steps = top.map { (label($0.group, b), Double($0.pull) / 10_000) }
        if sorted.count > 8 { steps.append((lang.t("其他", "others"), Double(rest) / 10_000)) }
        var rows: [[Node]] = [[.text(lang.t("序时进度", "schedule")), .text(b.schedule.percentText)]]
        rows += top.map { [.text(label($0.group, b)), .text(ScheduleGap.pointsText($0.pull))] }
        if sorted.count > 8 { rows.append([.text(lang.t("其他", "others")), .text(ScheduleGap.pointsText(rest))]) }
        rows.append([.text(lang.t("采购进度", "completion")), .text(percent(b.total.completion))])
        return el("div", .class("chart-pair")) {
            SVGCharts.waterfall(
                title: lang.t("从序时进度到采购进度", "From the schedule to the completion"),
                start: (lang.t("序时进度", "schedule"), SVGCharts.percent(b.schedule) ?? 0),
                steps: steps, end: (lang.t("采购进度", "completion"), SVGCharts.percent(b.total.completion) ?? 0))
            Layout.table(id: "waterfall-table", headers: [lang.t("步骤", "Step"), lang.t("进度或拉低（百分点）", "Progress, or pull down (points)")], rows: rows)
        }
    }

    func rowsLabel(_ rows: MonitorService.DashboardQuery.Rows) -> String {
        switch rows {
        case .area: lang.t("按地区", "By area")
        case .institution: lang.t("按机构", "By institution")
        case .unit: lang.t("按品种", "By variety")
        }
    }

    func label(_ g: GroupProgress, _ b: MonitorService.Dashboard) -> String {
        switch b.rows {
        case .area, .institution: g.name.isEmpty ? g.key : g.name
        case .unit: g.key
        }
    }

    func drill(_ g: GroupProgress, _ b: MonitorService.Dashboard, base: SiteURL) -> String {
        switch b.rows {
        case .area: return base.path(query: ["region": g.key])
        case .institution:
            if let unit = b.query.unit { return base.path(query: ["institution": g.key, "unit": unit]) }
            return base.path(query: ["institution": g.key])
        case .unit:
            if let institution = b.query.institution { return base.path(query: ["institution": institution, "unit": g.key]) }
            return base.path(query: ["region": b.regionPrefix, "unit": g.key])
        }
    }

    /// One institution × unit: every number with its inputs, formula and clause.
    func positionDetail(_ p: StoredPosition, board: MonitorService.Dashboard) -> Node {
        let completion = p.completion
        let share = p.tally.nonWinningShare
        return el("section", .id("position")) {
            el("h2") { "\(p.institutionName)（\(p.institutionCode)）· \(p.unitKey)" }
            Layout.table(
                id: "explain",
                headers: [lang.t("指标", "Measure"), lang.t("数值", "Value"), lang.t("计算", "How"), lang.t("依据", "Clause")],
                rows: [
                    [
                        .text(lang.t("采购进度", "Completion")), .text(percent(completion)),
                        .text(
                            lang.t(
                                "中选采购量\(board.content(p.tally.winningContent)) ÷ 年度约定量\(board.content(p.agreedContent))（有效含量）",
                                "winning \(board.content(p.tally.winningContent)) ÷ agreed \(board.content(p.agreedContent)) (effective content)")),
                        .text(
                            lang.t(
                                "004 §6；执行期间验收的中选产品，备供产品仅在认定的供应问题期间计入",
                                "004 §6; accepted winning purchases, backups only inside a verified supply problem")),
                    ],
                    [
                        .text(lang.t("序时进度", "Schedule")), .text(board.schedule.percentText),
                        .text(
                            lang.t(
                                "已过天数\(board.schedule.numerator) ÷ 协议年度天数\(board.schedule.denominator)（含当日）",
                                "days elapsed \(board.schedule.numerator) ÷ days of the year \(board.schedule.denominator) (the day counts)")),
                        .text("004 §6"),
                    ],
                    [
                        .text(lang.t("非中选数量占比", "Non-winning share")), .text(percent(share)),
                        .text(
                            lang.t(
                                "非中选\(board.content(p.tally.nonWinningContent)) ÷（中选\(board.content(p.tally.winningContent)) + 非中选\(board.content(p.tally.nonWinningContent))）；未计入（问题期外备供、低价过评产品等）\(board.content(p.tally.excludedContent))",
                                "non-winning \(board.content(p.tally.nonWinningContent)) ÷ (winning + non-winning); left out (backups outside a problem, cheaper equivalents): \(board.content(p.tally.excludedContent))"
                            )),
                        .text("004 §6, §7; 001 §2(七)"),
                    ],
                    [
                        .text(lang.t("非中选金额占比", "Non-winning amount share")), .text(percent(p.tally.nonWinningAmountShare)),
                        .text(
                            "\(Fen(p.tally.nonWinningAmountFen).yuanText) ÷ (\(Fen(p.tally.winningAmountFen).yuanText) + \(Fen(p.tally.nonWinningAmountFen).yuanText))"
                        ),
                        .text("001 §2(三)"),
                    ],
                    [
                        .text(lang.t("集采金额占比", "VBP amount share")), .text(percent(p.tally.vbpAmountShare)),
                        .text(
                            lang.t("中选产品金额 ÷ 全部挂网产品采购金额", "winning amount ÷ all listed products' amount")
                                + " = \(Fen(p.tally.winningAmountFen).yuanText) ÷ \(Fen(p.tally.totalAmountFen).yuanText)"),
                        .text("001 §2(三)"),
                    ],
                    [
                        .text(lang.t("中选产品进院", "Hospital entry")), .text(p.entered ? lang.t("已进院", "entered") : lang.t("未进院", "not entered")),
                        .text(lang.t("执行第三个月起有约定量而无中选采购即预警", "from the third month: agreed volume without winning purchase alerts")),
                        .text("004 §1"),
                    ],
                    [
                        .text(lang.t("已下单未验收", "Ordered, not accepted")), .text(board.content(p.pendingContent)),
                        .text(lang.t("超时未配送订单\(p.overdueOrders)笔", "\(p.overdueOrders) orders overdue")), .text("004 §6, §8"),
                    ],
                ])
            if !model.alerts.isEmpty {
                el("h3") { lang.t("本品种预警", "Alerts on this unit") }
                el("ul", .id("position-alerts")) {
                    for alert in model.alerts { el("li") { "\(lang.t(alert.status.label))：\(lang.t(alert.message))" } }
                }
            }
        }
    }

    var manage: Node {
        el("section", .class("no-print"), .id("monitor-manage")) {
            el("h2") { lang.t("数据与重算", "Data and recompute") }
            el("form", .action(SiteURL.batch(model.batch, .monitor(.purchases)).path), .postMethod, .multipart, .id("purchases-form")) {
                Layout.csrf(model.csrf)
                el("label") { lang.t("导入采购明细（CSV/XLSX）", "Import purchase lines (CSV/XLSX)") }
                el("input", .type("file"), .name("file"), .required)
                el("select", .name("replace"), Attr("aria-label", lang.t("替换范围", "What the file replaces"))) {
                    ReviewListView.option(
                        "months", lang.t("替换文件所含月份的全部明细（平台月度导出）", "replaces every line of the months it holds (the monthly export)"),
                        selected: true)
                    ReviewListView.option(
                        "institutions", lang.t("只替换文件所含机构在这些月份的明细（更正）", "replaces only its institutions' lines of those months (a correction)"),
                        selected: false)
                }
                el("button", .type("submit")) { lang.t("导入", "Import") }
            }
            if !model.imports.isEmpty {
                el("h3") { lang.t("最近的采购明细导入", "Latest purchase imports") }
                Layout.table(
                    id: "purchase-imports",
                    headers: [lang.t("编号", "No."), lang.t("时间", "When"), lang.t("账号", "Account"), lang.t("文件", "File"), lang.t("行数", "Lines")],
                    rows: model.imports.map { entry in
                        [
                            .text(String(entry.id)), .text(entry.at.map(ReportingWindow.shanghaiText) ?? "—"),
                            .text(entry.actor.isEmpty ? "—" : entry.actor),
                            .text(entry.file.isEmpty ? "—" : entry.file), .text(String(entry.lines)),
                        ]
                    })
            }
            el("form", .action(SiteURL.batch(model.batch, .monitor(.recompute)).path), .postMethod, .id("recompute-form")) {
                Layout.csrf(model.csrf)
                el("label") { lang.t("截至日期（空为最近导入月份的最后一天）", "As of (empty: the last day of the latest month imported)") }
                el("input", .type("date"), .name("asOf"))
                el("label") {
                    el("input", .type("checkbox"), .name("confirm"), .value("1"))
                    lang.t("确认自动解除较多预警", "Confirm resolving many alerts")
                }
                el("button", .type("submit")) { lang.t("全量重算", "Recompute all") }
            }
        }
    }

    /// The verified supply problems (004 §7): inside one, backups count as winning and non-winning purchases leave
    /// the share. The province's administrator records them.
    var problems: Node {
        guard model.access.manages || !model.problems.isEmpty else { return .fragment([]) }
        return el("section", .id("supply-problems")) {
            el("h2") { lang.t("已认定的供应问题", "Verified supply problems") }
            el("p", .class("muted")) {
                lang.t(
                    "认定期间内该地区该品种的备供产品计为中选，非中选产品不计入非中选占比（004 §7）；记录后重算生效。",
                    "Inside a verified problem, backups count as winning in that area and unit and non-winning purchases leave the share (004 §7); recompute after recording one."
                )
            }
            if !model.problems.isEmpty {
                Layout.table(
                    id: "problems",
                    headers: [lang.t("品种", "Unit"), lang.t("地区", "Area"), lang.t("起始月份", "From"), lang.t("结束月份", "Through"), lang.t("说明", "Note")],
                    rows: model.problems.map { p in
                        [
                            .text(p.problem.unit.key),
                            .text(p.problem.regionPrefix.isEmpty ? lang.t("全省", "whole province") : p.problem.regionPrefix),
                            .text(p.problem.from.description), .text(p.problem.through.description), .text(p.note),
                        ]
                    })
            }
            if model.access.manages {
                el("form", .action(SiteURL.batch(model.batch, .monitor(.addProblem)).path), .postMethod, .id("problem-form"), .class("no-print")) {
                    Layout.csrf(model.csrf)
                    el("label") { lang.t("品种编码", "Unit code") }
                    el("input", .name("unit"), .required, Attr("placeholder", "V02"))
                    el("label") { lang.t("地区代码（空为全省）", "Division code (empty: whole province)") }
                    el("input", .name("region"), Attr("inputmode", "numeric"), Attr("maxlength", "6"))
                    el("label") { lang.t("起始月份", "From") }
                    el("input", .type("month"), .name("from"), .required)
                    el("label") { lang.t("结束月份", "Through") }
                    el("input", .type("month"), .name("through"), .required)
                    el("label") { lang.t("认定说明", "Finding") }
                    el("input", .name("note"), .required, Attr("maxlength", String(InputLimits.maxNoteCharacters)))
                    el("button", .type("submit")) { lang.t("记录供应问题", "Record the problem") }
                }
            }
        }
    }
}
