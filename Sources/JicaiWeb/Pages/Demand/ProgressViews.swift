import Foundation
import JicaiCore
import JicaiServices

/// The province's progress by city with the summary, lock and sealed-upload card.
struct ProgressView {
    struct Model: Sendable {
        var progress: CityProgress
        /// The province administrator locks, unlocks and uploads the sealed summary.
        var administers: Bool
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var batch: BatchKey { BatchKey(model.progress.context.batch.code) }

    var body: Node {
        .fragment([
            el("h1") { "\(model.progress.context.batch.name) · \(lang.t("各市进度", "progress by city"))" },
            Layout.table(id: "progress", headers: headers, rows: model.progress.rows.map(row)),
            actions,
        ])
    }

    var headers: [String] {
        [lang.t("地市", "City")]
            + ReviewListView.statuses.map { status in ReviewListView.statusText(lang, status == "none" ? nil : status) }
            + [lang.t("完成率", "Done")]
    }

    func row(_ row: CityProgress.Row) -> [Node] {
        let link = el("a", .href(SiteURL.batch(batch, .review).path(query: ["region": row.cityCode]))) { "\(row.cityName) \(row.cityCode)" }
        let done: String = row.total == 0 ? "-" : "\(row.submitted * 100 / row.total)%"
        return [link] + ReviewListView.statuses.map { Node.text(String(row.counts[$0] ?? 0)) } + [.text(done)]
    }

    var actions: Node {
        let context = model.progress.context
        return el("div", .class("card no-print")) {
            el("h2") { lang.t("汇总、锁定与盖章上传", "Summary, lock and sealed upload") }
            el("p") {
                el("a", .href(SiteURL.batch(batch, .summaryXLSX).path), .class("button"), .id("summary-xlsx")) {
                    lang.t("导出汇总表（XLSX）", "Export the summary (XLSX)")
                }
                " "
                el("a", .href(SiteURL.batch(batch, .summaryPrint).path), .class("button"), .id("summary-print")) {
                    lang.t("打印签章页", "Print page for signature and seal")
                }
            }
            if model.administers { lockForms(context.lockedAt) }
            if let id = context.sealedFileID {
                el("p", .id("sealed")) { el("a", .href(SiteURL.file(FileKey(id)).path)) { lang.t("已上传的盖章汇总表", "The uploaded sealed summary") } }
            }
        }
    }

    func lockForms(_ lockedAt: Date?) -> Node {
        guard let lockedAt else {
            return Layout.postForm(csrf: model.csrf, SiteURL.batch(batch, .lock).path, id: "lock-form") {
                el("button", .type("submit"), .class("danger"), .id("lock")) { lang.t("锁定批次", "Lock the batch") }
            }
        }
        return .fragment([
            el("p", .id("locked")) { lang.t("已于\(ReportingWindow.shanghaiText(lockedAt))锁定", "Locked at \(ReportingWindow.shanghaiText(lockedAt))") },
            Layout.postForm(csrf: model.csrf, SiteURL.batch(batch, .unlock).path) {
                el("button", .type("submit"), .class("secondary")) { lang.t("解除锁定", "Unlock") }
            },
            Layout.postForm(csrf: model.csrf, SiteURL.batch(batch, .sealed).path, id: "sealed-form", multipart: true) {
                el("label") { lang.t("上传盖章汇总表扫描件（PDF或图片）", "Upload the sealed summary scan (PDF or image)") }
                el("input", .type("file"), .name("file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                el("button", .type("submit"), .id("upload-sealed")) { lang.t("上传", "Upload") }
            },
        ])
    }
}

/// The summary the province prints, signs and seals (002 §4(三)).
struct SummaryPrintView {
    struct Model: Sendable {
        var summary: ProvinceSummary
        var generatedAt: Date
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let summary = model.summary
        let submitted = summary.cities.reduce(0) { $0 + $1.submitted }
        let total = summary.cities.reduce(0) { $0 + $1.institutions }
        let generated = ReportingWindow.shanghaiText(model.generatedAt)
        return .fragment([
            el("h1") { "\(summary.context.batch.name) \(lang.t("报量汇总表", "demand summary"))" },
            el("p") {
                lang.t("共\(total)家机构，已提交\(submitted)家。生成时间：\(generated)", "\(total) institutions, \(submitted) submitted. Generated \(generated)")
            },
            cities,
            specs,
            signatureBlock,
            el("p", .class("no-print")) { el("button", .type("button"), .id("print"), .data("print", "1")) { lang.t("打印", "Print") } },
        ])
    }

    var cities: Node {
        Layout.table(
            id: "print-cities",
            headers: [
                lang.t("地市", "City"), lang.t("机构数", "Institutions"), lang.t("已提交", "Submitted"),
                lang.t("有历史未提交", "With history, not submitted"), lang.t("历史采购金额（元）", "History amount (yuan)"),
            ],
            rows: model.summary.cities.map { city in
                [
                    .text("\(city.cityName) \(city.cityCode)"), .text(String(city.institutions)), .text(String(city.submitted)),
                    .text(String(city.notReportedWithHistory)), .text(Fen(city.historyAmountFen).yuanText),
                ]
            })
    }

    var specs: Node {
        let catalogue = model.summary.context.catalogue
        return Layout.table(
            id: "print-specs",
            headers: [
                lang.t("规格", "Spec"), lang.t("通用名", "Generic name"), lang.t("规格", "Strength"),
                lang.t("报量合计", "Total reported"), lang.t("最小单位", "Unit"),
            ],
            rows: model.summary.specs.map { total in
                let spec = catalogue.specByCode[total.spec]
                let name = spec.flatMap { catalogue.varietyByCode[$0.varietyCode]?.genericName } ?? ""
                return [
                    .text(total.spec), .text(name), .text(spec?.strength ?? ""), .text(String(total.quantity)),
                    .text(spec?.minimalUnit ?? ""),
                ]
            })
    }

    var signatureBlock: Node {
        el("div", .class("card"), .id("signature-block")) {
            el("p") {
                lang.t(
                    "经办人（签字）：__________　　审核人（签字）：__________　　负责人（签字）：__________",
                    "Prepared by: __________   Reviewed by: __________   Head: __________")
            }
            el("p") { lang.t("（单位盖章）　　　　　　　　　　日期：____年__月__日", "(Seal)                                Date: ____-__-__") }
        }
    }
}
