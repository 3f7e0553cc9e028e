import Foundation
import JicaiCore

/// An organisation that reports demand (an institution or a pharmacy) as every stage reads it: its id, code, name,
/// region and medical-community lead.
public struct ReportingOrganisation: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    public var regionCode: String
    public var communityLeadCode: String?
}

/// The organisations as the stages share them: one read model, so no stage reads another stage's store for them
/// (the award's volumes, monitoring's purchases and reviews, supply's orders next).
public struct Organisations: Sendable {
    public let db: DB
    public init(_ db: DB) { self.db = db }

    /// Every reporting organisation (institutions and pharmacies) with its region and community lead, by code. One
    /// streamed read of the table (a province has up to 80,000).
    public func reporting() async throws -> [String: ReportingOrganisation] {
        let record = db.fieldsAsText(["code", "name", "region_code", "COALESCE(community_lead_code, '')"])
        let out = RowSink<[String: ReportingOrganisation]>([:])
        try await db.forEachRow(
            """
            SELECT id, 0 AS a, 0 AS b, \(record) AS t
            FROM organisations WHERE kind IN ('\(OrganisationKind.institution.rawValue)', '\(OrganisationKind.pharmacy.rawValue)')
            """, binds: []
        ) { id, _, _, text in
            let fields = (text ?? "").split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 4 else { return }
            out.value[fields[0]] = ReportingOrganisation(
                id: id, code: fields[0], name: fields[1], regionCode: fields[2], communityLeadCode: fields[3].isEmpty ? nil : fields[3])
        }
        return out.value
    }
}
