import Foundation
import JicaiCore
import SQLKit

/// The award's state and winning results. The award's other tables have a store each: `VolumeStore` (agreed volumes
/// and coverage gaps), `DistributorStore`, `ListingStore`, `AgreementStore`.
public struct AwardStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    // MARK: State

    public func state(batchID: Int64) async throws -> AwardState {
        struct R: Decodable {
            var phase: String
            var results_version: Int64
            var computed_at: String?
            var published_at: String?
            var published_by: String?
            var execution_start: String?
            var cycle_end: String?
            var signing_deadline: String?
        }
        guard
            let row = try await db.first(
                """
                SELECT phase, results_version, computed_at, published_at, published_by, execution_start, cycle_end, signing_deadline
                FROM award_state WHERE batch_id = \(bind: batchID)
                """, as: R.self)
        else { return AwardState() }
        return AwardState(
            phase: AwardPhase(rawValue: row.phase) ?? .none, resultsVersion: Int(row.results_version),
            computedAt: row.computed_at.flatMap(Timestamp.date), publishedAt: row.published_at.flatMap(Timestamp.date),
            publishedBy: row.published_by, executionStart: row.execution_start.flatMap { CivilDate(text: $0) },
            cycleEnd: row.cycle_end.flatMap { CivilDate(text: $0) }, signingDeadline: row.signing_deadline.flatMap { CivilDate(text: $0) })
    }

    /// Moves the award from `from` to `to` in one statement that checks the phase it changes, inside the caller's
    /// transaction: of two publications at once exactly one sees true (PostgreSQL's row lock; SQLite's one writer).
    public func claimPhase(batchID: Int64, from: AwardPhase, to: AwardPhase) async throws -> Bool {
        struct R: Decodable { var batch_id: Int64 }
        return try await !db.all(
            """
            UPDATE award_state SET phase = \(bind: to.rawValue) WHERE batch_id = \(bind: batchID) AND phase = \(bind: from.rawValue)
            RETURNING batch_id
            """, as: R.self
        ).isEmpty
    }

    /// Writes the award's state; the batch's stamp is renewed, so values derived from the results are made again.
    public func setState(batchID: Int64, _ state: AwardState) async throws {
        try await BatchStore(db).renewCatalogueStamp(batchID: batchID)
        try await db.run("DELETE FROM award_state WHERE batch_id = \(bind: batchID)")
        try await db.insert(
            into: "award_state",
            columns: [
                "batch_id", "phase", "results_version", "computed_at", "published_at", "published_by", "execution_start", "cycle_end",
                "signing_deadline",
            ],
            rows: [
                [
                    .int(batchID), .text(state.phase.rawValue), .int(Int64(state.resultsVersion)), .text(state.computedAt.map(Timestamp.text)),
                    .text(state.publishedAt.map(Timestamp.text)), .text(state.publishedBy), .text(state.executionStart?.description),
                    .text(state.cycleEnd?.description), .text(state.signingDeadline?.description),
                ]
            ])
    }

    // MARK: Results

    static let resultColumns = [
        "batch_id", "product_code", "version", "role", "backup_order", "pack_price_fen", "reference_price_fen", "regions", "insurance_code",
        "restricted", "spec_code", "variety_code", "manufacturer_code", "manufacturer_name", "changed_by", "changed_at", "superseded_at", "pack_size",
    ]

    /// The current rows (those no correction replaced), or every version with `history`.
    public func results(batchID: Int64, history: Bool = false) async throws -> [StoredResult] {
        struct R: Decodable {
            var product_code: String
            var version: Int64
            var role: String
            var backup_order: Int64?
            var pack_price_fen: Int64
            var reference_price_fen: Int64?
            var regions: String
            var insurance_code: String
            var restricted: Int64
            var spec_code: String
            var variety_code: String
            var manufacturer_code: String
            var manufacturer_name: String
            var changed_by: String
            var changed_at: String
            var superseded_at: String?
            var pack_size: Int64?
        }
        let filter: SQLQueryString = history ? "" : " AND superseded_at IS NULL"
        let rows = try await db.all(
            "SELECT * FROM award_results WHERE batch_id = \(bind: batchID)" + filter + " ORDER BY variety_code, role DESC, product_code, version",
            as: R.self)
        return rows.map { row in
            StoredResult(
                entry: ResultEntry(
                    productCode: row.product_code, role: AwardRole(rawValue: row.role) ?? .winner, backupOrder: row.backup_order.map { Int($0) },
                    packPriceFen: row.pack_price_fen, referencePriceFen: row.reference_price_fen,
                    regions: row.regions.split(separator: ",").map(String.init), insuranceCode: row.insurance_code, restricted: row.restricted != 0,
                    packSize: row.pack_size),
                specCode: row.spec_code, varietyCode: row.variety_code, manufacturerCode: row.manufacturer_code,
                manufacturerName: row.manufacturer_name, version: Int(row.version), changedBy: row.changed_by,
                changedAt: Timestamp.date(row.changed_at) ?? Date(timeIntervalSince1970: 0), supersededAt: row.superseded_at.flatMap(Timestamp.date))
        }
    }

    /// Before publication: the batch's results are the file's rows, and nothing else.
    public func replaceResults(batchID: Int64, _ rows: [StoredResult]) async throws {
        try await db.run("DELETE FROM award_results WHERE batch_id = \(bind: batchID)")
        try await insertResults(batchID: batchID, rows)
    }

    /// After publication: each changed row replaces the current one of its product, which is kept, marked superseded.
    public func correctResults(batchID: Int64, _ rows: [StoredResult], at: Date) async throws {
        for row in rows {
            try await db.run(
                """
                UPDATE award_results SET superseded_at = \(bind: Timestamp.text(at))
                WHERE batch_id = \(bind: batchID) AND product_code = \(bind: row.entry.productCode) AND superseded_at IS NULL
                """)
        }
        try await insertResults(batchID: batchID, rows)
    }

    private func insertResults(batchID: Int64, _ rows: [StoredResult]) async throws {
        try await db.insert(
            into: "award_results", columns: Self.resultColumns,
            rows: rows.map { row in
                let entry = row.entry
                return [
                    .int(batchID), .text(entry.productCode), .int(Int64(row.version)), .text(entry.role.rawValue),
                    .int(entry.backupOrder.map { Int64($0) }),
                    .int(entry.packPriceFen), .int(entry.referencePriceFen), .text(entry.regions.joined(separator: ",")), .text(entry.insuranceCode),
                    .int(entry.restricted ? 1 : 0), .text(row.specCode), .text(row.varietyCode), .text(row.manufacturerCode),
                    .text(row.manufacturerName), .text(row.changedBy), .text(Timestamp.text(row.changedAt)), .null, .int(entry.packSize),
                ]
            })
    }
}
