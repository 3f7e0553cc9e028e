import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The insurance fund's prepayment (预付, 003 §8(一)) and the monthly direct settlement (直接结算, 004 §6): the province
/// pays each institution a share of its year's agreed amount at the year's start, offsets it month by month as the
/// institution completes the year, and recovers what is left after the year; each month the fund pays the firms the
/// accepted, invoiced and unpaid deliveries directly. Every movement is a ledger entry; an approved run never changes.
extension SupplyService {
    /// Whether the scope's principal runs the province's money operations (prepayment, settlement runs): the
    /// administrator of the batch's province.
    public func administers(_ scope: BatchScope) -> Bool {
        Authorizer.canAdminister(scope.principal, provinceCode: scope.batch.provinceCode)
    }

    /// The province's administrator of the batch's province, or FORBIDDEN.
    func requireAdministrator(_ scope: BatchScope) throws {
        guard administers(scope) else { throw Refusal.forbidden }
    }

    /// Pays the prepayment of the agreement year starting on `yearStart`: for every institution with agreements of
    /// that year, round_half_up(the year's agreed amount × the batch's share); once per year (PREPAYMENT_EXISTS).
    public func payPrepayment(_ scope: BatchScope, yearStart: CivilDate) async throws -> (institutions: Int, totalFen: Int64) {
        try requireAdministrator(scope)
        let share = scope.batch.policy.prepaymentShare
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        return try await db.transaction { db in
            try await db.serialise(on: "prepayment-\(batchID)")
            let store = SettlementStore(db)
            guard try await !store.hasPrepayment(batchID: batchID, yearStart: yearStart) else { throw Refusal(.prepaymentExists) }
            let years = try await AwardService.agreedByYear(db, batchID: batchID).filter { $0.year.start == yearStart }
            guard !years.isEmpty else {
                throw Refusal(.badDate, zh: "没有始于\(yearStart)的协议年度", en: "no agreement year starts on \(yearStart)")
            }
            var total: Int64 = 0
            let entries = years.map { entry in
                let amount = Prepayment.amount(yearAgreedFen: entry.amountFen, share: share)
                total += amount
                return SettlementStore.NewEntry(
                    institutionID: entry.institutionID, yearStart: yearStart, kind: .prepayment, month: nil, amountFen: amount,
                    source: "协议年度\(yearStart)约定采购金额\(Fen(entry.amountFen).yuanText)元 × \(share)", settlementID: nil)
            }
            try await store.addLedgerMany(batchID: batchID, entries, by: user, at: at)
            try await AuditLog(db).record(
                actor: user, event: .prepaymentPay, key: "\(code)/\(yearStart)",
                summary: "拨付协议年度\(yearStart)医保基金预付金：\(years.count)家机构，共\(Fen(total).yuanText)元", at: at)
            return (years.count, total)
        }
    }

    /// Recovers every balance of a year that has ended into the fund (003 §8(一)); refused before the year's last day
    /// has passed. Returns the institutions with a balance and the amount.
    public func recoverPrepayment(_ scope: BatchScope, yearStart: CivilDate) async throws -> (institutions: Int, totalFen: Int64) {
        try requireAdministrator(scope)
        let day = today
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        return try await db.transaction { db in
            try await db.serialise(on: "prepayment-\(batchID)")
            let years = try await AwardService.agreedByYear(db, batchID: batchID).filter { $0.year.start == yearStart }
            guard let year = years.first?.year, year.lastDay < day else {
                throw Refusal(.badDate, zh: "协议年度结束后才能回收预付金", en: "the prepayment is recovered after the agreement year ends")
            }
            let store = SettlementStore(db)
            var (count, total) = (0, Int64(0))
            for (institution, sum) in try await store.sums(batchID: batchID, yearStart: yearStart).sorted(by: { $0.key < $1.key }) {
                let balance = sum.prepayment - sum.offsets - sum.recovered
                guard balance > 0 else { continue }
                try await store.addLedger(
                    batchID: batchID, institutionID: institution, yearStart: yearStart, kind: .recovery, month: nil, amountFen: balance,
                    source: "协议年度结束，余额收回基金", settlementID: nil, by: user, at: at)
                count += 1
                total += balance
            }
            try await AuditLog(db).record(
                actor: user, event: .prepaymentRecover, key: "\(code)/\(yearStart)",
                summary: "收回协议年度\(yearStart)预付金余额：\(count)家机构，共\(Fen(total).yuanText)元", at: at)
            return (count, total)
        }
    }

    /// Runs the settlement of `month` as a draft (replacing an earlier draft): each accepted delivery's invoiced and
    /// unpaid amount paid to its firm directly, and each institution's prepayment offset of the month. One transaction:
    /// a run stopped half-way leaves nothing (`interrupt` lets a test stop it after the lines are written).
    public func runSettlement(_ scope: BatchScope, month: MonthKey) async throws -> SettlementRun {
        try requireAdministrator(scope)
        guard month.lastDay <= today else {
            throw Refusal(.badDate, zh: "只能结算已结束的月份", en: "only a month that has ended can be settled")
        }
        return try await runSettlement(scope, month: month, interrupt: nil)
    }

