import Foundation
import JicaiTestSupport
import Testing

@testable import JicaiPersistence

@Suite("Streamed rows: integer parameters on both engines, per-query settings on PostgreSQL")
struct RowStreamingTests {
    @Test("A streamed query sees its PostgreSQL settings; the connection goes back to the pool with the defaults", arguments: TestDatabases.engines)
    func settings(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let seen = RowSink<[String]>([])
            let setting = db.engine == .postgres ? "current_setting('work_mem')" : "'none'"
            let sql = "SELECT $1 AS a, $2 AS b, 0 AS c, \(setting) AS t"
            try await db.forEachRow(sql, binds: [7, 8], postgresSettings: [("work_mem", "77MB")]) { a, b, _, t in
                seen.value.append("\(a) \(b) \(t ?? "-")")
            }
            try await db.forEachRow(sql, binds: [1, 2]) { a, b, _, t in seen.value.append("\(a) \(b) \(t ?? "-")") }
            if db.engine == .postgres {
                #expect(seen.value.first == "7 8 77MB", "\(seen.value)")
                #expect(seen.value.last?.hasSuffix("77MB") == false, "the setting held for its query only: \(seen.value)")
            } else {
                #expect(seen.value == ["7 8 none", "1 2 none"])
            }
        }
    }

    @Test(
        "Queries in sequence hand over their rows in order, one query's after the one before's, each with the settings",
        arguments: TestDatabases.engines)
    func inSequence(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let seen = RowSink<[String]>([])
            let setting = db.engine == .postgres ? "current_setting('work_mem')" : "'none'"
            // The first queries are slower (a sleep on PostgreSQL, where two run at once): their rows still come first.
            func query(_ part: Int, rows: Int, sleep: Double) -> String {
                let pause = db.engine == .postgres ? "pg_sleep(\(sleep))::text IS NOT NULL" : "1 = 1"
                let numbers = rows == 0 ? "SELECT 0 AS n WHERE 1 = 0" : (0..<rows).map { "SELECT \($0) AS n" }.joined(separator: " UNION ALL ")
                return "SELECT $1 * \(part) + n + 0 * $2 AS a, \(part) AS b, 0 AS c, \(setting) AS t FROM (\(numbers)) AS x WHERE \(pause) ORDER BY a"
            }
            let queries = [
                query(0, rows: 2, sleep: 0.3), query(1, rows: 1, sleep: 0.2), query(2, rows: 3, sleep: 0), query(3, rows: 0, sleep: 0),
                query(4, rows: 1, sleep: 0.1),
            ]
            try await db.forEachRowInSequence(queries, binds: [10, 0], postgresSettings: [("work_mem", "77MB")]) { a, b, _, t in
                seen.value.append("\(a) \(b) \(t ?? "-")")
            }
            let expected = db.engine == .postgres ? "77MB" : "none"
            #expect(seen.value == ["0 0", "1 0", "10 1", "20 2", "21 2", "22 2", "40 4"].map { "\($0) \(expected)" }, "\(seen.value)")
            // A failing query in the middle fails the whole; the connections go back usable.
            await #expect(throws: (any Error).self) {
                try await db.forEachRowInSequence([queries[0], "SELECT 1 / 0 AS a, 0 AS b, 0 AS c, '' AS t", queries[2]], binds: [10, 0]) {
                    _, _, _, _ in
                }
            }
            if db.engine == .postgres {
                try await db.forEachRow("SELECT 0 AS a, 0 AS b, 0 AS c, current_setting('work_mem') AS t", binds: []) { _, _, _, t in
                    seen.value.append(t ?? "-")
                }
                #expect(seen.value.last != "77MB", "both connections went back with the defaults")
            }
        }
    }
}
