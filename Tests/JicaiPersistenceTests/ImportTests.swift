import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing

@testable import JicaiServices

typealias F = TestFixtures

/// Loads regions, organisations, catalogue (batch "B1") and products.
func loadBasics(_ db: DB) async throws -> ImportService {
    let imports = ImportService(db: db, now: { ReportingWindow.shanghai(2025, 12, 20) })
    _ = try await imports.importRegions(path: try F.file("regions.csv", F.regionsCSV), actor: .cli)
    _ = try await imports.importOrganisations(path: try F.file("orgs.csv", F.organisationsCSV), actor: .cli)
    _ = try await imports.importCatalogue(path: try F.file("cat.csv", F.catalogueCSV), batchCode: "B1", provinceCode: "140000", actor: .cli)
    _ = try await imports.importProducts(path: try F.file("products.csv", F.productsCSV), batchCode: "B1", actor: .cli)
    return imports
}

func historyCSV(_ rows: [(String, String, String, Int)]) -> String {
    "机构编码,规格编码,月份,采购数量,采购金额\n" + rows.map { "\($0.0),\($0.1),\($0.2),\($0.3),\($0.3).50" }.joined(separator: "\n") + "\n"
}

/// Whether the history index and the totals' primary key exist (a first load drops them and builds them after the
/// rows; a failed one rolls the drop back). SQLite's totals table is clustered on its key, which is never dropped.
func historyIndexExists(_ db: DB) async throws -> Bool {
    if db.engine == .sqlite {
        return try await db.scalar("SELECT COUNT(*) AS v FROM sqlite_master WHERE type = 'index' AND name = 'history_institution'") == 1
    }
    let index = try await db.scalar("SELECT COUNT(*) AS v FROM pg_indexes WHERE indexname = 'history_institution' AND schemaname = current_schema()")
    let key = try await db.scalar(
        """
        SELECT COUNT(*) AS v FROM pg_constraint WHERE conname = 'history_totals_pkey' AND contype = 'p'
        AND conrelid = to_regclass(current_schema() || '.history_totals')
        """)
    return index == 1 && key == 1
}

func importFailure(_ body: () async throws -> Void) async -> ImportFailure? {
    do {
        try await body()
        return nil
    } catch let f as ImportFailure { return f } catch {
        Issue.record("unexpected \(error)")
        return nil
    }
}

