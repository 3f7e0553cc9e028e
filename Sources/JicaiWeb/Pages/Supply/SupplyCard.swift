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
        var state = LocalizedText(zh: "供应中（自\(start)起）", en: "supplying (from \(start))")
        if let todo = facts.supply {
            let role = facts.principal.role
            var zh: [String] = []
            var en: [String] = []
            if todo.ordersToAct > 0 {
                zh.append(role == .distributor ? "待确认订单\(todo.ordersToAct)张" : "待验收订单\(todo.ordersToAct)张")
                en.append(role == .distributor ? "\(todo.ordersToAct) orders to confirm" : "\(todo.ordersToAct) orders to accept")
            }
            if todo.overduePayables > 0 {
                zh.append("逾期未付\(todo.overduePayables)笔")
                en.append("\(todo.overduePayables) payments overdue")
            }
            if todo.ticketsToAct > 0 {
                zh.append("待处理供应问题工单\(todo.ticketsToAct)件")
                en.append("\(todo.ticketsToAct) supply-problem tickets to act on")
            }
            if !zh.isEmpty {
                state = LocalizedText(zh: state.zh + "：" + zh.joined(separator: "，"), en: state.en + ": " + en.joined(separator: ", "))
            }
        }
        return BatchHomeView.Stage(stage: .supply, state: state, open: true, links: links)
    }
}
