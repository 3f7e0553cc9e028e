import Foundation
import Logging

/// One JSON object per log line (JICAI_LOG_FORMAT=json), for a log collector: time, level, logger label, message,
/// the metadata (the request id among it) and where in the source the line was logged.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardOutput) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public static let standardOutput: @Sendable (String) -> Void = { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var object: [String: Any] = [
            "ts": Self.time.format(Date()), "level": event.level.rawValue, "logger": label, "message": event.message.description,
            "source": event.source, "file": (event.file as NSString).lastPathComponent, "line": event.line,
        ]
        if let error = event.error { object["error"] = String(reflecting: error) }
        for (key, value) in merged { object[key == "message" || key == "level" || key == "ts" ? "meta_" + key : key] = Self.json(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        write(String(decoding: data, as: UTF8.self))
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let items): items.map(json)
        case .dictionary(let entries): entries.mapValues(json)
        }
    }

    /// `JICAI_LOG_FORMAT=json` gives JSON lines; anything else Vapor's usual text.
    public static func wantsJSON(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        env["JICAI_LOG_FORMAT"]?.lowercased() == "json"
    }
}
