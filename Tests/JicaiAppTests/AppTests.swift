import Foundation
import JicaiApp
import JicaiCLI
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices

let token = "test-token-0123456789abcdefghij"

/// Records what a command prints.
final class RecordingConsole: Console, @unchecked Sendable {
    private let lock = NIOLock()
    private var _text = ""
    var text: String { lock.withLock { _text } }
    var userInfo: [AnySendableHashable: any Sendable] = [:]
    var size: (width: Int, height: Int) { (120, 40) }
    func input(isSecure: Bool) -> String { "" }
    func output(_ text: ConsoleText, newLine: Bool) { lock.withLock { _text += text.description + (newLine ? "\n" : "") } }
    func clear(_ type: ConsoleClear) {}
    func report(error: String, newLine: Bool) { lock.withLock { _text += error + (newLine ? "\n" : "") } }
}

func withJicai(_ test: (Application) async throws -> Void) async throws {
    try await withApp(
        configure: { app in
            app.logger.logLevel = .warning
            try await configure(
                app, config: AppConfig(database: .sqliteMemory, apiToken: token, generatedToken: false, demoInstitutions: 100, demoOnEmpty: false))
            try await app.autoMigrate()
        }, test)
}

/// Runs a registered command as `jicai ARGS…`, returning its output and whether it succeeded.
func run(_ app: Application, _ arguments: [String]) async throws -> (ok: Bool, output: String) {
    let console = RecordingConsole()
    var context = CommandContext(console: console, input: CommandInput(arguments: ["jicai"] + arguments))
    context.application = app
    do {
        try await app.asyncCommands.group().run(using: &context)
        return (true, console.text)
    } catch {
        return (false, console.text)
    }
}

@Suite("Application: commands and API")
struct AppTests {
    @Test("jicai import: each kind loads; a bad file prints row-level reasons and writes nothing")
    func importCommand() async throws {
        try await withJicai { app in
            #expect(try await run(app, ["import", "regions", try TestFixtures.file("r.csv", TestFixtures.regionsCSV)]).ok)
            #expect(try await run(app, ["import", "institutions", try TestFixtures.file("o.csv", TestFixtures.organisationsCSV)]).ok)
            let cat = try await run(app, ["import", "catalogue", try TestFixtures.file("c.csv", TestFixtures.catalogueCSV), "--batch", "B1"])
            #expect(cat.ok)
            #expect(cat.output.contains("catalogue") || cat.output.contains("c.csv"))
            let bad = try await run(
                app,
                [
                    "import", "history", try TestFixtures.file("h.csv", "机构编码,规格编码,月份,采购数量\n\(TestFixtures.hospital),S011,2025-01,abc\n"), "--batch",
                    "B1", "--lang", "en",
                ])
            #expect(!bad.ok)
            #expect(bad.output.contains("h.csv row 2 column \"采购数量\": not a number"))
            let batch = try #require(try await BatchStore(DB(app.db)).batch(code: "B1"))
            #expect(try await HistoryStore(DB(app.db)).rowCount(batchID: batch.id) == 0)
            let missingBatch = try await run(app, ["import", "history", "x.csv"])
            #expect(!missingBatch.ok)
            #expect(missingBatch.output.contains("--batch"))
        }
    }

