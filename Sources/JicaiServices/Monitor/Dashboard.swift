import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    /// Where a dashboard looks: a region (province or city), optionally one institution, optionally one unit; and
    /// what its rows are.
    public struct DashboardQuery: Sendable, Hashable {
        public enum Rows: String, Sendable, Hashable, CaseIterable { case area, institution, unit }
        public var region: String?
        public var institution: String?
        public var unit: String?
        public var rows: Rows?

        public init(region: String? = nil, institution: String? = nil, unit: String? = nil, rows: Rows? = nil) {
            self.region = region
            self.institution = institution
            self.unit = unit
            self.rows = rows
        }

        /// The query as the page and the API receive it, read the same way: empty values mean none; a `rows` that is
        /// not one of the cases is refused (BAD_QUERY).
        public init(text region: String?, institution: String?, unit: String?, rows: String?) throws {
            func value(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
            var kind: Rows?
            if let text = value(rows) {
                guard let parsed = Rows(rawValue: text) else {
                    throw Refusal(.badQuery, zh: "rows 应为 area、institution 或 unit", en: "rows must be area, institution or unit")
                }
                kind = parsed
            }
            self.init(region: value(region), institution: value(institution), unit: value(unit), rows: kind)
        }
    }

    /// One month of a dashboard's trend: cumulative completion of the agreement year (weighed by agreed amount), the
    /// schedule at the month's end, and the month's own non-winning and VBP amount shares.
    public struct TrendPoint: Sendable {
        public var month: MonthKey
        public var completion: Fraction?
        public var schedule: Fraction
        public var tally: Tally
    }

    public struct Dashboard: Sendable {
        public var run: MonitorRun
        public var year: AgreementYear
        public var schedule: Fraction
        public var query: DashboardQuery
        /// The rows' kind after defaults (the province's rows are its cities, a city's its institutions…).
        public var rows: DashboardQuery.Rows
        public var regionPrefix: String
        public var regionName: String
        public var total: GroupProgress
        public var groups: [GroupProgress]
        public var trend: [TrendPoint]
        /// The position of one institution × unit, at the last level.
        public var position: StoredPosition?
        public var access: Access
        public var policy: MonitorPolicy
        /// The content dimension of the queried unit, to show its content sums ("374g").
        public var dimension: EffectiveContent.Dimension

        public func content(_ base: Int64) -> String { EffectiveContent.display(base: base, dimension: dimension) }

        /// The rows with their pull on this level's gap and its supply-side part (millionths), largest pull first
        /// (then by key): the order of the page's table and waterfall, the API and the workbook.
        public var byPull: [PulledGroup] {
            groups.map { g in
                PulledGroup(
                    group: g, pull: g.pull(schedule: schedule, parentAgreedFen: total.agreedAmountFen),
                    supplyPull: g.supplyPull(schedule: schedule, parentAgreedFen: total.agreedAmountFen))
            }
            .sorted { ($0.pull, $1.group.key) > ($1.pull, $0.group.key) }
        }
    }

    /// A row of the dashboard with its pull on the gap (ScheduleGap); the demand side is the rest of the pull.
    public struct PulledGroup: Sendable {
        public var group: GroupProgress
        public var pull: Int64
        public var supplyPull: Int64
        public var demandPull: Int64 { pull - supplyPull }
    }

    /// The figures of one dashboard level, within what the principal may see.
    public func dashboard(_ scope: BatchScope, query: DashboardQuery) async throws -> Dashboard {
        let (batch, access) = (scope.batch, try access(scope))
        guard let run = try await MonitorStore(db).run(batchID: batch.id) else { throw Refusal(.notComputed) }
        let context = try await context(scope.head)
        var query = query
        var prefix = access.regionPrefix ?? ""
        if let own = access.ownInstitution {
            guard query.institution == nil || query.institution == own else { throw Refusal.forbidden }
            query.institution = own
            query.region = nil
        } else if let region = query.region, !region.isEmpty {
            guard region.hasPrefix(prefix), DivisionCode.isPrefix(region) else { throw Refusal.forbidden }
            prefix = region
        }
        if let unit = query.unit, CheckUnit(key: unit).map({ context.catalogue.units.contains($0) }) != true { throw Refusal(.unknownUnit) }
        let rows = query.rows ?? Self.defaultRows(query, prefix: prefix)
        let grouping: MonitorStore.Grouping
        switch rows {
        case .area: grouping = .region(digits: prefix.count < 4 ? 4 : 6)
        case .institution: grouping = .institution
        case .unit: grouping = .unit
        }
        let store = MonitorStore(db)
        let year = context.year(of: run.asOf)
        let groups = try await store.groups(
            batchID: batch.id, regionPrefix: prefix, institutionCode: query.institution, unitKey: query.unit, by: grouping)
        let total = Self.sum(groups, key: prefix, name: try await regionName(prefix))
        let months = try await store.months(batchID: batch.id, regionPrefix: prefix, institutionCode: query.institution, unitKey: query.unit)
        let position =
            query.institution != nil && query.unit != nil
            ? try await store.positions(batchID: batch.id, institutionCode: query.institution, regionPrefix: prefix, unitKey: query.unit).first : nil
        return Dashboard(
            run: run, year: year, schedule: Measures.schedule(year, on: run.asOf), query: query, rows: rows, regionPrefix: prefix,
            regionName: total.name, total: total, groups: groups,
            trend: Self.trend(months, year: year, agreedFen: total.agreedAmountFen, asOf: run.asOf),
            position: position, access: access, policy: context.policy,
            dimension: context.catalogue.specs.first { Catalogue.unit(of: $0).key == query.unit }?.content.dimension ?? .count)
    }

    /// The next level down: an institution's units, a unit's institutions, the province's cities, a city's institutions.
    static func defaultRows(_ query: DashboardQuery, prefix: String) -> DashboardQuery.Rows {
        if query.institution != nil { return .unit }
        if query.unit != nil { return .institution }
        return prefix.count < 4 ? .area : .institution
    }

    func regionName(_ prefix: String) async throws -> String {
        let code = prefix + String(repeating: "0", count: max(0, 6 - prefix.count))
        return try await AccountStore(db).regions().first { $0.code.value == code }?.name ?? prefix
    }

    static func sum(_ groups: [GroupProgress], key: String, name: String) -> GroupProgress {
        groups.reduce(
            GroupProgress(
                key: key, name: name, positions: 0, agreedAmountFen: 0, valuedWinningFen: 0, valuedPendingFen: 0, winningAmountFen: 0,
                nonWinningAmountFen: 0, excludedAmountFen: 0, notEntered: 0)
        ) { total, group in
            var sum = total
            sum.positions += group.positions
            sum.agreedAmountFen += group.agreedAmountFen
            sum.valuedWinningFen += group.valuedWinningFen
            sum.valuedPendingFen += group.valuedPendingFen
            sum.winningAmountFen += group.winningAmountFen
            sum.nonWinningAmountFen += group.nonWinningAmountFen
            sum.excludedAmountFen += group.excludedAmountFen
            sum.notEntered += group.notEntered
            return sum
        }
    }

    /// The agreement year's months up to the as-of month, cumulating the valued winning purchases.
    static func trend(_ months: [MonthTally], year: AgreementYear, agreedFen: Int64, asOf: CivilDate) -> [TrendPoint] {
        let byMonth = Dictionary(months.map { ($0.month, $0) }, uniquingKeysWith: { a, _ in a })
        guard let months = MonthRange(first: MonthKey(year.start), last: MonthKey(min(asOf, year.lastDay))) else { return [] }
        var cumulative: Int64 = 0
        var out: [TrendPoint] = []
        for month in months.months {
            let entry = byMonth[month]
            Tally.plus(&cumulative, entry?.valuedWinningFen ?? 0)
            out.append(
                TrendPoint(
                    month: month, completion: agreedFen > 0 ? Fraction(Int128(cumulative), Int128(agreedFen)) : nil,
                    schedule: Measures.schedule(year, on: min(month.lastDay, asOf)), tally: entry?.tally ?? Tally()))
        }
        return out
    }
}

