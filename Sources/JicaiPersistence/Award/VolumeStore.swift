import Foundation
import JicaiCore
import SQLKit

/// The agreed volumes (every version, the current one marked) and the coverage gaps of a batch.
public struct VolumeStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    static let volumeColumns = [
        "batch_id", "institution_id", "product_code", "version", "quantity", "amount_fen", "exact_content", "content_denominator", "sources",
        "reason", "changed_by", "changed_at", "superseded_at",
    ]

    /// One computed volume row for `replaceVolumes`.
    public struct VolumeRow: Sendable {
        public var institutionID: Int64
        public var volume: StoredVolume
        public init(institutionID: Int64, volume: StoredVolume) {
            self.institutionID = institutionID
            self.volume = volume
        }
    }

    /// Replaces the batch's computed volumes and coverage gaps (before publication: recomputing is idempotent).
    public func replaceVolumes(batchID: Int64, _ rows: [VolumeRow], gaps: [(Int64, String)], by actor: String, at: Date) async throws {
        try await db.run("DELETE FROM agreed_volumes WHERE batch_id = \(bind: batchID)")
        try await db.run("DELETE FROM award_gaps WHERE batch_id = \(bind: batchID)")
        let stamp = Timestamp.text(at)
        try await db.bulkLoad(into: "agreed_volumes", columns: Self.volumeColumns) { sink in
            for row in rows {
                let volume = row.volume
                sink.value(batchID)
                sink.value(row.institutionID)
                sink.text(volume.productCode)
                sink.value(Int64(volume.version))
                sink.value(volume.quantity)
                sink.value(volume.amountFen)
                sink.text(volume.exactContent)
                sink.text(volume.contentDenominator)
                sink.text(VolumeSourceText.encode(volume.sources))
                sink.text(volume.reason)
                sink.text(actor)
                sink.text(stamp)
                sink.value(nil)
                try await sink.endRow()
            }
        }
        try await db.insert(
            into: "award_gaps", columns: ["batch_id", "institution_id", "unit_key"], rows: gaps.map { [.int(batchID), .int($0.0), .text($0.1)] })
    }

    /// A published figure changed by hand: the current row is kept, superseded, and the new one gets the next version.
    public func adjustVolume(batchID: Int64, institutionID: Int64, _ volume: StoredVolume, by actor: String, at: Date) async throws {
        let stamp = Timestamp.text(at)
        try await db.run(
            """
            UPDATE agreed_volumes SET superseded_at = \(bind: stamp)
            WHERE batch_id = \(bind: batchID) AND institution_id = \(bind: institutionID) AND product_code = \(bind: volume.productCode)
            AND superseded_at IS NULL
            """)
        try await db.insert(
            into: "agreed_volumes", columns: Self.volumeColumns,
            rows: [
                [
                    .int(batchID), .int(institutionID), .text(volume.productCode), .int(Int64(volume.version)), .int(volume.quantity),
                    .int(volume.amountFen), .text(volume.exactContent), .text(volume.contentDenominator),
                    .text(VolumeSourceText.encode(volume.sources)), .text(volume.reason), .text(actor), .text(stamp), .null,
                ]
            ])
    }

    /// A volume as the lists read it.
    private struct ListedVolume: Decodable {
        var code: String
        var name: String
        var region_code: String
        var product_code: String
        var version: Int64
        var quantity: Int64
        var amount_fen: Int64
        var exact_content: String
        var content_denominator: String
        var sources: String
        var reason: String

        var volume: StoredVolume {
            StoredVolume(
                institutionCode: code, institutionName: name, regionCode: region_code, productCode: product_code, specCode: "", varietyCode: "",
                manufacturerName: "", quantity: quantity, amountFen: amount_fen, exactContent: exact_content,
                contentDenominator: content_denominator, sources: VolumeSourceText.decode(sources), version: Int(version), reason: reason)
        }
    }

    private static let listedVolumeColumns: SQLQueryString = """
        o.code, o.name, o.region_code, v.product_code, v.version, v.quantity, v.amount_fen, v.exact_content, v.content_denominator, v.sources,
        v.reason
        """
    private static let volumeOrder: SQLQueryString = "o.code, v.product_code, v.version"

    /// The volumes of a batch, current ones only unless `history`, under a region prefix and/or of one institution.
    private func volumeQuery(_ batchID: Int64, regionPrefix: String?, institutionCode: String?, history: Bool) -> PagedQuery {
        var query = PagedQuery(from: "agreed_volumes v JOIN organisations o ON o.id = v.institution_id", where: "v.batch_id = \(bind: batchID)")
        if !history { query.add(.sql("v.superseded_at IS NULL")) }
        if let regionPrefix, !regionPrefix.isEmpty { query.add(.prefix("o.region_code", regionPrefix)) }
        query.add(.equals("o.code", institutionCode))
        return query
    }

    /// Current volumes (every version with `history`) in institution and product order, with the institution's
    /// name, filtered by region prefix and/or institution code.
    public func volumes(batchID: Int64, regionPrefix: String? = nil, institutionCode: String? = nil, history: Bool = false) async throws
        -> [StoredVolume]
    {
        try await volumeQuery(batchID, regionPrefix: regionPrefix, institutionCode: institutionCode, history: history).all(
            db, select: Self.listedVolumeColumns, orderBy: Self.volumeOrder, as: ListedVolume.self, \.volume)
    }

    /// One page of the current volumes, with their number.
    public func volumePage(batchID: Int64, regionPrefix: String? = nil, institutionCode: String? = nil, page: PageRequest) async throws
        -> Page<StoredVolume>
    {
        try await volumeQuery(batchID, regionPrefix: regionPrefix, institutionCode: institutionCode, history: false).page(
            db, select: Self.listedVolumeColumns, orderBy: Self.volumeOrder, page: page, as: ListedVolume.self, \.volume)
    }

    public func volumeCount(batchID: Int64, regionPrefix: String? = nil, institutionCode: String? = nil) async throws -> Int64 {
        try await volumeQuery(batchID, regionPrefix: regionPrefix, institutionCode: institutionCode, history: false).count(db)
    }

    public func gapCount(batchID: Int64) async throws -> Int64 {
        try await db.scalar("SELECT COUNT(*) AS v FROM award_gaps WHERE batch_id = \(bind: batchID)")
    }

    /// The institutions holding current volume of a manufacturer's winning products: code and region.
    public func holders(batchID: Int64, manufacturerCode: String) async throws -> [(code: String, regionCode: String)] {
        struct R: Decodable {
            var code: String
            var region_code: String
        }
        return try await db.all(
            """
            SELECT DISTINCT o.code, o.region_code FROM agreed_volumes v JOIN organisations o ON o.id = v.institution_id
            JOIN award_results r ON r.batch_id = v.batch_id AND r.product_code = v.product_code AND r.superseded_at IS NULL
            WHERE v.batch_id = \(bind: batchID) AND v.superseded_at IS NULL AND r.manufacturer_code = \(bind: manufacturerCode)
            ORDER BY o.code
            """, as: R.self
        ).map { ($0.code, $0.region_code) }
    }

    /// One page of the coverage gaps of a region (a division-code prefix), by region, institution and unit; the
    /// winners are the caller's to fill in.
    public func gaps(batchID: Int64, regionPrefix: String, page: PageRequest?) async throws -> Page<CoverageGap> {
        struct R: Decodable {
            var code: String
            var name: String
            var region_code: String
            var unit_key: String
        }
        var query = PagedQuery(from: "award_gaps g JOIN organisations o ON o.id = g.institution_id", where: "g.batch_id = \(bind: batchID)")
        query.add(.prefix("o.region_code", regionPrefix))
        let (select, order): (SQLQueryString, SQLQueryString) = ("o.code, o.name, o.region_code, g.unit_key", "o.region_code, o.code, g.unit_key")
        func gap(_ row: R) -> CoverageGap {
            CoverageGap(institutionCode: row.code, institutionName: row.name, regionCode: row.region_code, unitKey: row.unit_key)
        }
        if let page { return try await query.page(db, select: select, orderBy: order, page: page, as: R.self, gap) }
        return .whole(try await query.all(db, select: select, orderBy: order, as: R.self, gap))
    }
}

