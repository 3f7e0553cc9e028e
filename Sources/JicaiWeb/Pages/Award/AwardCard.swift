import Foundation
import JicaiCore

/// 采 on the batch home: open once the demand is locked; its state is the award's phase; the links are the role's.
enum AwardCard: StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage {
        let (principal, key, award) = (facts.principal, facts.key, facts.award)
        guard facts.lockedAt != nil || award.phase != .none else { return BatchHomeView.notOpen(.award) }
        var links: [(title: LocalizedText, url: SiteURL, id: String)] = [
            (LocalizedText(zh: "中选结果与约定采购量", en: "Award and agreed volumes"), .batch(key, .award(.overview)), "stage-award-overview")
        ]
        if Authorizer.listingPrefix(principal, requested: nil) != nil || principal.role.isInstitution {
            links.append((LocalizedText(zh: "约定采购量", en: "Agreed volumes"), .batch(key, .award(.volumes)), "stage-award-volumes"))
        }
        links.append((LocalizedText(zh: "三方购销协议", en: "Agreements"), .batch(key, .award(.agreements)), "stage-award-agreements"))
        return BatchHomeView.Stage(stage: .award, state: award.phase.label, open: true, links: links)
    }
}
