import Foundation

/// The actions on a demand report.
public enum ReportAction: String, Sendable, Codable, CaseIterable {
    case save, submit, cityApprove, cityReturn, cityCorrect, provinceApprove, provinceReturn

    /// Approve or return, by a city or the province (a correction is not a review decision).
    public var isReview: Bool { self == .cityApprove || self == .cityReturn || self == .provinceApprove || self == .provinceReturn }

    public var label: LocalizedText {
        switch self {
        case .save: LocalizedText(zh: "保存草稿", en: "save draft")
        case .submit: LocalizedText(zh: "提交", en: "submit")
        case .cityApprove: LocalizedText(zh: "市级审核通过", en: "city approval")
        case .cityReturn: LocalizedText(zh: "市级退回修改", en: "city return for correction")
        case .cityCorrect: LocalizedText(zh: "市级更正数据", en: "city data correction")
        case .provinceApprove: LocalizedText(zh: "省级审核通过", en: "province approval")
        case .provinceReturn: LocalizedText(zh: "省级退回修改", en: "province return for correction")
        }
    }
}

/// When each action on a report is allowed (000 §4, §5(五); 002 §3(三), §4): filling only inside the window and
/// "no late data" after it; a returned report may be fixed and resubmitted after the window until the review
/// deadline; reviewers act until the review deadline; a locked batch changes no more.
public enum ReportWorkflow {
    public typealias Refusal = JicaiCore.Refusal

    /// The status after `action`, or why it is refused. `status` is nil when the institution has no report yet.
    public static func apply(
        _ action: ReportAction, to status: ReportStatus?, window: ReportingWindow, locked: Bool,
        at now: Date
    ) -> Result<ReportStatus, Refusal> {
        if locked {
            return .failure(Refusal(.batchLocked, message: LocalizedText(zh: "本批次已锁定，不能再修改", en: "the batch is locked")))
        }
        let phase = window.phase(at: now)
        let current = status ?? .draft
        switch action {
        case .save, .submit:
            guard [.draft, .returned].contains(current) else {
                return .failure(
                    Refusal(
                        .reportNotEditable,
                        message: LocalizedText(zh: "报量已提交（\(current.label.zh)），不能修改", en: "the report is \(current.label.en) and cannot be changed")))
            }
            if phase == .accountTest || phase == .notOpen {
                return .failure(
                    Refusal(
                        .windowNotOpen,
                        message: LocalizedText(
                            zh: "填报尚未开始（\(ReportingWindow.shanghaiText(window.fillingOpens))开始）",
                            en: "filling opens at \(ReportingWindow.shanghaiText(window.fillingOpens)) (Beijing time)")))
            }
            // A returned report may be corrected until the review deadline (002 §3(三)); otherwise no late data (000 §4).
            let open = phase == .open || (current == .returned && phase == .review)
            guard open else {
                return .failure(
                    Refusal(
                        .windowClosed,
                        message: LocalizedText(
                            zh: "填报已于\(ReportingWindow.shanghaiText(window.fillingCloses))截止，不再接受数据补报",
                            en: "filling closed at \(ReportingWindow.shanghaiText(window.fillingCloses)) (Beijing time); no late data is accepted")))
            }
            return .success(action == .save ? current : .submitted)
        case .cityApprove, .cityReturn, .cityCorrect, .provinceApprove, .provinceReturn:
            guard phase == .open || phase == .review else {
                let before = phase == .accountTest || phase == .notOpen
                return .failure(
                    Refusal(
                        before ? .windowNotOpen : .reviewClosed,
                        message: before
                            ? LocalizedText(zh: "填报尚未开始", en: "filling has not opened yet")
                            : LocalizedText(
                                zh: "审核已于\(ReportingWindow.shanghaiText(window.reviewDeadline))截止",
                                en: "review closed at \(ReportingWindow.shanghaiText(window.reviewDeadline)) (Beijing time)")))
            }
            let allowed: [ReportStatus]
            let next: ReportStatus
            switch action {
            case .cityApprove: (allowed, next) = ([.submitted], .cityApproved)
            case .cityReturn: (allowed, next) = ([.submitted, .cityApproved], .returned)
            case .cityCorrect: (allowed, next) = ([.submitted], .submitted)
            case .provinceApprove: (allowed, next) = ([.cityApproved], .provinceApproved)
            default: (allowed, next) = ([.submitted, .cityApproved, .provinceApproved], .returned)
            }
            guard allowed.contains(current), status != nil else {
                return .failure(
                    Refusal(
                        .wrongStatus,
                        message: LocalizedText(
                            zh: "报量状态为“\(status?.label.zh ?? "未填报")”，不能\(action.label.zh)",
                            en: "the report is \(status?.label.en ?? "not started"); \(action.label.en) is not possible")))
            }
            return .success(next)
        }
    }
}
