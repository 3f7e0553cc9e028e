import Foundation
import JicaiCore
import JicaiServices

/// The alerts inbox: by status with counts, paged on the server, each alert with its numbers, clause and life; an
/// institution acknowledges with a note, a city or the province may also resolve by hand with a reason.
struct AlertInboxView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<StoredAlert>
        var status: AlertStatus?
        var code: AlertCode?
        var counts: [AlertStatus: Int64]
        var access: MonitorService.Access
        var params: ListParams
        var csrf: String
        /// What each bulk action would handle in the list as filtered (resolve only for bureaus).
        var bulk: [MonitorService.BulkAlertAction: Int64] = [:]
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("预警", "Alerts") },
            el("p", .class("tabs no-print"), .id("alert-tabs")) {
                for status in AlertStatus.allCases {
                    el(
                        "a", .href(model.params.href(["status": status.rawValue, "page": nil])), .class(model.status == status ? "tab active" : "tab")
                    ) {
                        "\(lang.t(status.label))（\(model.counts[status] ?? 0)）"
                    }
                    " "
                }
                el("a", .href(model.params.href(["status": "all", "page": nil])), .class(model.status == nil ? "tab active" : "tab")) {
                    lang.t("全部", "All")
                }
            },
            el("p", .class("no-print")) {
                lang.t("类型：", "Kind: ")
                el("a", .href(model.params.href(["code": nil, "page": nil]))) { lang.t("全部", "all") }
                for code in AlertCode.allCases {
                    " · "
                    el("a", .href(model.params.href(["code": code.rawValue, "page": nil])), .class(model.code == code ? "active" : "")) {
                        lang.t(code.label)
                    }
                }
            },
            bulkForms,
            Layout.pagedTable(
                id: "alerts",
                headers: [
                    .text(lang.t("级别", "Severity")), .text(lang.t("预警", "Alert")), .text(lang.t("机构", "Institution")), .text(lang.t("品种", "Unit")),
                    .text(lang.t("说明", "Details")), .text(lang.t("状态", "Status")), .text(lang.t("处理", "Action")),
                ], rows: model.page.items.map(row)),
            Layout.pager(lang, model.page, model.params, id: "alerts-pager"),
        ])
    }

    /// One confirmed form per bulk action over the list as filtered (kind, area): one note for all, each alert audited.
    var bulkForms: Node {
        let actions = MonitorService.BulkAlertAction.allCases.filter { (model.bulk[$0] ?? 0) > 0 }
        guard !actions.isEmpty else { return .fragment([]) }
        return el("details", .class("no-print"), .id("bulk-alerts")) {
            el("summary") { lang.t("批量处理", "Handle in bulk") }
            for action in actions {
                let count = model.bulk[action] ?? 0
                Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .monitor(.bulkAlerts)).path, id: "bulk-\(action.rawValue)") {
                    el("input", .type("hidden"), .name("action"), .value(action.rawValue))
                    el("input", .type("hidden"), .name("code"), .value(model.code?.rawValue ?? ""))
                    el("input", .type("hidden"), .name("region"), .value(model.params["region"] ?? ""))
                    el("input", .type("hidden"), .name("expected"), .value(String(count)))
                    el("input", .type("hidden"), .name("back"), .value(model.params.href([:])))
                    el(
                        "input", .type("text"), .name("note"), Attr("required", "required"),
                        Attr("placeholder", action == .acknowledge ? lang.t("统一说明", "One note for all") : lang.t("统一解除理由", "One reason for all")))
                    el("label") {
                        el("input", .type("checkbox"), .name("confirm"), .value("1"), Attr("required", "required"))
                        action == .acknowledge
                            ? lang.t("确认知悉筛选出的全部\(count)条待处理预警", "Acknowledge all \(count) open alerts of this list")
                            : lang.t("确认解除筛选出的全部\(count)条未解除预警", "Resolve all \(count) unresolved alerts of this list")
                    }
                    el("button", .type("submit")) {
                        action == .acknowledge
                            ? lang.t("全部知悉（\(count)条）", "Acknowledge all (\(count))") : lang.t("全部解除（\(count)条）", "Resolve all (\(count))")
                    }
                }
            }
        }
    }

    func row(_ alert: StoredAlert) -> [Node] {
        let detail = SiteURL.batch(model.batch, .monitor(.dashboard)).path(query: [
            "institution": alert.key.institutionCode, "unit": alert.key.unitKey,
        ])
        return [
            el("span", .class(alert.severity == .severe ? "badge severe" : "badge")) { lang.t(alert.severity.label) },
            .text(lang.t(alert.key.code.label)),
            .text("\(alert.institutionName)（\(alert.key.institutionCode)）"),
            el("a", .href(detail)) { alert.key.unitKey },
            .text(lang.t(alert.message)),
            .fragment([
                .text(lang.t(alert.status.label)),
                alert.note.map { note in el("div", .class("muted")) { lang.t("说明：", "Note: ") + note } } ?? .fragment([]),
                alert.reason.map { reason in el("div", .class("muted")) { lang.t("解除理由：", "Reason: ") + reason } } ?? .fragment([]),
                alert.resolution == "auto"
                    ? el("div", .class("muted")) { lang.t("数据恢复后自动解除", "resolved when the numbers recovered") } : .fragment([]),
            ]),
            actions(alert),
        ]
    }

    func actions(_ alert: StoredAlert) -> Node {
        let back = model.params.href([:])
        return .fragment([
            alert.status == .open
                ? form(alert, page: .acknowledge, field: lang.t("处理说明", "Note"), button: lang.t("知悉", "Acknowledge"), back: back) : .fragment([]),
            alert.status.isLive && model.access.mayResolve
                ? form(alert, page: .resolve, field: lang.t("解除理由", "Reason"), button: lang.t("人工解除", "Resolve"), back: back) : .fragment([]),
        ])
    }

    func form(_ alert: StoredAlert, page: SiteURL.MonitorPage, field: String, button: String, back: String) -> Node {
        el(
            "form", .action(SiteURL.batch(model.batch, .monitor(page)).path), .postMethod,
            .class("inline \(page.rawValue.replacingOccurrences(of: "/", with: "-"))")
        ) {
            Layout.csrf(model.csrf)
            el("input", .type("hidden"), .name("id"), .value(String(alert.id)))
            el("input", .type("hidden"), .name("back"), .value(back))
            el("input", .type("text"), .name("text"), Attr("placeholder", field), Attr("maxlength", String(InputLimits.maxNoteCharacters)), .required)
            el("button", .type("submit")) { button }
        }
    }
}

