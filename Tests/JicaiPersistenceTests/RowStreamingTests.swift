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
        "Two queries at once hand over their rows in order, the first's before the second's, each with the settings", arguments: TestDatabases.engines
    )
    func overlapped(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let seen = RowSink<[String]>([])
            let setting = db.engine == .postgres ? "current_setting('work_mem')" : "'none'"
            // The second query is slower to start (a sleep on PostgreSQL): its rows still come after the first's.
            let pause = db.engine == .postgres ? "pg_sleep(0.2)::text IS NOT NULL" : "1 = 1"
            let first = "SELECT $1 + n + 0 * $2 AS a, 1 AS b, 0 AS c, \(setting) AS t FROM (SELECT 0 AS n UNION ALL SELECT 1) AS x ORDER BY a"
            let second = "SELECT $2 + 0 * $1 AS a, 2 AS b, 0 AS c, \(setting) AS t FROM (SELECT 1 AS one) AS y WHERE \(pause)"
            try await db.forEachRowOverlapped((first, second), binds: [10, 20], postgresSettings: [("work_mem", "77MB")]) { a, b, _, t in
                seen.value.append("\(a) \(b) \(t ?? "-")")
            }
            let expected = db.engine == .postgres ? "77MB" : "none"
            #expect(seen.value == ["10 1 \(expected)", "11 1 \(expected)", "20 2 \(expected)"])
            if db.engine == .postgres {
                try await db.forEachRow("SELECT 0 AS a, 0 AS b, 0 AS c, current_setting('work_mem') AS t", binds: []) { _, _, _, t in
                    seen.value.append(t ?? "-")
                }
                #expect(seen.value.last != "77MB", "both connections went back with the defaults")
            }
        }
    }
}
