import Foundation
import JicaiCore
import JicaiPersistence

/// The award stage's use cases as the pages and the API call them: each checks who asks. The province's
/// administrator manages results, computes, publishes and sends; the province and a city see the volumes of their
/// region; an institution its own; a winning manufacturer manages its own distributors.
extension AwardService {
    /// Who may see what of a batch's award, decided once per request.
    public struct Access: Sendable, Hashable {
        public var manages: Bool
        /// The region prefix of the volumes the principal sees, or the institution's own code.
        public var volumePrefix: String?
        public var ownInstitution: String?
        public var manufacturer: String?
        public var distributor: String?
        public var seesProgress: Bool
    }

    public static func access(_ p: Principal, batch: BatchRecord) -> Access {
        let manages = Authorizer.canAdminister(p, provinceCode: batch.provinceCode)
        let prefix = Authorizer.listingPrefix(p, requested: nil)
        return Access(
            manages: manages, volumePrefix: prefix, ownInstitution: p.role.isInstitution ? p.organisationCode : nil,
            manufacturer: p.role == .manufacturer ? p.organisationCode : nil, distributor: p.role == .distributor ? p.organisationCode : nil,
            seesProgress: prefix != nil)
    }

    public func access(batchCode: String, ctx: RequestContext) async throws -> (BatchRecord, Access) {
        let batch = try await head(batchCode).batch
        guard Authorizer.canSeeBatch(ctx.principal, provinceCode: batch.provinceCode) else { throw Refusal.forbidden }
        return (batch, Self.access(ctx.principal, batch: batch))
    }

    func requireManager(_ batchCode: String, _ ctx: RequestContext) async throws {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
    }

    public func importResults(path: String, batchCode: String, ctx: RequestContext) async throws -> ImportSummary {
        try await requireManager(batchCode, ctx)
        return try await importResults(path: path, batchCode: batchCode, actor: AuditActor(ctx.principal.username))
    }

    public func compute(batchCode: String, ctx: RequestContext) async throws -> ComputeSummary {
        try await requireManager(batchCode, ctx)
        return try await compute(batchCode: batchCode, actor: AuditActor(ctx.principal.username))
    }

    public func publish(batchCode: String, executionStart: CivilDate, cycleEnd: CivilDate, signingDeadline: CivilDate?, ctx: RequestContext)
        async throws -> Int
    {
        try await requireManager(batchCode, ctx)
        return try await publish(
            batchCode: batchCode, executionStart: executionStart, cycleEnd: cycleEnd, signingDeadline: signingDeadline,
            actor: AuditActor(ctx.principal.username))
    }

    public func renew(batchCode: String, ctx: RequestContext) async throws -> (year: AgreementYear, count: Int) {
        try await requireManager(batchCode, ctx)
        return try await renew(batchCode: batchCode, actor: AuditActor(ctx.principal.username))
    }

    public func adjustVolume(batchCode: String, institutionCode: String, productCode: String, quantity: Int64, reason: String, ctx: RequestContext)
        async throws
    {
        try await requireManager(batchCode, ctx)
        try await adjustVolume(
            batchCode: batchCode, institutionCode: institutionCode, productCode: productCode, quantity: quantity, reason: reason,
            actor: AuditActor(ctx.principal.username))
    }

    /// One page of the volumes the principal sees: the region (or a part of it) for the province and a city, its
    /// own for an institution.
    public func volumes(batchCode: String, region: String?, institution: String?, page: PageRequest, ctx: RequestContext) async throws
        -> Page<StoredVolume>
    {
        let (_, access) = try await access(batchCode: batchCode, ctx: ctx)
        if let own = access.ownInstitution {
            guard institution == nil || institution == own else { throw Refusal.forbidden }
            return try await volumes(batchCode: batchCode, institutionCode: own, page: page)
        }
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: region) else { throw Refusal.forbidden }
        return try await volumes(batchCode: batchCode, regionPrefix: prefix, institutionCode: institution, page: page)
    }

    public func volumesWorkbook(batchCode: String, region: String?, language: Language, ctx: RequestContext) async throws -> Data {
        _ = try await access(batchCode: batchCode, ctx: ctx)
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: region) else { throw Refusal.forbidden }
        return try await volumesWorkbook(batchCode: batchCode, regionPrefix: prefix, language: language)
    }
}

