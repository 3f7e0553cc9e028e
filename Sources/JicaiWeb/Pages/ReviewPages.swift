import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// The start page, the reviewers' lists, the province's progress by city, lock, the summary (XLSX and print) and
/// the sealed scan.
struct HomePage: Sendable {
    let deps: WebDependencies

    func render(_ req: Request) async throws -> Response {
        let lang = req.lang
        guard let u = req.currentUser else { throw Abort(.unauthorized) }
        let p = u.principal
        let batches = try await BatchStore(DB(req.db)).batches().filter { b in
            if let prefix = p.regionPrefix { return b.provinceCode.hasPrefix(String(prefix.prefix(2))) }
            return true
        }
        let now = deps.now()
        return Flashes.clear(req, Layout.page(req, title: lang.t("首页", "Start"), flash: Flashes.take(req)) {
            el("h1") { lang.t("报量批次", "Reporting batches") }
            if p.role == .manufacturer || p.role == .distributor {
                el("p", .class("card")) { lang.t("企业账号可在中选结果公布后查看协议与配送信息；报量阶段无需操作。", "Company accounts see agreements and deliveries once results are published; nothing to do while institutions report.") }
            }
            Layout.table(id: "batches", headers: [lang.t("批次", "Batch"), lang.t("名称", "Name"), lang.t("阶段", "Phase"), lang.t("填报时间", "Filling window"), lang.t("审核截止", "Review deadline"), ""],
                         rows: batches.map { b in
                let w = b.policy.window
                let link: Node
                if p.role.isInstitution, let org = p.organisationCode {
                    link = el("a", .href("/batches/\(b.code)/report/\(org)"), .class("button"), .id("open-\(b.code)")) { lang.t("填报", "Fill in") }
                } else if p.role.isProvince || p.role == .cityReviewer {
                    link = .fragment([
                        el("a", .href("/batches/\(b.code)/review"), .class("button"), .id("review-\(b.code)")) { lang.t("审核", "Review") },
                        p.role.isProvince ? el("a", .href("/batches/\(b.code)/progress"), .id("progress-\(b.code)")) { " " + lang.t("进度与汇总", "Progress and summary") } : .fragment([]),
                    ])
                } else {
                    link = .fragment([])
                }
                return [.text(b.code), .text(b.name), .text(lang.t(w.phase(at: now).label)),
                        .text("\(ReportingWindow.shanghaiText(w.fillingOpens)) – \(ReportingWindow.shanghaiText(w.fillingCloses))"),
                        Layout.countdown(lang, to: w.reviewDeadline, label: ""), link]
            })
            if p.role == .provinceAdmin {
                el("p") { el("a", .href("/admin/batches"), .class("button"), .id("admin-batches")) { lang.t("批次管理与数据导入", "Batches and imports") } }
            }
        })
    }
}

struct ReviewPages: Sendable {
    let deps: WebDependencies

    func register(_ r: any RoutesBuilder) {
        let b = r.grouped("batches", ":batch")
        b.get("review") { req in try await reviewList(req) }
        b.get("review.xlsx") { req in try await reviewXLSX(req) }
        b.get("progress") { req in try await progress(req) }
        b.post("lock") { req in try await lock(req, true) }
        b.post("unlock") { req in try await lock(req, false) }
        b.get("summary.xlsx") { req in try await summaryXLSX(req) }
        b.get("summary", "print") { req in try await summaryPrint(req) }
        b.post("sealed") { req in try await sealed(req) }
    }

    func prefix(_ req: Request) throws -> String {
        guard let u = req.currentUser, let prefix = Authorizer.listingPrefix(u.principal, requested: req.query["region"]) else {
            throw ServiceError.forbidden
        }
        return prefix
    }

    func reviewList(_ req: Request) async throws -> Response {
        let lang = req.lang
        let code = try req.parameters.require("batch")
        let params = ListParams(req)
        let list = try await ReportService(db: DB(req.db)).reviewList(
            batchCode: code, region: params["region"], status: params["status"], findingCode: params["finding"], text: params["q"],
            sort: params.sort(default: ReviewColumn.region), page: params.page(), notReportedPage: params.page("mpage"), ctx: try req.context(deps))
        return Flashes.clear(req, Layout.page(req, title: lang.t("报量审核", "Review"), flash: Flashes.take(req)) {
            el("h1") { "\(list.context.batch.name) · \(lang.t("审核", "review")) · \(list.regionPrefix)" }
            ReviewListView.statusCounts(lang, list, params)
            ReviewListView.filters(lang, list, params)
            el("h2") { lang.t("机构报量情况", "Institutions") + " (\(list.institutions.total))" }
            el("p", .class("no-print")) {
                el("a", .href("/batches/\(code)/review.xlsx?region=\(list.regionPrefix)"), .id("review-xlsx")) { lang.t("导出本辖区机构清单（XLSX）", "Export this list (XLSX)") }
            }
            ReviewListView.institutions(lang, list, params)
            el("h2", .id("not-reported")) { lang.t("有历史采购量但未提交的机构", "With history but not submitted") + " (\(list.notReported.total))" }
            ReviewListView.notReported(lang, list, params)
        })
    }

