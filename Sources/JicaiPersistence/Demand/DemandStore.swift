import Foundation
import JicaiCore
import SQLKit

/// One institution's report as stored (lines keyed by spec code, as the checks need them).
public struct StoredReport: Sendable {
    public var institutionID: Int64
    public var status: ReportStatus
    public var lines: [DemandLine]
    public var explanations: [String: String]
    public var exclusions: [String: SpecialNeedsExclusion]
    public var letter: CommitmentLetter?
    public var submittedAt: Date?

    public init(
        institutionID: Int64, status: ReportStatus, lines: [DemandLine], explanations: [String: String] = [:],
        exclusions: [String: SpecialNeedsExclusion] = [:], letter: CommitmentLetter? = nil, submittedAt: Date? = nil
    ) {
        self.institutionID = institutionID
        self.status = status
        self.lines = lines
        self.explanations = explanations
        self.exclusions = exclusions
        self.letter = letter
        self.submittedAt = submittedAt
    }
}

/// Demand reports, lines and notes.
public struct DemandStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    /// Replaces the reports of the institutions in `reports` (others are kept).
    public func replace(batchID: Int64, _ reports: [StoredReport], specIDs: [String: Int64], at: Date) async throws {
        let ids = reports.map(\.institutionID)
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 5000)])
            start += chunk.count
            for table in ["demand_reports", "demand_lines", "demand_notes"] {
                let statement: String = "DELETE FROM \(table) WHERE batch_id = "
                try await db.run(SQLQueryString(statement) + "\(bind: batchID) AND institution_id IN (\(binds: chunk))")
            }
        }
        let now = Timestamp.text(at)
        try await db.insert(
            into: "demand_reports",
            columns: ["batch_id", "institution_id", "status", "letter_file", "signer_name", "signer_title", "submitted_at", "updated_at"],
            rows: reports.map { r in
                [
                    .int(batchID), .int(r.institutionID), .text(r.status.rawValue), .text(r.letter?.fileName), .text(r.letter?.signerName),
                    .text(r.letter?.signerTitle), .text(r.submittedAt.map(Timestamp.text)), .text(now),
                ]
            })
        var lines: [[DBValue]] = []
        var notes: [[DBValue]] = []
        for report in reports {
            for line in report.lines {
                guard let spec = specIDs[line.specCode] else { continue }
                lines.append([.int(batchID), .int(report.institutionID), .int(spec), .text(line.productCode ?? ""), .int(line.quantity)])
            }
            for key in Set(report.explanations.keys).union(report.exclusions.keys).sorted() {
                let ex = report.exclusions[key]
                notes.append([
                    .int(batchID), .int(report.institutionID), .text(key), .text(report.explanations[key] ?? ""),
                    .text(ex?.specCode), .int(ex?.quantity), .text(ex?.reason),
                ])
            }
        }
        try await db.insert(into: "demand_lines", columns: ["batch_id", "institution_id", "spec_id", "product_code", "quantity"], rows: lines)
        try await db.insert(
            into: "demand_notes",
            columns: ["batch_id", "institution_id", "unit_key", "explanation", "exclusion_spec_code", "exclusion_quantity", "exclusion_reason"],
            rows: notes)
    }

    /// Every report of the batch, by institution id.
    public func reports(batchID: Int64, specCodes: [Int64: String]) async throws -> [Int64: StoredReport] {
        struct R: Decodable {
            var institution_id: Int64
            var status: String
            var letter_file: String?
            var signer_name: String?
            var signer_title: String?
            var submitted_at: String?
        }
        struct N: Decodable {
            var institution_id: Int64
            var unit_key: String
            var explanation: String
            var exclusion_spec_code: String?
            var exclusion_quantity: Int64?
            var exclusion_reason: String?
        }
        var out: [Int64: StoredReport] = [:]
        for row in try await db.all(
            "SELECT institution_id, status, letter_file, signer_name, signer_title, submitted_at FROM demand_reports WHERE batch_id = \(bind: batchID)",
            as: R.self)
        {
            var letter: CommitmentLetter?
            if let file = row.letter_file {
                letter = CommitmentLetter(fileName: file, signerName: row.signer_name ?? "", signerTitle: row.signer_title ?? "")
            }
            out[row.institution_id] = StoredReport(
                institutionID: row.institution_id, status: ReportStatus(rawValue: row.status) ?? .draft, lines: [],
                letter: letter, submittedAt: row.submitted_at.flatMap(Timestamp.date))
        }
        let sink = RowSink<[Int64: [DemandLine]]>([:])
        try await db.forEachGroup(table: "demand_lines", fields: ["spec_id", "quantity", "product_code"], batchID: batchID) { institution, scanner in
            var lines: [DemandLine] = []
            while !scanner.atEnd {
                let spec = scanner.integer()
                let quantity = scanner.integer()
                let product = scanner.lastText()
                if let code = specCodes[spec] { lines.append(DemandLine(specCode: code, productCode: product, quantity: quantity)) }
            }
            sink.value[institution] = lines.sorted { ($0.specCode, $0.productCode ?? "") < ($1.specCode, $1.productCode ?? "") }
        }
        for (id, lines) in sink.value { out[id]?.lines = lines }
        for note in try await db.all(
            "SELECT institution_id, unit_key, explanation, exclusion_spec_code, exclusion_quantity, exclusion_reason FROM demand_notes WHERE batch_id = \(bind: batchID)",
            as: N.self)
        {
            if !note.explanation.isEmpty { out[note.institution_id]?.explanations[note.unit_key] = note.explanation }
            if let spec = note.exclusion_spec_code, let quantity = note.exclusion_quantity {
                out[note.institution_id]?.exclusions[note.unit_key] = SpecialNeedsExclusion(
                    specCode: spec, quantity: quantity, reason: note.exclusion_reason ?? "")
            }
        }
        return out
    }

    /// Moves every report of a region from `from` to `to`, except those with a blocking finding, in one statement;
    /// returns the codes of the institutions moved and how many were held back. Call inside a transaction.
    public func moveAll(batchID: Int64, from: ReportStatus, to: ReportStatus, regionPrefix: String) async throws -> (moved: [String], held: Int64) {
        let scope: SQLQueryString = """
            WHERE batch_id = \(bind: batchID) AND status = \(bind: from.rawValue)
            AND institution_id IN (SELECT id FROM organisations WHERE region_code LIKE \(bind: regionPrefix + "%"))
            """
        let blocked: SQLQueryString = """
            institution_id IN (SELECT institution_id FROM findings WHERE batch_id = \(bind: batchID) AND severity = \(bind: FindingSeverity.blocking.rawValue))
            """
        let held = try await db.scalar("SELECT COUNT(*) AS v FROM demand_reports " + scope + " AND " + blocked)
        struct R: Decodable { var institution_id: Int64 }
        let ids = try await db.all(
            "UPDATE demand_reports SET status = \(bind: to.rawValue) " + scope + " AND NOT " + blocked + " RETURNING institution_id", as: R.self)
        guard !ids.isEmpty else { return ([], held) }
        struct C: Decodable { var code: String }
        var codes: [String] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let list = ids[start..<min(start + 500, ids.count)].map { String($0.institution_id) }.joined(separator: ",")
            codes += try await db.all("SELECT code FROM organisations WHERE id IN (\(unsafeRaw: list)) ORDER BY code", as: C.self).map(\.code)
        }
        return (codes.sorted(), held)
    }

    public func reportCount(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM demand_reports WHERE batch_id = \(bind: batchID)")
    }
}

