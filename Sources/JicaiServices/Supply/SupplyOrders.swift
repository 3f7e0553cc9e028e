import Foundation
import JicaiCore
import JicaiPersistence

/// One line an institution asks for: packs of the product of one of its agreements.
public struct OrderRequestLine: Sendable, Hashable {
    public var agreementID: Int64
    public var packs: Int64

    public init(agreementID: Int64, packs: Int64) {
        self.agreementID = agreementID
        self.packs = packs
    }
}

extension SupplyService {
    /// Places an institution's order: one order per distributor of the agreements named, each line at the winning
    /// pack price. Refused whole (nothing written) when any line is bad: an agreement not the institution's, not in
    /// force or without a distributor, outside its year or the cycle, a quantity that is not whole packs. A line that
    /// takes the agreement beyond its agreed quantity is allowed (003 §4) and marked. Returns the new orders' ids.
    public func placeOrder(_ scope: BatchScope, lines: [OrderRequestLine], note: String) async throws -> [Int64] {
        var planned: [Int64: Int64] = [:]
        let plan = try await planOrder(scope, lines: lines, note: note, planned: &planned)
        return try await db.transaction { db in try await Self.insert(db, plan) }
    }

    /// An order checked and ready to write: its lines by distributor.
    struct PlannedOrder: Sendable {
        var batchID: Int64
        var batchCode: String
        var institutionID: Int64
        var day: CivilDate
        var user: String
        var at: Date
        var note: String
        var groups: [(distributor: String, lines: [OrderStore.NewLine])]
    }

