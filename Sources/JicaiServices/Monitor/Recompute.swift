import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    public struct RecomputeSummary: Sendable, Hashable {
        public var asOf: CivilDate
        public var positions: Int
        public var months: Int
        public var raised: Int
        /// Alerts that had resolved themselves and were found again (the same records, opened again).
        public var reopened: Int
        public var refreshed: Int
        public var resolved: Int
        public var seconds: Double
        /// Nil for a full run; otherwise the holders recomputed.
        public var institutions: Int?

        /// What the run did, in one sentence: the page's flash, the command line's answer, an import's tail.
        public var text: LocalizedText {
            let scope = institutions.map { LocalizedText(zh: "（\($0)家机构）", en: " (\($0) institutions)") } ?? LocalizedText(zh: "", en: "")
            return LocalizedText(
                zh: "截至\(asOf)重算\(scope.zh)：\(positions)个机构品种，新增预警\(raised)条，重新出现\(reopened)条，更新\(refreshed)条，自动解除\(resolved)条",
                en:
                    "recomputed as of \(asOf)\(scope.en): \(positions) positions, \(raised) alerts raised, \(reopened) reopened, \(refreshed) refreshed, \(resolved) resolved"
            )
        }
    }

    /// Recomputes the positions, monthly tallies and alerts as of `asOf` (inside the cycle; default: the last day of
    /// the latest month with purchases, `MonitorAsOf`): in full, or only for the given holders (institutions holding
    /// agreed volume: a community's lead stands for its members). A batch has one as-of day: a partial run on
    /// another day than the last run's recomputes everything. Unless `confirmed`, a run that would resolve more than
    /// the policy's `quietResolutions` alerts by itself is refused with what it would change, writing nothing.
    /// Set-based sums in SQL; classification, folding and alert rules in Swift (JicaiCore).
    func recompute(
        batchCode: String, asOf: CivilDate? = nil, holders requested: [Int64]? = nil, confirmed: Bool = true, actor: AuditActor,
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> RecomputeSummary {
        let started = Date()
        let context = try await context(batchCode)
        let batchID = context.head.batch.id
        let day = try await asOfDay(asOf, context)
        let holders = try await MonitorStore(db).run(batchID: batchID)?.asOf == day ? requested : nil
        let year = context.year(of: day)
        let (organisations, byID, holderOf, purchasers) = try await holdings(holders)
        let (classifier, terms) = try await classification(context)
        let problems = try await MonitorStore(db).problems(batchID: batchID).map(\.problem)
        progress?("agreed volumes, purchase lines and fold")
        let overdueBefore = day.adding(days: -context.policy.deliveryDays) ?? CivilDate.earliest
        // Where the engine reads beside a long query (PostgreSQL, whose lines arrive only once aggregated), the
        // agreed figures are read on a connection of their own meanwhile; SQLite's one connection reads them first.
        let (db, beside, award) = (self.db, self.db.readsBeside, AwardService(db: self.db, now: now))
        let agreedFigures = Task { try await award.yearFigures(batchID: batchID, year: year, holders: holders, terms: terms) }
        if !beside { _ = try await agreedFigures.value }
        // So are the stored alerts there (an alert resolved by hand meanwhile stays so: see AlertStore.apply).
        let storedAlerts = beside ? Task { try await AlertStore(db).existing(batchID: batchID, institutions: holders) } : nil
        let (fold, lineCount) = try await foldLines(
            batchID: batchID, day: day, yearStart: year.start, overdueBefore: overdueBefore, purchasers: purchasers,
            PositionFold(
                classifier: classifier, problems: problems, byID: byID, holderOf: holderOf, units: context.catalogue.units, year: year, day: day,
                executionStart: context.executionStart, policy: context.policy, rollUp: holders == nil)
        ) { try await agreedFigures.value }
        try fold.checkRange()
        let positions = fold.positions
        let findings = fold.findings + (try await supplyFindings(context, day: day, classifier: classifier, holders: (holders, holderOf, byID)))
        let at = now()
        let institutionsByCode = Dictionary(
            organisations.values.map { ($0.code, (id: $0.id, region: $0.regionCode)) }, uniquingKeysWith: { a, _ in a })
        let evaluatedCodes = holders.map { Set($0.compactMap { byID[$0]?.code }) }
        let plan = try await db.transaction { db -> AlertPlan in
            let store = MonitorStore(db)
            // The stored alerts are read first; they are compared with the findings on another core while the
            // tallies and positions are written.
            progress?("alerts: \(findings.count) found")
            let alerts = AlertStore(db)
            let existing: [ExistingAlert]
            if let storedAlerts {
                existing = try await storedAlerts.value
            } else {
                existing = try await alerts.existing(batchID: batchID, institutions: holders)
            }
            let planning = Task {
                AlertReconciler.plan(existing: existing, found: findings, evaluated: { evaluatedCodes?.contains($0) ?? true })
            }
            try await write(fold, batchID: batchID, holders: holders, regions: (holders ?? []).compactMap { byID[$0]?.regionCode }, store, progress)
            let plan = await planning.value
            if !confirmed && plan.resolve.count > context.policy.quietResolutions { throw Self.confirmation(plan, day: day) }
            progress?("alerts: \(plan.raise.count) raised, \(plan.refresh.count) refreshed, \(plan.resolve.count) resolved")
            try await alerts.apply(batchID: batchID, plan, institutions: institutionsByCode, at: at)
            progress?("commit")
            // A full run read every line of the batch; a partial one counts them.
            let lines = holders == nil ? lineCount : try await PurchaseStore(db).count(batchID: batchID)
            try await store.setRun(
                batchID: batchID,
                MonitorRun(asOf: day, computedAt: at, seconds: Date().timeIntervalSince(started), positions: Int64(positions.count), lines: lines))
            try await AuditLog(db).record(
                actor: actor.name, event: .monitorRecompute, key: batchCode,
                summary:
                    "监测重算（截至\(day)\(holders.map { "，\($0.count)家机构" } ?? "，全量")）：\(positions.count)个机构品种，新增预警\(plan.raise.count)条，重新出现\(plan.reopen.count)条，自动解除\(plan.resolve.count)条",
                at: at)
            return plan
        }
        return RecomputeSummary(
            asOf: day, positions: positions.count, months: fold.monthCount, raised: plan.raise.count, reopened: plan.reopen.count,
            refreshed: plan.refresh.count,
            resolved: plan.resolve.count, seconds: Date().timeIntervalSince(started), institutions: holders?.count)
    }
}

