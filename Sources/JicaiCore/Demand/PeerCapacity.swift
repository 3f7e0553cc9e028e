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
        for sample in samples {
            for totals in sample.units where totals.reported > 0 {
                reports[Key(group: sample.peerGroup, unit: unitOf[totals.displaySpecCode]!), default: []].append(totals.reported)
            }
        }
        var medians: [Key: (median: Int128, peers: Int)] = [:]
        for (key, values) in reports where values.count >= policy.peerMinimum {
            let sorted = values.sorted()
            medians[key] = (sorted[(sorted.count - 1) / 2], sorted.count)
        }
        var out: [Finding] = []
        for sample in samples {
            for totals in sample.units where totals.reported > 0 {
                let unit = unitOf[totals.displaySpecCode]!
                guard let groupMedian = medians[Key(group: sample.peerGroup, unit: unit)], !flagged.contains("\(sample.institutionCode) \(unit.key)"),
                    policy.peerCapacityFactor.isBelow(totals.reported, asShareOf: groupMedian.median, wholeDenominator: 1)
                else { continue }
                let variety = catalogue.varietyByCode[unit.varietyCode]!
                let spec = catalogue.specByCode[totals.displaySpecCode]!
                let unitName = spec.minimalUnit
                let median = ContentConversion.quantity(ofContent: groupMedian.median, in: spec)
                let reported = ContentConversion.quantity(ofContent: totals.reported, in: spec)
                out.append(
                    Finding(
                        code: .capacityMismatch, severity: .review, institutionCode: sample.institutionCode, unitKey: unit.key,
                        numbers: [
                            "reported": String(reported), "peerMedian": String(median), "peers": String(groupMedian.peers),
                            "threshold": policy.peerCapacityFactor.description, "unit": unitName, "displaySpec": spec.code, "basis": "peers",
                        ],
                        message: LocalizedText(
                            zh:
                                "\(variety.genericName)：报量\(reported)\(unitName)超过同类机构（\(groupMedian.peers)家）报量中位数\(median)\(unitName)的\(policy.peerCapacityFactor)，请审核是否与医疗服务能力相符（000 §5(五)、002 §3(三)）。",
                            en:
                                "\(variety.genericName): reported \(reported) \(unitName) exceeds \(policy.peerCapacityFactor) of the median report of \(groupMedian.peers) peers (\(median) \(unitName)); check it against the institution's service capacity (000 §5(五), 002 §3(三))."
                        ),
                        clause: "000 §5(五); 002 §3(三)"))
            }
        }
        return out
    }
}
