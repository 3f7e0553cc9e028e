import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

/// Basics, a year of history for the hospital (S011 100/month) and the township (S021 56 once), and a demand file.
func loadReported(_ db: DB, demand: String) async throws {
    let imports = try await loadBasics(db)
    let rows =
        (0..<12).map { (F.hospital, "S011", MonthKey(year: 2024, month: 12)!.advanced(by: $0)!.description, 100) }
        + [(F.township, "S021", "2025-03", 56)]
    _ = try await imports.importHistory(path: try F.file("h.csv", historyCSV(rows)), batchCode: "B1", actor: .cli)
    _ = try await imports.importDemand(path: try F.file("demand.csv", demand), batchCode: "B1", actor: .cli)
}

@Suite("Check runs and exports on stored data")
struct CheckAndExportTests {
    // 000 §3(二), 002 §3(三): antimicrobial V01 may go down to the reduced floor (70%); 400 × 0.5 g = 200 g against
    // 1,200 × 0.25 g = 300 g is 66.7%, so REDUCED_FLOOR; no letter, so MISSING_COMMITMENT_LETTER (001 §2(一)).
    @Test(
        "Stored history and demand give the findings the rules say, and the township with history is listed as not reported",
        arguments: TestDatabases.engines)
    func checks(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await loadReported(db, demand: "机构编码,规格编码,产品编码,需求量,说明\n\(F.hospital),S012,,400,\n")
            let afterWindow = ReportingWindow.shanghai(2025, 12, 30, 12)
            let summary = try await CheckService(db: db, now: { afterWindow }).run(batchCode: "B1", actor: .cli)
            #expect(summary.institutions == 2)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let findings = try await FindingStore(db).list(batchID: batch.id)
            let hospital = findings.filter { $0.institutionCode == F.hospital }.map(\.finding.code)
            #expect(Set(hospital) == [.reducedFloor, .missingCommitmentLetter])
            let reduced = try #require(findings.first { $0.finding.code == .reducedFloor })
            #expect(reduced.finding.numbers["history"] == "1200")
            #expect(reduced.finding.numbers["reported"] == "800")
            let township = try #require(findings.first { $0.institutionCode == F.township })
            #expect(township.finding.code == .notReported)
            #expect(township.finding.severity == .review)
        }
    }

    @Test("An explained report with a signed letter passes; running the checks again replaces the findings", arguments: TestDatabases.engines)
    func explained(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let demand = "机构编码,规格编码,产品编码,需求量,说明,承诺函文件,签字人,签字人职务\n\(F.hospital),S011,P0111,1000,门诊量下降,承诺函.pdf,张三,院长\n"
            try await loadReported(db, demand: demand)
            let check = CheckService(db: db, now: { ReportingWindow.shanghai(2025, 12, 20) })
            _ = try await check.run(batchCode: "B1", actor: .cli)
            _ = try await check.run(batchCode: "B1", actor: .cli)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let findings = try await FindingStore(db).list(batchID: batch.id)
            #expect(findings.filter { $0.institutionCode == F.hospital }.isEmpty)
            // Window still open: the township's missing report is information only.
            #expect(findings.map(\.finding.severity) == [.info])
        }
    }

    @Test("Demand naming unknown institutions, specs or products is refused row by row", arguments: TestDatabases.engines)
    func badDemand(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let text =
                "机构编码,规格编码,产品编码,需求量\n\(F.hospital),S011,,10\n\(F.manufacturer),S011,,10\n\(F.hospital),S404,,10\n\(F.hospital),S021,P9,10\n\(F.hospital),S012,,1.5\n"
            let f = await importFailure { _ = try await imports.importDemand(path: try F.file("d.csv", text), batchCode: "B1", actor: .cli) }
            #expect(Set(f?.issues.map(\.row) ?? []) == [6])  // parse errors first, cross-references after
            let text2 = text.replacingOccurrences(of: "\(F.hospital),S012,,1.5\n", with: "")
            let g = await importFailure { _ = try await imports.importDemand(path: try F.file("d.csv", text2), batchCode: "B1", actor: .cli) }
            #expect(g?.issues.map(\.row) == [3, 4, 5])
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            #expect(try await DemandStore(db).reportCount(batchID: batch.id) == 0)
        }
    }

    @Test("Findings export as CSV, XLSX and JSON; summaries per institution and per city add up", arguments: TestDatabases.engines)
    func exports(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            try await loadReported(db, demand: "机构编码,规格编码,产品编码,需求量\n\(F.hospital),S012,,400\n")
            _ = try await CheckService(db: db, now: { ReportingWindow.shanghai(2025, 12, 30, 12) }).run(batchCode: "B1", actor: .cli)
            let exports = ExportService(db: db)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exp-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for format in ExportFormat.allCases {
                let url = dir.appendingPathComponent("findings.\(format.rawValue)")
                #expect(try await exports.findings(batchCode: "B1", to: url, format: format) == 3)
            }
            var csvRows: [[String]] = []
            try TableReader.read(
                path: dir.appendingPathComponent("findings.csv").path, header: { csvRows.append($0) },
                body: { row in
                    csvRows.append((0..<row.count).map { row.text($0) ?? "" })
                })
            #expect(csvRows.count == 4)
            #expect(csvRows[0].first == "机构编码")
            #expect(csvRows.dropFirst().map { $0[3] }.sorted() == ["MISSING_COMMITMENT_LETTER", "NOT_REPORTED", "REDUCED_FLOOR"])
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("findings.json"))) as? [[String: Any]]
            #expect(json?.count == 3)

            let cities = try await exports.citySummary(batchCode: "B1")
            #expect(cities.count == 1)
            #expect(cities[0].cityName == "太原市")
            #expect(cities[0].institutions == 3)
            #expect(cities[0].withHistory == 2)
            #expect(cities[0].submitted == 1)
            #expect(cities[0].notReportedWithHistory == 1)
            #expect(cities[0].historyAmountFen == 12 * 10_050 + 5_650)
            let byInstitution = try await exports.institutionSummary(batchCode: "B1", regionPrefix: "140122")
            #expect(byInstitution.map(\.code) == [F.township, F.village])
            let url = dir.appendingPathComponent("cities.xlsx")
            #expect(try await exports.summary(batchCode: "B1", byCity: true, to: url, format: .xlsx) == 1)
        }
    }

    // 001 §2(一): the township health centre leads the village clinic's county medical community; when it submits,
    // it reports for the clinic, whose history joins its own and which is no longer listed as not reported.
    @Test("A community lead that submitted reports for its members", arguments: TestDatabases.engines)
    func community(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let rows = [(F.township, "S021", "2025-03", 100), (F.village, "S021", "2025-04", 100)]
            _ = try await imports.importHistory(path: try F.file("h.csv", historyCSV(rows)), batchCode: "B1", actor: .cli)
            // 150 tablets against the community's 200 is 75%, below the 80% floor (against the township's own 100
            // it would have passed): the finding shows the combined history.
            let demand = "机构编码,规格编码,产品编码,需求量,说明,承诺函文件,签字人,签字人职务\n\(F.township),S021,,150,,承诺函.pdf,李四,院长\n"
            _ = try await imports.importDemand(path: try F.file("d.csv", demand), batchCode: "B1", actor: .cli)
            _ = try await CheckService(db: db, now: { ReportingWindow.shanghai(2025, 12, 30, 12) }).run(batchCode: "B1", actor: .cli)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let findings = try await FindingStore(db).list(batchID: batch.id)
            #expect(findings.map(\.institutionCode) == [F.township])
            #expect(findings.first?.finding.code == .belowFloor)
            #expect(findings.first?.finding.numbers["history"] == "200")
        }
    }
}
