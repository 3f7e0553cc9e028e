import CJicaiSQLite
import Foundation
import PostgresKit
import SQLiteKit

/// Streams rows (integers and texts) into one table inside the current transaction, as fast as each engine allows:
/// on SQLite, batches of rows handed to `jicai_bulk_insert` (CJicaiSQLite), which runs one prepared single-row INSERT
/// over them on the transaction's connection, while the caller fills the next batch on another core; on PostgreSQL,
/// one `COPY FROM` for the whole load (binary where the columns allow), fed a megabyte at a time. Values go in one by
/// one (`value`, `text`), rows end with `endRow` (or `closeRow`, then `flush` when it says the part is full), so
/// nothing is allocated per row.
public struct BulkSink {
    fileprivate enum Target {
        case sqlite(any SQLiteDatabase)
        case postgres(PostgresCopyFromWriter)
    }

    fileprivate let target: Target
    /// The engine as a plain flag for the per-value paths: switching on `target` itself copies its payload (an
    /// existential or a writer), a retain and a release per value — 32% of a PostgreSQL import's time in a profile.
    fileprivate let isSQLite: Bool
    fileprivate let columns: Int
    fileprivate let table: String
    /// PostgreSQL's binary COPY format, with each column's width (see `BinaryLayout`); nil for the text format.
    fileprivate let layout: BinaryLayout?
    /// A value the binary format cannot carry (an integer too large for its column, a text for a number column):
    /// thrown by the next `flush`/`finish`, so the load fails as the server would have failed it.
    fileprivate var invalid: String?
    /// The bytes of the current part, written through a raw pointer: on PostgreSQL the COPY text of the current
    /// megabyte, on SQLite the texts of the current batch. ByteBuffer's per-write uniqueness and exclusivity checks
    /// were a tenth of an import's time. `storage` owns the memory; `base`/`used`/`capacity` live in the struct so
    /// writes need no runtime checks (the sink is used by one task at a time).
    fileprivate var storage: CopyStorage
    fileprivate var base: UnsafeMutablePointer<UInt8>
    fileprivate var used = 0
    fileprivate var capacity: Int
    fileprivate var valuesInRow = 0
    fileprivate var full = false
    public private(set) var rows = 0

    // SQLite: the batch being filled (its value arrays cached as pointers), and the one being written.
    fileprivate var batch: SQLiteBatch?
    fileprivate var kinds: UnsafeMutablePointer<UInt8>?
    fileprivate var integers: UnsafeMutablePointer<Int64>?
    fileprivate var lengths: UnsafeMutablePointer<Int32>?
    fileprivate var valueIndex = 0
    fileprivate var rowsInBatch = 0
    fileprivate var writing: (task: Task<Void, any Error>, batch: SQLiteBatch)?
    fileprivate var insertSQL: SQLiteBatch.Statement?

    static let flushAt = 1 << 20
    static let rowsPerBatch = 8_192

