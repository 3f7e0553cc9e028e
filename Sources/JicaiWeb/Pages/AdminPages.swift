import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import MultipartKit
import NIOConcurrencyHelpers
import Vapor

/// Long imports run in the background; the page polls their progress.
final class ImportJobs: Sendable {
    struct Job: Sendable {
        var owner: String
        var title: String
        var rows = 0
        var bytesRead: Int64 = 0
        var totalBytes: Int64 = 1
        var done = false
        var message: String?
        var failed = false
        var back: String
        /// Generated initial passwords, downloadable once by the job's owner.
        var issued: [IssuedCredential] = []
        var issuedTaken = false
    }
    private let jobs = NIOLockedValueBox<[String: Job]>([:])
    /// The jobs still running, so that shutting down can wait for them (`drain`).
    private let running = NIOLockedValueBox<[String: Task<Void, Never>]>([:])

    func start(_ job: Job) -> String {
        let id = Secrets.random(12)
        jobs.withLockedValue { $0[id] = job }
        return id
    }
    func update(_ id: String, _ body: @Sendable (inout Job) -> Void) { jobs.withLockedValue { if var j = $0[id] { body(&j); $0[id] = j } } }

    /// Runs `work` in the background for job `id`; what it returns, or why it failed (row-level reasons of an import,
    /// a refusal, anything else), ends the job.
    func run(_ id: String, kind: String, english: Bool, _ work: @escaping @Sendable (Sink) async throws -> (message: String, issued: [IssuedCredential])) {
        ServiceMetrics.jobStarted(kind)
        let task = Task {
            let failed: Bool
            defer { ServiceMetrics.jobEnded(kind, ok: !failed) }
            do {
                let (message, issued) = try await work(Sink(jobs: self, id: id))
                update(id) { $0.done = true; $0.message = message; $0.issued = issued }
                failed = false
                return
            } catch let e as ImportFailure {
                update(id) { $0.done = true; $0.failed = true; $0.message = e.issues.prefix(50).map { $0.text(english ? .en : .zh) }.joined(separator: "\n") }
            } catch let e as ServiceError {
                update(id) { $0.done = true; $0.failed = true; $0.message = english ? e.message.en : e.message.zh }
            } catch {
                update(id) { $0.done = true; $0.failed = true; $0.message = "\(error)" }
            }
            failed = true
        }
        running.withLockedValue { $0[id] = task }
        Task {
            await task.value
            running.withLockedValue { $0[id] = nil }
        }
    }

    /// Waits until every running job has ended, or `seconds` have passed; returns how many were still running then.
    func drain(seconds: Double) async -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let tasks = running.withLockedValue { Array($0.values) }
            if tasks.isEmpty { return 0 }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return running.withLockedValue { $0.count }
    }
    func get(_ id: String) -> Job? { jobs.withLockedValue { $0[id] } }

    struct Sink: ProgressSink {
        let jobs: ImportJobs
        let id: String
        func update(rows: Int, bytesRead: Int64, totalBytes: Int64) {
            jobs.update(id) { $0.rows = rows; $0.bytesRead = bytesRead; $0.totalBytes = max(1, totalBytes) }
        }
    }
}

/// Province administration: batches (window and catalogue), organisations and history imports, accounts, audit log.
struct AdminPages: Sendable {
    let deps: WebDependencies
    let jobs: ImportJobs