/// Findings of the last check run of a batch.
public struct FindingStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    /// A finding as its row is stored: the numbers already as JSON text. A batch's check holds 100,000 findings
    /// until they are written, and a dictionary per finding took 20 MB more than its text.
    public struct Row: Sendable {
        public var institutionID: Int64
        public var code: FindingCode
        public var severity: FindingSeverity
        public var unitKey: String
        public var numbers: String
        public var message: LocalizedText
        public var clause: String
        public var explanation: String?

        public init(institutionID: Int64, _ f: Finding) {
            self.institutionID = institutionID
            code = f.code
            severity = f.severity
            unitKey = f.unitKey ?? ""
            numbers = FindingStore.json(f.numbers)
            message = f.message
            clause = f.clause
            explanation = f.explanation
        }
    }

    /// Replaces the findings of the whole batch (a check run); call inside a transaction.
    public func replace(batchID: Int64, _ rows: [Row]) async throws {
        try await db.run("DELETE FROM findings WHERE batch_id = \(bind: batchID)")
        try await write(batchID: batchID, rows)
    }

    /// Replaces one institution's findings (a live save); call inside a transaction.
    public func replace(batchID: Int64, institutionID: Int64, _ findings: [Finding]) async throws {
        try await db.run("DELETE FROM findings WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID)")
        try await write(batchID: batchID, findings.map { Row(institutionID: institutionID, $0) })
    }

    private func write(batchID: Int64, _ rows: [Row]) async throws {
        guard !rows.isEmpty else { return }
        try await db.bulkLoad(
            into: "findings",
            columns: [
                "batch_id", "institution_id", "code", "severity", "unit_key", "numbers",
                "message_zh", "message_en", "clause", "explanation",
            ]
        ) { sink in
            for row in rows {
                sink.value(batchID)
                sink.value(row.institutionID)
                sink.text(row.code.rawValue)
                sink.text(row.severity.rawValue)
                sink.text(row.unitKey)
                sink.text(row.numbers)
                sink.text(row.message.zh)
                sink.text(row.message.en)
                sink.text(row.clause)
                sink.text(row.explanation)
                if sink.closeRow() { try await sink.flush() }
            }
        }
    }

    /// A stored finding as the list reads it.
    private struct ListRow: Decodable {
        var code: String, name: String, region_code: String, finding_code: String, severity: String, unit_key: String
        var numbers: String, message_zh: String, message_en: String, clause: String, explanation: String?

        var finding: StoredFinding? {
            guard let kind = FindingCode(rawValue: finding_code), let level = FindingSeverity(rawValue: severity) else { return nil }
            let figures = (try? JSONDecoder().decode([String: String].self, from: Data(numbers.utf8))) ?? [:]
            var finding = Finding(
                code: kind, severity: level, institutionCode: code, unitKey: unit_key.isEmpty ? nil : unit_key, numbers: figures,
                message: LocalizedText(zh: message_zh, en: message_en), clause: clause)
            finding.explanation = explanation
            return StoredFinding(institutionCode: code, institutionName: name, regionCode: region_code, finding: finding)
        }
    }

    private static let listColumns: SQLQueryString =
        "o.code, o.name, o.region_code, f.code AS finding_code, f.severity, f.unit_key, f.numbers, f.message_zh, f.message_en, f.clause, f.explanation"
    private static let listOrder: SQLQueryString = "o.code, f.unit_key, f.code"

    /// A batch's findings, of institutions under a region prefix or of one institution when given.
    private func query(_ batchID: Int64, regionPrefix: String?, institutionCode: String?) -> PagedQuery {
        var query = PagedQuery(from: "findings f JOIN organisations o ON o.id = f.institution_id", where: "f.batch_id = \(bind: batchID)")
        if let regionPrefix { query.add(.prefix("o.region_code", regionPrefix)) }
        query.add(.equals("o.code", institutionCode))
        return query
    }

    /// Every finding (of a region, or one institution), ordered by institution, unit and code: the exports.
    public func list(batchID: Int64, regionPrefix: String? = nil, institutionCode: String? = nil) async throws -> [StoredFinding] {
        let query = query(batchID, regionPrefix: regionPrefix, institutionCode: institutionCode)
        return try await db.all("SELECT " + Self.listColumns + query.fromWhere + " ORDER BY " + Self.listOrder, as: ListRow.self).compactMap(
            \.finding)
    }

    /// One page of the findings `list` gives, with their number.
    public func page(batchID: Int64, regionPrefix: String? = nil, institutionCode: String? = nil, page: PageRequest) async throws
        -> Page<StoredFinding>
    {
        try await query(batchID, regionPrefix: regionPrefix, institutionCode: institutionCode).page(
            db, select: Self.listColumns, orderBy: Self.listOrder, page: page, as: ListRow.self, \.finding)
    }

    /// A string map as a JSON object with sorted keys (JSONEncoder is slow for 100,000 small objects).
    static func json(_ map: [String: String]) -> String {
        func quoted(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        return "{" + map.keys.sorted().map { quoted($0) + ":" + quoted(map[$0]!) }.joined(separator: ",") + "}"
    }

    public func count(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM findings WHERE batch_id = \(bind: batchID)")
    }
}
