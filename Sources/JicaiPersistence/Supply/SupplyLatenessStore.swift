import Foundation
import JicaiCore
import SQLKit

/// What the supply alerts are raised on (`SupplyAlerts`): the product lines of orders still unconfirmed on a day, and
/// of accepted deliveries past their due date with something unpaid on that day. Read by monitoring's recompute.
public struct SupplyLatenessStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    public struct OrderLine: Sendable, Hashable {
        public var orderID: Int64
        public var institutionID: Int64
        public var orderDate: CivilDate
        public var productCode: String
    }

    public struct DeliveryLine: Sendable, Hashable {
        public var deliveryID: Int64
        public var institutionID: Int64
        public var dueDate: CivilDate
        public var unpaidFen: Int64
        public var productCode: String
    }

    /// The lines of orders placed on or before `day` and not confirmed by it (withdrawn and cancelled ones left out).
    public func unconfirmed(batchID: Int64, on day: CivilDate) async throws -> [OrderLine] {
        struct R: Decodable { var id: Int64, institution_id: Int64, order_date: Int64, product_code: String }
        return try await db.all(
            """
            SELECT DISTINCT s.id, s.institution_id, s.order_date, l.product_code
            FROM supply_orders s JOIN supply_order_lines l ON l.order_id = s.id
            WHERE s.batch_id = \(bind: batchID) AND s.status <> \(bind: OrderStatus.cancelled.rawValue) AND s.order_date <= \(bind: day.yyyymmdd)
              AND (s.confirmed_date IS NULL OR s.confirmed_date > \(bind: day.yyyymmdd))
            ORDER BY s.id
            """, as: R.self
        ).compactMap { r in
            CivilDate(yyyymmdd: r.order_date).map {
                OrderLine(orderID: r.id, institutionID: r.institution_id, orderDate: $0, productCode: r.product_code)
            }
        }
    }

    /// The accepted lines of deliveries accepted by `day`, due before it and not paid in full by it (the institution's
    /// payments and the fund's settlement payments dated on or before `day`).
    public func overdue(batchID: Int64, on day: CivilDate) async throws -> [DeliveryLine] {
        struct R: Decodable { var id: Int64, institution_id: Int64, due_date: Int64, unpaid: Int64, product_code: String }
        return try await db.all(
            """
            SELECT d.id, s.institution_id, d.due_date, l.product_code,
                   CAST(d.amount_fen - (SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p
                        WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds) AND p.on_date <= \(bind: day.yyyymmdd)) AS BIGINT) AS unpaid
            FROM supply_deliveries d JOIN supply_orders s ON s.id = d.order_id
            JOIN supply_delivery_lines dl ON dl.delivery_id = d.id
            JOIN supply_order_lines l ON l.order_id = d.order_id AND l.line_no = dl.line_no
            WHERE d.batch_id = \(bind: batchID) AND d.accept_date IS NOT NULL AND d.accept_date <= \(bind: day.yyyymmdd)
              AND d.due_date < \(bind: day.yyyymmdd) AND dl.accepted > 0
            ORDER BY d.id, dl.line_no
            """, as: R.self
        ).compactMap { r in
            guard r.unpaid > 0, let due = CivilDate(yyyymmdd: r.due_date) else { return nil }
            return DeliveryLine(deliveryID: r.id, institutionID: r.institution_id, dueDate: due, unpaidFen: r.unpaid, productCode: r.product_code)
        }
    }
}
