import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The award stage's pages (采): the overview with each role's part, the agreed volumes, the agreements and one
/// agreement to print and sign. Handlers are thin: the services decide who may do what.
struct AwardPages: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(award(.overview)) { req in try await overview(req) }
        routes.post(award(.results)) { req in try await importResults(req) }
        routes.post(award(.compute)) { req in try await compute(req) }
        routes.post(award(.publish)) { req in try await publish(req) }
        routes.post(award(.send)) { req in try await send(req) }
        routes.post(award(.renew)) { req in try await renew(req) }
        routes.post(award(.adjust)) { req in try await adjust(req) }
        routes.post(award(.distributors)) { req in try await distributor(req, add: true) }
        routes.post(award(.removeDistributor)) { req in try await distributor(req, add: false) }
        routes.get(award(.volumes)) { req in try await volumes(req) }
        routes.get(award(.volumesXLSX)) { req in try await volumesXLSX(req) }
        routes.get(award(.gaps)) { req in try await gaps(req) }
        routes.get(award(.gapsXLSX)) { req in try await gapsXLSX(req) }
        routes.post(award(.policy)) { req in try await policy(req) }
        routes.get(award(.agreements)) { req in try await agreements(req) }
        routes.post(award(.signAll)) { req in try await signAll(req) }
        routes.get(award(.ocds)) { req in try await ocds(req) }
        routes.get(award(.prices)) { req in try await prices(req) }
        routes.post(award(.listings)) { req in try await importListings(req) }
        routes.get(.batch(.any, .agreement(.any, .view))) { req in try await agreement(req) }
        routes.post(.batch(.any, .agreement(.any, .sign))) { req in try await sign(req) }
    }

    private func award(_ page: SiteURL.AwardPage) -> SiteURL { .batch(.any, .award(page)) }

    func crumbs(_ batch: BatchKey, _ name: String, _ titles: [(String, SiteURL?)]) -> [Crumb] {
        [Crumb(title: name, url: .batch(batch, .home))] + titles.map { Crumb(title: $0.0, url: $0.1) }
    }

    func overview(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let history = req.query["history"] == "1"
        let params = ListParams(req)
        let found = try await deps.services(req).award.overviewPage(scope, history: history, unsigned: params.page("unsignedPage"))
        let model = AwardView.Model(
            batch: batch, overview: found.overview, history: history, access: found.access, progress: found.progress, network: found.network,
            uncovered: found.uncovered.map { AwardView.Uncovered(manufacturer: $0.manufacturer, name: $0.name, institutions: $0.institutions) },
            unsigned: found.unsigned, awaitingMine: found.awaitingMine, today: CivilDate(beijing: scope.ctx.at), csrf: req.currentUser?.csrf ?? "",
            params: params)
        let title = req.lang.t("中选结果与约定采购量", "Award and agreed volumes")
        let page = Layout.page(req, title: title, crumbs: crumbs(batch, scope.batch.name, [(title, nil)]), flash: Flashes.take(req)) {
            AwardView(model: model, lang: req.lang).body
        }
        return Flashes.clear(req, page)
    }

    func act(_ req: Request, _ body: @escaping (BatchScope, Lang) async throws -> String) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .award(.overview)).path) { try await body(try await req.scope(deps), lang) }
    }

    func importResults(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let upload = try TemporaryUpload.spreadsheet(req)
            defer { upload.remove() }
            let summary = try await deps.services(req).award.importResults(scope, path: upload.url.path)
            return lang.t(summary.text)
        }
    }

    func importListings(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .award(.prices)).path) {
            let upload = try TemporaryUpload.spreadsheet(req)
            defer { upload.remove() }
            return lang.t(try await deps.services(req).award.importListings(try await req.scope(deps), path: upload.url.path).text)
        }
    }

    func prices(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let services = deps.services(req)
        let sheet = try await services.award.prices(scope)
        let access = services.award.access(scope)
        let title = req.lang.t("挂网价格与医保支付标准", "Listing prices and payment standards")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("中选结果与约定采购量", "Award"), .batch(batch, .award(.overview))), (title, nil)])
        let model = PriceView.Model(batch: batch, sheet: sheet, manages: access.manages, csrf: req.currentUser?.csrf ?? "")
        let page = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { PriceView(model: model, lang: req.lang).body }
        return Flashes.clear(req, page)
    }

    func compute(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let summary = try await deps.services(req).award.compute(scope)
            return lang.t(
                "已计算约定采购量：\(summary.holders)个机构，\(summary.volumes)条，金额\(Fen(summary.amountFen).yuanText)元",
                "Agreed volumes computed: \(summary.holders) institutions, \(summary.volumes) rows, \(Fen(summary.amountFen).yuanText) yuan")
        }
    }

    struct PublishForm: Content {
        var start: String
        var end: String
        var deadline: String?
    }

    func publish(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let form = try req.content.decode(PublishForm.self)
            guard let start = CivilDate(text: form.start), let end = CivilDate(text: form.end) else { throw Refusal(.badDate) }
            let deadlineText = (form.deadline ?? "").trimmingCharacters(in: .whitespaces)
            let deadline = CivilDate(text: deadlineText)
            guard deadlineText.isEmpty || deadline != nil else { throw Refusal(.badDate) }
            let count = try await deps.services(req).award.publish(scope, executionStart: start, cycleEnd: end, signingDeadline: deadline)
            return lang.t("约定采购量已公布，生成协议\(count)份", "Agreed volumes published; \(count) agreements created")
        }
    }

    func send(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let count = try await deps.services(req).agreements.send(scope)
            return lang.t("已发出协议\(count)份", "\(count) agreements sent for signing")
        }
    }

    func renew(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let (year, count) = try await deps.services(req).award.renew(scope)
            return lang.t("已生成\(year.start)至\(year.lastDay)协议年度的协议\(count)份", "\(count) agreements created for \(year.start) to \(year.lastDay)")
        }
    }

    struct AdjustForm: Content {
        var institution: String
        var product: String
        var quantity: String
        var reason: String
    }

    func adjust(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .award(.volumes)).path) {
            let form = try req.content.decode(AdjustForm.self)
            guard let quantity = Int64(form.quantity.trimmingCharacters(in: .whitespaces)) else { throw Refusal(.badQuantity) }
            try await deps.services(req).award.adjustVolume(
                try await req.scope(deps), institutionCode: form.institution.trimmingCharacters(in: .whitespaces),
                productCode: form.product.trimmingCharacters(in: .whitespaces), quantity: quantity, reason: form.reason)
            return lang.t("约定采购量已调整（保留原版本）", "Agreed volume adjusted (the previous version is kept)")
        }
    }

    struct DistributorForm: Content {
        var manufacturer: String
        var area: String
        var distributor: String
    }

    func distributor(_ req: Request, add: Bool) async throws -> Response {
        try await act(req) { scope, lang in
            let form = try req.content.decode(DistributorForm.self)
            let service = deps.services(req).agreements
            let area = form.area.trimmingCharacters(in: .whitespaces)
            let distributor = form.distributor.trimmingCharacters(in: .whitespaces)
            if add {
                try await service.addDistributor(scope, manufacturerCode: form.manufacturer, area: area, distributorCode: distributor)
                return lang.t("已添加配送企业", "Distributor added")
            }
            try await service.removeDistributor(scope, manufacturerCode: form.manufacturer, area: area, distributorCode: distributor)
            return lang.t("已移除配送企业", "Distributor removed")
        }
    }

    func volumes(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let award = deps.services(req).award
        let params = ListParams(req)
        let institution = params["institution"].flatMap { $0.isEmpty ? nil : $0 }
        let page = try await award.volumes(scope, region: params["region"], institution: institution, page: params.page())
        let title = req.lang.t("约定采购量", "Agreed volumes")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("中选结果与约定采购量", "Award"), .batch(batch, .award(.overview))), (title, nil)])
        let access = award.access(scope)
        let published = try await award.state(scope).phase == .published
        let model = VolumeListView.Model(
            batch: batch, page: page, params: params, mayAdjust: access.manages && published, csrf: req.currentUser?.csrf ?? "")
        let response = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { VolumeListView(model: model, lang: req.lang).body }
        return Flashes.clear(req, response)
    }

    func gaps(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let region = params["region"].flatMap { $0.isEmpty ? nil : $0 }
        let page = try await deps.services(req).award.coverageGaps(scope, region: region, page: params.page())
        let title = req.lang.t("覆盖缺口", "Coverage gaps")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("中选结果与约定采购量", "Award"), .batch(batch, .award(.overview))), (title, nil)])
        return Layout.page(req, title: title, crumbs: crumbs) {
            CoverageGapView(model: .init(batch: batch, page: page, params: params), lang: req.lang).body
        }
    }

    func gapsXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let region = req.query["region"].flatMap { (text: String) in text.isEmpty ? nil : text }
        let data = try await deps.services(req).award.coverageGapsWorkbook(
            try await req.scope(deps), region: region, language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-覆盖缺口.xlsx", type: Response.xlsxType)
    }

    /// The province sets the award policy before publication (`AwardService.setPolicy`).
    func policy(_ req: Request) async throws -> Response {
        try await act(req) { scope, lang in
            let form = try req.content.decode(AwardPolicyChange.self)
            try await deps.services(req).award.setPolicy(scope, form.applied)
            return lang.t("已保存约定采购量规则；已计算的约定采购量须重新计算", "Award policy saved; computed volumes must be computed again")
        }
    }

    func volumesXLSX(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let data = try await deps.services(req).award.volumesWorkbook(
            try await req.scope(deps), region: req.query["region"], language: req.lang.en ? .en : .zh)
        return Response.download(data, name: "\(batch.code)-约定采购量.xlsx", type: Response.xlsxType)
    }

    func ocds(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        // Written to a file and streamed from it: a province's package has hundreds of thousands of contracts.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-ocds-\(UUID().uuidString).json")
        do {
            try await deps.services(req).ocds.write(try await req.scope(deps), to: url)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        let response = try await req.fileio.asyncStreamFile(at: url.path, mediaType: .json) { _ in try? FileManager.default.removeItem(at: url) }
        let name = "\(batch.code)-ocds.json".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "ocds.json"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ocds.json\"; filename*=UTF-8''\(name)")
        response.headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        return response
    }

    func agreements(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let scope = try await req.scope(deps)
        let params = ListParams(req)
        let mine = params["status"] == AgreementListView.awaitingMine
        let status = mine ? nil : params["status"].flatMap(AgreementStatus.init(rawValue:))
        let narrowing = AgreementListView.narrowing { params[$0] }
        let service = deps.services(req).agreements
        let page =
            mine
            ? try await service.awaitingMine(scope, narrowing: narrowing, page: params.page())
            : try await service.agreements(scope, status: status, narrowing: narrowing, page: params.page())
        let title = req.lang.t("三方购销协议", "Three-party agreements")
        let crumbs = crumbs(batch, scope.batch.name, [(req.lang.t("中选结果与约定采购量", "Award"), .batch(batch, .award(.overview))), (title, nil)])
        return Layout.page(req, title: title, crumbs: crumbs) {
            AgreementListView(
                model: .init(
                    batch: batch, page: page, params: params, status: status, awaitingMine: mine, party: AgreementParty.of(scope.principal.role),
                    narrowing: narrowing, csrf: req.currentUser?.csrf ?? ""),
                lang: req.lang
            ).body
        }
    }

    func agreement(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let key = try AgreementKey(req)
        let scope = try await req.scope(deps)
        let (ctx, record) = (scope.ctx, scope.batch)
        let agreement = try await deps.services(req).agreements.agreement(scope, id: key.id)
        let party = AgreementParty.of(ctx.principal.role)
        let maySign =
            party.map {
                agreement.status == .sent && agreement.signatures[$0] == nil && agreement.state.parties[$0] == ctx.principal.organisationCode
            } ?? false
        let model = AgreementView.Model(
            batch: batch, batchName: record.name, agreement: agreement, maySign: maySign, csrf: req.currentUser?.csrf ?? "")
        let title = req.lang.t("三方购销协议", "Three-party agreement")
        let crumbs = crumbs(batch, record.name, [(req.lang.t("三方购销协议", "Agreements"), .batch(batch, .award(.agreements))), ("#\(key.id)", nil)])
        let page = Layout.page(req, title: title, crumbs: crumbs, flash: Flashes.take(req)) { AgreementView(model: model, lang: req.lang).body }
        return Flashes.clear(req, page)
    }

    /// Signs every agreement of the confirmed list (待本方签署, narrowed), each audited on its own.
    func signAll(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let lang = req.lang
        let form = try req.content.decode([String: String].self)
        let narrowing = AgreementListView.narrowing { form[$0] }
        var back = SiteURL.batch(batch, .award(.agreements)).path + "?status=\(AgreementListView.awaitingMine)"
        let kept = [
            ("city", narrowing.regionPrefix), ("manufacturer", narrowing.manufacturerCode), ("product", narrowing.productCode),
            ("q", narrowing.institution),
        ]
        for (key, value) in kept
        where !value.isEmpty {
            back += "&\(key)=\(ListParams.encode(value))"
        }
        return try await Flashes.act(req, back: back) {
            guard form["confirm"] == "1" else {
                throw Refusal(.confirmationRequired, zh: "请勾选确认后再批量签署", en: "tick the confirmation to sign them all")
            }
            guard let expected = Int64(form["expected"] ?? "") else { throw Refusal(.badRequest) }
            let done = try await deps.services(req).agreements.signAll(try await req.scope(deps), narrowing: narrowing, expected: expected)
            return lang.t(
                "已签署\(done.signed)份协议，其中\(done.inForce)份生效" + (done.skipped > 0 ? "；\(done.skipped)份已过期或已签署，未签" : ""),
                "\(done.signed) agreements signed, \(done.inForce) now in force"
                    + (done.skipped > 0 ? "; \(done.skipped) expired or already signed, left" : ""))
        }
    }

    func sign(_ req: Request) async throws -> Response {
        let batch = try BatchKey(req)
        let key = try AgreementKey(req)
        let lang = req.lang
        return try await Flashes.act(req, back: SiteURL.batch(batch, .agreement(key, .view)).path) {
            let signed = try await deps.services(req).agreements.sign(try await req.scope(deps), id: key.id)
            return signed.status == .inForce ? lang.t("已签署，协议生效", "Signed; the agreement is in force") : lang.t("已签署", "Signed")
        }
    }
}