/// The monthly execution summary to print and sign (004 §6, 001 §2(三)): quantity and amount, cities and lagging
/// institutions ranked.
struct MonthlyReportView {
    let report: MonitorService.MonthlyReport
    let batch: BatchKey
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { "\(report.regionName) \(lang.t("集采执行情况月度通报", "monthly execution summary"))" },
            el("p") {
                lang.t(
                    "批次：\(report.batch.name)；截至\(report.run.asOf)；协议年度\(report.year.start)至\(report.year.lastDay)；序时进度\(report.schedule.percentText)。",
                    "Batch \(report.batch.name); as of \(report.run.asOf); agreement year \(report.year.start) to \(report.year.lastDay); schedule \(report.schedule.percentText)."
                )
            },
            el("p", .class("no-print")) {
                el("a", .href(SiteURL.batch(batch, .monitor(.reportXLSX)).path), .id("report-xlsx"), .class("button")) {
                    lang.t("下载XLSX", "Download XLSX")
                }
                " "
                el("button", .type("button"), Attr("onclick", "window.print()")) { lang.t("打印", "Print") }
            },
            el("h2") { lang.t("一、金额（双通报）", "1. Amounts") },
            groupTable(id: "areas", [report.total] + report.areas),
            el("h2") { lang.t("二、进度滞后的机构（按采购进度从低到高）", "2. Institutions behind the schedule (lowest first)") },
            groupTable(id: "lagging", report.laggingInstitutions),
            el("h2") { lang.t("三、数量（按品种，有效含量）", "3. Quantities by variety (effective content)") },
            Layout.table(
                id: "units",
                headers: [
                    lang.t("品种", "Unit"), lang.t("通用名", "Generic name"), lang.t("机构数", "Institutions"), lang.t("约定量", "Agreed"),
                    lang.t("中选采购量", "Winning"), lang.t("非中选采购量", "Non-winning"), lang.t("采购进度", "Completion"), lang.t("非中选数量占比", "Non-winning share"),
                ],
                rows: report.units.map { g in
                    [
                        .text(g.key), .text(report.unitNames[g.key] ?? ""), .text(String(g.positions)),
                        .text(report.content(g.agreedContent, unit: g.key)),
                        .text(report.content(g.winningContent, unit: g.key)), .text(report.content(g.nonWinningContent, unit: g.key)),
                        .text(
                            Measures.completion(winningContent: Int128(g.winningContent), agreedContent: Int128(g.agreedContent))?.percentText ?? "—"),
                        .text(g.nonWinningShare?.percentText ?? "—"),
                    ]
                }),
            Layout.signatureBlock(lang),
        ])
    }

    func groupTable(id: String, _ groups: [GroupProgress]) -> Node {
        Layout.table(
            id: id,
            headers: [
                lang.t("名称", "Name"), lang.t("约定金额（元）", "Agreed (yuan)"), lang.t("采购进度", "Completion"), lang.t("中选金额（元）", "Winning (yuan)"),
                lang.t("非中选金额（元）", "Non-winning (yuan)"), lang.t("非中选金额占比", "Non-winning share"), lang.t("集采金额占比", "VBP share"),
                lang.t("未进院", "Not entered"),
            ],
            rows: groups.map { g in
                [
                    .text(g.name.isEmpty ? g.key : g.name), .text(Fen(g.agreedAmountFen).yuanText), .text(g.completion?.percentText ?? "—"),
                    .text(Fen(g.winningAmountFen).yuanText), .text(Fen(g.nonWinningAmountFen).yuanText),
                    .text(g.nonWinningAmountShare?.percentText ?? "—"),
                    .text(g.vbpAmountShare?.percentText ?? "—"), .text(String(g.notEntered)),
                ]
            })
    }
}

