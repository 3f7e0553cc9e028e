import Foundation
import JicaiCore

/// 管 on the batch home: open once the agreed volumes are published, for the bureaus and the institutions (firms
/// are not assessed here); each agreement year is assessed after it ends.
enum AssessmentCard: StageCard {
    static func card(_ facts: StageFacts) -> BatchHomeView.Stage {
        guard facts.award.phase == .published, let first = facts.award.years.first else { return BatchHomeView.notOpen(.assess) }
        guard !facts.principal.role.isCompany else {
            return BatchHomeView.Stage(
                stage: .assess, state: LocalizedText(zh: "考核对象为医疗机构", en: "institutions are assessed here"), open: false, links: [])
        }
        let today = CivilDate(beijing: facts.now)
        let ended = facts.award.years.filter { $0.lastDay < today }
        let state =
            ended.isEmpty
            ? LocalizedText(zh: "首个协议年度\(first.lastDay)结束后考核", en: "the first agreement year is assessed after \(first.lastDay)")
            : LocalizedText(zh: "已结束协议年度\(ended.count)个，可考核或查看结果", en: "\(ended.count) agreement years ended: assess them or read the results")
        let links: [(title: LocalizedText, url: SiteURL, id: String)] = [
            (LocalizedText(zh: "考核与结余留用", en: "Assessment and savings retention"), .batch(facts.key, .assessment(.overview)), "stage-assess-overview")
        ]
        return BatchHomeView.Stage(stage: .assess, state: state, open: true, links: links)
    }
}