    /// `streamed` has no CSRF middleware (it would collect the body): the history upload streams to disk and checks
    /// the form's token itself before anything is imported.
    func register(_ r: any RoutesBuilder, streamed: any RoutesBuilder) {
        streamed.on(.POST, "admin", "batches", ":batch", "history", body: .stream) { req in try await streamHistory(req) }
        let admin = r.grouped("admin")
        admin.get("batches") { req in try await batches(req) }
        admin.post("batches") { req in try await createBatch(req) }
        admin.post("batches", ":batch", "window") { req in try await window(req) }
        admin.post("institutions") { req in try await importFile(req, kind: "institutions") }
        admin.get("jobs", ":id") { req in try await job(req) }
        admin.get("jobs", ":id", "credentials.csv") { req in try await credentials(req) }
        admin.get("accounts") { req in try await accounts(req, issued: [], flash: []) }
        admin.post("accounts", "import") { req in try await importAccounts(req) }
        admin.post("accounts", "create-missing") { req in try await createMissing(req) }
        admin.post("accounts", ":user", "reset") { req in try await reset(req) }
        admin.post("accounts", ":user", "enable") { req in try await setActive(req, true) }
        admin.post("accounts", ":user", "disable") { req in try await setActive(req, false) }
        r.get("audit") { req in try await audit(req) }
    }

    func requireAdmin(_ req: Request) throws -> Principal {
        guard let p = req.currentUser?.principal, Authorizer.canManageAccounts(p) else { throw ServiceError.forbidden }
        return p
    }

    var provinceCode: (Principal) -> String { { String($0.regionPrefix!.prefix(2)) + "0000" } }

    static func inputText(_ d: Date) -> String { ReportingWindow.shanghaiText(d).replacingOccurrences(of: " ", with: "T") }

    func windowFields(_ lang: Lang, _ w: ReportingWindow) -> [Node] {
        [("accountTestUntil", lang.t("账号测试截止", "Account test until"), w.accountTestUntil), ("fillingOpens", lang.t("填报开始", "Filling opens"), w.fillingOpens),
         ("fillingCloses", lang.t("填报截止", "Filling closes"), w.fillingCloses), ("reviewDeadline", lang.t("审核截止", "Review deadline"), w.reviewDeadline)].map { key, label, date in
            el("label") { label + " "; el("input", .type("datetime-local"), .name(key), .id(key), .value(AdminPages.inputText(date)), .required) }
        }
    }

    func batches(_ req: Request) async throws -> Response {
        let p = try requireAdmin(req)
        let lang = req.lang
        let list = try await BatchStore(DB(req.db)).batches().filter { $0.provinceCode.hasPrefix(String(p.regionPrefix!.prefix(2))) }
        let now = deps.now()
        let def = ReportingWindow(accountTestUntil: now, fillingOpens: now, fillingCloses: now.addingTimeInterval(10 * 86400), reviewDeadline: now.addingTimeInterval(12 * 86400))
        return Flashes.clear(req, Layout.page(req, title: lang.t("批次管理", "Batches"), flash: Flashes.take(req)) {
            el("h1") { lang.t("批次管理与数据导入", "Batches and imports") }
            el("div", .class("card")) {
                el("h2") { lang.t("机构名单", "Organisations") }
                Layout.postForm(req, "/admin/institutions", id: "institutions-form", multipart: true) {
                    el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                    " "
                    el("button", .type("submit"), .id("import-institutions")) { lang.t("导入机构", "Import organisations") }
                }
            }
            for b in list {
                el("div", .class("card"), .id("batch-\(b.code)")) {
                    el("h2") { "\(b.code) \(b.name) · \(lang.t(b.policy.window.phase(at: now).label))" }
                    Layout.postForm(req, "/admin/batches/\(b.code)/window", id: "window-\(b.code)") {
                        windowFields(lang, b.policy.window)
                        " "
                        el("button", .type("submit"), .class("secondary")) { lang.t("保存时间", "Save the timeline") }
                    }
                    Layout.postForm(req, "/admin/batches/\(b.code)/history", id: "history-\(b.code)", multipart: true) {
                        el("label") { lang.t("历史采购量（替换本批次全部历史）", "Purchase history (replaces the batch's history)") }
                        el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                        " "
                        el("button", .type("submit"), .id("import-history-\(b.code)")) { lang.t("导入历史采购量", "Import history") }
                    }
                }
            }
            el("div", .class("card")) {
                el("h2") { lang.t("开启新批次", "Open a new batch") }
                Layout.postForm(req, "/admin/batches", id: "new-batch", multipart: true) {
                    el("label") { lang.t("批次编码", "Batch code") + " "; el("input", .type("text"), .name("code"), .id("batch-code"), Attr("pattern", "[A-Za-z0-9_-]{1,32}"), .required) }
                    el("label") { lang.t("批次名称", "Name") + " "; el("input", .type("text"), .name("name"), .id("batch-name"), .required) }
                    windowFields(lang, def)
                    el("label") { lang.t("报量品种清单", "Catalogue") + " "; el("input", .type("file"), .name("file"), .id("catalogue-file"), Attr("accept", ".xlsx,.csv"), .required) }
                    el("p") { el("button", .type("submit"), .id("create-batch")) { lang.t("开启批次", "Open the batch") } }
                }
                el("p", .class("muted")) { lang.t("模板：jicai template catalogue / history / institutions / accounts", "Templates: jicai template catalogue / history / institutions / accounts") }
            }
        })
    }

