import Foundation
import Vapor

/// Every path of the site, pages and API, in one type: routes are registered from it (`pattern`) and every `href`,
/// form `action`, redirect and OpenAPI path is built from it (`path`, `openAPIPath`). No other file of the web layer
/// spells a path. Values in a path (batch and institution codes, ids) are percent-encoded into their segment.
enum SiteURL: Hashable, Sendable {
    case home
    case health
    case status
    case metrics
    case openAPI
    case asset(Asset)
    case language(LanguageKey)
    case login
    case logout
    case password
    case tokens
    case revokeToken(TokenKey)
    case file(FileKey)
    case audit
    case batch(BatchKey, BatchPage)
    case admin(AdminPage)
    case api(APIPath)
    case legacyAPI(LegacyAPIPath)

    enum Asset: String, CaseIterable, Sendable {
        case css = "app.css"
        case js = "app.js"
    }

    /// The pages of one batch.
    enum BatchPage: Hashable, Sendable {
        /// The batch home: the five stages and what each role may open.
        case home
        case review
        case reviewXLSX
        case progress
        case lock
        case unlock
        case summaryXLSX
        case summaryPrint
        case sealed
        case report(InstitutionKey, ReportPage)
        /// The award stage (采): the overview, its actions and lists, one agreement.
        case award(AwardPage)
        case agreement(AgreementKey, AgreementPage)
        /// The monitoring stage (用): dashboards, alerts, reports, imports.
        case monitor(MonitorPage)
        case supply(SupplyPage)
        case order(OrderKey, OrderPage)
        case delivery(DeliveryKey, DeliveryPage)
        case ticket(TicketKey, TicketPage)
        case settlement(SettlementKey, SettlementPage)
        /// The assessment stage (管): a year's results, the province's inputs and actions, the sheets and appeals.
        case assessment(AssessmentPage)
    }

    /// The assessment stage's pages and actions under `/batches/{batch}/assessment`; the year (and the institution of
    /// a sheet) are in the query.
    enum AssessmentPage: String, CaseIterable, Sendable {
        case overview = ""
        case run
        case exemptions
        case removeExemption = "exemptions/remove"
        case prices
        case removePrice = "prices/remove"
        case diseaseGroups = "disease-groups"
        case approve
        case sheet
        case appeal = "appeals"
        case review = "appeals/review"
        case decide = "appeals/decide"
        case resultsXLSX = "results.xlsx"
        case paymentsXLSX = "payments.xlsx"
        /// A supervision lead's case moved on (POST).
        case lead = "leads"
        /// The what-if during execution (GET; institution, unit and quantity in the query).
        case simulate
        /// The year's report of the province or a city, to print (GET; year and city in the query).
        case report
    }

    /// The monitoring stage's pages and actions under `/batches/{batch}/monitor`. The dashboard's level (region,
    /// institution, unit, rows) is in its query.
    enum MonitorPage: String, CaseIterable, Sendable {
        case dashboard = ""
        case dashboardXLSX = "dashboard.xlsx"
        case alerts
        case acknowledge = "alerts/acknowledge"
        case resolve = "alerts/resolve"
        case bulkAlerts = "alerts/bulk"
        case recompute
        case purchases
        case report
        case reportXLSX = "report.xlsx"
        case review
        case usage
        case cityReport = "city-report"
        case cityReportSave = "city-report/save"
        case addProblem = "supply-problems"
    }

    /// The award stage's pages and actions under `/batches/{batch}/award`.
    enum AwardPage: String, CaseIterable, Sendable {
        case overview = ""
        case results
        case compute
        case publish
        case send
        case distributors
        case removeDistributor = "distributors/remove"
        case volumes
        case volumesXLSX = "volumes.xlsx"
        case gaps
        case gapsXLSX = "gaps.xlsx"
        case policy
        case agreements
        case signAll = "agreements/sign-all"
        case ocds = "ocds.json"
        case prices
        case listings
        case renew
        case adjust
    }

    /// One agreement's printable page and its signature.
    enum AgreementPage: String, CaseIterable, Sendable {
        case view = ""
        case sign
    }