@Suite("Imports into the database (SQLite, and PostgreSQL when configured)")
struct ImportTests {
    @Test("Regions, organisations, catalogue and products load and read back", arguments: TestDatabases.engines)
    func basics(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            #expect(try await AccountStore(db).regionCount() == 4)
            let orgs = try await AccountStore(db).organisations()
            #expect(orgs.count == 4)
            #expect(orgs.first { $0.organisation.code == F.village }?.organisation.communityLeadCode == F.township)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(batch.policy == .default)
            let catalogue = try #require(try await BatchStore(db).catalogue(batchID: batch.id))
            let original = try CatalogueTable.read(try F.file("cat.csv", F.catalogueCSV))
            #expect(catalogue.varieties == original.varieties)
            #expect(catalogue.specs == original.specs)
            #expect(catalogue.products.map(\.code) == ["P0111", "P0211"])
            #expect(try await AuditLog(db).entries().count >= 5)
        }
    }

    @Test("Importing organisations again updates them by code instead of adding", arguments: TestDatabases.engines)
    func upsert(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let renamed = F.organisationsCSV.replacingOccurrences(of: "太原市第一人民医院", with: "太原市第一医院")
            let s = try await imports.importOrganisations(path: try F.file("orgs.csv", renamed), actor: .cli)
            #expect(s.inserted == 0 && s.updated == 4)
            #expect(try await AccountStore(db).organisation(code: F.hospital)?.organisation.name == "太原市第一医院")
        }
    }

    @Test("History loads in bulk; totals per institution × spec; a second import replaces the first", arguments: TestDatabases.engines)
    func history(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let rows =
                (0..<12).map { (F.hospital, "S011", MonthKey(year: 2024, month: 12)!.advanced(by: $0)!.description, 100) }
                + [(F.township, "S021", "2025-03", 56)]
            let s = try await imports.importHistory(path: try F.file("h.csv", historyCSV(rows)), batchCode: "B1", actor: .cli)
            #expect(s.rows == 13)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == 13)
            #expect(try await historyIndexExists(db))
            let specs = try await BatchStore(db).specIndex(batchID: batch.id)
            let hospitalID = try #require(try await AccountStore(db).organisation(code: F.hospital)?.id)
            #expect(try await HistoryStore(db).totals(batchID: batch.id)[hospitalID]?.first { $0.spec == specs["S011"]! }?.quantity == 1200)
            // Rows of one institution × spec need not follow each other.
            let interleaved = [
                (F.hospital, "S012", "2025-01", 5), (F.township, "S012", "2025-01", 1), (F.hospital, "S011", "2025-01", 2),
                (F.hospital, "S012", "2025-02", 6),
            ]
            _ = try await imports.importHistory(path: try F.file("h2.csv", historyCSV(interleaved)), batchCode: "B1", actor: .cli)
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == 4)
            let totals = try await HistoryStore(db).totals(batchID: batch.id)[hospitalID] ?? []
            #expect(totals.first { $0.spec == specs["S012"]! }?.quantity == 11)
            #expect(totals.first { $0.spec == specs["S011"]! }?.quantity == 2)
        }
    }

    @Test("A history file with bad rows is refused as a whole: every row reported, the previous history untouched", arguments: TestDatabases.engines)
    func badHistory(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            _ = try await imports.importHistory(
                path: try F.file("good.csv", historyCSV([(F.hospital, "S011", "2025-01", 7)])), batchCode: "B1", actor: .cli)
            let unknown = F.code("12140100MB9999990")
            let text =
                historyCSV([
                    (F.hospital, "S011", "2025-01", 10),  // row 2 fine
                    (unknown, "S011", "2025-01", 10),  // row 3 unknown institution
                    (F.hospital, "S999", "2025-01", 10),  // row 4 unknown spec
                    (F.hospital, "S011", "2025-01", 11),  // row 5 duplicate of row 2
                    (F.hospital, "S011", "2023-01", 10),  // row 6 outside the reference period
                    (F.manufacturer, "S011", "2025-01", 10),  // row 7 not an institution
                ]) + "\(F.hospital),S012,2025-02,-4,\n"  // row 8 negative
            let failure = await importFailure {
                _ = try await imports.importHistory(path: try F.file("bad.csv", text), batchCode: "B1", actor: .cli)
            }
            let f = try #require(failure)
            #expect(f.issues.map(\.row).sorted() == [3, 4, 5, 6, 7, 8])
            #expect(f.issues.allSatisfy { $0.file == "bad.csv" && !$0.column.isEmpty && !$0.reason.zh.isEmpty && !$0.reason.en.isEmpty })
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await HistoryStore(db).rowCount(batchID: batch.id) == 1)
            #expect(try await HistoryStore(db).totals(batchID: batch.id).values.first?.first?.quantity == 7)
            #expect(try await historyIndexExists(db))
        }
    }

    @Test("A history file missing a column, or in UTF-16, is refused before anything is written", arguments: TestDatabases.engines)
    func unreadableHistory(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let missing = await importFailure {
                _ = try await imports.importHistory(
                    path: try F.file("m.csv", "机构编码,规格编码,月份\n\(F.hospital),S011,2025-01\n"), batchCode: "B1", actor: .cli)
            }
            #expect(missing?.issues.first?.column == "采购数量")
            let utf16 = await importFailure {
                _ = try await imports.importHistory(
                    path: try F.file("u.csv", historyCSV([(F.hospital, "S011", "2025-01", 1)]), encoding: .utf16), batchCode: "B1", actor: .cli)
            }
            #expect(utf16?.issues.first?.reason.en.contains("UTF-16") == true)
        }
    }

    @Test("Organisations: unknown region or community lead refuse the file and write nothing", arguments: TestDatabases.engines)
    func badOrganisations(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let newCode = F.code("12140100MB0000050")
            let text =
                "机构编码,机构名称,行政区划代码,医共体牵头机构编码\n\(newCode),新医院,149999,\n\(F.code("12140100MB0000060")),新卫生室,140122,\(F.code("12140100MB0000070"))\n"
            let f = await importFailure { _ = try await imports.importOrganisations(path: try F.file("o.csv", text), actor: .cli) }
            #expect(f?.issues.map(\.row) == [2, 3])
            #expect(try await AccountStore(db).organisation(code: newCode) == nil)
        }
    }

    @Test("A GB18030 organisation file (Excel's Chinese CSV) imports like UTF-8", arguments: TestDatabases.engines)
    func gb18030(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = ImportService(db: db)
            _ = try await imports.importRegions(
                path: try F.file("r.csv", F.regionsCSV, encoding: String.Encoding(rawValue: 0x8000_0632)), actor: .cli)
            _ = try await imports.importOrganisations(
                path: try F.file("o.csv", F.organisationsCSV, encoding: String.Encoding(rawValue: 0x8000_0632)), actor: .cli)
            #expect(try await AccountStore(db).organisation(code: F.township)?.organisation.name == "阳曲县黄寨镇卫生院")
        }
    }

    @Test("A catalogue in use by history is not replaced", arguments: TestDatabases.engines)
    func catalogueInUse(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            _ = try await imports.importHistory(
                path: try F.file("h.csv", historyCSV([(F.hospital, "S011", "2025-01", 7)])), batchCode: "B1", actor: .cli)
            await #expect(throws: ServiceError.self) {
                _ = try await imports.importCatalogue(
                    path: try F.file("cat.csv", F.catalogueCSV), batchCode: "B1", provinceCode: "140000", actor: .cli)
            }
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await BatchStore(db).catalogue(batchID: batch.id)?.specs.count == 6)
        }
    }

    @Test("Products naming a spec outside the catalogue are refused with their row", arguments: TestDatabases.engines)
    func badProducts(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let text = "产品编码,规格编码,生产企业\nP1,S011,甲\nP2,S777,乙\n"
            let f = await importFailure { _ = try await imports.importProducts(path: try F.file("p.csv", text), batchCode: "B1", actor: .cli) }
            #expect(f?.issues.map(\.row) == [3])
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await BatchStore(db).catalogue(batchID: batch.id)?.products.count == 2)
        }
    }

    @Test("Bulk inserts keep text exactly: tabs, backslashes, line breaks, quotes and non-BMP characters", arguments: TestDatabases.engines)
    func bulkText(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let region = try DivisionCode.parse("140105").get()
            let orgs = (0..<300).map { i in
                Organisation(
                    code: F.code("12140105MB" + String(format: "%07d", i)), name: "院\t\\N\\\n\r\"'𠀀\(i)", kind: .institution,
                    category: .villageClinic, ownership: .publicOwned, beds: i == 0 ? nil : i, regionCode: region, communityLeadCode: nil)
            }
            try await AccountStore(db).upsertOrganisations(orgs)
            let stored = try await AccountStore(db).organisations()
            #expect(stored.map(\.organisation) == orgs)
        }
    }
}
