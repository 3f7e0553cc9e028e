import Foundation
import Testing

@testable import JicaiCore

@Suite struct DistributorTests {
    @Test("003 §7: five distributors per drug and coordination area are accepted, a sixth is refused; consumables allow ten")
    func limits() throws {
        let policy = AwardPolicy()
        var network = DistributorNetwork()
        for index in 1...5 { network = try network.adding("D\(index)", in: "1401", policy: policy).get() }
        #expect(network.byArea["1401"]?.count == 5)
        guard case .failure(let refusal) = network.adding("D6", in: "1401", policy: policy) else {
            Issue.record("a sixth distributor was accepted")
            return
        }
        #expect(refusal.code == .distributorLimit && refusal.message.zh.contains("最多5家"))
        #expect((try? network.adding("D1", in: "1401", policy: policy).get()) == network, "naming one again changes nothing")
        #expect((try? network.adding("D6", in: "1402", policy: policy).get()) != nil, "the limit is per area")
        #expect((try? network.adding("D6", in: "1401", policy: AwardPolicy(kind: .consumables)).get())?.byArea["1401"]?.count == 6)
        #expect(network.removing("D1", in: "1401").byArea["1401"]?.count == 4)
    }

    @Test("003 §7: the limit comes from the batch's kind: a consumables batch takes ten, a drugs batch five")
    func kindOfBatch() throws {
        #expect(AwardPolicy().distributorLimit == 5)
        let consumables = AwardPolicy(kind: .consumables)
        #expect(consumables.distributorLimit == 10)
        var network = DistributorNetwork()
        for index in 1...10 {
            network = try network.adding("D\(index)", in: "1401", policy: consumables).get()
        }
        #expect(throws: Refusal.self) { try network.adding("D11", in: "1401", policy: consumables).get() }
        let decoded = try JSONDecoder().decode(AwardPolicy.self, from: Data(#"{"kind":"consumables"}"#.utf8))
        #expect(decoded.kind == .consumables && decoded.distributorLimit == 10 && decoded.ratiosByWinners == AwardPolicy().ratiosByWinners)
    }

    @Test("003 §2: every participating institution must be covered; the uncovered are listed for the firm and the province")
    func coverage() throws {
        let network = try DistributorNetwork().adding("D1", in: "1401", policy: AwardPolicy()).get()
        let institutions = [(code: "H1", regionCode: "140105"), (code: "H2", regionCode: "140213"), (code: "H3", regionCode: "140121")]
        #expect(network.uncovered(institutions) == ["H2"])
        #expect(DistributorNetwork().uncovered(institutions) == ["H1", "H2", "H3"])
    }
}
