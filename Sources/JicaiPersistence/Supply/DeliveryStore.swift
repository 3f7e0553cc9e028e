import Foundation
import JicaiCore
import SQLKit

/// Deliveries, their lines and traceability codes, and the invoices and payments of accepted deliveries (供).
public struct DeliveryStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// What counts as paid of a delivery: the institution's payments and the fund's settlement payments (`p` the
    /// alias of `supply_payments`).
    static let paidKinds = "p.kind IN ('\(PaymentKind.payment.rawValue)', '\(PaymentKind.settlement.rawValue)')"

    public struct NewLine: Sendable {
        public var lineNo: Int
        public var packs: Int64
        public var lot: String
        public var expiry: CivilDate
        public var codes: [TraceCode]

        public init(lineNo: Int, packs: Int64, lot: String, expiry: CivilDate, codes: [TraceCode]) {
            self.lineNo = lineNo
            self.packs = packs
            self.lot = lot
            self.expiry = expiry
            self.codes = codes
        }
    }

    /// Stores a shipment with its lines and codes; returns its id.
    public func insert(
        batchID: Int64, orderID: Int64, institutionID: Int64, products: [Int: String], on day: CivilDate, by user: String, lines: [NewLine]
    ) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO supply_deliveries (batch_id, order_id, ship_date, shipped_by, amount_fen)
            VALUES (\(bind: batchID), \(bind: orderID), \(bind: day.yyyymmdd), \(bind: user), 0) RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        try await db.insert(
            into: "supply_delivery_lines", columns: ["delivery_id", "line_no", "packs", "lot", "expiry", "reason"],
            rows: lines.map { [.int(id), .int(Int64($0.lineNo)), .int($0.packs), .text($0.lot), .int($0.expiry.yyyymmdd), .text("")] })
        let codes: [[DBValue]] = lines.flatMap { line in
            line.codes.map {
                [
                    .text($0.text), .text("delivery"), .int(batchID), .int(institutionID), .text(products[line.lineNo] ?? ""), .int(id),
                    .int(Int64(line.lineNo)), .int(day.yyyymmdd),
                ]
            }
        }
        for chunk in stride(from: 0, to: codes.count, by: 500) {
            try await db.insert(
                into: "supply_trace_codes",
                columns: ["code", "stage", "batch_id", "institution_id", "product_code", "delivery_id", "line_no", "seen_date"],
                rows: Array(codes[chunk..<min(chunk + 500, codes.count)]))
        }
        return id
    }

    public func count(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM supply_deliveries WHERE batch_id = \(bind: batchID)")
    }

    /// Which of `codes` were captured at a delivery before (of any batch: a code is unique nationally).
    public func seen(_ codes: [TraceCode]) async throws -> [TraceCode] {
        struct R: Decodable { var code: String }
        var out: [TraceCode] = []
        for chunk in stride(from: 0, to: codes.count, by: 500) {
            let list = ListSQL.bound(codes[chunk..<min(chunk + 500, codes.count)].map(\.text))
            let rows = try await db.all("SELECT code FROM supply_trace_codes WHERE stage = 'delivery' AND code IN (" + list + ")", as: R.self)
            out += rows.compactMap { TraceCode(text: $0.code) }
        }
        return out.sorted()
    }

    /// The deliveries of an order, oldest first, with lines, code counts and the amounts invoiced and paid.
    public func deliveries(orderID: Int64) async throws -> [StoredDelivery] {
        let heads = try await db.all(Self.select + " WHERE d.order_id = \(bind: orderID) ORDER BY d.id", as: Head.self)
        var out: [StoredDelivery] = []
        for head in heads {
            guard var delivery = head.delivery else { continue }
            delivery.lines = try await lines(deliveryID: delivery.id)
            out.append(delivery)
        }
        return out
    }

    public func delivery(batchID: Int64, id: Int64) async throws -> StoredDelivery? {
        guard var delivery = try await db.first(Self.select + " WHERE d.batch_id = \(bind: batchID) AND d.id = \(bind: id)", as: Head.self)?.delivery
        else { return nil }
        delivery.lines = try await lines(deliveryID: id)
        return delivery
    }

    func lines(deliveryID: Int64) async throws -> [StoredDeliveryLine] {
        struct R: Decodable {
            var line_no: Int64, packs: Int64, lot: String, expiry: Int64, accepted: Int64?, rejected: Int64?, reason: String, codes: Int64
        }
        let rows = try await db.all(
            """
            SELECT l.line_no, l.packs, l.lot, l.expiry, l.accepted, l.rejected, l.reason,
            (SELECT COUNT(*) FROM supply_trace_codes c WHERE c.delivery_id = l.delivery_id AND c.line_no = l.line_no) AS codes
            FROM supply_delivery_lines l WHERE l.delivery_id = \(bind: deliveryID) ORDER BY l.line_no
            """, as: R.self)
        return rows.compactMap { row in
            CivilDate(yyyymmdd: row.expiry).map {
                StoredDeliveryLine(
                    lineNo: Int(row.line_no), packs: row.packs, lot: row.lot, expiry: $0, accepted: row.accepted, rejected: row.rejected,
                    reason: row.reason, codes: Int(row.codes))
            }
        }
    }

    /// The traceability codes of a delivery line, in code order.
    public func codes(deliveryID: Int64, lineNo: Int) async throws -> [TraceCode] {
        struct R: Decodable { var code: String }
        return try await db.all(
            """
            SELECT code FROM supply_trace_codes WHERE delivery_id = \(bind: deliveryID) AND line_no = \(bind: Int64(lineNo)) ORDER BY code
            """, as: R.self
        ).compactMap { TraceCode(text: $0.code) }
    }

    /// Records the acceptance of every line and the delivery's amount and due date, if not accepted before; false
    /// when it was (two acceptances at once cannot both land).
    public func accept(
        _ deliveryID: Int64, on day: CivilDate, by user: String, amountFen: Int64, due: CivilDate,
        lines: [(lineNo: Int, accepted: Int64, rejected: Int64, reason: String)]
    ) async throws -> Bool {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            UPDATE supply_deliveries SET accept_date = \(bind: day.yyyymmdd), accepted_by = \(bind: user), amount_fen = \(bind: amountFen),
            due_date = \(bind: due.yyyymmdd) WHERE id = \(bind: deliveryID) AND accept_date IS NULL RETURNING id
            """, as: R.self)
        guard row != nil else { return false }
        for line in lines {
            try await db.run(
                """
                UPDATE supply_delivery_lines SET accepted = \(bind: line.accepted), rejected = \(bind: line.rejected), reason = \(bind: line.reason)
                WHERE delivery_id = \(bind: deliveryID) AND line_no = \(bind: Int64(line.lineNo))
                """)
        }
        return true
    }

    /// Records an invoice or a payment of an accepted delivery.
    public func record(
        batchID: Int64, deliveryID: Int64, kind: PaymentKind, number: String, amountFen: Int64, on day: CivilDate, by user: String, at: Date
    ) async throws {
        try await db.run(
            """
            INSERT INTO supply_payments (batch_id, delivery_id, kind, number, amount_fen, on_date, recorded_by, recorded_at)
            VALUES (\(bind: batchID), \(bind: deliveryID), \(bind: kind.rawValue), \(bind: number), \(bind: amountFen), \(bind: day.yyyymmdd),
                    \(bind: user), \(bind: Timestamp.text(at)))
            """)
    }

    /// Records the fund's payments of an approved run against their deliveries, in multi-row statements.
    public func recordSettlements(
        batchID: Int64, _ payments: [(deliveryID: Int64, amountFen: Int64)], number: String, on day: CivilDate, by user: String, at: Date
    )
        async throws
    {
        let stamp = Timestamp.text(at)
        for start in stride(from: 0, to: payments.count, by: 500) {
            try await db.insert(
                into: "supply_payments",
                columns: ["batch_id", "delivery_id", "kind", "number", "amount_fen", "on_date", "recorded_by", "recorded_at"],
                rows: payments[start..<min(start + 500, payments.count)].map {
                    [
                        .int(batchID), .int($0.deliveryID), .text(PaymentKind.settlement.rawValue), .text(number), .int($0.amountFen),
                        .int(day.yyyymmdd), .text(user), .text(stamp),
                    ]
                })
        }
    }

    /// An invoice (the distributor's), a payment by the institution, or a payment by the fund in an approved
    /// settlement run; the last two are what was paid.
    public enum PaymentKind: String, Sendable {
        case invoice, payment, settlement
    }

    /// One page of the accepted deliveries in scope as payables, earliest due first; with `overdueOn`, only those
    /// unpaid after their due date on that day.
    public func payables(batchID: Int64, scope: OrderStore.Scope, overdueOn: CivilDate?, page: PageRequest) async throws -> Page<Payable> {
        var query = PagedQuery(
            from: """
                supply_deliveries d JOIN supply_orders s ON s.id = d.order_id JOIN organisations o ON o.id = s.institution_id
                LEFT JOIN organisations f ON f.code = s.distributor_code
                """,
            where: "d.batch_id = \(bind: batchID) AND d.accept_date IS NOT NULL")
        query.add(OrderStore.condition(scope))
        if let overdueOn {
            query.add(
                .sql(
                    """
                    d.due_date < \(bind: overdueOn.yyyymmdd) AND d.amount_fen > \
                    (SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds))
                    """))
        }
        return try await query.page(
            db, select: Self.payableColumns, orderBy: "d.due_date, d.id", page: page, as: PayableRow.self, \.payable)
    }

    static let sums: SQLQueryString = """
        CAST((SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p WHERE p.delivery_id = d.id AND p.kind = 'invoice') AS BIGINT) AS invoiced,
        CAST((SELECT COALESCE(SUM(p.amount_fen), 0) FROM supply_payments p WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds)) AS BIGINT) AS paid,
        CAST((SELECT MAX(p.on_date) FROM supply_payments p WHERE p.delivery_id = d.id AND \(unsafeRaw: DeliveryStore.paidKinds)) AS BIGINT) AS paid_on
        """
    static let payableColumns: SQLQueryString =
        """
        d.id, d.order_id, o.code, o.name, o.region_code, s.distributor_code, COALESCE(f.name, s.distributor_code) AS distributor_name,
        d.accept_date, d.due_date, d.amount_fen,
        """ + sums
    static let select: SQLQueryString =
        "SELECT d.id, d.order_id, d.ship_date, d.shipped_by, d.accept_date, d.accepted_by, d.amount_fen, d.due_date, "
        + sums + " FROM supply_deliveries d"

    struct Head: Decodable {
        var id: Int64, order_id: Int64, ship_date: Int64, shipped_by: String, accept_date: Int64?, accepted_by: String?, amount_fen: Int64
        var due_date: Int64?, invoiced: Int64, paid: Int64

        var delivery: StoredDelivery? {
            CivilDate(yyyymmdd: ship_date).map {
                StoredDelivery(
                    id: id, orderID: order_id, shipDate: $0, shippedBy: shipped_by, acceptDate: accept_date.flatMap(CivilDate.init(yyyymmdd:)),
                    acceptedBy: accepted_by, amountFen: amount_fen, dueDate: due_date.flatMap(CivilDate.init(yyyymmdd:)), invoicedFen: invoiced,
                    paidFen: paid, lines: [])
            }
        }
    }

    struct PayableRow: Decodable {
        var id: Int64, order_id: Int64, code: String, name: String, region_code: String, distributor_code: String, distributor_name: String
        var accept_date: Int64, due_date: Int64, amount_fen: Int64, invoiced: Int64, paid: Int64, paid_on: Int64?

        var payable: Payable? {
            guard let accepted = CivilDate(yyyymmdd: accept_date), let due = CivilDate(yyyymmdd: due_date) else { return nil }
            return Payable(
                deliveryID: id, orderID: order_id, institutionCode: code, institutionName: name, regionCode: region_code,
                distributorCode: distributor_code, distributorName: distributor_name, acceptDate: accepted, dueDate: due, amountFen: amount_fen,
                invoicedFen: invoiced, paidFen: paid, paidOn: paid_on.flatMap(CivilDate.init(yyyymmdd:)))
        }
    }
}

extension DeliveryStore {
    /// One agreement's part of one delivery: the packs that came and were accepted, at the line's pack price, and the
    /// delivery's whole accepted value (to share its payments out between its lines).
    public struct AgreementDelivery: Sendable, Hashable {
        public var agreementID: Int64
        public var deliveryID: Int64
        public var shipDate: CivilDate
        public var acceptDate: CivilDate?
        public var dueDate: CivilDate?
        public var packs: Int64
        public var accepted: Int64?
        public var lineFen: Int64
        public var deliveryFen: Int64
    }

    /// A payment of a delivery (by the institution, or by the fund in a settlement run).
    public struct DeliveryPayment: Sendable, Hashable {
        public var id: Int64
        public var deliveryID: Int64
        public var bySettlement: Bool
        public var number: String
        public var amountFen: Int64
        public var day: CivilDate
    }

    /// The deliveries and payments of the agreements whose ids lie in `agreements` (a page of them).
    public func implementation(batchID: Int64, agreements: ClosedRange<Int64>) async throws -> ([AgreementDelivery], [DeliveryPayment]) {
        struct L: Decodable {
            var agreement_id: Int64, id: Int64, ship_date: Int64, accept_date: Int64?, due_date: Int64?, packs: Int64, accepted: Int64?
            var pack_price_fen: Int64, amount_fen: Int64
        }
        let from: SQLQueryString = """
             FROM supply_order_lines ol JOIN supply_orders s ON s.id = ol.order_id
            JOIN supply_deliveries d ON d.order_id = ol.order_id JOIN supply_delivery_lines dl ON dl.delivery_id = d.id AND dl.line_no = ol.line_no
            WHERE s.batch_id = \(bind: batchID) AND ol.agreement_id >= \(bind: agreements.lowerBound) AND ol.agreement_id <= \(bind: agreements.upperBound)
            """
        let lines = try await db.all(
            "SELECT ol.agreement_id, d.id, d.ship_date, d.accept_date, d.due_date, dl.packs, dl.accepted, ol.pack_price_fen, d.amount_fen" + from
                + " ORDER BY ol.agreement_id, d.id", as: L.self
        ).compactMap { row in
            CivilDate(yyyymmdd: row.ship_date).map {
                AgreementDelivery(
                    agreementID: row.agreement_id, deliveryID: row.id, shipDate: $0, acceptDate: row.accept_date.flatMap(CivilDate.init(yyyymmdd:)),
                    dueDate: row.due_date.flatMap(CivilDate.init(yyyymmdd:)), packs: row.packs, accepted: row.accepted,
                    lineFen: (row.accepted ?? 0) * row.pack_price_fen, deliveryFen: row.amount_fen)
            }
        }
        struct P: Decodable { var id: Int64, delivery_id: Int64, kind: String, number: String, amount_fen: Int64, on_date: Int64 }
        let payments = try await db.all(
            """
            SELECT p.id, p.delivery_id, p.kind, p.number, p.amount_fen, p.on_date FROM supply_payments p
            WHERE \(unsafeRaw: DeliveryStore.paidKinds) AND p.delivery_id IN (SELECT d.id
            """ + from + ") ORDER BY p.id", as: P.self
        ).compactMap { row in
            CivilDate(yyyymmdd: row.on_date).map {
                DeliveryPayment(
                    id: row.id, deliveryID: row.delivery_id, bySettlement: row.kind == "settlement", number: row.number, amountFen: row.amount_fen,
                    day: $0)
            }
        }
        return (lines, payments)
    }
}
