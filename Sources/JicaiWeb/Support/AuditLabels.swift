import Foundation
import JicaiCore

/// The audit log's stored verbs, object types and system actors as bureau staff read them (#29: the Chinese pages
/// showed `recompute`, `publish`, `system`). The stored word stays available as the cell's tooltip, and the filters
/// still take it.
enum AuditLabels {
    static let actions: [String: LocalizedText] = [
        "accept": L("验收", "accept"), "acknowledge": L("知悉", "acknowledge"), "add": L("添加", "add"), "adjust": L("调整", "adjust"),
        "answer": L("答复", "answer"), "approve": L("审定", "approve"), "capture": L("采集", "capture"),
        "change-password": L("修改密码", "change password"), "change-password-failed": L("修改密码失败", "password change failed"),
        "check": L("校验", "check"), "close": L("关闭", "close"), "compute": L("测算", "compute"), "confirm": L("确认", "confirm"),
        "correct": L("更正", "correct"), "create": L("创建", "create"), "create-accounts": L("批量开户", "create accounts"),
        "credentials": L("下载账号", "download credentials"), "decide": L("决定", "decide"), "detach": L("撤回导入", "detach"),
        "disable": L("停用", "disable"), "dismiss": L("驳回", "dismiss"), "enable": L("启用", "enable"), "evidence": L("上传证明材料", "evidence"),
        "export": L("导出", "export"), "file": L("提出", "file"), "import": L("导入", "import"), "invoice": L("开票", "invoice"),
        "letter": L("上传承诺书", "commitment letter"), "lock": L("锁定", "lock"), "locked": L("账号锁定", "account locked"),
        "login": L("登录", "log in"), "login-failed": L("登录失败", "log-in failed"), "login-refused": L("拒绝登录", "log-in refused"),
        "pay": L("付款", "pay"), "place": L("下单", "place"), "policy": L("设置规则", "policy"), "publish": L("公布", "publish"),
        "recompute": L("重算", "recompute"), "recover": L("收回", "recover"), "register": L("登记", "register"), "remove": L("移除", "remove"),
        "renew": L("续签", "renew"), "reset-password": L("重置密码", "reset password"), "resolve": L("解除", "resolve"),
        "review": L("审核", "review"), "revoke-token": L("吊销令牌", "revoke token"), "run": L("运行", "run"), "save": L("保存", "save"),
        "sealed": L("上传盖章汇总表", "sealed summary"), "send": L("发出", "send"), "set": L("设置", "set"), "ship": L("配送", "ship"),
        "sign": L("签署", "sign"), "submit": L("提交", "submit"), "token": L("创建令牌", "create token"), "unlock": L("解锁", "unlock"),
        "update": L("更新", "update"), "verify": L("核实", "verify"), "window": L("设置填报期", "window"), "withdraw": L("撤单", "withdraw"),
        "cityApprove": L("市级审核通过", "city approval"), "cityReturn": L("市级退回修改", "city return"), "cityCorrect": L("市级更正数据", "city correction"),
        "provinceApprove": L("省级审核通过", "province approval"), "provinceReturn": L("省级退回修改", "province return"),
    ]

    static let entities: [String: LocalizedText] = [
        "agreed-volume": L("约定采购量", "agreed volume"), "agreement": L("协议", "agreement"), "alert": L("预警", "alert"),
        "appeal": L("申诉", "appeal"), "assessment": L("考核", "assessment"), "award": L("中选规则", "award"),
        "award-results": L("中选结果", "award results"), "batch": L("批次", "batch"), "catalogue": L("品种目录", "catalogue"),
        "city_report": L("市级报告", "city report"), "delivery": L("配送单", "delivery"), "demand": L("报量数据", "demand"),
        "disease_group": L("按病种付费名单", "disease-group list"), "distributor": L("配送企业", "distributor"),
        "exemption": L("考核豁免", "exemption"), "findings": L("校验结果", "findings"), "history": L("历史采购", "history"),
        "lead": L("监管线索", "lead"), "listings": L("挂网价格", "listings"), "monitor": L("执行监测", "monitoring"), "order": L("订单", "order"),
        "organisations": L("机构名录", "organisations"), "payment": L("回款", "payment"), "pre_award_price": L("采购前价格", "pre-award price"),
        "prepayment": L("预付金", "prepayment"), "products": L("产品", "products"), "purchases": L("采购数据", "purchases"),
        "regions": L("行政区划", "regions"), "report": L("报量", "report"), "settlement": L("直接结算", "settlement"),
        "supply_problem": L("供应问题", "supply problem"), "supply_ticket": L("供应问题工单", "supply ticket"),
        "trace_codes": L("追溯码", "traceability codes"), "usage": L("使用数据", "usage"), "user": L("账号", "account"),
    ]

    static let actors: [String: LocalizedText] = ["system": L("系统", "system"), "cli": L("命令行（省管理员）", "command line (province)")]

    private static func L(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }

    /// The word in the page's language, the stored word as its tooltip; an unknown word as stored.
    static func cell(_ stored: String, _ table: [String: LocalizedText], _ lang: Lang) -> Node {
        guard let label = table[stored] else { return .text(stored) }
        return el("span", Attr("title", stored)) { lang.t(label.zh, label.en) }
    }
}
