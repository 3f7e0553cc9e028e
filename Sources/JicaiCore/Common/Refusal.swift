import Foundation

/// What kind of refusal a code is; the web layer maps each kind to one HTTP status with a `switch`.
public enum RefusalKind: String, Sendable, CaseIterable {
    /// The caller can fix the request (400).
    case invalid
    /// No valid log-in or token (401).
    case unauthenticated
    /// Not allowed for this account (403).
    case forbidden
    /// Missing, or outside the caller's scope: a refusal must not tell which (404).
    case notFound
    /// Refused by the state of things: the window, the report's status, a lock, a concurrent change (409).
    case conflict
    /// The request or file is too large (413).
    case tooLarge
    /// The body came in too slowly (408).
    case timeout
    /// The server is busy with work of others; the same request later will do (503).
    case unavailable
    /// A fault of the server, never the caller's (500).
    case internalError
}

/// Every refusal the platform can answer with, declared once: its stable code (the JSON API's `error.code`), its
/// kind (which decides the HTTP status) and a general message in Chinese and English. A throw site may give a more
/// precise message with the values involved; numbers in messages come from `InputLimits`, `LoginPolicy` or the
/// batch's `BatchPolicy`, never from prose.
public enum RefusalCode: String, Sendable, CaseIterable, Codable {
    // Accounts and sessions
    case unauthorized = "UNAUTHORIZED"
    case forbidden = "FORBIDDEN"
    case passwordChangeRequired = "PASSWORD_CHANGE_REQUIRED"
    case badCredentials = "BAD_CREDENTIALS"
    case accountLocked = "ACCOUNT_LOCKED"
    case badCurrentPassword = "BAD_CURRENT_PASSWORD"
    case weakPassword = "WEAK_PASSWORD"
    case passwordsDiffer = "PASSWORDS_DIFFER"
    case userNotFound = "USER_NOT_FOUND"
    case sessionRequired = "SESSION_REQUIRED"
    case badTokenLifetime = "BAD_TOKEN_LIFETIME"
    case badTokenLabel = "BAD_TOKEN_LABEL"
    case tooManyTokens = "TOO_MANY_TOKENS"
    case tokenNotFound = "TOKEN_NOT_FOUND"
    // Batches and catalogues
    case batchNotFound = "BATCH_NOT_FOUND"
    case batchExists = "BATCH_EXISTS"
    case badBatchCode = "BAD_CODE"
    case noCatalogue = "NO_CATALOGUE"
    case catalogueInUse = "CATALOGUE_IN_USE"
    case badWindow = "BAD_WINDOW"
    case badDate = "BAD_DATE"
    case batchLocked = "BATCH_LOCKED"
    case notLocked = "NOT_LOCKED"
    // Reports
    case institutionNotFound = "INSTITUTION_NOT_FOUND"
    case otherInstitution = "OTHER_INSTITUTION"
    case badQuantity = "BAD_QUANTITY"
    case quantityTooLarge = "QUANTITY_TOO_LARGE"
    case textTooLong = "TOO_LONG"
    case unknownSpec = "UNKNOWN_SPEC"
    case unknownUnit = "UNKNOWN_UNIT"
    case badProduct = "BAD_PRODUCT"
    case duplicateLine = "DUPLICATE_LINE"
    case emptyUpload = "EMPTY_UPLOAD"
    case reportNotEditable = "REPORT_NOT_EDITABLE"
    case windowNotOpen = "WINDOW_NOT_OPEN"
    case windowClosed = "WINDOW_CLOSED"
    case reviewClosed = "REVIEW_CLOSED"
    case wrongStatus = "WRONG_STATUS"
    case concurrentChange = "CONCURRENT_CHANGE"
    case nothingToSubmit = "NOTHING_TO_SUBMIT"
    case blockingFindings = "BLOCKING_FINDINGS"
    case reasonRequired = "REASON_REQUIRED"
    case badAction = "BAD_ACTION"
    case signerMissing = "SIGNER_MISSING"
    case signerTitle = "SIGNER_TITLE"
    case explanationFirst = "EXPLANATION_FIRST"
    // Agreements (award stage)
    case agreementNotDraft = "AGREEMENT_NOT_DRAFT"
    case agreementNotSent = "AGREEMENT_NOT_SENT"
    case agreementExpired = "AGREEMENT_EXPIRED"
    case agreementPartyMissing = "AGREEMENT_PARTY_MISSING"
    case wrongParty = "WRONG_PARTY"
    case alreadySigned = "ALREADY_SIGNED"
    case distributorLimit = "DISTRIBUTOR_LIMIT"
    case noAwardResults = "NO_AWARD_RESULTS"
    case awardNotComputed = "AWARD_NOT_COMPUTED"
    case awardPublished = "AWARD_PUBLISHED"
    case awardNotPublished = "AWARD_NOT_PUBLISHED"
    case agreementNotFound = "AGREEMENT_NOT_FOUND"
    case badCycle = "BAD_CYCLE"
    // Monitoring
    case alertNotFound = "ALERT_NOT_FOUND"
    case alertNotOpen = "ALERT_NOT_OPEN"
    case alertResolved = "ALERT_RESOLVED"
    case noteRequired = "NOTE_REQUIRED"
    case notComputed = "MONITOR_NOT_COMPUTED"
    case figureOutOfRange = "FIGURE_OUT_OF_RANGE"
    case asOfOutsideCycle = "AS_OF_OUTSIDE_CYCLE"
    case confirmationRequired = "CONFIRMATION_REQUIRED"
    case badPeriod = "BAD_PERIOD"
    case badPolicy = "BAD_POLICY"
    case notADistributor = "NOT_A_DISTRIBUTOR"
    case badAddedSpec = "BAD_ADDED_SPEC"
    case badQuery = "BAD_QUERY"
    case notOnThisEngine = "NOT_ON_THIS_ENGINE"
    // Files and imports
    case fileMissing = "FILE_MISSING"
    case fileNotFound = "FILE_NOT_FOUND"
    case badFileType = "BAD_FILE_TYPE"
    case badFileSize = "BAD_FILE_SIZE"
    case badFileContent = "BAD_FILE_CONTENT"
    case formIncomplete = "FORM"
    case importFailed = "IMPORT_FAILED"
    case badRegion = "BAD_REGION"
    // The command line
    case unknownKind = "UNKNOWN_KIND"
    case unknownExport = "UNKNOWN_EXPORT"
    case badTime = "BAD_TIME"
    case badOutputFormat = "BAD_FORMAT"
    case batchRequired = "BATCH_REQUIRED"
    case demoExists = "DEMO_EXISTS"
    case badOption = "BAD_OPTION"
    case accountExists = "ACCOUNT_EXISTS"
    case badReplacement = "BAD_REPLACEMENT"
    case priceByHand = "PRICE_BY_HAND"
    // Supply
    case orderNotFound = "ORDER_NOT_FOUND"
    case deliveryNotFound = "DELIVERY_NOT_FOUND"
    case agreementNotInForce = "AGREEMENT_NOT_IN_FORCE"
    case orderOutsideCycle = "ORDER_OUTSIDE_CYCLE"
    case orderState = "ORDER_STATE"
    case shipTooMany = "SHIP_TOO_MANY"
    case acceptTooMany = "ACCEPT_TOO_MANY"
    case alreadyAccepted = "ALREADY_ACCEPTED"
    case payTooMuch = "PAY_TOO_MUCH"
    case badTraceCode = "BAD_TRACE_CODE"
    case duplicateTraceCode = "DUPLICATE_TRACE_CODE"
    case ticketNotFound = "TICKET_NOT_FOUND"
    case ticketState = "TICKET_STATE"
    case alreadyAnswered = "ALREADY_ANSWERED"
    case settlementNotFound = "SETTLEMENT_NOT_FOUND"
    case settlementApproved = "SETTLEMENT_APPROVED"
    case prepaymentExists = "PREPAYMENT_EXISTS"
    // Assessment
    case assessmentNotRun = "ASSESSMENT_NOT_RUN"
    case assessmentApproved = "ASSESSMENT_APPROVED"
    case yearNotEnded = "YEAR_NOT_ENDED"
    case appealNotFound = "APPEAL_NOT_FOUND"
    case appealClosed = "APPEAL_CLOSED"
    case appealsOpen = "APPEALS_OPEN"
    case exemptionNotFound = "EXEMPTION_NOT_FOUND"
    case leadNotFound = "LEAD_NOT_FOUND"
    case badPrice = "BAD_PRICE"
    case priceNotFound = "PRICE_NOT_FOUND"
    // Refusals by the framework, before any service ran
    case badRequest = "BAD_REQUEST"
    case notFound = "NOT_FOUND"
    case tooLarge = "TOO_LARGE"
    case requestTimeout = "REQUEST_TIMEOUT"
    case busy = "BUSY"
    case refused = "REFUSED"
    case internalError = "INTERNAL"

