import Foundation

/// A stored alert with its life (docs/rules.md "Monitoring").
public struct StoredAlert: Sendable, Hashable, Codable {
    public var id: Int64
    public var key: AlertKey
    public var institutionName: String
    public var regionCode: String
    public var severity: AlertSeverity
    public var status: AlertStatus
    public var figures: [AlertFigure]
    public var message: LocalizedText
    public var raisedAt: Date
    public var updatedAt: Date
    public var acknowledgedBy: String?
    public var note: String?
    public var resolvedBy: String?
    public var resolvedAt: Date?
    /// "auto" (the numbers recovered) or "hand" (with a reason).
    public var resolution: String?
    public var reason: String?
    /// Each time the alert resolved itself or opened again, one line "time event" (an alert is one record per key).
    public var history: String?

    public init(
        id: Int64, key: AlertKey, institutionName: String, regionCode: String, severity: AlertSeverity, status: AlertStatus, figures: [AlertFigure],
        message: LocalizedText, raisedAt: Date, updatedAt: Date, acknowledgedBy: String? = nil, note: String? = nil, resolvedBy: String? = nil,
        resolvedAt: Date? = nil, resolution: String? = nil, reason: String? = nil, history: String? = nil
    ) {
        self.history = history
        self.id = id
        self.key = key
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.severity = severity
        self.status = status
        self.figures = figures
        self.message = message
        self.raisedAt = raisedAt
        self.updatedAt = updatedAt
        self.acknowledgedBy = acknowledgedBy
        self.note = note
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.resolution = resolution
        self.reason = reason
    }
}

/// One institution × unit as the last recompute left it (the current agreement year up to its as-of day).
public struct StoredPosition: Sendable, Hashable, Codable {
    public var institutionID: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var unitKey: String
    public var yearStart: CivilDate
    public var agreedContent: Int64
    public var agreedAmountFen: Int64
    public var tally: Tally
    public var entered: Bool
    public var pendingContent: Int64
    public var overdueOrders: Int64
    public var overdueContent: Int64
    public var supplyProblem: Bool
    /// Winning content valued at the agreed amount per content (agreed amount × winning ÷ agreed), rounded half up:
    /// what makes completion add up across units (ScheduleGap).
    public var valuedWinningFen: Int64
    public var valuedPendingFen: Int64

    public init(
        institutionID: Int64, institutionCode: String, institutionName: String, regionCode: String, unitKey: String, yearStart: CivilDate,
        agreedContent: Int64, agreedAmountFen: Int64, tally: Tally, entered: Bool, pendingContent: Int64, overdueOrders: Int64, overdueContent: Int64,
        supplyProblem: Bool, valuedWinningFen: Int64, valuedPendingFen: Int64
    ) {
        self.institutionID = institutionID
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.unitKey = unitKey
        self.yearStart = yearStart
        self.agreedContent = agreedContent
        self.agreedAmountFen = agreedAmountFen
        self.tally = tally
        self.entered = entered
        self.pendingContent = pendingContent
        self.overdueOrders = overdueOrders
        self.overdueContent = overdueContent
        self.supplyProblem = supplyProblem
        self.valuedWinningFen = valuedWinningFen
        self.valuedPendingFen = valuedPendingFen
    }

    public var completion: Fraction? { Measures.completion(winningContent: Int128(tally.winningContent), agreedContent: Int128(agreedContent)) }
}

/// A group's figures (the province, a city, an institution, a unit) summed over its positions. Completion across
/// units is weighed by agreed amount (valued winning ÷ agreed amount, ScheduleGap); shares across units by amount.
public struct GroupProgress: Sendable, Hashable, Codable {
    public var key: String
    public var name: String
    public var positions: Int64
    public var agreedAmountFen: Int64
    public var valuedWinningFen: Int64
    public var valuedPendingFen: Int64
    public var winningAmountFen: Int64
    public var nonWinningAmountFen: Int64
    public var excludedAmountFen: Int64
    public var notEntered: Int64
    /// Content sums: meaningful only within one unit (grouped by unit, or one position).
    public var agreedContent: Int64 = 0
    public var winningContent: Int64 = 0
    public var nonWinningContent: Int64 = 0

