import Foundation
import JicaiCore
import JicaiServices
import Vapor

// The bodies of demand reporting (报) over `/api/v1`.

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

struct LetterDTO: Content {
    var fileName: String
    var contentBase64: String
    var signerName: String
    var signerTitle: String
}

struct ReviewDTO: Content {
    var action: String
    var reason: String?
}

struct EvidenceDTO: Content {
    var unit: String
    var fileName: String
    var contentBase64: String
}

struct CorrectionDTO: Content {
    var specCode: String
    var productCode: String?
    var quantity: Int64
    var reason: String
}

struct LockDTO: Content { var locked: Bool }

struct StatusRowDTO: Content {
    var code: String
    var name: String
    var regionCode: String
    var status: String
    var specsWithHistory: Int64
    var blocking: Int64
}

extension DemandLine: Content {}

extension SpecialNeedsExclusion: Content {}

extension Finding: Content {}

struct AuditEntryDTO: Content {
    var at: Date
    var actor: String
    var action: String
    var summary: String
    var detail: String?
    var ip: String?
    init(_ entry: AuditEntry) {
        (at, actor, action, summary, detail, ip) = (entry.at, entry.actor, entry.action, entry.summary, entry.detail, entry.ip)
    }
}
