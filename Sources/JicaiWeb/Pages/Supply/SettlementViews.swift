import Foundation
import JicaiCore
import JicaiServices

/// The settlement runs, newest first; the province's administrator runs a month here.
struct SettlementListView {
    struct Model: Sendable {
        var batch: BatchKey
        var runs: [SettlementRun]
        var mayRun: Bool
        var lastMonth: MonthKey
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("医保基金直接结算", "Direct settlement by the insurance fund") },
            el("p", .class("muted")) {
                lang.t(
                    "每月对已验收、已开票、未付款的配送单由医保基金直接与企业结算，同时按完成进度冲抵预付金（004 §6，003 §8(一)）；审核后不可更改，更正计入下期。",
                    "Each month the fund pays the firms the accepted, invoiced and unpaid deliveries directly and offsets the prepayment by completion (004 §6, 003 §8(一)); an approved run never changes, corrections go into a later run."
                )
            },
            Layout.table(
                id: "settlements",
                headers: [
                    lang.t("结算单", "Run"), lang.t("月份", "Month"), lang.t("状态", "Status"), lang.t("直接结算（元）", "Paid directly (yuan)"),
                    lang.t("预付金冲抵（元）", "Offset (yuan)"), lang.t("生成人", "Run by"),
                ],
                rows: model.runs.map { run in
                    [
                        el("a", .href(SiteURL.batch(model.batch, .settlement(SettlementKey(run.id), .view)).path), .class("settlement-link")) {
                            "JS\(run.id)"
                        },
                        .text(run.month.description),
                        el("span", .data("status", run.status.rawValue)) {
                            run.status == .approved ? lang.t("已审核", "approved") : lang.t("待审核", "draft")
                        },
                        .text(Fen(run.directFen).yuanText), .text(Fen(run.offsetFen).yuanText), .text(run.runBy),
                    ]
                }),
            model.mayRun
                ? Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(.settlements)).path, id: "run-settlement") {
                    el("label") {
                        lang.t("结算月份", "Month") + " "
                        el("input", .type("month"), .name("month"), .value(model.lastMonth.description))
                    }
                    " "
                    el("button", .type("submit"), .id("run-settlement-button")) { lang.t("生成结算单", "Run the settlement") }
                } : .fragment([]),
        ])
    }
}

/// A run's statement, to print: per institution and per firm.
struct StatementView {
    struct Model: Sendable {
        var batch: BatchKey
        var statement: SettlementStatement
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        let run = model.statement.run
        return el("div", .class("print-page"), .id("statement")) {
            el("h1") { lang.t("医保基金直接结算单", "Direct settlement statement") + " JS\(run.id) · \(run.month)" }
            el("p", .id("statement-status"), .data("status", run.status.rawValue)) {
                run.status == .approved
                    ? lang.t("已审核（\(run.approvedBy ?? "")），不可更改", "approved (\(run.approvedBy ?? "")); it cannot change")
                    : lang.t("待审核", "draft, awaiting approval")
            }
            el("p", .class("no-print")) {
                el("a", .href(SiteURL.batch(model.batch, .settlement(SettlementKey(run.id), .xlsx)).path), .id("statement-xlsx")) {
                    lang.t("下载XLSX", "Download XLSX")
                }
            }
            el("h2") { lang.t("医疗机构结算单", "By institution") }
            Layout.table(
                id: "statement-institutions",
                headers: [
                    lang.t("医疗机构", "Institution"), lang.t("配送企业", "Distributor"), lang.t("直接结算（元）", "Paid directly (yuan)"),
                    lang.t("预付金冲抵（元）", "Prepayment offset (yuan)"), lang.t("从医保结算款中扣减（元）", "Deducted from claims (yuan)"),
                ],
                rows: model.statement.institutions.map { part in
                    [
                        .text(part.name), .text(part.direct.map { "\($0.name) \(Fen($0.fen).yuanText)" }.joined(separator: "；")),
                        .text(Fen(part.directFen).yuanText), .text(Fen(part.offsetFen).yuanText), .text(Fen(part.netFen).yuanText),
                    ]
                })
            el("h2") { lang.t("企业结算单", "By firm") }
            Layout.table(
                id: "statement-firms",
                headers: [lang.t("企业", "Firm"), lang.t("医疗机构", "Institution"), lang.t("医保基金直接支付（元）", "Paid by the fund (yuan)")],
                rows: model.statement.firms.flatMap { firm in
                    firm.institutions.map { [.text(firm.name), .text($0.name), .text(Fen($0.fen).yuanText)] }
                })
            if model.statement.mayApprove {
                Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .settlement(SettlementKey(run.id), .approve)).path, id: "approve-form") {
                    el("button", .type("submit"), .id("approve-settlement"), .class("no-print")) { lang.t("审核通过", "Approve") }
                }
            }
        }
    }
}