extension MonitorService {
    /// Everything the dashboard page shows, in one call on one scope: the level's figures (nil before the award is
    /// published or the first recompute), the alert counts, the drilled institution's alerts for the unit, the
    /// verified supply problems and, for the province's administrator, the latest imports.
    public struct DashboardPage: Sendable {
        public var board: Dashboard?
        public var access: Access
        public var counts: [AlertStatus: Int64]
        public var alerts: [StoredAlert]
        public var problems: [(problem: SupplyProblem, note: String)]
        public var imports: [PurchaseImportEntry]
    }

    public func dashboardPage(_ scope: BatchScope, query: DashboardQuery, alertRows: Int = 20) async throws -> DashboardPage {
        let access = try access(scope)
        let board: Dashboard?
        do {
            board = try await dashboard(scope, query: query)
        } catch let refusal as Refusal where refusal.code == .notComputed || refusal.code == .awardNotPublished {
            board = nil
        }
        let alerts =
            board?.position != nil
            ? try await self.alerts(
                scope, status: nil, unitKey: board?.query.unit, institution: board?.query.institution, page: PageRequest(size: alertRows)
            ).items : []
        return DashboardPage(
            board: board, access: access, counts: try await alertCounts(scope), alerts: alerts, problems: try await supplyProblems(scope),
            imports: access.manages ? try await imports(scope, limit: 10) : [])
    }
}
