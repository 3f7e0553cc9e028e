import Foundation
import JicaiCore

/// Beside a unit of the demand form, what its reported quantity implies (the what-if, docs/rules.md "What-if on the
/// demand form"): the agreed volume, the monthly purchases of the schedule, the retention by grade, and the
/// assumptions. Rendered with the page from the saved report; `app.js` refills it from the what-if API as the filler
/// types (same structure, the display unit in `data-minimal`).
struct WhatIfBox {
    let lang: Lang
    let unitKey: String
    let minimalUnit: String
    let whatIf: DemandWhatIf?

    var body: Node {
        el(
            "div", .class("whatif"), .data("whatif-unit", unitKey), .data("minimal", minimalUnit),
            Attr("aria-live", "polite")
        ) {
            if let whatIf { content(whatIf) }
        }
    }

    func content(_ w: DemandWhatIf) -> Node {
        .fragment([
            el("strong") { lang.t("测算（估算，不是考核结果）：", "Estimate (not an assessment): ") },
            el("span", .class("whatif-agreed")) {
                lang.t(
                    "约定采购量约\(w.agreedQuantity)\(minimalUnit)（报量×\(w.ratio)）",
                    "agreed volume about \(w.agreedQuantity) \(minimalUnit) (reported × \(w.ratio))")
            },
            .text(lang.t("；", "; ")),
            el("span", .class("whatif-monthly")) {
                lang.t("按序时进度每月需采购约\(w.monthlyQuantity)\(minimalUnit)", "about \(w.monthlyQuantity) \(minimalUnit) a month keeps to the schedule")
            },
            retention(w),
            el("details") {
                el("summary") { lang.t("测算假设", "Assumptions") }
                el("ul") { for text in w.assumptions { el("li") { lang.t(text.zh, text.en) } } }
            },
        ])
    }

    func retention(_ w: DemandWhatIf) -> Node {
        let parts: [String] = Grade.allCases.compactMap { grade in
            guard let (low, high) = w.range(grade) else { return nil }
            let money = low == high ? Fen(low).yuanText : "\(Fen(low).yuanText)–\(Fen(high).yuanText)"
            return lang.t("\(grade.rawValue)级\(money)元", "\(grade.rawValue) \(money) yuan")
        }
        guard !parts.isEmpty else { return .fragment([]) }
        return .fragment([
            .text(lang.t("；", "; ")),
            el("span", .class("whatif-retention")) {
                lang.t("结余留用", "retention ") + parts.joined(separator: lang.t("，", ", "))
            },
        ])
    }
}
