import Foundation
import JicaiCore

/// A refused request: nothing was changed. The code is stable; the message is shown to the user.
/// A refusal by a service: one of the codes of `RefusalCode` with its message (Core's `Refusal`).
public typealias ServiceError = Refusal

extension Refusal {
    public static func batchNotFound(_ code: String) -> Refusal {
        Refusal(.batchNotFound, zh: "批次“\(code)”不存在，请先导入报量品种清单", en: "batch \"\(code)\" does not exist: import its catalogue first")
    }

    public static func noCatalogue(_ code: String) -> Refusal {
        Refusal(.noCatalogue, zh: "批次“\(code)”还没有报量品种清单", en: "batch \"\(code)\" has no catalogue yet")
    }

    public static let forbidden = Refusal(.forbidden)
}

/// Receives progress of long operations (imports, checks): rows done and bytes read of the total.
public protocol ProgressSink: Sendable {
    func update(rows: Int, bytesRead: Int64, totalBytes: Int64)
}

/// What an import did.
public struct ImportSummary: Sendable, Codable, Hashable {
    public var kind: String
    public var file: String
    public var rows: Int
    public var inserted: Int
    public var updated: Int
    public var seconds: Double

    public var text: LocalizedText {
        LocalizedText(
            zh: "\(file)：读取\(rows)行，新增\(inserted)条，更新\(updated)条，用时\(String(format: "%.1f", seconds))秒",
            en: "\(file): \(counted(rows, zh: "", en: "row").en) read, \(inserted) added, \(updated) updated in \(String(format: "%.1f", seconds)) s")
    }
}

/// Who did something, for the audit log.
public struct AuditActor: Sendable, Hashable {
    public var name: String
    public init(_ name: String) { self.name = name }
    public static let cli = AuditActor("cli")
    public static let system = AuditActor("system")
}
