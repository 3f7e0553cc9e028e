import Foundation
import JicaiCore
import SQLKit

/// The three-party agreements of a batch.
public struct AgreementStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// A new agreement for `insert`.
    public struct NewAgreement: Sendable {
        public var institutionID: Int64
        public var productCode: String
        public var manufacturerCode: String
        public var distributorCode: String?
        public var yearIndex: Int
        public var year: AgreementYear
        public var quantity: Int64
        public var amountFen: Int64

        public init(
            institutionID: Int64, productCode: String, manufacturerCode: String, distributorCode: String?, yearIndex: Int, year: AgreementYear,
            quantity: Int64, amountFen: Int64
        ) {
            self.institutionID = institutionID
            self.productCode = productCode
            self.manufacturerCode = manufacturerCode
            self.distributorCode = distributorCode
            self.yearIndex = yearIndex
            self.year = year
            self.quantity = quantity
            self.amountFen = amountFen
        }
    }

    public func insert(batchID: Int64, _ rows: [NewAgreement]) async throws {
        let columns = [
            "batch_id", "institution_id", "product_code", "manufacturer_code", "distributor_code", "year_index", "start_date", "end_date",
            "days_of_year", "quantity", "amount_fen", "status",
        ]
        try await db.bulkLoad(into: "agreements", columns: columns) { sink in
            for row in rows {
                sink.value(batchID)
                sink.value(row.institutionID)
                sink.text(row.productCode)
                sink.text(row.manufacturerCode)
                sink.text(row.distributorCode)
                sink.value(Int64(row.yearIndex))
                sink.text(row.year.start.description)
                sink.text(row.year.end.description)
                sink.value(Int64(row.year.daysOfTwelveMonths))
                sink.value(row.quantity)
                sink.value(row.amountFen)
                sink.text(AgreementStatus.draft.rawValue)
                try await sink.endRow()
            }
        }
    }

    public func deleteAll(batchID: Int64) async throws { try await db.run("DELETE FROM agreements WHERE batch_id = \(bind: batchID)") }

    /// Who may see which agreements: all in a region, one institution's, one firm's as manufacturer or distributor.
    public enum Scope: Sendable, Hashable {
        case region(String)
        case institution(String)
        case manufacturer(String)
        case distributor(String)
    }

    /// Agreements in scope, ordered by institution, product and year; optionally one status.
    public func list(batchID: Int64, scope: Scope, status: AgreementStatus? = nil) async throws -> [StoredAgreement] {
        let query = Self.select + " WHERE a.batch_id = \(bind: batchID)" + filter(scope, status: status)
        return try await db.all(query + " ORDER BY o.code, a.product_code, a.year_index", as: Row.self).compactMap(\.agreement)
    }

    /// One page of `list`, with the number in scope.
    /// A page of the scope's agreements, optionally of one status, or (`awaiting`) only those sent and not yet signed by
    /// that party: the same rows `awaiting(batchID:scope:party:)` counts.
    public func page(
        batchID: Int64, scope: Scope, status: AgreementStatus? = nil, awaiting party: AgreementParty? = nil, narrowing: Narrowing = Narrowing(),
        page: PageRequest
    ) async throws -> Page<StoredAgreement> {
        let query = PagedQuery(from: Self.tables, where: condition(batchID: batchID, scope: scope, status: status, awaiting: party, narrowing))
        return try await query.page(db, select: Self.columns, orderBy: "o.code, a.product_code, a.year_index", page: page, as: Row.self, \.agreement)
    }

    /// Narrows a list of agreements: the institutions of a city (a division-code prefix), one manufacturer, one
    /// product. Empty fields narrow nothing.
    public struct Narrowing: Sendable, Hashable {
        public var regionPrefix: String
        public var manufacturerCode: String
        public var productCode: String
        /// Part of the institution's name or code.
        public var institution: String

        public init(regionPrefix: String = "", manufacturerCode: String = "", productCode: String = "", institution: String = "") {
            (self.regionPrefix, self.manufacturerCode, self.productCode) = (regionPrefix, manufacturerCode, productCode)
            self.institution = institution.trimmingCharacters(in: .whitespaces)
        }

        var sql: SQLQueryString {
            var out: SQLQueryString = ""
            if !regionPrefix.isEmpty { out = out + " AND o.region_code LIKE \(bind: regionPrefix + "%")" }
            if !manufacturerCode.isEmpty { out = out + " AND a.manufacturer_code = \(bind: manufacturerCode)" }
            if !productCode.isEmpty { out = out + " AND a.product_code = \(bind: productCode)" }
            if !institution.isEmpty {
                let pattern = ListSQL.likePattern(institution)
                out = out + " AND (o.code LIKE \(bind: pattern) ESCAPE '\\' OR o.name LIKE \(bind: pattern) ESCAPE '\\')"
            }
            return out
        }
    }

    func condition(batchID: Int64, scope: Scope, status: AgreementStatus?, awaiting party: AgreementParty?, _ narrowing: Narrowing) -> SQLQueryString
    {
        var condition = "a.batch_id = \(bind: batchID)" + filter(scope, status: party == nil ? status : .sent)
        if let party { condition = condition + " AND \(unsafeRaw: "a.\(party.rawValue)_signed_by") IS NULL" }
        return condition + narrowing.sql
    }

    /// Every agreement of the scope awaiting the party's signature, narrowed: what "sign all" signs.
    public func awaiting(batchID: Int64, scope: Scope, party: AgreementParty, narrowing: Narrowing) async throws -> [StoredAgreement] {
        let query = Self.select + " WHERE " + condition(batchID: batchID, scope: scope, status: nil, awaiting: party, narrowing)
        return try await db.all(query + " ORDER BY o.code, a.product_code, a.year_index", as: Row.self).compactMap(\.agreement)
    }

    /// Stores one party's signature on many agreements at once (the one statement `sign` uses for one): the status
    /// decided by the statement from the row as it is, only rows still in `previous` and unsigned by that party, in
    /// statements of 500 ids. Returns the ids signed with the status each now has.
    public func signMany(ids: [Int64], party: AgreementParty, user: String, at: Date, from previous: AgreementStatus = .sent) async throws
        -> [(id: Int64, status: AgreementStatus)]
    {
        struct R: Decodable { var id: Int64, status: String }
        let column = "\(party.rawValue)_signed"
        let others = AgreementParty.allCases.filter { $0 != party }.map { "\($0.rawValue)_signed_by IS NOT NULL" }.joined(separator: " AND ")
        var out: [(id: Int64, status: AgreementStatus)] = []
        var start = 0
        while start < ids.count {
            let chunk = ids[start..<min(ids.count, start + 500)]
            start += chunk.count
            // Ids are integers this process formats: safe as raw text.
            let list = chunk.map(String.init).joined(separator: ",")
            let rows = try await db.all(
                """
                UPDATE agreements SET
                status = CASE WHEN \(unsafeRaw: others) THEN \(bind: AgreementStatus.inForce.rawValue) ELSE status END,
                \(unsafeRaw: column)_by = \(bind: user), \(unsafeRaw: column)_at = \(bind: Timestamp.text(at))
                WHERE id IN (\(unsafeRaw: list)) AND status = \(bind: previous.rawValue) AND \(unsafeRaw: column)_by IS NULL
                RETURNING id, status
                """, as: R.self)
            out += rows.compactMap { r in AgreementStatus(rawValue: r.status).map { (r.id, $0) } }
        }
        return out
    }

    public func count(batchID: Int64, scope: Scope, status: AgreementStatus? = nil) async throws -> Int64 {
        let query: SQLQueryString =
            "SELECT COUNT(*) AS v FROM agreements a JOIN organisations o ON o.id = a.institution_id WHERE a.batch_id = \(bind: batchID)"
        return try await db.scalar(query + filter(scope, status: status))
    }

    public func agreement(batchID: Int64, id: Int64) async throws -> StoredAgreement? {
        try await db.first(Self.select + " WHERE a.batch_id = \(bind: batchID) AND a.id = \(bind: id)", as: Row.self)?.agreement
    }

    /// Writes one party's signature and the status it leads to, only if the row still has the status it was read
    /// with and that party has not signed (two signatures at once cannot both move an agreement on from the same
    /// state). Call inside a transaction. Returns whether it was written.
    /// Stores a party's signature and, in the same statement, the status: in force when the other two parties'
    /// signatures are there in the row this statement changes (not as the caller read them), so the last two or
    /// three parties signing at once leave the agreement in force. Nil when the agreement was not in `previous` or
    /// this party had signed meanwhile; otherwise the stored status.
    public func sign(_ agreement: StoredAgreement, party: AgreementParty, from previous: AgreementStatus) async throws -> AgreementStatus? {
        guard let signature = agreement.signatures[party] else { return nil }
        return try await signMany(ids: [agreement.id], party: party, user: signature.user, at: signature.at, from: previous).first?.status
    }

    /// Sends every draft that has its three parties; returns how many.
    public func sendDrafts(batchID: Int64) async throws -> Int64 {
        let count = try await db.scalar(
            """
            SELECT COUNT(*) AS v FROM agreements
            WHERE batch_id = \(bind: batchID) AND status = \(bind: AgreementStatus.draft.rawValue) AND distributor_code IS NOT NULL
            """)
        try await db.run(
            """
            UPDATE agreements SET status = \(bind: AgreementStatus.sent.rawValue)
            WHERE batch_id = \(bind: batchID) AND status = \(bind: AgreementStatus.draft.rawValue) AND distributor_code IS NOT NULL
            """)
        return count
    }

    /// Names the distributor of the drafts of a manufacturer in an area that have none yet.
    public func assignDistributor(batchID: Int64, manufacturer: String, area: String, distributor: String) async throws {
        try await db.run(
            """
            UPDATE agreements SET distributor_code = \(bind: distributor)
            WHERE batch_id = \(bind: batchID) AND manufacturer_code = \(bind: manufacturer) AND distributor_code IS NULL
            AND status = \(bind: AgreementStatus.draft.rawValue)
            AND institution_id IN (SELECT id FROM organisations WHERE region_code LIKE \(bind: area + "%"))
            """)
    }

    /// Signing progress per city (4-digit prefix) of the region.
    public func progressByCity(batchID: Int64, regionPrefix: String) async throws -> [SigningProgress] {
        struct R: Decodable {
            var city: String
            var name: String?
            var total: Int64
            var in_force: Int64
            var awaiting: Int64
        }
        let inForce = AgreementStatus.inForce.rawValue
        let sent = AgreementStatus.sent.rawValue
        let city = "substr(o.region_code, 1, 4)"
        let query: SQLQueryString = """
            SELECT \(unsafeRaw: city) AS city, MAX(r.name) AS name, COUNT(*) AS total,
            CAST(SUM(CASE WHEN a.status = \(bind: inForce) THEN 1 ELSE 0 END) AS BIGINT) AS in_force,
            CAST(SUM(CASE WHEN a.status = \(bind: sent) AND a.institution_signed_by IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS awaiting
            FROM agreements a JOIN organisations o ON o.id = a.institution_id
            LEFT JOIN regions r ON r.code = \(unsafeRaw: city) || '00'
            WHERE a.batch_id = \(bind: batchID) AND o.region_code LIKE \(bind: regionPrefix + "%")
            GROUP BY \(unsafeRaw: city) ORDER BY city
            """
        return try await db.all(query, as: R.self).map {
            SigningProgress(
                regionCode: $0.city, regionName: $0.name ?? $0.city, agreements: $0.total, inForce: $0.in_force, awaitingInstitution: $0.awaiting)
        }
    }

    private func filter(_ scope: Scope, status: AgreementStatus?) -> SQLQueryString {
        var out: SQLQueryString
        switch scope {
        case .region(let prefix): out = " AND o.region_code LIKE \(bind: prefix + "%")"
        case .institution(let code): out = " AND o.code = \(bind: code)"
        case .manufacturer(let code): out = " AND a.manufacturer_code = \(bind: code)"
        case .distributor(let code): out = " AND a.distributor_code = \(bind: code)"
        }
        if let status { out = out + " AND a.status = \(bind: status.rawValue)" }
        return out
    }

    static let columns: SQLQueryString = """
        a.id, o.code, o.name, o.region_code, a.product_code, a.manufacturer_code, COALESCE(m.name, a.manufacturer_code) AS manufacturer_name,
        a.distributor_code, d.name AS distributor_name, a.year_index, a.start_date, a.end_date, a.days_of_year, a.quantity, a.amount_fen, a.status,
        a.institution_signed_by, a.institution_signed_at, a.manufacturer_signed_by, a.manufacturer_signed_at,
        a.distributor_signed_by, a.distributor_signed_at, COALESCE(r.spec_code, '') AS spec_code
        """
    /// The agreements with their institution, and (one row each, left-joined) the result's spec and the firms' names.
    static let tables: SQLQueryString = """
        agreements a JOIN organisations o ON o.id = a.institution_id
        LEFT JOIN award_results r ON r.batch_id = a.batch_id AND r.product_code = a.product_code AND r.superseded_at IS NULL
        LEFT JOIN organisations m ON m.code = a.manufacturer_code
        LEFT JOIN organisations d ON d.code = a.distributor_code
        """
    static let select: SQLQueryString = "SELECT " + columns + " FROM " + tables

    /// `select` without the firms' names and the spec (the caller has them): one join instead of four, for reading a
    /// whole batch in pages.
    static let leanSelect: SQLQueryString = """
        SELECT a.id, o.code, o.name, o.region_code, a.product_code, a.manufacturer_code, a.manufacturer_code AS manufacturer_name,
        a.distributor_code, a.distributor_code AS distributor_name, a.year_index, a.start_date, a.end_date, a.days_of_year, a.quantity,
        a.amount_fen, a.status, a.institution_signed_by, a.institution_signed_at, a.manufacturer_signed_by, a.manufacturer_signed_at,
        a.distributor_signed_by, a.distributor_signed_at, '' AS spec_code
        FROM agreements a JOIN organisations o ON o.id = a.institution_id
        """

    struct Row: Decodable {
        var id: Int64
        var code: String
        var name: String
        var region_code: String
        var product_code: String
        var manufacturer_code: String
        var manufacturer_name: String
        var distributor_code: String?
        var distributor_name: String?
        var year_index: Int64
        var start_date: String
        var end_date: String
        var days_of_year: Int64
        var quantity: Int64
        var amount_fen: Int64
        var status: String
        var institution_signed_by: String?
        var institution_signed_at: String?
        var manufacturer_signed_by: String?
        var manufacturer_signed_at: String?
        var distributor_signed_by: String?
        var distributor_signed_at: String?
        var spec_code: String

        var agreement: StoredAgreement? {
            guard let start = CivilDate(text: start_date), let end = CivilDate(text: end_date), let status = AgreementStatus(rawValue: status) else {
                return nil
            }
            var signatures: [AgreementParty: StoredAgreement.Signature] = [:]
            let signed: [(AgreementParty, String?, String?)] = [
                (.institution, institution_signed_by, institution_signed_at), (.manufacturer, manufacturer_signed_by, manufacturer_signed_at),
                (.distributor, distributor_signed_by, distributor_signed_at),
            ]
            for (party, user, at) in signed {
                if let user, let at = at.flatMap(Timestamp.date) { signatures[party] = StoredAgreement.Signature(user: user, at: at) }
            }
            return StoredAgreement(
                id: id, institutionCode: code, institutionName: name, regionCode: region_code, productCode: product_code, specCode: spec_code,
                manufacturerCode: manufacturer_code, manufacturerName: manufacturer_name, distributorCode: distributor_code,
                distributorName: distributor_name, yearIndex: Int(year_index),
                year: AgreementYear(start: start, end: end, daysOfTwelveMonths: Int(days_of_year)), quantity: quantity, amountFen: amount_fen,
                status: status, signatures: signatures)
        }
    }
}

