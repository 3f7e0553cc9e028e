import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// The institution's form (one page per batch), its actions, and the reviewer's actions on the same page.
struct FormPages: Sendable {
    let deps: WebDependencies

    func register(_ r: any RoutesBuilder) {
        let report = r.grouped("batches", ":batch", "report", ":inst")
        report.get { req in try await page(req) }
        report.post("save") { req in try await save(req) }
        report.post("letter") { req in try await letter(req) }
        report.post("evidence") { req in try await evidence(req) }
        report.post("submit") { req in try await submit(req) }
        report.get("form.xlsx") { req in try await download(req) }
        report.post("upload") { req in try await upload(req) }
        report.post("review") { req in try await review(req) }
        report.post("correct") { req in try await correct(req) }
        report.get("audit") { req in try await audit(req) }
        r.get("files", ":id") { req in try await file(req) }
        r.get("batches", ":batch") { req -> Response in
            let batch = try req.parameters.require("batch")
            guard let u = req.currentUser else { throw Abort(.unauthorized) }
            if u.principal.role.isInstitution, let org = u.principal.organisationCode {
                return SafeRedirect.response(req, to: "/batches/\(SafeRedirect.segment(batch))/report/\(SafeRedirect.segment(org))")
            }
            return SafeRedirect.response(req, to: "/batches/\(SafeRedirect.segment(batch))/review")
        }
    }

    private func ids(_ req: Request) throws -> (String, String) {
        (try req.parameters.require("batch"), try req.parameters.require("inst"))
    }

    private func path(_ req: Request) throws -> String {
        let (b, i) = try ids(req)
        return "/batches/\(SafeRedirect.segment(b))/report/\(SafeRedirect.segment(i))"
    }

    func service(_ req: Request) -> ReportService { ReportService(db: DB(req.db)) }

    // MARK: actions

    /// Form fields: q[spec] quantity, p[spec] brand, e[unit] explanation, x[unit] special-needs quantity (in the unit's
    /// display spec), xr[unit] its reason.
    struct SaveForm: Content {
        var q: [String: String]?
        var p: [String: String]?
        var e: [String: String]?
        var x: [String: String]?
        var xs: [String: String]?
        var xr: [String: String]?
    }

    static func draft(_ f: SaveForm) throws -> DraftInput {
        let parsed = DraftInput.fromForm(quantities: f.q ?? [:], brands: f.p ?? [:], explanations: f.e ?? [:], exclusions: f.x ?? [:],
                                         exclusionSpecs: f.xs ?? [:], exclusionReasons: f.xr ?? [:])
        switch parsed {
        case .success(let input): return input
        case .failure(let r): throw r
        }
    }