    public init(
        key: String, name: String, positions: Int64, agreedAmountFen: Int64, valuedWinningFen: Int64, valuedPendingFen: Int64,
        winningAmountFen: Int64,
        nonWinningAmountFen: Int64, excludedAmountFen: Int64, notEntered: Int64
    ) {
        self.key = key
        self.name = name
        self.positions = positions
        self.agreedAmountFen = agreedAmountFen
        self.valuedWinningFen = valuedWinningFen
        self.valuedPendingFen = valuedPendingFen
        self.winningAmountFen = winningAmountFen
        self.nonWinningAmountFen = nonWinningAmountFen
        self.excludedAmountFen = excludedAmountFen
        self.notEntered = notEntered
    }

    public var completion: Fraction? { agreedAmountFen > 0 ? Fraction(Int128(valuedWinningFen), Int128(agreedAmountFen)) : nil }
    /// Within one unit: non-winning share by quantity (content).
    public var nonWinningShare: Fraction? { Measures.nonWinningShare(winning: Int128(winningContent), nonWinning: Int128(nonWinningContent)) }
    public var nonWinningAmountShare: Fraction? {
        Measures.nonWinningShare(winning: Int128(winningAmountFen), nonWinning: Int128(nonWinningAmountFen))
    }
    public var vbpAmountShare: Fraction? {
        let total = winningAmountFen + nonWinningAmountFen + excludedAmountFen
        return total > 0 ? Fraction(Int128(winningAmountFen), Int128(total)) : nil
    }

    /// This group's pull on a parent's gap, in millionths: (S × agreed − valued winning) ÷ the parent's agreed amount.
    public func pull(schedule: Fraction, parentAgreedFen: Int64) -> Int64 {
        guard parentAgreedFen > 0 else { return 0 }
        let shortfall = schedule.numerator * Int128(agreedAmountFen) - schedule.denominator * Int128(valuedWinningFen)
        return Int64(clamping: (ScheduleGap.scale * shortfall).dividedRoundingHalfUp(by: schedule.denominator * Int128(parentAgreedFen)))
    }

    /// The supply-side part of the pull: the shortfall covered by orders placed and not yet accepted.
    public func supplyPull(schedule: Fraction, parentAgreedFen: Int64) -> Int64 {
        guard parentAgreedFen > 0 else { return 0 }
        let shortfall = schedule.numerator * Int128(agreedAmountFen) - schedule.denominator * Int128(valuedWinningFen)
        guard shortfall > 0 else { return 0 }
        let supplied = min(shortfall, schedule.denominator * Int128(valuedPendingFen))
        return Int64(clamping: (ScheduleGap.scale * supplied).dividedRoundingHalfUp(by: schedule.denominator * Int128(parentAgreedFen)))
    }
}

/// A batch's last monitoring run.
public struct MonitorRun: Sendable, Hashable, Codable {
    public var asOf: CivilDate
    public var computedAt: Date
    public var seconds: Double
    public var positions: Int64
    public var lines: Int64

    public init(asOf: CivilDate, computedAt: Date, seconds: Double, positions: Int64, lines: Int64) {
        self.asOf = asOf
        self.computedAt = computedAt
        self.seconds = seconds
        self.positions = positions
        self.lines = lines
    }
}

/// One month of an institution × unit (or a group), for the trend charts.
public struct MonthTally: Sendable, Hashable, Codable {
    public var month: MonthKey
    public var tally: Tally
    /// The month's winning content valued at each position's agreed amount per content (sums across units).
    public var valuedWinningFen: Int64

    public init(month: MonthKey, tally: Tally, valuedWinningFen: Int64 = 0) {
        self.month = month
        self.tally = tally
        self.valuedWinningFen = valuedWinningFen
    }

    /// Adds another month's tally and valued winning amount (the month is not compared).
    public mutating func absorb(_ other: MonthTally) {
        tally.add(other.tally)
        Tally.plus(&valuedWinningFen, other.valuedWinningFen)
    }
}

/// One registered purchase import: its number in the batch, file name, line count, account and time (`at` and the
/// texts are empty for imports made before the register existed).
public struct PurchaseImportEntry: Sendable, Hashable {
    public var id: Int64
    public var file: String
    public var lines: Int64
    public var actor: String
    public var at: Date?

    public init(id: Int64, file: String, lines: Int64, actor: String, at: Date?) {
        self.id = id
        self.file = file
        self.lines = lines
        self.actor = actor
        self.at = at
    }
}