extension AgreementService {
    public func send(batchCode: String, ctx: RequestContext) async throws -> Int64 {
        try await AwardService(db: db, now: now).requireManager(batchCode, ctx)
        return try await send(batchCode: batchCode, actor: AuditActor(ctx.principal.username))
    }

    public func sign(batchCode: String, id: Int64, ctx: RequestContext) async throws -> StoredAgreement {
        try await sign(batchCode: batchCode, id: id, by: ctx.principal, actor: AuditActor(ctx.principal.username))
    }

    /// A manufacturer manages its own network; the province's administrator any winner's.
    func requireNetworkOwner(_ batchCode: String, manufacturerCode: String, _ ctx: RequestContext) async throws {
        let (_, access) = try await AwardService(db: db, now: now).access(batchCode: batchCode, ctx: ctx)
        guard access.manages || access.manufacturer == manufacturerCode else { throw Refusal.forbidden }
    }

    public func network(batchCode: String, manufacturerCode: String, ctx: RequestContext) async throws -> Network {
        try await requireNetworkOwner(batchCode, manufacturerCode: manufacturerCode, ctx)
        return try await network(batchCode: batchCode, manufacturerCode: manufacturerCode)
    }

    public func addDistributor(batchCode: String, manufacturerCode: String, area: String, distributorCode: String, ctx: RequestContext) async throws {
        try await requireNetworkOwner(batchCode, manufacturerCode: manufacturerCode, ctx)
        try await addDistributor(
            batchCode: batchCode, manufacturerCode: manufacturerCode, area: area, distributorCode: distributorCode,
            actor: AuditActor(ctx.principal.username))
    }

    public func removeDistributor(batchCode: String, manufacturerCode: String, area: String, distributorCode: String, ctx: RequestContext)
        async throws
    {
        try await requireNetworkOwner(batchCode, manufacturerCode: manufacturerCode, ctx)
        try await removeDistributor(
            batchCode: batchCode, manufacturerCode: manufacturerCode, area: area, distributorCode: distributorCode,
            actor: AuditActor(ctx.principal.username))
    }

    /// The institutions of the principal's region that have not signed (the city chases them after the deadline).
    public func unsignedInstitutions(batchCode: String, page: PageRequest, ctx: RequestContext) async throws -> Page<UnsignedInstitution> {
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: nil) else { throw Refusal.forbidden }
        return try await AgreementStore(db).unsignedInstitutions(batchID: try await batchID(batchCode), regionPrefix: prefix, page: page)
    }

    /// For the province and a city: per winning manufacturer, the institutions of the region it leaves uncovered.
    public func coverageGaps(batchCode: String, ctx: RequestContext) async throws -> [(manufacturer: String, name: String, institutions: Int64)] {
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: nil) else { throw Refusal.forbidden }
        return try await AgreementStore(db).uncoveredByManufacturer(batchID: try await batchID(batchCode), regionPrefix: prefix)
    }

    /// The reminder: how many agreements await the principal's own signature (nil for roles that do not sign).
    public func awaitingMySignature(batchCode: String, ctx: RequestContext) async throws -> Int64? {
        guard let party = AgreementParty.of(ctx.principal.role), let scope = Self.scope(of: ctx.principal) else { return nil }
        return try await AgreementStore(db).awaiting(batchID: try await batchID(batchCode), scope: scope, party: party)
    }

    public func progressByCity(batchCode: String, ctx: RequestContext) async throws -> [SigningProgress] {
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: nil) else { throw Refusal.forbidden }
        return try await progressByCity(batchCode: batchCode, regionPrefix: prefix)
    }
}

extension OCDSExport {
    /// The OCDS package for the province's staff.
    public func write(batchCode: String, to url: URL, ctx: RequestContext) async throws {
        guard Authorizer.canSeeProvince(ctx.principal) else { throw Refusal.forbidden }
        try await write(batchCode: batchCode, at: ctx.at, to: url)
    }
}
