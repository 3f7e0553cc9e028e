import CJicaiSQLite
import Foundation

/// Registers `jicai_bulk_insert` for the SQLite connections opened afterwards; call before opening any.
enum SQLiteBulk {
    static let registered: Bool = jicai_sqlite_register() == 0
}

/// How durable an SQLite commit is (`JICAI_SQLITE_SYNCHRONOUS`): `full` (the default) syncs the write-ahead log at
/// every commit; `normal` only at checkpoints, several times faster for small writes, and a power cut (not a crash
/// of the server) may lose the last commits but never corrupts the file. Applies to connections opened afterwards.
public enum SQLiteDurability: String, Sendable {
    case full, normal

    public func apply() { jicai_sqlite_synchronous(self == .normal ? 1 : 2) }
}
