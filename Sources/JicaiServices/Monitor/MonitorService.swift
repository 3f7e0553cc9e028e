import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The monitoring stage (用): purchase imports, the recompute of positions and alerts, the dashboards' figures and the
/// alerts' life (docs/rules.md "The measures"; 004 §6).
public struct MonitorService: Sendable {
    let db: DB
    let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// What monitoring needs of a batch: the published award's cycle and the catalogue.
    struct Context: Sendable {
        var head: BatchStore.Head
        var catalogue: Catalogue
        var executionStart: CivilDate
        var cycleEnd: CivilDate
        var policy: MonitorPolicy { head.batch.policy.monitor }
        var years: [AgreementYear] { AgreementYears.years(start: executionStart, cycleEnd: cycleEnd) }

        /// The first agreement year; the context is refused when the stored cycle has none.
        let firstYear: AgreementYear

        /// The agreement year a day falls in (the first before the cycle, the last after it).
        func year(of day: CivilDate) -> AgreementYear {
            let all = years
            return all.first { $0.start <= day && day < $0.end } ?? (day < executionStart ? firstYear : all.last ?? firstYear)
        }

        var cycleMonths: [MonthKey] {
            let first = MonthKey(executionStart)
            return MonthRange(first: first, last: MonthKey(cycleEnd))?.months ?? [first]
        }
    }

    func context(_ batchCode: String) async throws -> Context {
        guard let head = try await BatchStore(db).head(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        return try await context(head)
    }

    /// The context of a batch already read (a scope's head): the catalogue from the cache, the award's state.
    func context(_ head: BatchStore.Head) async throws -> Context {
        guard let entry = try await BatchStore(db).cachedCatalogue(head) else { throw ServiceError.noCatalogue(head.batch.code) }
        let state = try await AwardService(db: db, now: now).state(batchID: head.batch.id)
        guard state.phase == .published, let start = state.executionStart, let end = state.cycleEnd, start <= end else {
            throw Refusal(.awardNotPublished)
        }
        // A stored cycle without an agreement year (written before publication checked it) is refused, not trapped on.
        guard let first = AgreementYears.years(start: start, cycleEnd: end).first else { throw Refusal(.badCycle) }
        return Context(head: head, catalogue: entry.catalogue, executionStart: start, cycleEnd: end, firstYear: first)
    }

    /// The batch's last run, if any.
    func lastRun(batchCode: String) async throws -> MonitorRun? {
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        return try await MonitorStore(db).run(batchID: batch.id)
    }

    /// Records a verified supply problem (004 §7): inside it, backups count as winning and non-winning purchases leave
    /// the share. Recompute afterwards.
    func addSupplyProblem(batchCode: String, _ problem: SupplyProblem, note: String, actor: AuditActor) async throws {
        // Bounded here too: the command line comes through this door.
        guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, note.count <= InputLimits.maxNoteCharacters else {
            throw Refusal(.noteRequired)
        }
        let context = try await context(batchCode)
        let region = problem.regionPrefix
        guard region.isEmpty || DivisionCode.isPrefix(region) else {
            throw Refusal(.badRegion, zh: "区划代码应为2、4或6位数字：“\(region)”", en: "a division code has 2, 4 or 6 digits: \"\(region)\"")
        }
        guard region.hasPrefix(String(context.head.batch.provinceCode.prefix(2))) || region.isEmpty else {
            throw Refusal(.badRegion, zh: "区划“\(region)”不在本省", en: "region \"\(region)\" is outside the province")
        }
        guard context.catalogue.units.contains(problem.unit) else {
            throw Refusal(.unknownUnit, zh: "品种“\(problem.unit.key)”不在本批次", en: "unit \"\(problem.unit.key)\" is not in the batch")
        }
        guard problem.from <= problem.through else {
            throw Refusal(.badPeriod, zh: "起始月份不能晚于结束月份", en: "the first month must not be after the last")
        }
        let at = now()
        try await db.transaction { db in
            try await MonitorStore(db).addProblem(batchID: context.head.batch.id, problem, note: note, by: actor.name, at: at)
            try await AuditLog(db).record(
                actor: actor.name, event: .supplyProblemCreate, key: "\(context.head.batch.code)/\(problem.unit.key)",
                summary:
                    "认定供应问题 \(problem.unit.key) \(problem.regionPrefix.isEmpty ? "全省" : problem.regionPrefix) \(problem.from)–\(problem.through)：\(note)",
                at: at)
        }
    }
}

extension MonitorService {
    /// What the supply stage hands to monitoring: a supply problem verified at the end of a ticket's life, written in
    /// the caller's transaction (`db`), so the ticket's decision and the problem land together. A recompute counts it.
    static func recordVerifiedProblem(_ db: DB, batchID: Int64, _ problem: SupplyProblem, note: String, by actor: String, at: Date) async throws
        -> Int64
    {
        try await MonitorStore(db).addProblem(batchID: batchID, problem, note: note, by: actor, at: at)
    }

    /// What the supply stage writes into monitoring: the purchase lines of one of its orders (source `order`, which a
    /// purchase import never replaces), in the caller's transaction.
    static func replaceOrderLines(_ db: DB, batchID: Int64, number: String, orderDate: CivilDate, rows: [PurchaseRow]) async throws {
        try await PurchaseStore(db).replaceOrder(batchID: batchID, number: number, orderDate: orderDate, rows: rows)
    }

    /// What the supply stage reads back for the prepayment's offsets: each institution's accepted purchases of its
    /// agreements' products in one agreement year up to a day.
    static func acceptedUnderAgreements(_ db: DB, batchID: Int64, yearStart: CivilDate, through: CivilDate) async throws -> [Int64: Int64] {
        try await PurchaseStore(db).acceptedUnderAgreements(batchID: batchID, yearStart: yearStart, through: through)
    }

    /// The monthly partitions of the purchases on PostgreSQL (none on SQLite), for operators.
    public func partitions() async throws -> [String] { try await PurchaseStore(db).partitions() }

    /// Detaches a month's partition on PostgreSQL (its lines stay in a table of their own, out of monitoring), audited;
    /// refused on SQLite (NOT_ON_THIS_ENGINE) and for a month without a partition (NOT_FOUND).
    public func detachPartition(_ month: MonthKey, actor: AuditActor) async throws {
        let name = "purchases_m\(month.yyyymm)"
        guard db.engine == .postgres else {
            throw Refusal(.notOnThisEngine, zh: "只有PostgreSQL按月分区", en: "only PostgreSQL partitions the purchases by month")
        }
        guard try await PurchaseStore(db).partitions().contains(name) else {
            throw Refusal(.notFound, zh: "没有\(month)的采购明细分区", en: "no partition of \(month)")
        }
        let at = now()
        try await db.transaction { db in
            try await PurchaseStore(db).detach(month)
            try await AuditLog(db).record(
                actor: actor.name, event: .purchasesDetach, key: name, summary: "分离\(month)的采购明细分区", at: at)
        }
    }
}
