import Foundation
import JicaiCore
import JicaiServices

/// The parts of the reviewers' list page: status counts, filters, the paged institutions and the paged
/// "has history, did not submit" list.
enum ReviewListView {
    /// The statuses the lists count and filter by, in the order of the pages: "none" for organisations without a
    /// report, then every `ReportStatus` (returned before the approvals, as the pages have always shown them).
    static let statuses = ["none"] + ([.draft, .submitted, .returned, .cityApproved, .provinceApproved] as [ReportStatus]).map(\.rawValue)

    static func statusText(_ lang: Lang, _ s: String?) -> String {
        s.flatMap(ReportStatus.init(rawValue:)).map { lang.t($0.label) } ?? lang.t("未填报", "not started")
    }

    /// The whole page: counts by status, filters, the paged list with its export, the paged "not submitted" list.
    static func page(_ lang: Lang, _ list: ReviewList, _ params: ListParams) -> Node {
        let batch = BatchKey(list.context.batch.code)
        return .fragment([
            el("h1") { "\(list.context.batch.name) · \(lang.t("审核", "review")) · \(list.regionPrefix)" },
            statusCounts(lang, list, params),
            filters(lang, list, params),
            el("h2") { lang.t("机构报量情况", "Institutions") + " (\(list.institutions.total))" },
            el("p", .class("no-print")) {
                el("a", .href(SiteURL.batch(batch, .reviewXLSX).path(query: ["region": list.regionPrefix])), .id("review-xlsx")) {
                    lang.t("导出本辖区机构清单（XLSX）", "Export this list (XLSX)")
                }
            },
            institutions(lang, list, params),
            el("h2", .id("not-reported")) { lang.t("有历史采购量但未提交的机构", "With history but not submitted") + " (\(list.notReported.total))" },
            notReported(lang, list, params),
        ])
    }

    static func statusCounts(_ lang: Lang, _ list: ReviewList, _ params: ListParams) -> Node {
        el("p", .class("card"), .id("status-counts")) {
            for status in statuses {
                el("a", .href(params.href(["status": status, "page": nil])), .class("badge status-\(status)")) {
                    "\(statusText(lang, status == "none" ? nil : status)) \(list.statusCounts[status] ?? 0)"
                }
                " "
            }
            el("a", .href(params.href(["status": nil, "page": nil]))) { lang.t("全部", "all") }
        }
    }

    static func filters(_ lang: Lang, _ list: ReviewList, _ params: ListParams) -> Node {
        el("form", .action(params.path), Attr("method", "get"), .class("filters no-print"), .id("review-filters")) {
            el("input", .type("hidden"), .name("region"), .value(list.regionPrefix))
            el(
                "input", .type("search"), .name("search"), .value(list.filter.text ?? ""),
                Attr("placeholder", lang.t("机构编码或名称", "Institution code or name")))
            el("select", .name("status")) {
                option("", lang.t("全部状态", "Any status"), selected: list.filter.status == nil)
                for status in statuses { option(status, statusText(lang, status == "none" ? nil : status), selected: list.filter.status == status) }
            }
            el("select", .name("finding")) {
                option("", lang.t("全部问题", "Any finding"), selected: list.filter.findingCode == nil)
                for code in FindingCode.allCases { option(code.rawValue, code.rawValue, selected: list.filter.findingCode == code.rawValue) }
            }
            el("input", .type("hidden"), .name("size"), .value(String(list.institutions.request.size)))
            el("button", .type("submit"), .class("secondary"), .id("apply-filters")) { lang.t("筛选", "Filter") }
        }
    }

    static func option(_ value: String, _ text: String, selected: Bool) -> Node {
        el("option", attrs: [.value(value)] + (selected ? [Attr("selected", nil)] : [])) { text }
    }

    static func institutions(_ lang: Lang, _ list: ReviewList, _ params: ListParams) -> Node {
        let batch = BatchKey(list.context.batch.code)
        func h(_ title: String, _ column: ReviewColumn) -> Node { Layout.sortHeader(title, column, list.sort, params) }
        return .fragment([
            Layout.pagedTable(
                id: "institutions",
                headers: [
                    h(lang.t("机构", "Institution"), .code), h(lang.t("区划", "Region"), .region), h(lang.t("状态", "Status"), .status),
                    h(lang.t("有历史规格", "Specs with history"), .specs), h(lang.t("报量行", "Lines"), .lines), h(lang.t("需处理", "Blocking"), .blocking),
                    h(lang.t("待审核", "For review"), .review), h(lang.t("能力不匹配", "Capacity flags"), .capacity),
                ],
                rows: list.institutions.items.map { row in
                    let summary = row.summary
                    return [
                        el("a", .href(SiteURL.batch(batch, .report(InstitutionKey(summary.code), .form)).path)) { "\(summary.name) \(summary.code)" },
                        .text(summary.regionCode),
                        el("span", .class("badge status-\(summary.status ?? "none")")) { statusText(lang, summary.status) },
                        .text(String(summary.specsWithHistory)), .text(String(summary.lines)), .text(String(summary.blocking)),
                        .text(String(summary.review)),
                        .text(row.capacityFlags == 0 ? "" : String(row.capacityFlags)),
                    ]
                }),
            Layout.pager(lang, list.institutions, params, id: "institutions-pager"),
        ])
    }

    static func notReported(_ lang: Lang, _ list: ReviewList, _ params: ListParams) -> Node {
        let batch = BatchKey(list.context.batch.code)
        return .fragment([
            Layout.pagedTable(
                id: "missing",
                headers: [
                    .text(lang.t("机构", "Institution")), .text(lang.t("区划", "Region")), .text(lang.t("状态", "Status")),
                    .text(lang.t("历史采购金额（元）", "History amount (yuan)")),
                ],
                rows: list.notReported.items.map { row in
                    let summary = row.summary
                    return [
                        el("a", .href(SiteURL.batch(batch, .report(InstitutionKey(summary.code), .form)).path)) { "\(summary.name) \(summary.code)" },
                        .text(summary.regionCode),
                        .text(statusText(lang, summary.status)), .text(Fen(summary.historyAmountFen).yuanText),
                    ]
                }),
            Layout.pager(lang, list.notReported, params, key: "mpage", id: "missing-pager"),
        ])
    }
}
