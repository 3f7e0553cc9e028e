import Foundation
import JicaiCore

/// One column of an import template: its Chinese header as bureau templates write it, English aliases, whether it
/// is required, and how to fill it.
public struct Column: Sendable, Hashable {
    public let key: String
    public let zh: String
    public let aliases: [String]
    public let required: Bool
    public let help: LocalizedText
    public let example: String

    public init(_ key: String, zh: String, aliases: [String] = [], required: Bool = true, help: LocalizedText, example: String) {
        self.key = key
        self.zh = zh
        self.aliases = aliases
        self.required = required
        self.help = help
        self.example = example
    }

    func matches(_ header: String) -> Bool {
        let normalised = Column.normalise(header)
        return normalised == Column.normalise(zh) || normalised == Column.normalise(key) || aliases.contains { Column.normalise($0) == normalised }
    }

    /// Headers compare without spaces, required-markers and case: "* 机构编码" = "机构编码".
    static func normalise(_ s: String) -> String {
        String(s.lowercased().filter { !$0.isWhitespace && $0 != "*" && $0 != "＊" && $0 != "_" })
    }
}

/// The columns of one kind of file and where they are in a given file.
public struct TableSchema: Sendable {
    public let kind: String
    public let title: LocalizedText
    public let columns: [Column]

    public init(kind: String, title: LocalizedText, columns: [Column]) {
        self.kind = kind
        self.title = title
        self.columns = columns
    }

    /// Column positions by key, resolved from a header row; issues for missing required or repeated columns.
    public func resolve(header: [String], file: String) -> Result<[String: Int], ImportFailure> {
        var positions: [String: Int] = [:]
        var issues: [ImportIssue] = []
        for (i, h) in header.enumerated() where !h.isEmpty {
            guard let col = columns.first(where: { $0.matches(h) }) else { continue }
            if positions[col.key] != nil {
                issues.append(ImportIssue(file: file, row: 1, column: h, zh: "列重复", en: "the column appears twice"))
            }
            positions[col.key] = i
        }
        for col in columns where col.required && positions[col.key] == nil {
            issues.append(
                ImportIssue(
                    file: file, row: 1, column: col.zh,
                    zh: "缺少必填列「\(col.zh)」", en: "required column \"\(col.zh)\" (\(col.key)) is missing"))
        }
        return issues.isEmpty ? .success(positions) : .failure(ImportFailure(issues: issues))
    }

    public func column(_ key: String) -> Column { columns.first { $0.key == key }! }
}

/// Reads the cells of one row by column key, collecting a precise issue for every bad cell.
public struct RowReader {
    public let row: TableRow
    let positions: [String: Int]
    let schema: TableSchema
    let file: String
    public private(set) var issues: [ImportIssue] = []
    public static let maxCellCharacters = InputLimits.maxCellCharacters

    public init(row: TableRow, positions: [String: Int], schema: TableSchema, file: String) {
        self.row = row
        self.positions = positions
        self.schema = schema
        self.file = file
        if let big = row.oversizedColumn, let key = positions.first(where: { $0.value == big })?.key {
            issues.append(issue(key, zh: "单元格内容过长", en: "the cell is far too long"))
        }
    }

    public func issue(_ key: String, zh: String, en: String) -> ImportIssue {
        ImportIssue(file: file, row: row.number, column: schema.column(key).zh, zh: zh, en: en)
    }

    public mutating func add(_ key: String, zh: String, en: String) { issues.append(issue(key, zh: zh, en: en)) }

    /// Text of an optional or required column; "" when absent. Records an issue for a missing required value,
    /// bad encoding or an over-long cell.
    public mutating func text(_ key: String) -> String {
        guard let position = positions[key] else { return "" }
        guard let cell = row.text(position) else {
            add(key, zh: "字符编码无法识别（请使用UTF-8或GB18030）", en: "unreadable characters (use UTF-8 or GB18030)")
            return ""
        }
        if cell.isEmpty && schema.column(key).required {
            add(key, zh: "必填项为空", en: "a required value is empty")
        } else if cell.count > RowReader.maxCellCharacters {
            add(key, zh: "内容超过\(RowReader.maxCellCharacters)个字符", en: "longer than \(RowReader.maxCellCharacters) characters")
            return ""
        }
        return cell
    }

    /// A whole, non-negative number (quantities in minimal units, beds), at most `InputLimits.maxQuantity`.
    public mutating func count(_ key: String) -> Int64? {
        guard let position = positions[key] else { return nil }
        if let number = row.wholeNumber(position), number >= 0 {
            guard number <= InputLimits.maxQuantity else {
                add(key, zh: "超过上限\(InputLimits.maxQuantity)：“\(number)”", en: "exceeds the limit of \(InputLimits.maxQuantity): \"\(number)\"")
                return nil
            }
            return number
        }
        let cell = text(key)
        if cell.isEmpty { return nil }
        if cell.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            add(key, zh: "超过上限\(InputLimits.maxQuantity)：“\(cell)”", en: "exceeds the limit of \(InputLimits.maxQuantity): \"\(cell)\"")
            return nil
        }
        if let decimal = FixedDecimal(parsing: cell) {
            if decimal.units < 0 {
                add(key, zh: "不能为负数：“\(cell)”", en: "must not be negative: \"\(cell)\"")
            } else {
                add(key, zh: "应为整数（最小单位数量）：“\(cell)”", en: "must be a whole number (minimal units): \"\(cell)\"")
            }
        } else {
            add(key, zh: "不是数字：“\(cell)”", en: "not a number: \"\(cell)\"")
        }
        return nil
    }

    /// Yes/no: 是/否, Y/N, 1/0, TRUE/FALSE, √; empty = no.
    public mutating func flag(_ key: String) -> Bool {
        let cell = text(key).lowercased()
        switch cell {
        case "", "否", "n", "no", "0", "false", "×", "x": return false
        case "是", "y", "yes", "1", "true", "√", "✓": return true
        default:
            add(key, zh: "应填“是”或“否”：“\(cell)”", en: "must be yes (是) or no (否): \"\(cell)\"")
            return false
        }
    }
}