    fileprivate init(target: Target, table: String, columns: [String], layout: BinaryLayout? = nil) {
        self.target = target
        self.table = table
        self.columns = columns.count
        self.layout = layout
        if case .sqlite = target {
            isSQLite = true
            insertSQL = SQLiteBatch.Statement(
                "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES ("
                    + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")")
            let sqliteBatch = SQLiteBatch(values: BulkSink.rowsPerBatch * columns.count)
            batch = sqliteBatch
            kinds = sqliteBatch.kinds
            integers = sqliteBatch.integers
            lengths = sqliteBatch.lengths
            storage = sqliteBatch.text
        } else {
            isSQLite = false
            storage = CopyStorage(capacity: BulkSink.flushAt + (64 << 10))
        }
        base = storage.base
        capacity = storage.capacity
        if layout != nil {
            // Signature, flags, header extension length.
            for byte in Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] { put(byte) }
            put32(0)
            put32(0)
        }
    }

    /// Room for `n` more bytes (long texts grow the block).
    private mutating func reserve(_ n: Int) {
        guard used + n > capacity else { return }
        let grown = CopyStorage(capacity: max(capacity * 2, used + n))
        grown.base.update(from: base, count: used)
        storage = grown
        base = grown.base
        capacity = grown.capacity
    }

    private mutating func put(_ b: UInt8) {
        base[used] = b
        used += 1
    }

    private mutating func put16(_ v: Int16) {
        UnsafeMutableRawPointer(base + used).storeBytes(of: v.bigEndian, as: Int16.self)
        used += 2
    }

    private mutating func put32(_ v: Int32) {
        UnsafeMutableRawPointer(base + used).storeBytes(of: v.bigEndian, as: Int32.self)
        used += 4
    }

    private mutating func put64(_ v: Int64) {
        UnsafeMutableRawPointer(base + used).storeBytes(of: v.bigEndian, as: Int64.self)
        used += 8
    }

    /// One value in the binary format: its length, then its bytes in network order.
    private mutating func binaryValue(_ v: Int64?, width: Int8) {
        reserve(14)
        if valuesInRow == 0 { put16(Int16(columns)) }
        guard let v else { return put32(-1) }
        switch width {
        case 8:
            put32(8)
            put64(v)
        case 4 where v >= Int64(Int32.min) && v <= Int64(Int32.max):
            put32(4)
            put32(Int32(v))
        case 2 where v >= Int64(Int16.min) && v <= Int64(Int16.max):
            put32(2)
            put16(Int16(v))
        case 1:
            put32(1)
            put(v != 0 ? 1 : 0)
        case 0:
            putText(String(v))
        default:
            invalid = invalid ?? "\(v) does not fit column \(valuesInRow + 1) of \(table)"
            put32(-1)
        }
    }

    private mutating func binaryText(_ t: String) {
        reserve(2)
        if valuesInRow == 0 { put16(Int16(columns)) }
        putText(t)
    }

    private mutating func putText(_ t: String) {
        let length = t.utf8.count
        reserve(4 + length)
        put32(Int32(length))
        putBytes(t)
    }

    /// Copies a text's UTF-8 bytes (room reserved by the caller) in one move.
    private mutating func putBytes(_ t: String) {
        var t = t
        let target = base + used
        let count = t.withUTF8 { bytes -> Int in
            if let source = bytes.baseAddress { target.update(from: source, count: bytes.count) }
            return bytes.count
        }
        used += count
    }

    public mutating func value(_ v: Int64?) {
        precondition(valuesInRow < columns && !full, "a row of \(table) has \(columns) values; a full part is flushed first")
        if isSQLite {
            kinds![valueIndex] = v == nil ? 0 : 1
            integers![valueIndex] = v ?? 0
            valueIndex += 1
        } else if let layout {
            binaryValue(v, width: layout.widths[valuesInRow])
        } else {
            reserve(22)
            if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
            if let v {
                used += writeDecimal(v, to: base + used)
            } else {
                put(UInt8(ascii: "\\"))
                put(UInt8(ascii: "N"))
            }
        }
        valuesInRow += 1
    }

    public mutating func text(_ t: String?) {
        precondition(valuesInRow < columns && !full, "a row of \(table) has \(columns) values; a full part is flushed first")
        if isSQLite {
            guard let t else { return value(nil) }
            let length = t.utf8.count
            reserve(length)
            kinds![valueIndex] = 2
            integers![valueIndex] = Int64(used)
            lengths![valueIndex] = Int32(length)
            valueIndex += 1
            putBytes(t)
        } else if let layout {
            guard let t else { return value(nil) }
            if layout.widths[valuesInRow] != 0 {
                invalid = invalid ?? "a text for number column \(valuesInRow + 1) of \(table)"
            }
            binaryText(t)
        } else {
            guard let t else {
                reserve(3)
                if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
                put(UInt8(ascii: "\\"))
                put(UInt8(ascii: "N"))
                valuesInRow += 1
                return
            }
            reserve(1 + 2 * t.utf8.count)
            if valuesInRow > 0 { put(UInt8(ascii: "\t")) }
            for byte in t.utf8 {
                switch byte {
                case UInt8(ascii: "\\"):
                    put(UInt8(ascii: "\\"))
                    put(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"):
                    put(UInt8(ascii: "\\"))
                    put(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"):
                    put(UInt8(ascii: "\\"))
                    put(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    put(UInt8(ascii: "\\"))
                    put(UInt8(ascii: "r"))
                default: put(byte)
                }
            }
        }
        valuesInRow += 1
    }

    /// The text written so far as a ByteBuffer (one copy per megabyte), and a fresh start.
    private mutating func takeCopyText() -> ByteBuffer {
        let out = ByteBuffer(bytes: UnsafeRawBufferPointer(start: base, count: used))
        used = 0
        return out
    }

    /// Ends a row, and writes the part when it is full.
    public mutating func endRow() async throws {
        if closeRow() { try await flush() }
    }

    /// Ends a row without suspending (an `await` per row costs a tenth of a bulk load); true when the part is full,
    /// and `flush()` must be awaited before the next value.
    public mutating func closeRow() -> Bool {
        precondition(valuesInRow == columns, "a row of \(table) needs \(columns) values")
        precondition(!full, "flush() must be awaited when closeRow() returns true")
        valuesInRow = 0
        rows += 1
        if isSQLite {
            rowsInBatch += 1
            full = rowsInBatch == BulkSink.rowsPerBatch
        } else {
            if layout == nil {
                reserve(1)
                put(UInt8(ascii: "\n"))
            }
            full = used >= BulkSink.flushAt
        }
        return full
    }

    /// Writes the full part: on SQLite it goes to SQLite's thread while the next one is filled.
    public mutating func flush() async throws {
        full = false
        switch target {
        case .sqlite(let db): try await flushSQLite(db)
        case .postgres(let writer):
            if let invalid { throw BulkLoadError(message: invalid) }
            try await writer.write(takeCopyText())
        }
    }

    /// Hands the filled batch to SQLite's thread and goes on with the other one (after the write before it ended).
    private mutating func flushSQLite(_ db: any SQLiteDatabase) async throws {
        let full = batch!
        full.text = storage
        full.rows = rowsInBatch
        full.columns = columns
        let spare = try await awaitWrite() ?? SQLiteBatch(values: BulkSink.rowsPerBatch * columns)
        let statement = insertSQL!
        writing = (Task { try await full.insert(statement, on: db) }, full)
        batch = spare
        kinds = spare.kinds
        integers = spare.integers
        lengths = spare.lengths
        storage = spare.text
        base = storage.base
        capacity = storage.capacity
        used = 0
        valueIndex = 0
        rowsInBatch = 0
    }

    /// Waits for the batch being written; returns it for reuse.
    private mutating func awaitWrite() async throws -> SQLiteBatch? {
        guard let task = writing else { return nil }
        writing = nil
        try await task.task.value
        return task.batch
    }

    fileprivate mutating func finish() async throws {
        switch target {
        case .sqlite(let db):
            if rowsInBatch > 0 { try await flushSQLite(db) }
            _ = try await awaitWrite()
        case .postgres(let writer):
            if let invalid { throw BulkLoadError(message: invalid) }
            if layout != nil {
                reserve(2)
                put16(-1)
            }
            if used > 0 { try await writer.write(takeCopyText()) }
        }
    }

    /// Waits for a write still running when the load failed, so the transaction's connection is free to roll back.
    fileprivate mutating func abandon() async {
        _ = try? await awaitWrite()
    }
}

struct BulkLoadError: Error, CustomStringConvertible {
    var message: String
    var description: String { "bulk load: \(message)" }
}

extension DB {
    /// Runs a bulk load (`body`) into `table`. Into an empty table (a first load) the `indexes` (name, column list)
    /// are dropped first and built once after the rows instead of kept up row by row: 12 M history rows on PostgreSQL
    /// took 12.0 s with the index and 4.7 s + 2.3 s without it and building it after; 5.1 M purchase lines kept two up
    /// at some 14 s. Call inside a transaction: both engines roll the DDL back with a failed load.
    func deferringIndexes(on table: String, _ indexes: [(name: String, columns: String)], _ body: () async throws -> Void) async throws {
        let empty = try await scalar("SELECT COUNT(*) AS v FROM (SELECT 1 AS one FROM \(unsafeRaw: table) LIMIT 1) t") == 0
        if empty { for index in indexes { try await run("DROP INDEX \(unsafeRaw: index.name)") } }
        try await body()
        if empty {
            for index in indexes { try await run("CREATE INDEX \(unsafeRaw: index.name) ON \(unsafeRaw: table) \(unsafeRaw: index.columns)") }
        }
    }

    /// Loads rows into `table` (a constant of this module) through a `BulkSink`; call inside a transaction.
    public func bulkLoad(into table: String, columns: [String], _ body: (inout BulkSink) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            var sink = BulkSink(target: .sqlite(fluent as! any SQLiteDatabase), table: table, columns: columns)
            do {
                try await body(&sink)
                try await sink.finish()
            } catch {
                await sink.abandon()
                throw error
            }
        case .postgres:
            let layout = try await BinaryLayout.of(table: table, columns: columns, in: self)
            let conn = try await postgresConnection()
            // PostgresNIO's copyFrom offers the text format only and writes `COPY "<table>"(<columns>) FROM STDIN
            // WITH (FORMAT text)`; for the binary format the table argument carries the column list and the options,
            // and `--` turns the rest of its statement into a comment. `table` and `columns` are constants of this
            // module; BulkSinkTests round-trip every kind of value, so a change in that statement fails them.
            let copyTable =
                layout == nil
                ? table
                : table + "\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") FROM STDIN WITH (FORMAT binary) --"
            try await conn.copyFrom(table: copyTable, columns: layout == nil ? columns : [], logger: logger) { writer in
                var sink = BulkSink(target: .postgres(writer), table: table, columns: columns, layout: layout)
                try await body(&sink)
                try await sink.finish()
            }
        }
    }
}

/// Writes a whole number in decimal at `out` (at most 20 bytes: a sign and 19 digits); returns how many it wrote.
func writeDecimal(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var at = 0
    if value < 0 {
        out[0] = UInt8(ascii: "-")
        at = 1
    }
    var magnitude = value.magnitude
    var digits = 1
    var probe = magnitude / 10
    while probe > 0 {
        digits += 1
        probe /= 10
    }
    var position = at + digits - 1
    repeat {
        out[position] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
        magnitude /= 10
        position -= 1
    } while magnitude > 0
    return at + digits
}
