import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// A fraction as the API gives it: numerator and denominator (exact) and percent with one decimal (display).
struct RatioDTO: Content {
    var numerator: String
    var denominator: String
    var percent: String

    init?(_ f: Fraction?) {
        guard let f else { return nil }
        numerator = String(f.numerator)
        denominator = String(f.denominator)
        percent = f.percentText
    }
}

struct GroupDTO: Content {
    var key: String
    var name: String
    var positions: Int64
    var agreedAmountFen: Int64
    var valuedWinningFen: Int64
    var valuedPendingFen: Int64
    var winningAmountFen: Int64
    var nonWinningAmountFen: Int64
    var excludedAmountFen: Int64
    var notEntered: Int64
    var completion: RatioDTO?
    var nonWinningAmountShare: RatioDTO?
    var vbpAmountShare: RatioDTO?
    /// Pull on the parent's gap and its supply-side part, in millionths (points × 10,000).
    var pullMillionths: Int64?
    var supplyPullMillionths: Int64?

    init(_ g: GroupProgress, pull: MonitorService.PulledGroup? = nil) {
        key = g.key
        name = g.name
        positions = g.positions
        agreedAmountFen = g.agreedAmountFen
        valuedWinningFen = g.valuedWinningFen
        valuedPendingFen = g.valuedPendingFen
        winningAmountFen = g.winningAmountFen
        nonWinningAmountFen = g.nonWinningAmountFen
        excludedAmountFen = g.excludedAmountFen
        notEntered = g.notEntered
        completion = RatioDTO(g.completion)
        nonWinningAmountShare = RatioDTO(g.nonWinningAmountShare)
        vbpAmountShare = RatioDTO(g.vbpAmountShare)
        pullMillionths = pull?.pull
        supplyPullMillionths = pull?.supplyPull
    }
}

struct MonitorDashboardDTO: Content {
    struct Trend: Content {
        var month: String
        var completion: RatioDTO?
        var schedule: RatioDTO?
        var winningContent: Int64
        var nonWinningContent: Int64
        var winningAmountFen: Int64
        var nonWinningAmountFen: Int64
    }

    var asOf: String
    var computedAt: Date
    var yearStart: String
    var yearEnd: String
    var schedule: RatioDTO?
    var region: String
    var institution: String?
    var unit: String?
    var rows: String
    var total: GroupDTO
    var groups: [GroupDTO]
    var trend: [Trend]

    init(_ b: MonitorService.Dashboard, page: PageRequest) {
        asOf = b.run.asOf.description
        computedAt = b.run.computedAt
        yearStart = b.year.start.description
        yearEnd = b.year.lastDay.description
        schedule = RatioDTO(b.schedule)
        region = b.regionPrefix
        institution = b.query.institution
        unit = b.query.unit
        rows = b.rows.rawValue
        total = GroupDTO(b.total)
        groups = b.byPull.dropFirst(page.offset).prefix(page.size).map { GroupDTO($0.group, pull: $0) }
        trend = b.trend.map { point in
            Trend(
                month: point.month.description, completion: RatioDTO(point.completion), schedule: RatioDTO(point.schedule),
                winningContent: point.tally.winningContent, nonWinningContent: point.tally.nonWinningContent,
                winningAmountFen: point.tally.winningAmountFen, nonWinningAmountFen: point.tally.nonWinningAmountFen)
        }
    }
}

struct AlertDTO: Content {
    var id: Int64
    var code: String
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var unitKey: String
    var yearStart: String
    var severity: String
    var status: String
    var figures: [String: String]
    var message: LocalizedText
    var clause: String
    var raisedAt: Date
    var updatedAt: Date
    var acknowledgedBy: String?
    var note: String?
    var resolvedBy: String?
    var resolvedAt: Date?
    var resolution: String?
    var reason: String?

    init(_ a: StoredAlert) {
        id = a.id
        code = a.key.code.rawValue
        institutionCode = a.key.institutionCode
        institutionName = a.institutionName
        regionCode = a.regionCode
        unitKey = a.key.unitKey
        yearStart = a.key.yearStart.description
        severity = a.severity.rawValue
        status = a.status.rawValue
        figures = Dictionary(a.figures.map { ($0.name, $0.value) }, uniquingKeysWith: { x, _ in x })
        message = a.message
        clause = a.key.code.clause
        raisedAt = a.raisedAt
        updatedAt = a.updatedAt
        acknowledgedBy = a.acknowledgedBy
        note = a.note
        resolvedBy = a.resolvedBy
        resolvedAt = a.resolvedAt
        resolution = a.resolution
        reason = a.reason
    }
}

struct RecomputeDTO: Content {
    var asOf: String
    var positions: Int
    var months: Int
    var raised: Int
    var refreshed: Int
    var resolved: Int
    var seconds: Double

    init(_ s: MonitorService.RecomputeSummary) {
        asOf = s.asOf.description
        positions = s.positions
        months = s.months
        raised = s.raised
        refreshed = s.refreshed
        resolved = s.resolved
        seconds = s.seconds
    }
}

struct SupplyProblemDTO: Content {
    var unit: String
    var regionPrefix: String
    var from: String
    var through: String
    var note: String

    init(_ p: (problem: SupplyProblem, note: String)) {
        unit = p.problem.unit.key
        regionPrefix = p.problem.regionPrefix
        from = p.problem.from.description
        through = p.problem.through.description
        note = p.note
    }
}
