import Foundation
import JicaiCore
import JicaiServices

/// The start page: the batches of the user's province with the way in for the user's role.
struct HomeView {
    struct Row: Sendable {
        var code: String
        var name: String
        var phase: LocalizedText
        var fillingOpens: Date
        var fillingCloses: Date
        var reviewDeadline: Date
        /// The institution's own form (institution accounts).
        var reportURL: SiteURL?
        var mayReview: Bool
        var maySeeProgress: Bool
    }

    struct Model: Sendable {
        var rows: [Row]
        var isCompany: Bool
        var administers: Bool

        init(rows: [Row], isCompany: Bool, administers: Bool) {
            self.rows = rows
            self.isCompany = isCompany
            self.administers = administers
        }

        init(principal: Principal, batches: [BatchRecord], now: Date) {
            rows = batches.map { batch in
                let window = batch.policy.window
                let report =
                    principal.role.isInstitution
                    ? principal.organisationCode.map { SiteURL.batch(BatchKey(batch.code), .report(InstitutionKey($0), .form)) } : nil
                return Row(
                    code: batch.code, name: batch.name, phase: window.phase(at: now).label, fillingOpens: window.fillingOpens,
                    fillingCloses: window.fillingCloses, reviewDeadline: window.reviewDeadline, reportURL: report,
                    mayReview: Authorizer.listingPrefix(principal, requested: nil) != nil,
                    maySeeProgress: Authorizer.canSeeProvince(principal))
            }
            isCompany = principal.role == .manufacturer || principal.role == .distributor
            administers = Authorizer.canManageAccounts(principal)
        }
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("采购批次", "Procurement batches") },
            model.isCompany ? companyNote : .fragment([]),
            Layout.table(id: "batches", headers: headers, rows: model.rows.map(row)),
            model.administers
                ? el("p") {
                    el("a", .href(SiteURL.admin(.batches).path), .class("button"), .id("admin-batches")) {
                        lang.t("批次管理与数据导入", "Batches and imports")
                    }
                }
                : .fragment([]),
        ])
    }

    var companyNote: Node {
        el("p", .class("card")) {
            lang.t(
                "企业账号可在中选结果公布后查看协议与配送信息；报量阶段无需操作。",
                "Company accounts see agreements and deliveries once results are published; nothing to do while institutions report.")
        }
    }

    var headers: [String] {
        [
            lang.t("批次", "Batch"), lang.t("名称", "Name"), lang.t("阶段", "Phase"), lang.t("填报时间", "Filling window"),
            lang.t("审核截止", "Review deadline"), "",
        ]
    }

    func row(_ row: Row) -> [Node] {
        let batch = BatchKey(row.code)
        var links: [Node] = []
        if let report = row.reportURL {
            links.append(el("a", .href(report.path), .class("button"), .id("open-\(row.code)")) { lang.t("填报", "Fill in") })
        }
        if row.mayReview {
            links.append(el("a", .href(SiteURL.batch(batch, .review).path), .class("button"), .id("review-\(row.code)")) { lang.t("审核", "Review") })
        }
        if row.maySeeProgress {
            links.append(
                el("a", .href(SiteURL.batch(batch, .progress).path), .id("progress-\(row.code)")) { " " + lang.t("进度与汇总", "Progress and summary") })
        }
        links.append(el("a", .href(SiteURL.batch(batch, .home).path), .id("home-\(row.code)")) { " " + lang.t("五个环节", "All five stages") })
        return [
            el("a", .href(SiteURL.batch(batch, .home).path)) { row.code }, .text(row.name), .text(lang.t(row.phase)),
            .text("\(ReportingWindow.shanghaiText(row.fillingOpens)) – \(ReportingWindow.shanghaiText(row.fillingCloses))"),
            Layout.countdown(lang, to: row.reviewDeadline, label: ""), .fragment(links),
        ]
    }
}

/// A batch's home: the five stages 报、采、供、用、管 with each one's state and the links the user's role may follow.
struct BatchHomeView {
    struct Stage: Sendable {
        var stage: ProcurementStage
        /// What state the stage is in, for this batch, now.
        var state: LocalizedText
        var open: Bool
        var links: [(title: LocalizedText, url: SiteURL, id: String)]
    }

    struct Model: Sendable {
        var code: String
        var name: String
        var stages: [Stage]

        init(code: String, name: String, stages: [Stage]) {
            self.code = code
            self.name = name
            self.stages = stages
        }

        init(principal: Principal, batch: BatchRecord, lockedAt: Date?, award: AwardState = AwardState(), now: Date, supply: SupplyTodo? = nil) {
            code = batch.code
            name = batch.name
            let facts = StageFacts(
                principal: principal, key: BatchKey(batch.code), batch: batch, lockedAt: lockedAt, award: award, now: now, supply: supply)
            stages = ProcurementStage.allCases.map { stage in
                BatchHomeView.cards[stage]?.card(facts) ?? BatchHomeView.notBuilt(stage)
            }
        }
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { "\(model.name) · \(model.code)" },
            el("div", .class("stages"), .id("stages")) { for stage in model.stages { card(stage) } },
        ])
    }

    func card(_ stage: Stage) -> Node {
        el("section", .class(stage.open ? "stage open" : "stage later"), .id("stage-\(stage.stage.rawValue)")) {
            el("h2") { "\(stage.stage.character) · \(lang.t(stage.stage.title))" }
            el("p", .class("muted")) { lang.t(stage.stage.summary) }
            el("p", .class("stage-state")) {
                el("strong") { lang.t("状态：", "State: ") }
                lang.t(stage.state)
            }
            if !stage.links.isEmpty {
                el("ul") {
                    for link in stage.links { el("li") { el("a", .href(link.url.path), .id(link.id)) { lang.t(link.title) } } }
                }
            }
        }
    }
}

/// What a stage's card on the batch home is drawn from: who looks, at which batch, in which state, when.
struct StageFacts: Sendable {
    var principal: Principal
    var key: BatchKey
    var batch: BatchRecord
    var lockedAt: Date?
    var award: AwardState
    var now: Date
    /// What waits for the user in supply, once it is open.
    var supply: SupplyTodo?
}

/// A stage's card on the batch home: each stage's pages answer for their own (state, whether open, the links of
/// the role), beside its controller; the home only lists them in stage order.
protocol StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage
}

extension BatchHomeView {
    /// The stages with pages, each with its card.
    static var cards: [ProcurementStage: any StageCard.Type] {
        [.demand: DemandCard.self, .award: AwardCard.self, .supply: SupplyCard.self, .monitor: MonitorCard.self, .assess: AssessmentCard.self]
    }

    /// A stage not built yet: what it will do and when it opens.
    static func notBuilt(_ stage: ProcurementStage) -> Stage {
        let state = LocalizedText(zh: "尚未开放：\(stage.opensWhen.zh)开放（功能建设中）", en: "not open yet: opens \(stage.opensWhen.en) (being built)")
        return Stage(stage: stage, state: state, open: false, links: [])
    }

    /// A stage built but not open for this batch yet.
    static func notOpen(_ stage: ProcurementStage) -> Stage {
        Stage(
            stage: stage, state: LocalizedText(zh: "尚未开放：\(stage.opensWhen.zh)开放", en: "not open yet: opens \(stage.opensWhen.en)"), open: false,
            links: [])
    }
}
