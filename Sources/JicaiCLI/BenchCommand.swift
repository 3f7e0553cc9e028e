import Foundation
import JicaiInterchange
import Vapor

/// `jicai bench-parse FILE`: reads a history file through the import's reader without a database, to separate
/// parsing from writing in the benchmarks (docs/performance.md).
public struct BenchParseCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "file", help: "a history CSV or XLSX file")
        var file: String
        public init() {}
    }

    public init() {}
    public var help: String { "只解析历史采购量文件（基准测试）/ parse a history file only (benchmark)" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let started = Date()
        let cursor = try HistoryCursor(path: signature.file)
        var rows = 0
        var quantity: Int64 = 0
        var part: [PackedHistoryRecord] = []
        repeat {
            part.removeAll(keepingCapacity: true)
            try cursor.read(into: &part, count: 16_384)
            for record in part { quantity &+= record.quantity }
            rows += part.count
        } while !part.isEmpty
        let seconds = Date().timeIntervalSince(started)
        context.console.output(
            "\(rows) rows, \(cursor.issues.total) problems, quantity \(quantity), \(String(format: "%.2f", seconds)) s", style: .plain)
    }
}
