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
}