    struct BatchForm: Content {
        var code: String; var name: String; var file: File
        var accountTestUntil: String; var fillingOpens: String; var fillingCloses: String; var reviewDeadline: String
    }

    func parseWindow(_ a: String, _ b: String, _ c: String, _ d: String) throws -> ReportingWindow {
        guard let w1 = ReportingWindow.shanghai(text: a), let w2 = ReportingWindow.shanghai(text: b), let w3 = ReportingWindow.shanghai(text: c),
              let w4 = ReportingWindow.shanghai(text: d) else {
            throw ServiceError(.badDate, zh: "时间格式应为 年-月-日 时:分", en: "times must be year-month-day hour:minute")
        }
        let w = ReportingWindow(accountTestUntil: w1, fillingOpens: w2, fillingCloses: w3, reviewDeadline: w4)
        if let problem = BatchPolicy(window: w).validate().first { throw ServiceError(.badWindow, zh: problem.zh, en: problem.en) }
        return w
    }

    func saveUpload(_ file: File) throws -> (URL, URL) {
        let ext = (file.filename as NSString).pathExtension.lowercased()
        guard ext == "xlsx" || ext == "csv" else { throw ServiceError(.badFileType, zh: "只接受XLSX或CSV", en: "only XLSX or CSV") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let name = (file.filename as NSString).lastPathComponent
        let url = dir.appendingPathComponent(name.isEmpty ? "upload.\(ext)" : name)
        try Data(buffer: file.data).write(to: url)
        return (dir, url)
    }

    func createBatch(_ req: Request) async throws -> Response {
        let p = try requireAdmin(req)
        let lang = req.lang
        let ctx = try req.context(deps)
        return try await Flashes.act(req, back: "/admin/batches") {
            guard let f = try? req.content.decode(BatchForm.self) else { throw ServiceError(.formIncomplete, zh: "请填写全部字段并选择清单文件", en: "fill in every field and choose the catalogue") }
            let code = f.code.trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty, code.count <= 32, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ServiceError(.badBatchCode, zh: "批次编码只能由字母、数字、-、_组成", en: "a batch code has letters, digits, - and _")
            }
            if try await BatchStore(DB(req.db)).batch(code: code) != nil { throw ServiceError(.batchExists, zh: "批次“\(code)”已存在", en: "batch \"\(code)\" exists") }
            let w = try parseWindow(f.accountTestUntil, f.fillingOpens, f.fillingCloses, f.reviewDeadline)
            let (dir, url) = try saveUpload(f.file)
            defer { try? FileManager.default.removeItem(at: dir) }
            let s = try await ImportService(db: DB(req.db), now: deps.now).importCatalogue(path: url.path, batchCode: code, batchName: f.name, provinceCode: provinceCode(p),
                                                                                          policy: BatchPolicy(window: w), actor: AuditActor(ctx.principal.username))
            return lang.t("批次\(code)已开启。", "Batch \(code) opened. ") + lang.t(s.text)
        }
    }

    struct WindowForm: Content { var accountTestUntil: String; var fillingOpens: String; var fillingCloses: String; var reviewDeadline: String }

