import Foundation
import JicaiCore
import JicaiPersistence

/// The supply stage (供): orders under agreements, deliveries with lots, expiry and traceability codes, acceptance,
/// invoices and payments with their due dates. Every operation takes the batch scope and decides from it who may do
/// what; every change is audited and rewrites the order's purchase lines for monitoring (source `order`) in the same
/// transaction.
public struct SupplyService: Sendable {
    let db: DB
    let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// Who may see and do what in supply: the province or a city watches its region; an institution orders, accepts
    /// and pays its own; a distributor confirms, ships and invoices its own; a manufacturer sees the orders of its
    /// products.
    public struct Access: Sendable, Hashable {
        public var scope: OrderStore.Scope
        public var orders: Bool
        public var ships: Bool
        public var watches: Bool

        /// What the party records against accepted deliveries: a distributor its invoices, an institution its payments.
        public var records: MoneyKind? { ships ? .invoice : orders ? .payment : nil }

        public static func of(_ principal: Principal, batch: BatchRecord) -> Access? {
            guard Authorizer.canSeeBatch(principal, provinceCode: batch.provinceCode) else { return nil }
            switch principal.role {
            case .provinceAdmin, .provinceReviewer, .cityReviewer:
                return principal.regionPrefix.map { Access(scope: .region($0), orders: false, ships: false, watches: true) }
            case .institutionFiller, .institutionHead:
                return principal.organisationCode.map { Access(scope: .institution($0), orders: true, ships: false, watches: false) }
            case .distributor:
                return principal.organisationCode.map { Access(scope: .distributor($0), orders: false, ships: true, watches: false) }
            case .manufacturer:
                return principal.organisationCode.map { Access(scope: .manufacturer($0), orders: false, ships: false, watches: false) }
            }
        }

        /// Whether the order is inside this access's scope.
        public func sees(_ order: StoredOrder) -> Bool {
            switch scope {
            case .region(let prefix): order.regionCode.hasPrefix(prefix)
            case .institution(let code): order.institutionCode == code
            case .distributor(let code): order.distributorCode == code
            case .manufacturer(let code): order.lines.contains { $0.manufacturerCode == code }
            }
        }
    }

    public func access(_ scope: BatchScope) throws -> Access {
        guard let access = Access.of(scope.principal, batch: scope.batch) else { throw Refusal.forbidden }
        return access
    }

    var today: CivilDate { CivilDate(beijing: now()) }

    /// One order the scope sees, with its lines (ORDER_NOT_FOUND otherwise: its existence is not revealed).
    func order(_ scope: BatchScope, id: Int64, access: Access) async throws -> StoredOrder {
        guard let order = try await OrderStore(db).order(batchID: scope.batch.id, id: id), access.sees(order) else {
            throw Refusal(.orderNotFound)
        }
        return order
    }

    // MARK: Reading

    /// A page of the orders the scope sees, with the count of each status.
    public struct OrdersPage: Sendable {
        public var access: Access
        public var page: Page<StoredOrder>
        public var counts: [OrderStatus: Int64]
    }

    public func ordersPage(_ scope: BatchScope, status: OrderStatus?, page: PageRequest) async throws -> OrdersPage {
        let access = try access(scope)
        let store = OrderStore(db)
        return OrdersPage(
            access: access, page: try await store.page(batchID: scope.batch.id, scope: access.scope, status: status, page: page),
            counts: try await store.counts(batchID: scope.batch.id, scope: access.scope))
    }

    /// One order with its deliveries, and what the scope's principal may do with it now.
    public struct OrderDetail: Sendable {
        public var order: StoredOrder
        public var deliveries: [StoredDelivery]
        public var access: Access
        public var confirmedLate: Bool

        public var mayConfirm: Bool { access.ships && order.status == .placed }
        public var mayShip: Bool {
            access.ships && order.status != .placed && order.lines.contains { $0.figures.outstanding > 0 } && !closedOrWithdrawn
        }
        public var mayWithdraw: Bool { access.orders && order.status == .placed }
        public var mayClose: Bool {
            access.orders && order.confirmedDate != nil && !closedOrWithdrawn && order.lines.contains { $0.figures.outstanding > 0 }
                && !order.lines.contains { $0.figures.inTransit > 0 }
        }
        var closedOrWithdrawn: Bool { order.withdrawnBy != nil }
    }

    public func orderDetail(_ scope: BatchScope, id: Int64) async throws -> OrderDetail {
        let access = try access(scope)
        let order = try await order(scope, id: id, access: access)
        let late = OrderRules.confirmedLate(
            ordered: order.orderDate, confirmed: order.confirmedDate, on: today, days: scope.batch.policy.supply.confirmDays)
        return OrderDetail(
            order: order, deliveries: try await DeliveryStore(db).deliveries(orderID: id), access: access,
            confirmedLate: late && order.withdrawnBy == nil)
    }

