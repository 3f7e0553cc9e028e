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
