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
        let organisations = try await Organisations(db).reporting()
        let byID = Dictionary(organisations.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let holderOf = Dictionary(organisations.values.map { ($0.id, holderID(of: $0, organisations)) }, uniquingKeysWith: { a, _ in a })
        // A holder's purchases include its members'.
        let purchasers: [Int64]? = holders.map { wanted in
            let set = Set(wanted)
            return holderOf.filter { set.contains($0.value) }.map(\.key).sorted()
        }
        let (classifier, terms) = try await classification(context)
        let problems = try await MonitorStore(db).problems(batchID: batchID).map(\.problem)
        progress?("agreed volumes, purchase lines and fold")
        let overdueBefore = day.adding(days: -context.policy.deliveryDays) ?? CivilDate.earliest
        // Where the engine reads beside a long query (PostgreSQL, whose lines arrive only once aggregated), the
        // agreed figures are read on a connection of their own meanwhile; SQLite's one connection reads them first.
        let (db, beside) = (self.db, self.db.readsBeside)
        let award = AwardService(db: db, now: now)
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
        let findings = fold.findings
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

    /// Writes a fold's monthly tallies, regional sums and positions in the run's transaction (a full run's tables
    /// are refilled, then analysed on PostgreSQL).
    func write(
        _ fold: PositionFold, batchID: Int64, holders: [Int64]?, regions: [String], _ store: MonitorStore, _ progress: (@Sendable (String) -> Void)?
    ) async throws {
        progress?("write: \(fold.monthCount) monthly tallies of \(fold.unitMonths.count) institution units")
        try await store.replaceTallies(
            batchID: batchID, holders: holders, regions: Set(regions), fold.unitMonths, unitKeys: fold.unitKeys, rollup: fold.rollup)
        progress?("write: \(fold.positions.count) positions")
        try await store.insertPositions(batchID: batchID, fold.positions)
        if holders == nil { try await store.analyseRefilled() }
    }

    /// Streams the purchase lines (accepted, and open orders) into folds and finishes them. The engine reads and the
    /// folds run side by side: the rows go over streams to folds in other tasks (inside the engine's row callback
    /// one thread did both). On PostgreSQL, whose rows come once its aggregate is done, two folds share the holders
    /// by the parity of their ids; SQLite's reading keeps one core busy, so one fold keeps up with it.
    func foldLines(
        batchID: Int64, day: CivilDate, yearStart: CivilDate, overdueBefore: CivilDate, purchasers: [Int64]?, _ start: PositionFold,
        agreed: @escaping @Sendable () async throws -> [(institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64)]
    ) async throws -> (PositionFold, lines: Int64) {
        let workers = db.readsBeside ? 2 : 1
        let products = start.products
        let holderOf = start.holderOf
        // The agreed figures may still be on their way: the folds add lines meanwhile and finish holders once they
        // are there.
        let arrived = Arrival<PositionFold.AgreedFigures>()
        let fetching = Task {
            let figures = PositionFold.group(try await agreed())
            arrived.put(figures)
            return figures
        }
        var feeds: [AsyncStream<(Int64, [AcceptedLine], [OpenSum])>.Continuation] = []
        var folding: [Task<PositionFoldBox, any Error>] = []
        for worker in 0..<workers {
            let (rows, feed) = AsyncStream.makeStream(of: (Int64, [AcceptedLine], [OpenSum]).self)
            feeds.append(feed)
            let box = PositionFoldBox(start)
            folding.append(
                Task { () throws -> PositionFoldBox in
                    var fold = box.value
                    fold.share = (worker, workers)
                    for await (institution, lines, open) in rows {
                        if !fold.agreedSet, let figures = arrived.value { fold.setAgreed(figures) }
                        fold.add(institution: institution, lines, open: open)
                    }
                    if !fold.agreedSet { fold.setAgreed(try await fetching.value) }
                    fold.finish()
                    return PositionFoldBox(fold)
                })
        }
        let streams = feeds
        func finishFeeds() { for feed in streams { feed.finish() } }
        let count: Int64
        do {
            count = try await PurchaseStore(db).forEachLine(
                batchID: batchID, asOf: day, yearStart: yearStart, overdueBefore: overdueBefore, institutions: purchasers, products: products
            ) { institution, lines, open in
                let holder = holderOf[institution] ?? institution
                streams[Int(holder.magnitude % UInt64(workers))].yield((institution, lines, open))
            }
        } catch {
            finishFeeds()
            fetching.cancel()
            for task in folding { _ = try? await task.value }
            throw error
        }
        finishFeeds()
        var fold = try await folding[0].value.value
        for task in folding.dropFirst() { fold.merge(try await task.value.value) }
        return (fold, count)
    }
}

