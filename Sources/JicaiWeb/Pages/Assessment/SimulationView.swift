import Foundation
import JicaiCore
import JicaiServices

/// The what-if page: a unit and a quantity of its winning product, then the year's figures as they stand and with
/// the added purchases side by side (completion, share, score, grade, retention), and the estimate's assumptions.
struct SimulationView {
    struct Model: Sendable {
        var batch: BatchKey
        var simulation: AssessmentService.Simulation
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let s = model.simulation
        return .fragment([
            el("h1") { lang.t("考核测算（假如）", "What if") + " · " + s.institutionName },
            el("ul", .class("muted"), .id("simulation-assumptions")) { for a in s.assumptions { el("li") { lang.t(a.zh, a.en) } } },
            el("form", .class("filters no-print"), Attr("method", "get"), .id("simulate-form")) {
                el("input", .type("hidden"), .name("institution"), .value(s.institutionCode))
                el("select", .name("unit")) {
                    for unit in s.units {
                        el("option", attrs: [.value(unit)] + (unit == s.unitKey ? [Attr("selected", "selected")] : [])) { unit }
                    }
                }
                el("input", .type("number"), .name("add"), Attr("min", "0"), .value(String(s.added)))
                " " + (s.minimalUnit.isEmpty ? lang.t("（最小单位）", "(minimal units)") : s.minimalUnit) + " "
                el("button", .type("submit")) { lang.t("测算", "Estimate") }
            },
            Layout.table(
                id: "simulation",
                headers: [lang.t("项目", "Figure"), lang.t("目前", "As it stands"), lang.t("假如再采购", "With the added purchases")],
                rows: rows(s)),
        ])
    }

    func rows(_ s: AssessmentService.Simulation) -> [[Node]] {
        let (b, a) = (s.before, s.after)
        var out: [[Node]] = [
            [
                .text(lang.t("得分 / 等级", "Score / grade")), .text("\(b.score.text) / \(b.score.grade.rawValue)"),
                .text("\(a.score.text) / \(a.score.grade.rawValue)"),
            ],
            [
                .text(lang.t("约定量完成（合格/考核）", "Completion (passed/assessed)")), .text("\(b.parts.completionPassed)/\(b.parts.completionAssessed)"),
                .text("\(a.parts.completionPassed)/\(a.parts.completionAssessed)"),
            ],
            [
                .text(lang.t("非中选占比（合格/计入）", "Share (passed/counted)")), .text("\(b.parts.sharePassed)/\(b.parts.shareCounted)"),
                .text("\(a.parts.sharePassed)/\(a.parts.shareCounted)"),
            ],
            [
                .text(lang.t("结余留用（元）", "Retained (yuan)")), .text(Fen(b.retainedFen).yuanText),
                el("strong", .id("simulation-retained")) { Fen(a.retainedFen).yuanText },
            ],
        ]
        for (before, after) in zip(b.items, a.items) where after.item.unitKey == s.unitKey {
            out.append([
                .text(after.item.unitKey), .text(before.result.passed ? lang.t("合格", "passed") : lang.t("不合格", "failed")),
                el("span", .data("passed", after.result.passed ? "1" : "0")) {
                    after.result.passed ? lang.t("合格", "passed") : lang.t("不合格", "failed")
                },
            ])
            for reason in after.result.reasons { out.append([.text(""), .text(""), .text(lang.t(reason.zh, reason.en))]) }
        }
        return out
    }
}
