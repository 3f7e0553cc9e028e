import Foundation

/// The automatic alerts of the monitoring stage (004 §6, docs/rules.md "The measures").
public enum AlertCode: String, Sendable, Hashable, Codable, CaseIterable {
    case behindSchedule = "BEHIND_SCHEDULE"
    case nonWinningShareHigh = "NON_WINNING_SHARE_HIGH"
    case notEntered = "NOT_ENTERED"
    case undelivered = "UNDELIVERED"
    /// Platform orders the distributor has not confirmed within the supply policy's days (`SupplyAlerts`).
    case unconfirmed = "UNCONFIRMED"
    /// Accepted deliveries not paid in full by their due date (`SupplyAlerts`).
    case paymentOverdue = "PAYMENT_OVERDUE"

    public var label: LocalizedText {
        switch self {
        case .behindSchedule: LocalizedText(zh: "采购进度低于序时进度", en: "behind the time-proportional schedule")
        case .nonWinningShareHigh: LocalizedText(zh: "非中选产品采购占比偏高", en: "non-winning share too high")
        case .notEntered: LocalizedText(zh: "中选产品未进院", en: "winning product not entered")
        case .undelivered: LocalizedText(zh: "订单超时未配送", en: "orders not delivered in time")
        case .unconfirmed: LocalizedText(zh: "订单超时未确认", en: "orders not confirmed in time")
        case .paymentOverdue: LocalizedText(zh: "货款逾期未结清", en: "payments overdue")
        }
    }

    /// The clause the alert implements, by notice key.
    public var clause: String {
        switch self {
        case .behindSchedule: "004 §6"
        case .nonWinningShareHigh: "004 §6, 001 §2(七)"
        case .notEntered: "004 §1"
        case .undelivered: "004 §6, §8"
        case .unconfirmed: "004 §8"
        case .paymentOverdue: "003 §8(一)"
        }
    }
}

public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case normal, severe

    public var label: LocalizedText {
        self == .severe ? LocalizedText(zh: "严重", en: "severe") : LocalizedText(zh: "一般", en: "normal")
    }
}

/// An alert's life: open → acknowledged (with a note) → resolved (automatically when the numbers recover, or by hand
/// with a reason).
public enum AlertStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, acknowledged, resolved

    public var label: LocalizedText {
        switch self {
        case .open: LocalizedText(zh: "待处理", en: "open")
        case .acknowledged: LocalizedText(zh: "已知悉", en: "acknowledged")
        case .resolved: LocalizedText(zh: "已解除", en: "resolved")
        }
    }

    public var isLive: Bool { self != .resolved }
}

/// What identifies one alert across re-runs: a rule, an institution, a unit and the agreement year.
public struct AlertKey: Sendable, Hashable, Codable, Comparable {
    public var code: AlertCode
    public var institutionCode: String
    public var unitKey: String
    public var yearStart: CivilDate

    public init(code: AlertCode, institutionCode: String, unitKey: String, yearStart: CivilDate) {
        self.code = code
        self.institutionCode = institutionCode
        self.unitKey = unitKey
        self.yearStart = yearStart
    }

    public static func < (a: AlertKey, b: AlertKey) -> Bool {
        (a.institutionCode, a.unitKey, a.code.rawValue, a.yearStart) < (b.institutionCode, b.unitKey, b.code.rawValue, b.yearStart)
    }
}

/// One number an alert was raised on, named.
public struct AlertFigure: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// An alert the rules find as of a day: its key, severity, the numbers and a message that cites the clause.
public struct AlertFinding: Sendable, Hashable, Codable {
    public var key: AlertKey
    public var severity: AlertSeverity
    public var figures: [AlertFigure]
    public var message: LocalizedText

    public init(key: AlertKey, severity: AlertSeverity, figures: [AlertFigure], message: LocalizedText) {
        self.key = key
        self.severity = severity
        self.figures = figures
        self.message = message
    }
}