    public var kind: RefusalKind {
        switch self {
        case .unauthorized:
            .unauthenticated
        case .forbidden, .passwordChangeRequired, .wrongParty:
            .forbidden
        case .userNotFound, .tokenNotFound, .batchNotFound, .institutionNotFound, .fileNotFound, .notFound,
            .agreementNotFound, .alertNotFound, .orderNotFound, .deliveryNotFound, .ticketNotFound, .settlementNotFound,
            .assessmentNotRun, .appealNotFound, .exemptionNotFound, .leadNotFound, .priceNotFound:
            .notFound
        case .batchLocked, .reportNotEditable, .windowNotOpen, .windowClosed, .reviewClosed, .wrongStatus,
            .concurrentChange, .blockingFindings, .agreementNotDraft, .agreementNotSent, .agreementExpired, .alreadySigned,
            .distributorLimit, .awardNotComputed, .awardPublished, .awardNotPublished, .noAwardResults, .alertNotOpen, .alertResolved,
            .notComputed, .figureOutOfRange, .confirmationRequired, .agreementNotInForce, .orderOutsideCycle, .orderState, .alreadyAccepted,
            .duplicateTraceCode, .ticketState, .alreadyAnswered, .settlementApproved, .prepaymentExists,
            .assessmentApproved, .yearNotEnded, .appealClosed, .appealsOpen:
            .conflict
        case .tooLarge:
            .tooLarge
        case .requestTimeout:
            .timeout
        case .busy:
            .unavailable
        case .internalError:
            .internalError
        case .badCredentials, .accountLocked, .badCurrentPassword, .weakPassword, .passwordsDiffer, .sessionRequired,
            .badTokenLifetime, .badTokenLabel, .tooManyTokens, .batchExists, .badBatchCode, .noCatalogue, .catalogueInUse,
            .badWindow, .badDate, .asOfOutsideCycle, .notLocked, .otherInstitution, .badQuantity, .quantityTooLarge, .textTooLong,
            .unknownSpec, .unknownUnit, .badProduct, .duplicateLine, .emptyUpload, .nothingToSubmit, .reasonRequired,
            .badAction, .signerMissing, .signerTitle, .explanationFirst, .fileMissing, .badFileType, .badFileSize,
            .badFileContent, .formIncomplete, .importFailed, .badRegion, .unknownKind, .unknownExport, .badTime,
            .badOutputFormat, .batchRequired, .demoExists, .badRequest, .refused, .agreementPartyMissing, .badCycle, .noteRequired,
            .badPeriod, .badPolicy, .notADistributor, .badAddedSpec, .badQuery, .notOnThisEngine, .badOption, .accountExists,
            .badReplacement, .priceByHand, .shipTooMany, .acceptTooMany, .payTooMuch, .badTraceCode, .badPrice:
            .invalid
        }
    }