extension MonitorService {
    /// The reporting organisations (by code and by id), each one's holder (a county medical community's lead stands
    /// for its members) and, for a run of some holders only, the institutions whose purchases are theirs.
    func holdings(_ holders: [Int64]?) async throws -> (
        organisations: [String: ReportingOrganisation], byID: [Int64: ReportingOrganisation], holderOf: [Int64: Int64], purchasers: [Int64]?
    ) {
        let organisations = try await Organisations(db).reporting()
        let byID = Dictionary(organisations.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let holderOf = Dictionary(organisations.values.map { ($0.id, holderID(of: $0, organisations)) }, uniquingKeysWith: { a, _ in a })
        // A holder's purchases include its members'.
        let purchasers: [Int64]? = holders.map { wanted in
            let set = Set(wanted)
            return holderOf.filter { set.contains($0.value) }.map(\.key).sorted()
        }
        return (organisations, byID, holderOf, purchasers)
    }

    /// The day a run is as of: the one asked for, refused outside the cycle; else `MonitorAsOf.byDefault`.
    func asOfDay(_ requested: CivilDate?, _ context: Context) async throws -> CivilDate {
        if let requested {
            if let refusal = MonitorAsOf.refusal(requested, executionStart: context.executionStart, cycleEnd: context.cycleEnd) { throw refusal }
            return requested
        }
        return MonitorAsOf.byDefault(
            latestMonth: try await PurchaseStore(db).latestMonth(batchID: context.head.batch.id), today: CivilDate(beijing: now()),
            executionStart: context.executionStart, cycleEnd: context.cycleEnd)
    }

    /// The batch's products classified against its results and listings, and the winners' pack terms.
    func classification(_ context: Context) async throws -> (PurchaseClassifier, [String: AgreementStore.ProductTerms]) {
        try await AwardService(db: db, now: now).classification(batchID: context.head.batch.id, catalogue: context.catalogue)
    }

    /// The refusal of an unconfirmed run that would resolve many alerts, with what it would change.
    static func confirmation(_ plan: AlertPlan, day: CivilDate) -> Refusal {
        Refusal(
            .confirmationRequired,
            zh: "截至\(day)重算将自动解除\(plan.resolve.count)条预警，新增\(plan.raise.count)条，重新出现\(plan.reopen.count)条，更新\(plan.refresh.count)条；请核对截止日后确认执行",
            en:
                "recomputing as of \(day) would resolve \(plan.resolve.count) alerts by itself, raise \(plan.raise.count), reopen \(plan.reopen.count) and refresh \(plan.refresh.count); check the day, then confirm"
        )
    }
}
