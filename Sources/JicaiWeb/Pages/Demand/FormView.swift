import Foundation
import JicaiCore
import JicaiServices

/// The institution's form: the report's state, its findings, one section per check unit with the specs, brands,
/// quantities and explanations, then the evidence, the commitment letter, the offline form, submit, and the
/// reviewers' actions. Pure rendering of a `Model`; every permission is decided when the model is built.
struct FormView {
    struct Model: Sendable {
        var form: ReportForm
        var csrf: String
        /// The institution may change the draft now (its scope, the window, the report's status).
        var editable: Bool
        var canReviewAsCity: Bool
        var canReviewAsProvince: Bool
        /// The what-if of each reported unit, by unit key (empty when not computed).
        var whatIfs: [String: DemandWhatIf] = [:]

        init(form: ReportForm, csrf: String, editable: Bool, canReviewAsCity: Bool, canReviewAsProvince: Bool) {
            self.form = form
            self.csrf = csrf
            self.editable = editable
            self.canReviewAsCity = canReviewAsCity
            self.canReviewAsProvince = canReviewAsProvince
        }

        init(form: ReportForm, principal: Principal, csrf: String) {
            let ref = ReportService.ref(form.institution)
            self.init(
                form: form, csrf: csrf, editable: form.canEdit, canReviewAsCity: Authorizer.canReviewAsCity(principal, ref),
                canReviewAsProvince: Authorizer.canReviewAsProvince(principal, ref))
        }

        var batchKey: BatchKey { BatchKey(form.context.batch.code) }
        var institutionKey: InstitutionKey { InstitutionKey(form.institution.organisation.code) }
        func url(_ page: SiteURL.ReportPage) -> SiteURL { .batch(batchKey, .report(institutionKey, page)) }
        var status: ReportStatus? { form.report?.status }
        var reviews: Bool { canReviewAsCity || canReviewAsProvince }
        var blocking: [Finding] { form.result.findings.filter(\.blocksSubmission) }

        func crumbs(_ lang: Lang) -> [Crumb] {
            [
                Crumb(title: form.context.batch.name, url: .batch(batchKey, .home)),
                Crumb(title: form.institution.organisation.name, url: nil),
            ]
        }
    }

    let model: Model
    let lang: Lang

    var form: ReportForm { model.form }
    var catalogue: Catalogue { form.context.catalogue }

    var body: Node {
        .fragment([
            el("h1") { "\(form.context.batch.name) · \(form.institution.organisation.name)" },
            summaryCard,
            notices,
            findingsCard,
            el("div", .id("live-findings"), Attr("aria-live", "polite")) { "" },
            demandForm,
            model.editable ? institutionActions : .fragment([]),
            model.reviews ? reviewActions : .fragment([]),
            el("p", .class("no-print")) { el("a", .href(model.url(.audit).path), .id("audit-link")) { lang.t("查看修改记录", "Report history") } },
        ])
    }

    // MARK: state and findings

    var summaryCard: Node {
        let status = model.status
        return el("div", .class("card grid")) {
            labelled(lang.t("机构编码", "Institution code")) { .text(form.institution.organisation.code) }
            labelled(lang.t("报量状态", "Status")) {
                el("div", .id("report-status"), .data("status", status?.rawValue ?? "none")) {
                    el("span", .class("badge status-\(status?.rawValue ?? "none")")) {
                        status.map { lang.t($0.label) } ?? lang.t("未填报", "not started")
                    }
                }
            }
            labelled(lang.t("填报阶段", "Phase")) {
                .text(lang.t(form.phase.label) + (form.context.lockedAt != nil ? lang.t("（已锁定）", " (locked)") : ""))
            }
            labelled(lang.t("截止时间", "Deadline")) { deadline }
        }
    }

    func labelled(_ label: String, _ value: () -> Node) -> Node {
        el("div") {
            el("div", .class("muted")) { label }
            el("div") { value() }
        }
    }