    func window(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let code = try req.parameters.require("batch")
        let ctx = try req.context(deps)
        let lang = req.lang
        return try await Flashes.act(req, back: "/admin/batches") {
            let f = try req.content.decode(WindowForm.self)
            let window = try parseWindow(f.accountTestUntil, f.fillingOpens, f.fillingCloses, f.reviewDeadline)
            try await ReportService(db: DB(req.db)).setWindow(batchCode: code, window: window, ctx: ctx)
            return lang.t("时间已保存", "Timeline saved")
        }
    }

    struct FileForm: Content { var file: File }

    /// What the streaming multipart reader has seen so far. The file's bytes are written a megabyte at a time: the
    /// parser hands them over in pieces as small as a line (it cuts at every CR that might start a boundary), and a
    /// write per piece made a 536 MB upload take 26 s.
    final class UploadState {
        var part: String?
        var fileName: String?
        var csrf = ""
        /// Set when the session's CSRF token matched, which must happen before the file part starts.
        var verified = false
        /// Why the upload is refused (a missing or wrong token before the file, an oversized field or file).
        var refusal: Abort?
        var handle: FileHandle?
        var bytes = 0
        var pending = Data()

        func write(_ buffer: ByteBuffer) {
            bytes += buffer.readableBytes
            pending.append(contentsOf: buffer.readableBytesView)
            if pending.count >= 1 << 20 { flush() }
        }

        func flush() {
            guard !pending.isEmpty else { return }
            handle?.write(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// History files of a whole province are hundreds of megabytes: the upload is read as a stream and written to a
    /// temporary file part by part (never held in memory), then imported in the background like the others.
    func streamHistory(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        guard let type = req.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"],
              req.headers.first(name: .contentLength).map({ $0 != "0" }) ?? req.headers.contains(name: .transferEncoding) else {
            throw Abort(.badRequest)
        }
        // The folder is made only when the file part starts, after the token has matched.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-\(UUID().uuidString)")
        let state = UploadState()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            func field(_ key: String) -> String? {
                guard let r = value.range(of: key + "=\"") else { return nil }
                let rest = value[r.upperBound...]
                return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
            }
            state.part = field("name")
            if state.part == "file" { state.fileName = field("filename") }
        }
        let expected = user.csrf
        parser.onBody = { buffer in
            guard state.refusal == nil else { return }
            switch state.part {
            case "file":
                if !state.verified {
                    // The token field comes before the file in the page's form; nothing is written without it.
                    guard Secrets.equal(state.csrf, expected) else { state.refusal = Abort(.forbidden, reason: "CSRF"); return }
                    state.verified = true
                }
                guard state.bytes + buffer.readableBytes <= InputLimits.maxHistoryUploadBytes else {
                    state.refusal = Abort(.payloadTooLarge)
                    return
                }
                if state.handle == nil {
                    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    let name = (state.fileName ?? "upload.csv") as NSString
                    let url = dir.appendingPathComponent(name.lastPathComponent.isEmpty ? "upload.csv" : name.lastPathComponent)
                    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                    state.handle = FileHandle(forWritingAtPath: url.path)
                }
                state.write(buffer)
            case "_csrf":
                guard state.csrf.utf8.count + buffer.readableBytes <= InputLimits.streamedFieldBytes else {
                    state.refusal = Abort(.forbidden, reason: "CSRF")
                    return
                }
                state.csrf += buffer.readString(length: buffer.readableBytes) ?? ""
            default:
                break
            }
        }
        parser.onPartComplete = {
            if state.part == "file" { state.flush() }
            state.part = nil
        }
        do {
            for try await chunk in req.body {
                try parser.execute(chunk)
                if state.refusal != nil { break }
            }
        } catch {
            try? state.handle?.close()
            try? FileManager.default.removeItem(at: dir)
            throw Abort(.badRequest)
        }
        if let refusal = state.refusal {
            try? state.handle?.close()
            try? FileManager.default.removeItem(at: dir)
            throw refusal
        }
        state.flush()
        try? state.handle?.close()
        guard Secrets.equal(state.csrf, user.csrf) else {
            try? FileManager.default.removeItem(at: dir)
            throw Abort(.forbidden, reason: "CSRF")
        }
        let lang = req.lang
        let ext = ((state.fileName ?? "") as NSString).pathExtension.lowercased()
        guard state.bytes > 0, ext == "csv" || ext == "xlsx" else {
            try? FileManager.default.removeItem(at: dir)
            return Flashes.redirect(req, to: "/admin/batches", .error(lang.t("请选择XLSX或CSV文件", "choose an XLSX or CSV file")))
        }
        let url = dir.appendingPathComponent(((state.fileName ?? "") as NSString).lastPathComponent)
        return try startImport(req, kind: "history", dir: dir, url: url)
    }

    /// Organisations and history: history runs in the background with a progress page.
    func importFile(_ req: Request, kind: String) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.lang
        guard let f = try? req.content.decode(FileForm.self) else { return Flashes.redirect(req, to: "/admin/batches", .error(lang.t("请选择文件", "choose a file"))) }
        let (dir, url): (URL, URL)
        do { (dir, url) = try saveUpload(f.file) } catch let e as ServiceError { return Flashes.redirect(req, to: "/admin/batches", .error(lang.t(e.message))) }
        return try startImport(req, kind: kind, dir: dir, url: url)
    }

