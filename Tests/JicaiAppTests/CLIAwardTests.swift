import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing
import Vapor

/// An award run end to end from the command line alone, through the services' doors: no test or command writes the
/// database outside them (003 §3–§4; docs/operations.md).
@Suite("The award through the command line alone")
struct CLIAwardTests {
    static var productsCSV: String {
        """
        产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌
        P0111,S011,某某药业有限公司,\(TestFixtures.manufacturer),甲
        P0211,S021,某某药业有限公司,\(TestFixtures.manufacturer),甲

        """
    }
    static var demandCSV: String {
        """
        机构编码,规格编码,产品编码,需求量,说明
        \(TestFixtures.hospital),S011,,100,
        \(TestFixtures.hospital),S021,,1000,
        \(TestFixtures.township),S021,,500,

        """
    }
    static let resultsCSV = """
        产品编码,中选类型,中选价格（元/包装）,包装数量
        P0111,中选,12.00,
        P0211,中选,2.80,14

        """

    @Test("import → check → review → lock → policy → compute → publish → renew → export, each a command; refusals in order")
    func awardByCommands() async throws {
        try await withJicai { app in
            func ok(_ arguments: [String]) async throws -> String {
                let result = try await run(app, arguments)
                #expect(result.ok, "\(arguments.joined(separator: " ")): \(result.output)")
                return result.output
            }
            func refused(_ arguments: [String], _ text: String) async throws {
                let result = try await run(app, arguments)
                #expect(!result.ok && result.output.contains(text), "\(arguments.joined(separator: " ")): \(result.output)")
            }
            let b = ["--batch", "B1"]
            _ = try await ok(["import", "regions", try TestFixtures.file("r.csv", TestFixtures.regionsCSV)])
            _ = try await ok(["import", "institutions", try TestFixtures.file("o.csv", TestFixtures.organisationsCSV)])
            _ = try await ok(["import", "catalogue", try TestFixtures.file("c.csv", TestFixtures.catalogueCSV)] + b)
            _ = try await ok(["import", "products", try TestFixtures.file("p.csv", Self.productsCSV)] + b)
            _ = try await ok(["import", "demand", try TestFixtures.file("d.csv", Self.demandCSV)] + b)
            _ = try await ok(["check"] + b)
            _ = try await ok(["create-user", "prov", "--role", "provinceAdmin", "--region", "140000"])
            _ = try await ok(["create-user", "taiyuan", "--role", "cityReviewer", "--region", "140100"])
            _ = try await ok(
                [
                    "review", "window", "--as", "prov", "--test-until", "2000-01-01 00:00", "--opens", "2000-01-02 00:00", "--closes",
                    "2199-06-01 00:00",
                    "--review-deadline", "2199-12-01 00:00",
                ] + b)
            // The province reviews only what its city approved; the city approves first.
            try await refused(
                ["review", "approve", "--as", "prov", "--institution", TestFixtures.hospital, "--lang", "en"] + b, "province approval is not possible"
            )
            try await refused(["review", "return", "--as", "taiyuan", "--institution", TestFixtures.hospital, "--lang", "en"] + b, "reason")
            // Imported reports have no commitment letter (a blocking finding): approving all holds them back for a
            // look one by one.
            let city = try await ok(["review", "approve-all", "--as", "taiyuan", "--lang", "en"] + b)
            #expect(city.contains("0 reports approved; 2 held back by blocking findings"), "\(city)")
            for (user, institution) in [
                ("taiyuan", TestFixtures.hospital), ("taiyuan", TestFixtures.township), ("prov", TestFixtures.hospital),
                ("prov", TestFixtures.township),
            ] {
                #expect(try await ok(["review", "approve", "--as", user, "--institution", institution, "--lang", "en"] + b).contains("approved"))
            }
            _ = try await ok(["award", "results", "--file", try TestFixtures.file("res.csv", Self.resultsCSV)] + b)
            try await refused(["award", "compute", "--lang", "en"] + b, "lock the batch")
            try await refused(["batch", "lock", "--as", "taiyuan", "--lang", "en"] + b, "not allowed")
            _ = try await ok(["batch", "lock", "--as", "prov"] + b)
            try await refused(["award", "policy", "--as", "taiyuan", "--allocation", "evenly", "--lang", "en"] + b, "not allowed")
            _ = try await ok(["award", "policy", "--as", "prov", "--flat-ratio", "80", "--allocation", "evenly"] + b)
            #expect(try await ok(["award", "compute", "--lang", "en"] + b).contains("2 institutions"))
            let db = DB(app.db)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(batch.policy.award.flatRatio == .percent(80) && batch.policy.award.allocation == .evenly)
            // 1,000 tablets × 80% = 800 of P0211 for the hospital; its own pack of 14 at 2.80: 160.00 yuan.
            let volumes = try await VolumeStore(db).volumes(batchID: batch.id, institutionCode: TestFixtures.hospital)
            #expect(volumes.map { "\($0.productCode) \($0.quantity) \($0.amountFen)" }.sorted() == ["P0111 80 4000", "P0211 800 16000"])
            _ = try await ok(["award", "publish", "--start", "2026-03-01", "--end", "2028-02-29"] + b)
            try await refused(
                ["award", "policy", "--as", "prov", "--allocation", "lowestPrice", "--lang", "en"] + b, "the agreed volumes are published")
            #expect(try await ok(["award", "renew", "--lang", "en"] + b).contains("2027-07-01"))
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-award-\(UUID()).xlsx").path
            _ = try await ok(["award", "export", "--out", out] + b)
            #expect(FileManager.default.fileExists(atPath: out))
            let audit = try await AuditLog(db).entries(entity: "award", keyPrefix: "B1", limit: 10)
            #expect(audit.contains { $0.action == "policy" && $0.actor == "prov" })
            // The command line goes through the pages' doors and is refused as they are: a second publication, a
            // supply problem of another province or with an over-long note, a province code that is none.
            try await refused(["award", "publish", "--start", "2026-03-01", "--end", "2028-02-29", "--lang", "en"] + b, "are published")
            let problem = ["monitor", "problem", "--unit", "V01", "--from", "2026-05", "--through", "2026-06", "--lang", "en"] + b
            try await refused(problem + ["--region", "3201", "--reason", "断供"], "outside the province")
            try await refused(problem + ["--reason", String(repeating: "长", count: InputLimits.maxNoteCharacters + 1)], "at most")
            #expect(try await MonitorStore(db).problems(batchID: batch.id).isEmpty, "refused commands wrote nothing")
            _ = try await ok(problem + ["--region", "1401", "--reason", "生产企业停产"])
            let recorded = try await AuditLog(db).entries(entity: "supply_problem", keyPrefix: "B1", limit: 10)
            #expect(recorded.count == 1 && recorded.first?.actor == "cli", "audited under the command line's name")
            try await refused(
                [
                    "import", "catalogue", try TestFixtures.file("c2.csv", TestFixtures.catalogueCSV), "--batch", "B2", "--province", "14", "--lang",
                    "en",
                ], "6 digits")
            #expect(try await BatchStore(db).batch(code: "B2") == nil)
        }
    }
}
