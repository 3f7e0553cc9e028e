import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The JSON API: the same use cases as the pages, the same scope rules, bearer tokens for machine clients
/// (a session cookie with the `X-CSRF-Token` header works too). Described at `/openapi.json`.
struct APIv1: RouteCollection {
    let deps: WebDependencies

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.openAPI) { _ in Response.json(OpenAPIDocument.json) }
        let api = routes.grouped(RequireUser(api: true))
        api.get(.api(.me)) { req in try me(req) }
        api.post(.api(.tokens)) { req in try await createToken(req) }
        api.get(.api(.tokens)) { req in try await tokens(req) }
        api.delete(.api(.token(.any))) { req in try await revokeToken(req) }
        api.get(report(.report)) { req in try await form(req) }
        api.put(report(.report)) { req in try await save(req) }
        api.post(report(.check)) { req in try await check(req) }
        api.post(report(.letter)) { req in try await letter(req) }
        api.post(report(.evidence)) { req in try await evidence(req) }
        api.post(report(.correct)) { req in try await correct(req) }
        api.post(report(.submit)) { req in try await submit(req) }
        api.post(report(.review)) { req in try await review(req) }
        api.get(report(.audit)) { req in try await audit(req) }
        api.post(.api(.lock(.any))) { req in try await lock(req) }
        api.get(.api(.statuses(.any))) { req in try await statuses(req) }
        api.get(.api(.award(.any))) { req in try await award(req) }
        api.get(.api(.awardVolumes(.any))) { req in try await awardVolumes(req) }
        api.get(.api(.awardGaps(.any))) { req in try await awardGaps(req) }
        api.get(.api(.awardAgreements(.any))) { req in try await awardAgreements(req) }
        api.get(.api(.awardPrices(.any))) { req in try await awardPrices(req) }
        api.post(.api(.awardAction(.any, .compute))) { req in try await awardCompute(req) }
        api.post(.api(.awardAction(.any, .publish))) { req in try await awardPublish(req) }
        api.post(.api(.awardAction(.any, .send))) { req in try await awardSend(req) }
        api.post(.api(.awardAction(.any, .renew))) { req in try await awardRenew(req) }
        api.post(.api(.awardAction(.any, .adjust))) { req in try await awardAdjust(req) }
        api.post(.api(.awardAction(.any, .policy))) { req in try await awardPolicy(req) }
        api.post(.api(.signAgreement(.any, .any))) { req in try await signAgreement(req) }
        bootMonitor(api)
    }

    private func report(_ path: SiteURL.APIReportPath) -> SiteURL { .api(.report(.any, .any, path)) }

    func reports(_ req: Request) -> ReportService { deps.services(req).reports }

    func user(_ req: Request) throws -> CurrentUser {
        guard let user = req.currentUser else { throw Abort(.unauthorized) }
        return user
    }

    // MARK: the account and its tokens

    func me(_ req: Request) throws -> MeDTO {
        let current = try user(req)
        let user = current.user
        return MeDTO(
            username: user.username, displayName: user.displayName, role: user.role.rawValue, organisationCode: user.organisationCode,
            regionCode: user.regionCode, csrf: current.csrf.isEmpty ? nil : current.csrf)
    }

    func createToken(_ req: Request) async throws -> TokenDTO {
        struct Body: Content {
            var label: String?
            var days: Int?
        }
        let current = try user(req)
        guard req.storage[TokenAuthKey.self] != true else { throw Refusal(.sessionRequired) }
        let body = req.body.data == nil ? nil : try req.content.decode(Body.self)
        let label = body?.label ?? "api"
        let (token, expires) = try await deps.services(req).accounts.createToken(
            userID: current.user.id, label: label, days: body?.days,
            ctx: try req.context(deps))
        return TokenDTO(token: token, label: label, expiresAt: expires)
    }

    func tokens(_ req: Request) async throws -> [TokenInfoDTO] {
        try await deps.services(req).accounts.tokens(userID: try user(req).user.id).map(TokenInfoDTO.init)
    }

    func revokeToken(_ req: Request) async throws -> Response {
        let token = try TokenKey(req)
        try await deps.services(req).accounts.revokeToken(userID: try user(req).user.id, id: token.text, ctx: try req.context(deps))
        return Response(status: .noContent)
    }

    // MARK: reports

    func form(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        return ReportDTO(try await reports(req).form(try await req.scope(deps), institutionCode: key.institution.code))
    }

    func save(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        let input = try req.content.decode(DraftInput.self)
        return ReportDTO(
            try await reports(req).save(try await req.scope(deps), institutionCode: key.institution.code, input: input))
    }

    func check(_ req: Request) async throws -> [Finding] {
        let key = try ReportKey(req)
        let input = try req.content.decode(DraftInput.self)
        return try await reports(req).preview(try await req.scope(deps), institutionCode: key.institution.code, input: input).findings
    }

    func decodeBase64(_ text: String) throws -> Data {
        guard let data = Data(base64Encoded: text) else { throw Refusal(.badFileContent, zh: "文件内容不是Base64", en: "contentBase64 is not Base64") }
        return data
    }

    func letter(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        let body = try req.content.decode(LetterDTO.self)
        return ReportDTO(
            try await reports(req).attachLetter(
                try await req.scope(deps), institutionCode: key.institution.code, fileName: body.fileName, data: try decodeBase64(body.contentBase64),
                signerName: body.signerName, signerTitle: body.signerTitle))
    }

    func evidence(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        let body = try req.content.decode(EvidenceDTO.self)
        return ReportDTO(
            try await reports(req).attachEvidence(
                try await req.scope(deps), institutionCode: key.institution.code, unitKey: body.unit, fileName: body.fileName,
                data: try decodeBase64(body.contentBase64)))
    }

    func correct(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        let body = try req.content.decode(CorrectionDTO.self)
        let line = DemandLine(specCode: body.specCode, productCode: body.productCode, quantity: body.quantity)
        return ReportDTO(
            try await reports(req).correct(try await req.scope(deps), institutionCode: key.institution.code, line: line, reason: body.reason))
    }

    func submit(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        return ReportDTO(try await reports(req).submit(try await req.scope(deps), institutionCode: key.institution.code))
    }

    func review(_ req: Request) async throws -> ReportDTO {
        let key = try ReportKey(req)
        let body = try req.content.decode(ReviewDTO.self)
        guard let action = ReportAction(rawValue: body.action), action.isReview else { throw Refusal(.badAction) }
        return ReportDTO(
            try await reports(req).review(try await req.scope(deps), institutionCode: key.institution.code, action: action, reason: body.reason))
    }

    func audit(_ req: Request) async throws -> [AuditEntryDTO] {
        let key = try ReportKey(req)
        return try await reports(req).auditTrail(try await req.scope(deps), institutionCode: key.institution.code)
            .map(AuditEntryDTO.init)
    }

    func lock(_ req: Request) async throws -> LockDTO {
        let body = try req.content.decode(LockDTO.self)
        try await reports(req).setLocked(try await req.scope(deps), locked: body.locked)
        return body
    }

    /// Paged: `page` (from 1) and `size` (default and at most `PageRequest.maxAPISize`); the total is in
    /// `X-Total-Count` and the next page in `Link`.
    func statuses(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await reports(req).statusPage(try await req.scope(deps), region: params["region"], status: params["status"], page: page)
        let body = rows.items.map { row in
            StatusRowDTO(
                code: row.summary.code, name: row.summary.name, regionCode: row.summary.regionCode, status: row.summary.status ?? "none",
                specsWithHistory: row.summary.specsWithHistory, blocking: row.summary.blocking)
        }
        return try await Response.paged(req, body, total: rows.total, page: page, params: params)
    }

    // MARK: award

    func award(_ req: Request) async throws -> AwardDTO {
        AwardDTO(try await deps.services(req).award.overview(try await req.scope(deps)))
    }

    /// Paged like `statuses`; `region` and `institution` narrow the list inside the caller's scope.
    func awardVolumes(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).award.volumes(
            try await req.scope(deps), region: params["region"], institution: params["institution"], page: page)
        return try await Response.paged(req, rows.items.map(VolumeDTO.init), total: rows.total, page: page, params: params)
    }

    /// Paged like `awardVolumes`; `region` narrows the list inside the caller's scope.
    func awardGaps(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).award.coverageGaps(try await req.scope(deps), region: params["region"], page: page)
        return try await Response.paged(req, rows.items.map(GapDTO.init), total: rows.total, page: page, params: params)
    }

    /// Changes the fields given; answers the batch's award (its policy is the batch's).
    func awardPolicy(_ req: Request) async throws -> AwardPolicyDTO {
        let body = try req.content.decode(AwardPolicyChange.self)
        return AwardPolicyDTO(try await deps.services(req).award.setPolicy(try await req.scope(deps), body.applied))
    }

    func awardAgreements(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let status = try params["status"].map { text -> AgreementStatus in
            guard let status = AgreementStatus(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的协议状态", en: "unknown agreement status") }
            return status
        }
        let rows = try await deps.services(req).agreements.agreements(try await req.scope(deps), status: status, page: page)
        return try await Response.paged(req, rows.items.map(AgreementDTO.init), total: rows.total, page: page, params: params)
    }

    func awardPrices(_ req: Request) async throws -> [PriceDTO] {
        try await deps.services(req).award.prices(try await req.scope(deps)).rows.map(PriceDTO.init)
    }

    func awardCompute(_ req: Request) async throws -> ComputeDTO {
        ComputeDTO(try await deps.services(req).award.compute(try await req.scope(deps)))
    }

    func awardPublish(_ req: Request) async throws -> CountDTO {
        struct Body: Content {
            var executionStart: String
            var cycleEnd: String
            var signingDeadline: String?
        }
        let body = try req.content.decode(Body.self)
        guard let start = CivilDate(text: body.executionStart), let end = CivilDate(text: body.cycleEnd) else { throw Refusal(.badDate) }
        let deadline = try body.signingDeadline.map { text -> CivilDate in
            guard let date = CivilDate(text: text) else { throw Refusal(.badDate) }
            return date
        }
        let count = try await deps.services(req).award.publish(
            try await req.scope(deps), executionStart: start, cycleEnd: end, signingDeadline: deadline)
        return CountDTO(count: Int64(count))
    }

    func awardSend(_ req: Request) async throws -> CountDTO {
        CountDTO(count: try await deps.services(req).agreements.send(try await req.scope(deps)))
    }

    func awardRenew(_ req: Request) async throws -> CountDTO {
        CountDTO(count: Int64(try await deps.services(req).award.renew(try await req.scope(deps)).count))
    }

    func awardAdjust(_ req: Request) async throws -> [VolumeDTO] {
        struct Body: Content {
            var institutionCode: String
            var productCode: String
            var quantity: Int64
            var reason: String
        }
        let body = try req.content.decode(Body.self)
        let scope = try await req.scope(deps)
        let award = deps.services(req).award
        try await award.adjustVolume(
            scope, institutionCode: body.institutionCode, productCode: body.productCode, quantity: body.quantity, reason: body.reason)
        return try await award.volumes(scope, region: nil, institution: body.institutionCode, page: PageRequest()).items.map(VolumeDTO.init)
    }

    func signAgreement(_ req: Request) async throws -> AgreementDTO {
        let key = try AgreementKey(req)
        return AgreementDTO(try await deps.services(req).agreements.sign(try await req.scope(deps), id: key.id))
    }
}
