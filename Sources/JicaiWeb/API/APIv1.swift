import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

struct ReportDTO: Content {
    var batch: String
    var institution: String
    var institutionName: String
    var status: String
    var phase: String
    var canEdit: Bool
    var lines: [DemandLine]
    var explanations: [String: String]
    var exclusions: [String: SpecialNeedsExclusion]
    var letter: CommitmentLetter?
    var returnReason: String?
    var findings: [Finding]
    var history: [String: Int64]

    init(_ f: ReportForm) {
        batch = f.context.batch.code
        institution = f.institution.organisation.code
        institutionName = f.institution.organisation.name
        status = f.report?.status.rawValue ?? "none"
        phase = f.phase.rawValue
        canEdit = f.canEdit
        lines = f.report?.lines ?? []
        explanations = f.report?.explanations ?? [:]
        exclusions = f.report?.exclusions ?? [:]
        letter = f.report?.letter
        returnReason = f.report?.returnReason
        findings = f.result.findings
        history = f.history
    }
}

struct MeDTO: Content {
    var username: String
    var displayName: String
    var role: String
    var organisationCode: String?
    var regionCode: String?
    var csrf: String?
}

struct LetterDTO: Content { var fileName: String; var contentBase64: String; var signerName: String; var signerTitle: String }
struct ReviewDTO: Content { var action: String; var reason: String? }
struct EvidenceDTO: Content { var unit: String; var fileName: String; var contentBase64: String }
struct CorrectionDTO: Content { var specCode: String; var productCode: String?; var quantity: Int64; var reason: String }
struct LockDTO: Content { var locked: Bool }
struct TokenDTO: Content { var token: String; var label: String; var expiresAt: Date }
struct TokenInfoDTO: Content {
    var id: String
    var label: String
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?
    init(_ t: StoredToken) { (id, label, createdAt, expiresAt, lastUsedAt) = (t.id, t.label, t.createdAt, t.expiresAt, t.lastUsedAt) }
}
struct StatusRowDTO: Content { var code: String; var name: String; var regionCode: String; var status: String; var specsWithHistory: Int64; var blocking: Int64 }

extension DemandLine: Content {}
extension SpecialNeedsExclusion: Content {}
extension Finding: Content {}

/// The JSON API: the same use cases as the pages, the same scope rules, bearer tokens for machine clients
/// (a session cookie with the `X-CSRF-Token` header works too). Described at `/openapi.json`.
struct APIv1: Sendable {
    let deps: WebDependencies