/// Volume sources as compact text (`reporter|spec|quantity|ratio|0/1`, records separated by `;`): a province's
/// volumes have millions of sources, and JSON encoding them cost more than the computation.
enum VolumeSourceText {
    static func encode(_ sources: [VolumeSource]) -> String {
        sources.map { "\($0.reporter)|\($0.specCode)|\($0.reportedQuantity)|\($0.ratio)|\($0.chosenBrand ? 1 : 0)" }.joined(separator: ";")
    }

    static func decode(_ text: String) -> [VolumeSource] {
        text.split(separator: ";").compactMap { record in
            let fields = record.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let quantity = Int64(fields[2]) else { return nil }
            return VolumeSource(reporter: fields[0], specCode: fields[1], reportedQuantity: quantity, ratio: fields[3], chosenBrand: fields[4] == "1")
        }
    }
}

extension VolumeStore {
    /// A current volume as publication reads it: no sources, no names.
    public struct VolumeForAgreement: Sendable {
        public var institutionID: Int64
        public var regionCode: String
        public var productCode: String
        public var quantity: Int64
        public var exactContent: String
        public var contentDenominator: String
        public var adjusted: Bool
    }

    /// Streams the current volumes for publication without decoding them through `Codable`, folded per institution
    /// by the engine (`group_concat` / `string_agg`) so that a province's 440,000 volumes arrive as 23,000 rows:
    /// decoding them row by row with their sources took most of the publication's time and memory.
    public func forEachVolume(batchID: Int64, _ body: @escaping @Sendable (VolumeForAgreement) -> Void) async throws {
        let record = db.fieldsAsText(["v.product_code", "CAST(v.quantity AS TEXT)", "v.exact_content", "v.content_denominator", "v.reason"])
        let sqlite = db.engine == .sqlite
        let aggregate = sqlite ? "group_concat(\(record), char(30))" : "string_agg(\(record), chr(30))"
        let separator = sqlite ? "char(30)" : "chr(30)"
        try await db.forEachRow(
            """
            SELECT v.institution_id, 0 AS a, 0 AS b, MAX(o.region_code) || \(separator) || \(aggregate) AS t
            FROM agreed_volumes v JOIN organisations o ON o.id = v.institution_id
            WHERE v.batch_id = $1 AND v.superseded_at IS NULL GROUP BY v.institution_id
            """, batchID: batchID
        ) { institution, _, _, text in
            let records = (text ?? "").split(separator: "\u{1E}", omittingEmptySubsequences: false)
            guard let region = records.first else { return }
            for record in records.dropFirst() {
                let parts = record.split(separator: "\u{1F}", omittingEmptySubsequences: false)
                guard parts.count == 5, let quantity = Int64(parts[1]) else { continue }
                body(
                    VolumeForAgreement(
                        institutionID: institution, regionCode: String(region), productCode: String(parts[0]), quantity: quantity,
                        exactContent: String(parts[2]), contentDenominator: String(parts[3]), adjusted: !parts[4].isEmpty))
            }
        }
    }
}
