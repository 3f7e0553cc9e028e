import Foundation
import JicaiCore
import JicaiServices

/// One check unit of the form (a variety, or a non-substitutable spec kept apart): its flags, its history and
/// reported totals converted by effective content, a row per spec, its findings and its explanation.
struct UnitSection {
    let view: FormView
    let unit: CheckUnit
    let totals: UnitTotals?

    var lang: Lang { view.lang }
    var form: ReportForm { view.form }
    var catalogue: Catalogue { view.catalogue }

    var body: Node {
        let variety = catalogue.varietyByCode[unit.varietyCode]
        return el("section", .class("card variety"), .id("unit-\(unit.key.replacingOccurrences(of: "/", with: "-"))")) {
            el("h3") { variety.map(heading) ?? .text(unit.key) }
            if let totals { totalsLine(totals) }
            WhatIfBox(
                lang: lang, unitKey: unit.key, minimalUnit: (totals?.displaySpec ?? catalogue.specs(in: unit).first)?.minimalUnit ?? "",
                whatIf: view.model.whatIfs[unit.key]
            ).body
            specTable
            for finding in form.result.findings where finding.unitKey == unit.key { view.findingNode(finding) }
            if totals?.hasHistory == true || form.report?.explanations[unit.key] != nil { explanation }
        }
    }

    func heading(_ variety: Variety) -> Node {
        .fragment([
            .text("\(variety.genericName)（\(variety.route)）"),
            unit.separateSpecCode != nil ? badge(lang.t("不可替代规格，单独核算", "non-substitutable, kept apart")) : .fragment([]),
            variety.flags.keyMonitored ? badge(lang.t("重点监控", "key-monitored")) : .fragment([]),
            variety.flags.antimicrobial ? badge(lang.t("抗微生物", "antimicrobial")) : .fragment([]),
            variety.flags.restrictedIndication ? badge(lang.t("限适应症", "restricted indication")) : .fragment([]),
            variety.flags.rising ? badge(lang.t("上升趋势", "rising use")) : .fragment([]),
        ])
    }

    func badge(_ text: String) -> Node { el("span", .class("badge")) { text } }

    func totalsLine(_ totals: UnitTotals) -> Node {
        let spec = totals.displaySpec
        return el("p", .class("muted")) {
            lang.t(
                "历史采购量（折算为\(spec.strength)\(spec.dosageForm)）：\(totals.historyDisplay)\(spec.minimalUnit)；本次报量折算：\(totals.reportedDisplay)\(spec.minimalUnit)",
                "History (in \(spec.strength) \(spec.dosageForm)): \(totals.historyDisplay) \(spec.minimalUnit); reported, converted: \(totals.reportedDisplay) \(spec.minimalUnit)"
            )
            if let percent = totals.percentOfHistory { " (\(percent))" }
        }
    }

    var specTable: Node {
        let months = form.context.batch.policy.referencePeriod
        return el("div", .class("table-wrap")) {
            el("table") {
                el("thead") {
                    el("tr") {
                        el("th") { lang.t("规格", "Spec") }
                        el("th") { lang.t("剂型", "Form") }
                        el("th") { lang.t("有效含量", "Content") }
                        el("th", .class("num")) { lang.t("历史采购量", "History") }
                        el("th") { lang.t("月度历史（\(months.first)起）", "Monthly (from \(months.first))") }
                        el("th") { lang.t("厂牌", "Brand") }
                        el("th", .class("num")) { lang.t("需求量", "Demand") }
                    }
                }
                el("tbody") { for spec in catalogue.specs(in: unit) { specRow(spec) } }
            }
        }
    }

    func specRow(_ spec: Spec) -> Node {
        let line = form.report?.lines.first { $0.specCode == spec.code }
        let months = form.context.batch.policy.referencePeriod.months
        return el("tr") {
            el("td") {
                "\(spec.code) \(spec.strength)" + (spec.passedEvaluation ? "" : lang.t("（未过评，折算至过评规格）", " (not passed: convert onto a passed spec)"))
            }
            el("td") { spec.dosageForm }
            el("td") { spec.content.description + "/" + spec.minimalUnit }
            el("td", .class("num")) { String(form.history[spec.code] ?? 0) }
            el("td", .class("muted")) { months.map { String(form.monthly[spec.code]?[$0.year * 100 + $0.month] ?? 0) }.joined(separator: " ") }
            el("td") { if spec.passedEvaluation { brandSelect(spec, chosen: line?.productCode) } }
            el("td", .class("num")) {
                if spec.passedEvaluation {
                    el(
                        "input",
                        attrs: [
                            .type("number"), Attr("min", "0"), Attr("step", "1"), .name("quantity[\(spec.code)]"), .id("quantity-\(spec.code)"),
                            .value(line.map { String($0.quantity) } ?? ""), Attr("aria-label", spec.code),
                        ] + view.editableAttrs)
                    " " + spec.minimalUnit
                }
            }
        }
    }

    func brandSelect(_ spec: Spec, chosen: String?) -> Node {
        el("select", attrs: [.name("brand[\(spec.code)]"), Attr("aria-label", lang.t("厂牌", "brand"))] + view.editableAttrs) {
            el("option", .value("")) { lang.t("不指定", "any") }
            for product in catalogue.products(ofSpec: spec.code) {
                el("option", attrs: [.value(product.code)] + (chosen == product.code ? [.selected] : [])) {
                    "\(product.manufacturerName) \(product.brand)"
                }
            }
        }
    }

    var explanation: Node {
        let key = unit.key
        return .fragment([
            el("label", Attr("for", "explanation-\(key)")) {
                lang.t("说明（低于历史采购量规定比例时必填，如科室撤并、诊疗方案调整）", "Explanation (required below the policy share of history, e.g. a department closed)")
            },
            el(
                "textarea",
                attrs: [.name("explanation[\(key)]"), .id("explanation-\(key)"), Attr("maxlength", String(InputLimits.maxExplanationCharacters))]
                    + view.editableAttrs
            ) { form.report?.explanations[key] ?? "" },
            exclusion,
            form.report?.evidence[key].map { id in
                el("p") { el("a", .href(SiteURL.file(FileKey(id)).path)) { lang.t("佐证材料", "Evidence file") } }
            } ?? .fragment([]),
        ])
    }

    /// Special-needs and international services are taken out of the comparison with history (002 §3(三)).
    var exclusion: Node {
        let key = unit.key
        let display = catalogue.reportableSpecs(in: unit).first ?? catalogue.specs(in: unit)[0]
        let current = form.report?.exclusions[key]
        return el("details") {
            el("summary") { lang.t("特需医疗、国际医疗用量剔除（002 §3(三)）", "Special-needs / international services exclusion (002 §3(三))") }
            el("input", .type("hidden"), .name("exclusionSpec[\(key)]"), .value(display.code))
            el("label") {
                lang.t("剔除量（\(display.strength)，\(display.minimalUnit)）", "Excluded quantity (\(display.strength), \(display.minimalUnit))")
            }
            el(
                "input",
                attrs: [.type("number"), Attr("min", "0"), .name("exclusion[\(key)]"), .value(current.map { String($0.quantity) } ?? "")]
                    + view.editableAttrs)
            el("label") { lang.t("原因", "Reason") }
            el("input", attrs: [.type("text"), .name("exclusionReason[\(key)]"), .value(current?.reason ?? "")] + view.editableAttrs)
        }
    }
}
