import Foundation

/// The five stages of a procurement batch, 报、采、供、用、管 (000 §1 and 004 §1 describe the chain): each batch goes
/// through them in order. Each stage has one name in every layer (`Demand/`, `Award/`, `Supply/`, `Monitor/`,
/// `Assess/` folders of Core, Persistence, Services and Web); the batch home shows each stage's card, and those
/// without pages yet with what they will do and when they open.
public enum ProcurementStage: String, Sendable, CaseIterable, Codable {
    /// 报: institutions report their demand; cities and the province review it.
    case demand
    /// 采: winning results, agreed volumes, three-party agreements, distributors, listing prices.
    case award
    /// 供: orders, deliveries, payment and insurance-fund settlement, supply problems.
    case supply
    /// 用: purchase progress against the schedule, non-winning share, alerts.
    case monitor
    /// 管: monthly rankings, the year-end assessment, savings retention.
    case assess

    /// The character the notices use for the stage.
    public var character: String {
        switch self {
        case .demand: "报"
        case .award: "采"
        case .supply: "供"
        case .monitor: "用"
        case .assess: "管"
        }
    }

    public var title: LocalizedText {
        switch self {
        case .demand: LocalizedText(zh: "报量", en: "Demand reporting")
        case .award: LocalizedText(zh: "中选与协议", en: "Award and agreements")
        case .supply: LocalizedText(zh: "供应与结算", en: "Supply and settlement")
        case .monitor: LocalizedText(zh: "使用监测", en: "Use monitoring")
        case .assess: LocalizedText(zh: "监督考核", en: "Supervision and assessment")
        }
    }

    public var summary: LocalizedText {
        switch self {
        case .demand:
            LocalizedText(
                zh: "医疗机构按品种填报采购需求，市级、省级审核后锁定汇总。",
                en: "Institutions report their demand per variety; the city and the province review it, then lock and summarise it.")
        case .award:
            LocalizedText(
                zh: "公布中选结果，按报量确定约定采购量，签订三方购销协议，确定配送企业、挂网价格和医保支付标准。",
                en:
                    "Winning results, agreed volumes from the reported demand, three-party agreements, distributors, listing prices and payment standards."
            )
        case .supply:
            LocalizedText(
                zh: "采购订单、配送与验收、回款期限、医保基金预付与冲抵、供应问题处理。",
                en: "Orders, deliveries and acceptance, payment deadlines, insurance-fund prepayment and offsets, supply problems.")
        case .monitor:
            LocalizedText(
                zh: "按序时进度监测采购完成情况、非中选产品占比和集采金额占比，自动预警。",
                en: "Purchase progress against the time-proportional schedule, non-winning and VBP shares, automatic alerts.")
        case .assess:
            LocalizedText(
                zh: "月度通报排名、年度考核及其豁免情形、结余留用资金。",
                en: "Monthly rankings, the year-end assessment with its exemptions, savings-retention funds.")
        }
    }

    /// When the stage opens for a batch.
    public var opensWhen: LocalizedText {
        switch self {
        case .demand: LocalizedText(zh: "填报时间开始时", en: "when the filling window opens")
        case .award: LocalizedText(zh: "省级审核完成并锁定报量、公布中选结果后", en: "once the province has locked the demand and the results are published")
        case .supply: LocalizedText(zh: "三方购销协议生效后", en: "once the three-party agreements are in force")
        case .monitor: LocalizedText(zh: "采购周期开始、产生采购记录后", en: "once the cycle starts and purchases are recorded")
        case .assess: LocalizedText(zh: "采购周期开始后（按月通报、按年度考核）", en: "once the cycle starts (monthly rankings, yearly assessment)")
        }
    }

}