    /// What an institution may order: its agreements in force with a distributor, inside their year today.
    public func orderables(_ scope: BatchScope) async throws -> [StoredAgreement] {
        let access = try access(scope)
        guard access.orders, case .institution(let code) = access.scope else { throw Refusal.forbidden }
        let day = today
        return try await AwardService(db: db, now: now).agreementsInForce(batchID: scope.batch.id, institutionCode: code).filter {
            $0.distributorCode != nil && $0.year.start <= day && day <= $0.year.lastDay
        }
    }

    /// A page of accepted deliveries as payables (all, or only the overdue), earliest due first.
    public func payables(_ scope: BatchScope, overdueOnly: Bool, page: PageRequest) async throws -> (Page<Payable>, CivilDate) {
        let access = try access(scope)
        let day = today
        return (
            try await DeliveryStore(db).payables(batchID: scope.batch.id, scope: access.scope, overdueOn: overdueOnly ? day : nil, page: page), day
        )
    }

    /// The traceability codes of one delivered line, for those who see the order.
    public func codes(_ scope: BatchScope, deliveryID: Int64, lineNo: Int) async throws -> [TraceCode] {
        let access = try access(scope)
        guard let delivery = try await DeliveryStore(db).delivery(batchID: scope.batch.id, id: deliveryID) else { throw Refusal(.deliveryNotFound) }
        _ = try await order(scope, id: delivery.orderID, access: access)
        return try await DeliveryStore(db).codes(deliveryID: deliveryID, lineNo: lineNo)
    }
}

/// What the supply stage hands to the award's OCDS export: each agreement's deliveries (milestones) and the payments
/// of them (transactions), a delivery's payments shared out between its agreements by accepted value (in whole fen,
/// the last agreement taking what rounding leaves).
struct ContractImplementation: Sendable, Hashable {
    struct Milestone: Sendable, Hashable {
        var deliveryID: Int64
        var shipDate: CivilDate
        var acceptDate: CivilDate?
        var packs: Int64
        var accepted: Int64?
    }

    struct Transaction: Sendable, Hashable {
        var id: String
        var day: CivilDate
        var fen: Int64
        var bySettlement: Bool
    }

    var milestones: [Milestone] = []
    var transactions: [Transaction] = []

    /// Whether the batch has any delivery (the release then carries the "implementation" tag).
    static func exists(_ db: DB, batchID: Int64) async throws -> Bool {
        try await DeliveryStore(db).count(batchID: batchID) > 0
    }

    /// The implementation of each agreement with ids in `agreements`.
    static func of(_ db: DB, batchID: Int64, agreements: ClosedRange<Int64>) async throws -> [Int64: ContractImplementation] {
        let (lines, payments) = try await DeliveryStore(db).implementation(batchID: batchID, agreements: agreements)
        var out: [Int64: ContractImplementation] = [:]
        for line in lines {
            out[line.agreementID, default: ContractImplementation()].milestones.append(
                Milestone(
                    deliveryID: line.deliveryID, shipDate: line.shipDate, acceptDate: line.acceptDate, packs: line.packs, accepted: line.accepted))
        }
        let byDelivery = Dictionary(grouping: lines, by: \.deliveryID)
        for payment in payments {
            guard let parts = byDelivery[payment.deliveryID]?.sorted(by: { $0.agreementID < $1.agreementID }), let total = parts.first?.deliveryFen,
                total > 0
            else { continue }
            let shares = PaymentShares.apportion(payment.amountFen, over: parts.map(\.lineFen), totalFen: total)
            for (part, share) in zip(parts, shares) {
                guard share > 0 else { continue }
                out[part.agreementID, default: ContractImplementation()].transactions.append(
                    Transaction(id: "payment-\(payment.id)-\(part.agreementID)", day: payment.day, fen: share, bySettlement: payment.bySettlement))
            }
        }
        return out
    }
}

/// What is waiting for the user in supply, for the batch home: orders to confirm (a distributor) or deliveries to
/// accept (an institution), payments overdue in the user's scope, tickets to act on.
public struct SupplyTodo: Sendable, Hashable {
    public var ordersToAct: Int64
    public var overduePayables: Int64
    public var ticketsToAct: Int64
}

extension SupplyService {
    public func todo(_ scope: BatchScope) async throws -> SupplyTodo {
        let access = try access(scope)
        let counts = try await OrderStore(db).counts(batchID: scope.batch.id, scope: access.scope)
        let orders = access.ships ? counts[.placed, default: 0] : access.orders ? counts[.delivered, default: 0] : 0
        let day = today
        let overdue = try await DeliveryStore(db).payables(batchID: scope.batch.id, scope: access.scope, overdueOn: day, page: PageRequest(size: 1))
            .total
        let role = scope.principal.role
        let (status, escalated): (TicketStatus?, Bool) =
            role.isCompany ? (.open, false) : role == .cityReviewer ? (.answered, false) : role.isProvince ? (nil, true) : (.open, false)
        let tickets = try await TicketStore(db).page(
            batchID: scope.batch.id, scope: try ticketScope(scope), status: status, escalatedOn: escalated ? day : nil, page: PageRequest(size: 1)
        ).total
        return SupplyTodo(ordersToAct: orders, overduePayables: overdue, ticketsToAct: tickets)
    }
}
