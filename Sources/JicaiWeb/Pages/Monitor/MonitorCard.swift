import Foundation
import JicaiCore

/// 用 on the batch home: open once the agreed volumes are published; firms have no monitoring pages.
enum MonitorCard: StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage {
        let (principal, key) = (facts.principal, facts.key)
        guard facts.award.phase == .published, let start = facts.award.executionStart else { return BatchHomeView.notOpen(.monitor) }
        var links: [(title: LocalizedText, url: SiteURL, id: String)] = []
        if principal.role.isInstitution || Authorizer.listingPrefix(principal, requested: nil) != nil {
            links.append((LocalizedText(zh: "执行监测", en: "Use monitoring"), .batch(key, .monitor(.dashboard)), "stage-monitor-dashboard"))
            links.append((LocalizedText(zh: "预警", en: "Alerts"), .batch(key, .monitor(.alerts)), "stage-monitor-alerts"))
        }
        let state = LocalizedText(zh: "执行中（自\(start)起）", en: "in execution (from \(start))")
        return BatchHomeView.Stage(stage: .monitor, state: state, open: true, links: links)
    }
}