    /// The institution's form and the actions on it.
    enum ReportPage: String, CaseIterable, Sendable {
        case form = ""
        case save
        case letter
        case evidence
        case submit
        case formXLSX = "form.xlsx"
        case upload
        case review
        case correct
        case audit
    }

    /// The supply stage (供): the orders of the user's scope, a new order, the payables.
    enum SupplyPage: String, CaseIterable, Sendable {
        case orders = ""
        case new
        case place = "orders"
        case payables
        /// The tickets inbox (GET) and filing a ticket (POST).
        case tickets
        case credit
        /// The settlement runs (GET) and running one (POST).
        case settlements
        case prepayments
        case payPrepayment = "prepayments/pay"
        case recoverPrepayment = "prepayments/recover"
        /// Codes settled twice (GET) and recording settled codes (POST).
        case traceCodes = "trace-codes"
        /// Files from hospital and distributor systems (POST): orders, invoices or payments, settled codes.
        case importOrders = "orders/import"
        case importMoney = "payables/import"
        case importCodes = "trace-codes/import"
        /// The product parts of traceability codes (GET), a manufacturer registering one product's (POST).
        case productParts = "product-parts"
    }

    /// One supply-problem ticket: read it, a firm's answer, the bureau's decision.
    enum TicketPage: String, CaseIterable, Sendable {
        case view = ""
        case answer
        case decide
    }

    /// One settlement run: its statement, its approval, its workbook.
    enum SettlementPage: String, CaseIterable, Sendable {
        case view = ""
        case approve
        case xlsx = "statement.xlsx"
    }

    /// One order: read it, and what its parties do to it.
    enum OrderPage: String, CaseIterable, Sendable {
        case view = ""
        case confirm
        case withdraw
        case close
        case ship
    }

    /// One delivery: its acceptance, invoices and payments, its traceability codes.
    enum DeliveryPage: String, CaseIterable, Sendable {
        case accept
        case invoice
        case pay
        case codes
    }

    enum AdminPage: Hashable, Sendable {
        case batches
        case batchWindow(BatchKey)
        case batchHistory(BatchKey)
        case institutions
        case job(JobKey)
        case jobCredentials(JobKey)
        case accounts
        case accountsImport
        case accountsCreateMissing
        case account(UserKey, AccountAction)
    }

    enum AccountAction: String, CaseIterable, Sendable {
        case reset
        case enable
        case disable
    }

    /// `/api/v1`: the JSON API described by `/openapi.json`.
    enum APIPath: Hashable, Sendable {
        case me
        case tokens
        case token(TokenKey)
        case report(BatchKey, InstitutionKey, APIReportPath)
        case lock(BatchKey)
        case statuses(BatchKey)
        case award(BatchKey)
        case awardVolumes(BatchKey)
        case awardGaps(BatchKey)
        case awardAgreements(BatchKey)
        case awardPrices(BatchKey)
        case awardAction(BatchKey, APIAwardAction)
        case signAgreement(BatchKey, AgreementKey)
        /// Monitoring (用): the dashboard's figures, the alerts and their life, the recompute, verified supply problems.
        case monitor(BatchKey)
        case monitorAlerts(BatchKey)
        case monitorAlert(BatchKey, AlertIDKey, APIAlertAction)
        case monitorRecompute(BatchKey)
        case monitorProblems(BatchKey)
        /// Supply (供): orders, one order and its parties' actions, deliveries' acceptance and money, codes, payables.
        case supplyOrders(BatchKey)
        case supplyOrder(BatchKey, OrderKey)
        case supplyOrderAction(BatchKey, OrderKey, APIOrderAction)
        case supplyDeliveryAction(BatchKey, DeliveryKey, APIDeliveryAction)
        case supplyCodes(BatchKey, DeliveryKey)
        case supplyPayables(BatchKey)
        case supplyTickets(BatchKey)
        case supplyTicket(BatchKey, TicketKey)
        case supplyTicketAction(BatchKey, TicketKey, APITicketAction)
        case supplySettlements(BatchKey)
        case supplySettlement(BatchKey, SettlementKey)
        case supplyApproveSettlement(BatchKey, SettlementKey)
        case supplyPrepayments(BatchKey)
        case supplyPrepaymentAction(BatchKey, APIPrepaymentAction)
        case supplyCredit(BatchKey)
        case supplyTraceCodes(BatchKey)
        case supplyProductParts(BatchKey)
        /// Assessment (管): a year's results, an institution's sheet, the province's run and approval, appeals.
        case assessment(BatchKey)
        case assessmentSheet(BatchKey, InstitutionKey)
        case assessmentAction(BatchKey, APIAssessmentAction)
        case assessmentAppeals(BatchKey)
        case assessmentAppeal(BatchKey, AppealKey, APIAppealAction)
        case assessmentLeads(BatchKey)
        case assessmentReport(BatchKey)
        case assessmentLead(BatchKey, LeadKey)
    }