    func runSettlement(_ scope: BatchScope, month: MonthKey, interrupt: (@Sendable () throws -> Void)?) async throws -> SettlementRun {
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        let id: Int64 = try await db.transaction { db in
            try await db.serialise(on: "settlement-\(batchID)")
            let store = SettlementStore(db)
            try await store.deleteDrafts(batchID: batchID)
            var lines = try await store.unsettled(batchID: batchID, acceptedBy: month.lastDay).map {
                SettlementStore.Line(
                    institutionID: $0.institution, distributorCode: $0.distributor, deliveryID: $0.delivery, kind: .direct, amountFen: $0.fen)
            }
            lines += try await Self.offsets(db, batchID: batchID, month: month)
            let direct = lines.filter { $0.kind == .direct }.reduce(0) { $0 + $1.amountFen }
            let offset = lines.filter { $0.kind == .offset }.reduce(0) { $0 + $1.amountFen }
            let id = try await store.insertRun(batchID: batchID, month: month, by: user, at: at, directFen: direct, offsetFen: offset)
            try await store.insertLines(runID: id, lines)
            try interrupt?()
            try await AuditLog(db).record(
                actor: user, event: .settlementRun, key: "\(code)/\(id)",
                summary: "生成\(month)直接结算单（待审核）：直接结算\(Fen(direct).yuanText)元，预付金冲抵\(Fen(offset).yuanText)元", at: at)
            return id
        }
        guard let run = try await SettlementStore(db).run(batchID: batchID, id: id) else { throw Refusal(.settlementNotFound) }
        return run
    }

    /// Each institution's offset of the month, for the prepaid year containing the month's last day.
    static func offsets(_ db: DB, batchID: Int64, month: MonthKey) async throws -> [SettlementStore.Line] {
        let store = SettlementStore(db)
        let monthEnd = month.lastDay
        let agreed = try await AwardService.agreedByYear(db, batchID: batchID)
        var lines: [SettlementStore.Line] = []
        for yearStart in try await store.prepaidYears(batchID: batchID) {
            let ofYear = agreed.filter { $0.year.start == yearStart }
            guard let year = ofYear.first?.year, year.start <= monthEnd, monthEnd <= year.lastDay else { continue }
            let sums = try await store.sums(batchID: batchID, yearStart: yearStart)
            let accepted = try await MonitorService.acceptedUnderAgreements(db, batchID: batchID, yearStart: yearStart, through: monthEnd)
            for entry in ofYear {
                guard let sum = sums[entry.institutionID] else { continue }
                let offset = Prepayment.offset(
                    prepaymentFen: sum.prepayment, acceptedFen: accepted[entry.institutionID] ?? 0, agreedFen: entry.amountFen,
                    offsetSoFar: sum.offsets)
                if offset > 0 {
                    lines.append(
                        SettlementStore.Line(
                            institutionID: entry.institutionID, distributorCode: "", deliveryID: nil, kind: .offset, amountFen: offset))
                }
            }
        }
        return lines
    }

    /// Approves a draft run: the direct payments are recorded against their deliveries and the offsets enter the
    /// ledger, in one transaction; a run approved before is refused (SETTLEMENT_APPROVED) and changes nothing.
    public func approveSettlement(_ scope: BatchScope, id: Int64) async throws -> SettlementRun {
        try requireAdministrator(scope)
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        guard let run = try await SettlementStore(db).run(batchID: batchID, id: id) else { throw Refusal(.settlementNotFound) }
        let day = today
        try await db.transaction { db in
            let store = SettlementStore(db)
            guard try await store.approve(runID: id, by: user, at: at) else { throw Refusal(.settlementApproved) }
            let agreed = try await AwardService.agreedByYear(db, batchID: batchID)
            let monthEnd = run.month.lastDay
            var yearOf: [Int64: CivilDate] = [:]
            for entry in agreed where entry.year.start <= monthEnd && monthEnd <= entry.year.lastDay {
                yearOf[entry.institutionID] = entry.year.start
            }
            var payments: [(deliveryID: Int64, amountFen: Int64)] = []
            var offsets: [SettlementStore.NewEntry] = []
            for line in try await store.lines(runID: id) {
                switch line.kind {
                case .direct:
                    if let delivery = line.deliveryID { payments.append((delivery, line.amountFen)) }
                case .offset:
                    guard let yearStart = yearOf[line.institutionID] else { continue }
                    offsets.append(
                        SettlementStore.NewEntry(
                            institutionID: line.institutionID, yearStart: yearStart, kind: .offset, month: run.month, amountFen: line.amountFen,
                            source: "\(run.month)直接结算单JS\(id)冲抵", settlementID: id))
                }
            }
            try await DeliveryStore(db).recordSettlements(batchID: batchID, payments, number: "JS\(id)", on: day, by: user, at: at)
            try await store.addLedgerMany(batchID: batchID, offsets, by: user, at: at)
            try await AuditLog(db).record(
                actor: user, event: .settlementApprove, key: "\(code)/\(id)",
                summary: "审核通过\(run.month)直接结算单JS\(id)：直接结算\(Fen(run.directFen).yuanText)元，预付金冲抵\(Fen(run.offsetFen).yuanText)元", at: at)
        }
        guard let approved = try await SettlementStore(db).run(batchID: batchID, id: id) else { throw Refusal(.settlementNotFound) }
        return approved
    }
}