    var deadline: Node {
        let window = form.context.batch.policy.window
        switch form.phase {
        case .open: return Layout.countdown(lang, to: window.fillingCloses, label: lang.t("填报截止", "filling closes"))
        case .accountTest, .notOpen: return Layout.countdown(lang, to: window.fillingOpens, label: lang.t("填报开始", "filling opens"))
        case .review, .closed: return Layout.countdown(lang, to: window.reviewDeadline, label: lang.t("审核截止", "review closes"))
        }
    }

    var notices: Node {
        var nodes: [Node] = []
        if let reason = form.report?.returnReason, model.status == .returned {
            nodes.append(el("p", .class("flash error"), .id("return-reason")) { lang.t("退回原因：", "Returned for correction: ") + reason })
        }
        if let lead = form.reportedByLead {
            nodes.append(
                el("p", .class("flash ok")) {
                    lang.t(
                        "本机构由医共体牵头机构“\(lead.organisation.name)”统一报量（001 §2(一)）",
                        "This institution is reported for by its county medical community lead \(lead.organisation.name) (001 §2(一))")
                })
        }
        if !form.members.isEmpty {
            nodes.append(
                el("p", .class("card")) {
                    lang.t(
                        "医共体统一报量：以下成员单位的历史采购量已合并计入（001 §2(一)）：",
                        "County medical community report: the history of these members is combined (001 §2(一)): ")
                    form.members.map { $0.organisation.name }.joined(separator: "、")
                })
        }
        return .fragment(nodes)
    }

    var findingsCard: Node {
        let blocking = model.blocking
        return el("div", .class("card"), .id("findings")) {
            el("h2") { lang.t("检查结果", "Findings") + " (\(form.result.findings.count))" }
            if blocking.isEmpty {
                el("p", .id("no-blocking")) { lang.t("没有阻止提交的问题。", "No finding blocks submission.") }
            } else {
                el("p", .id("blocking-count")) {
                    lang.t("有\(blocking.count)个问题须处理后才能提交。", "\(blocking.count) findings must be resolved before submitting.")
                }
            }
            for finding in form.result.findings where finding.unitKey == nil { findingNode(finding) }
        }
    }

    func findingNode(_ finding: Finding) -> Node {
        el("div", .class("finding \(finding.severity.rawValue)"), .data("code", finding.code.rawValue)) {
            el("span", .class("badge \(finding.severity.rawValue)")) { lang.t(finding.severity.label) }
            " "
            el("code") { finding.code.rawValue }
            " "
            lang.t(finding.message)
            if let explanation = finding.explanation { el("div", .class("muted")) { lang.t("说明：", "Explanation: ") + explanation } }
        }
    }

    // MARK: the demand form

    var demandForm: Node {
        var attrs: [Attr] = [.action(model.url(.save).path), .postMethod, .id("demand-form")]
        if model.editable {
            attrs.append(.data("check", SiteURL.api(.report(model.batchKey, model.institutionKey, .check)).path))
            attrs.append(.data("whatif", SiteURL.api(.report(model.batchKey, model.institutionKey, .whatIf)).path))
        }
        let totals = Dictionary(form.result.units.map { ($0.unit.key, $0) }, uniquingKeysWith: { first, _ in first })
        // Units with history or a report first, the rest after them (an institution may report a new use).
        let units = catalogue.units.filter { totals[$0.key] != nil } + catalogue.units.filter { totals[$0.key] == nil }
        return el("form", attrs: attrs) {
            Layout.csrf(model.csrf)
            for unit in units { UnitSection(view: self, unit: unit, totals: totals[unit.key]).body }
            if model.editable {
                el("p", .class("no-print")) { el("button", .type("submit"), .id("save")) { lang.t("保存草稿", "Save draft") } }
            }
        }
    }

    /// `disabled` on the inputs of a form that cannot be changed now.
    var editableAttrs: [Attr] { model.editable ? [] : [.disabled] }
}