/// A value one task hands to others, read without waiting (nil until it is there).
final class Arrival<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func put(_ new: Value) { lock.withLock { stored = new } }
    var value: Value? { lock.withLock { stored } }
}

/// Carries the finished fold out of the task that ran it: nothing else holds it, so the unchecked sendability is
/// sound.
final class PositionFoldBox: @unchecked Sendable {
    var value: PositionFold
    init(_ value: PositionFold) { self.value = value }
}

/// Folds the accepted lines and the open orders into positions (holder × unit), monthly tallies and alert findings, one holder at a time:
/// institutions arrive in ascending id order, and a holder (a community's lead stands for its members) is finished
/// once the stream has passed the highest id among it and its members, so only the holders still open are held.
struct PositionFold {
    struct UnitState {
        /// The position's rules are Core's (`PositionAccumulator`); the fold only finds each line its holder and unit.
        var acc = PositionAccumulator()
        /// The unit's months in the order first met (a dozen or two, so searched from the end rather than hashed).
        var months: [(month: MonthKey, tally: Tally)] = []

        /// The month's tally, added on first use.
        mutating func monthIndex(_ month: MonthKey) -> Int {
            var i = months.count - 1
            while i >= 0 {
                if months[i].month == month { return i }
                i -= 1
            }
            months.append((month, Tally()))
            return months.count - 1
        }
    }

    /// One holder's units: their states in the order met, and each unit slot's place among them (arrays, not a
    /// dictionary keyed by unit: hashing two strings per line was most of the fold's time).
    struct HolderUnits {
        var place: [Int32]
        var slots: [Int32] = []
        var states: [UnitState] = []

        init(unitCount: Int) { place = [Int32](repeating: -1, count: unitCount) }

        /// The unit's state index, added on first use.
        mutating func index(_ slot: Int32) -> Int {
            let known = place[Int(slot)]
            if known >= 0 { return Int(known) }
            place[Int(slot)] = Int32(states.count)
            slots.append(slot)
            states.append(UnitState())
            return states.count - 1
        }
    }

    let classifier: PurchaseClassifier
    let problems: [SupplyProblem]
    let byID: [Int64: ReportingOrganisation]
    let holderOf: [Int64: Int64]
    let year: AgreementYear
    let day: CivilDate
    let asOfMonth: MonthKey
    let executionStart: CivilDate
    let policy: MonitorPolicy
    /// The batch's unit keys in order; a unit's slot is its key's index here, and month rows carry it.
    let unitKeys: [String]
    let unitIndex: [CheckUnit: Int32]
    let unitsBySlot: [CheckUnit]
    /// The catalogue's products as the reader numbers them, each classified with its unit's slot.
    let products: CodeTable
    let productInfo: [(product: ClassifiedProduct, slot: Int32)]
    /// Per holder: the highest institution id among it and its members, its agreed figures; its open orders as its
    /// institutions arrive.
    let lastMember: [Int64: Int64]
    var open: [Int64: [OpenSum]] = [:]
    typealias AgreedFigures = [Int64: [(productCode: String, quantity: Int64, amountFen: Int64)]]
    private(set) var agreed: AgreedFigures = [:]
    /// This fold's share of the holders: those whose id modulo `count` is `index`.
    var share = (index: 0, count: 1)
    var pending: [Int64: HolderUnits] = [:]
    /// Holders whose lines are all in, waiting for the agreed figures (the first holders, while they are read).
    var waiting: [(holder: Int64, units: HolderUnits)] = []
    private(set) var agreedSet = false
    var done = Set<Int64>()
    var positions: [StoredPosition] = []
    /// Each holder × unit's months, packed; their count; and (in a full run) their sums per region.
    var unitMonths: [UnitMonthsRow] = []
    var monthCount = 0
    let rollsUp: Bool
    var rollup = RegionRollup()
    var packer = PackedMonths.Packer()
    var findings: [AlertFinding] = []
    /// Every figure of this fold summed per unit slot (saturating), checked against `InputLimits.maxTallyFigure`
    /// before anything is written: when a unit's total fits, so does every stored figure and every sum of them.
    var totals: [UnitTotals] = []

    struct UnitTotals {
        var purchases = Tally()
        var agreedContent: Int64 = 0
        var agreedAmountFen: Int64 = 0
        var pendingContent: Int64 = 0
        var overdueContent: Int64 = 0

        var outOfRange: Bool {
            purchases.outOfRange
                || [agreedContent, agreedAmountFen, pendingContent, overdueContent].contains(where: Tally.outOfRange)
        }

