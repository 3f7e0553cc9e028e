import Foundation
import JicaiCore
import SQLKit

/// Traceability codes beyond delivery (001 §2(五)): the codes settled or dispensed by institutions, the product
/// parts each product's delivered codes showed, and the anomalies of a code settled twice.
public struct TraceCodeStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// Records the product parts of a delivery's codes (each product's known prefixes).
    public func learnPrefixes(batchID: Int64, _ pairs: Set<[String]>) async throws {
        for pair in pairs where pair.count == 2 {
            try await db.run(
                """
                INSERT INTO supply_code_prefixes (batch_id, product_code, prefix) VALUES (\(bind: batchID), \(bind: pair[0]), \(bind: pair[1]))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    /// The product parts the manufacturer registered for each of `products` (all the batch's when nil).
    public func registeredParts(batchID: Int64, products: [String]? = nil) async throws -> [String: Set<String>] {
        try await parts("supply_product_parts", batchID: batchID, products: products)
    }

    /// The product parts each product's delivered codes showed (all the batch's products when nil).
    public func deliveredParts(batchID: Int64, products: [String]? = nil) async throws -> [String: Set<String>] {
        try await parts("supply_code_prefixes", batchID: batchID, products: products)
    }

    private func parts(_ table: String, batchID: Int64, products: [String]?) async throws -> [String: Set<String>] {
        struct R: Decodable { var product_code: String, prefix: String }
        if let products, products.isEmpty { return [:] }
        let only: SQLQueryString = products.map { " AND product_code IN (" + ListSQL.bound($0) + ")" } ?? ""
        let rows = try await db.all(
            "SELECT product_code, prefix FROM \(unsafeRaw: table) WHERE batch_id = \(bind: batchID)" + only + " ORDER BY product_code, prefix",
            as: R.self)
        var out: [String: Set<String>] = [:]
        for row in rows { out[row.product_code, default: []].insert(row.prefix) }
        return out
    }

    /// Replaces a product's registered product parts (inside the caller's transaction).
    public func register(batchID: Int64, productCode: String, parts: Set<String>, by user: String, at: Date) async throws {
        try await db.run("DELETE FROM supply_product_parts WHERE batch_id = \(bind: batchID) AND product_code = \(bind: productCode)")
        for part in parts.sorted() {
            try await db.run(
                """
                INSERT INTO supply_product_parts (batch_id, product_code, prefix, registered_by, registered_at)
                VALUES (\(bind: batchID), \(bind: productCode), \(bind: part), \(bind: user), \(bind: Timestamp.text(at)))
                """)
        }
    }

    /// The first settlement of each of `codes` seen before: institution and day.
    public func settledBefore(_ codes: [TraceCode]) async throws -> [String: (institutionID: Int64, day: Int64)] {
        struct R: Decodable { var code: String, institution_id: Int64, seen_date: Int64 }
        var out: [String: (institutionID: Int64, day: Int64)] = [:]
        for start in stride(from: 0, to: codes.count, by: 500) {
            let list = ListSQL.bound(codes[start..<min(start + 500, codes.count)].map(\.text))
            let rows = try await db.all(
                "SELECT code, institution_id, seen_date FROM supply_trace_codes WHERE stage = 'settlement' AND code IN (" + list + ")", as: R.self)
            for row in rows where out[row.code] == nil || (out[row.code]?.day ?? 0) > row.seen_date {
                out[row.code] = (row.institution_id, row.seen_date)
            }
        }
        return out
    }

    /// Adds settled codes of one institution and product on one day.
    public func addSettled(batchID: Int64, institutionID: Int64, productCode: String, day: CivilDate, _ codes: [TraceCode]) async throws {
        for start in stride(from: 0, to: codes.count, by: 500) {
            try await db.insert(
                into: "supply_trace_codes", columns: ["code", "stage", "batch_id", "institution_id", "product_code", "seen_date"],
                rows: codes[start..<min(start + 500, codes.count)].map {
                    [.text($0.text), .text("settlement"), .int(batchID), .int(institutionID), .text(productCode), .int(day.yyyymmdd)]
                })
        }
    }

    public struct NewAnomaly: Sendable {
        public var code: String
        public var firstInstitutionID: Int64
        public var firstDay: Int64
        public init(code: String, firstInstitutionID: Int64, firstDay: Int64) {
            self.code = code
            self.firstInstitutionID = firstInstitutionID
            self.firstDay = firstDay
        }
    }

    public func addAnomalies(
        batchID: Int64, _ anomalies: [NewAnomaly], secondInstitutionID: Int64, secondDay: CivilDate, productCode: String, at: Date
    ) async throws {
        let stamp = Timestamp.text(at)
        for start in stride(from: 0, to: anomalies.count, by: 500) {
            try await db.insert(
                into: "supply_code_anomalies",
                columns: [
                    "batch_id", "code", "first_institution_id", "first_date", "second_institution_id", "second_date", "product_code", "raised_at",
                ],
                rows: anomalies[start..<min(start + 500, anomalies.count)].map {
                    [
                        .int(batchID), .text($0.code), .int($0.firstInstitutionID), .int($0.firstDay), .int(secondInstitutionID),
                        .int(secondDay.yyyymmdd), .text(productCode), .text(stamp),
                    ]
                })
        }
    }

    /// A page of anomalies, newest first: those where either institution is in the region, or is the institution.
    public func anomalies(batchID: Int64, regionPrefix: String?, institution: String?, page: PageRequest) async throws -> Page<CodeAnomaly> {
        struct R: Decodable {
            var id: Int64, code: String, product_code: String, first_date: Int64, second_date: Int64
            var c1: String, n1: String, r1: String, c2: String, n2: String, r2: String
        }
        var query = PagedQuery(
            from: """
                supply_code_anomalies a JOIN organisations f ON f.id = a.first_institution_id JOIN organisations s ON s.id = a.second_institution_id
                """, where: "a.batch_id = \(bind: batchID)")
        if let regionPrefix {
            query.add(.sql("f.region_code LIKE \(bind: regionPrefix + "%") OR s.region_code LIKE \(bind: regionPrefix + "%")"))
        }
        if let institution { query.add(.sql("f.code = \(bind: institution) OR s.code = \(bind: institution)")) }
        return try await query.page(
            db,
            select: """
                a.id, a.code, a.product_code, a.first_date, a.second_date, f.code AS c1, f.name AS n1, f.region_code AS r1, s.code AS c2,
                s.name AS n2, s.region_code AS r2
                """, orderBy: "a.id DESC", page: page, as: R.self
        ) { row in
            guard let first = CivilDate(yyyymmdd: row.first_date), let second = CivilDate(yyyymmdd: row.second_date) else { return nil }
            return CodeAnomaly(
                id: row.id, code: row.code, productCode: row.product_code, firstInstitutionCode: row.c1, firstInstitutionName: row.n1,
                firstDate: first,
                secondInstitutionCode: row.c2, secondInstitutionName: row.n2, secondDate: second)
        }
    }
}