    /// The province's actions on a year's assessment over the API.
    enum APIAssessmentAction: String, CaseIterable, Sendable {
        case run, approve
    }

    /// The city's opinion and the province's decision on an appeal over the API.
    enum APIAppealAction: String, CaseIterable, Sendable {
        case review, decide
    }

    /// What a party does to a supply-problem ticket over the API.
    enum APITicketAction: String, CaseIterable, Sendable {
        case answer, decide
    }

    /// The province's prepayment actions over the API.
    enum APIPrepaymentAction: String, CaseIterable, Sendable {
        case pay, recover
    }

    /// What a party does to one order over the API.
    enum APIOrderAction: String, CaseIterable, Sendable {
        case confirm, withdraw, close, ship
    }

    /// What a party does to one delivery over the API.
    enum APIDeliveryAction: String, CaseIterable, Sendable {
        case accept, invoice, pay
    }

    /// What a caller does to one alert over the API.
    enum APIAlertAction: String, CaseIterable, Sendable {
        case acknowledge, resolve
    }

    /// The province's award actions over the API.
    enum APIAwardAction: String, CaseIterable, Sendable {
        case compute, publish, send, renew, adjust, policy
        case signAll = "sign-all"
    }

    enum APIReportPath: String, CaseIterable, Sendable {
        case report = ""
        case check
        case whatIf = "what-if"
        case letter
        case evidence
        case correct
        case submit
        case review
        case audit
    }

    /// `/api`: the province's read-only machine API (a static bearer token).
    enum LegacyAPIPath: Hashable, Sendable {
        case batches
        case cities(BatchKey)
        case institutions(BatchKey)
        case findings(BatchKey)
    }

    /// One segment of a path: fixed text, or a value with the name it is registered under.
    enum Segment: Hashable, Sendable {
        case literal(String)
        case value(name: String, text: String)
    }

    var segments: [Segment] {
        switch self {
        case .home: []
        case .health: [.literal("health")]
        case .status: [.literal("status")]
        case .metrics: [.literal("metrics")]
        case .openAPI: [.literal("openapi.json")]
        case .asset(let asset): [.literal("static"), .literal(asset.rawValue)]
        case .language(let key): [.literal("lang"), key.segment]
        case .login: [.literal("login")]
        case .logout: [.literal("logout")]
        case .password: [.literal("password")]
        case .tokens: [.literal("tokens")]
        case .revokeToken(let key): [.literal("tokens"), key.segment, .literal("revoke")]
        case .file(let key): [.literal("files"), key.segment]
        case .audit: [.literal("audit")]
        case .batch(let batch, let page): [.literal("batches"), batch.segment] + page.segments
        case .admin(let page): [.literal("admin")] + page.segments
        case .api(let path): [.literal("api"), .literal("v1")] + path.segments
        case .legacyAPI(let path): [.literal("api")] + path.segments
        }
    }

    /// The path to put in a link, form or redirect.
    var path: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .value(_, let text): SiteURL.encode(text)
                }
            }.joined(separator: "/")
    }

    /// The path with a query (`?key=value&…`, values percent-encoded, in the order given).
    func path(query: KeyValuePairs<String, String>) -> String {
        let items = query.map { "\(SiteURL.encodeQuery($0.key))=\(SiteURL.encodeQuery($0.value))" }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// The route pattern Vapor registers (`batches/:batch/review`).
    var pattern: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .literal(let text): .constant(text)
            case .value(let name, _): .parameter(name)
            }
        }
    }

    /// The path as the OpenAPI document writes it (`/api/v1/batches/{batch}/lock`).
    var openAPIPath: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .literal(let text): text
                case .value(let name, _): "{\(name)}"
                }
            }.joined(separator: "/")
    }

    /// Where the JSON API's paths begin (bearer tokens are read only there).
    static let apiPrefix = "/api/v1/"

    /// Everything but unreserved characters is percent-encoded, so a value can never leave its segment or its header.
    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func encodeQuery(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}

