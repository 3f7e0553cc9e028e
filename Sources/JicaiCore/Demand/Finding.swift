import Foundation

/// Stable codes of everything the demand checks can find (docs/rules.md lists each with its clause).
public enum FindingCode: String, Sendable, Codable, CaseIterable {
    case belowFloor = "BELOW_FLOOR"
    case risingBelowTarget = "RISING_BELOW_TARGET"
    case reducedFloor = "REDUCED_FLOOR"
    case capacityMismatch = "CAPACITY_MISMATCH"
    case newDemand = "NEW_DEMAND"
    case notReported = "NOT_REPORTED"
    case missingCommitmentLetter = "MISSING_COMMITMENT_LETTER"
    case notPassedSpec = "NOT_PASSED_SPEC"
    case brandSpecMismatch = "BRAND_SPEC_MISMATCH"
    case exclusionExceedsHistory = "EXCLUSION_EXCEEDS_HISTORY"
    case unknownSpec = "UNKNOWN_SPEC"
}

public enum FindingSeverity: String, Sendable, Codable, Comparable {
    /// Blocks submission until resolved (an explanation, a letter, a corrected line).
    case blocking
    /// Shown to the reviewer; does not block.
    case review
    /// Informational.
    case info

    var rank: Int {
        switch self {
        case .blocking: 0
        case .review: 1
        case .info: 2
        }
    }

    public static func < (a: FindingSeverity, b: FindingSeverity) -> Bool { a.rank < b.rank }

    public var label: LocalizedText {
        switch self {
        case .blocking: LocalizedText(zh: "需处理（阻止提交）", en: "blocking (must be resolved)")
        case .review: LocalizedText(zh: "待审核", en: "for review")
        case .info: LocalizedText(zh: "提示", en: "information")
        }
    }
}

/// One result of a rule: a stable code, a severity, the numbers it used and a message in both languages citing the
/// policy clause, so a reviewer can see why.
public struct Finding: Sendable, Hashable, Codable {
    public var code: FindingCode
    public var severity: FindingSeverity
    public var institutionCode: String
    /// The check unit, or nil for institution-level findings (letter, not reported).
    public var unitKey: String?
    /// The numbers used, as display text: history, reported, threshold, ratio, display unit.
    public var numbers: [String: String]
    public var message: LocalizedText
    /// The policy clauses, e.g. "000 §3(二); 002 §3(三)".
    public var clause: String
    /// For findings that need an explanation: the institution's explanation, once given.
    public var explanation: String?

    public init(
        code: FindingCode, severity: FindingSeverity, institutionCode: String, unitKey: String?,
        numbers: [String: String], message: LocalizedText, clause: String, explanation: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.institutionCode = institutionCode
        self.unitKey = unitKey
        self.numbers = numbers
        self.message = message
        self.clause = clause
        self.explanation = explanation
    }

    public var blocksSubmission: Bool { severity == .blocking }
}
