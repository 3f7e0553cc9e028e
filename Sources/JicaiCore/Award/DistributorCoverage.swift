import Foundation

/// A winning firm's distributors (配送企业) per coordination area (统筹区; the city, a 4-digit division prefix, by
/// default): at most the policy's limit in each area, and every participating institution covered (003 §2, §7).
public struct DistributorNetwork: Sendable, Hashable, Codable {
    /// Coordination area → the distributors' organisation codes, in the order named.
    public private(set) var byArea: [String: [String]]

    public init(byArea: [String: [String]] = [:]) { self.byArea = byArea }

    /// The coordination area of an institution's region code: its city.
    public static func area(ofRegion regionCode: String) -> String { String(regionCode.prefix(4)) }

    /// The network with one more distributor in `area`, or why not: the limit (5 for drugs, 10 for consumables).
    public func adding(_ distributor: String, in area: String, policy: AwardPolicy) -> Result<DistributorNetwork, Refusal> {
        let current = byArea[area] ?? []
        if current.contains(distributor) { return .success(self) }
        guard policy.mayAddDistributor(current: current.count) else {
            let limit = policy.distributorLimit
            return .failure(
                Refusal(
                    .distributorLimit, zh: "每个统筹区最多\(limit)家配送企业（\(area)已有\(current.count)家）",
                    en: "at most \(limit) distributors per coordination area (\(area) has \(current.count))"))
        }
        var next = self
        next.byArea[area, default: []].append(distributor)
        return .success(next)
    }

    public func removing(_ distributor: String, in area: String) -> DistributorNetwork {
        var next = self
        next.byArea[area]?.removeAll { $0 == distributor }
        if next.byArea[area]?.isEmpty == true { next.byArea[area] = nil }
        return next
    }

    /// The institutions (code, region) no distributor of this network covers, in the order given.
    public func uncovered(_ institutions: [(code: String, regionCode: String)]) -> [String] {
        institutions.filter { (byArea[Self.area(ofRegion: $0.regionCode)] ?? []).isEmpty }.map(\.code)
    }
}
