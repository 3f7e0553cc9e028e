import Foundation
import JicaiCore
import JicaiServices

/// The batches page: the organisations import, each batch's timeline and history import, and a new batch.
struct BatchesView {
    struct Model: Sendable {
        var batches: [BatchRecord]
        var now: Date
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("批次管理与数据导入", "Batches and imports") },
            el("div", .class("card")) {
                el("h2") { lang.t("机构名单", "Organisations") }
                Layout.postForm(csrf: model.csrf, SiteURL.admin(.institutions).path, id: "institutions-form", multipart: true) {
                    el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                    " "
                    el("button", .type("submit"), .id("import-institutions")) { lang.t("导入机构", "Import organisations") }
                }
            },
            .fragment(model.batches.map(batchCard)),
            newBatch,
        ])
    }

    static func inputText(_ date: Date) -> String { ReportingWindow.shanghaiText(date).replacingOccurrences(of: " ", with: "T") }

    func windowFields(_ window: ReportingWindow) -> [Node] {
        [
            ("accountTestUntil", lang.t("账号测试截止", "Account test until"), window.accountTestUntil),
            ("fillingOpens", lang.t("填报开始", "Filling opens"), window.fillingOpens),
            ("fillingCloses", lang.t("填报截止", "Filling closes"), window.fillingCloses),
            ("reviewDeadline", lang.t("审核截止", "Review deadline"), window.reviewDeadline),
        ].map { key, label, date in
            el("label") {
                label + " "
                el("input", .type("datetime-local"), .name(key), .id(key), .value(Self.inputText(date)), .required)
            }
        }
    }

    func batchCard(_ batch: BatchRecord) -> Node {
        let key = BatchKey(batch.code)
        return el("div", .class("card"), .id("batch-\(batch.code)")) {
            el("h2") { "\(batch.code) \(batch.name) · \(lang.t(batch.policy.window.phase(at: model.now).label))" }
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.batchWindow(key)).path, id: "window-\(batch.code)") {
                windowFields(batch.policy.window)
                " "
                el("button", .type("submit"), .class("secondary")) { lang.t("保存时间", "Save the timeline") }
            }
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.batchHistory(key)).path, id: "history-\(batch.code)", multipart: true) {
                el("label") { lang.t("历史采购量（替换本批次全部历史）", "Purchase history (replaces the batch's history)") }
                el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                " "
                el("button", .type("submit"), .id("import-history-\(batch.code)")) { lang.t("导入历史采购量", "Import history") }
            }
        }
    }

    var newBatch: Node {
        let now = model.now
        let window = ReportingWindow(
            accountTestUntil: now, fillingOpens: now, fillingCloses: now.addingTimeInterval(10 * 86400),
            reviewDeadline: now.addingTimeInterval(12 * 86400))
        return el("div", .class("card")) {
            el("h2") { lang.t("开启新批次", "Open a new batch") }
            Layout.postForm(csrf: model.csrf, SiteURL.admin(.batches).path, id: "new-batch", multipart: true) {
                el("label") {
                    lang.t("批次编码", "Batch code") + " "
                    el("input", .type("text"), .name("code"), .id("batch-code"), Attr("pattern", "[A-Za-z0-9_-]{1,32}"), .required)
                }
                el("label") {
                    lang.t("批次名称", "Name") + " "
                    el("input", .type("text"), .name("name"), .id("batch-name"), .required)
                }
                windowFields(window)
                el("label") {
                    lang.t("报量品种清单", "Catalogue") + " "
                    el("input", .type("file"), .name("file"), .id("catalogue-file"), Attr("accept", ".xlsx,.csv"), .required)
                }
                el("p") { el("button", .type("submit"), .id("create-batch")) { lang.t("开启批次", "Open the batch") } }
            }
            el("p", .class("muted")) {
                lang.t(
                    "模板：jicai template catalogue / history / institutions / accounts",
                    "Templates: jicai template catalogue / history / institutions / accounts")
            }
        }
    }
}

/// A background import's progress, then its result (and, for accounts, the initial passwords once).
struct JobView {
    struct Model: Sendable {
        var id: JobKey
        var job: ImportJobs.Job
    }

    let model: Model
    let lang: Lang

    var job: ImportJobs.Job { model.job }

    var body: Node {
        let percent = Int(job.bytesRead * 100 / max(1, job.totalBytes))
        guard job.done else {
            return .fragment([
                el("h1") { job.title },
                el("p", .data("job", "running"), .id("job-running")) {
                    lang.t("正在导入…已处理\(job.rows)行（\(percent)%）", "Importing… \(job.rows) rows (\(percent)%)")
                },
                el("progress", Attr("max", "100"), .value(String(percent))) { "" },
            ])
        }
        return .fragment([
            el("h1") { job.title },
            el("p", .class(job.failed ? "flash error" : "flash ok"), .id(job.failed ? "job-failed" : "job-done")) {
                job.failed ? lang.t("失败，未写入任何数据：", "Failed; nothing was written: ") : lang.t("已完成：", "Finished: ")
            },
            el("pre", .id("job-message")) { job.message ?? "" },
            issued,
            el("p") { el("a", .href(job.back.path), .id("job-back")) { lang.t("返回", "Back") } },
        ])
    }

    var issued: Node {
        if job.issued.isEmpty {
            return job.issuedTaken ? el("p", .class("muted")) { lang.t("初始密码已下载。", "The initial passwords have been downloaded.") } : .fragment([])
        }
        return el("div", .class("card"), .id("issued")) {
            el("h2") {
                lang.t(
                    "新发放的初始密码（\(job.issued.count)个，请下发给各账号；首次登录须修改）",
                    "New initial passwords (\(job.issued.count); hand them out; they must be changed at first log-in)")
            }
            el("p") {
                el("a", .href(SiteURL.admin(.jobCredentials(model.id)).path), .class("button"), .id("credentials")) {
                    lang.t("下载初始密码（CSV，仅可下载一次）", "Download the initial passwords (CSV, once)")
                }
            }
            if job.issued.count <= 50 { AccountsView.issuedTable(lang, job.issued) }
        }
    }
}