    @Test("jicai template writes every kind's template; jicai check and export write findings and summaries")
    func templateCheckExport() async throws {
        try await withJicai { app in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("app-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for kind in ["regions", "institutions", "catalogue", "products", "history", "demand"] {
                let out = dir.appendingPathComponent("\(kind).xlsx").path
                #expect(try await run(app, ["template", kind, "--out", out]).ok)
                #expect(FileManager.default.fileExists(atPath: out))
            }
            #expect(try await run(app, ["template", "nonsense"]).ok == false)
            let db = DB(app.db)
            let imports = ImportService(db: db)
            _ = try await imports.importRegions(path: try TestFixtures.file("r.csv", TestFixtures.regionsCSV), actor: .cli)
            _ = try await imports.importOrganisations(path: try TestFixtures.file("o.csv", TestFixtures.organisationsCSV), actor: .cli)
            _ = try await imports.importCatalogue(
                path: try TestFixtures.file("c.csv", TestFixtures.catalogueCSV), batchCode: "B1", provinceCode: "140000", actor: .cli)
            _ = try await imports.importHistory(
                path: try TestFixtures.file("h.csv", "机构编码,规格编码,月份,采购数量\n\(TestFixtures.hospital),S021,2025-01,100\n"), batchCode: "B1", actor: .cli)
            let findings = dir.appendingPathComponent("findings.json").path
            let check = try await run(app, ["check", "--batch", "B1", "--at", "2025-12-30T12:00", "--out", findings])
            #expect(check.ok, "\(check.output)")
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: findings))) as? [[String: Any]]
            #expect(json?.first?["code"] as? String == "NOT_REPORTED")
            let cities = dir.appendingPathComponent("cities.csv").path
            #expect(try await run(app, ["export", "cities", "--batch", "B1", "--out", cities]).ok)
            #expect(try String(contentsOfFile: cities, encoding: .utf8).contains("太原市"))
        }
    }

    @Test("CLI rough edges: the output type is checked first; regions against the national table; exclusions at import; plurals")
    func cliEdges() async throws {
        try await withJicai { app in
            let db = DB(app.db)
            // No region table in the database: institutions are checked against the shipped national table.
            let fake = TestFixtures.organisationsCSV.replacingOccurrences(of: "生产企业,,,,140105,", with: "生产企业,,,,149999,")
            let refused = try await run(app, ["import", "institutions", try TestFixtures.file("o.csv", fake), "--lang", "en"])
            #expect(!refused.ok)
            #expect(refused.output.contains("149999") && refused.output.contains("1 problem:"), "\(refused.output)")
            #expect(try await AccountStore(db).organisationCount() == 0)
            #expect(try await run(app, ["import", "institutions", try TestFixtures.file("o.csv", TestFixtures.organisationsCSV)]).ok)
            #expect(try await run(app, ["import", "catalogue", try TestFixtures.file("c.csv", TestFixtures.catalogueCSV), "--batch", "B1"]).ok)
            let history = "机构编码,规格编码,月份,采购数量\n\(TestFixtures.hospital),S021,2025-01,100\n"
            #expect(try await run(app, ["import", "history", try TestFixtures.file("h.csv", history), "--batch", "B1"]).ok)
            // Exclusions: a reason is required and the volume may not exceed the history (002 §3(三)), row by row.
            let demand = """
                机构编码,规格编码,产品编码,需求量,说明,特需剔除量,剔除原因
                \(TestFixtures.hospital),S021,,80,,10,
                \(TestFixtures.hospital),S011,,5,,,
                \(TestFixtures.township),S021,,10,,500,国际医疗部

                """
            let bad = try await run(app, ["import", "demand", try TestFixtures.file("d.csv", demand), "--batch", "B1", "--lang", "en"])
            #expect(!bad.ok)
            #expect(bad.output.contains("d.csv row 2 column \"特需剔除量\"") && bad.output.contains("d.csv row 4 column \"特需剔除量\""), "\(bad.output)")
            #expect(bad.output.contains("2 problems:"))
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await DemandStore(db).reportCount(batchID: batch.id) == 0)
            // The output type is refused before the check runs and replaces the stored findings.
            #expect(try await run(app, ["check", "--batch", "B1", "--at", "2025-12-30T12:00"]).ok)
            let stored = try await FindingStore(db).count(batchID: batch.id)
            #expect(stored > 0)
            try await FindingStore(db).replace(
                batchID: batch.id, institutionID: try #require(try await AccountStore(db).organisation(code: TestFixtures.hospital)).id, [])
            let kept = try await FindingStore(db).count(batchID: batch.id)
            let wrongType = try await run(app, ["check", "--batch", "B1", "--out", "x.txt", "--lang", "en"])
            #expect(!wrongType.ok && wrongType.output.contains(".csv, .xlsx or .json"))
            #expect(try await FindingStore(db).count(batchID: batch.id) == kept, "nothing ran")
            // A problem of the whole file names no row 0.
            let missing = try await run(app, ["import", "regions", "/nonexistent/r.csv", "--lang", "en"])
            #expect(missing.output.contains("r.csv (the whole file): file not found") && !missing.output.contains("row 0"), "\(missing.output)")
        }
    }

    @Test("jicai backup writes a consistent copy once; jicai restore refuses what it cannot restore")
    func backupCommands() async throws {
        try await withJicai { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-backup-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(try await run(app, ["import", "regions", try TestFixtures.file("r.csv", TestFixtures.regionsCSV)]).ok)
            let file = folder.appendingPathComponent("jicai.backup").path
            let made = try await run(app, ["backup", file])
            #expect(made.ok && made.output.contains("backed up"), "\(made.output)")
            let copy = try DatabaseHandle(.sqliteFile(file))
            #expect(try await AccountStore(copy.db).regionCount() == 4)
            await copy.shutdown()
            #expect(try await run(app, ["backup", file]).ok == false, "an existing file is not overwritten")
            #expect(try await run(app, ["restore", file]).ok == false, "an in-memory database cannot be restored")
        }
    }

    @Test("The API refuses requests without the token and answers with it; errors have a code and both languages")
    func api() async throws {
        try await withJicai { app in
            let db = DB(app.db)
            let imports = ImportService(db: db)
            _ = try await imports.importRegions(path: try TestFixtures.file("r.csv", TestFixtures.regionsCSV), actor: .cli)
            _ = try await imports.importOrganisations(path: try TestFixtures.file("o.csv", TestFixtures.organisationsCSV), actor: .cli)
            _ = try await imports.importCatalogue(
                path: try TestFixtures.file("c.csv", TestFixtures.catalogueCSV), batchCode: "B1", provinceCode: "140000", actor: .cli)
            let auth = HTTPHeaders([("Authorization", "Bearer \(token)")])
            try await app.testing().test(.GET, "api/batches") { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("\"UNAUTHORIZED\""))
            }
            try await app.testing().test(.GET, "api/batches", headers: HTTPHeaders([("Authorization", "Bearer wrong-token-0123456789abcdefghij")])) {
                res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "api/batches", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"B1\""))
            }
            try await app.testing().test(.GET, "api/batches/B1/cities", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("太原市"))
            }
            try await app.testing().test(.GET, "api/batches/B1/institutions?region=140122", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(TestFixtures.township))
                #expect(!res.body.string.contains(TestFixtures.hospital))
            }
            try await app.testing().test(.GET, "api/batches/B1/findings?region=14'--", headers: auth) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("BAD_REGION"))
            }
            try await app.testing().test(.GET, "api/batches/NOPE/findings", headers: auth) { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("BATCH_NOT_FOUND"))
            }
        }
    }

    @Test("The status page shows counts, escapes names and sends security headers")
    func statusPage() async throws {
        try await withJicai { app in
            let db = DB(app.db)
            _ = try await ImportService(db: db).importCatalogue(
                path: try TestFixtures.file("c.csv", TestFixtures.catalogueCSV),
                batchCode: "B<script>", batchName: "名\"<b>", provinceCode: "140000", actor: .cli)
            try await app.testing().test(.GET, "/status") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .html)
                #expect(res.headers.first(name: "Content-Security-Policy") != nil)
                #expect(res.body.string.contains("B&lt;script&gt;"))
                #expect(res.body.string.contains("名&quot;&lt;b&gt;"))
                #expect(!res.body.string.contains("<script>"))
            }
        }
    }

    @Test("Production refuses to start without its settings, naming the missing one")
    func productionConfig() throws {
        #expect(throws: ConfigError.self) { _ = try AppConfig.load(.production, [:]) }
        do {
            _ = try AppConfig.load(.production, ["DATABASE_URL": "postgres://x@localhost/j"])
            Issue.record("started without a token")
        } catch let e as ConfigError {
            #expect(e.name == "JICAI_API_TOKEN")
        }
        let dev = try AppConfig.load(.development, [:])
        #expect(dev.generatedToken && dev.apiToken.count >= 24)
        #expect(dev.database == .sqliteFile("data/jicai.sqlite"))
        // A training server's clock runs some days ahead (the assessment after a year's end); never in production.
        let shifted = try AppConfig.load(.development, ["JICAI_CLOCK_OFFSET_DAYS": "30"])
        #expect(abs(shifted.clock().timeIntervalSinceNow - 30 * 86_400) < 60)
        #expect(throws: ConfigError.self) { _ = try AppConfig.load(.development, ["JICAI_CLOCK_OFFSET_DAYS": "forever"]) }
        do {
            _ = try AppConfig.load(
                .production,
                ["DATABASE_URL": "postgres://x@localhost/j", "JICAI_API_TOKEN": String(repeating: "t", count: 30), "JICAI_CLOCK_OFFSET_DAYS": "1"])
            Issue.record("production started with a shifted clock")
        } catch let e as ConfigError {
            #expect(e.name == "JICAI_CLOCK_OFFSET_DAYS")
        }
    }
}
