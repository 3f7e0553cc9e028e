import Foundation
import JicaiCore

/// 报 on the batch home: the window's phase (or the lock), and the form, review, progress and imports by role.
enum DemandCard: StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage {
        let (principal, key) = (facts.principal, facts.key)
        let phase = facts.batch.policy.window.phase(at: facts.now)
        var links: [(title: LocalizedText, url: SiteURL, id: String)] = []
        if principal.role.isInstitution, let own = principal.organisationCode {
            links.append(
                (LocalizedText(zh: "填报本机构报量", en: "Fill in our report"), .batch(key, .report(InstitutionKey(own), .form)), "stage-demand-form"))
        }
        if Authorizer.listingPrefix(principal, requested: nil) != nil {
            links.append((LocalizedText(zh: "报量审核", en: "Review"), .batch(key, .review), "stage-demand-review"))
        }
        if Authorizer.canSeeProvince(principal) {
            links.append((LocalizedText(zh: "进度与汇总", en: "Progress and summary"), .batch(key, .progress), "stage-demand-progress"))
        }
        if Authorizer.canManageAccounts(principal) {
            links.append((LocalizedText(zh: "批次管理与数据导入", en: "Batches and imports"), .admin(.batches), "stage-demand-admin"))
        }
        let state =
            facts.lockedAt.map { LocalizedText(zh: "已锁定（\(ReportingWindow.shanghaiText($0))）", en: "locked (\(ReportingWindow.shanghaiText($0)))") }
            ?? phase.label
        return BatchHomeView.Stage(stage: .demand, state: state, open: phase == .open || phase == .review, links: links)
    }
}