    /// The reviewer's list as a spreadsheet: every reporting organisation of the region with its status and findings.
    func reviewXLSX(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("batch")
        let prefix = try prefix(req)
        _ = try await ReportService(db: DB(req.db)).context(code)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-review-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try await ExportService(db: DB(req.db)).summary(batchCode: code, byCity: false, to: url, format: .xlsx, language: req.lang.en ? .en : .zh, regionPrefix: prefix)
        return Response.download(try Data(contentsOf: url), name: "\(code)-\(prefix)-报量审核.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    func progress(_ req: Request) async throws -> Response {
        let lang = req.lang
        let code = try req.parameters.require("batch")
        guard let u = req.currentUser, Authorizer.canSeeProvince(u.principal) else { throw ServiceError.forbidden }
        let prefix = try prefix(req)
        let db = DB(req.db)
        let c = try await ReportService(db: db).context(code)
        let rows = try await DemandStore(db).progress(batchID: c.batch.id, regionPrefix: prefix)
        let names = Dictionary(uniqueKeysWithValues: try await AccountStore(db).regions().map { ($0.code.value, $0.name) })
        var byCity: [String: [String: Int64]] = [:]
        for r in rows { byCity[r.city, default: [:]][r.status ?? "none", default: 0] += r.count }
        let statuses = ["none", "draft", "submitted", "returned", "cityApproved", "provinceApproved"]
        let sealedID = c.sealedFileID
        return Flashes.clear(req, Layout.page(req, title: lang.t("进度与汇总", "Progress and summary"), flash: Flashes.take(req)) {
            el("h1") { "\(c.batch.name) · \(lang.t("各市进度", "progress by city"))" }
            Layout.table(id: "progress", headers: [lang.t("地市", "City")] + statuses.map { s in s == "none" ? lang.t("未填报", "not started") : lang.t(ReportStatus(rawValue: s)!.label) } + [lang.t("完成率", "Done")],
                         rows: byCity.keys.sorted().map { city in
                let counts = byCity[city]!
                let total = counts.values.reduce(0, +)
                let done = counts.filter { ReportStatus(rawValue: $0.key)?.isSubmitted ?? false }.values.reduce(0, +)
                return [el("a", .href("/batches/\(code)/review?region=\(city)")) { "\(names[city + "00"] ?? city) \(city)" }]
                    + statuses.map { Node.text(String(counts[$0] ?? 0)) } + [.text(total == 0 ? "-" : "\(done * 100 / total)%")]
            })
            el("div", .class("card no-print")) {
                el("h2") { lang.t("汇总、锁定与盖章上传", "Summary, lock and sealed upload") }
                el("p") {
                    el("a", .href("/batches/\(code)/summary.xlsx"), .class("button"), .id("summary-xlsx")) { lang.t("导出汇总表（XLSX）", "Export the summary (XLSX)") }
                    " "
                    el("a", .href("/batches/\(code)/summary/print"), .class("button"), .id("summary-print")) { lang.t("打印签章页", "Print page for signature and seal") }
                }
                if u.principal.role == .provinceAdmin {
                    if c.lockedAt == nil {
                        Layout.postForm(req, "/batches/\(code)/lock", id: "lock-form") { el("button", .type("submit"), .class("danger"), .id("lock")) { lang.t("锁定批次", "Lock the batch") } }
                    } else {
                        el("p", .id("locked")) { lang.t("已于\(ReportingWindow.shanghaiText(c.lockedAt!))锁定", "Locked at \(ReportingWindow.shanghaiText(c.lockedAt!))") }
                        Layout.postForm(req, "/batches/\(code)/unlock") { el("button", .type("submit"), .class("secondary")) { lang.t("解除锁定", "Unlock") } }
                        Layout.postForm(req, "/batches/\(code)/sealed", id: "sealed-form", multipart: true) {
                            el("label") { lang.t("上传盖章汇总表扫描件（PDF或图片）", "Upload the sealed summary scan (PDF or image)") }
                            el("input", .type("file"), .name("file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                            el("button", .type("submit"), .id("upload-sealed")) { lang.t("上传", "Upload") }
                        }
                    }
                }
                if let id = sealedID { el("p", .id("sealed")) { el("a", .href("/files/\(id)")) { lang.t("已上传的盖章汇总表", "The uploaded sealed summary") } } }
            }
        })
    }

    func lock(_ req: Request, _ locked: Bool) async throws -> Response {
        let code = try req.parameters.require("batch")
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: "/batches/\(code)/progress") {
            try await ReportService(db: DB(req.db)).setLocked(batchCode: code, locked: locked, ctx: ctx)
            return locked ? lang.t("批次已锁定", "Batch locked") : lang.t("已解除锁定", "Batch unlocked")
        }
    }

    struct SealedForm: Content { var file: File }

    func sealed(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("batch")
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: "/batches/\(code)/progress") {
            guard let f = try? req.content.decode(SealedForm.self) else { throw ServiceError(.fileMissing, zh: "请选择文件", en: "choose a file") }
            try await ReportService(db: DB(req.db)).uploadSealed(batchCode: code, fileName: f.file.filename, data: Data(buffer: f.file.data), ctx: ctx)
            return lang.t("盖章汇总表已上传", "Sealed summary uploaded")
        }
    }

    func summary(_ req: Request, institutions: Bool = true) async throws -> ProvinceSummary {
        try await ExportService(db: DB(req.db)).provinceSummary(batchCode: try req.parameters.require("batch"), regionPrefix: try prefix(req),
                                                                institutions: institutions, ctx: try req.context(deps))
    }

    func summaryXLSX(_ req: Request) async throws -> Response {
        let code = try req.parameters.require("batch")
        let data = try await ExportService(db: DB(req.db)).provinceSummaryXLSX(batchCode: code, regionPrefix: try prefix(req), ctx: try req.context(deps))
        return Response.download(data, name: "\(code)-报量汇总.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    func summaryPrint(_ req: Request) async throws -> Response {
        let s = try await summary(req, institutions: false)
        let lang = req.lang
        let cat = s.context.catalogue
        let submitted = s.cities.reduce(0) { $0 + $1.submitted }
        let total = s.cities.reduce(0) { $0 + $1.institutions }
        return Layout.page(req, title: lang.t("报量汇总表", "Demand summary")) {
            el("h1") { "\(s.context.batch.name) \(lang.t("报量汇总表", "demand summary"))" }
            el("p") { lang.t("共\(total)家机构，已提交\(submitted)家。生成时间：\(ReportingWindow.shanghaiText(deps.now()))", "\(total) institutions, \(submitted) submitted. Generated \(ReportingWindow.shanghaiText(deps.now()))") }
            Layout.table(id: "print-cities", headers: [lang.t("地市", "City"), lang.t("机构数", "Institutions"), lang.t("已提交", "Submitted"), lang.t("有历史未提交", "With history, not submitted"), lang.t("历史采购金额（元）", "History amount (yuan)")],
                         rows: s.cities.map { [.text("\($0.cityName) \($0.cityCode)"), .text(String($0.institutions)), .text(String($0.submitted)), .text(String($0.notReportedWithHistory)), .text(Fen($0.historyAmountFen).yuanText)] })
            Layout.table(id: "print-specs", headers: [lang.t("规格", "Spec"), lang.t("通用名", "Generic name"), lang.t("规格", "Strength"), lang.t("报量合计", "Total reported"), lang.t("最小单位", "Unit")],
                         rows: s.specs.map { t in
                let spec = cat.specByCode[t.spec]
                return [.text(t.spec), .text(spec.flatMap { cat.varietyByCode[$0.varietyCode]?.genericName } ?? ""), .text(spec?.strength ?? ""), .text(String(t.quantity)), .text(spec?.minimalUnit ?? "")]
            })
            el("div", .class("card"), .id("signature-block")) {
                el("p") { lang.t("经办人（签字）：__________　　审核人（签字）：__________　　负责人（签字）：__________", "Prepared by: __________   Reviewed by: __________   Head: __________") }
                el("p") { lang.t("（单位盖章）　　　　　　　　　　日期：____年__月__日", "(Seal)                                Date: ____-__-__") }
            }
            el("p", .class("no-print")) { el("button", .type("button"), .id("print"), .data("print", "1")) { lang.t("打印", "Print") } }
        }
    }
}
