import Foundation
import JicaiCore
import SQLKit

/// One institution's report with its review fields, as the web form and the reviewers see it.
public struct ReportRecord: Sendable, Hashable {
    public var status: ReportStatus
    public var lines: [DemandLine]
    public var explanations: [String: String]
    public var exclusions: [String: SpecialNeedsExclusion]
    public var evidence: [String: Int64]
    public var letter: CommitmentLetter?
    public var letterFileID: Int64?
    public var returnReason: String?
    public var reviewedBy: String?
    public var submittedAt: Date?
    public var updatedAt: Date?

    public init(
        status: ReportStatus = .draft, lines: [DemandLine] = [], explanations: [String: String] = [:],
        exclusions: [String: SpecialNeedsExclusion] = [:], evidence: [String: Int64] = [:], letter: CommitmentLetter? = nil,
        letterFileID: Int64? = nil, returnReason: String? = nil, reviewedBy: String? = nil, submittedAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.status = status
        self.lines = lines
        self.explanations = explanations
        self.exclusions = exclusions
        self.evidence = evidence
        self.letter = letter
        self.letterFileID = letterFileID
        self.returnReason = returnReason
        self.reviewedBy = reviewedBy
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
    }
}

extension DemandStore {
    /// The report of one institution, or nil when it has none.
    public func report(batchID: Int64, institutionID: Int64) async throws -> ReportRecord? {
        struct R: Decodable {
            var status: String
            var letter_file: String?
            var signer_name: String?
            var signer_title: String?
            var submitted_at: String?
            var updated_at: String
            var letter_file_id: Int64?
            var return_reason: String?
            var reviewed_by: String?
        }
        struct L: Decodable {
            var code: String
            var product_code: String
            var quantity: Int64
        }
        struct N: Decodable {
            var unit_key: String
            var explanation: String
            var exclusion_spec_code: String?
            var exclusion_quantity: Int64?
            var exclusion_reason: String?
            var evidence_file_id: Int64?
        }
        guard
            let row = try await db.first(
                """
                SELECT status, letter_file, signer_name, signer_title, submitted_at, updated_at, letter_file_id, return_reason, reviewed_by
                FROM demand_reports WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID)
                """, as: R.self)
        else { return nil }
        var out = ReportRecord(
            status: ReportStatus(rawValue: row.status) ?? .draft, letterFileID: row.letter_file_id, returnReason: row.return_reason,
            reviewedBy: row.reviewed_by, submittedAt: row.submitted_at.flatMap(Timestamp.date), updatedAt: Timestamp.date(row.updated_at))
        if row.letter_file != nil || row.signer_name != nil || row.signer_title != nil {
            out.letter = CommitmentLetter(fileName: row.letter_file ?? "", signerName: row.signer_name ?? "", signerTitle: row.signer_title ?? "")
        }
        out.lines = try await db.all(
            """
            SELECT s.code, l.product_code, l.quantity FROM demand_lines l JOIN specs s ON s.id = l.spec_id
            WHERE l.batch_id = \(bind: batchID) AND l.institution_id = \(bind: institutionID) ORDER BY s.code, l.product_code
            """, as: L.self
        ).map { DemandLine(specCode: $0.code, productCode: $0.product_code.isEmpty ? nil : $0.product_code, quantity: $0.quantity) }
        for note in try await db.all(
            """
            SELECT unit_key, explanation, exclusion_spec_code, exclusion_quantity, exclusion_reason, evidence_file_id FROM demand_notes
            WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID)
            """, as: N.self)
        {
            if !note.explanation.isEmpty { out.explanations[note.unit_key] = note.explanation }
            if let spec = note.exclusion_spec_code, let quantity = note.exclusion_quantity {
                out.exclusions[note.unit_key] = SpecialNeedsExclusion(specCode: spec, quantity: quantity, reason: note.exclusion_reason ?? "")
            }
            if let evidence = note.evidence_file_id { out.evidence[note.unit_key] = evidence }
        }
        return out
    }

    /// Claims the report for a change only if its status is still `status` (what the caller read). On PostgreSQL the
    /// UPDATE locks the row until the transaction ends, so of two concurrent submits the second finds the new status
    /// and is refused; SQLite serialises writers the same way.
    public func claim(batchID: Int64, institutionID: Int64, status: ReportStatus) async throws -> Bool {
        struct R: Decodable { var institution_id: Int64 }
        return try await db.first(
            """
            UPDATE demand_reports SET status = status WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID)
            AND status = \(bind: status.rawValue) RETURNING institution_id
            """, as: R.self) != nil
    }

    /// Writes one institution's report as a whole (lines, notes, letter, status, review fields); call in a transaction.
    public func save(batchID: Int64, institutionID: Int64, _ r: ReportRecord, specIDs: [String: Int64], at: Date) async throws {
        for table in ["demand_reports", "demand_lines", "demand_notes"] {
            let statement: String = "DELETE FROM \(table) WHERE batch_id = "
            try await db.run(SQLQueryString(statement) + "\(bind: batchID) AND institution_id = \(bind: institutionID)")
        }
        try await db.run(
            """
            INSERT INTO demand_reports (batch_id, institution_id, status, letter_file, signer_name, signer_title, submitted_at, updated_at,
                                        letter_file_id, return_reason, reviewed_by)
            VALUES (\(bind: batchID), \(bind: institutionID), \(bind: r.status.rawValue), \(bind: r.letter?.fileName), \(bind: r.letter?.signerName),
                    \(bind: r.letter?.signerTitle), \(bind: r.submittedAt.map(Timestamp.text)), \(bind: Timestamp.text(at)),
                    \(bind: r.letterFileID), \(bind: r.returnReason), \(bind: r.reviewedBy))
            """)
        try await db.insert(
            into: "demand_lines", columns: ["batch_id", "institution_id", "spec_id", "product_code", "quantity"],
            rows: r.lines.compactMap { l in
                specIDs[l.specCode].map { [.int(batchID), .int(institutionID), .int($0), .text(l.productCode ?? ""), .int(l.quantity)] }
            })
        let keys = Set(r.explanations.keys).union(r.exclusions.keys).union(r.evidence.keys).sorted()
        try await db.insert(
            into: "demand_notes",
            columns: [
                "batch_id", "institution_id", "unit_key", "explanation", "exclusion_spec_code", "exclusion_quantity", "exclusion_reason",
                "evidence_file_id",
            ],
            rows: keys.map { key in
                let ex = r.exclusions[key]
                return [
                    .int(batchID), .int(institutionID), .text(key), .text(r.explanations[key] ?? ""), .text(ex?.specCode), .int(ex?.quantity),
                    .text(ex?.reason), .int(r.evidence[key]),
                ]
            })
    }

