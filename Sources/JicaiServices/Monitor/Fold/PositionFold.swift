import Foundation
import JicaiCore
import JicaiPersistence

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
        unitIndex = Dictionary(allUnits.compactMap { unit in slotOfKey[unit.key].map { (unit, $0) } }, uniquingKeysWith: { first, _ in first })
        var firstOfKey: [String: CheckUnit] = [:]
        for unit in allUnits where firstOfKey[unit.key] == nil { firstOfKey[unit.key] = unit }
        // `keys` are the keys of `allUnits`: every slot has its unit.
        unitsBySlot = keys.compactMap { firstOfKey[$0] }
        totals = Array(repeating: UnitTotals(), count: keys.count)
        let entries = classifier.byProduct.sorted { $0.key < $1.key }
        products = CodeTable(entries.map(\.key))
        productInfo = entries.map { entry in
            // `allUnits` holds every product's unit (above), so its key has a slot; no input reaches the fallback.
            (entry.value, slotOfKey[entry.value.unit.key] ?? 0)
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
