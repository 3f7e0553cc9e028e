import CJicaiSQLite
import Foundation
import PostgresKit
import SQLiteKit

/// Owns a block of bytes (COPY text, or a batch's texts); freed when the last reference is gone.
final class CopyStorage: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }
    deinit { base.deallocate() }
}

/// One batch of rows for `jicai_bulk_insert`: per value its kind (0 NULL, 1 integer, 2 text), its integer (or its
/// text's offset in `text`) and its text's length. Unchecked sendability: a batch is filled by the sink, then handed
/// to one write task, and filled again only after that task has been awaited.
final class SQLiteBatch: @unchecked Sendable {
    let kinds: UnsafeMutablePointer<UInt8>
    let integers: UnsafeMutablePointer<Int64>
    let lengths: UnsafeMutablePointer<Int32>
    let descriptor: UnsafeMutablePointer<jicai_bulk_batch>
    var text: CopyStorage
    var rows = 0
    var columns = 0

    init(values: Int) {
        kinds = .allocate(capacity: values)
        integers = .allocate(capacity: values)
        lengths = .allocate(capacity: values)
        lengths.initialize(repeating: 0, count: values)
        descriptor = .allocate(capacity: 1)
        text = CopyStorage(capacity: 256 << 10)
    }

    deinit {
        kinds.deallocate()
        integers.deallocate()
        lengths.deallocate()
        descriptor.deallocate()
    }

    /// The statement's SQL as a C string for the batch descriptor.
    final class Statement: @unchecked Sendable {
        let cString: UnsafeMutablePointer<CChar>
        init(_ sql: String) { cString = strdup(sql)! }
        deinit { free(cString) }
    }

    /// Inserts the batch's rows with one prepared statement, on `db`'s connection (inside its transaction).
    func insert(_ statement: Statement, on db: any SQLiteDatabase) async throws {
        descriptor.initialize(
            to: jicai_bulk_batch(
                sql: statement.cString, columns: Int32(columns), rows: Int32(rows), kinds: kinds, integers: integers,
                lengths: lengths, texts: UnsafeRawPointer(text.base).assumingMemoryBound(to: CChar.self)))
        let token = jicai_bulk_publish(descriptor)
        guard token != 0 else { throw BulkLoadError(message: "too many SQLite bulk loads at once") }
        defer { jicai_bulk_withdraw(token) }
        _ = try await db.query("SELECT jicai_bulk_insert(?) AS n", [.integer(Int(token))])
        withExtendedLifetime(statement) {}
    }
}

/// Column widths for PostgreSQL's binary COPY: 8, 4 or 2 for bigint, integer and smallint, 1 for boolean, 0 for
/// text. The server reads binary integers without parsing them: on 12 M history rows COPY took 3.6 s in binary and
/// 5.3 s in text.
final class BinaryLayout: @unchecked Sendable {
    let widths: UnsafeMutablePointer<Int8>
    init(_ w: [Int8]) {
        widths = .allocate(capacity: w.count)
        widths.initialize(from: w, count: w.count)
    }
    deinit { widths.deallocate() }

    /// Layouts already read, by table and columns: the tables' types are fixed by the migrations, and a save of
    /// the web form loads a few rows, where a catalogue query each time would cost more than the rows.
    private static let known = LockedCache<String, BinaryLayout?>()

    /// The layout of `columns` of `table` from the catalogue; nil when a column has a type outside these five.
    static func of(table: String, columns: [String], in db: DB) async throws -> BinaryLayout? {
        let key = table + "(" + columns.joined(separator: ",") + ")"
        if let cached = known[key] { return cached }
        let layout = try await read(table: table, columns: columns, in: db)
        known[key] = .some(layout)
        return layout
    }

    private static func read(table: String, columns: [String], in db: DB) async throws -> BinaryLayout? {
        struct Column: Decodable {
            var name: String
            var type: String
        }
        let found = try await db.all(
            """
            SELECT a.attname::text AS name, t.typname::text AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass(\(bind: table)::text) AND a.attnum > 0 AND NOT a.attisdropped
            """, as: Column.self)
        let types = Dictionary(found.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        var widths: [Int8] = []
        for column in columns {
            switch types[column] {
            case "int8": widths.append(8)
            case "int4": widths.append(4)
            case "int2": widths.append(2)
            case "bool": widths.append(1)
            case "text", "varchar": widths.append(0)
            default: return nil
            }
        }
        return BinaryLayout(widths)
    }
}
