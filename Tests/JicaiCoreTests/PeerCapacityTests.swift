import Testing

@testable import JicaiCore

@Suite("Capacity against peers — 000 §5(五), 002 §3(三)")
struct PeerCapacityTests {
    /// Village clinics reporting S021 (amlodipine 5 mg): `quantities[i]` tablets for clinic i.
    func samples(_ quantities: [Int64], group: String = "villageClinic") -> [PeerSample] {
        let checker = Fixtures.checker()
        return quantities.enumerated().map { i, q in
            PeerSample(
                institutionCode: "C\(i)", peerGroup: group,
                units: checker.totals(
                    for: InstitutionDemand(institutionCode: "C\(i)", history: [:], lines: [DemandLine(specCode: "S021", quantity: q)])))
        }
    }

    @Test("000 §5(五), 002 §3(三): a report above 5× the peers' median is out of line with the institution's size; exactly 5× passes")
    func outlier() {
        // Ten clinics at 100 tablets, one at 500 (exactly 5× the median), one at 501.
        let s = samples(Array(repeating: 100, count: 10) + [500, 501])
        let f = PeerCapacityCheck.findings(s, catalogue: Fixtures.catalogue, policy: .default)
        #expect(f.map(\.institutionCode) == ["C11"])
        #expect(f[0].code == .capacityMismatch)
        #expect(f[0].severity == .review)
        #expect(f[0].numbers["peerMedian"] == "100")
        #expect(f[0].numbers["peers"] == "12")
        #expect(f[0].message.zh.contains("同类机构"))
    }

    @Test("too few peers, other peer groups and units already flagged against history give nothing")
    func guards() {
        #expect(PeerCapacityCheck.findings(samples([100, 100, 9000]), catalogue: Fixtures.catalogue, policy: .default).isEmpty)
        let mixed = samples(Array(repeating: 100, count: 10)) + samples([100_000], group: "tertiaryHospital")
        #expect(PeerCapacityCheck.findings(mixed, catalogue: Fixtures.catalogue, policy: .default).isEmpty)
        let s = samples(Array(repeating: 100, count: 10) + [5000])
        #expect(PeerCapacityCheck.findings(s, catalogue: Fixtures.catalogue, policy: .default, skipping: ["C10 V02"]).isEmpty)
    }

    @Test("000 §5(五): peers are institutions of the same category; pharmacies are compared with pharmacies")
    func groups() throws {
        let region = try DivisionCode.parse("140105").get()
        func org(_ kind: OrganisationKind, _ category: InstitutionCategory?) -> Organisation {
            Organisation(code: "X", name: "X", kind: kind, category: category, ownership: nil, beds: nil, regionCode: region, communityLeadCode: nil)
        }
        #expect(
            PeerCapacityCheck.peerGroup(of: org(.institution, .villageClinic)) == PeerCapacityCheck.peerGroup(of: org(.institution, .villageClinic)))
        #expect(
            PeerCapacityCheck.peerGroup(of: org(.institution, .villageClinic))
                != PeerCapacityCheck.peerGroup(of: org(.institution, .tertiaryHospital)))
        #expect(PeerCapacityCheck.peerGroup(of: org(.pharmacy, nil)) != PeerCapacityCheck.peerGroup(of: org(.institution, .other)))
    }

    @Test("the factor and the minimum number of peers are policy")
    func policy() {
        var p = BatchPolicy.default
        p.peerCapacityFactor = .percent(200)
        p.peerMinimum = 3
        let f = PeerCapacityCheck.findings(samples([100, 100, 100, 201]), catalogue: Fixtures.catalogue, policy: p)
        #expect(f.map(\.institutionCode) == ["C3"])
    }
}
