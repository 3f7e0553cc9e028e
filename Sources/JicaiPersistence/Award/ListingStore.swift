import Foundation
import JicaiCore
import SQLKit

/// The listing prices of the non-winning products.
public struct ListingStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// The batch's listing prices are the file's rows (a new file replaces the old list).
    public func replaceListings(batchID: Int64, _ rows: [ListingEntry], by actor: String, at: Date) async throws {
        try await db.run("DELETE FROM award_listings WHERE batch_id = \(bind: batchID)")
        try await db.insert(
            into: "award_listings", columns: ["batch_id", "product_code", "category", "pack_price_fen", "changed_by", "changed_at"],
            rows: rows.map {
                [.int(batchID), .text($0.productCode), .text($0.category.rawValue), .int($0.packPriceFen), .text(actor), .text(Timestamp.text(at))]
            })
    }

    public func listings(batchID: Int64) async throws -> [ListingEntry] {
        struct R: Decodable {
            var product_code: String
            var category: String
            var pack_price_fen: Int64
        }
        return try await db.all(
            "SELECT product_code, category, pack_price_fen FROM award_listings WHERE batch_id = \(bind: batchID) ORDER BY product_code", as: R.self
        ).compactMap { row in
            ListingCategory(rawValue: row.category).map {
                ListingEntry(productCode: row.product_code, category: $0, packPriceFen: row.pack_price_fen)
            }
        }
    }
}
