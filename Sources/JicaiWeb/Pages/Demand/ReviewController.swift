import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The reviewers' list, the province's progress by city, lock, the summary (XLSX and print) and the sealed scan.
struct ReviewPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.batch(.any, .review)) { req in try await reviewList(req) }
        routes.get(.batch(.any, .reviewXLSX)) { req in try await reviewXLSX(req) }
        routes.get(.batch(.any, .progress)) { req in try await progress(req) }
        routes.post(.batch(.any, .lock)) { req in try await lock(req, true) }
        routes.post(.batch(.any, .unlock)) { req in try await lock(req, false) }
        routes.get(.batch(.any, .summaryXLSX)) { req in try await summaryXLSX(req) }
        routes.get(.batch(.any, .summaryPrint)) { req in try await summaryPrint(req) }
        routes.post(.batch(.any, .sealed)) { req in try await sealed(req) }
    }

    func crumbs(_ batch: BatchKey, _ name: String, _ title: String) -> [Crumb] {
        [Crumb(title: name, url: .batch(batch, .home)), Crumb(title: title, url: nil)]
    }

    func reviewList(_ req: Request) async throws -> Response {
        let lang = req.lang
        let batch = try BatchKey(req)
        let params = ListParams(req)
        let list = try await deps.services(req).reports.reviewList(
            try await req.scope(deps), region: params["region"], status: params["status"], findingCode: params["finding"], text: params["search"],
            sort: params.sort(default: ReviewColumn.region), page: params.page(), notReportedPage: params.page("mpage"))
        let title = lang.t("报量审核", "Review")
        let page = Layout.page(req, title: title, crumbs: crumbs(batch, list.context.batch.name, title), flash: Flashes.take(req)) {
            ReviewListView.page(lang, list, params)
        }
        return Flashes.clear(req, page)
    }

    /// The reviewer's list as a spreadsheet: every reporting organisation of the region with its status and findings.
    func reviewXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let (data, prefix) = try await deps.services(req).exports.reviewListXLSX(
            try await req.scope(deps), region: req.query["region"], language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-\(prefix)-报量审核.xlsx", type: Response.xlsxType)
    }

    func progress(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let ctx = try req.context(deps)
        let progress = try await deps.services(req).reports.progressByCity(try await req.scope(deps), region: req.query["region"])
        let model = ProgressView.Model(progress: progress, administers: ctx.principal.role == .provinceAdmin, csrf: req.currentUser?.csrf ?? "")
        let title = req.lang.t("进度与汇总", "Progress and summary")
        let page = Layout.page(req, title: title, crumbs: crumbs(batch, progress.context.batch.name, title), flash: Flashes.take(req)) {
            ProgressView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    func lock(_ req: Request, _ locked: Bool) async throws -> Response {
        let batch = try BatchKey(req)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .progress).path) {
            try await deps.services(req).reports.setLocked(try await req.scope(deps), locked: locked)
            return locked ? lang.t("批次已锁定", "Batch locked") : lang.t("已解除锁定", "Batch unlocked")
        }
    }

    struct SealedForm: Content { var file: File }

    func sealed(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        _ = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .progress).path) {
            guard let form = try? req.content.decode(SealedForm.self) else { throw Refusal(.fileMissing) }
            try await deps.services(req).reports.uploadSealed(
                try await req.scope(deps), fileName: form.file.filename, data: Data(buffer: form.file.data))
            return lang.t("盖章汇总表已上传", "Sealed summary uploaded")
        }
    }

    func summaryXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let ctx = try req.context(deps)
        let prefix = try ReportService.listingPrefix(ctx, requested: req.query["region"])
        let data = try await deps.services(req).exports.provinceSummaryXLSX(try await req.scope(deps), regionPrefix: prefix)
        return Response.download(data, name: "\(batch.code)-报量汇总.xlsx", type: Response.xlsxType)
    }

    func summaryPrint(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let ctx = try req.context(deps)
        let prefix = try ReportService.listingPrefix(ctx, requested: req.query["region"])
        let summary = try await deps.services(req).exports.provinceSummary(try await req.scope(deps), regionPrefix: prefix, institutions: false)
        let title = req.lang.t("报量汇总表", "Demand summary")
        return Layout.page(req, title: title, crumbs: crumbs(batch, summary.context.batch.name, title)) {
            SummaryPrintView(model: SummaryPrintView.Model(summary: summary, generatedAt: deps.now()), lang: req.lang).body
        }
    }
}