    func save(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let form = try req.content.decode(SaveForm.self)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            let f = try await service(req).save(batchCode: b, institutionCode: i, input: try FormPages.draft(form), ctx: ctx)
            let blocking = f.result.findings.filter(\.blocksSubmission).count
            return lang.t("草稿已保存。", "Draft saved. ") + (blocking > 0 ? lang.t("还有\(blocking)个问题须处理。", "\(blocking) findings still block submission.") : "")
        }
    }

    struct LetterForm: Content { var file: File; var signerName: String; var signerTitle: String }

    func letter(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            guard let form = try? req.content.decode(LetterForm.self) else {
                throw ServiceError(.fileMissing, zh: "请选择承诺函文件并填写签字人", en: "choose the letter file and enter the signer")
            }
            _ = try await service(req).attachLetter(batchCode: b, institutionCode: i, fileName: form.file.filename, data: Data(buffer: form.file.data),
                                                    signerName: form.signerName, signerTitle: form.signerTitle, ctx: ctx)
            return lang.t("承诺函已上传", "Commitment letter uploaded")
        }
    }

    struct EvidenceForm: Content { var file: File; var unit: String }

    func evidence(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            guard let form = try? req.content.decode(EvidenceForm.self) else {
                throw ServiceError(.fileMissing, zh: "请选择文件", en: "choose a file")
            }
            _ = try await service(req).attachEvidence(batchCode: b, institutionCode: i, unitKey: form.unit, fileName: form.file.filename,
                                                      data: Data(buffer: form.file.data), ctx: ctx)
            return lang.t("佐证材料已上传", "Evidence uploaded")
        }
    }

    func submit(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            _ = try await service(req).submit(batchCode: b, institutionCode: i, ctx: ctx)
            return lang.t("报量已提交，等待市级审核", "Report submitted; it now goes to the city for review")
        }
    }

    struct ReviewForm: Content { var action: String; var reason: String? }

    func review(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let form = try req.content.decode(ReviewForm.self)
        let ctx = try req.context(deps)
        guard let action = ReportAction(rawValue: form.action), ![.save, .submit, .cityCorrect].contains(action) else { throw Abort(.badRequest) }
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            _ = try await service(req).review(batchCode: b, institutionCode: i, action: action, reason: form.reason, ctx: ctx)
            return lang.t("已\(action.label.zh)", "Done: \(action.label.en)")
        }
    }

    struct CorrectForm: Content { var spec: String; var product: String?; var quantity: String; var reason: String }

    func correct(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let form = try req.content.decode(CorrectForm.self)
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: try path(req)) {
            let q: Int64
            switch QuantityText.parse(form.quantity) {
            case .success(let value)?: q = value
            case .failure(let problem)?: throw Refusal.quantity(problem, what: form.spec, text: form.quantity)
            case nil: throw ServiceError(.badQuantity, zh: "数量须为整数", en: "the quantity must be a whole number")
            }
            let product = form.product.flatMap { $0.isEmpty ? nil : $0 }
            _ = try await service(req).correct(batchCode: b, institutionCode: i, line: DemandLine(specCode: form.spec, productCode: product, quantity: q),
                                               reason: form.reason, ctx: ctx)
            return lang.t("已更正", "Corrected")
        }
    }

    // MARK: offline XLSX

    func download(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let f = try await service(req).form(batchCode: b, institutionCode: i, ctx: try req.context(deps))
        let w = try XLSXWriter()
        let cols = Schemas.demand.columns
        let keys = ["institution", "spec", "product", "quantity", "explanation", "exclusion", "exclusionReason"]
        try w.addSheet("需求量", columnWidths: [22, 12, 12, 12, 30, 12, 20, 14, 10, 10, 8, 16])
        try w.addRow(keys.map { k in cols.first { $0.key == k }!.zh } + ["通用名", "规格", "剂型", "最小单位", "历史采购量"])
        let cat = f.context.catalogue
        let lines = Dictionary((f.report?.lines ?? []).map { ($0.specCode, $0) }, uniquingKeysWith: { a, _ in a })
        for unit in cat.units {
            let v = cat.varietyByCode[unit.varietyCode]!
            for (n, spec) in cat.reportableSpecs(in: unit).enumerated() {
                let line = lines[spec.code]
                let ex = n == 0 ? f.report?.exclusions[unit.key] : nil
                try w.addRow([.text(f.institution.organisation.code), .text(spec.code), .text(line?.productCode ?? ""),
                              line.map { .number($0.quantity) } ?? .number(0), .text(n == 0 ? f.report?.explanations[unit.key] ?? "" : ""),
                              ex.map { .number($0.quantity) } ?? .empty, .text(ex?.reason ?? ""),
                              .text(v.genericName), .text(spec.strength), .text(spec.dosageForm), .text(spec.minimalUnit), .number(f.history[spec.code] ?? 0)])
            }
        }
        return Response.download(try w.data(), name: "\(b)-\(i)-需求量.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    struct UploadForm: Content { var file: File; var clear: String? }

    func upload(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        _ = try await service(req).institution(i, for: ctx.principal, allow: Authorizer.canFill)
        return try await Flashes.act(req, back: try path(req)) {
            guard let form = try? req.content.decode(UploadForm.self), form.file.data.readableBytes > 0 else {
                throw ServiceError(.fileMissing, zh: "请选择填好的XLSX或CSV文件", en: "choose the filled XLSX or CSV file")
            }
            let ext = (form.file.filename as NSString).pathExtension.lowercased()
            guard ext == "xlsx" || ext == "csv" else { throw ServiceError(.badFileType, zh: "只接受XLSX或CSV", en: "only XLSX or CSV") }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("form.\(ext)")
            try Data(buffer: form.file.data).write(to: url)
            let (_, rows) = try await service(req).saveOffline(batchCode: b, institutionCode: i, path: url.path, clear: form.clear == "1", ctx: ctx)
            return rows == 0 ? lang.t("草稿已清空", "The draft was cleared") : lang.t("已导入\(rows)行并保存为草稿", "\(rows) rows imported and saved as the draft")
        }
    }

    // MARK: files and audit

    func file(_ req: Request) async throws -> Response {
        guard let id = Int64(req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        let (meta, data) = try await ReportService(db: DB(req.db)).file(id: id, ctx: try req.context(deps))
        return Response.download(data, name: meta.name, type: meta.contentType)
    }

    func audit(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let lang = req.lang
        let entries = try await service(req).auditTrail(batchCode: b, institutionCode: i, ctx: try req.context(deps))
        return Layout.page(req, title: lang.t("报量修改记录", "Report history")) {
            el("h1") { lang.t("报量修改记录", "Report history") + " · \(i)" }
            el("p") { el("a", .href(try! path(req))) { lang.t("返回报量", "Back to the report") } }
            Layout.table(id: "audit", headers: [lang.t("时间", "When"), lang.t("操作人", "Who"), lang.t("操作", "Action"), lang.t("摘要", "Summary"), lang.t("修改前→后", "Before → after"), "IP"],
                         filter: lang, rows: entries.map { e in
                [.text(ReportingWindow.shanghaiText(e.at)), .text(e.actor), .text(e.action), .text(e.summary),
                 el("pre", .class("muted")) { e.detail ?? "" }, .text(e.ip ?? "")]
            })
        }
    }

    // MARK: the page

    func page(_ req: Request) async throws -> Response {
        let (b, i) = try ids(req)
        let ctx = try req.context(deps)
        let f = try await service(req).form(batchCode: b, institutionCode: i, ctx: ctx)
        return Flashes.clear(req, FormView(req: req, form: f, principal: ctx.principal, path: try path(req)).render())
    }
}

/// The HTML of the form.
struct FormView {
    let req: Request
    let form: ReportForm
    let principal: Principal
    let path: String
    let lang: Lang

    init(req: Request, form: ReportForm, principal: Principal, path: String) {
        self.req = req
        self.form = form
        self.principal = principal
        self.path = path
        lang = req.lang
    }

    func findingNode(_ f: Finding) -> Node {
        el("div", .class("finding \(f.severity.rawValue)"), .data("code", f.code.rawValue)) {
            el("span", .class("badge \(f.severity.rawValue)")) { lang.t(f.severity.label) }
            " "
            el("code") { f.code.rawValue }
            " "
            lang.t(f.message)
            if let e = f.explanation { el("div", .class("muted")) { lang.t("说明：", "Explanation: ") + e } }
        }
    }

    func render() -> Response {
        let f = form
        let c = f.context
        let cat = c.catalogue
        let status = f.report?.status
        let window = c.batch.policy.window
        let ref = ReportService.ref(f.institution)
        let canCity = Authorizer.canReviewAsCity(principal, ref)
        let canProvince = Authorizer.canReviewAsProvince(principal, ref)
        let findingsByUnit = Dictionary(grouping: f.result.findings.filter { $0.unitKey != nil }, by: { $0.unitKey! })
        let general = f.result.findings.filter { $0.unitKey == nil }
        let blocking = f.result.findings.filter(\.blocksSubmission)
        let lines = Dictionary((f.report?.lines ?? []).map { ($0.specCode, $0) }, uniquingKeysWith: { a, _ in a })
        let totalsByUnit = Dictionary(f.result.units.map { ($0.unit.key, $0) }, uniquingKeysWith: { a, _ in a })
        // Units with history or a report first, the rest after them (an institution may report a new use).
        let units = cat.units.filter { totalsByUnit[$0.key] != nil } + cat.units.filter { totalsByUnit[$0.key] == nil }
        let months = c.batch.policy.referencePeriod
        let editable = f.canEdit
        return Layout.page(req, title: lang.t("报量填报", "Demand report"), flash: Flashes.take(req)) {
            el("h1") { "\(c.batch.name) · \(f.institution.organisation.name)" }
            el("div", .class("card grid")) {
                el("div") {
                    el("div", .class("muted")) { lang.t("机构编码", "Institution code") }
                    el("div") { f.institution.organisation.code }
                }
                el("div") {
                    el("div", .class("muted")) { lang.t("报量状态", "Status") }
                    el("div", .id("report-status"), .data("status", status?.rawValue ?? "none")) {
                        el("span", .class("badge status-\(status?.rawValue ?? "none")")) { status.map { lang.t($0.label) } ?? lang.t("未填报", "not started") }
                    }
                }
                el("div") {
                    el("div", .class("muted")) { lang.t("填报阶段", "Phase") }
                    el("div") { lang.t(f.phase.label) + (c.lockedAt != nil ? lang.t("（已锁定）", " (locked)") : "") }
                }
                el("div") {
                    el("div", .class("muted")) { lang.t("截止时间", "Deadline") }
                    if f.phase == .open {
                        Layout.countdown(lang, to: window.fillingCloses, label: lang.t("填报截止", "filling closes"))
                    } else if f.phase == .accountTest || f.phase == .notOpen {
                        Layout.countdown(lang, to: window.fillingOpens, label: lang.t("填报开始", "filling opens"))
                    } else {
                        Layout.countdown(lang, to: window.reviewDeadline, label: lang.t("审核截止", "review closes"))
                    }
                }
            }
            if let reason = f.report?.returnReason, status == .returned {
                el("p", .class("flash error"), .id("return-reason")) { lang.t("退回原因：", "Returned for correction: ") + reason }
            }
            if let lead = f.reportedByLead {
                el("p", .class("flash ok")) { lang.t("本机构由医共体牵头机构“\(lead.organisation.name)”统一报量（001 §2(一)）", "This institution is reported for by its county medical community lead \(lead.organisation.name) (001 §2(一))") }
            }
            if !f.members.isEmpty {
                el("p", .class("card")) {
                    lang.t("医共体统一报量：以下成员单位的历史采购量已合并计入（001 §2(一)）：", "County medical community report: the history of these members is combined (001 §2(一)): ")
                    f.members.map { $0.organisation.name }.joined(separator: "、")
                }
            }
            el("div", .class("card"), .id("findings")) {
                el("h2") { lang.t("检查结果", "Findings") + " (\(f.result.findings.count))" }
                if blocking.isEmpty {
                    el("p", .id("no-blocking")) { lang.t("没有阻止提交的问题。", "No finding blocks submission.") }
                } else {
                    el("p", .id("blocking-count")) { lang.t("有\(blocking.count)个问题须处理后才能提交。", "\(blocking.count) findings must be resolved before submitting.") }
                }
                for g in general { findingNode(g) }
            }
            el("div", .id("live-findings"), Attr("aria-live", "polite")) { "" }
            el("form", attrs: [.action(path + "/save"), .postMethod, .id("demand-form")] + (editable ? [.data("check", "/api/v1/batches/\(c.batch.code)/reports/\(f.institution.organisation.code)/check")] : [])) {
                Layout.csrf(req)
                for unit in units {
                    let v = cat.varietyByCode[unit.varietyCode]!
                    let specs = cat.specs(in: unit)
                    let t = totalsByUnit[unit.key]
                    el("section", .class("card variety"), .id("unit-\(unit.key.replacingOccurrences(of: "/", with: "-"))")) {
                        el("h3") {
                            "\(v.genericName)（\(v.route)）"
                            if unit.separateSpecCode != nil { el("span", .class("badge")) { lang.t("不可替代规格，单独核算", "non-substitutable, kept apart") } }
                            if v.flags.keyMonitored { el("span", .class("badge")) { lang.t("重点监控", "key-monitored") } }
                            if v.flags.antimicrobial { el("span", .class("badge")) { lang.t("抗微生物", "antimicrobial") } }
                            if v.flags.restrictedIndication { el("span", .class("badge")) { lang.t("限适应症", "restricted indication") } }
                            if v.flags.rising { el("span", .class("badge")) { lang.t("上升趋势", "rising use") } }
                        }
                        if let t {
                            el("p", .class("muted")) {
                                lang.t("历史采购量（折算为\(t.displaySpec.strength)\(t.displaySpec.dosageForm)）：\(t.historyDisplay)\(t.displaySpec.minimalUnit)；本次报量折算：\(t.reportedDisplay)\(t.displaySpec.minimalUnit)",
                                       "History (in \(t.displaySpec.strength) \(t.displaySpec.dosageForm)): \(t.historyDisplay) \(t.displaySpec.minimalUnit); reported, converted: \(t.reportedDisplay) \(t.displaySpec.minimalUnit)")
                                if let p = t.percentOfHistory { " (\(p))" }
                            }
                        }
                        el("div", .class("table-wrap")) {
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
                                el("tbody") {
                                    for s in specs {
                                        let line = lines[s.code]
                                        el("tr") {
                                            el("td") { "\(s.code) \(s.strength)" + (s.passedEvaluation ? "" : lang.t("（未过评，折算至过评规格）", " (not passed: convert onto a passed spec)")) }
                                            el("td") { s.dosageForm }
                                            el("td") { s.content.description + "/" + s.minimalUnit }
                                            el("td", .class("num")) { String(f.history[s.code] ?? 0) }
                                            el("td", .class("muted")) { months.months.map { String(f.monthly[s.code]?[$0.year * 100 + $0.month] ?? 0) }.joined(separator: " ") }
                                            el("td") {
                                                if s.passedEvaluation {
                                                    el("select", attrs: [.name("p[\(s.code)]"), Attr("aria-label", lang.t("厂牌", "brand"))] + (editable ? [] : [.disabled])) {
                                                        el("option", .value("")) { lang.t("不指定", "any") }
                                                        for p in cat.products(ofSpec: s.code) {
                                                            el("option", attrs: [.value(p.code)] + (line?.productCode == p.code ? [.selected] : [])) { "\(p.manufacturerName) \(p.brand)" }
                                                        }
                                                    }
                                                }
                                            }
                                            el("td", .class("num")) {
                                                if s.passedEvaluation {
                                                    el("input", attrs: [.type("number"), Attr("min", "0"), Attr("step", "1"), .name("q[\(s.code)]"), .id("q-\(s.code)"),
                                                                        .value(line.map { String($0.quantity) } ?? ""), Attr("aria-label", "\(s.code)")] + (editable ? [] : [.disabled]))
                                                    " " + s.minimalUnit
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        for finding in findingsByUnit[unit.key] ?? [] { findingNode(finding) }
                        if t?.hasHistory == true || f.report?.explanations[unit.key] != nil {
                            el("label", Attr("for", "e-\(unit.key)")) { lang.t("说明（低于历史采购量规定比例时必填，如科室撤并、诊疗方案调整）", "Explanation (required below the policy share of history, e.g. a department closed)") }
                            el("textarea", attrs: [.name("e[\(unit.key)]"), .id("e-\(unit.key)"), Attr("maxlength", "2000")] + (editable ? [] : [.disabled])) { f.report?.explanations[unit.key] ?? "" }
                            el("details") {
                                el("summary") { lang.t("特需医疗、国际医疗用量剔除（002 §3(三)）", "Special-needs / international services exclusion (002 §3(三))") }
                                let display = cat.reportableSpecs(in: unit).first ?? specs[0]
                                el("input", .type("hidden"), .name("xs[\(unit.key)]"), .value(display.code))
                                el("label") { lang.t("剔除量（\(display.strength)，\(display.minimalUnit)）", "Excluded quantity (\(display.strength), \(display.minimalUnit))") }
                                el("input", attrs: [.type("number"), Attr("min", "0"), .name("x[\(unit.key)]"), .value(f.report?.exclusions[unit.key].map { String($0.quantity) } ?? "")] + (editable ? [] : [.disabled]))
                                el("label") { lang.t("原因", "Reason") }
                                el("input", attrs: [.type("text"), .name("xr[\(unit.key)]"), .value(f.report?.exclusions[unit.key]?.reason ?? "")] + (editable ? [] : [.disabled]))
                            }
                            if let ev = f.report?.evidence[unit.key] {
                                el("p") { el("a", .href("/files/\(ev)")) { lang.t("佐证材料", "Evidence file") } }
                            }
                        }
                    }
                }
                if editable {
                    el("p", .class("no-print")) { el("button", .type("submit"), .id("save")) { lang.t("保存草稿", "Save draft") } }
                }
            }
            if editable {
                el("div", .class("card no-print")) {
                    el("h2") { lang.t("佐证材料（可选）", "Evidence (optional)") }
                    let explained = (f.report?.explanations.keys.sorted()) ?? []
                    if explained.isEmpty {
                        el("p", .class("muted")) { lang.t("填写并保存说明后可上传佐证材料。", "Save an explanation first to attach evidence.") }
                    } else {
                        Layout.postForm(req, path + "/evidence", id: "evidence-form", multipart: true) {
                            el("select", .name("unit")) { for k in explained { el("option", .value(k)) { "\(cat.varietyByCode[CheckUnit(key: k)?.varietyCode ?? ""]?.genericName ?? k) (\(k))" } } }
                            " "
                            el("input", .type("file"), .name("file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                            " "
                            el("button", .type("submit"), .class("secondary")) { lang.t("上传", "Upload") }
                        }
                    }
                }
                el("div", .class("card no-print")) {
                    el("h2") { lang.t("承诺函", "Commitment letter") }
                    if let l = f.report?.letter, !l.fileName.isEmpty {
                        el("p", .id("letter-info")) {
                            lang.t("已上传：", "Attached: ")
                            if let id = f.report?.letterFileID { el("a", .href("/files/\(id)")) { l.fileName } } else { l.fileName }
                            "（\(l.signerTitle) \(l.signerName)）"
                        }
                    }
                    el("p", .class("muted")) { lang.t("须由院长或党委书记签字并加盖公章，上传PDF或图片（001 §2(一)、002 §2）。", "Signed by the director or party secretary and sealed; upload a PDF or an image (001 §2(一), 002 §2).") }
                    Layout.postForm(req, path + "/letter", id: "letter-form", multipart: true) {
                        el("input", .type("file"), .name("file"), .id("letter-file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                        " "
                        el("input", .type("text"), .name("signerName"), .id("signer-name"), Attr("placeholder", lang.t("签字人姓名", "Signer's name")), .required)
                        " "
                        el("select", .name("signerTitle"), .id("signer-title")) {
                            for t in c.batch.policy.commitmentSignerTitles { el("option", .value(t)) { t } }
                        }
                        " "
                        el("button", .type("submit"), .class("secondary"), .id("upload-letter")) { lang.t("上传承诺函", "Upload letter") }
                    }
                }
                el("div", .class("card no-print")) {
                    el("h2") { lang.t("离线填报", "Fill offline") }
                    el("p") { el("a", .href(path + "/form.xlsx"), .id("download-xlsx")) { lang.t("下载本机构报量表（XLSX）", "Download this form (XLSX)") } }
                    Layout.postForm(req, path + "/upload", id: "upload-form", multipart: true) {
                        el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                        " "
                        el("label") { el("input", .type("checkbox"), .name("clear"), .value("1"), .id("upload-clear")); lang.t(" 文件无数据行时清空草稿", " clear the draft if the file has no rows") }
                        " "
                        el("button", .type("submit"), .class("secondary")) { lang.t("上传填好的报量表", "Upload the filled form") }
                    }
                }
                Layout.postForm(req, path + "/submit", id: "submit-form") {
                    el("button", attrs: [.type("submit"), .id("submit")] + (blocking.isEmpty && f.report != nil ? [] : [.disabled])) { lang.t("提交报量", "Submit report") }
                }
            }
            if (canCity || canProvince) && c.lockedAt != nil {
                el("p", .class("card"), .id("review-locked")) { lang.t("本批次已锁定，审核操作已关闭。", "The batch is locked; review actions are closed.") }
            } else if canCity || canProvince {
                el("div", .class("card no-print"), .id("review-actions")) {
                    el("h2") { lang.t("审核", "Review") }
                    if let l = f.report?.letter, let id = f.report?.letterFileID {
                        el("p") { lang.t("承诺函：", "Letter: "); el("a", .href("/files/\(id)")) { l.fileName }; "（\(l.signerTitle) \(l.signerName)）" }
                    }
                    let actions: [ReportAction] = canProvince ? [.cityApprove, .provinceApprove] : [.cityApprove]
                    for a in actions where status == (a == .cityApprove ? .submitted : .cityApproved) {
                        Layout.postForm(req, path + "/review", id: "approve-\(a.rawValue)") {
                            el("input", .type("hidden"), .name("action"), .value(a.rawValue))
                            el("button", .type("submit"), .id(a.rawValue)) { lang.t(a.label) }
                        }
                    }
                    if let s = status, s.isSubmitted {
                        Layout.postForm(req, path + "/review", id: "return-form") {
                            el("input", .type("hidden"), .name("action"), .value(canProvince && s != .submitted ? ReportAction.provinceReturn.rawValue : ReportAction.cityReturn.rawValue))
                            el("label", Attr("for", "reason")) { lang.t("退回原因", "Reason for return") }
                            el("textarea", .name("reason"), .id("reason"), .required) { "" }
                            el("button", .type("submit"), .class("danger"), .id("return")) { lang.t("退回修改", "Return for correction") }
                        }
                    }
                    if status == .submitted {
                        el("details") {
                            el("summary") { lang.t("更正明显数据错误（留痕）", "Correct an obvious data error (audited)") }
                            Layout.postForm(req, path + "/correct", id: "correct-form") {
                                el("select", .name("spec")) { for s in cat.specs where s.passedEvaluation { el("option", .value(s.code)) { "\(s.code) \(cat.varietyByCode[s.varietyCode]?.genericName ?? "") \(s.strength)" } } }
                                el("input", .type("text"), .name("product"), Attr("placeholder", lang.t("产品编码（可空）", "product (optional)")))
                                el("input", .type("number"), .name("quantity"), Attr("min", "0"), .required)
                                el("input", .type("text"), .name("reason"), Attr("placeholder", lang.t("更正原因", "reason")), .required)
                                el("button", .type("submit"), .class("secondary")) { lang.t("更正", "Correct") }
                            }
                        }
                    }
                }
            }
            el("p", .class("no-print")) { el("a", .href(path + "/audit"), .id("audit-link")) { lang.t("查看修改记录", "Report history") } }
        }
    }

}
