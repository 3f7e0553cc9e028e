import Foundation
import JicaiCore
import SQLKit

/// Use records by department and doctor (prescription review).
public struct UsageStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// One use record to write, its institution resolved.
    public struct Row: Sendable, Hashable {
        public var institutionID: Int64
        public var department: String
        public var doctor: String
        public var productCode: String
        public var month: MonthKey
        public var quantity: Int64
        public var amountFen: Int64

        public init(institutionID: Int64, department: String, doctor: String, productCode: String, month: MonthKey, quantity: Int64, amountFen: Int64)
        {
            self.institutionID = institutionID
            self.department = department
            self.doctor = doctor
            self.productCode = productCode
            self.month = month
            self.quantity = quantity
            self.amountFen = amountFen
        }
    }

    /// Replaces the batch's records of these months (yyyymm) with `rows`; call inside a transaction.
    public func replace(batchID: Int64, months: [Int], rows: [Row]) async throws {
        let list = months.isEmpty ? "-1" : months.map(String.init).joined(separator: ",")
        try await db.run("DELETE FROM usage_records WHERE batch_id = \(bind: batchID) AND month IN (\(unsafeRaw: list))")
        try await db.insert(
            into: "usage_records",
            columns: ["batch_id", "institution_id", "department", "doctor", "product_code", "month", "quantity", "amount_fen"],
            rows: rows.map { r in
                [
                    .int(batchID), .int(r.institutionID), .text(r.department), .text(r.doctor), .text(r.productCode), .int(Int64(r.month.yyyymm)),
                    .int(r.quantity), .int(r.amountFen),
                ]
            })
    }

    public struct Sum: Sendable, Hashable {
        public var institutionCode: String
        public var institutionName: String
        public var department: String
        public var doctor: String
        public var productCode: String
        public var quantity: Int64
        public var amountFen: Int64
    }

    /// Quantities and amounts per institution × department × doctor × product over the months.
    public func sums(batchID: Int64, from: MonthKey, through: MonthKey, regionPrefix: String, institutionCode: String?) async throws -> [Sum] {
        struct R: Decodable {
            var code: String
            var name: String
            var department: String
            var doctor: String
            var product_code: String
            var quantity: Int64
            var amount_fen: Int64
        }
        var query: SQLQueryString = """
            SELECT o.code, MAX(o.name) AS name, u.department, u.doctor, u.product_code, CAST(SUM(u.quantity) AS BIGINT) AS quantity,
            CAST(SUM(u.amount_fen) AS BIGINT) AS amount_fen
            FROM usage_records u JOIN organisations o ON o.id = u.institution_id
            WHERE u.batch_id = \(bind: batchID) AND u.month BETWEEN \(bind: from.yyyymm) AND \(bind: through.yyyymm)
            AND o.region_code LIKE \(bind: regionPrefix + "%")
            """
        if let institutionCode { query = query + " AND o.code = \(bind: institutionCode)" }
        query = query + " GROUP BY o.code, u.department, u.doctor, u.product_code"
        return try await db.all(query, as: R.self).map {
            Sum(
                institutionCode: $0.code, institutionName: $0.name, department: $0.department, doctor: $0.doctor, productCode: $0.product_code,
                quantity: $0.quantity, amountFen: $0.amount_fen)
        }
    }
}
