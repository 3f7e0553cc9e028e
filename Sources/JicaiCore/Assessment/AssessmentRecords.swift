import Foundation

/// Where a year's assessment stands: published to the institutions (open to appeals and to a rerun), then approved by
/// the province (final: the retention payment list is drawn from it).
public enum AssessmentRunStatus: String, Sendable, Hashable, Codable {
    case published, approved

    public var label: LocalizedText {
        switch self {
        case .published: LocalizedText(zh: "已发布（申诉期）", en: "published (open to appeals)")
        case .approved: LocalizedText(zh: "已审定", en: "approved")
        }
    }
}

/// An appeal's life: filed by the institution, reviewed by its city (an opinion), decided by the province.
public enum AppealStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case filed, reviewed, upheld, rejected

    public var label: LocalizedText {
        switch self {
        case .filed: LocalizedText(zh: "待市级审核", en: "awaiting the city")
        case .reviewed: LocalizedText(zh: "待省级决定", en: "awaiting the province")
        case .upheld: LocalizedText(zh: "申诉成立", en: "upheld")
        case .rejected: LocalizedText(zh: "申诉不成立", en: "rejected")
        }
    }

    public var decided: Bool { self == .upheld || self == .rejected }
}

/// A year's run as stored.
public struct AssessmentRunRecord: Sendable, Hashable {
    public var yearStart: CivilDate
    public var yearEnd: CivilDate
    public var status: AssessmentRunStatus
    public var publishedOn: CivilDate
    public var computedBy: String
    public var computedAt: Date
    public var institutions: Int64
    public var items: Int64
    public var failedItems: Int64
    public var retainedFen: Int64
    public var approvedBy: String?
    public var approvedAt: Date?

    public init(
        yearStart: CivilDate, yearEnd: CivilDate, status: AssessmentRunStatus, publishedOn: CivilDate, computedBy: String, computedAt: Date,
        institutions: Int64, items: Int64, failedItems: Int64, retainedFen: Int64, approvedBy: String? = nil, approvedAt: Date? = nil
    ) {
        self.yearStart = yearStart
        self.yearEnd = yearEnd
        self.status = status
        self.publishedOn = publishedOn
        self.computedBy = computedBy
        self.computedAt = computedAt
        self.institutions = institutions
        self.items = items
        self.failedItems = failedItems
        self.retainedFen = retainedFen
        self.approvedBy = approvedBy
        self.approvedAt = approvedAt
    }
}

/// An institution's result as stored and listed.
public struct ScoreRecord: Sendable, Hashable {
    public var institutionID: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var parts: ScoreParts
    public var score: Score
    public var items: Int64
    public var failedItems: Int64
    public var retainedFen: Int64
    public var diseaseGroup: Bool

    public init(
        institutionID: Int64, institutionCode: String, institutionName: String, regionCode: String, parts: ScoreParts, score: Score, items: Int64,
        failedItems: Int64, retainedFen: Int64, diseaseGroup: Bool
    ) {
        self.institutionID = institutionID
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.parts = parts
        self.score = score
        self.items = items
        self.failedItems = failedItems
        self.retainedFen = retainedFen
        self.diseaseGroup = diseaseGroup
    }
}

/// An item's result as stored: its figures, results, retention steps and reasons (the calculation sheet's row).
public struct ItemRecord: Sendable, Hashable {
    public var unitKey: String
    public var agreedContent: Int64
    public var tally: Tally
    public var uncoveredDays: Int64
    /// nil: completion not assessed.
    public var completionPassed: Bool?
    public var sharePassed: Bool
    public var passed: Bool
    public var price: PreAwardPrice?
    public var baseContent: Int64
    public var savingsFen: Int64
    public var retainedFen: Int64
    public var reasons: [LocalizedText]

    public init(
        unitKey: String, agreedContent: Int64, tally: Tally, uncoveredDays: Int64, completionPassed: Bool?, sharePassed: Bool, passed: Bool,
        price: PreAwardPrice?, baseContent: Int64, savingsFen: Int64, retainedFen: Int64, reasons: [LocalizedText]
    ) {
        self.unitKey = unitKey
        self.agreedContent = agreedContent
        self.tally = tally
        self.uncoveredDays = uncoveredDays
        self.completionPassed = completionPassed
        self.sharePassed = sharePassed
        self.passed = passed
        self.price = price
        self.baseContent = baseContent
        self.savingsFen = savingsFen
        self.retainedFen = retainedFen
        self.reasons = reasons
    }