    func startImport(_ req: Request, kind: String, dir: URL, url: URL) throws -> Response {
        let ctx = try req.context(deps)
        let lang = req.lang
        let batch = req.parameters.get("batch")
        let id = jobs.start(.init(owner: ctx.principal.username, title: kind == "history" ? lang.t("导入历史采购量", "History import") : lang.t("导入机构", "Organisation import"), back: "/admin/batches"))
        let db = DB(req.db)
        let now = deps.now
        jobs.run(id, kind: kind, english: lang.en) { sink in
            defer { try? FileManager.default.removeItem(at: dir) }
            let service = ImportService(db: db, now: now)
            let s = kind == "history"
                ? try await service.importHistory(path: url.path, batchCode: batch ?? "", actor: AuditActor(ctx.principal.username), progress: sink)
                : try await service.importOrganisations(path: url.path, actor: AuditActor(ctx.principal.username))
            return (lang.t(s.text), [])
        }
        return SafeRedirect.response(req, to: "/admin/jobs/\(id)")
    }

    func job(_ req: Request) async throws -> Response {
        let p = try requireAdmin(req)
        let lang = req.lang
        guard let job = jobs.get(req.parameters.get("id") ?? ""), job.owner == p.username else { throw Abort(.notFound) }
        let percent = Int(job.bytesRead * 100 / max(1, job.totalBytes))
        return Layout.page(req, title: job.title) {
            el("h1") { job.title }
            if job.done {
                el("p", .class(job.failed ? "flash error" : "flash ok"), .id(job.failed ? "job-failed" : "job-done")) {
                    job.failed ? lang.t("失败，未写入任何数据：", "Failed; nothing was written: ") : lang.t("已完成：", "Finished: ")
                }
                el("pre", .id("job-message")) { job.message ?? "" }
                if !job.issued.isEmpty {
                    el("div", .class("card"), .id("issued")) {
                        el("h2") { lang.t("新发放的初始密码（\(job.issued.count)个，请下发给各账号；首次登录须修改）", "New initial passwords (\(job.issued.count); hand them out; they must be changed at first log-in)") }
                        el("p") { el("a", .href("/admin/jobs/\(req.parameters.get("id") ?? "")/credentials.csv"), .class("button"), .id("credentials")) { lang.t("下载初始密码（CSV，仅可下载一次）", "Download the initial passwords (CSV, once)") } }
                        if job.issued.count <= 50 {
                            Layout.table(id: "issued-table", headers: [lang.t("账号", "User"), lang.t("名称", "Name"), lang.t("初始密码", "Initial password")],
                                         rows: job.issued.map { i in [.text(i.username), .text(i.displayName), el("code") { i.password }] })
                        }
                    }
                } else if job.issuedTaken {
                    el("p", .class("muted")) { lang.t("初始密码已下载。", "The initial passwords have been downloaded.") }
                }
                el("p") { el("a", .href(job.back), .id("job-back")) { lang.t("返回", "Back") } }
            } else {
                el("p", .data("job", "running"), .id("job-running")) { lang.t("正在导入…已处理\(job.rows)行（\(percent)%）", "Importing… \(job.rows) rows (\(percent)%)") }
                el("progress", Attr("max", "100"), .value(String(percent))) { "" }
            }
        }
    }