    /// The general message of the code; `Refusal` carries a more precise one where the throw site has values.
    // function-length: table (one message per code)
    public var message: LocalizedText {
        switch self {
        case .unauthorized: L("请先登录或提供有效的访问令牌", "log in or give a valid access token")
        case .forbidden: L("无权访问或操作", "not allowed")
        case .passwordChangeRequired: L("请先修改初始密码", "change the initial password first")
        case .badCredentials: L("账号或密码错误，或账号已锁定、停用", "wrong user name or password, or the account is locked or disabled")
        case .accountLocked: L("密码错误次数过多，请稍后再试", "too many wrong passwords; try again later")
        case .badCurrentPassword: L("原密码不正确", "the current password is wrong")
        case .weakPassword: Self.passwordRule
        case .passwordsDiffer: L("两次输入的新密码不一致", "the two new passwords differ")
        case .userNotFound: L("账号不存在", "no such account")
        case .sessionRequired: L("请在登录会话中创建令牌", "create tokens from a logged-in session")
        case .badTokenLifetime:
            L("令牌有效期应为1至\(InputLimits.maxTokenLifetimeDays)天", "a token lasts 1 to \(InputLimits.maxTokenLifetimeDays) days")
        case .badTokenLabel:
            L(
                "请填写令牌名称（最多\(InputLimits.maxTokenLabelCharacters)字）",
                "name the token (at most \(InputLimits.maxTokenLabelCharacters) characters)")
        case .tooManyTokens:
            L(
                "每个账号最多\(InputLimits.maxTokensPerUser)个令牌，请先撤销不用的令牌",
                "an account may hold at most \(InputLimits.maxTokensPerUser) tokens; revoke one first")
        case .tokenNotFound: L("令牌不存在", "no such token")
        case .batchNotFound: L("批次不存在", "no such batch")
        case .batchExists: L("批次已存在", "the batch exists")
        case .badBatchCode: L("批次编码只能由字母、数字、-、_组成", "a batch code has letters, digits, - and _")
        case .noCatalogue: L("批次还没有报量品种清单", "the batch has no catalogue yet")
        case .catalogueInUse: L("批次已有历史采购量或报量数据，不能替换清单", "the batch has history or reports; its catalogue cannot be replaced")
        case .badWindow: L("填报时间安排不合理", "the reporting timeline is not consistent")
        case .badDate: L("时间格式应为 年-月-日 时:分", "times must be year-month-day hour:minute")
        case .batchLocked: L("本批次已锁定，不能再修改", "the batch is locked")
        case .notLocked: L("批次尚未锁定，请先锁定批次", "the batch is not locked; lock it first")
        case .institutionNotFound: L("机构不存在或无权访问", "no such institution in your scope")
        case .otherInstitution: L("文件中有其他机构的数据行", "the file has rows of another institution")
        case .badQuantity: L("数量须为整数", "the quantity must be a whole number")
        case .quantityTooLarge:
            L("数量超过上限\(InputLimits.maxQuantity)", "the quantity exceeds the limit of \(InputLimits.maxQuantity)")
        case .textTooLong:
            L("说明超过\(InputLimits.maxExplanationCharacters)字", "the text exceeds \(InputLimits.maxExplanationCharacters) characters")
        case .unknownSpec: L("规格不在本批次清单中", "the spec is not in the batch catalogue")
        case .unknownUnit: L("品种不在本批次清单中", "the unit is not in the batch catalogue")
        case .badProduct: L("厂牌产品不属于该规格", "the product is not of that spec")
        case .duplicateLine: L("规格重复填写", "a spec is entered twice")
        case .emptyUpload: L("文件中没有数据行，草稿未改动", "the file has no data rows; the draft is unchanged")
        case .reportNotEditable: L("报量已提交，不能修改", "the report is submitted and cannot be changed")
        case .windowNotOpen: L("填报尚未开始", "filling has not opened yet")
        case .windowClosed: L("填报已截止，不再接受数据补报", "filling has closed; no late data is accepted")
        case .reviewClosed: L("审核已截止", "review has closed")
        case .orderNotFound: L("订单不存在", "no such order")
        case .deliveryNotFound: L("配送单不存在", "no such delivery")
        case .agreementNotInForce: L("协议尚未生效或未确定配送企业，不能订购", "the agreement is not in force or has no distributor; it cannot be ordered under")
        case .orderOutsideCycle: L("不在协议年度或采购周期内", "outside the agreement year or the procurement cycle")
        case .orderState: L("订单当前状态不允许此操作", "the order's status does not allow this")
        case .shipTooMany: L("配送数量超过待配送数量", "more packs than are still to ship")
        case .acceptTooMany: L("验收与拒收之和应等于送达数量", "accepted and rejected packs must add up to the packs delivered")
        case .alreadyAccepted: L("该配送单已验收", "the delivery has been accepted")
        case .payTooMuch: L("付款金额超过未付金额", "the payment is larger than what is unpaid")
        case .badTraceCode: L("追溯码应为20位数字，且属于该产品", "a traceability code has 20 digits and belongs to the product")
        case .duplicateTraceCode: L("追溯码重复", "a traceability code seen before")
        case .ticketNotFound: L("供应问题工单不存在", "no such supply-problem ticket")
        case .ticketState: L("工单当前状态不允许此操作", "the ticket's status does not allow this")
        case .alreadyAnswered: L("本方已答复", "your party has answered")
        case .settlementNotFound: L("结算单不存在", "no such settlement run")
        case .settlementApproved: L("结算单已审核，不可更改；更正请在下期结算中进行", "the settlement is approved and cannot change; corrections go into a later run")
        case .prepaymentExists: L("该协议年度的预付金已拨付", "the prepayment of that agreement year has been paid")
        case .assessmentNotRun: L("该协议年度尚未考核", "that agreement year has not been assessed")
        case .assessmentApproved: L("该协议年度的考核结果已审定，不可更改", "that year's assessment is approved and cannot change")
        case .yearNotEnded: L("协议年度结束后才能考核", "a year is assessed after it ends")
        case .appealNotFound: L("申诉不存在", "no such appeal")
        case .appealClosed: L("申诉期已过或该项已在申诉中", "the appeal period has passed, or the item is already under appeal")
        case .appealsOpen: L("尚有未决申诉或申诉期未满，不能审定", "appeals are open or the appeal period has not passed: not approved")
        case .exemptionNotFound: L("豁免记录不存在", "no such exemption")
        case .leadNotFound: L("监管线索不存在", "no such lead")
        case .badPrice: L("价格应为大于0的元数，最多四位小数", "the price is yuan above 0 with at most four decimals")
        case .priceNotFound: L("该品种没有省级核定的采购前价格", "the unit has no pre-award price set by the province")
        case .wrongStatus: L("报量状态不允许此操作", "the report's status does not allow this")
        case .concurrentChange: L("报量刚被他人修改，请刷新后重试", "the report was changed meanwhile; reload and try again")
        case .nothingToSubmit: L("请先填写并保存报量", "fill in and save the report first")
        case .blockingFindings: L("还有问题须处理后才能提交", "findings must be resolved before submitting")
        case .reasonRequired: L("须填写原因", "a reason is required")
        case .badAction: L("未知的审核操作", "unknown review action")
        case .signerMissing: L("请填写签字人姓名", "enter the signer's name")
        case .signerTitle: L("签字人职务不符合要求", "the signer's title is not one the batch accepts")
        case .explanationFirst: L("请先填写并保存说明，再上传佐证材料", "save an explanation before attaching evidence")
        case .agreementNotDraft: L("协议已发出，不能再次发出", "the agreement has already been sent")
        case .agreementNotSent: L("协议尚未发出或已生效，不能签署", "the agreement is not awaiting signatures")
        case .agreementExpired: L("协议已到期", "the agreement has expired")
        case .agreementPartyMissing: L("协议缺少医疗机构、生产企业或配送企业", "the agreement lacks its institution, manufacturer or distributor")
        case .wrongParty: L("不是本协议的签署方", "not a party to this agreement")
        case .alreadySigned: L("本方已签署，不能重复签署", "this party has already signed")
        case .distributorLimit: L("配送企业数量已达上限", "the limit of distributors is reached")
        case .noAwardResults: L("尚未导入中选结果", "no winning results have been imported")
        case .awardNotComputed: L("尚未计算约定采购量", "the agreed volumes have not been computed")
        case .awardPublished: L("约定采购量已公布，只能逐项调整并说明理由", "the agreed volumes are published; change them one by one with a reason")
        case .awardNotPublished: L("约定采购量尚未公布", "the agreed volumes are not published yet")
        case .agreementNotFound: L("协议不存在或无权访问", "no such agreement in your scope")
        case .badCycle: L("执行起始日应早于采购周期截止日", "the execution start must come before the cycle end")
        case .figureOutOfRange:
            L(
                "采购数据超出可计算范围（单品种全批次合计不得超过\(InputLimits.maxTallyFigure)），请核对并重新导入有关月份",
                "the purchases exceed what can be computed (one unit's batch total stays below \(InputLimits.maxTallyFigure)); check and re-import the months concerned"
            )
        case .asOfOutsideCycle: L("监测截止日应在采购周期内", "the as-of day must fall inside the cycle")
        case .badPeriod: L("月份应为YYYY-MM，起始月份不晚于结束月份", "months are YYYY-MM, the first not after the last")
        case .badPolicy: L("约定采购量规则的取值无效", "a value of the award policy is not valid")
        case .notADistributor: L("该企业不是配送企业", "the firm is not a distributor")
        case .badReplacement:
            L("替换范围应为 months（整月）或 institutions（文件所含机构）", "what the file replaces must be months or institutions")
        case .priceByHand:
            L("含量比不是2的整数次幂，请按差比价规则人工核定", "the content ratio is not a power of two; price it by hand under the price-ratio rules")
        case .badAddedSpec: L("新增规格应与中选规格同品种、同含量单位", "the added spec must be of the winning spec's variety and content unit")
        case .badQuery: L("查询参数的取值无效", "a query parameter's value is not valid")
        case .notOnThisEngine: L("当前数据库不支持该操作", "the database in use does not support this operation")
        case .confirmationRequired:
            L("本次操作将自动解除较多预警，请确认后再执行", "this run would resolve many alerts by itself; confirm it to go on")
        case .alertNotFound: L("预警不存在或无权访问", "no such alert in your scope")
        case .alertNotOpen: L("该预警不是待处理状态", "the alert is not open")
        case .alertResolved: L("该预警已解除", "the alert is already resolved")
        case .noteRequired:
            L("请填写说明（不超过\(InputLimits.maxNoteCharacters)字）", "write a note or reason (at most \(InputLimits.maxNoteCharacters) characters)")
        case .notComputed: L("尚未进行执行监测计算", "monitoring has not been computed yet")
        case .fileMissing: L("请选择文件", "choose a file")
        case .fileNotFound: L("文件不存在或无权访问", "no such file in your scope")
        case .badFileType: L("文件类型不符合要求", "this type of file is not accepted here")
        case .badFileSize:
            L("文件为空或超过\(InputLimits.maxAttachmentBytes >> 20)MB", "the file is empty or larger than \(InputLimits.maxAttachmentBytes >> 20) MB")
        case .badFileContent: L("文件内容与类型不符", "the file's content does not match its type")
        case .formIncomplete: L("请填写全部字段并选择文件", "fill in every field and choose the file")
        case .importFailed: L("导入失败，未写入任何数据", "the import failed; nothing was written")
        case .badRegion: L("region 应为2、4或6位区划代码前缀", "region must be a 2, 4 or 6-digit division code prefix")
        case .unknownKind: L("未知的数据类型", "unknown kind of data")
        case .unknownExport: L("未知的导出", "unknown export")
        case .badTime: L("时间格式应为2025-12-30T12:00（北京时间）", "time must look like 2025-12-30T12:00 (Beijing time)")
        case .badOutputFormat: L("输出文件应为.csv、.xlsx或.json", "the output must be .csv, .xlsx or .json")
        case .batchRequired: L("请用 --batch 指定批次编码", "name the batch with --batch")
        case .demoExists: L("演示批次已存在", "the demo batch already exists")
        case .badOption: L("命令行选项缺失或取值无效", "a command-line option is missing or does not read")
        case .accountExists: L("账号已存在", "the account exists")
        case .badRequest: L("请求格式错误，请检查填写的内容", "the request is malformed; check what was entered")
        case .notFound: L("页面或资源不存在", "not found")
        case .tooLarge: L("请求或文件过大", "the request or file is too large")
        case .requestTimeout: L("请求超时", "the request took too long to arrive")
        case .busy:
            L(
                "服务器正在处理其他上传文件，请\(InputLimits.maxParseWaitSeconds)秒后重试",
                "the server is busy parsing other uploads; try again in \(InputLimits.maxParseWaitSeconds) seconds")
        case .refused: L("请求被拒绝", "request refused")
        case .internalError: L("服务器内部错误，请稍后重试", "internal error; please try again later")
        }
    }

    /// The password rule of the default `LoginPolicy`, as the change-password page states it.
    public static var passwordRule: LocalizedText {
        let minimum = LoginPolicy().minimumLength
        return L("密码至少\(minimum)位，须同时包含字母和数字", "at least \(minimum) characters, with letters and digits")
    }
}

/// A refusal: its code and the message for this case.
public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: RefusalCode
    public var message: LocalizedText

    public init(_ code: RefusalCode, message: LocalizedText? = nil) {
        self.code = code
        self.message = message ?? code.message
    }

    public init(_ code: RefusalCode, zh: String, en: String) {
        self.init(code, message: LocalizedText(zh: zh, en: en))
    }

    public var kind: RefusalKind { code.kind }
    public var description: String { "\(code.rawValue): \(message.zh) / \(message.en)" }
}

private func L(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }
