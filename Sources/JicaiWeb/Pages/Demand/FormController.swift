import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The institution's form (one page per batch), its actions, and the reviewer's actions on the same page.
struct FormPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(report(.form)) { req in try await page(req) }
        routes.post(report(.save)) { req in try await save(req) }
        routes.post(report(.letter)) { req in try await letter(req) }
        routes.post(report(.evidence)) { req in try await evidence(req) }
        routes.post(report(.submit)) { req in try await submit(req) }
        routes.get(report(.formXLSX)) { req in try await download(req) }
        routes.post(report(.upload)) { req in try await upload(req) }
        routes.post(report(.review)) { req in try await review(req) }
        routes.post(report(.correct)) { req in try await correct(req) }
        routes.get(report(.audit)) { req in try await audit(req) }
        routes.get(.file(.any)) { req in try await file(req) }
    }

    private func report(_ page: SiteURL.ReportPage) -> SiteURL { .batch(.any, .report(.any, page)) }

    func reports(_ req: Request) -> ReportService { deps.services(req).reports }

    // MARK: the page

    func page(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let ctx = try req.context(deps)
        let form = try await reports(req).form(try await req.scope(deps), institutionCode: key.institution.code)
        var model = FormView.Model(form: form, principal: ctx.principal, csrf: req.currentUser?.csrf ?? "")
        model.whatIfs = Dictionary(try await reports(req).whatIf(form).map { ($0.unitKey, $0) }, uniquingKeysWith: { first, _ in first })
        let page = Layout.page(req, title: req.lang.t("报量填报", "Demand report"), crumbs: model.crumbs(req.lang), flash: Flashes.take(req)) {
            FormView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    // MARK: actions

    /// The form's fields, each named for what it holds and keyed by spec code or check unit: `quantity[spec]`,
    /// `brand[spec]` (a product code), `explanation[unit]`, `exclusion[unit]` (the special-needs quantity in the
    /// unit's display spec), `exclusionSpec[unit]` and `exclusionReason[unit]`.
    struct SaveForm: Content {
        var quantity: [String: String]?
        var brand: [String: String]?
        var explanation: [String: String]?
        var exclusion: [String: String]?
        var exclusionSpec: [String: String]?
        var exclusionReason: [String: String]?

        func draft() throws -> DraftInput {
            let parsed = DraftInput.fromForm(
                quantities: quantity ?? [:], brands: brand ?? [:], explanations: explanation ?? [:],
                exclusions: exclusion ?? [:], exclusionSpecs: exclusionSpec ?? [:],
                exclusionReasons: exclusionReason ?? [:])
            switch parsed {
            case .success(let input): return input
            case .failure(let refusal): throw refusal
            }
        }
    }

    func save(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let form = try req.content.decode(SaveForm.self)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            let saved = try await reports(req).save(try await req.scope(deps), institutionCode: key.institution.code, input: try form.draft())
            let blocking = saved.result.findings.filter(\.blocksSubmission).count
            return lang.t("草稿已保存。", "Draft saved. ")
                + (blocking > 0 ? lang.t("还有\(blocking)个问题须处理。", "\(blocking) findings still block submission.") : "")
        }
    }

    struct LetterForm: Content {
        var file: File
        var signerName: String
        var signerTitle: String
    }

    func letter(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            guard let form = try? req.content.decode(LetterForm.self) else {
                throw Refusal(.fileMissing, zh: "请选择承诺函文件并填写签字人", en: "choose the letter file and enter the signer")
            }
            _ = try await reports(req).attachLetter(
                try await req.scope(deps), institutionCode: key.institution.code, fileName: form.file.filename, data: Data(buffer: form.file.data),
                signerName: form.signerName, signerTitle: form.signerTitle)
            return lang.t("承诺函已上传", "Commitment letter uploaded")
        }
    }

    struct EvidenceForm: Content {
        var file: File
        var unit: String
    }

    func evidence(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            guard let form = try? req.content.decode(EvidenceForm.self) else { throw Refusal(.fileMissing) }
            _ = try await reports(req).attachEvidence(
                try await req.scope(deps), institutionCode: key.institution.code, unitKey: form.unit, fileName: form.file.filename,
                data: Data(buffer: form.file.data))
            return lang.t("佐证材料已上传", "Evidence uploaded")
        }
    }

    func submit(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            _ = try await reports(req).submit(try await req.scope(deps), institutionCode: key.institution.code)
            return lang.t("报量已提交，等待市级审核", "Report submitted; it now goes to the city for review")
        }
    }

    struct ReviewForm: Content {
        var action: String
        var reason: String?
    }

    func review(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let form = try req.content.decode(ReviewForm.self)
        _ = try req.context(deps)
        guard let action = ReportAction(rawValue: form.action), action.isReview else { throw Abort(.badRequest) }
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            _ = try await reports(req).review(try await req.scope(deps), institutionCode: key.institution.code, action: action, reason: form.reason)
            return lang.t("已\(action.label.zh)", "Done: \(action.label.en)")
        }
    }

    struct CorrectForm: Content {
        var spec: String
        var product: String?
        var quantity: String
        var reason: String
    }

    func correct(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let form = try req.content.decode(CorrectForm.self)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: key.page().path) {
            let quantity: Int64
            switch QuantityText.parse(form.quantity) {
            case .success(let value)?: quantity = value
            case .failure(let problem)?: throw Refusal.quantity(problem, what: form.spec, text: form.quantity)
            case nil: throw Refusal(.badQuantity)
            }
            let product = form.product.flatMap { $0.isEmpty ? nil : $0 }
            _ = try await reports(req).correct(
                try await req.scope(deps), institutionCode: key.institution.code,
                line: DemandLine(specCode: form.spec, productCode: product, quantity: quantity), reason: form.reason)
            return lang.t("已更正", "Corrected")
        }
    }

    // MARK: the offline form

    func download(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let data = try await reports(req).formWorkbook(try await req.scope(deps), institutionCode: key.institution.code)
        return Response.download(data, name: "\(key.batch.code)-\(key.institution.code)-需求量.xlsx", type: Response.xlsxType)
    }

    struct UploadForm: Content {
        var file: File
        var clear: String?
    }

    func upload(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let ctx = try req.context(deps)
        let lang = req.lang
        _ = try await reports(req).institution(key.institution.code, for: ctx.principal, allow: Authorizer.canFill)
        return try await Flashes.act(req, back: key.page().path) {
            guard let form = try? req.content.decode(UploadForm.self), form.file.data.readableBytes > 0 else {
                throw Refusal(.fileMissing, zh: "请选择填好的XLSX或CSV文件", en: "choose the filled XLSX or CSV file")
            }
            let upload = try TemporaryUpload(form.file, allowed: ["xlsx", "csv"])
            defer { upload.remove() }
            let (_, rows) = try await reports(req).saveOffline(
                try await req.scope(deps), institutionCode: key.institution.code, path: upload.url.path, clear: form.clear == "1")
            return rows == 0
                ? lang.t("草稿已清空", "The draft was cleared")
                : lang.t("已导入\(rows)行并保存为草稿", "\(rows) rows imported and saved as the draft")
        }
    }

    // MARK: files and the report's history

    func file(_ req: Request) async throws -> Response {
        let key = try FileKey(req)
        let (meta, data) = try await reports(req).file(id: key.id, ctx: try req.context(deps))
        return Response.download(data, name: meta.name, type: meta.contentType)
    }

    func audit(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let lang = req.lang
        let entries = try await reports(req).auditTrail(try await req.scope(deps), institutionCode: key.institution.code)
        let model = AuditTrailView.Model(institutionCode: key.institution.code, back: key.page(), entries: entries)
        return Layout.page(
            req, title: lang.t("报量修改记录", "Report history"),
            crumbs: [
                Crumb(title: key.batch.code, url: .batch(key.batch, .home)), Crumb(title: key.institution.code, url: key.page()),
                Crumb(title: lang.t("修改记录", "History"), url: nil),
            ]
        ) {
            AuditTrailView(model: model, lang: lang).body
        }
    }
}

/// A report's change history.
struct AuditTrailView {
    struct Model: Sendable {
        var institutionCode: String
        var back: SiteURL
        var entries: [AuditEntry]
    }

    let model: Model
    let lang: Lang

    var body: Node {
        .fragment([
            el("h1") { lang.t("报量修改记录", "Report history") + " · \(model.institutionCode)" },
            el("p") { el("a", .href(model.back.path)) { lang.t("返回报量", "Back to the report") } },
            Layout.table(
                id: "audit",
                headers: [
                    lang.t("时间", "When"), lang.t("操作人", "Who"), lang.t("操作", "Action"), lang.t("摘要", "Summary"),
                    lang.t("修改前→后", "Before → after"), "IP",
                ],
                filter: lang,
                rows: model.entries.map { entry in
                    [
                        .text(ReportingWindow.shanghaiText(entry.at)), AuditLabels.cell(entry.actor, AuditLabels.actors, lang),
                        AuditLabels.cell(entry.action, AuditLabels.actions, lang), .text(entry.summary),
                        el("pre", .class("muted")) { entry.detail ?? "" }, .text(entry.ip ?? ""),
                    ]
                }),
        ])
    }
}
