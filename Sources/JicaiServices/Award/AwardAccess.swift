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

    /// What the scope's principal may see and do in the award.
    public func access(_ scope: BatchScope) -> Access { Self.access(scope.principal, batch: scope.batch) }

    func requireManager(_ scope: BatchScope) throws {
        guard access(scope).manages else { throw Refusal.forbidden }
    }

    /// What the award pages show at the top (whoever sees the batch).
    public func overview(_ scope: BatchScope, history: Bool = false) async throws -> Overview {
        var overview = try await overview(head: scope.head)
        if history { overview.results = try await AwardStore(db).results(batchID: scope.batch.id, history: true) }
        return overview
    }

    /// The award's phase and dates (the batch home shows them).
    public func state(_ scope: BatchScope) async throws -> AwardState {
        try await AwardStore(db).state(batchID: scope.batch.id)
    }

    public func importResults(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try requireManager(scope)
        return try await importResults(path: path, batchCode: scope.code, actor: scope.actor)
    }

    public func compute(_ scope: BatchScope) async throws -> ComputeSummary {
        try requireManager(scope)
        return try await compute(batchCode: scope.code, actor: scope.actor)
    }

    public func publish(_ scope: BatchScope, executionStart: CivilDate, cycleEnd: CivilDate, signingDeadline: CivilDate?) async throws -> Int {
        try requireManager(scope)
        return try await publish(
            batchCode: scope.code, executionStart: executionStart, cycleEnd: cycleEnd, signingDeadline: signingDeadline, actor: scope.actor)
    }

    public func renew(_ scope: BatchScope) async throws -> (year: AgreementYear, count: Int) {
        try requireManager(scope)
        return try await renew(batchCode: scope.code, actor: scope.actor)
    }

    public func adjustVolume(_ scope: BatchScope, institutionCode: String, productCode: String, quantity: Int64, reason: String) async throws {
        try requireManager(scope)
        try await adjustVolume(
            batchCode: scope.code, institutionCode: institutionCode, productCode: productCode, quantity: quantity, reason: reason,
            actor: scope.actor)
    }

    /// One page of the volumes the principal sees: the region (or a part of it) for the province and a city, its
    /// own for an institution.
    public func volumes(_ scope: BatchScope, region: String?, institution: String?, page: PageRequest) async throws -> Page<StoredVolume> {
        if let own = access(scope).ownInstitution {
            guard institution == nil || institution == own else { throw Refusal.forbidden }
            return try await volumes(batchCode: scope.code, institutionCode: own, page: page)
        }
        guard let prefix = Authorizer.listingPrefix(scope.principal, requested: region) else { throw Refusal.forbidden }
        return try await volumes(batchCode: scope.code, regionPrefix: prefix, institutionCode: institution, page: page)
    }

    public func volumesWorkbook(_ scope: BatchScope, region: String?, language: Language) async throws -> Data {
        guard let prefix = Authorizer.listingPrefix(scope.principal, requested: region) else { throw Refusal.forbidden }
        return try await volumesWorkbook(batchCode: scope.code, regionPrefix: prefix, language: language)
    }

    public func importListings(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try requireManager(scope)
        return try await importListings(path: path, batchCode: scope.code, actor: scope.actor)
    }

    public func prices(_ scope: BatchScope) async throws -> PriceSheet {
        try await prices(batchCode: scope.code)
    }
}

extension AgreementService {
    public func send(_ scope: BatchScope) async throws -> Int64 {
        try AwardService(db: db, now: now).requireManager(scope)
        return try await send(batchCode: scope.code, actor: scope.actor)
    }

    /// Signs for the principal's party (`sign(batchCode:id:by:actor:)`).
    public func sign(_ scope: BatchScope, id: Int64) async throws -> StoredAgreement {
        try await sign(batchCode: scope.code, id: id, by: scope.principal, actor: scope.actor)
    }

