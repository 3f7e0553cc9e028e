import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

/// The server keeps decoded catalogues in memory by the batch's catalogue stamp (issue: a save spent 40% of its CPU
/// decoding the catalogue). A changed catalogue must be seen at the next request, whoever changed it.
@Suite("Catalogue cache")
struct CatalogueCacheTests {
    @Test(
        "A second request reuses the decoded catalogue; replacing the catalogue or its products renews the stamp and the next request reads the new one",
        arguments: TestDatabases.engines)
    func invalidation(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let service = ReportService(db: db)
            let store = BatchStore(db)
            let stamp0 = try #require(try await store.head(code: "B1")?.catalogueStamp)
            let first = try await service.context("B1")
            let hits = CatalogueCache.shared.statistics.hits
            let second = try await service.context("B1")
            #expect(CatalogueCache.shared.statistics.hits > hits, "the second read is a hit")
            #expect(second.catalogue.specs == first.catalogue.specs && second.specIDs == first.specIDs)

            // Replace the catalogue without one spec (nothing depends on it yet): the next context no longer has it.
            let lines = F.catalogueCSV.split(separator: "\n", omittingEmptySubsequences: false)
            let dropped = try #require(first.catalogue.specs.last?.code)
            let shorter = lines.filter { !$0.contains(dropped) }.joined(separator: "\n")
            _ = try await imports.importCatalogue(path: try F.file("cat2.csv", shorter), batchCode: "B1", provinceCode: "140000", actor: .cli)
            let stamp1 = try #require(try await store.head(code: "B1")?.catalogueStamp)
            #expect(stamp1 != stamp0)
            let third = try await service.context("B1")
            #expect(third.catalogue.specByCode[dropped] == nil && third.specIDs[dropped] == nil)
            #expect(third.catalogue.specs.count == first.catalogue.specs.count - 1)

            // Products alone change the stamp too.
            _ = try await imports.importProducts(path: try F.file("products.csv", F.productsCSV), batchCode: "B1", actor: .cli)
            #expect(try await store.head(code: "B1")?.catalogueStamp != stamp1)
        }
    }

    @Test("Stamps are random: two databases with the same batch never share a cache entry")
    func stampsDiffer() {
        let stamps = Set((0..<1000).map { _ in CatalogueCache.newStamp() })
        #expect(stamps.count == 1000)
    }

    @Test("A policy is decoded once per stored text and equals a fresh decode")
    func policies() throws {
        let cache = CatalogueCache()
        let policy = BatchPolicy()
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        #expect(try cache.policy(json: json) == policy)
        #expect(try cache.policy(json: json) == policy)
        #expect(throws: (any Error).self) { try cache.policy(json: "{") }
    }
}
