import Foundation
import JicaiCore

/// Blank import templates: the header row with an example row, and for XLSX a second sheet explaining each column.
public enum Templates {
    public static func write(_ schema: TableSchema, format: TableFormat, to url: URL) throws {
        switch format {
        case .csv:
            let csv = try CSVWriter(path: url.path)
            try csv.write(schema.columns.map(\.zh))
            try csv.write(schema.columns.map(\.example))
            try csv.finish()
        case .xlsx:
            let writer = try XLSXWriter()
            try writer.addSheet(schema.title.zh, columnWidths: schema.columns.map { max(10, $0.zh.count * 3) })
            try writer.addRow(schema.columns.map(\.zh))
            try writer.addRow(schema.columns.map(\.example))
            try writer.addSheet("填表说明", columnWidths: [18, 22, 8, 60, 60])
            try writer.addRow(["列名", "English", "必填", "说明", "Description"])
            for column in schema.columns {
                try writer.addRow([
                    column.zh, ([column.key] + column.aliases.filter { $0.allSatisfy(\.isASCII) }).joined(separator: " / "),
                    column.required ? "是" : "否", column.help.zh, column.help.en,
                ])
            }
            try writer.write(to: url)
        }
    }
}

/// Writes a report as CSV (UTF-8 with BOM) or XLSX with a header row.
public final class TableExport {
    private let csv: CSVWriter?
    private let xlsx: XLSXWriter?
    private let url: URL

    public init(url: URL, format: TableFormat, sheet: String, headers: [String]) throws {
        self.url = url
        switch format {
        case .csv:
            csv = try CSVWriter(path: url.path)
            xlsx = nil
            try csv!.write(headers)
        case .xlsx:
            csv = nil
            xlsx = try XLSXWriter()
            try xlsx!.addSheet(sheet, columnWidths: headers.map { max(10, $0.count * 3) })
            try xlsx!.addRow(headers)
        }
    }

    public func add(_ cells: [XLSXWriter.Cell]) throws {
        if let csv {
            try csv.write(
                cells.map {
                    switch $0 {
                    case .text(let text): text
                    case .number(let number): String(number)
                    case .decimal(let decimal): decimal
                    case .empty: ""
                    }
                })
        } else {
            try xlsx!.addRow(cells)
        }
    }

    public func finish() throws {
        try csv?.finish()
        try xlsx?.write(to: url)
    }
}
