import Foundation
import JicaiCore
import JicaiServices

/// The stage's page: the cycle's years and their runs, the chosen year's results (lowest score first), the cities
/// ranked, the appeals with the city's and the province's forms, and the province's inputs (exemptions, the
/// disease-group list) and actions (run, approve, the workbooks).
struct AssessmentView {
    struct Model: Sendable {
        var batch: BatchKey
        var overview: AssessmentService.Overview
        var year: AgreementYear?
        var results: Page<ScoreRecord>?
        var cities: [CityAssessment]
        var appeals: [AppealRecord]
        var leads: [LeadRecord]
        var params: ListParams
        var csrf: String
        /// The cities' names by their four digits.
        var cityNames: [String: String] = [:]

        var run: AssessmentRunRecord? { year.flatMap { overview.run($0.start) } }
        func url(_ page: SiteURL.AssessmentPage) -> String { SiteURL.batch(batch, .assessment(page)).path }
        func sheet(_ code: String) -> String {
            url(.sheet) + "?year=\(year?.start.description ?? "")&institution=\(ListParams.encode(code))"
        }
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("考核与结余留用", "Assessment and savings retention") },
            el("p", .class("muted")) {
                lang.t(
                    "协议年度结束后，按约定采购量完成情况和非中选产品采购占比逐品种考核（004 §7），按得分定等级，按等级测算结余留用（004 §3，003 §8(三)）；结果发布后机构可在\(model.overview.policy.appealDays)天内申诉，市级审核、省级决定，省级审定后导出拨付清单。",
                    "After an agreement year ends each institution × variety is assessed on completion and the non-winning share (004 §7), scored and graded, and its savings retention computed by grade (004 §3, 003 §8(三)); institutions may appeal within \(model.overview.policy.appealDays) days of publication, the city reviews, the province decides and then approves the year and exports the payment list."
                )
            },
            years, summary, actions, resultsTable, citiesTable, appealsTable, leadsTable, inputs,
        ])
    }

    var years: Node {
        el("nav", .class("tabs"), .id("assessment-years")) {
            for year in model.overview.years {
                let run = model.overview.run(year.start)
                let label = "\(year.start)—\(year.lastDay)" + (run.map { lang.t("（\($0.status.label.zh)）", " (\($0.status.label.en))") } ?? "")
                el("a", .href(model.url(.overview) + "?year=\(year.start)"), .class(year == model.year ? "tab active" : "tab")) { label }
                " "
            }
        }
    }

    var summary: Node {
        if let own = model.overview.access.ownInstitution, model.run == nil {
            return el("p", .id("assessment-none")) {
                lang.t("该协议年度尚未考核。", "That agreement year has not been assessed.") + " "
                el("a", .href(model.url(.simulate) + "?institution=\(ListParams.encode(own))"), .id("simulate-link")) {
                    lang.t("考核测算：假如再采购…", "What if we buy more…")
                }
            }
        }
        guard let run = model.run else {
            return el("p", .id("assessment-none")) { lang.t("该协议年度尚未考核。", "That agreement year has not been assessed.") }
        }
        return el("dl", .class("figures"), .id("assessment-run"), .data("status", run.status.rawValue)) {
            el("dt") { lang.t("状态", "Status") }
            el("dd") { lang.t(run.status.label.zh, run.status.label.en) }
            el("dt") { lang.t("发布日", "Published") }
            el("dd") { run.publishedOn.description }
            el("dt") { lang.t("机构", "Institutions") }
            el("dd") { String(run.institutions) }
            el("dt") { lang.t("考核项（不合格）", "Items (failed)") }
            el("dd") { "\(run.items)（\(run.failedItems)）" }
            el("dt") { lang.t("结余留用合计（元）", "Retained in total (yuan)") }
            el("dd", .id("assessment-total")) { Fen(run.retainedFen).yuanText }
        }
    }

    var actions: Node {
        guard model.overview.access.manages, let year = model.year else { return .fragment([]) }
        let ended = year.lastDay < model.overview.today
        return el("div", .class("actions no-print")) {
            if ended && model.run?.status != .approved {
                Layout.postForm(csrf: model.csrf, model.url(.run), id: "run-assessment") {
                    el("input", .type("hidden"), .name("year"), .value(year.start.description))
                    el("button", .type("submit")) { model.run == nil ? lang.t("考核并发布", "Assess and publish") : lang.t("重新考核", "Run again") }
                }
            }
            if model.run?.status == .published {
                Layout.postForm(csrf: model.csrf, model.url(.approve), id: "approve-assessment") {
                    el("input", .type("hidden"), .name("year"), .value(year.start.description))
                    el("button", .type("submit")) { lang.t("审定考核结果", "Approve the results") }
                }
            }
            if model.run?.status == .approved {
                el("a", .href(model.url(.paymentsXLSX) + "?year=\(year.start)"), .id("payments-xlsx")) {
                    lang.t("下载结余留用拨付清单", "Download the payment list")
                }
            }
            if !ended { el("p", .class("muted")) { lang.t("协议年度\(year.lastDay)结束后可考核。", "The year can be assessed after \(year.lastDay).") } }
        }
    }

    var resultsTable: Node {
        guard let page = model.results, let year = model.year else { return .fragment([]) }
        let bureau = model.overview.access.regionPrefix != nil
        return .fragment([
            el("h2") { lang.t("机构考核结果", "Institutions' results") },
            bureau
                ? el("form", .class("filters no-print"), Attr("method", "get")) {
                    el("input", .type("hidden"), .name("year"), .value(year.start.description))
                    el("input", .type("search"), .name("q"), .value(model.params["q"] ?? ""), Attr("placeholder", lang.t("机构编码或名称", "Code or name")))
                    el("select", .name("grade")) {
                        el("option", .value("")) { lang.t("全部等级", "All grades") }
                        for g in Grade.allCases {
                            el("option", attrs: [.value(g.rawValue)] + (model.params["grade"] == g.rawValue ? [Attr("selected", "selected")] : [])) {
                                g.rawValue
                            }
                        }
                    }
                    el("button", .type("submit")) { lang.t("筛选", "Filter") }
                    " "
                    el("a", .href(model.url(.resultsXLSX) + "?year=\(year.start)"), .id("results-xlsx")) { lang.t("下载XLSX", "Download XLSX") }
                    " "
                    el("a", .href(model.url(.report) + "?year=\(year.start)"), .id("assessment-report-link")) {
                        lang.t("考核情况报告（打印）", "Report to print")
                    }
                } : .fragment([]),
            Layout.pagedTable(
                id: "assessment-results",
                headers: [
                    .text(lang.t("机构", "Institution")), .text(lang.t("区划", "Region")), .text(lang.t("得分", "Score")), .text(lang.t("等级", "Grade")),
                    .text(lang.t("考核项（不合格）", "Items (failed)")), .text(lang.t("结余留用（元）", "Retained (yuan)")),
                ],
                rows: page.items.map { r in
                    [
                        el("a", .href(model.sheet(r.institutionCode)), .class("sheet-link")) { r.institutionName },
                        .text(r.regionCode), .text(r.score.text), el("span", .data("grade", r.score.grade.rawValue)) { r.score.grade.rawValue },
                        .text("\(r.items)（\(r.failedItems)）"), .text(Fen(r.retainedFen).yuanText),
                    ]
                }),
            Layout.pager(lang, page, model.params, id: "assessment-pager"),
        ])
    }

    var citiesTable: Node {
        guard !model.cities.isEmpty else { return .fragment([]) }
        return .fragment([
            el("h2") { lang.t("各市排名（按平均得分）", "Cities ranked by average score") },
            AssessmentCityTable(lang: lang, cities: model.cities, names: model.cityNames).node(id: "assessment-cities"),
        ])
    }
}

/// The cities ranked by average score, named, ties sharing a rank: the stage's page and the year's report.
struct AssessmentCityTable {
    let lang: Lang
    let cities: [CityAssessment]
    let names: [String: String]

    func node(id: String) -> Node {
        Layout.table(
            id: id,
            headers: [
                lang.t("名次", "Rank"), lang.t("市", "City"), lang.t("机构", "Institutions"), lang.t("平均得分", "Average"), "A/B/C/D",
                lang.t("不合格项", "Failed items"), lang.t("结余留用（元）", "Retained (yuan)"),
            ],
            rows: zip(Ranking.competition(cities.map(\.averageHundredths)), cities).map { rank, c in
                [
                    .text(String(rank)), .text(names[c.cityCode] ?? c.cityCode), .text(String(c.institutions)),
                    .text(Score(hundredths: c.averageHundredths, grade: .d).text), .text(c.grades.map(String.init).joined(separator: "/")),
                    .text("\(c.failedItems)/\(c.items)"), .text(Fen(c.retainedFen).yuanText),
                ]
            })
    }
}
