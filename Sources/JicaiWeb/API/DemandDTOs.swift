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

/// One unit's what-if on the demand form (an estimate; its assumptions in both languages).
struct WhatIfDTO: Content {
    struct GradeRange: Content {
        var grade: String
        var lowFen: Int64
        var highFen: Int64
    }

    var unit: String
    var winners: Int
    var winnersKnown: Bool
    var ratio: String
    var reportedContent: Int64
    var agreedContent: Int64
    var displaySpec: String
    var agreedQuantity: Int64
    var monthlyQuantity: Int64
    var retention: [GradeRange]
    var assumptions: [String]
    var assumptionsEn: [String]

    init(_ w: DemandWhatIf) {
        unit = w.unitKey
        winners = w.winners
        winnersKnown = w.winnersKnown
        ratio = w.ratio.description
        reportedContent = w.reportedContent
        agreedContent = w.agreedContent
        displaySpec = w.displaySpecCode
        agreedQuantity = w.agreedQuantity
        monthlyQuantity = w.monthlyQuantity
        retention = Grade.allCases.compactMap { grade in w.range(grade).map { GradeRange(grade: grade.rawValue, lowFen: $0.low, highFen: $0.high) } }
        assumptions = w.assumptions.map(\.zh)
        assumptionsEn = w.assumptions.map(\.en)
    }
}
