import Foundation

/// The columns the reviewers' list sorts by.
public enum ReviewColumn: String, Sendable, Hashable, CaseIterable {
    case code, name, region, status, specs, lines, blocking, review, capacity, amount
}

/// What the reviewers' list shows: the organisations of a region, narrowed by status, finding and text.
public struct ReviewFilter: Sendable, Hashable {
    public var regionPrefix: String
    /// A `ReportStatus` raw value, or "none" for organisations without a report.
    public var status: String?
    /// Only organisations with a stored finding of this code.
    public var findingCode: String?
    /// Part of the code or the name.
    public var text: String?
    /// Only those with history and no submitted report that their community's lead does not cover
    /// (`MedicalCommunity.notReported`, the same rule in SQL).
    public var notReportedOnly: Bool

    public init(regionPrefix: String, status: String? = nil, findingCode: String? = nil, text: String? = nil, notReportedOnly: Bool = false) {
        self.regionPrefix = regionPrefix
        self.status = status?.isEmpty == true ? nil : status
        self.findingCode = findingCode?.isEmpty == true ? nil : findingCode
        self.text = text.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        self.notReportedOnly = notReportedOnly
    }
}

/// One row of the reviewers' list.
public struct ReviewRow: Sendable, Hashable {
    public var summary: InstitutionSummary
    public var capacityFlags: Int64

    public init(summary: InstitutionSummary, capacityFlags: Int64) {
        self.summary = summary
        self.capacityFlags = capacityFlags
    }
}

/// One reporting organisation's position in a batch: its report status, what it has and reported, its findings.
public struct InstitutionSummary: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var kind: String
    public var category: String?
    public var ownership: String?
    public var regionCode: String
    public var status: String?
    public var specsWithHistory: Int64
    public var historyAmountFen: Int64
    public var lines: Int64
    public var blocking: Int64
    public var review: Int64
    public var info: Int64

    public init(
        code: String, name: String, kind: String, category: String? = nil, ownership: String? = nil, regionCode: String, status: String? = nil,
        specsWithHistory: Int64, historyAmountFen: Int64, lines: Int64, blocking: Int64, review: Int64, info: Int64
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.category = category
        self.ownership = ownership
        self.regionCode = regionCode
        self.status = status
        self.specsWithHistory = specsWithHistory
        self.historyAmountFen = historyAmountFen
        self.lines = lines
        self.blocking = blocking
        self.review = review
        self.info = info
    }
}
