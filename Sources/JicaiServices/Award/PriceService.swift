import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension AwardService {
    /// One product of the batch on the price sheet.
    public struct PriceRow: Sendable, Hashable {
        public enum Standing: String, Sendable, Hashable {
            case winner, backup, listed, unlisted
        }
        public var productCode: String
        public var specCode: String
        public var varietyCode: String
        public var manufacturerName: String
        public var standing: Standing
        public var category: ListingCategory?
        /// The listing price per pack: the winning price for a winner or backup, the imported one otherwise.
        public var listingFen: Int64?
        public var paymentStandardFen: Int64?
        /// Above the maximum listing price: to be suspended or delisted (004 §5).
        public var suspend: Bool
    }

    /// A winner's spec of its variety that it did not win, priced by the price-ratio rule (差比价).
    public struct AddedSpecPrice: Sendable, Hashable {
        public var manufacturerName: String
        public var fromProduct: String
        public var specCode: String
        public var packPriceFen: Int64?
        public var note: LocalizedText?
    }

    public struct PriceSheet: Sendable {
        public var rows: [PriceRow]
        public var addedSpecs: [AddedSpecPrice]
    }

    /// Listing prices and payment standards of every product of the batch (003 §8(二), 004 §5).
    func prices(batchCode: String) async throws -> PriceSheet {
        let head = try await head(batchCode)
        let catalogue = try await catalogue(head)
        let store = AwardStore(db)
        let results = try await store.results(batchID: head.batch.id)
        let award = AwardResult(entries: results.map(\.entry), catalogue: catalogue)
        let rules = PriceRules(catalogue: catalogue, winners: award.winners, policy: head.batch.policy.award)
        let byProduct = Dictionary(results.map { ($0.entry.productCode, $0) }, uniquingKeysWith: { first, _ in first })
        let listings = Dictionary(
            try await ListingStore(db).listings(batchID: head.batch.id).map { ($0.productCode, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = catalogue.products.sorted { ($0.specCode, $0.code) < ($1.specCode, $1.code) }.map { product -> PriceRow in
            let spec = catalogue.specByCode[product.specCode]
            var row = PriceRow(
                productCode: product.code, specCode: product.specCode, varietyCode: spec?.varietyCode ?? "",
                manufacturerName: product.manufacturerName,
                standing: .unlisted, category: nil, listingFen: nil, paymentStandardFen: spec.flatMap(rules.paymentStandard(spec:)), suspend: false)
            if let result = byProduct[product.code] {
                row.standing = result.entry.role == .winner ? .winner : .backup
                row.listingFen = result.entry.packPriceFen
            } else if let listing = listings[product.code] {
                row.standing = .listed
                row.category = listing.category
                row.listingFen = listing.packPriceFen
                row.paymentStandardFen = rules.paymentStandard(for: listing)
                row.suspend = rules.exceedsMaximum(listing)
            }
            return row
        }
        return PriceSheet(rows: rows, addedSpecs: addedSpecs(catalogue: catalogue, award: award, rules: rules, results: results))
    }

    func addedSpecs(catalogue: Catalogue, award: AwardResult, rules: PriceRules, results: [StoredResult]) -> [AddedSpecPrice] {
        let names = Dictionary(results.map { ($0.entry.productCode, $0.manufacturerName) }, uniquingKeysWith: { first, _ in first })
        var out: [AddedSpecPrice] = []
        var seen = Set<String>()
        for winner in award.winners.sorted(by: { $0.productCode < $1.productCode }) {
            guard let won = catalogue.specByCode[winner.specCode] else { continue }
            let wonByMaker = Set(award.winners.filter { $0.manufacturer == winner.manufacturer }.map(\.specCode))
            for spec in catalogue.specs where spec.varietyCode == won.varietyCode && !wonByMaker.contains(spec.code) {
                guard seen.insert("\(winner.manufacturer) \(spec.code)").inserted else { continue }
                var row = AddedSpecPrice(
                    manufacturerName: names[winner.productCode] ?? winner.manufacturer, fromProduct: winner.productCode, specCode: spec.code)
                switch rules.addedSpecPrice(winner: winner, added: spec) {
                case .success(let fen): row.packPriceFen = fen
                case .failure(let refusal): row.note = refusal.message
                }
                out.append(row)
            }
        }
        return out
    }

    /// Loads the listing prices of non-winning products; every row must name a product of the batch that is not a
    /// winner or backup (those are listed at their winning price). A bad file writes nothing.
    func importListings(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        let started = Date()
        let rows = try await ParseGate.run(owner: actor.name) { try ListingTable.read(path) }
        let head = try await head(batchCode)
        let catalogue = try await catalogue(head)
        let awarded = Set(try await AwardStore(db).results(batchID: head.batch.id).map(\.entry.productCode))
        let file = (path as NSString).lastPathComponent
        let column = Schemas.listings.column("product").zh
        let issues = rows.compactMap { row -> ImportIssue? in
            if catalogue.productByCode[row.value.productCode] == nil {
                return ImportIssue(
                    file: file, row: row.row, column: column, zh: "产品编码“\(row.value.productCode)”不在批次产品中",
                    en: "product \"\(row.value.productCode)\" is not a product of the batch")
            }
            if awarded.contains(row.value.productCode) {
                return ImportIssue(
                    file: file, row: row.row, column: column, zh: "“\(row.value.productCode)”是中选或备供产品，按中选价格挂网",
                    en: "\"\(row.value.productCode)\" won (or is a backup): it is listed at its winning price")
            }
            return nil
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let at = now()
        try await db.transaction { db in
            try await ListingStore(db).replaceListings(batchID: head.batch.id, rows.map(\.value), by: actor.name, at: at)
            try await AuditLog(db).record(
                actor: actor.name, event: .listingsImport, key: batchCode, summary: "导入非中选产品挂网价格 \(rows.count) 条", at: at)
        }
        return ImportSummary(
            kind: "listings", file: file, rows: rows.count, inserted: rows.count, updated: 0, seconds: Date().timeIntervalSince(started))
    }
}
