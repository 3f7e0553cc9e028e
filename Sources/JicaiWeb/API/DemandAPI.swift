import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// Demand reporting (报) over `/api/v1`: the form, save, check, letter, evidence, correction, submit, review, audit
/// trail, lock and the status list; the same service calls and scope rules as the pages.
extension APIv1 {
    func bootDemand(_ api: any RoutesBuilder) {
        api.get(report(.report)) { req in try await form(req) }
        api.put(report(.report)) { req in try await save(req) }
        api.post(report(.check)) { req in try await check(req) }
        api.post(report(.whatIf)) { req in try await whatIf(req) }
        api.post(report(.letter)) { req in try await letter(req) }
        api.post(report(.evidence)) { req in try await evidence(req) }
        api.post(report(.correct)) { req in try await correct(req) }
        api.post(report(.submit)) { req in try await submit(req) }
        api.post(report(.review)) { req in try await review(req) }
        api.get(report(.audit)) { req in try await audit(req) }
        api.post(.api(.lock(.any))) { req in try await lock(req) }
        api.get(.api(.statuses(.any))) { req in try await statuses(req) }
    }

    private func report(_ path: SiteURL.APIReportPath) -> SiteURL { .api(.report(.any, .any, path)) }

    func reports(_ req: Request) -> ReportService { deps.services(req).reports }

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

    /// The what-if of a draft (nothing saved); an empty body's lines give the saved report's.
    func whatIf(_ req: Request) async throws -> Response {
        let key = try ReportKey(req)
        let input = try req.content.decode(DraftInput.self)
        let list = try await reports(req).whatIf(try await req.scope(deps), institutionCode: key.institution.code, input: input)
        return WhatIfDTO.body(list.map(WhatIfDTO.init)).response()
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
}