    /// The row of an assessed item.
    public init(_ a: AssessedItem) {
        var reasons = a.result.reasons
        if let basis = a.price?.basis {
            reasons.append(
                LocalizedText(zh: "采购前价格采用省级核定价（依据：\(basis)）", en: "pre-award price set by the province (basis: \(basis))"))
        }
        if let none = a.retention.none { reasons.append(none) }
        self.init(
            unitKey: a.item.unitKey, agreedContent: a.item.agreedContent, tally: a.item.tally, uncoveredDays: Int64(a.result.uncoveredDays),
            completionPassed: a.result.completionPassed, sharePassed: a.result.sharePassed, passed: a.result.passed, price: a.price,
            baseContent: a.retention.baseContent, savingsFen: a.retention.savingsFen, retainedFen: a.retention.retainedFen, reasons: reasons)
    }
}

/// An appeal as stored.
public struct AppealRecord: Sendable, Hashable {
    public var id: Int64
    public var yearStart: CivilDate
    public var institutionID: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var unitKey: String
    public var reason: String
    public var evidence: String
    public var status: AppealStatus
    public var filedBy: String
    public var filedAt: Date
    public var opinion: String?
    public var reviewedBy: String?
    public var decision: String?
    public var decidedBy: String?

    public init(
        id: Int64, yearStart: CivilDate, institutionID: Int64, institutionCode: String, institutionName: String, regionCode: String, unitKey: String,
        reason: String, evidence: String, status: AppealStatus, filedBy: String, filedAt: Date, opinion: String? = nil, reviewedBy: String? = nil,
        decision: String? = nil, decidedBy: String? = nil
    ) {
        self.id = id
        self.yearStart = yearStart
        self.institutionID = institutionID
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.unitKey = unitKey
        self.reason = reason
        self.evidence = evidence
        self.status = status
        self.filedBy = filedBy
        self.filedAt = filedAt
        self.opinion = opinion
        self.reviewedBy = reviewedBy
        self.decision = decision
        self.decidedBy = decidedBy
    }
}

/// A city's line of the province's assessment report.
public struct CityAssessment: Sendable, Hashable {
    public init(cityCode: String, institutions: Int64, scoreSum: Int64, grades: [Int64], items: Int64, failedItems: Int64, retainedFen: Int64) {
        self.cityCode = cityCode
        self.institutions = institutions
        self.scoreSum = scoreSum
        self.grades = grades
        self.items = items
        self.failedItems = failedItems
        self.retainedFen = retainedFen
    }

    public var cityCode: String
    public var institutions: Int64
    public var scoreSum: Int64
    /// Institutions graded A, B, C, D.
    public var grades: [Int64]
    public var items: Int64
    public var failedItems: Int64
    public var retainedFen: Int64

    /// The average score in hundredths, rounded half up.
    public var averageHundredths: Int64 {
        institutions > 0 ? Int64(clamping: Int128(scoreSum).dividedRoundingHalfUp(by: Int128(institutions))) : 0
    }
}

/// A supervision lead as stored, with its case.
public struct LeadRecord: Sendable, Hashable {
    public var id: Int64
    public var yearStart: CivilDate
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var unitKey: String
    public var kind: LeadKind
    public var evidence: LocalizedText
    public var status: LeadStatus
    public var finding: String?
    public var updatedBy: String?

    public init(
        id: Int64, yearStart: CivilDate, institutionCode: String, institutionName: String, regionCode: String, unitKey: String, kind: LeadKind,
        evidence: LocalizedText, status: LeadStatus, finding: String?, updatedBy: String?
    ) {
        self.id = id
        self.yearStart = yearStart
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.unitKey = unitKey
        self.kind = kind
        self.evidence = evidence
        self.status = status
        self.finding = finding
        self.updatedBy = updatedBy
    }
}