/// Where one institution stands on one unit in an agreement year as of a day: what the alerts are evaluated on.
public struct UnitPosition: Sendable, Hashable {
    public var institutionCode: String
    public var unit: CheckUnit
    public var year: AgreementYear
    /// Agreed content of the year (the agreements' quantities × content) and its amount at the winning prices.
    public var agreedContent: Int64
    public var agreedAmountFen: Int64
    /// Purchases accepted in the year up to the day.
    public var tally: Tally
    /// Any winning purchase accepted since the execution start (hospital entry, 004 §1).
    public var entered: Bool
    /// Orders placed more than the policy's delivery days ago that have no delivery yet.
    public var overdueOrders: Int
    public var overdueContent: Int64

    public init(
        institutionCode: String, unit: CheckUnit, year: AgreementYear, agreedContent: Int64, agreedAmountFen: Int64, tally: Tally,
        entered: Bool, overdueOrders: Int = 0, overdueContent: Int64 = 0
    ) {
        self.institutionCode = institutionCode
        self.unit = unit
        self.year = year
        self.agreedContent = agreedContent
        self.agreedAmountFen = agreedAmountFen
        self.tally = tally
        self.entered = entered
        self.overdueOrders = overdueOrders
        self.overdueContent = overdueContent
    }

    public var completion: Fraction? { Measures.completion(winningContent: Int128(tally.winningContent), agreedContent: Int128(agreedContent)) }
}

public enum MonitorAlerts {
    /// The alerts a position raises as of `day` (docs/rules.md "The measures"; undelivered orders, 004 §6).
    public static func evaluate(_ p: UnitPosition, on day: CivilDate, executionStart: CivilDate, policy: MonitorPolicy) -> [AlertFinding] {
        func key(_ code: AlertCode) -> AlertKey {
            AlertKey(code: code, institutionCode: p.institutionCode, unitKey: p.unit.key, yearStart: p.year.start)
        }
        var out: [AlertFinding] = []
        let schedule = Measures.schedule(p.year, on: day)
        // The severe threshold as the batch sets it (80% by default), for the message.
        let severe = Fraction(Int128(policy.severeFraction.numerator), Int128(policy.severeFraction.denominator)).percentText
        if let completion = p.completion, let lag = Measures.lag(completion: completion, schedule: schedule, policy: policy) {
            out.append(
                AlertFinding(
                    key: key(.behindSchedule), severity: lag == .severe ? .severe : .normal,
                    figures: [
                        AlertFigure("completion", completion.percentText), AlertFigure("schedule", schedule.percentText),
                        AlertFigure("agreedContent", "\(p.agreedContent)"), AlertFigure("winningContent", "\(p.tally.winningContent)"),
                    ],
                    message: LocalizedText(
                        zh: "中选产品采购进度\(completion.percentText)低于序时进度\(schedule.percentText)\(lag == .severe ? "（低于序时进度的\(severe)）" : "")（004 §6）",
                        en:
                            "winning purchases at \(completion.percentText) are behind the schedule of \(schedule.percentText)\(lag == .severe ? " (below \(severe) of it)" : "") (004 §6)"
                    )))
        }
        if let share = p.tally.nonWinningShare, Measures.nonWinningHigh(share, policy: policy) {
            let cap = Fraction(Int128(policy.nonWinningCap.numerator), Int128(policy.nonWinningCap.denominator)).percentText
            out.append(
                AlertFinding(
                    key: key(.nonWinningShareHigh), severity: .normal,
                    figures: [
                        AlertFigure("share", share.percentText), AlertFigure("cap", cap),
                        AlertFigure("nonWinningContent", "\(p.tally.nonWinningContent)"), AlertFigure("winningContent", "\(p.tally.winningContent)"),
                    ],
                    message: LocalizedText(
                        zh: "非中选产品采购量占比\(share.percentText)，超过上限\(cap)（004 §6，001 §2(七)）",
                        en: "non-winning share \(share.percentText) is above the cap of \(cap) (004 §6, 001 §2(七))")))
        }
        if p.agreedContent > 0, !p.entered, let entryFrom = Measures.entryCheckFrom(executionStart: executionStart), entryFrom <= day {
            out.append(
                AlertFinding(
                    key: key(.notEntered), severity: .severe,
                    figures: [AlertFigure("checkFrom", entryFrom.description), AlertFigure("agreedContent", "\(p.agreedContent)")],
                    message: LocalizedText(
                        zh: "有约定采购量但自\(entryFrom)起仍无中选产品采购，中选产品未进院（004 §1）",
                        en: "agreed volume but no winning purchase as of \(entryFrom): the winning product has not entered (004 §1)")))
        }
        if p.overdueOrders > 0 {
            out.append(
                AlertFinding(
                    key: key(.undelivered), severity: .normal,
                    figures: [
                        AlertFigure("orders", "\(p.overdueOrders)"), AlertFigure("content", "\(p.overdueContent)"),
                        AlertFigure("days", "\(policy.deliveryDays)"),
                    ],
                    message: LocalizedText(
                        zh: "\(p.overdueOrders)笔订单超过\(policy.deliveryDays)天未配送（004 §6、§8）",
                        en: "\(p.overdueOrders) orders not delivered within \(policy.deliveryDays) days (004 §6, §8)")))
        }
        return out
    }
}