extension SiteURL.BatchPage {
    var segments: [SiteURL.Segment] {
        switch self {
        case .home: []
        case .review: [.literal("review")]
        case .reviewXLSX: [.literal("review.xlsx")]
        case .progress: [.literal("progress")]
        case .lock: [.literal("lock")]
        case .unlock: [.literal("unlock")]
        case .summaryXLSX: [.literal("summary.xlsx")]
        case .summaryPrint: [.literal("summary"), .literal("print")]
        case .sealed: [.literal("sealed")]
        case .report(let institution, let page):
            [.literal("report"), institution.segment] + (page == .form ? [] : [.literal(page.rawValue)])
        case .award(let page):
            [.literal("award")] + page.rawValue.split(separator: "/").map { .literal(String($0)) }
        case .agreement(let agreement, let page):
            [.literal("award"), .literal("agreements"), agreement.segment] + (page == .view ? [] : [.literal(page.rawValue)])
        case .monitor(let page):
            [.literal("monitor")] + page.rawValue.split(separator: "/").map { .literal(String($0)) }
        case .supply(let page): [.literal("supply")] + page.rawValue.split(separator: "/").map { .literal(String($0)) }
        case .ticket(let ticket, let page):
            [.literal("supply"), .literal("tickets"), ticket.segment] + (page == .view ? [] : [.literal(page.rawValue)])
        case .settlement(let run, let page):
            [.literal("supply"), .literal("settlements"), run.segment] + (page == .view ? [] : [.literal(page.rawValue)])
        case .order(let order, let page):
            [.literal("supply"), .literal("orders"), order.segment] + (page == .view ? [] : [.literal(page.rawValue)])
        case .delivery(let delivery, let page): [.literal("supply"), .literal("deliveries"), delivery.segment, .literal(page.rawValue)]
        case .assessment(let page): [.literal("assessment")] + page.rawValue.split(separator: "/").map { .literal(String($0)) }
        }
    }
}

extension SiteURL.AdminPage {
    var segments: [SiteURL.Segment] {
        switch self {
        case .batches: [.literal("batches")]
        case .batchWindow(let batch): [.literal("batches"), batch.segment, .literal("window")]
        case .batchHistory(let batch): [.literal("batches"), batch.segment, .literal("history")]
        case .institutions: [.literal("institutions")]
        case .job(let job): [.literal("jobs"), job.segment]
        case .jobCredentials(let job): [.literal("jobs"), job.segment, .literal("credentials.csv")]
        case .accounts: [.literal("accounts")]
        case .accountsImport: [.literal("accounts"), .literal("import")]
        case .accountsCreateMissing: [.literal("accounts"), .literal("create-missing")]
        case .account(let user, let action): [.literal("accounts"), user.segment, .literal(action.rawValue)]
        }
    }
}

