import Foundation
import JicaiCore
import JicaiServices

/// The year's assessment report of the province or one city, to print and sign (003 §8(三), 004 §3, §7): the
/// retention summary, the cities ranked, the institutions with the highest and lowest scores, appeals and leads.
struct AssessmentReportView {
    let report: AssessmentReport
    let batch: BatchKey
    let lang: Lang

    var body: Node {
        let r = report
        let t = r.totals
        return el("div", .class("print-page"), .id("assessment-report")) {
            el("h1") { "\(r.regionName) \(lang.t("集采协议年度考核与结余留用情况报告", "assessment and savings retention report"))" }
            el("p") {
                lang.t(
                    "协议年度\(r.run.yearStart)至\(r.run.yearEnd)；\(r.run.status == .approved ? "已审定" : "已发布，尚未审定")。",
                    "Agreement year \(r.run.yearStart) to \(r.run.yearEnd); \(r.run.status == .approved ? "approved" : "published, not yet approved")."
                )
            }
            el("p", .class("no-print")) {
                el("a", .href(SiteURL.batch(batch, .assessment(.resultsXLSX)).path + "?year=\(r.run.yearStart)"), .class("button")) {
                    lang.t("下载考核结果XLSX", "Download the results XLSX")
                }
                " "
                el("button", .type("button"), Attr("data-print", "1")) { lang.t("打印", "Print") }
            }
            el("h2") { lang.t("一、总体情况", "1. Summary") }
            el("dl", .class("figures"), .id("report-summary")) {
                el("dt") { lang.t("考核机构", "Institutions") }
                el("dd") { String(t.institutions) }
                el("dt") { lang.t("平均得分", "Average score") }
                el("dd") { Score(hundredths: t.averageHundredths, grade: .d).text }
                el("dt") { lang.t("等级A/B/C/D", "Grades A/B/C/D") }
                el("dd") { t.grades.map(String.init).joined(separator: "/") }
                el("dt") { lang.t("不合格品种项", "Items failed") }
                el("dd") { "\(t.failedItems)/\(t.items)" }
                el("dt") { lang.t("结余留用合计（元）", "Retained in total (yuan)") }
                el("dd", .id("report-retained")) { Fen(t.retainedFen).yuanText }
                if let rank = r.cityRank {
                    el("dt") { lang.t("全省排名", "Rank in the province") }
                    el("dd", .id("report-rank")) { lang.t("第\(rank)名（共\(r.cities.count)个市）", "\(rank) of \(r.cities.count) cities") }
                }
            }
            el("h2") { lang.t("二、各市排名（按平均得分）", "2. Cities ranked by average score") }
            AssessmentCityTable(lang: lang, cities: r.cities, names: r.cityNames).node(id: "report-cities")
            el("h2") { lang.t("三、得分最高的\(AssessmentReport.listed)家机构", "3. The \(AssessmentReport.listed) highest scores") }
            institutions(id: "report-highest", r.highest)
            el("h2") { lang.t("四、得分最低的\(AssessmentReport.listed)家机构", "4. The \(AssessmentReport.listed) lowest scores") }
            institutions(id: "report-lowest", r.lowest)
            el("h2") { lang.t("五、申诉与监管线索", "5. Appeals and supervision leads") }
            el("ul", .id("report-cases")) {
                for status in AppealStatus.allCases {
                    el("li") {
                        lang.t("申诉（\(status.label.zh)）：\(r.appeals[status] ?? 0)件", "Appeals (\(status.label.en)): \(r.appeals[status] ?? 0)")
                    }
                }
                for kind in LeadKind.allCases {
                    el("li") { lang.t("线索（\(kind.label.zh)）：\(r.leads[kind] ?? 0)条", "Leads (\(kind.label.en)): \(r.leads[kind] ?? 0)") }
                }
            }
            Layout.signatureBlock(lang)
        }
    }

    func institutions(id: String, _ rows: [ScoreRecord]) -> Node {
        Layout.table(
            id: id,
            headers: [
                lang.t("机构编码", "Code"), lang.t("机构", "Institution"), lang.t("得分", "Score"), lang.t("等级", "Grade"),
                lang.t("不合格项", "Failed items"), lang.t("结余留用（元）", "Retained (yuan)"),
            ],
            rows: rows.map { s in
                [
                    .text(s.institutionCode), .text(s.institutionName), .text(s.score.text), .text(s.score.grade.rawValue),
                    .text("\(s.failedItems)/\(s.items)"), .text(Fen(s.retainedFen).yuanText),
                ]
            })
    }
}
