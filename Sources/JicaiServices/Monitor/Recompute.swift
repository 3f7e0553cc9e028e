import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    public struct RecomputeSummary: Sendable, Hashable {
        public var asOf: CivilDate
        public var positions: Int
        public var months: Int
        public var raised: Int
        public var refreshed: Int
        public var resolved: Int
        public var seconds: Double
        /// Nil for a full run; otherwise the holders recomputed.
        public var institutions: Int?
    }

    /// Recomputes the positions, monthly tallies and alerts as of `asOf` (default: today in Beijing): in full, or
    /// only for the given holders (institutions holding agreed volume: a community's lead stands for its members).
    /// Set-based sums in SQL; classification, folding and alert rules in Swift (JicaiCore).
    public func recompute(
        batchCode: String, asOf: CivilDate? = nil, holders: [Int64]? = nil, actor: AuditActor, progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> RecomputeSummary {
        let started = Date()
        let context = try await context(batchCode)
        let day = asOf ?? CivilDate(beijing: now())
        let year = context.year(of: day)
        let batchID = context.head.batch.id
        let award = AwardStore(db)
        let organisations = try await award.reportingOrganisations()
        let byID = Dictionary(organisations.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let holderOf = Dictionary(organisations.values.map { ($0.id, holderID(of: $0, organisations)) }, uniquingKeysWith: { a, _ in a })
        // A holder's purchases include its members'.
        let purchasers: [Int64]? = holders.map { wanted in
            let set = Set(wanted)
            return holderOf.filter { set.contains($0.value) }.map(\.key).sorted()
        }
        let classifier = PurchaseClassifier(
            catalogue: context.catalogue, results: try await award.results(batchID: batchID).map(\.entry),
            listings: try await award.listings(batchID: batchID))
        let problems = try await MonitorStore(db).problems(batchID: batchID).map(\.problem)
        progress?("sums")
        let box = PositionFoldBox(PositionFold(classifier: classifier, problems: problems, byID: byID, holderOf: holderOf))
        try await PurchaseStore(db).forEachAccepted(batchID: batchID, asOf: day, yearStart: year.start, institutions: purchasers) {
            institution, month, inYear, quantity, amount, product in
            guard let month = MonthKey(yyyymm: month) else { return }
            box.value.add(
                AcceptedSum(institutionID: institution, productCode: product, month: month, inYear: inYear, quantity: quantity, amountFen: amount))
        }
        let open = try await PurchaseStore(db).open(
            batchID: batchID, asOf: day, overdueBefore: day.adding(days: -context.policy.deliveryDays), institutions: purchasers)
        let agreed = try await AgreementStore(db).yearFigures(batchID: batchID, year: year, institutions: holders)
        progress?("fold")
        var folded = box.value
        for sum in open { folded.add(sum) }
        for figure in agreed {
            folded.agree(figure.institutionID, product: figure.productCode, quantity: figure.quantity, amountFen: figure.amountFen)
        }
        let fold = folded
        let positions = fold.positions(year: year, asOfMonth: MonthKey(year: day.year, month: day.month)!)
        let findings = positions.flatMap { p in
            MonitorAlerts.evaluate(
                UnitPosition(
                    institutionCode: p.institutionCode, unit: CheckUnit(key: p.unitKey)!, year: year, agreedContent: p.agreedContent,
                    agreedAmountFen: p.agreedAmountFen, tally: p.tally, entered: p.entered, overdueOrders: Int(p.overdueOrders),
                    overdueContent: p.overdueContent),
                on: day, executionStart: context.executionStart, policy: context.policy)
        }
        progress?("write")
        let at = now()
        let monthRows = fold.monthRows
        let institutionsByCode = Dictionary(
            organisations.values.map { ($0.code, (id: $0.id, region: $0.regionCode)) }, uniquingKeysWith: { a, _ in a })
        let evaluatedCodes = holders.map { Set($0.compactMap { byID[$0]?.code }) }
        let plan = try await db.transaction { db -> AlertPlan in
            let store = MonitorStore(db)
            try await store.clear(batchID: batchID, institutions: holders)
            try await store.insertMonths(batchID: batchID, monthRows)
            try await store.insertPositions(batchID: batchID, positions)
            let alerts = AlertStore(db)
            let existing = try await alerts.existing(batchID: batchID, institutions: holders)
            let plan = AlertReconciler.plan(existing: existing, found: findings, evaluated: { evaluatedCodes?.contains($0) ?? true })
            try await alerts.apply(batchID: batchID, plan, institutions: institutionsByCode, at: at)
            let lines = try await PurchaseStore(db).count(batchID: batchID)
            try await store.setRun(
                batchID: batchID,
                MonitorRun(asOf: day, computedAt: at, seconds: Date().timeIntervalSince(started), positions: Int64(positions.count), lines: lines))
            try await AuditLog(db).record(
                actor: actor.name, action: "recompute", entity: "monitor", key: batchCode,
                summary:
                    "监测重算（截至\(day)\(holders.map { "，\($0.count)家机构" } ?? "，全量")）：\(positions.count)个机构品种，新增预警\(plan.raise.count)条，自动解除\(plan.resolve.count)条",
                at: at)
            return plan
        }
        return RecomputeSummary(
            asOf: day, positions: positions.count, months: monthRows.count, raised: plan.raise.count, refreshed: plan.refresh.count,
            resolved: plan.resolve.count, seconds: Date().timeIntervalSince(started), institutions: holders?.count)
    }
}

/// Holds the fold while the driver streams rows into it: the callbacks run one after another and the box is read
/// only after the query returns, so the unchecked sendability is sound.
final class PositionFoldBox: @unchecked Sendable {
    var value: PositionFold
    init(_ value: PositionFold) { self.value = value }
}

/// Folds the SQL sums into positions (holder × unit) and monthly tallies, classifying each product once.
struct PositionFold {
    struct Key: Hashable {
        var holder: Int64
        var unit: CheckUnit
    }

    struct Acc {
        var tally = Tally()
        var entered = false
        var pendingContent: Int64 = 0
        var overdueOrders: Int64 = 0
        var overdueContent: Int64 = 0
        var agreedContent: Int64 = 0
        var agreedAmountFen: Int64 = 0
    }

    let classifier: PurchaseClassifier
    let problems: [SupplyProblem]
    let byID: [Int64: AwardStore.Holder]
    let holderOf: [Int64: Int64]
    var accs: [Key: Acc] = [:]
    var months: [Key: [MonthKey: Tally]] = [:]

    init(classifier: PurchaseClassifier, problems: [SupplyProblem], byID: [Int64: AwardStore.Holder], holderOf: [Int64: Int64]) {
        self.classifier = classifier
        self.problems = problems
        self.byID = byID
        self.holderOf = holderOf
    }

    func inProblem(_ unit: CheckUnit, institution: Int64, month: MonthKey) -> Bool {
        guard !problems.isEmpty, let region = byID[institution]?.regionCode else { return false }
        return problems.contains { $0.covers(unit: unit, regionCode: region, month: month) }
    }

    mutating func add(_ sum: AcceptedSum) {
        guard let product = classifier.classify(sum.productCode) else { return }
        let key = Key(holder: holderOf[sum.institutionID] ?? sum.institutionID, unit: product.unit)
        let covered = inProblem(product.unit, institution: sum.institutionID, month: sum.month)
        months[key, default: [:]][sum.month, default: Tally()].add(product, quantity: sum.quantity, amountFen: sum.amountFen, inProblem: covered)
        var one = Tally()
        one.add(product, quantity: sum.quantity, amountFen: sum.amountFen, inProblem: covered)
        if sum.inYear { accs[key, default: Acc()].tally.add(one) }
        if one.winningContent > 0 { accs[key, default: Acc()].entered = true }
    }

    mutating func add(_ sum: OpenSum) {
        guard let product = classifier.classify(sum.productCode) else { return }
        let key = Key(holder: holderOf[sum.institutionID] ?? sum.institutionID, unit: product.unit)
        // Pending counts for the supply side only when it is a winning product (or a backup) being waited for.
        if product.purchaseClass == .winner || product.purchaseClass == .backup {
            accs[key, default: Acc()].pendingContent += sum.quantity * product.contentPerMinimalUnit
        }
        accs[key, default: Acc()].overdueOrders += sum.overdueOrders
        accs[key, default: Acc()].overdueContent += sum.overdueQuantity * product.contentPerMinimalUnit
    }

    mutating func agree(_ holder: Int64, product code: String, quantity: Int64, amountFen: Int64) {
        guard let product = classifier.classify(code) else { return }
        let key = Key(holder: holder, unit: product.unit)
        accs[key, default: Acc()].agreedContent += quantity * product.contentPerMinimalUnit
        accs[key, default: Acc()].agreedAmountFen += amountFen
    }

    var monthRows: [(institutionID: Int64, unitKey: String, month: MonthKey, tally: Tally, valuedWinningFen: Int64)] {
        var out: [(institutionID: Int64, unitKey: String, month: MonthKey, tally: Tally, valuedWinningFen: Int64)] = []
        for (key, byMonth) in months {
            let acc = accs[key] ?? Acc()
            for (month, tally) in byMonth { out.append((key.holder, key.unit.key, month, tally, Self.valued(tally.winningContent, acc))) }
        }
        return out.sorted { ($0.institutionID, $0.unitKey, $0.month) < ($1.institutionID, $1.unitKey, $1.month) }
    }

    /// Content valued at the position's agreed amount per agreed content, rounded half up; 0 without agreement.
    static func valued(_ content: Int64, _ acc: Acc) -> Int64 {
        guard acc.agreedContent > 0 else { return 0 }
        return Int64(clamping: (Int128(acc.agreedAmountFen) * Int128(content)).dividedRoundingHalfUp(by: Int128(acc.agreedContent)))
    }

    func positions(year: AgreementYear, asOfMonth: MonthKey) -> [StoredPosition] {
        accs.compactMap { key, acc -> StoredPosition? in
            guard let holder = byID[key.holder] else { return nil }
            func valued(_ content: Int64) -> Int64 { Self.valued(content, acc) }
            return StoredPosition(
                institutionID: key.holder, institutionCode: holder.code, institutionName: holder.name, regionCode: holder.regionCode,
                unitKey: key.unit.key,
                yearStart: year.start, agreedContent: acc.agreedContent, agreedAmountFen: acc.agreedAmountFen, tally: acc.tally, entered: acc.entered,
                pendingContent: acc.pendingContent, overdueOrders: acc.overdueOrders, overdueContent: acc.overdueContent,
                supplyProblem: inProblem(key.unit, institution: key.holder, month: asOfMonth), valuedWinningFen: valued(acc.tally.winningContent),
                valuedPendingFen: valued(acc.pendingContent))
        }
        .sorted { ($0.institutionID, $0.unitKey) < ($1.institutionID, $1.unitKey) }
    }
}