extension SiteURL.APIPath {
    var segments: [SiteURL.Segment] {
        switch self {
        case .me: [.literal("me")]
        case .tokens: [.literal("tokens")]
        case .token(let token): [.literal("tokens"), token.segment]
        case .report(let batch, let institution, let path):
            [.literal("batches"), batch.segment, .literal("reports"), institution.segment]
                + (path == .report ? [] : [.literal(path.rawValue)])
        case .lock(let batch): [.literal("batches"), batch.segment, .literal("lock")]
        case .statuses(let batch): [.literal("batches"), batch.segment, .literal("statuses")]
        case .award(let batch): [.literal("batches"), batch.segment, .literal("award")]
        case .awardVolumes(let batch): [.literal("batches"), batch.segment, .literal("award"), .literal("volumes")]
        case .awardGaps(let batch): [.literal("batches"), batch.segment, .literal("award"), .literal("gaps")]
        case .awardAgreements(let batch): [.literal("batches"), batch.segment, .literal("award"), .literal("agreements")]
        case .awardPrices(let batch): [.literal("batches"), batch.segment, .literal("award"), .literal("prices")]
        case .awardAction(let batch, let action): [.literal("batches"), batch.segment, .literal("award"), .literal(action.rawValue)]
        case .signAgreement(let batch, let agreement):
            [.literal("batches"), batch.segment, .literal("award"), .literal("agreements"), agreement.segment, .literal("sign")]
        case .monitor(let batch): [.literal("batches"), batch.segment, .literal("monitor")]
        case .monitorAlerts(let batch): [.literal("batches"), batch.segment, .literal("monitor"), .literal("alerts")]
        case .monitorAlert(let batch, let alert, let action):
            [.literal("batches"), batch.segment, .literal("monitor"), .literal("alerts"), alert.segment, .literal(action.rawValue)]
        case .monitorRecompute(let batch): [.literal("batches"), batch.segment, .literal("monitor"), .literal("recompute")]
        case .monitorProblems(let batch): [.literal("batches"), batch.segment, .literal("monitor"), .literal("supply-problems")]
        case .supplyOrders(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("orders")]
        case .supplyOrder(let batch, let order): [.literal("batches"), batch.segment, .literal("supply"), .literal("orders"), order.segment]
        case .supplyOrderAction(let batch, let order, let action):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("orders"), order.segment, .literal(action.rawValue)]
        case .supplyDeliveryAction(let batch, let delivery, let action):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("deliveries"), delivery.segment, .literal(action.rawValue)]
        case .supplyCodes(let batch, let delivery):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("deliveries"), delivery.segment, .literal("codes")]
        case .supplyPayables(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("payables")]
        case .supplyTickets(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("tickets")]
        case .supplyTicket(let batch, let ticket): [.literal("batches"), batch.segment, .literal("supply"), .literal("tickets"), ticket.segment]
        case .supplyTicketAction(let batch, let ticket, let action):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("tickets"), ticket.segment, .literal(action.rawValue)]
        case .supplySettlements(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("settlements")]
        case .supplySettlement(let batch, let run): [.literal("batches"), batch.segment, .literal("supply"), .literal("settlements"), run.segment]
        case .assessment(let batch): [.literal("batches"), batch.segment, .literal("assessment")]
        case .assessmentSheet(let batch, let institution):
            [.literal("batches"), batch.segment, .literal("assessment"), .literal("institutions"), institution.segment]
        case .assessmentAction(let batch, let action): [.literal("batches"), batch.segment, .literal("assessment"), .literal(action.rawValue)]
        case .assessmentAppeals(let batch): [.literal("batches"), batch.segment, .literal("assessment"), .literal("appeals")]
        case .assessmentAppeal(let batch, let appeal, let action):
            [.literal("batches"), batch.segment, .literal("assessment"), .literal("appeals"), appeal.segment, .literal(action.rawValue)]
        case .assessmentLeads(let batch): [.literal("batches"), batch.segment, .literal("assessment"), .literal("leads")]
        case .assessmentReport(let batch): [.literal("batches"), batch.segment, .literal("assessment"), .literal("report")]
        case .assessmentLead(let batch, let lead): [.literal("batches"), batch.segment, .literal("assessment"), .literal("leads"), lead.segment]
        case .supplyApproveSettlement(let batch, let run):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("settlements"), run.segment, .literal("approve")]
        case .supplyPrepayments(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("prepayments")]
        case .supplyPrepaymentAction(let batch, let action):
            [.literal("batches"), batch.segment, .literal("supply"), .literal("prepayments"), .literal(action.rawValue)]
        case .supplyCredit(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("credit")]
        case .supplyTraceCodes(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("trace-codes")]
        case .supplyProductParts(let batch): [.literal("batches"), batch.segment, .literal("supply"), .literal("product-parts")]
        }
    }
}

extension SiteURL.LegacyAPIPath {
    var segments: [SiteURL.Segment] {
        switch self {
        case .batches: [.literal("batches")]
        case .cities(let batch): [.literal("batches"), batch.segment, .literal("cities")]
        case .institutions(let batch): [.literal("batches"), batch.segment, .literal("institutions")]
        case .findings(let batch): [.literal("batches"), batch.segment, .literal("findings")]
        }
    }
}