/// Prescription review: the departments and doctors reported for heavy non-winning use (004 §2).
struct ReviewView {
    struct Model: Sendable {
        var batch: BatchKey
        var lines: [MonitorService.ReviewLine]
        var from: MonthKey
        var through: MonthKey
        var access: MonitorService.Access
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("处方点评：非中选产品使用偏高的科室和医生", "Prescription review") },
            el("p", .class("muted")) {
                lang.t(
                    "\(model.from)至\(model.through)，非中选产品数量占比超过阈值且金额达到阈值的科室、医生（004 §2，001 §2(三)）。医生身份仅对医疗机构负责人和市医保局显示。",
                    "\(model.from) to \(model.through): departments and doctors whose non-winning share and amount are above the thresholds (004 §2, 001 §2(三)). Doctor identities are shown to the institution's head and the city bureau only."
                )
            },
            Layout.table(
                id: "review",
                headers: [
                    lang.t("机构", "Institution"), lang.t("科室", "Department"), lang.t("医生", "Doctor"), lang.t("品种", "Unit"),
                    lang.t("非中选数量占比", "Non-winning share"), lang.t("非中选金额（元）", "Non-winning amount (yuan)"),
                ],
                rows: model.lines.map { line in
                    [
                        .text(line.institutionName), .text(line.department), .text(line.doctor ?? "—"), .text(line.unitKey),
                        .text(line.tally.nonWinningShare?.percentText ?? "—"), .text(Fen(line.tally.nonWinningAmountFen).yuanText),
                    ]
                }),
            model.access.manages
                ? el("form", .action(SiteURL.batch(model.batch, .monitor(.usage)).path), .postMethod, .multipart, .class("no-print")) {
                    Layout.csrf(model.csrf)
                    el("label") { lang.t("导入科室医生用药明细（CSV/XLSX）", "Import use by department and doctor (CSV/XLSX)") }
                    el("input", .type("file"), .name("file"), .required)
                    el("button", .type("submit")) { lang.t("导入", "Import") }
                } : .fragment([]),
        ])
    }
}