    /// Status counts per city (4-digit prefix) of the reporting organisations in `regionPrefix`.
    public func progress(batchID: Int64, regionPrefix: String) async throws -> [(city: String, status: String?, count: Int64)] {
        struct R: Decodable {
            var city: String
            var status: String?
            var n: Int64
        }
        return try await db.all(
            """
            SELECT SUBSTR(o.region_code, 1, 4) AS city, r.status, COUNT(*) AS n
            FROM organisations o LEFT JOIN demand_reports r ON r.batch_id = \(bind: batchID) AND r.institution_id = o.id
            WHERE o.kind IN ('institution', 'pharmacy') AND o.region_code LIKE \(bind: regionPrefix + "%")
            GROUP BY SUBSTR(o.region_code, 1, 4), r.status ORDER BY 1
            """, as: R.self
        ).map { ($0.city, $0.status, $0.n) }
    }
}

extension HistoryStore {
    /// History totals per spec code of the given institutions, added up (a county medical community's combined history).
    public func totals(batchID: Int64, institutionIDs: [Int64]) async throws -> [Int64: [String: Int64]] {
        guard !institutionIDs.isEmpty else { return [:] }
        struct R: Decodable {
            var institution_id: Int64
            var code: String
            var quantity: Int64
        }
        var out: [Int64: [String: Int64]] = [:]
        for row in try await db.all(
            """
            SELECT t.institution_id, s.code, t.quantity FROM history_totals t JOIN specs s ON s.id = t.spec_id
            WHERE t.batch_id = \(bind: batchID) AND t.institution_id IN (\(binds: institutionIDs))
            """, as: R.self)
        {
            out[row.institution_id, default: [:]][row.code, default: 0] += row.quantity
        }
        return out
    }

    /// Monthly history per spec code of the given institutions, added up: spec code → month (yyyymm) → quantity.
    public func monthly(batchID: Int64, institutionIDs: [Int64]) async throws -> [String: [Int: Int64]] {
        guard !institutionIDs.isEmpty else { return [:] }
        struct R: Decodable {
            var code: String
            var month: Int64
            var quantity: Int64
        }
        var out: [String: [Int: Int64]] = [:]
        for row in try await db.all(
            """
            SELECT s.code, h.month, CAST(SUM(h.quantity) AS BIGINT) AS quantity FROM history h JOIN specs s ON s.id = h.spec_id
            WHERE h.batch_id = \(bind: batchID) AND h.institution_id IN (\(binds: institutionIDs)) GROUP BY s.code, h.month
            """, as: R.self)
        {
            out[row.code, default: [:]][Int(row.month)] = row.quantity
        }
        return out
    }
}

extension BatchStore {
    public struct BatchState: Sendable, Hashable {
        public var lockedAt: Date?
        public var sealedFileID: Int64?
    }

    public func state(batchID: Int64) async throws -> BatchState {
        struct R: Decodable {
            var locked_at: String?
            var sealed_file_id: Int64?
        }
        let row = try await db.first("SELECT locked_at, sealed_file_id FROM batches WHERE id = \(bind: batchID)", as: R.self)
        return BatchState(lockedAt: row?.locked_at.flatMap(Timestamp.date), sealedFileID: row?.sealed_file_id)
    }

    public func lock(batchID: Int64, at: Date?) async throws {
        try await db.run("UPDATE batches SET locked_at = \(bind: at.map(Timestamp.text)) WHERE id = \(bind: batchID)")
    }

    public func setSealedFile(batchID: Int64, fileID: Int64) async throws {
        try await db.run("UPDATE batches SET sealed_file_id = \(bind: fileID) WHERE id = \(bind: batchID)")
    }
}

extension DemandStore {
    /// Reported totals per spec over the submitted and approved reports of a region (the summary the province seals).
    public func specTotals(batchID: Int64, regionPrefix: String) async throws -> [(spec: String, quantity: Int64, institutions: Int64)] {
        struct R: Decodable {
            var code: String
            var quantity: Int64
            var n: Int64
        }
        return try await db.all(
            """
            SELECT s.code, CAST(SUM(l.quantity) AS BIGINT) AS quantity, COUNT(DISTINCT l.institution_id) AS n
            FROM demand_lines l JOIN demand_reports r ON r.batch_id = l.batch_id AND r.institution_id = l.institution_id
            JOIN specs s ON s.id = l.spec_id JOIN organisations o ON o.id = l.institution_id
            WHERE l.batch_id = \(bind: batchID) AND r.status IN ('submitted', 'cityApproved', 'provinceApproved')
              AND o.region_code LIKE \(bind: regionPrefix + "%")
            GROUP BY s.code ORDER BY s.code
            """, as: R.self
        ).map { ($0.code, $0.quantity, $0.n) }
    }

}
