import Foundation
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing

@Suite("Bulk writes: every value arrives as written, on both engines")
struct BulkSinkTests {
    @Test(
        "Texts with quotes, backslashes, control characters and non-BMP text, nulls, negative and 64-bit numbers round-trip; 45,001 rows span several batches",
        arguments: TestDatabases.engines)
    func roundTrip(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let nasty = ["a\"b", "back\\slash", "tab\tnew\nline\r", "\u{1}\u{1F}", "😀𠀀中文", "", "null", "[1,2]", "\\\"", "'; DROP TABLE x; --"]
            var rows: [[DBValue]] = []
            for i in 0..<45_001 {
                let text = nasty[i % nasty.count]
                rows.append([.text("R\(i)"), .text("org\(i)"), .text(text), .text(i % 7 == 0 ? "x" : "y"), i % 3 == 0 ? .null : .text(text)])
            }
            // One text far larger than a COPY block (1 MB), with characters that are escaped.
            let huge = String(repeating: "长\\\t", count: 400_000)
            rows.append([.text("HUGE"), .text("org"), .text(huge), .text("x"), .null])
            let regionRows = rows.map { [$0[0], $0[2], $0[3], $0[4]] }
            try await db.transaction { db in
                try await db.insert(into: "regions", columns: ["code", "name", "level", "parent_code"], rows: regionRows)
            }
            struct Row: Decodable {
                var code: String
                var name: String
                var level: String
                var parent_code: String?
            }
            let back = try await db.all("SELECT code, name, level, parent_code FROM regions", as: Row.self)
            #expect(back.count == 45_002)
            #expect(back.first { $0.code == "HUGE" }?.name == huge)
            let byCode = Dictionary(uniqueKeysWithValues: back.map { ($0.code, $0) })
            for i in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 19_999, 20_000, 20_001, 45_000] {
                let r = try #require(byCode["R\(i)"])
                #expect(r.name == nasty[i % nasty.count])
                #expect(r.parent_code == (i % 3 == 0 ? nil : nasty[i % nasty.count]))
            }
            try await db.transaction { db in
                try await db.insert(
                    into: "history_totals", columns: ["batch_id", "institution_id", "spec_id", "quantity", "amount_fen"],
                    rows: [[.int(1), .int(Int64.max), .int(-5), .int(Int64.min + 1), .null], [.int(1), .int(2), .int(3), .int(0), .int(42)]])
            }
            struct T: Decodable {
                var institution_id: Int64
                var spec_id: Int64
                var quantity: Int64
                var amount_fen: Int64?
            }
            let totals = try await db.all(
                "SELECT institution_id, spec_id, quantity, amount_fen FROM history_totals ORDER BY institution_id", as: T.self)
            #expect(totals.count == 2)
            #expect(
                totals[1].institution_id == Int64.max && totals[1].spec_id == -5 && totals[1].quantity == Int64.min + 1 && totals[1].amount_fen == nil
            )
            #expect(totals[0].amount_fen == 42)
        }
    }

    @Test(
        "A row the database refuses (a repeated key) fails the load, and nothing of it stays; SQLite names the row and reason",
        arguments: TestDatabases.engines)
    func refusedRowFailsTheLoad(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            // 20,000 rows span three SQLite batches and a COPY block; the repeat sits in the middle of the second batch.
            var repeated: [[DBValue]] = (0..<20_000).map { [.int(7), .int(Int64($0)), .int(1), .int(5), .null] }
            repeated[12_000] = [.int(7), .int(11_999), .int(1), .int(5), .null]
            let rows = repeated
            do {
                try await db.transaction { db in
                    try await db.insert(
                        into: "history_totals", columns: ["batch_id", "institution_id", "spec_id", "quantity", "amount_fen"], rows: rows)
                }
                Issue.record("the repeated key was accepted")
            } catch {
                // Row 12,000 is row 3,808 of the second batch of 8,192.
                if engine == "sqlite" { #expect(String(describing: error).contains("insert at row 3808: UNIQUE constraint failed")) }
            }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM history_totals") == 0)
            // The connection is usable afterwards.
            try await db.transaction { db in
                try await db.insert(
                    into: "history_totals", columns: ["batch_id", "institution_id", "spec_id", "quantity", "amount_fen"],
                    rows: [[.int(7), .int(1), .int(1), .int(5), .int(9)]])
            }
            #expect(try await db.scalar("SELECT COUNT(*) AS v FROM history_totals") == 1)
        }
    }

    @Test(
        "Integer columns keep their range: the extremes of INTEGER arrive; beyond them PostgreSQL's load fails (SQLite stores 64 bits)",
        arguments: TestDatabases.engines)
    func integerColumnRange(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let columns = ["batch_id", "institution_id", "spec_id", "month", "quantity", "amount_fen"]
            try await db.transaction { db in
                try await db.insert(
                    into: "history", columns: columns,
                    rows: [
                        [.int(1), .int(1), .int(1), .int(Int64(Int32.max)), .int(3), .null],
                        [.int(1), .int(2), .int(1), .int(Int64(Int32.min)), .int(4), .int(0)],
                    ])
            }
            struct Row: Decodable {
                var institution_id: Int64
                var month: Int64
                var amount_fen: Int64?
            }
            let back = try await db.all("SELECT institution_id, month, amount_fen FROM history ORDER BY institution_id", as: Row.self)
            #expect(back.map(\.month) == [Int64(Int32.max), Int64(Int32.min)])
            #expect(back.map(\.amount_fen) == [nil, 0])
            let tooLarge: [[DBValue]] = [[.int(1), .int(3), .int(1), .int(Int64(Int32.max) + 1), .int(1), .null]]
            if engine == "postgres" {
                await #expect(throws: (any Error).self) {
                    try await db.transaction { db in try await db.insert(into: "history", columns: columns, rows: tooLarge) }
                }
                #expect(try await db.scalar("SELECT COUNT(*) AS v FROM history") == 2)
            } else {
                try await db.transaction { db in try await db.insert(into: "history", columns: columns, rows: tooLarge) }
                #expect(try await db.scalar("SELECT COUNT(*) AS v FROM history") == 3)
            }
        }
    }

    @Test("SQLite's bulk function serves published batches only: another token is refused")
    func bulkFunctionRefusesUnknownTokens() async throws {
        try await TestDatabases.with("sqlite") { db in
            await #expect(throws: (any Error).self) {
                try await db.run("SELECT jicai_bulk_insert(\(bind: Int64(987_654_321))) AS n")
            }
            await #expect(throws: (any Error).self) {
                try await db.run("SELECT jicai_bulk_insert(0) AS n")
            }
        }
    }
}
