import Foundation

/// The kinds of supply problem an institution or a city reports on the platform (004 §8, 001 §2(四)).
public enum SupplyProblemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case insufficientSupply, lateDelivery, selectiveDelivery, refusalAfterAgreedVolume, unsuitablePackaging, illegibleBatchNumber, other

    public var label: LocalizedText {
        switch self {
        case .insufficientSupply: LocalizedText(zh: "供应不足", en: "insufficient supply")
        case .lateDelivery: LocalizedText(zh: "配送不及时", en: "late delivery")
        case .selectiveDelivery: LocalizedText(zh: "选择性配送", en: "selective delivery")
        case .refusalAfterAgreedVolume: LocalizedText(zh: "完成约定采购量后拒绝供应", en: "refusal after the agreed volume is met")
        case .unsuitablePackaging: LocalizedText(zh: "规格包装不适宜", en: "unsuitable specs or packaging")
        case .illegibleBatchNumber: LocalizedText(zh: "批号不清晰", en: "illegible batch numbers")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }
}

/// The clock of a supply-problem ticket: the firms answer, and the city verifies, within a number of days counted as
/// calendar days unless the policy counts working days (Monday to Friday; the platform keeps no holiday calendar, a
/// design choice the province may revisit).
public enum TicketClock {
    /// Monday = 0 … Sunday = 6.
    public static func weekday(_ day: CivilDate) -> Int {
        // 2026-12-07 was a Monday.
        let monday = CivilDate.dayNumber(2026, 12, 7)
        return ((day.dayNumber - monday) % 7 + 7) % 7
    }

    /// The last day to act on a ticket filed on `filed`: `days` later in calendar days, or the `days`-th working day
    /// after the filing day. Nil past the platform's date range; `days` below 1 counts as 1.
    public static func deadline(filed: CivilDate, days: Int, workingDays: Bool) -> CivilDate? {
        let count = max(1, days)
        guard workingDays else { return filed.adding(days: count) }
        var day = filed
        var left = count
        while left > 0 {
            guard let next = day.adding(days: 1) else { return nil }
            day = next
            if weekday(day) < 5 { left -= 1 }
        }
        return day
    }

    /// Whether a ticket's deadline has passed on `day` (escalation to the next level is due).
    public static func isOverdue(deadline: CivilDate, on day: CivilDate) -> Bool { deadline < day }
}

/// Where a supply-problem ticket stands (004 §8, 001 §2(四)).
public enum TicketStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Filed; the firms on it have not all answered.
    case open
    /// Every firm on it has answered; the city is to verify.
    case answered
    /// The city (or the province) found the problem real: it is recorded with its period and area and counts in
    /// monitoring and assessment (004 §7), and the firms' credit records gain an entry.
    case verified
    /// Found not to be a supply problem.
    case dismissed

    public var label: LocalizedText {
        switch self {
        case .open: LocalizedText(zh: "待企业答复", en: "awaiting the firms' answers")
        case .answered: LocalizedText(zh: "待核实", en: "awaiting verification")
        case .verified: LocalizedText(zh: "已认定", en: "verified")
        case .dismissed: LocalizedText(zh: "不予认定", en: "dismissed")
        }
    }

    public var isClosed: Bool { self == .verified || self == .dismissed }
}

/// The rules of a ticket's life: its two deadlines, who answers, when it goes up to the province.
public enum TicketRules {
    /// The firms answer within `answerDays` of filing; the city verifies within `verifyDays` after that deadline
    /// (both calendar days unless the policy counts working days). Nil past the platform's date range.
    public static func deadlines(filed: CivilDate, policy: SupplyPolicy) -> (answer: CivilDate, verify: CivilDate)? {
        guard let answer = TicketClock.deadline(filed: filed, days: policy.ticketAnswerDays, workingDays: policy.ticketWorkingDays),
            let verify = TicketClock.deadline(filed: answer, days: policy.ticketVerifyDays, workingDays: policy.ticketWorkingDays)
        else { return nil }
        return (answer, verify)
    }

    /// A ticket goes up to the province when a deadline passes with its step not done: the firms' answers (open
    /// after the answer deadline) or the city's verification (not closed after the verification deadline).
    public static func isEscalated(status: TicketStatus, answerDue: CivilDate, verifyDue: CivilDate, on day: CivilDate) -> Bool {
        switch status {
        case .open: TicketClock.isOverdue(deadline: answerDue, on: day)
        case .answered: TicketClock.isOverdue(deadline: verifyDue, on: day)
        case .verified, .dismissed: false
        }
    }

    /// Whether the city may decide now: once every firm answered, or the answer deadline passed without them.
    public static func mayDecide(status: TicketStatus, answerDue: CivilDate, on day: CivilDate) -> Bool {
        status == .answered || (status == .open && TicketClock.isOverdue(deadline: answerDue, on: day))
    }

    /// The longest period a ticket may cover (design: two years, an agreement cycle's usual length).
    public static let maxPeriodMonths = 24

    /// A ticket's months: in order, at most `maxPeriodMonths` of them.
    public static func checkPeriod(from: MonthKey, through: MonthKey) -> Refusal? {
        guard from <= through, from.distance(to: through) < maxPeriodMonths else {
            return Refusal(
                .badPeriod, zh: "月份应先后有序，且不超过\(maxPeriodMonths)个月", en: "the months must be in order and span at most \(maxPeriodMonths)")
        }
        return nil
    }

    /// The status after one firm's answer: answered once the manufacturer and, when one is named, the distributor have.
    public static func afterAnswer(manufacturerAnswered: Bool, distributorAnswered: Bool, hasDistributor: Bool) -> TicketStatus {
        manufacturerAnswered && (distributorAnswered || !hasDistributor) ? .answered : .open
    }
}
