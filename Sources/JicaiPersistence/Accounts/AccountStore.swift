import Foundation
import JicaiCore
import SQLKit

/// An organisation as stored, with its row id (used as the key of history and reports).
public struct StoredOrganisation: Sendable, Hashable {
    public var id: Int64
    public var organisation: Organisation
}

/// Regions and organisations.
public struct AccountStore: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    /// Inserts new regions and updates existing ones (by code). Returns (inserted, updated).
    @discardableResult
    public func upsertRegions(_ regions: [Region]) async throws -> (inserted: Int, updated: Int) {
        struct Row: Decodable { var code: String }
        let existing = Set(try await db.all("SELECT code FROM regions", as: Row.self).map(\.code))
        var new: [[DBValue]] = []
        var updated = 0
        for region in regions {
            if existing.contains(region.code.value) {
                try await db.run(
                    "UPDATE regions SET name = \(bind: region.name), level = \(bind: region.level.rawValue), parent_code = \(bind: region.parentCode?.value) WHERE code = \(bind: region.code.value)"
                )
                updated += 1
            } else {
                new.append([.text(region.code.value), .text(region.name), .text(region.level.rawValue), .text(region.parentCode?.value)])
            }
        }
        try await db.insert(into: "regions", columns: ["code", "name", "level", "parent_code"], rows: new)
        return (new.count, updated)
    }

    public func regions() async throws -> [Region] {
        struct Row: Decodable {
            var code: String
            var name: String
            var level: String
            var parent_code: String?
        }
        return try await db.all("SELECT code, name, level, parent_code FROM regions ORDER BY code", as: Row.self).compactMap { r in
            guard case .success(let code) = DivisionCode.parse(r.code), let level = DivisionCode.Level(rawValue: r.level) else { return nil }
            let parent = r.parent_code.flatMap { try? DivisionCode.parse($0).get() }
            return Region(code: code, name: r.name, level: level, parentCode: parent)
        }
    }

    public func regionCount() async throws -> Int64 { try await db.scalar("SELECT COUNT(*) AS v FROM regions") }

    /// Inserts new organisations and updates existing ones (by code). Returns (inserted, updated).
    @discardableResult
    public func upsertOrganisations(_ organisations: [Organisation]) async throws -> (inserted: Int, updated: Int) {
        let index = try await codeIndex().mapValues(\.id)
        var nextID = try await db.scalar("SELECT MAX(id) AS v FROM organisations") + 1
        var new: [[DBValue]] = []
        var updated = 0
        for organisation in organisations {
            if let id = index[organisation.code] {
                try await db.run(
                    """
                    UPDATE organisations SET name = \(bind: organisation.name), kind = \(bind: organisation.kind.rawValue), category = \(bind: organisation.category?.rawValue),
                    ownership = \(bind: organisation.ownership?.rawValue), beds = \(bind: organisation.beds.map(Int64.init)), region_code = \(bind: organisation.regionCode.value),
                    community_lead_code = \(bind: organisation.communityLeadCode) WHERE id = \(bind: id)
                    """)
                updated += 1
            } else {
                new.append([
                    .int(nextID), .text(organisation.code), .text(organisation.name), .text(organisation.kind.rawValue),
                    .text(organisation.category?.rawValue),
                    .text(organisation.ownership?.rawValue), .int(organisation.beds.map(Int64.init)), .text(organisation.regionCode.value),
                    .text(organisation.communityLeadCode),
                ])
                nextID += 1
            }
        }
        try await db.insert(
            into: "organisations",
            columns: ["id", "code", "name", "kind", "category", "ownership", "beds", "region_code", "community_lead_code"],
            rows: new)
        return (new.count, updated)
    }

    /// Code → row id of every organisation.
    /// What the demand checks need of a reporting organisation (institution or pharmacy).
    public struct Reporter: Sendable {
        public var id: Int64
        public var code: String
        public var kind: OrganisationKind
        public var category: InstitutionCategory?
        public var communityLeadCode: String?
    }

    /// The reporting organisations in code order, read without `Codable` (decoding whole organisations took 0.6 s
    /// and 40 MB of a 50,000-institution check).
    public func reporters() async throws -> [Reporter] {
        let record = db.fieldsAsText(["code", "kind", "COALESCE(category, '')", "COALESCE(community_lead_code, '')"])
        let out = RowSink<[Reporter]>([])
        try await db.forEachRow(
            """
            SELECT id, 0 AS a, 0 AS b, \(record) AS t
            FROM organisations WHERE kind IN ('\(OrganisationKind.institution.rawValue)', '\(OrganisationKind.pharmacy.rawValue)') ORDER BY code
            """, binds: []
        ) { id, _, _, text in
            let fields = (text ?? "").split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4, let kind = OrganisationKind(rawValue: fields[1]) else { return }
            out.value.append(
                Reporter(
                    id: id, code: fields[0], kind: kind, category: InstitutionCategory(rawValue: fields[2]),
                    communityLeadCode: fields[3].isEmpty ? nil : fields[3]))
        }
        return out.value
    }

    /// Every organisation's code with its id and whether it reports demand (an institution or a pharmacy), read
    /// without `Codable`: a province has up to 80,000, and decoding them as rows took most of a small import's time.
    public func codeIndex() async throws -> [String: (id: Int64, reports: Bool)] {
        let out = RowSink<[String: (id: Int64, reports: Bool)]>([:])
        try await db.forEachRow(
            """
            SELECT id, CASE WHEN kind IN ('\(OrganisationKind.institution.rawValue)', '\(OrganisationKind.pharmacy.rawValue)') THEN 1 ELSE 0 END AS reports,
            0 AS unused, code FROM organisations
            """, binds: []
        ) { id, reports, _, code in
            if let code { out.value[code] = (id, reports == 1) }
        }
        return out.value
    }

    private struct OrgRow: Decodable {
        var id: Int64, code: String, name: String, kind: String, category: String?, ownership: String?
        var beds: Int64?, region_code: String, community_lead_code: String?

        var stored: StoredOrganisation? {
            guard let kind = OrganisationKind(rawValue: kind), case .success(let region) = DivisionCode.parse(region_code) else { return nil }
            return StoredOrganisation(
                id: id,
                organisation: Organisation(
                    code: code, name: name, kind: kind, category: category.flatMap(InstitutionCategory.init(rawValue:)),
                    ownership: ownership.flatMap(Ownership.init(rawValue:)), beds: beds.map { Int($0) }, regionCode: region,
                    communityLeadCode: community_lead_code))
        }
    }

    /// Organisations, optionally only those whose region code starts with `regionPrefix` (a province's 2 digits or a
    /// city's 4), in code order.
    public func organisations(kinds: [OrganisationKind]? = nil, regionPrefix: String? = nil) async throws -> [StoredOrganisation] {
        var query: SQLQueryString =
            "SELECT id, code, name, kind, category, ownership, beds, region_code, community_lead_code FROM organisations WHERE 1 = 1"
        if let kinds { query = query + " AND kind IN (\(binds: kinds.map(\.rawValue)))" }
        if let regionPrefix { query = query + " AND region_code LIKE \(bind: regionPrefix + "%")" }
        query = query + " ORDER BY code"
        return try await db.all(query, as: OrgRow.self).compactMap(\.stored)
    }

    public func organisation(code: String) async throws -> StoredOrganisation? {
        try await db.first(
            "SELECT id, code, name, kind, category, ownership, beds, region_code, community_lead_code FROM organisations WHERE code = \(bind: code)",
            as: OrgRow.self)?.stored
    }

    public func organisation(id: Int64) async throws -> StoredOrganisation? {
        try await db.first(
            "SELECT id, code, name, kind, category, ownership, beds, region_code, community_lead_code FROM organisations WHERE id = \(bind: id)",
            as: OrgRow.self)?.stored
    }

    /// The members of a county medical community, by its lead's code.
    public func members(leadCode: String) async throws -> [StoredOrganisation] {
        try await db.all(
            "SELECT id, code, name, kind, category, ownership, beds, region_code, community_lead_code FROM organisations WHERE community_lead_code = \(bind: leadCode) ORDER BY code",
            as: OrgRow.self
        ).compactMap(\.stored)
    }

    public func organisationCount() async throws -> Int64 { try await db.scalar("SELECT COUNT(*) AS v FROM organisations") }
}
