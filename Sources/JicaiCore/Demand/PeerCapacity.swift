/// One institution's reported totals, with the peer group it is compared in (its category).
/// The peer comparison reads, per institution, only the units it reported: the spec each is shown in (which names
/// its unit) and the reported content. A province has tens of thousands of samples, so they are kept that small
/// (whole `UnitTotals`, with their specs, held 300 MB for 50,000 institutions).
public struct PeerSample: Sendable {
    public struct Unit: Sendable, Hashable {
        public var displaySpecCode: String
        public var reported: Int128
    }

    public var institutionCode: String
    public var peerGroup: String
    public var units: [Unit]

    /// Keeps the units with a report.
    public init(institutionCode: String, peerGroup: String, units: [UnitTotals]) {
        self.institutionCode = institutionCode
        self.peerGroup = peerGroup
        self.units = units.filter { $0.reported > 0 }.map { Unit(displaySpecCode: $0.displaySpec.code, reported: $0.reported) }
    }
}

/// Reports out of line with the institution's size (000 §5(五), 002 §3(三): reviewers look for demand that does not
/// match the institution's service capacity). Per peer group (institution category) and check unit, the median of
/// the non-zero reports is the yardstick: a report above `peerCapacityFactor` × median is flagged for review, when at
/// least `peerMinimum` peers reported the unit. Exact: contents are compared as integers.
public enum PeerCapacityCheck {
    /// Peers are institutions of the same category (tertiary hospitals with tertiary hospitals, village clinics with
    /// village clinics); pharmacies and uncategorised organisations form groups by their kind.
    public static func peerGroup(of o: Organisation) -> String { peerGroup(kind: o.kind, category: o.category) }

    public static func peerGroup(kind: OrganisationKind, category: InstitutionCategory?) -> String { category?.rawValue ?? kind.rawValue }

    public static func findings(
        _ samples: [PeerSample], catalogue: Catalogue, policy: BatchPolicy,
        skipping flagged: Set<String> = []
    ) -> [Finding] {
        struct Key: Hashable {
            var group: String
            var unit: CheckUnit
        }
        var unitOf: [String: CheckUnit] = [:]
        for spec in catalogue.specs { unitOf[spec.code] = Catalogue.unit(of: spec) }
        var reports: [Key: [Int128]] = [:]
        for s in samples {
            for t in s.units where t.reported > 0 {
                reports[Key(group: s.peerGroup, unit: unitOf[t.displaySpecCode]!), default: []].append(t.reported)
            }
        }
        var medians: [Key: (median: Int128, peers: Int)] = [:]
        for (key, values) in reports where values.count >= policy.peerMinimum {
            let sorted = values.sorted()
            medians[key] = (sorted[(sorted.count - 1) / 2], sorted.count)
        }
        var out: [Finding] = []
        for s in samples {
            for t in s.units where t.reported > 0 {
                let unit = unitOf[t.displaySpecCode]!
                guard let m = medians[Key(group: s.peerGroup, unit: unit)], !flagged.contains("\(s.institutionCode) \(unit.key)"),
                    policy.peerCapacityFactor.isBelow(t.reported, asShareOf: m.median, wholeDenominator: 1)
                else { continue }
                let v = catalogue.varietyByCode[unit.varietyCode]!
                let spec = catalogue.specByCode[t.displaySpecCode]!
                let u = spec.minimalUnit
                let median = ContentConversion.quantity(ofContent: m.median, in: spec)
                let reported = ContentConversion.quantity(ofContent: t.reported, in: spec)
                out.append(
                    Finding(
                        code: .capacityMismatch, severity: .review, institutionCode: s.institutionCode, unitKey: unit.key,
                        numbers: [
                            "reported": String(reported), "peerMedian": String(median), "peers": String(m.peers),
                            "threshold": policy.peerCapacityFactor.description, "unit": u, "displaySpec": spec.code, "basis": "peers",
                        ],
                        message: LocalizedText(
                            zh:
                                "\(v.genericName)：报量\(reported)\(u)超过同类机构（\(m.peers)家）报量中位数\(median)\(u)的\(policy.peerCapacityFactor)，请审核是否与医疗服务能力相符（000 §5(五)、002 §3(三)）。",
                            en:
                                "\(v.genericName): reported \(reported) \(u) exceeds \(policy.peerCapacityFactor) of the median report of \(m.peers) peers (\(median) \(u)); check it against the institution's service capacity (000 §5(五), 002 §3(三))."
                        ),
                        clause: "000 §5(五); 002 §3(三)"))
            }
        }
        return out
    }
}