/// An alert as stored, as far as reconciling needs it.
public struct ExistingAlert: Sendable, Hashable {
    public var id: Int64
    public var key: AlertKey
    public var status: AlertStatus
    /// Resolved by a person with a reason (not by the numbers recovering).
    public var resolvedByHand: Bool
    /// The stored severity and numbers: a live alert found again with the same ones is left as it is.
    public var severity: AlertSeverity?
    public var figures: [AlertFigure]?

    public init(
        id: Int64, key: AlertKey, status: AlertStatus, resolvedByHand: Bool, severity: AlertSeverity? = nil, figures: [AlertFigure]? = nil
    ) {
        self.id = id
        self.key = key
        self.status = status
        self.resolvedByHand = resolvedByHand
        self.severity = severity
        self.figures = figures
    }
}

/// What a run changes in the stored alerts.
public struct AlertPlan: Sendable, Hashable {
    /// New alerts.
    public var raise: [AlertFinding] = []
    /// Live alerts found again: their numbers and severity are brought up to date; their status stays.
    public var refresh: [Int64: AlertFinding] = [:]
    /// Live alerts whose numbers have recovered: resolved automatically.
    public var resolve: [Int64] = []
    /// Alerts that resolved themselves and are found again: the same alert opens again (acknowledged again when it had
    /// been acknowledged), with its note and history, and its numbers brought up to date.
    public var reopen: [Int64: AlertFinding] = [:]

    public init() {}
}

public enum AlertReconciler {
    /// Compares a run's findings with the stored alerts of the institutions it evaluated. An alert is one record per
    /// key (rule, institution, unit, agreement year) for good: a live alert found again is refreshed, never
    /// duplicated; a live alert not found again resolves itself; one that resolved itself and is found again opens
    /// again as the same record (its note and history kept); an alert resolved by hand is not raised again in the
    /// same agreement year (the reason given stands). A new record is raised only for a key never met.
    public static func plan(existing: [ExistingAlert], found: [AlertFinding], evaluated: (String) -> Bool) -> AlertPlan {
        var plan = AlertPlan()
        var live: [AlertKey: ExistingAlert] = [:]
        var settledByHand = Set<AlertKey>()
        var resolvedItself: [AlertKey: Int64] = [:]
        for alert in existing {
            if alert.status.isLive {
                live[alert.key] = alert
            } else if alert.resolvedByHand {
                settledByHand.insert(alert.key)
            } else if alert.id > resolvedItself[alert.key] ?? Int64.min {
                resolvedItself[alert.key] = alert.id
            }
        }
        var seen = Set<AlertKey>()
        for finding in found where seen.insert(finding.key).inserted {
            if let stored = live[finding.key] {
                if stored.severity != finding.severity || stored.figures != finding.figures { plan.refresh[stored.id] = finding }
            } else if settledByHand.contains(finding.key) {
                continue
            } else if let id = resolvedItself[finding.key] {
                plan.reopen[id] = finding
            } else {
                plan.raise.append(finding)
            }
        }
        for (key, alert) in live where !seen.contains(key) && evaluated(key.institutionCode) { plan.resolve.append(alert.id) }
        plan.raise.sort { $0.key < $1.key }
        plan.resolve.sort()
        return plan
    }
}
