import Foundation

/// The lock a serving process holds on its SQLite database for its whole life (`flock` on `<database>.lock`), so
/// that `jicai restore --replace` can tell that a server still has the file open and refuse: a server keeps the
/// unlinked old file and every change it makes afterwards would be lost at its next start. The kernel releases the
/// lock when the process ends, however it ends. PostgreSQL needs none (a restore goes into an empty database).
public final class DatabaseLock: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// The lock file of a SQLite database file.
    public static func path(of database: String) -> String { database + ".lock" }

    /// Takes the lock without waiting; nil when another process holds it.
    public static func take(database: String) throws -> DatabaseLock? {
        let path = Self.path(of: database)
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DatabaseBackup.Failure(message: "无法打开锁文件 / cannot open the lock file \(path) (errno \(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return DatabaseLock(descriptor: fd, path: path)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Files that hold the database or a copy of it (password and token hashes among them) are readable by their owner
/// only.
public enum PrivateFile {
    /// Creates `path` empty with mode 0600 if it does not exist, so what is written into it stays private.
    public static func create(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        guard !FileManager.default.fileExists(atPath: path) else { return }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw DatabaseBackup.Failure(message: "无法创建文件 / cannot create \(path)")
        }
    }

    /// Sets mode 0600 on an existing file.
    public static func restrict(_ path: String) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
