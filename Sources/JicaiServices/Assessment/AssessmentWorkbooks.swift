import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The stage's workbooks: a year's results per institution, in the columns the public-hospital performance assessment
/// and the insurance total budget take (003 §8(三), 001 §2(七)), and the approved year's retention payment list for
/// the fund (004 §3).
extension AssessmentService {
    public func resultsWorkbook(_ rows: [ScoreRecord], cities: [CityAssessment], language: Language) throws -> Data {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("机构考核结果", "Institutions"), columnWidths: [8, 22, 30, 10, 10, 8, 10, 10, 10, 10, 14, 14, 10, 10, 16])
        // The rank in the region by score, highest first (ties share a rank); the rows stay in code order.
        let byScore = rows.sorted { ($0.score.hundredths, $1.institutionCode) > ($1.score.hundredths, $0.institutionCode) }
        var rank: [Int64: Int] = [:]
        for (row, r) in zip(byScore, Ranking.competition(byScore.map(\.score.hundredths))) { rank[row.institutionID] = r }
        try xlsx.addRow([
            t("名次", "Rank"), t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("得分", "Score"), t("等级", "Grade"),
            t("完成率合格项", "Completion passed"), t("完成率考核项", "Completion assessed"), t("非中选占比合格项", "Share passed"),
            t("非中选占比考核项", "Share counted"), t("应付货款（元）", "Due (yuan)"), t("按时回款（元）", "Paid on time (yuan)"),
            t("协议数", "Agreements"), t("按时签约", "Signed on time"), t("结余留用（元）", "Retained (yuan)"),
        ])
        for r in rows {
            let p = r.parts
            try xlsx.addRow([
                .number(Int64(rank[r.institutionID] ?? 0)), .text(r.institutionCode), .text(r.institutionName), .text(r.regionCode),
                .decimal(r.score.text), .text(r.score.grade.rawValue),
                .number(p.completionPassed), .number(p.completionAssessed), .number(p.sharePassed),
                .number(p.shareCounted), .decimal(Fen(p.dueFen).yuanText), .decimal(Fen(p.paidOnTimeFen).yuanText),
                .number(p.agreements), .number(p.signedOnTime), .decimal(Fen(r.retainedFen).yuanText),
            ])
        }
        try xlsx.addSheet(t("各市排名", "Cities ranked"), columnWidths: [8, 10, 10, 10, 8, 8, 8, 8, 10, 10, 16])
        try xlsx.addRow([
            t("名次", "Rank"), t("市", "City"), t("机构数", "Institutions"), t("平均得分", "Average score"), "A", "B", "C", "D",
            t("考核项", "Items"), t("不合格项", "Failed"), t("结余留用（元）", "Retained (yuan)"),
        ])
        for (rank, c) in cities.enumerated() {
            try xlsx.addRow(
                [
                    .decimal(String(rank + 1)), .text(c.cityCode), .number(c.institutions),
                    .decimal(Score(hundredths: c.averageHundredths, grade: .d).text),
                ]
                    + c.grades.map { .number($0) }
                    + [.number(c.items), .number(c.failedItems), .decimal(Fen(c.retainedFen).yuanText)])
        }
        return try xlsx.data()
    }

    public func paymentWorkbook(_ run: AssessmentRunRecord, _ rows: [ScoreRecord], language: Language) throws -> Data {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("结余留用拨付清单", "Retention payments"), columnWidths: [22, 30, 10, 8, 16])
        try xlsx.addRow([
            t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("等级", "Grade"), t("拨付金额（元）", "Amount (yuan)"),
        ])
        for r in rows {
            try xlsx.addRow([
                .text(r.institutionCode), .text(r.institutionName), .text(r.regionCode), .text(r.score.grade.rawValue),
                .decimal(Fen(r.retainedFen).yuanText),
            ])
        }
        try xlsx.addRow([.text(t("合计", "Total")), .empty, .empty, .empty, .decimal(Fen(run.retainedFen).yuanText)])
        return try xlsx.data()
    }
}
