import Foundation
import JicaiCore
import SQLKit

/// The award stage's tables: state, results, agreed volumes and gaps, distributors. Agreements are in
/// `AgreementStore`.
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

    public func setState(batchID: Int64, _ state: AwardState) async throws {
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

    // MARK: Volumes

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

    // MARK: Distributors

    /// One manufacturer's distributors by coordination area, in the order they were named.
    public func network(batchID: Int64, manufacturerCode: String) async throws -> DistributorNetwork {
        DistributorNetwork(
            byArea: Dictionary(grouping: try await distributors(batchID: batchID, manufacturerCode: manufacturerCode), by: \.area)
                .mapValues { $0.map(\.distributor) })
    }

    public func distributors(batchID: Int64, manufacturerCode: String? = nil) async throws -> [(
        manufacturer: String, area: String, distributor: String
    )] {
        struct R: Decodable {
            var manufacturer_code: String
            var area: String
            var distributor_code: String
        }
        var query: SQLQueryString = "SELECT manufacturer_code, area, distributor_code FROM award_distributors WHERE batch_id = \(bind: batchID)"
        if let manufacturerCode { query = query + " AND manufacturer_code = \(bind: manufacturerCode)" }
        return try await db.all(query + " ORDER BY manufacturer_code, area, added_at, distributor_code", as: R.self).map {
            ($0.manufacturer_code, $0.area, $0.distributor_code)
        }
    }

    public func addDistributor(batchID: Int64, manufacturer: String, area: String, distributor: String, by actor: String, at: Date) async throws {
        try await db.insert(
            into: "award_distributors", columns: ["batch_id", "manufacturer_code", "area", "distributor_code", "added_by", "added_at"],
            rows: [[.int(batchID), .text(manufacturer), .text(area), .text(distributor), .text(actor), .text(Timestamp.text(at))]])
    }

    public func removeDistributor(batchID: Int64, manufacturer: String, area: String, distributor: String) async throws {
        try await db.run(
            """
            DELETE FROM award_distributors WHERE batch_id = \(bind: batchID) AND manufacturer_code = \(bind: manufacturer)
            AND area = \(bind: area) AND distributor_code = \(bind: distributor)
            """)
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

extension AwardStore {
    /// The batch's listing prices are the file's rows (a new file replaces the old list).
    public func replaceListings(batchID: Int64, _ rows: [ListingEntry], by actor: String, at: Date) async throws {
        try await db.run("DELETE FROM award_listings WHERE batch_id = \(bind: batchID)")
        try await db.insert(
            into: "award_listings", columns: ["batch_id", "product_code", "category", "pack_price_fen", "changed_by", "changed_at"],
            rows: rows.map {
                [.int(batchID), .text($0.productCode), .text($0.category.rawValue), .int($0.packPriceFen), .text(actor), .text(Timestamp.text(at))]
            })
    }

    public func listings(batchID: Int64) async throws -> [ListingEntry] {
        struct R: Decodable {
            var product_code: String
            var category: String
            var pack_price_fen: Int64
        }
        return try await db.all(
            "SELECT product_code, category, pack_price_fen FROM award_listings WHERE batch_id = \(bind: batchID) ORDER BY product_code", as: R.self
        ).compactMap { row in
            ListingCategory(rawValue: row.category).map {
                ListingEntry(productCode: row.product_code, category: $0, packPriceFen: row.pack_price_fen)
            }
        }
    }
}

extension AwardStore {
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
