import Foundation

/// One problem found in an input file: where (file, spreadsheet row, column) and why, in both languages.
public struct ImportIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 1-based spreadsheet row (the header is row 1); 0 when the problem concerns the whole file.
    public var row: Int
    /// Column header as written in the file (or the expected header when a column is missing); empty for the row.
    public var column: String
    public var reason: LocalizedText

    public init(file: String, row: Int, column: String, reason: LocalizedText) {
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason
    }

    public init(file: String, row: Int, column: String, zh: String, en: String) {
        self.init(file: file, row: row, column: column, reason: LocalizedText(zh: zh, en: en))
    }

    /// "file row 3 column \"规格编码\": reason"; a problem of the whole file (row 0) names the file only.
    public func text(_ language: Language) -> String {
        let place: String
        if row <= 0 {
            place = language == .zh ? "\(file)（整个文件）" : "\(file) (the whole file)"
        } else {
            place =
                language == .zh
                ? "\(file) 第\(row)行" + (column.isEmpty ? "" : "「\(column)」列")
                : "\(file) row \(row)" + (column.isEmpty ? "" : " column \"\(column)\"")
        }
        return "\(place): \(reason.text(language))"
    }

    public var description: String { text(.zh) + " / " + text(.en) }
}

/// A file that could not be imported. Nothing was written. `issues` holds the first `limit` problems;
/// `totalIssues` counts them all.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]
    public var totalIssues: Int

    public init(issues: [ImportIssue], totalIssues: Int? = nil) {
        self.issues = issues
        self.totalIssues = totalIssues ?? issues.count
    }

    public init(_ issue: ImportIssue) { self.init(issues: [issue]) }

    public var description: String {
        var lines = issues.map(\.description)
        if totalIssues > issues.count {
            lines.append("…共\(totalIssues)处错误，仅列出前\(issues.count)处 / \(totalIssues) problems in all, the first \(issues.count) listed")
        }
        return lines.joined(separator: "\n")
    }
}

/// Collects issues while a file is read, keeping the first `limit` and counting the rest, so that a file with
/// millions of bad rows reports all of them by count without holding them in memory.
public struct IssueCollector: Sendable {
    public private(set) var issues: [ImportIssue] = []
    public private(set) var total = 0
    public let limit: Int

    public init(limit: Int = 1000) { self.limit = limit }

    public mutating func add(_ issue: ImportIssue) {
        total += 1
        if issues.count < limit { issues.append(issue) }
    }

    public var isEmpty: Bool { total == 0 }
    public var failure: ImportFailure { ImportFailure(issues: issues, totalIssues: total) }
}
