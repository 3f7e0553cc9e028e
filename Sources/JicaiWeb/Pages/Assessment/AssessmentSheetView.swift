import Foundation
import JicaiCore
import JicaiServices

/// An institution's calculation sheet (004 §3: the basis explained to each institution): the score's parts and
/// weights, then every item with its figures, its exemptions and result, and the retention steps; its appeals, and
/// the appeal form on a failed item while the period is open. Printable.
struct AssessmentSheetView {
    struct Model: Sendable {
        var batch: BatchKey
        var sheet: AssessmentService.Sheet
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let s = model.sheet
        let p = s.score.parts
        let policy = s.policy
        return el("div", .class("print-page"), .id("assessment-sheet")) {
            el("h1") { lang.t("考核与结余留用测算表", "Assessment and retention sheet") + " · " + s.score.institutionName }
            el("p", .class("muted")) {
                lang.t(
                    "协议年度\(s.run.yearStart)至\(s.run.yearEnd.adding(days: -1) ?? s.run.yearEnd)，\(s.run.status.label.zh)，发布于\(s.run.publishedOn)。",
                    "Agreement year from \(s.run.yearStart), \(s.run.status.label.en), published on \(s.run.publishedOn).")
            }
            el("dl", .class("figures"), .id("sheet-score"), .data("grade", s.score.score.grade.rawValue)) {
                el("dt") { lang.t("得分 / 等级", "Score / grade") }
                el("dd") { "\(s.score.score.text) / \(s.score.score.grade.rawValue)" }
                el("dt") { lang.t("约定量完成（权重\(policy.completionWeight)）", "Completion (weight \(policy.completionWeight))") }
                el("dd") { "\(p.completionPassed)/\(p.completionAssessed)" }
                el("dt") { lang.t("非中选占比合格（权重\(policy.nonWinningWeight)）", "Non-winning share (weight \(policy.nonWinningWeight))") }
                el("dd") { "\(p.sharePassed)/\(p.shareCounted)" }
                el("dt") { lang.t("按时回款（权重\(policy.paymentWeight)）", "Paid on time (weight \(policy.paymentWeight))") }
                el("dd") { "\(Fen(p.paidOnTimeFen).yuanText)/\(Fen(p.dueFen).yuanText)元" }
                el("dt") { lang.t("按时签约（权重\(policy.signingWeight)）", "Signed on time (weight \(policy.signingWeight))") }
                el("dd") { "\(p.signedOnTime)/\(p.agreements)" }
                el("dt") { lang.t("结余留用合计（元）", "Retained (yuan)") }
                el("dd", .id("sheet-retained")) { Fen(s.score.retainedFen).yuanText }
            }
            el("p", .class("muted")) {
                lang.t(
                    "得分＝各项权重×合格比例之和（无考核内容的项按100%计），四舍五入到两位小数；A：>\(policy.gradeA)分，B：\(policy.gradeB)–\(policy.gradeA)分，C：\(policy.gradeC)–\(policy.gradeB)分（不含），D：<\(policy.gradeC)分。结余＝min(中选采购量, 约定量)×(采购前加权均价−中选实付单价)×基金支付比例\(policy.fundPaymentRatio)×参保比例\(policy.insuredShare)；留用＝结余×等级比例（A \(policy.retentionA)、B \(policy.retentionB)、C \(policy.retentionC)、D \(policy.retentionD)），四舍五入到分。",
                    "Score = Σ weight × share passed (a part with nothing in it counts 100%), rounded to two decimals; A above \(policy.gradeA), B \(policy.gradeB)–\(policy.gradeA), C from \(policy.gradeC) below \(policy.gradeB), D below \(policy.gradeC). Savings = min(winning purchases, agreed) × (pre-award price − winning price paid) × fund ratio \(policy.fundPaymentRatio) × insured share \(policy.insuredShare); retained = savings × the grade's share, rounded to the fen."
                )
            }
            Layout.table(
                id: "sheet-items",
                headers: [
                    lang.t("品种", "Item"), lang.t("约定量", "Agreed"), lang.t("中选采购", "Winning"), lang.t("非中选", "Non-winning"),
                    lang.t("结果", "Result"), lang.t("结余（元）", "Savings (yuan)"), lang.t("留用（元）", "Retained (yuan)"), lang.t("说明", "Explanation"), "",
                ],
                rows: s.items.map { row($0) })
            if !s.appeals.isEmpty {
                el("h2") { lang.t("申诉", "Appeals") }
                Layout.table(
                    id: "sheet-appeals",
                    headers: [
                        lang.t("品种", "Item"), lang.t("理由", "Reason"), lang.t("状态", "Status"), lang.t("市级意见", "City"), lang.t("省级决定", "Decision"),
                    ],
                    rows: s.appeals.map { a in
                        [
                            .text(a.unitKey), .text(a.reason),
                            el("span", .data("status", a.status.rawValue)) { lang.t(a.status.label.zh, a.status.label.en) },
                            .text(a.opinion ?? ""), .text(a.decision ?? ""),
                        ]
                    })
            }
            el("p", .class("no-print")) {
                el(
                    "a",
                    .href(SiteURL.batch(model.batch, .assessment(.simulate)).path + "?institution=\(ListParams.encode(s.score.institutionCode))"),
                    .id("simulate-link")
                ) { lang.t("考核测算：假如再采购…", "What if we buy more…") }
            }
            if s.mayAppeal, let until = s.appealUntil {
                el("p", .class("muted no-print")) { lang.t("申诉截止\(until)。", "Appeals close on \(until).") }
            }
        }
    }

    func row(_ item: ItemRecord) -> [Node] {
        let result =
            item.passed ? lang.t("合格", "passed") : lang.t("不合格", "failed")
        return [
            .text(item.unitKey), .text(model.sheet.show(item.agreedContent, unit: item.unitKey)),
            .text(model.sheet.show(item.tally.winningContent, unit: item.unitKey)),
            .text(model.sheet.show(item.tally.nonWinningContent, unit: item.unitKey)),
            el("span", .data("passed", item.passed ? "1" : "0")) { result }, .text(Fen(item.savingsFen).yuanText),
            .text(Fen(item.retainedFen).yuanText),
            el("ul", .class("reasons")) { for reason in item.reasons { el("li") { lang.t(reason.zh, reason.en) } } }, appealForm(item),
        ]
    }

    func appealForm(_ item: ItemRecord) -> Node {
        let s = model.sheet
        guard s.mayAppeal, !item.passed, !s.appeals.contains(where: { $0.unitKey == item.unitKey && !$0.status.decided }) else {
            return .fragment([])
        }
        return Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .assessment(.appeal)).path, id: "appeal-\(item.unitKey)") {
            el("input", .type("hidden"), .name("year"), .value(s.run.yearStart.description))
            el("input", .type("hidden"), .name("institution"), .value(s.score.institutionCode))
            el("input", .type("hidden"), .name("unit"), .value(item.unitKey))
            el("input", .type("text"), .name("reason"), Attr("required", "required"), Attr("placeholder", lang.t("申诉理由", "Reason")))
            el("input", .type("text"), .name("evidence"), Attr("required", "required"), Attr("placeholder", lang.t("证明材料说明", "Evidence")))
            el("button", .type("submit")) { lang.t("申诉", "Appeal") }
        }
    }
}