/// The city's half-yearly report on handling execution problems (001 §4): the alerts of the half and their
/// resolutions, the city's measures and open problems, saved as a draft and submitted; the province's list of cities.
struct CityReportView {
    struct Model: Sendable {
        var batch: BatchKey
        var period: HalfYear
        var statuses: [MonitorService.CityReportStatus]
        var report: MonitorService.CityReport?
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let page = SiteURL.batch(model.batch, .monitor(.cityReport))
        return .fragment([
            el("h1") { "\(lang.t(model.period.label))\(lang.t("集采执行问题处置情况报告", " report on execution problems"))" },
            el("p", .class("muted")) {
                lang.t(
                    "各市医保局每年1月10日和7月10日前报送（001 §4）；本期截止\(model.period.due.map(\.description) ?? "—")。",
                    "Each city submits before 10 January and 10 July (001 §4); this one is due \(model.period.due.map(\.description) ?? "—").")
                " "
                model.period.previous.map { previous in
                    el("a", .href(page.path(query: ["period": previous.description]))) { lang.t("上一期", "previous") }
                } ?? .fragment([])
            },
            model.statuses.isEmpty
                ? .fragment([])
                : Layout.table(
                    id: "city-reports", headers: [lang.t("城市", "City"), lang.t("状态", "State"), lang.t("报送时间", "Submitted")],
                    rows: model.statuses.map { status in
                        [
                            el("a", .href(page.path(query: ["period": model.period.description, "city": status.cityCode]))) { status.cityName },
                            .text(
                                status.submittedAt != nil
                                    ? lang.t("已报送", "submitted") : (status.drafted ? lang.t("草稿", "draft") : lang.t("未报送", "not submitted"))),
                            .text(status.submittedAt.map { ReportingWindow.shanghaiText($0) } ?? "—"),
                        ]
                    }),
            model.report.map(report) ?? .fragment([]),
        ])
    }

    func report(_ r: MonitorService.CityReport) -> Node {
        el("section", .id("city-report")) {
            el("h2") { r.cityName }
            el("dl", .class("figures")) {
                for code in AlertCode.allCases {
                    el("dt") { lang.t(code.label) }
                    el("dd") { String(r.figures.raised[code] ?? 0) }
                }
                el("dt") { lang.t("待处理", "Open") }
                el("dd") { String(r.figures.open) }
                el("dt") { lang.t("已知悉", "Acknowledged") }
                el("dd") { String(r.figures.acknowledged) }
                el("dt") { lang.t("数据恢复自动解除", "Resolved by recovery") }
                el("dd") { String(r.figures.resolvedAuto) }
                el("dt") { lang.t("人工解除", "Resolved by hand") }
                el("dd") { String(r.figures.resolvedByHand) }
            }
            Layout.table(
                id: "hand-resolutions",
                headers: [lang.t("机构", "Institution"), lang.t("品种", "Unit"), lang.t("预警", "Alert"), lang.t("解除理由", "Reason")],
                rows: r.handResolutions.map {
                    [.text($0.institutionName), .text($0.key.unitKey), .text(lang.t($0.key.code.label)), .text($0.reason ?? "")]
                })
            if r.editable {
                el("form", .action(SiteURL.batch(model.batch, .monitor(.cityReportSave)).path), .postMethod, .id("city-report-form")) {
                    Layout.csrf(model.csrf)
                    el("input", .type("hidden"), .name("period"), .value(r.period.description))
                    el("label") { lang.t("采取的处置措施", "Measures taken") }
                    el("textarea", .name("measures"), Attr("rows", "6"), Attr("maxlength", String(InputLimits.maxReportTextCharacters))) {
                        r.stored?.measures ?? ""
                    }
                    el("label") { lang.t("尚存的问题和建议", "Open problems and proposals") }
                    el("textarea", .name("problems"), Attr("rows", "4"), Attr("maxlength", String(InputLimits.maxReportTextCharacters))) {
                        r.stored?.problems ?? ""
                    }
                    el("button", .type("submit"), .name("submit"), .value("0")) { lang.t("保存草稿", "Save draft") }
                    " "
                    el("button", .type("submit"), .name("submit"), .value("1"), .id("submit-city-report")) {
                        lang.t("报送省医保局", "Submit to the province")
                    }
                }
            } else if let stored = r.stored {
                el("h3") { lang.t("采取的处置措施", "Measures taken") }
                el("p") { stored.measures }
                el("h3") { lang.t("尚存的问题和建议", "Open problems and proposals") }
                el("p") { stored.problems }
                el("p", .class("muted")) {
                    stored.submittedAt.map { lang.t("已于\(ReportingWindow.shanghaiText($0))报送", "submitted \(ReportingWindow.shanghaiText($0))") }
                        ?? lang.t("草稿", "draft")
                }
            }
        }
    }
}
