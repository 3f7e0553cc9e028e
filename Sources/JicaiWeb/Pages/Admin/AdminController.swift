import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Province administration: batches (timeline and catalogue), organisation imports and the progress of background
/// imports. Every handler requires the province administrator; the services check it again.
struct AdminPages: RouteCollection {
    let deps: WebDependencies
    let jobs: ImportJobs

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.admin(.batches)) { req in try await batches(req) }
        routes.post(.admin(.batches)) { req in try await createBatch(req) }
        routes.post(.admin(.batchWindow(.any))) { req in try await window(req) }
        routes.post(.admin(.institutions)) { req in try await importOrganisations(req) }
        routes.get(.admin(.job(.any))) { req in try await job(req) }
        routes.get(.admin(.jobCredentials(.any))) { req in try await credentials(req) }
    }

    func batches(_ req: Request) async throws -> Response {
        let principal = try Admin.require(req)
        let batches = try await deps.services(req).platform.batches(visibleTo: principal)
        let model = BatchesView.Model(batches: batches, now: deps.now(), csrf: req.currentUser?.csrf ?? "")
        let title = req.lang.t("批次管理", "Batches")
        let page = Layout.page(req, title: title, crumbs: [Crumb(title: title, url: nil)], flash: Flashes.take(req)) {
            BatchesView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    struct BatchForm: Content {
        var code: String
        var name: String
        var file: File
        var accountTestUntil: String
        var fillingOpens: String
        var fillingCloses: String
        var reviewDeadline: String

        var window: WindowForm {
            WindowForm(accountTestUntil: accountTestUntil, fillingOpens: fillingOpens, fillingCloses: fillingCloses, reviewDeadline: reviewDeadline)
        }
    }

    struct WindowForm: Content {
        var accountTestUntil: String
        var fillingOpens: String
        var fillingCloses: String
        var reviewDeadline: String

        /// The timeline in Beijing time, refused when a time is malformed or the order is wrong.
        func parse() throws -> ReportingWindow {
            guard let test = ReportingWindow.shanghai(text: accountTestUntil), let opens = ReportingWindow.shanghai(text: fillingOpens),
                let closes = ReportingWindow.shanghai(text: fillingCloses), let deadline = ReportingWindow.shanghai(text: reviewDeadline)
            else {
                throw Refusal(.badDate)
            }
            let window = ReportingWindow(accountTestUntil: test, fillingOpens: opens, fillingCloses: closes, reviewDeadline: deadline)
            if let problem = BatchPolicy(window: window).validate().first { throw Refusal(.badWindow, zh: problem.zh, en: problem.en) }
            return window
        }
    }

    func createBatch(_ req: Request) async throws -> Response {
        let principal = try Admin.require(req)
        let lang = req.lang
        let ctx = try req.context(deps)
        let services = deps.services(req)
        return try await Flashes.act(req, back: SiteURL.admin(.batches).path) {
            guard let form = try? req.content.decode(BatchForm.self) else {
                throw Refusal(.formIncomplete, zh: "请填写全部字段并选择清单文件", en: "fill in every field and choose the catalogue")
            }
            let code = form.code.trimmingCharacters(in: .whitespaces)
            guard BatchPolicy.isValidCode(code) else { throw Refusal(.badBatchCode) }
            if try await services.platform.batchExists(code) { throw Refusal(.batchExists, zh: "批次“\(code)”已存在", en: "batch \"\(code)\" exists") }
            let window = try form.window.parse()
            let upload = try TemporaryUpload(form.file, allowed: ["xlsx", "csv"])
            defer { upload.remove() }
            let summary = try await services.imports.importCatalogue(
                path: upload.url.path, batchCode: code, batchName: form.name,
                provinceCode: Admin.provinceCode(principal), policy: BatchPolicy(window: window), ctx: ctx)
            return lang.t("批次\(code)已开启。", "Batch \(code) opened. ") + lang.t(summary.text)
        }
    }

    func window(_ req: Request) async throws -> Response {
        _ = try Admin.require(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.admin(.batches).path) {
            let window = try req.content.decode(WindowForm.self).parse()
            try await deps.services(req).reports.setWindow(try await req.scope(deps), window: window)
            return lang.t("时间已保存", "Timeline saved")
        }
    }

    /// Organisations are imported in the background with a progress page.
    func importOrganisations(_ req: Request) async throws -> Response {
        _ = try Admin.require(req)
        let lang = req.lang
        let back = SiteURL.admin(.batches)
        let upload: TemporaryUpload
        do { upload = try TemporaryUpload.spreadsheet(req) } catch let refusal as Refusal {
            return Flashes.redirect(req, to: back.path, .error(lang.t(refusal.message)))
        }
        let ctx = try req.context(deps)
        let imports = deps.services(req).imports
        let id = jobs.start(.init(owner: ctx.principal.username, title: lang.t("导入机构", "Organisation import"), back: back))
        jobs.run(id, kind: "institutions", english: lang.en) { _ in
            defer { upload.remove() }
            let summary = try await imports.importOrganisations(path: upload.url.path, ctx: ctx)
            return (lang.t(summary.text), [])
        }
        return req.redirect(to: .admin(.job(JobKey(text: id))))
    }

    func job(_ req: Request) async throws -> Response {
        let principal = try Admin.require(req)
        let key = try JobKey(req)
        guard let job = jobs.get(key.text), job.owner == principal.username else { throw Abort(.notFound) }
        return Layout.page(req, title: job.title) { JobView(model: JobView.Model(id: key, job: job), lang: req.lang).body }
    }

    /// The generated initial passwords of a finished job, as CSV, once.
    func credentials(_ req: Request) async throws -> Response {
        let principal = try Admin.require(req)
        let key = try JobKey(req)
        guard let job = jobs.get(key.text), job.owner == principal.username, job.done, !job.issuedTaken else { throw Abort(.notFound) }
        jobs.update(key.text) {
            $0.issuedTaken = true
            $0.issued = []
        }
        let data = try await deps.services(req).accounts.credentialsCSV(job.issued, jobID: key.text, ctx: try req.context(deps))
        return Response.download(data, name: "初始密码.csv", type: "text/csv; charset=utf-8")
    }
}

/// The province administrator's pages share the check and the province's code.
enum Admin {
    static func require(_ req: Request) throws -> Principal {
        guard let principal = req.currentUser?.principal, Authorizer.canManageAccounts(principal) else { throw Refusal.forbidden }
        return principal
    }

    static func provinceCode(_ principal: Principal) -> String { String((principal.regionPrefix ?? "").prefix(2)) + "0000" }
}

/// History files of a whole province are hundreds of megabytes: the upload is streamed to disk and imported in the
/// background like the others. Registered on the stack without the CSRF middleware (it would collect the body):
/// `StreamedUpload` checks the form's token before anything is written.
struct HistoryUploadController: RouteCollection {
    let deps: WebDependencies
    let jobs: ImportJobs

    func boot(routes: any RoutesBuilder) throws {
        routes.on(.POST, SiteURL.admin(.batchHistory(.any)).pattern, body: .stream) { req in try await upload(req) }
    }

    func upload(_ req: Request) async throws -> Response {
        _ = try Admin.require(req)
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        _ = try BatchKey(req)
        let upload = try await StreamedUpload.read(req, expectedCSRF: user.csrf)
        let lang = req.lang
        let back = SiteURL.admin(.batches)
        let ext = (upload.fileName as NSString).pathExtension.lowercased()
        guard upload.bytes > 0, ext == "csv" || ext == "xlsx" else {
            try? FileManager.default.removeItem(at: upload.directory)
            return Flashes.redirect(req, to: back.path, .error(lang.t("请选择XLSX或CSV文件", "choose an XLSX or CSV file")))
        }
        let scope: BatchScope
        do {
            scope = try await req.scope(deps)
        } catch {
            try? FileManager.default.removeItem(at: upload.directory)
            throw error
        }
        let imports = deps.services(req).imports
        let id = jobs.start(.init(owner: scope.principal.username, title: lang.t("导入历史采购量", "History import"), back: back))
        jobs.run(id, kind: "history", english: lang.en) { sink in
            defer { try? FileManager.default.removeItem(at: upload.directory) }
            let summary = try await imports.importHistory(scope, path: upload.url.path, progress: sink)
            return (lang.t(summary.text), [])
        }
        return req.redirect(to: .admin(.job(JobKey(text: id))))
    }
}
