import Foundation
import JicaiCore

/// 供 on the batch home: open once the agreed volumes are published, for everyone who takes part in supply
/// (institutions order and accept, distributors ship, manufacturers and the bureaus watch).
enum SupplyCard: StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage {
        let key = facts.key
        guard facts.award.phase == .published, let start = facts.award.executionStart else { return BatchHomeView.notOpen(.supply) }
        var links: [(title: LocalizedText, url: SiteURL, id: String)] = [
            (LocalizedText(zh: "订单与配送", en: "Orders and deliveries"), .batch(key, .supply(.orders)), "stage-supply-orders")
        ]
        if facts.principal.role.isInstitution {
            links.append((LocalizedText(zh: "新建订单", en: "New order"), .batch(key, .supply(.new)), "stage-supply-new"))
        }
        links.append((LocalizedText(zh: "应付账款", en: "Payables"), .batch(key, .supply(.payables)), "stage-supply-payables"))
        links.append((LocalizedText(zh: "供应问题工单", en: "Supply-problem tickets"), .batch(key, .supply(.tickets)), "stage-supply-tickets"))
        if facts.principal.role != .manufacturer {
            links.append((LocalizedText(zh: "直接结算", en: "Direct settlement"), .batch(key, .supply(.settlements)), "stage-supply-settlements"))
        }
        let state = LocalizedText(zh: "供应中（自\(start)起）", en: "supplying (from \(start))")
        return BatchHomeView.Stage(stage: .supply, state: state, open: true, links: links)
    }
}