    // MARK: accounts

    func accounts(_ req: Request, issued: [IssuedCredential], flash: [Flash]) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.lang
        let params = ListParams(req)
        let search = params["q"]
        let sort = params.sort(default: AccountColumn.username)
        let users = try await AccountService(db: DB(req.db), hasher: deps.hasher).accountPage(
            text: search, role: params["role"].flatMap(Role.init(rawValue:)), state: params["state"].flatMap(AccountFilter.State.init(rawValue:)),
            sort: sort, page: params.page(), ctx: try req.context(deps))
        let now = deps.now()
        return Flashes.clear(req, Layout.page(req, title: lang.t("账号管理", "Accounts"), flash: Flashes.take(req) + flash) {
            el("h1") { lang.t("账号管理", "Accounts") }
            if !issued.isEmpty {
                el("div", .class("card"), .id("issued")) {
                    el("h2") { lang.t("新发放的初始密码（仅显示一次，请下发给各账号）", "New initial passwords (shown once: hand them out)") }
                    Layout.table(id: "issued-table", headers: [lang.t("账号", "User"), lang.t("名称", "Name"), lang.t("初始密码", "Initial password")],
                                 rows: issued.map { i in [.text(i.username), .text(i.displayName), el("code") { i.password }] })
                }
            }
            el("div", .class("card grid")) {
                Layout.postForm(req, "/admin/accounts/import", id: "accounts-import", multipart: true) {
                    el("label") { lang.t("从表格导入账号（已有账号沿用）", "Import accounts from a spreadsheet (existing accounts carry over)") }
                    el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                    " "
                    el("button", .type("submit"), .id("import-accounts")) { lang.t("导入", "Import") }
                }
                Layout.postForm(req, "/admin/accounts/create-missing", id: "create-missing") {
                    el("p") { lang.t("为尚无账号的新机构开通填报账号（账号为机构编码）", "Open filler accounts for new institutions without one (user name = institution code)") }
                    el("button", .type("submit"), .class("secondary"), .id("create-missing-button")) { lang.t("开通新机构账号", "Open accounts for new institutions") }
                }
            }
            el("form", .action("/admin/accounts"), Attr("method", "get"), .id("account-filters")) {
                el("input", .type("search"), .name("q"), .value(search ?? ""), Attr("placeholder", lang.t("账号、机构编码或名称", "user, organisation or name")))
                " "
                el("select", .name("role")) {
                    ReviewListView.option("", lang.t("全部角色", "Any role"), selected: params["role"] == nil)
                    for r in Role.allCases { ReviewListView.option(r.rawValue, lang.t(r.label), selected: params["role"] == r.rawValue) }
                }
                el("select", .name("state")) {
                    ReviewListView.option("", lang.t("全部状态", "Any state"), selected: params["state"] == nil)
                    for (st, text) in [(AccountFilter.State.active, lang.t("正常", "active")), (.disabled, lang.t("已停用", "disabled")),
                                       (.locked, lang.t("已锁定", "locked")), (.initial, lang.t("待改初始密码", "initial password"))] {
                        ReviewListView.option(st.rawValue, text, selected: params["state"] == st.rawValue)
                    }
                }
                " "
                el("button", .type("submit"), .class("secondary")) { lang.t("查找", "Search") }
            }
            Layout.pagedTable(id: "accounts", headers: [
                Layout.sortHeader(lang.t("账号", "User"), AccountColumn.username, sort, params), Layout.sortHeader(lang.t("名称", "Name"), .name, sort, params),
                Layout.sortHeader(lang.t("角色", "Role"), .role, sort, params), Layout.sortHeader(lang.t("机构/区划", "Organisation / region"), .organisation, sort, params),
                .text(lang.t("状态", "State")), .text(""),
            ], rows: users.items.map { u in
                let state = !u.active ? lang.t("已停用", "disabled") : LoginPolicy().isLocked(until: u.lockedUntil, at: now) ? lang.t("已锁定", "locked")
                    : u.mustChangePassword ? lang.t("待改初始密码", "initial password") : lang.t("正常", "active")
                return [.text(u.username), .text(u.displayName), .text(lang.t(u.role.label)), .text(u.organisationCode ?? u.regionCode ?? ""), .text(state),
                        .fragment([
                            Layout.postForm(req, "/admin/accounts/\(u.username)/reset") { el("button", .type("submit"), .class("secondary")) { lang.t("重置密码", "Reset password") } },
                            Layout.postForm(req, "/admin/accounts/\(u.username)/\(u.active ? "disable" : "enable")") {
                                el("button", .type("submit"), .class(u.active ? "danger" : "secondary")) { u.active ? lang.t("停用", "Disable") : lang.t("启用/解锁", "Enable / unlock") }
                            },
                            u.active && u.lockedUntil != nil ? Layout.postForm(req, "/admin/accounts/\(u.username)/enable") { el("button", .type("submit"), .class("secondary")) { lang.t("解锁", "Unlock") } } : .fragment([]),
                        ])]
            })
            Layout.pager(lang, users, params, id: "accounts-pager")
        })
    }

