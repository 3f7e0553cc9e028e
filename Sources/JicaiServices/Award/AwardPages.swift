import Foundation
import JicaiCore
import JicaiPersistence

extension AwardService {
    /// Everything the award's overview page shows, from one scope: the results and phase, who may do what, signing
    /// progress by city, a manufacturer's own network, the first unsigned institutions after publication, the
    /// uncovered institutions per manufacturer and the count awaiting the principal's signature.
    public struct OverviewPage: Sendable {
        public var overview: Overview
        public var access: Access
        public var progress: [SigningProgress]
        public var network: AgreementService.Network?
        public var unsigned: Page<UnsignedInstitution>?
        public var uncovered: [(manufacturer: String, name: String, institutions: Int64)]
        public var awaitingMine: Int64?
    }

    public func overviewPage(_ scope: BatchScope, history: Bool, unsigned unsignedPage: PageRequest = PageRequest(number: 1, size: 20)) async throws
        -> OverviewPage
    {
        let access = access(scope)
        let overview = try await overview(scope, history: history)
        let agreements = AgreementService(db: db, now: now)
        var network: AgreementService.Network?
        if let manufacturer = access.manufacturer { network = try await agreements.network(scope, manufacturerCode: manufacturer) }
        let published = overview.state.phase == .published
        return OverviewPage(
            overview: overview, access: access, progress: access.seesProgress ? try await agreements.progressByCity(scope) : [],
            network: network,
            unsigned: access.seesProgress && published
                ? try await agreements.unsignedInstitutions(scope, page: unsignedPage) : nil,
            uncovered: access.seesProgress && overview.volumes > 0 ? try await agreements.coverageGaps(scope) : [],
            awaitingMine: try await agreements.awaitingMySignature(scope))
    }
}
