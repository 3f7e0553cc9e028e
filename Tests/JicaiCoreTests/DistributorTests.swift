import Foundation
import Testing

@testable import JicaiCore

@Suite struct DistributorTests {
    @Test("003 §7: five distributors per drug and coordination area are accepted, a sixth is refused; consumables allow ten")
    func limits() throws {
        let policy = AwardPolicy()
        var network = DistributorNetwork()
        for index in 1...5 { network = try network.adding("D\(index)", in: "1401", policy: policy, consumable: false).get() }
        #expect(network.byArea["1401"]?.count == 5)
        guard case .failure(let refusal) = network.adding("D6", in: "1401", policy: policy, consumable: false) else {
            Issue.record("a sixth distributor was accepted")
            return
        }
        #expect(refusal.code == .distributorLimit && refusal.message.zh.contains("最多5家"))
        #expect((try? network.adding("D1", in: "1401", policy: policy, consumable: false).get()) == network, "naming one again changes nothing")
        #expect((try? network.adding("D6", in: "1402", policy: policy, consumable: false).get()) != nil, "the limit is per area")
        #expect((try? network.adding("D6", in: "1401", policy: policy, consumable: true).get())?.byArea["1401"]?.count == 6)
        #expect(network.removing("D1", in: "1401").byArea["1401"]?.count == 4)
    }

    @Test("003 §2: every participating institution must be covered; the uncovered are listed for the firm and the province")
    func coverage() throws {
        let network = try DistributorNetwork().adding("D1", in: "1401", policy: AwardPolicy(), consumable: false).get()
        let institutions = [(code: "H1", regionCode: "140105"), (code: "H2", regionCode: "140213"), (code: "H3", regionCode: "140121")]
        #expect(network.uncovered(institutions) == ["H2"])
        #expect(DistributorNetwork().uncovered(institutions) == ["H1", "H2", "H3"])
    }
}
