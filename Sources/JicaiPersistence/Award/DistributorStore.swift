import Foundation
import JicaiCore
import SQLKit

/// The winning manufacturers' distributors by coordination area.
public struct DistributorStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// One manufacturer's distributors by coordination area, in the order they were named.
    public func network(batchID: Int64, manufacturerCode: String) async throws -> DistributorNetwork {
        DistributorNetwork(
            byArea: Dictionary(grouping: try await distributors(batchID: batchID, manufacturerCode: manufacturerCode), by: \.area)
                .mapValues { $0.map(\.distributor) })
    }

    public func distributors(batchID: Int64, manufacturerCode: String? = nil) async throws -> [(
        manufacturer: String, area: String, distributor: String
    )] {
        struct R: Decodable {
            var manufacturer_code: String
            var area: String
            var distributor_code: String
        }
        var query: SQLQueryString = "SELECT manufacturer_code, area, distributor_code FROM award_distributors WHERE batch_id = \(bind: batchID)"
        if let manufacturerCode { query = query + " AND manufacturer_code = \(bind: manufacturerCode)" }
        return try await db.all(query + " ORDER BY manufacturer_code, area, added_at, distributor_code", as: R.self).map {
            ($0.manufacturer_code, $0.area, $0.distributor_code)
        }
    }

    public func addDistributor(batchID: Int64, manufacturer: String, area: String, distributor: String, by actor: String, at: Date) async throws {
        try await db.insert(
            into: "award_distributors", columns: ["batch_id", "manufacturer_code", "area", "distributor_code", "added_by", "added_at"],
            rows: [[.int(batchID), .text(manufacturer), .text(area), .text(distributor), .text(actor), .text(Timestamp.text(at))]])
    }

    public func removeDistributor(batchID: Int64, manufacturer: String, area: String, distributor: String) async throws {
        try await db.run(
            """
            DELETE FROM award_distributors WHERE batch_id = \(bind: batchID) AND manufacturer_code = \(bind: manufacturer)
            AND area = \(bind: area) AND distributor_code = \(bind: distributor)
            """)
    }
}