    /// The checks of `placeOrder`, writing nothing. `planned` carries the minimal units already planned per agreement
    /// by earlier orders of the same file, so that "beyond the agreed quantity" counts them.
    func planOrder(_ scope: BatchScope, lines: [OrderRequestLine], note: String, planned: inout [Int64: Int64]) async throws -> PlannedOrder {
        let access = try access(scope)
        guard access.orders, case .institution(let code) = access.scope else { throw Refusal.forbidden }
        guard !lines.isEmpty else { throw Refusal(.nothingToSubmit, zh: "请至少订购一个产品", en: "order at least one product") }
        guard note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.textTooLong) }
        guard Set(lines.map(\.agreementID)).count == lines.count else { throw Refusal(.duplicateLine) }
        let award = AwardService(db: db, now: now)
        let state = try await award.state(batchID: scope.batch.id)
        guard state.phase == .published else { throw Refusal(.awardNotPublished) }
        let terms = try await award.productTerms(scope.head)
        guard let institution = try await AccountStore(db).organisation(code: code) else { throw Refusal.forbidden }
        let day = today
        var byDistributor: [String: [OrderStore.NewLine]] = [:]
        for line in lines {
            if let refusal = OrderRules.checkOrdered(line.packs) { throw refusal }
            guard let agreement = try await award.agreement(batchID: scope.batch.id, id: line.agreementID), agreement.institutionCode == code else {
                throw Refusal(.agreementNotFound)
            }
            guard agreement.status == .inForce, let distributor = agreement.distributorCode else { throw Refusal(.agreementNotInForce) }
            if let refusal = OrderRules.checkOrderDay(day, year: agreement.year, cycleEnd: state.cycleEnd) { throw refusal }
            guard let term = terms[agreement.productCode] else { throw Refusal(.badProduct) }
            let ordered = try await OrderStore(db).orderedUnder(agreementID: agreement.id)
            let (before, beforeOverflow) = ordered.addingReportingOverflow(planned[agreement.id] ?? 0)
            let (units, unitsOverflow) = line.packs.multipliedReportingOverflow(by: term.packSize)
            let (amount, amountOverflow) = line.packs.multipliedReportingOverflow(by: term.packPriceFen)
            guard !beforeOverflow, !unitsOverflow, !amountOverflow, amount <= InputLimits.maxAmountFen else { throw Refusal(.quantityTooLarge) }
            planned[agreement.id] = (planned[agreement.id] ?? 0) + units
            byDistributor[distributor, default: []].append(
                OrderStore.NewLine(
                    agreementID: agreement.id, productCode: agreement.productCode, manufacturerCode: agreement.manufacturerCode,
                    packPriceFen: term.packPriceFen, packSize: term.packSize, packs: line.packs,
                    beyondAgreed: OrderRules.beyondAgreed(before: before, adding: units, agreed: agreement.quantity)))
        }
        return PlannedOrder(
            batchID: scope.batch.id, batchCode: scope.code, institutionID: institution.id, day: day, user: scope.principal.username, at: now(),
            note: note, groups: byDistributor.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Writes a planned order (inside the caller's transaction): the orders, their purchase lines, the audit.
    static func insert(_ db: DB, _ plan: PlannedOrder) async throws -> [Int64] {
        var ids: [Int64] = []
        for (distributor, newLines) in plan.groups {
            let id = try await OrderStore(db).insert(
                batchID: plan.batchID, institutionID: plan.institutionID, distributor: distributor, on: plan.day, by: plan.user, at: plan.at,
                note: plan.note, lines: newLines)
            ids.append(id)
            guard let order = try await OrderStore(db).order(batchID: plan.batchID, id: id) else { throw Refusal(.internalError) }
            try await Self.project(db, batchID: plan.batchID, institutionID: plan.institutionID, order: order, deliveries: [])
            try await AuditLog(db).record(
                actor: plan.user, event: .orderPlace, key: "\(plan.batchCode)/\(StoredOrder.number(id))",
                summary: "订单\(StoredOrder.number(id))：\(newLines.count)个产品，配送企业\(distributor)", at: plan.at)
        }
        return ids
    }

    /// The distributor confirms an order it received.
    public func confirm(_ scope: BatchScope, id: Int64) async throws -> StoredOrder {
        try await change(scope, id: id, event: .orderConfirm, summary: "配送企业确认订单") { order, access in
            guard access.ships else { throw Refusal.forbidden }
            guard order.status == .placed else { throw Refusal(.orderState) }
            order.confirmedDate = today
            order.confirmedBy = scope.principal.username
        }
    }

    /// The institution withdraws an order the distributor has not confirmed.
    public func withdraw(_ scope: BatchScope, id: Int64) async throws -> StoredOrder {
        try await change(scope, id: id, event: .orderWithdraw, summary: "医疗机构撤回订单") { order, access in
            guard access.orders else { throw Refusal.forbidden }
            guard order.status == .placed else { throw Refusal(.orderState) }
            order.withdrawnBy = scope.principal.username
        }
    }

    /// The institution closes what is still to ship (nothing may be on its way).
    public func close(_ scope: BatchScope, id: Int64) async throws -> StoredOrder {
        try await change(scope, id: id, event: .orderClose, summary: "医疗机构结案，未配送部分不再配送") { order, access in
            guard access.orders else { throw Refusal.forbidden }
            guard order.confirmedDate != nil, order.withdrawnBy == nil, !order.lines.contains(where: { $0.figures.inTransit > 0 }),
                order.lines.contains(where: { $0.figures.outstanding > 0 })
            else { throw Refusal(.orderState) }
            for index in order.lines.indices { order.lines[index].figures.closed += order.lines[index].figures.outstanding }
        }
    }

    /// Reads the order, lets `body` change it (refusing what it may not), then writes it if nobody changed it
    /// meanwhile, with its purchase lines and the audit entry, in one transaction.
    func change(
        _ scope: BatchScope, id: Int64, event: AuditEvent, summary: String, _ body: (inout StoredOrder, Access) throws -> Void
    ) async throws -> StoredOrder {
        let access = try access(scope)
        var order = try await order(scope, id: id, access: access)
        let version = order.version
        try body(&order, access)
        order.status = order.derivedStatus
        let (changed, batchID, user, at, key) = (order, scope.batch.id, scope.principal.username, now(), "\(scope.code)/\(order.number)")
        try await db.transaction { db in
            guard try await OrderStore(db).update(changed, from: version) else { throw Refusal(.concurrentChange) }
            let deliveries = try await DeliveryStore(db).deliveries(orderID: changed.id)
            try await Self.project(db, batchID: batchID, order: changed, deliveries: deliveries)
            try await AuditLog(db).record(actor: user, event: event, key: key, summary: summary + "（\(changed.number)）", at: at)
        }
        return order
    }

    /// Rewrites an order's purchase lines for monitoring: each accepted delivery line with its acceptance day; each
    /// line delivered and not yet accepted with its delivery day; what is still to ship with no delivery. Rejected
    /// packs are not purchases. Quantities in minimal units (packs × pack size), amounts packs × pack price.
    static func project(_ db: DB, batchID: Int64, institutionID: Int64? = nil, order: StoredOrder, deliveries: [StoredDelivery]) async throws {
        let holder: Int64
        if let institutionID {
            holder = institutionID
        } else {
            guard let org = try await AccountStore(db).organisation(code: order.institutionCode) else { throw Refusal(.internalError) }
            holder = org.id
        }
        let lines = Dictionary(order.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { a, _ in a })
        var rows: [PurchaseRow] = []
        func row(_ line: StoredOrderLine, packs: Int64, delivered: CivilDate?, accepted: CivilDate?) {
            guard packs > 0 else { return }
            rows.append(
                PurchaseRow(
                    institutionID: holder, productCode: line.productCode, orderDate: order.orderDate, deliveryDate: delivered,
                    acceptanceDate: accepted, quantity: packs * line.packSize, amountFen: packs * line.packPriceFen, orderNumber: order.number))
        }
        for delivery in deliveries {
            for part in delivery.lines {
                guard let line = lines[part.lineNo] else { continue }
                if let accepted = part.accepted {
                    row(line, packs: accepted, delivered: delivery.shipDate, accepted: delivery.acceptDate)
                } else {
                    row(line, packs: part.packs, delivered: delivery.shipDate, accepted: nil)
                }
            }
        }
        if order.withdrawnBy == nil {
            for line in order.lines { row(line, packs: line.figures.outstanding, delivered: nil, accepted: nil) }
        }
        try await MonitorService.replaceOrderLines(db, batchID: batchID, number: order.number, orderDate: order.orderDate, rows: rows)
    }
}