extension AgreementStore {
    /// Every agreement of the batch in id order, a page at a time (keyset paging: each page is one indexed read).
    /// Firms' names and the spec code are not filled in (see `leanSelect`).
    public func forEachPage(batchID: Int64, size: Int = 20000, _ body: ([StoredAgreement]) async throws -> Void) async throws {
        var last: Int64 = 0
        while true {
            let query =
                Self.leanSelect + " WHERE a.batch_id = \(bind: batchID) AND a.id > \(bind: last) ORDER BY a.id LIMIT \(bind: size)"
            let page = try await db.all(query, as: Row.self).compactMap(\.agreement)
            guard let end = page.last else { return }
            try await body(page)
            last = end.id
            if page.count < size { return }
        }
    }

    /// Per product: the first agreement year's total quantity and amount.
    public func firstYearTotals(batchID: Int64) async throws -> [String: (quantity: Int64, amountFen: Int64)] {
        struct R: Decodable {
            var product_code: String
            var quantity: Int64
            var amount: Int64
        }
        let rows = try await db.all(
            """
            SELECT product_code, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(amount_fen) AS BIGINT) AS amount FROM agreements
            WHERE batch_id = \(bind: batchID) AND year_index = 1 GROUP BY product_code
            """, as: R.self)
        return Dictionary(rows.map { ($0.product_code, ($0.quantity, $0.amount)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The institutions and distributors that are parties to the batch's agreements: code, name, region.
    public func parties(batchID: Int64) async throws -> (institutions: [(String, String, String)], distributors: [(String, String)]) {
        struct I: Decodable {
            var code: String
            var name: String
            var region_code: String
        }
        struct D: Decodable {
            var code: String
            var name: String?
        }
        let institutions = try await db.all(
            """
            SELECT DISTINCT o.code, o.name, o.region_code FROM agreements a JOIN organisations o ON o.id = a.institution_id
            WHERE a.batch_id = \(bind: batchID) ORDER BY o.code
            """, as: I.self)
        let distributors = try await db.all(
            """
            SELECT DISTINCT a.distributor_code AS code, d.name FROM agreements a LEFT JOIN organisations d ON d.code = a.distributor_code
            WHERE a.batch_id = \(bind: batchID) AND a.distributor_code IS NOT NULL ORDER BY a.distributor_code
            """, as: D.self)
        return (institutions.map { ($0.code, $0.name, $0.region_code) }, distributors.map { ($0.code, $0.name ?? $0.code) })
    }
}

extension AgreementStore {
    /// Institutions of a region with sent agreements they have not signed, most awaiting first; paged.
    public func unsignedInstitutions(batchID: Int64, regionPrefix: String, page: PageRequest) async throws -> Page<UnsignedInstitution> {
        struct R: Decodable {
            var code: String
            var name: String
            var region_code: String
            var awaiting: Int64
        }
        var query = PagedQuery(
            from: "agreements a JOIN organisations o ON o.id = a.institution_id",
            where: "a.batch_id = \(bind: batchID) AND a.status = \(bind: AgreementStatus.sent.rawValue) AND a.institution_signed_by IS NULL",
            counting: "DISTINCT o.code")
        query.add(.prefix("o.region_code", regionPrefix))
        return try await query.page(
            db, select: "o.code, o.name, o.region_code, COUNT(*) AS awaiting", groupBy: "o.code, o.name, o.region_code",
            orderBy: "awaiting DESC, o.code", page: page, as: R.self
        ) { UnsignedInstitution(code: $0.code, name: $0.name, regionCode: $0.region_code, awaiting: $0.awaiting) }
    }

    /// How many sent agreements in scope await `party`'s signature.
    public func awaiting(batchID: Int64, scope: Scope, party: AgreementParty) async throws -> Int64 {
        let column: String = "a.\(party.rawValue)_signed_by"
        let query: SQLQueryString =
            "SELECT COUNT(*) AS v FROM agreements a JOIN organisations o ON o.id = a.institution_id WHERE a.batch_id = \(bind: batchID)"
        return try await db.scalar(query + filter(scope, status: .sent) + " AND \(unsafeRaw: column) IS NULL")
    }

    /// The highest agreement year created so far (0 before publication).
    public func lastYear(batchID: Int64) async throws -> Int {
        Int(try await db.scalar("SELECT MAX(year_index) AS v FROM agreements WHERE batch_id = \(bind: batchID)"))
    }
}

extension AgreementStore {
    /// Per winning manufacturer: how many institutions of the region hold its volume in an area where it has named
    /// no distributor (003 §2, §7: every participating institution must be covered).
    public func uncoveredByManufacturer(batchID: Int64, regionPrefix: String) async throws -> [(
        manufacturer: String, name: String, institutions: Int64
    )] {
        struct R: Decodable {
            var manufacturer_code: String
            var name: String
            var institutions: Int64
        }
        return try await db.all(
            """
            SELECT r.manufacturer_code, MAX(r.manufacturer_name) AS name, COUNT(DISTINCT o.code) AS institutions
            FROM agreed_volumes v JOIN organisations o ON o.id = v.institution_id
            JOIN award_results r ON r.batch_id = v.batch_id AND r.product_code = v.product_code AND r.superseded_at IS NULL
            WHERE v.batch_id = \(bind: batchID) AND v.superseded_at IS NULL AND o.region_code LIKE \(bind: regionPrefix + "%")
            AND NOT EXISTS (
                SELECT 1 FROM award_distributors d
                WHERE d.batch_id = v.batch_id AND d.manufacturer_code = r.manufacturer_code AND d.area = substr(o.region_code, 1, 4))
            GROUP BY r.manufacturer_code ORDER BY institutions DESC, r.manufacturer_code
            """, as: R.self
        ).map { ($0.manufacturer_code, $0.name, $0.institutions) }
    }
}

extension AgreementStore {
    /// The agreements of one institution × product that no party has signed yet (an adjustment may still change them).
    public func unsigned(batchID: Int64, institutionID: Int64, productCode: String) async throws -> [StoredAgreement] {
        let query =
            Self.select
                + """
                 WHERE a.batch_id = \(bind: batchID) AND a.institution_id = \(bind: institutionID) AND a.product_code = \(bind: productCode)
                AND a.status IN (\(bind: AgreementStatus.draft.rawValue), \(bind: AgreementStatus.sent.rawValue))
                AND a.institution_signed_by IS NULL AND a.manufacturer_signed_by IS NULL AND a.distributor_signed_by IS NULL
                ORDER BY a.year_index
                """
        return try await db.all(query, as: Row.self).compactMap(\.agreement)
    }

    /// A new quantity and amount for an agreement nobody has signed (call inside a transaction).
    public func setFigures(id: Int64, quantity: Int64, amountFen: Int64) async throws {
        try await db.run(
            """
            UPDATE agreements SET quantity = \(bind: quantity), amount_fen = \(bind: amountFen)
            WHERE id = \(bind: id) AND institution_signed_by IS NULL AND manufacturer_signed_by IS NULL AND distributor_signed_by IS NULL
            """)
    }

    /// The agreed quantity and amount of each institution × product in the agreement year that starts on `start`;
    /// when that year has no agreements yet (not renewed), the figures its agreements will have: the current agreed
    /// volumes' part of it by `AgreementYear.figure`, with each product's pack price and size from `terms`.
    public func yearFigures(batchID: Int64, year: AgreementYear, institutions: [Int64]?, terms: [String: ProductTerms]) async throws -> [(
        institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64
    )] {
        struct R: Decodable {
            var institution_id: Int64
            var product_code: String
            var quantity: Int64
            var exact_content: String
            var content_denominator: String
            var reason: String
        }
        let filter = PurchaseStore(db).institutionFilter(institutions)
        // Streamed as three integers and a text (a province's 440,000 figures decoded through Codable took seconds);
        // the start date is a constant of the year, not user input.
        let sink = RowSink<[(institutionID: Int64, productCode: String, quantity: Int64, amountFen: Int64)]>([])
        try await db.forEachRow(
            """
            SELECT institution_id, CAST(SUM(quantity) AS BIGINT) AS quantity, CAST(SUM(amount_fen) AS BIGINT) AS amount_fen, product_code
            FROM agreements WHERE batch_id = $1 AND start_date = '\(year.start.description)'
            """ + PurchaseStore(db).institutionFilterText(institutions) + " GROUP BY institution_id, product_code",
            binds: [batchID], postgresSettings: [("work_mem", "256MB")]
        ) { institution, quantity, amount, product in
            sink.value.append((institution, product ?? "", quantity, amount))
        }
        let rows = sink.value
        let stored = try await db.scalar(
            "SELECT COUNT(*) AS v FROM agreements WHERE batch_id = \(bind: batchID) AND start_date = \(bind: year.start.description)")
        if !rows.isEmpty || stored > 0 { return rows }
        let volumes = try await db.all(
            """
            SELECT institution_id, product_code, quantity, exact_content, content_denominator, reason FROM agreed_volumes
            WHERE batch_id = \(bind: batchID) AND superseded_at IS NULL
            """ + filter, as: R.self)
        return volumes.compactMap { volume in
            guard let terms = terms[volume.product_code] else { return nil }
            let exact = Int128(volume.exact_content).flatMap { content in Int128(volume.content_denominator).map { (content, $0) } }
            let figure = year.figure(
                quantity: volume.quantity, exact: volume.reason.isEmpty ? exact : nil, packPriceFen: terms.packPriceFen, packSize: terms.packSize)
            return (volume.institution_id, volume.product_code, figure.quantity, figure.amountFen)
        }
    }

    /// A winning product's pack price and pack size, as a year's figures need them.
    public struct ProductTerms: Sendable, Hashable {
        public var packPriceFen: Int64
        public var packSize: Int64

        public init(packPriceFen: Int64, packSize: Int64) {
            self.packPriceFen = packPriceFen
            self.packSize = packSize
        }

        /// The terms of every current result of a batch.
        public static func of(_ results: [StoredResult], catalogue: Catalogue) -> [String: ProductTerms] {
            Dictionary(
                results.map {
                    (
                        $0.entry.productCode,
                        ProductTerms(packPriceFen: $0.entry.packPriceFen, packSize: $0.entry.packSize(of: catalogue.specByCode[$0.specCode]))
                    )
                },
                uniquingKeysWith: { a, _ in a })
        }
    }
}

extension AgreementStore {
    /// Each institution's agreed amount of each agreement year (the sum of its agreements' rounded amounts), with the
    /// year's first and last day.
    public func agreedByYear(batchID: Int64, institutions: [Int64]? = nil) async throws -> [(
        institutionID: Int64, year: AgreementYear, amountFen: Int64
    )] {
        struct R: Decodable { var institution_id: Int64, start_date: String, end_date: String, days_of_year: Int64, v: Int64 }
        if let institutions, institutions.isEmpty { return [] }
        let only: SQLQueryString = institutions.map { " AND institution_id IN (" + ListSQL.bound($0) + ")" } ?? ""
        return try await db.all(
            """
            SELECT institution_id, start_date, end_date, MAX(days_of_year) AS days_of_year, CAST(SUM(amount_fen) AS BIGINT) AS v FROM agreements
            WHERE batch_id = \(bind: batchID)
            """ + only + " GROUP BY institution_id, start_date, end_date ORDER BY institution_id, start_date", as: R.self
        ).compactMap { row in
            guard let start = CivilDate(text: row.start_date), let end = CivilDate(text: row.end_date) else { return nil }
            return (row.institution_id, AgreementYear(start: start, end: end, daysOfTwelveMonths: Int(row.days_of_year)), row.v)
        }
    }
}