extension SiteURL {
    /// One value of every case, for the test that checks each path is registered and reads back to its values.
    static func examples(
        batch: BatchKey, institution: InstitutionKey, file: FileKey, job: JobKey, token: TokenKey,
        user: UserKey, agreement: AgreementKey = AgreementKey(7)
    ) -> [SiteURL] {
        let fixed: [SiteURL] = [
            .home, .health, .status, .metrics, .openAPI, .login, .logout, .password, .tokens,
            .revokeToken(token), .file(file), .audit, .language(LanguageKey("en")),
        ]
        let assets = Asset.allCases.map { SiteURL.asset($0) }
        let batchPages: [BatchPage] =
            [.home, .review, .reviewXLSX, .progress, .lock, .unlock, .summaryXLSX, .summaryPrint, .sealed]
            + ReportPage.allCases.map { .report(institution, $0) } + AwardPage.allCases.map { .award($0) }
            + AgreementPage.allCases.map { .agreement(agreement, $0) } + MonitorPage.allCases.map { .monitor($0) }
            + SupplyPage.allCases.map { .supply($0) } + OrderPage.allCases.map { .order(OrderKey(3), $0) }
            + DeliveryPage.allCases.map { .delivery(DeliveryKey(4), $0) } + TicketPage.allCases.map { .ticket(TicketKey(5), $0) }
            + SettlementPage.allCases.map { .settlement(SettlementKey(6), $0) } + AssessmentPage.allCases.map { .assessment($0) }
        let admin: [AdminPage] =
            [
                .batches, .batchWindow(batch), .batchHistory(batch), .institutions, .job(job), .jobCredentials(job),
                .accounts, .accountsImport, .accountsCreateMissing,
            ] + AccountAction.allCases.map { .account(user, $0) }
        let api: [APIPath] =
            [
                .me, .tokens, .token(token), .lock(batch), .statuses(batch), .award(batch), .awardVolumes(batch), .awardGaps(batch),
                .awardAgreements(batch),
                .awardPrices(batch),
                .signAgreement(batch, agreement), .monitor(batch), .monitorAlerts(batch), .monitorRecompute(batch), .monitorProblems(batch),
            ]
            + APIReportPath.allCases.map { .report(batch, institution, $0) } + APIAwardAction.allCases.map { .awardAction(batch, $0) }
            + APIAlertAction.allCases.map { .monitorAlert(batch, AlertIDKey(9), $0) }
            + [.supplyOrders(batch), .supplyOrder(batch, OrderKey(3)), .supplyCodes(batch, DeliveryKey(4)), .supplyPayables(batch)]
            + APIOrderAction.allCases.map { .supplyOrderAction(batch, OrderKey(3), $0) }
            + APIDeliveryAction.allCases.map { .supplyDeliveryAction(batch, DeliveryKey(4), $0) }
            + [
                .supplyTickets(batch), .supplyTicket(batch, TicketKey(5)), .supplySettlements(batch), .supplySettlement(batch, SettlementKey(6)),
                .supplyApproveSettlement(batch, SettlementKey(6)), .supplyPrepayments(batch), .supplyCredit(batch), .supplyTraceCodes(batch),
                .supplyProductParts(batch),
            ] + APITicketAction.allCases.map { .supplyTicketAction(batch, TicketKey(5), $0) }
            + APIPrepaymentAction.allCases.map { .supplyPrepaymentAction(batch, $0) }
            + [
                .assessment(batch), .assessmentSheet(batch, institution), .assessmentAppeals(batch), .assessmentLeads(batch),
                .assessmentLead(batch, LeadKey(10)), .assessmentReport(batch),
            ]
            + APIAssessmentAction.allCases.map { .assessmentAction(batch, $0) }
            + APIAppealAction.allCases.map { .assessmentAppeal(batch, AppealKey(8), $0) }
        let legacy: [LegacyAPIPath] = [.batches, .cities(batch), .institutions(batch), .findings(batch)]
        return fixed + assets + batchPages.map { .batch(batch, $0) } + admin.map { .admin($0) } + api.map { .api($0) }
            + legacy.map { .legacyAPI($0) }
    }
}