    /// The agreements the principal sees (`scope(of:)`), one page.
    /// The agreements the principal sees, optionally of one status; `awaitingMine` lists those awaiting the
    /// principal's own party's signature (what the reminder counts; a bureau has no party: nothing).
    public func agreements(
        _ scope: BatchScope, status: AgreementStatus? = nil, awaitingMine: Bool = false, narrowing: AgreementStore.Narrowing = .init(),
        page: PageRequest
    ) async throws -> Page<StoredAgreement> {
        guard let seen = Self.scope(of: scope.principal) else { throw ServiceError.forbidden }
        if awaitingMine {
            guard let party = AgreementParty.of(scope.principal.role) else { return Page(items: [], total: 0, request: page) }
            return try await AgreementStore(db).page(batchID: scope.batch.id, scope: seen, awaiting: party, narrowing: narrowing, page: page)
        }
        return try await AgreementStore(db).page(batchID: scope.batch.id, scope: seen, status: status, narrowing: narrowing, page: page)
    }

    /// One agreement the principal sees, else AGREEMENT_NOT_FOUND (its existence is not revealed).
    public func agreement(_ scope: BatchScope, id: Int64) async throws -> StoredAgreement {
        try await agreement(batchID: scope.batch.id, id: id, for: scope.principal)
    }

    /// A manufacturer manages its own network; the province's administrator any winner's.
    func requireNetworkOwner(_ scope: BatchScope, manufacturerCode: String) throws {
        let access = AwardService(db: db, now: now).access(scope)
        guard access.manages || access.manufacturer == manufacturerCode else { throw Refusal.forbidden }
    }

    public func network(_ scope: BatchScope, manufacturerCode: String) async throws -> Network {
        try requireNetworkOwner(scope, manufacturerCode: manufacturerCode)
        return try await network(batchCode: scope.code, manufacturerCode: manufacturerCode)
    }

    public func addDistributor(_ scope: BatchScope, manufacturerCode: String, area: String, distributorCode: String) async throws {
        try requireNetworkOwner(scope, manufacturerCode: manufacturerCode)
        try await addDistributor(
            batchCode: scope.code, manufacturerCode: manufacturerCode, area: area, distributorCode: distributorCode, actor: scope.actor)
    }

    public func removeDistributor(_ scope: BatchScope, manufacturerCode: String, area: String, distributorCode: String) async throws {
        try requireNetworkOwner(scope, manufacturerCode: manufacturerCode)
        try await removeDistributor(
            batchCode: scope.code, manufacturerCode: manufacturerCode, area: area, distributorCode: distributorCode, actor: scope.actor)
    }

    /// Loads a distributors file (the province's administrator).
    public func importDistributors(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try AwardService(db: db, now: now).requireManager(scope)
        return try await importDistributors(path: path, batchCode: scope.code, actor: scope.actor)
    }

    /// The institutions of the principal's region that have not signed (the city chases them after the deadline).
    public func unsignedInstitutions(_ scope: BatchScope, page: PageRequest) async throws -> Page<UnsignedInstitution> {
        guard let prefix = Authorizer.listingPrefix(scope.principal, requested: nil) else { throw Refusal.forbidden }
        return try await AgreementStore(db).unsignedInstitutions(batchID: scope.batch.id, regionPrefix: prefix, page: page)
    }

    /// For the province and a city: per winning manufacturer, the institutions of the region it leaves uncovered.
    public func coverageGaps(_ scope: BatchScope) async throws -> [(manufacturer: String, name: String, institutions: Int64)] {
        guard let prefix = Authorizer.listingPrefix(scope.principal, requested: nil) else { throw Refusal.forbidden }
        return try await AgreementStore(db).uncoveredByManufacturer(batchID: scope.batch.id, regionPrefix: prefix)
    }

    /// The reminder: how many agreements await the principal's own signature (nil for roles that do not sign).
    public func awaitingMySignature(_ scope: BatchScope) async throws -> Int64? {
        guard let party = AgreementParty.of(scope.principal.role), let agreementScope = Self.scope(of: scope.principal) else { return nil }
        return try await AgreementStore(db).awaiting(batchID: scope.batch.id, scope: agreementScope, party: party)
    }

    public func progressByCity(_ scope: BatchScope) async throws -> [SigningProgress] {
        guard let prefix = Authorizer.listingPrefix(scope.principal, requested: nil) else { throw Refusal.forbidden }
        return try await AgreementStore(db).progressByCity(batchID: scope.batch.id, regionPrefix: prefix)
    }
}

extension OCDSExport {
    /// The OCDS package for the province's staff.
    public func write(_ scope: BatchScope, to url: URL) async throws {
        guard Authorizer.canSeeProvince(scope.principal) else { throw Refusal.forbidden }
        try await write(batchCode: scope.code, at: scope.ctx.at, to: url)
    }
}