    /// Account imports and new-institution accounts run as jobs: 50,000 bcrypt hashes take minutes.
    func accountJob(_ req: Request, title: String, _ body: @escaping @Sendable (AccountService, RequestContext, ImportJobs.Sink) async throws -> (String, [IssuedCredential])) throws -> Response {
        let p = try requireAdmin(req)
        let ctx = try req.context(deps)
        let id = jobs.start(.init(owner: p.username, title: title, back: "/admin/accounts"))
        let service = AccountService(db: DB(req.db), hasher: deps.hasher)
        jobs.run(id, kind: "accounts", english: req.lang.en) { sink in try await body(service, ctx, sink) }
        return SafeRedirect.response(req, to: "/admin/jobs/\(id)")
    }

    func importAccounts(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.lang
        guard let f = try? req.content.decode(FileForm.self) else { return Flashes.redirect(req, to: "/admin/accounts", .error(lang.t("请选择文件", "choose a file"))) }
        let (dir, url): (URL, URL)
        do { (dir, url) = try saveUpload(f.file) } catch let e as ServiceError { return Flashes.redirect(req, to: "/admin/accounts", .error(lang.t(e.message))) }
        return try accountJob(req, title: lang.t("导入账号", "Account import")) { service, ctx, sink in
            defer { try? FileManager.default.removeItem(at: dir) }
            let r = try await service.importAccounts(path: url.path, ctx: ctx, progress: sink)
            return (lang.t("\(r.file)：\(r.rows)行，新增\(r.created)个账号，沿用\(r.carriedOver)个", "\(r.file): \(r.rows) rows, \(r.created) accounts created, \(r.carriedOver) carried over"), r.issued)
        }
    }

    func createMissing(_ req: Request) async throws -> Response {
        let lang = req.lang
        return try accountJob(req, title: lang.t("开通新机构账号", "Accounts for new institutions")) { service, ctx, sink in
            let issued = try await service.createMissingInstitutionAccounts(ctx: ctx, progress: sink)
            return (lang.t("开通\(issued.count)个新机构账号", "\(issued.count) accounts opened"), issued)
        }
    }