        mutating func add(_ other: UnitTotals) {
            purchases.add(other.purchases)
            Tally.plus(&agreedContent, other.agreedContent)
            Tally.plus(&agreedAmountFen, other.agreedAmountFen)
            Tally.plus(&pendingContent, other.pendingContent)
            Tally.plus(&overdueContent, other.overdueContent)
        }
    }

    /// Refuses the run, naming the unit, when a unit's batch total leaves the range: nothing is written.
    func checkRange() throws {
        guard let slot = totals.indices.first(where: { totals[$0].outOfRange }) else { return }
        throw Tally.refusal(unitKeys[slot])
    }

    init(
        classifier: PurchaseClassifier, problems: [SupplyProblem], byID: [Int64: ReportingOrganisation], holderOf: [Int64: Int64], units: [CheckUnit],
        year: AgreementYear, day: CivilDate, executionStart: CivilDate, policy: MonitorPolicy,
        rollUp: Bool
    ) {
        rollsUp = rollUp
        self.classifier = classifier
        self.problems = problems
        self.byID = byID
        self.holderOf = holderOf
        self.year = year
        self.day = day
        asOfMonth = MonthKey(day)
        self.executionStart = executionStart
        self.policy = policy
        var allUnits = units
        for product in classifier.byProduct.values where !units.contains(product.unit) { allUnits.append(product.unit) }
        let keys = Set(allUnits.map(\.key)).sorted()
        unitKeys = keys
        let slotOfKey = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, Int32($0)) })
        unitIndex = Dictionary(allUnits.map { u in (u, slotOfKey[u.key]!) }, uniquingKeysWith: { a, _ in a })
        var bySlot = [CheckUnit?](repeating: nil, count: keys.count)
        for (unit, slot) in unitIndex { bySlot[Int(slot)] = unit }
        totals = Array(repeating: UnitTotals(), count: keys.count)
        unitsBySlot = bySlot.map { $0! }
        let codes = classifier.byProduct.keys.sorted()
        products = CodeTable(codes)
        productInfo = codes.map { code in
            let product = classifier.byProduct[code]!
            return (product, slotOfKey[product.unit.key]!)
        }
        var last: [Int64: Int64] = [:]
        for (institution, holder) in holderOf where institution > (last[holder] ?? holder) { last[holder] = institution }
        lastMember = last
    }

    /// The agreed figures per holder.
    static func group(_ figures: [(institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64)]) -> AgreedFigures {
        Dictionary(grouping: figures.map { ($0.institutionID, ($0.productCode, $0.quantity, $0.amountFen)) }, by: \.0).mapValues { $0.map(\.1) }
    }

    /// The holders' agreed figures for the year; finishes the holders that waited for them.
    mutating func setAgreed(_ agreed: AgreedFigures) {
        self.agreed = agreed
        agreedSet = true
        for (holder, units) in waiting { finish(holder, units) }
        waiting = []
    }

    func inProblem(_ unit: CheckUnit, institution: Int64, month: MonthKey) -> Bool {
        guard !problems.isEmpty, let region = byID[institution]?.regionCode else { return false }
        return problems.contains { $0.covers(unit: unit, regionCode: region, month: month) }
    }

    /// One institution's accepted lines and open orders; finishes its holder when no member can follow.
    mutating func add(institution: Int64, _ lines: [AcceptedLine], open orders: [OpenSum] = []) {
        let holder = holderOf[institution] ?? institution
        if !orders.isEmpty { open[holder, default: []] += orders }
        var units = pending.removeValue(forKey: holder) ?? HolderUnits(unitCount: unitKeys.count)
        // The institution's region, looked up once, when there are verified supply problems to check the lines against;
        // the holder's, which reported the demand, for essential specs that were not carried.
        let region = problems.isEmpty ? nil : byID[institution]?.regionCode
        let holderRegion = byID[holder]?.regionCode ?? ""
        for line in lines {
            let (product, slot) = productInfo[Int(line.product)]
            let covered = region.map { r in problems.contains { $0.covers(unit: product.unit, regionCode: r, month: line.month) } } ?? false
            var one = Tally()
            one.add(
                product, quantity: line.quantity, amountFen: line.amountFen, inProblem: covered,
                notCarried: product.essentialWinnerRegions != nil && product.notCarried(regionCode: holderRegion))
            totals[Int(slot)].purchases.add(one)
            let u = units.index(slot)
            // Changed in place: a copy of the state would copy its months on every line.
            let m = units.states[u].monthIndex(line.month)
            units.states[u].months[m].tally.add(one)
            units.states[u].acc.accept(one, inYear: line.inYear)
        }
        if (lastMember[holder] ?? holder) <= institution {
            if agreedSet { finish(holder, units) } else { waiting.append((holder, units)) }
        } else {
            pending[holder] = units
        }
    }

    /// Finishes the holders still open and those with agreements or open orders but no accepted purchase.
    mutating func finish() {
        precondition(agreedSet, "the agreed figures are set before the fold finishes")
        for (holder, units) in pending { finish(holder, units) }
        pending = [:]
        for holder in Set(agreed.keys).union(open.keys) where !done.contains(holder) && mine(holder) {
            finish(holder, HolderUnits(unitCount: unitKeys.count))
        }
        sortOutputs()
    }

    func mine(_ holder: Int64) -> Bool { share.count == 1 || Int(holder.magnitude % UInt64(share.count)) == share.index }

    private mutating func sortOutputs() {
        positions.sort { ($0.institutionID, $0.unitKey) < ($1.institutionID, $1.unitKey) }
        unitMonths.sort { ($0.institutionID, $0.unit) < ($1.institutionID, $1.unit) }
    }

    /// Takes in another fold's finished holders (a share of them disjoint from this fold's).
    mutating func merge(_ other: PositionFold) {
        positions += other.positions
        unitMonths += other.unitMonths
        monthCount += other.monthCount
        findings += other.findings
        done.formUnion(other.done)
        rollup.merge(other.rollup)
        for slot in totals.indices where slot < other.totals.count { totals[slot].add(other.totals[slot]) }
        sortOutputs()
    }

    private mutating func finish(_ holder: Int64, _ purchased: HolderUnits) {
        done.insert(holder)
        var units = purchased
        for sum in open[holder] ?? [] {
            guard let product = classifier.classify(sum.productCode), let slot = unitIndex[product.unit] else { continue }
            let u = units.index(slot)
            let added = units.states[u].acc.order(
                product, quantity: sum.quantity, overdueOrders: sum.overdueOrders, overdueQuantity: sum.overdueQuantity,
                inProblem: inProblem(product.unit, institution: holder, month: asOfMonth))
            Tally.plus(&totals[Int(slot)].pendingContent, added.pending)
            Tally.plus(&totals[Int(slot)].overdueContent, added.overdue)
        }
        for figure in agreed[holder] ?? [] {
            guard let product = classifier.classify(figure.productCode), let slot = unitIndex[product.unit] else { continue }
            let content = units.states[units.index(slot)].acc.agree(product, quantity: figure.quantity, amountFen: figure.amountFen)
            Tally.plus(&totals[Int(slot)].agreedContent, content)
            Tally.plus(&totals[Int(slot)].agreedAmountFen, figure.amountFen)
        }
        guard let organisation = byID[holder] else { return }
        // Units in key order (a slot is its key's rank) and months in order, so the tallies and positions come out
        // nearly sorted.
        for u in units.states.indices.sorted(by: { units.slots[$0] < units.slots[$1] }) {
            let slot = units.slots[u]
            let unit = unitsBySlot[Int(slot)]
            let state = units.states[u]
            let acc = state.acc
            if !state.months.isEmpty {
                let regionSlot = rollsUp ? rollup.slot(region: organisation.regionCode, unitKey: unitKeys[Int(slot)]) : 0
                for (month, tally) in state.months.sorted(by: { $0.month < $1.month }) {
                    let m = MonthTally(month: month, tally: tally, valuedWinningFen: acc.valued(tally.winningContent))
                    packer.append(m)
                    if rollsUp { rollup.add(m, to: regionSlot) }
                }
                unitMonths.append(UnitMonthsRow(institutionID: holder, regionCode: organisation.regionCode, unit: slot, months: packer.take()))
                monthCount += state.months.count
            }
            guard acc.positioned else { continue }
            let position = StoredPosition(
                institutionID: holder, institutionCode: organisation.code, institutionName: organisation.name, regionCode: organisation.regionCode,
                unitKey: unitKeys[Int(slot)], yearStart: year.start, agreedContent: acc.agreedContent, agreedAmountFen: acc.agreedAmountFen,
                tally: acc.tally, entered: acc.entered, pendingContent: acc.pendingContent, overdueOrders: acc.overdueOrders,
                overdueContent: acc.overdueContent, supplyProblem: inProblem(unit, institution: holder, month: asOfMonth),
                valuedWinningFen: acc.valued(acc.tally.winningContent), valuedPendingFen: acc.valued(acc.pendingContent))
            positions.append(position)
            findings += MonitorAlerts.evaluate(
                UnitPosition(
                    institutionCode: organisation.code, unit: unit, year: year, agreedContent: acc.agreedContent,
                    agreedAmountFen: acc.agreedAmountFen,
                    tally: acc.tally, entered: acc.entered, overdueOrders: Int(acc.overdueOrders), overdueContent: acc.overdueContent),
                on: day, executionStart: executionStart, policy: policy)
        }
    }

}