/// The prepayments (预付金) of the user's scope, each balance derived from the ledger; the administrator pays a
/// year's prepayment and recovers what is left after it.
struct PrepaymentView {
    struct Model: Sendable {
        var batch: BatchKey
        var page: Page<PrepaymentRow>
        var mayManage: Bool
        var years: [CivilDate]
        /// The batch's share of the agreed amount and months to recover (its policy), as the page explains them.
        var share: String
        var recoveryMonths: Int
        var params: ListParams
        var csrf: String
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("医保基金预付金", "Insurance-fund prepayments") },
            el("p", .class("muted")) {
                lang.t(
                    "按协议年度约定采购金额的\(model.share)预付，按完成进度逐月冲抵，协议年度结束后\(model.recoveryMonths)个月内收回余额（003 §8(一)）。",
                    "\(model.share) of the agreement year's agreed amount paid at the year's start, offset monthly by completion, the balance recovered within \(model.recoveryMonths) months after the year (003 §8(一))."
                )
            },
            Layout.pagedTable(
                id: "prepayments",
                headers: [
                    .text(lang.t("医疗机构", "Institution")), .text(lang.t("协议年度", "Agreement year")), .text(lang.t("约定金额（元）", "Agreed (yuan)")),
                    .text(lang.t("预付（元）", "Prepaid (yuan)")), .text(lang.t("已冲抵（元）", "Offset (yuan)")), .text(lang.t("已收回（元）", "Recovered (yuan)")),
                    .text(lang.t("余额（元）", "Balance (yuan)")), .text(lang.t("收回期限", "Recover by")),
                ],
                rows: model.page.items.map { row in
                    [
                        .text(row.institutionName), .text("\(row.year.start) – \(row.year.lastDay)"), .text(Fen(row.agreedFen).yuanText),
                        .text(Fen(row.prepaymentFen).yuanText), .text(Fen(row.offsetsFen).yuanText), .text(Fen(row.recoveredFen).yuanText),
                        .text(Fen(row.balanceFen).yuanText), .text(row.recoveryDeadline?.description ?? "—"),
                    ]
                }),
            Layout.pager(lang, model.page, model.params, id: "prepayments-pager"),
            model.mayManage ? forms : .fragment([]),
        ])
    }

    var forms: Node {
        el("div", .class("no-print")) {
            for (page, title, id) in [
                (SiteURL.SupplyPage.payPrepayment, lang.t("拨付预付金", "Pay the prepayment"), "pay-prepayment"),
                (.recoverPrepayment, lang.t("收回余额", "Recover the balances"), "recover-prepayment"),
            ] {
                Layout.postForm(csrf: model.csrf, SiteURL.batch(model.batch, .supply(page)).path, id: id + "-form") {
                    el("label") {
                        lang.t("协议年度", "Agreement year") + " "
                        el("select", .name("year")) { for year in model.years { el("option", .value(year.description)) { year.description } } }
                    }
                    " "
                    el("button", .type("submit"), .id(id)) { title }
                }
            }
        }
    }
}