    func register(_ r: any RoutesBuilder) {
        r.get("openapi.json") { _ in Response.text(OpenAPIDocument.json, type: .json) }
        let api = r.grouped("api", "v1").grouped(RequireUser(api: true))
        api.get("me") { req -> MeDTO in
            let u = req.currentUser!
            return MeDTO(username: u.user.username, displayName: u.user.displayName, role: u.user.role.rawValue, organisationCode: u.user.organisationCode,
                         regionCode: u.user.regionCode, csrf: u.csrf.isEmpty ? nil : u.csrf)
        }
        api.post("tokens") { req -> TokenDTO in
            struct Body: Content { var label: String?; var days: Int? }
            let u = req.currentUser!
            guard req.storage[TokenAuthKey.self] != true else { throw ServiceError(.sessionRequired, zh: "请在登录会话中创建令牌", en: "create tokens from a logged-in session") }
            let body = req.body.data == nil ? nil : try req.content.decode(Body.self)
            let label = body?.label ?? "api"
            let (token, expires) = try await AccountService(db: DB(req.db), hasher: deps.hasher)
                .createToken(userID: u.user.id, label: label, days: body?.days, ctx: try req.context(deps))
            return TokenDTO(token: token, label: label, expiresAt: expires)
        }
        api.get("tokens") { req -> [TokenInfoDTO] in
            try await AccountService(db: DB(req.db), hasher: deps.hasher).tokens(userID: req.currentUser!.user.id).map(TokenInfoDTO.init)
        }
        api.delete("tokens", ":id") { req -> Response in
            try await AccountService(db: DB(req.db), hasher: deps.hasher).revokeToken(userID: req.currentUser!.user.id, id: try req.parameters.require("id"),
                                                                                      ctx: try req.context(deps))
            return Response(status: .noContent)
        }
        let report = api.grouped("batches", ":batch", "reports", ":inst")
        report.get { req in ReportDTO(try await service(req).form(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"), ctx: try req.context(deps))) }
        report.put { req -> ReportDTO in
            let input = try req.content.decode(DraftInput.self)
            return ReportDTO(try await service(req).save(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"), input: input, ctx: try req.context(deps)))
        }
        report.post("check") { req -> [Finding] in
            let input = try req.content.decode(DraftInput.self)
            return try await service(req).preview(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"),
                                                  input: input, ctx: try req.context(deps)).findings
        }
        report.post("letter") { req -> ReportDTO in
            let body = try req.content.decode(LetterDTO.self)
            guard let data = Data(base64Encoded: body.contentBase64) else { throw ServiceError(.badFileContent, zh: "文件内容不是Base64", en: "contentBase64 is not Base64") }
            return ReportDTO(try await service(req).attachLetter(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"),
                                                                 fileName: body.fileName, data: data, signerName: body.signerName, signerTitle: body.signerTitle, ctx: try req.context(deps)))
        }
        report.post("evidence") { req -> ReportDTO in
            let body = try req.content.decode(EvidenceDTO.self)
            guard let data = Data(base64Encoded: body.contentBase64) else { throw ServiceError(.badFileContent, zh: "文件内容不是Base64", en: "contentBase64 is not Base64") }
            return ReportDTO(try await service(req).attachEvidence(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"),
                                                                   unitKey: body.unit, fileName: body.fileName, data: data, ctx: try req.context(deps)))
        }
        report.post("correct") { req -> ReportDTO in
            let body = try req.content.decode(CorrectionDTO.self)
            return ReportDTO(try await service(req).correct(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"),
                                                            line: DemandLine(specCode: body.specCode, productCode: body.productCode, quantity: body.quantity),
                                                            reason: body.reason, ctx: try req.context(deps)))
        }
        api.post("batches", ":batch", "lock") { req -> LockDTO in
            let body = try req.content.decode(LockDTO.self)
            try await service(req).setLocked(batchCode: try req.parameters.require("batch"), locked: body.locked, ctx: try req.context(deps))
            return body
        }
        report.post("submit") { req in
            ReportDTO(try await service(req).submit(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"), ctx: try req.context(deps)))
        }
        report.post("review") { req -> ReportDTO in
            let body = try req.content.decode(ReviewDTO.self)
            guard let action = ReportAction(rawValue: body.action), ![.save, .submit, .cityCorrect].contains(action) else {
                throw ServiceError(.badAction, zh: "未知的审核操作", en: "unknown review action")
            }
            return ReportDTO(try await service(req).review(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"),
                                                           action: action, reason: body.reason, ctx: try req.context(deps)))
        }
        report.get("audit") { req -> [AuditEntryDTO] in
            try await service(req).auditTrail(batchCode: try req.parameters.require("batch"), institutionCode: try req.parameters.require("inst"), ctx: try req.context(deps)).map(AuditEntryDTO.init)
        }
        // Paged: `page` (from 1) and `size` (default and at most `PageRequest.maxAPISize`); the total is in
        // `X-Total-Count` and the next page in `Link`.
        api.get("batches", ":batch", "statuses") { req -> Response in
            let params = ListParams(req)
            let page = PageRequest(number: params["page"].flatMap { Int($0) }, size: params["size"].flatMap { Int($0) } ?? PageRequest.maxAPISize,
                                   maxSize: PageRequest.maxAPISize)
            let rows = try await service(req).statusPage(batchCode: try req.parameters.require("batch"), region: params["region"], status: params["status"],
                                                         page: page, ctx: try req.context(deps))
            let body = rows.items.map {
                StatusRowDTO(code: $0.summary.code, name: $0.summary.name, regionCode: $0.summary.regionCode, status: $0.summary.status ?? "none",
                             specsWithHistory: $0.summary.specsWithHistory, blocking: $0.summary.blocking)
            }
            let response = try await body.encodeResponse(for: req)
            response.headers.replaceOrAdd(name: "X-Total-Count", value: String(rows.total))
            if rows.hasNext {
                response.headers.replaceOrAdd(name: .link, value: "<\(params.href(["page": String(page.number + 1), "size": String(page.size)]))>; rel=\"next\"")
            }
            return response
        }
    }

    func service(_ req: Request) -> ReportService { ReportService(db: DB(req.db)) }
}

struct AuditEntryDTO: Content {
    var at: Date; var actor: String; var action: String; var summary: String; var detail: String?; var ip: String?
    init(_ e: AuditEntry) { at = e.at; actor = e.actor; action = e.action; summary = e.summary; detail = e.detail; ip = e.ip }
}

/// The OpenAPI 3.1 description of `/api/v1` (hand-written; kept beside the routes it describes).
enum OpenAPIDocument {
    static let json: String = {
        func op(_ summary: String, _ tag: String, body: String? = nil, response: String = "Report", params: [String] = ["batch", "inst"]) -> String {
            let p = params.map { "{\"name\":\"\($0)\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}" }.joined(separator: ",")
            let b = body.map { ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/\($0)\"}}}}" } ?? ""
            return """
            {"summary":"\(summary)","tags":["\(tag)"],"parameters":[\(p)]\(b),"responses":{"200":{"description":"OK","content":{"application/json":{"schema":{"$ref":"#/components/schemas/\(response)"}}}},"400":{"$ref":"#/components/responses/Error"},"401":{"$ref":"#/components/responses/Error"},"403":{"$ref":"#/components/responses/Error"},"404":{"$ref":"#/components/responses/Error"},"409":{"$ref":"#/components/responses/Error"}}}
            """
        }
        return """
        {"openapi":"3.1.0","info":{"title":"Jicai demand reporting API","version":"1.0.0","description":"集采平台报量接口。Bearer token (POST /api/v1/tokens from a logged-in session) or a session cookie with X-CSRF-Token. Scope: an institution only itself (a county medical community lead also its members), a city reviewer its city, the province everything."},
        "servers":[{"url":"/"}],"security":[{"bearer":[]}],
        "paths":{
        "/api/v1/me":{"get":\(op("The signed-in account", "accounts", response: "Me", params: []))},
        "/api/v1/tokens":{"post":\(op("Create an API token for the signed-in user (session only; expires after `days`, default \(InputLimits.defaultTokenLifetimeDays), at most \(InputLimits.maxTokenLifetimeDays))", "accounts", body: "TokenRequest", response: "Token", params: [])),"get":\(op("The signed-in user's API tokens (never their secrets)", "accounts", response: "TokenList", params: []))},
        "/api/v1/tokens/{id}":{"delete":\(op("Revoke one of the signed-in user's API tokens", "accounts", response: "Empty", params: ["id"]))},
        "/api/v1/batches/{batch}/reports/{inst}":{"get":\(op("An institution's report with history and live findings", "reports")),"put":\(op("Save the draft (window rules apply)", "reports", body: "Draft"))},
        "/api/v1/batches/{batch}/reports/{inst}/check":{"post":\(op("The findings a draft would have, without saving it", "reports", body: "Draft", response: "FindingList"))},
        "/api/v1/batches/{batch}/reports/{inst}/letter":{"post":\(op("Attach the signed and sealed commitment letter", "reports", body: "Letter"))},
        "/api/v1/batches/{batch}/reports/{inst}/evidence":{"post":\(op("Attach evidence to a unit's explanation", "reports", body: "Evidence"))},
        "/api/v1/batches/{batch}/reports/{inst}/correct":{"post":\(op("Correct an obvious data error in a submitted report (city or province; audited)", "review", body: "Correction"))},
        "/api/v1/batches/{batch}/lock":{"post":\(op("Lock or unlock the batch (province admin)", "review", body: "Lock", response: "Lock", params: ["batch"]))},
        "/api/v1/batches/{batch}/reports/{inst}/submit":{"post":\(op("Submit (no blocking finding, letter attached)", "reports"))},
        "/api/v1/batches/{batch}/reports/{inst}/review":{"post":\(op("Approve or return (city or province)", "review", body: "Review"))},
        "/api/v1/batches/{batch}/reports/{inst}/audit":{"get":\(op("The report's change history", "reports", response: "AuditList"))},
        "/api/v1/batches/{batch}/statuses":{"get":\(op("Status of the institutions in the caller's region, one page in code order (query: page from 1, size up to \(PageRequest.maxAPISize), region, status; total in the X-Total-Count header, the next page in Link)", "review", response: "StatusList", params: ["batch"]))}
        },
        "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},
        "responses":{"Error":{"description":"Refused; nothing changed","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}},
        "schemas":{
        "Error":{"type":"object","required":["error"],"properties":{"error":{"type":"object","required":["code","message"],"properties":{"code":{"type":"string","enum":[\(RefusalCode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"message":{"type":"string"},"messageEn":{"type":"string"}}}}},
        "Line":{"type":"object","required":["specCode","quantity"],"properties":{"specCode":{"type":"string"},"productCode":{"type":["string","null"]},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)}}},
        "Exclusion":{"type":"object","required":["specCode","quantity","reason"],"properties":{"specCode":{"type":"string"},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)},"reason":{"type":"string"}}},
        "Draft":{"type":"object","required":["lines","explanations","exclusions"],"properties":{"lines":{"type":"array","items":{"$ref":"#/components/schemas/Line"}},"explanations":{"type":"object","additionalProperties":{"type":"string"}},"exclusions":{"type":"object","additionalProperties":{"$ref":"#/components/schemas/Exclusion"}}}},
        "Letter":{"type":"object","required":["fileName","contentBase64","signerName","signerTitle"],"properties":{"fileName":{"type":"string"},"contentBase64":{"type":"string"},"signerName":{"type":"string"},"signerTitle":{"type":"string","enum":["院长","党委书记"]}}},
        "Evidence":{"type":"object","required":["unit","fileName","contentBase64"],"properties":{"unit":{"type":"string"},"fileName":{"type":"string"},"contentBase64":{"type":"string"}}},
        "Correction":{"type":"object","required":["specCode","quantity","reason"],"properties":{"specCode":{"type":"string"},"productCode":{"type":["string","null"]},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)},"reason":{"type":"string"}}},
        "Lock":{"type":"object","required":["locked"],"properties":{"locked":{"type":"boolean"}}},
        "Review":{"type":"object","required":["action"],"properties":{"action":{"type":"string","enum":["cityApprove","cityReturn","provinceApprove","provinceReturn"]},"reason":{"type":"string"}}},
        "Finding":{"type":"object","properties":{"code":{"type":"string"},"severity":{"type":"string","enum":["blocking","review","info"]},"unitKey":{"type":["string","null"]},"numbers":{"type":"object","additionalProperties":{"type":"string"}},"message":{"type":"object","properties":{"zh":{"type":"string"},"en":{"type":"string"}}},"clause":{"type":"string"},"explanation":{"type":["string","null"]}}},
        "Report":{"type":"object","properties":{"batch":{"type":"string"},"institution":{"type":"string"},"institutionName":{"type":"string"},"status":{"type":"string","enum":["none","draft","submitted","returned","cityApproved","provinceApproved"]},"phase":{"type":"string"},"canEdit":{"type":"boolean"},"lines":{"type":"array","items":{"$ref":"#/components/schemas/Line"}},"explanations":{"type":"object","additionalProperties":{"type":"string"}},"exclusions":{"type":"object"},"letter":{"type":["object","null"]},"returnReason":{"type":["string","null"]},"findings":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},"history":{"type":"object","additionalProperties":{"type":"integer"}}}},
        "FindingList":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},
        "Me":{"type":"object","properties":{"username":{"type":"string"},"displayName":{"type":"string"},"role":{"type":"string"},"organisationCode":{"type":["string","null"]},"regionCode":{"type":["string","null"]},"csrf":{"type":["string","null"]}}},
        "Token":{"type":"object","properties":{"token":{"type":"string"},"label":{"type":"string"},"expiresAt":{"type":"string","format":"date-time"}}},
        "TokenRequest":{"type":"object","properties":{"label":{"type":"string","maxLength":\(InputLimits.maxTokenLabelCharacters)},"days":{"type":"integer","minimum":1,"maximum":\(InputLimits.maxTokenLifetimeDays)}}},
        "TokenList":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"label":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},"expiresAt":{"type":["string","null"],"format":"date-time"},"lastUsedAt":{"type":["string","null"],"format":"date-time"}}}},
        "Empty":{"type":"object"},
        "AuditList":{"type":"array","items":{"type":"object","properties":{"at":{"type":"string"},"actor":{"type":"string"},"action":{"type":"string"},"summary":{"type":"string"},"detail":{"type":["string","null"]},"ip":{"type":["string","null"]}}}},
        "StatusList":{"type":"array","items":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"},"regionCode":{"type":"string"},"status":{"type":"string"},"specsWithHistory":{"type":"integer"},"blocking":{"type":"integer"}}}}
        }}}
        """
    }()
}
