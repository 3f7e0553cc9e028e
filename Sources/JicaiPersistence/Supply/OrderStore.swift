import Foundation
import JicaiCore
import SQLKit

/// Orders and their lines (供). Writes are the service's, inside its transactions; every change of a line rewrites
/// the order's status and bumps its version, so two changes read from one version cannot both land.
public struct OrderStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// Who sees which orders: a region's, an institution's own, a distributor's, or those holding a manufacturer's products.
    public enum Scope: Sendable, Hashable {
        case region(String)
        case institution(String)
        case distributor(String)
        case manufacturer(String)
    }

    public struct NewLine: Sendable {
        public var agreementID: Int64
        public var productCode: String
        public var manufacturerCode: String
        public var packPriceFen: Int64
        public var packSize: Int64
        public var packs: Int64
        public var beyondAgreed: Bool

        public init(
            agreementID: Int64, productCode: String, manufacturerCode: String, packPriceFen: Int64, packSize: Int64, packs: Int64, beyondAgreed: Bool
        ) {
            self.agreementID = agreementID
            self.productCode = productCode
            self.manufacturerCode = manufacturerCode
            self.packPriceFen = packPriceFen
            self.packSize = packSize
            self.packs = packs
            self.beyondAgreed = beyondAgreed
        }
    }

    /// Stores a placed order and its lines; returns its id.
    public func insert(
        batchID: Int64, institutionID: Int64, distributor: String, on day: CivilDate, by user: String, at: Date, note: String, lines: [NewLine]
    ) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO supply_orders (batch_id, institution_id, distributor_code, order_date, placed_by, placed_at, note, status, version)
            VALUES (\(bind: batchID), \(bind: institutionID), \(bind: distributor), \(bind: day.yyyymmdd), \(bind: user), \(bind: Timestamp.text(at)),
                    \(bind: note), \(bind: OrderStatus.placed.rawValue), 1)
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        let rows: [[DBValue]] = lines.enumerated().map { index, line in
            [
                .int(id), .int(Int64(index + 1)), .int(line.agreementID), .text(line.productCode), .text(line.manufacturerCode),
                .int(line.packPriceFen), .int(line.packSize), .int(line.packs), .int(0), .int(0), .int(0), .int(0), .int(line.beyondAgreed ? 1 : 0),
            ]
        }
        try await db.insert(
            into: "supply_order_lines",
            columns: [
                "order_id", "line_no", "agreement_id", "product_code", "manufacturer_code", "pack_price_fen", "pack_size", "ordered", "shipped",
                "accepted", "rejected", "closed", "beyond_agreed",
            ], rows: rows)
        return id
    }

    /// What an institution has ordered under an agreement, in minimal units (withdrawn orders and closed packs left out).
    public func orderedUnder(agreementID: Int64) async throws -> Int64 {
        try await db.scalar(
            """
            SELECT CAST(COALESCE(SUM((l.ordered - l.closed) * l.pack_size), 0) AS BIGINT) AS v FROM supply_order_lines l
            JOIN supply_orders o ON o.id = l.order_id WHERE l.agreement_id = \(bind: agreementID) AND o.withdrawn_by IS NULL
            """)
    }

    /// One order with its lines, or nil.
    public func order(batchID: Int64, id: Int64) async throws -> StoredOrder? {
        guard var order = try await db.first(Self.select + " WHERE s.batch_id = \(bind: batchID) AND s.id = \(bind: id)", as: Row.self)?.order else {
            return nil
        }
        order.lines = try await lines(orderID: id)
        return order
    }

    func lines(orderID: Int64) async throws -> [StoredOrderLine] {
        struct R: Decodable {
            var line_no: Int64, agreement_id: Int64, product_code: String, manufacturer_code: String, pack_price_fen: Int64, pack_size: Int64
            var ordered: Int64, shipped: Int64, accepted: Int64, rejected: Int64, closed: Int64, beyond_agreed: Int64
        }
        return try await db.all("SELECT * FROM supply_order_lines WHERE order_id = \(bind: orderID) ORDER BY line_no", as: R.self).map {
            StoredOrderLine(
                lineNo: Int($0.line_no), agreementID: $0.agreement_id, productCode: $0.product_code, manufacturerCode: $0.manufacturer_code,
                packPriceFen: $0.pack_price_fen, packSize: $0.pack_size,
                figures: OrderLineFigures(ordered: $0.ordered, shipped: $0.shipped, accepted: $0.accepted, rejected: $0.rejected, closed: $0.closed),
                beyondAgreed: $0.beyond_agreed != 0)
        }
    }

    /// One page of the orders in scope, newest first, optionally of one status; lines are not read.
    public func page(batchID: Int64, scope: Scope, status: OrderStatus?, page: PageRequest) async throws -> Page<StoredOrder> {
        var query = PagedQuery(from: Self.tables, where: "s.batch_id = \(bind: batchID)")
        query.add(Self.condition(scope))
        query.add(.equals("s.status", status?.rawValue))
        return try await query.page(db, select: Self.columns, orderBy: "s.id DESC", page: page, as: Row.self, \.order)
    }

    /// How many orders in scope have each status.
    public func counts(batchID: Int64, scope: Scope) async throws -> [OrderStatus: Int64] {
        struct R: Decodable { var status: String, n: Int64 }
        let query = PagedQuery(from: Self.tables, where: "s.batch_id = \(bind: batchID)")
        var scoped = query
        scoped.add(Self.condition(scope))
        let rows = try await db.all("SELECT s.status, COUNT(*) AS n" + scoped.fromWhere + " GROUP BY s.status", as: R.self)
        return Dictionary(rows.compactMap { row in OrderStatus(rawValue: row.status).map { ($0, row.n) } }, uniquingKeysWith: +)
    }

    static func condition(_ scope: Scope) -> PagedQuery.Condition {
        switch scope {
        case .region(let prefix): .region("o.region_code", prefix)
        case .institution(let code): .equals("o.code", .text(code))
        case .distributor(let code): .equals("s.distributor_code", .text(code))
        case .manufacturer(let code):
            .sql("EXISTS (SELECT 1 FROM supply_order_lines l WHERE l.order_id = s.id AND l.manufacturer_code = \(bind: code))")
        }
    }

    /// Writes the head's stamps and status if the order is still at `version`; false when someone changed it meanwhile.
    public func update(_ order: StoredOrder, from version: Int64) async throws -> Bool {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            UPDATE supply_orders SET confirmed_date = \(bind: order.confirmedDate?.yyyymmdd), confirmed_by = \(bind: order.confirmedBy),
            withdrawn_by = \(bind: order.withdrawnBy), status = \(bind: order.derivedStatus.rawValue), version = version + 1
            WHERE id = \(bind: order.id) AND version = \(bind: version) RETURNING id
            """, as: R.self)
        guard row != nil else { return false }
        for line in order.lines {
            let figures = line.figures
            try await db.run(
                """
                UPDATE supply_order_lines SET shipped = \(bind: figures.shipped), accepted = \(bind: figures.accepted),
                rejected = \(bind: figures.rejected), closed = \(bind: figures.closed)
                WHERE order_id = \(bind: order.id) AND line_no = \(bind: Int64(line.lineNo))
                """)
        }
        return true
    }

    static let columns: SQLQueryString = """
        s.id, o.code, o.name, o.region_code, s.distributor_code, COALESCE(d.name, s.distributor_code) AS distributor_name, s.order_date,
        s.placed_by, s.confirmed_date, s.confirmed_by, s.withdrawn_by, s.note, s.status, s.version
        """
    static let tables: SQLQueryString = """
        supply_orders s JOIN organisations o ON o.id = s.institution_id LEFT JOIN organisations d ON d.code = s.distributor_code
        """
    static let select: SQLQueryString = "SELECT " + columns + " FROM " + tables

    struct Row: Decodable {
        var id: Int64, code: String, name: String, region_code: String, distributor_code: String, distributor_name: String
        var order_date: Int64, placed_by: String, confirmed_date: Int64?, confirmed_by: String?, withdrawn_by: String?, note: String
        var status: String, version: Int64

        var order: StoredOrder? {
            guard let day = CivilDate(yyyymmdd: order_date), let status = OrderStatus(rawValue: status) else { return nil }
            return StoredOrder(
                id: id, institutionCode: code, institutionName: name, regionCode: region_code, distributorCode: distributor_code,
                distributorName: distributor_name, orderDate: day, placedBy: placed_by,
                confirmedDate: confirmed_date.flatMap(CivilDate.init(yyyymmdd:)),
                confirmedBy: confirmed_by, withdrawnBy: withdrawn_by, note: note, status: status, version: version, lines: [])
        }
    }
}