    /// The generated initial passwords of a finished job, as CSV (UTF-8 with BOM for Excel), once.
    func credentials(_ req: Request) async throws -> Response {
        let p = try requireAdmin(req)
        let id = req.parameters.get("id") ?? ""
        guard let job = jobs.get(id), job.owner == p.username, job.done, !job.issuedTaken else { throw Abort(.notFound) }
        jobs.update(id) { $0.issuedTaken = true; $0.issued = [] }
        let csv = CSVWriter()
        try csv.write(["账号", "名称", "机构编码", "初始密码"])
        for c in job.issued { try csv.write([c.username, c.displayName, c.organisationCode ?? "", c.password]) }
        try csv.finish()
        try await AuditLog(DB(req.db)).record(actor: p.username, action: "credentials", entity: "user", key: id, summary: "下载\(job.issued.count)个初始密码",
                                              ip: req.clientIP, at: deps.now())
        return Response.download(Data(csv.output), name: "初始密码.csv", type: "text/csv; charset=utf-8")
    }

    func reset(_ req: Request) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.lang
        let issued = try await AccountService(db: DB(req.db), hasher: deps.hasher).resetPassword(username: try req.parameters.require("user"), ctx: try req.context(deps))
        return try await accounts(req, issued: [issued], flash: [.ok(lang.t("密码已重置", "Password reset"))])
    }

    func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        _ = try requireAdmin(req)
        let lang = req.lang
        try await AccountService(db: DB(req.db), hasher: deps.hasher).setActive(username: try req.parameters.require("user"), active: active, ctx: try req.context(deps))
        return Flashes.redirect(req, to: "/admin/accounts", .ok(active ? lang.t("已启用并解锁", "Enabled and unlocked") : lang.t("已停用", "Disabled")))
    }

    func audit(_ req: Request) async throws -> Response {
        let lang = req.lang
        let params = ListParams(req)
        let filter = AuditFilter(entity: params["entity"], actor: params["actor"], action: params["action"], text: params["q"])
        let sort = params.sort(default: AuditColumn.at, descending: true)
        let entries = try await AccountService(db: DB(req.db), hasher: deps.hasher).auditPage(filter: filter, sort: sort, page: params.page(),
                                                                                              ctx: try req.context(deps))
        return Layout.page(req, title: lang.t("审计日志", "Audit log")) {
            el("h1") { lang.t("审计日志", "Audit log") + " (\(entries.total))" }
            el("form", .action("/audit"), Attr("method", "get"), .id("audit-filters"), .class("no-print")) {
                el("input", .type("search"), .name("q"), .value(filter.text ?? ""), Attr("placeholder", lang.t("对象或摘要", "Entity key or summary")))
                el("input", .type("text"), .name("actor"), .value(filter.actor ?? ""), Attr("placeholder", lang.t("操作人", "Who")))
                el("input", .type("text"), .name("action"), .value(filter.action ?? ""), Attr("placeholder", lang.t("操作", "Action")))
                el("input", .type("text"), .name("entity"), .value(filter.entity ?? ""), Attr("placeholder", lang.t("对象类型", "Entity type")))
                " "
                el("button", .type("submit"), .class("secondary")) { lang.t("筛选", "Filter") }
            }
            Layout.pagedTable(id: "audit", headers: [
                Layout.sortHeader(lang.t("时间", "When"), AuditColumn.at, sort, params), Layout.sortHeader(lang.t("操作人", "Who"), .actor, sort, params),
                Layout.sortHeader(lang.t("操作", "Action"), .action, sort, params), Layout.sortHeader(lang.t("对象", "Entity"), .entity, sort, params),
                .text(lang.t("摘要", "Summary")), .text(lang.t("修改前→后", "Before → after")), .text("IP"),
            ], rows: entries.items.map { e in
                [.text(ReportingWindow.shanghaiText(e.at)), .text(e.actor), .text(e.action), .text("\(e.entity) \(e.entityKey)"), .text(e.summary),
                 el("pre", .class("muted")) { e.detail ?? "" }, .text(e.ip ?? "")]
            })
            Layout.pager(lang, entries, params, id: "audit-pager")
        }
    }
}
