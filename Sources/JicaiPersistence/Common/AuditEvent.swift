import Foundation
import JicaiCore

/// Every kind of change the audit log records: one case each, with the entity and action names the log stores (they
/// are stable: the log page filters on them and older entries keep them). A new change gets a case here, not a
/// string at its call site.
public enum AuditEvent: Sendable, Hashable {
    // Reporting (报): an institution's report, the batch, its imports and checks.
    case report(ReportAction)
    case reportLetter, reportEvidence, reportCorrection
    case batchCreate, batchWindow, batchLock, batchUnlock, batchSealedFile, batchExport
    case findingsCheck
    case regionsImport, organisationsImport, catalogueImport, productsImport, historyImport, demandImport
    // The award (采): results, policy, volumes, agreements, distributors, listing prices.
    case resultsImport, resultsCorrection, awardPolicy
    case volumesCompute, volumesPublish, volumeAdjust
    case agreementsRenew, agreementsSend, agreementSign
    case distributorAdd, distributorRemove, distributorsImport, listingsImport
    // Monitoring (用).
    case purchasesImport, purchasesDetach, usageImport, monitorRecompute, supplyProblemCreate
    case alertAcknowledge, alertResolve, cityReportSave, cityReportSubmit
    // Supply (供): orders, deliveries, invoices and payments.
    case orderPlace, orderConfirm, orderWithdraw, orderClose, deliveryShip, deliveryAccept, invoiceRecord, paymentRecord
    case codesCapture, productPartsRegister, ticketFile, ticketAnswer, ticketVerify, ticketDismiss, prepaymentPay, prepaymentRecover, settlementRun,
        settlementApprove
    // Assessment (管): exemptions, the disease-group list, runs and approval, appeals.
    case exemptionAdd, exemptionRemove, priceSet, priceRemove, diseaseGroupSet, assessmentRun, assessmentApprove, appealFile, appealReview,
        appealDecide, leadUpdate
    // Accounts.
    case login, loginRefused, loginFailed, passwordChangeFailed, accountLocked
    case passwordChange, passwordReset, credentialsDownload, accountsCreate, accountCreate, accountsImport, accountEnable, accountDisable
    case tokenIssue, tokenRevoke

    /// The entity column.
    public var entity: String {
        switch self {
        case .report, .reportLetter, .reportEvidence, .reportCorrection: "report"
        case .batchCreate, .batchWindow, .batchLock, .batchUnlock, .batchSealedFile, .batchExport: "batch"
        case .findingsCheck: "findings"
        case .regionsImport: "regions"
        case .organisationsImport: "organisations"
        case .catalogueImport: "catalogue"
        case .productsImport: "products"
        case .historyImport: "history"
        case .demandImport: "demand"
        case .resultsImport, .resultsCorrection: "award-results"
        case .awardPolicy: "award"
        case .volumesCompute, .volumesPublish, .volumeAdjust: "agreed-volume"
        case .agreementsRenew, .agreementsSend, .agreementSign: "agreement"
        case .distributorAdd, .distributorRemove, .distributorsImport: "distributor"
        case .listingsImport: "listings"
        case .purchasesImport, .purchasesDetach: "purchases"
        case .usageImport: "usage"
        case .monitorRecompute: "monitor"
        case .supplyProblemCreate: "supply_problem"
        case .alertAcknowledge, .alertResolve: "alert"
        case .cityReportSave, .cityReportSubmit: "city_report"
        case .orderPlace, .orderConfirm, .orderWithdraw, .orderClose: "order"
        case .deliveryShip, .deliveryAccept: "delivery"
        case .invoiceRecord, .paymentRecord: "payment"
        case .ticketFile, .ticketAnswer, .ticketVerify, .ticketDismiss: "supply_ticket"
        case .codesCapture, .productPartsRegister: "trace_codes"
        case .prepaymentPay, .prepaymentRecover: "prepayment"
        case .settlementRun, .settlementApprove: "settlement"
        case .exemptionAdd, .exemptionRemove: "exemption"
        case .priceSet, .priceRemove: "pre_award_price"
        case .diseaseGroupSet: "disease_group"
        case .assessmentRun, .assessmentApprove: "assessment"
        case .appealFile, .appealReview, .appealDecide: "appeal"
        case .leadUpdate: "lead"
        default: "user"
        }
    }

    /// The action column.
    public var action: String {
        switch self {
        case .report(let action): action.rawValue
        case .reportLetter: "letter"
        case .reportEvidence: "evidence"
        case .reportCorrection, .resultsCorrection: "correct"
        case .batchCreate, .supplyProblemCreate, .accountCreate: "create"
        case .batchWindow: "window"
        case .batchLock: "lock"
        case .batchUnlock: "unlock"
        case .batchSealedFile: "sealed"
        case .batchExport: "export"
        case .findingsCheck: "check"
        case .regionsImport, .organisationsImport, .catalogueImport, .productsImport, .historyImport, .demandImport, .resultsImport,
            .distributorsImport, .listingsImport, .purchasesImport, .usageImport, .accountsImport:
            "import"
        case .awardPolicy: "policy"
        case .volumesCompute: "compute"
        case .volumesPublish: "publish"
        case .volumeAdjust: "adjust"
        case .agreementsRenew: "renew"
        case .agreementsSend: "send"
        case .agreementSign: "sign"
        case .distributorAdd: "add"
        case .distributorRemove: "remove"
        case .purchasesDetach: "detach"
        case .monitorRecompute: "recompute"
        case .alertAcknowledge: "acknowledge"
        case .alertResolve: "resolve"
        case .cityReportSave: "save"
        case .cityReportSubmit: "submit"
        case .orderPlace: "place"
        case .orderConfirm: "confirm"
        case .orderWithdraw: "withdraw"
        case .orderClose: "close"
        case .deliveryShip: "ship"
        case .deliveryAccept: "accept"
        case .invoiceRecord: "invoice"
        case .paymentRecord, .prepaymentPay: "pay"
        case .ticketFile: "file"
        case .codesCapture: "capture"
        case .productPartsRegister: "register"
        case .ticketAnswer: "answer"
        case .ticketVerify: "verify"
        case .ticketDismiss: "dismiss"
        case .prepaymentRecover: "recover"
        case .settlementRun, .assessmentRun: "run"
        case .settlementApprove, .assessmentApprove: "approve"
        case .exemptionAdd: "add"
        case .exemptionRemove, .priceRemove: "remove"
        case .priceSet: "set"
        case .diseaseGroupSet: "set"
        case .appealFile: "file"
        case .appealReview: "review"
        case .appealDecide: "decide"
        case .leadUpdate: "update"
        case .login: "login"
        case .loginRefused: "login-refused"
        case .loginFailed: "login-failed"
        case .passwordChangeFailed: "change-password-failed"
        case .accountLocked: "locked"
        case .passwordChange: "change-password"
        case .passwordReset: "reset-password"
        case .credentialsDownload: "credentials"
        case .accountsCreate: "create-accounts"
        case .accountEnable: "enable"
        case .accountDisable: "disable"
        case .tokenIssue: "token"
        case .tokenRevoke: "revoke-token"
        }
    }
}

extension AuditEvent {
    /// Every kind of event (a report's for each of its actions): what the pages must be able to name. The audit
    /// tests' exhaustive switch fails to compile when a case is added, so this list is checked there too.
    public static let every: [AuditEvent] =
        ReportAction.allCases.map(AuditEvent.report) + [
            .reportLetter, .reportEvidence, .reportCorrection, .batchCreate, .batchWindow, .batchLock, .batchUnlock, .batchSealedFile,
            .batchExport, .findingsCheck, .regionsImport, .organisationsImport, .catalogueImport, .productsImport, .historyImport,
            .demandImport, .resultsImport, .resultsCorrection, .awardPolicy, .volumesCompute, .volumesPublish, .volumeAdjust,
            .agreementsRenew, .agreementsSend, .agreementSign, .distributorAdd, .distributorRemove, .distributorsImport, .listingsImport,
            .purchasesImport, .purchasesDetach, .usageImport, .monitorRecompute, .supplyProblemCreate, .alertAcknowledge, .alertResolve,
            .cityReportSave, .cityReportSubmit, .orderPlace, .orderConfirm, .orderWithdraw, .orderClose, .deliveryShip, .deliveryAccept,
            .invoiceRecord, .paymentRecord, .codesCapture, .productPartsRegister, .ticketFile, .ticketAnswer, .ticketVerify, .ticketDismiss,
            .prepaymentPay,
            .prepaymentRecover,
            .settlementRun, .settlementApprove, .exemptionAdd, .exemptionRemove, .priceSet, .priceRemove, .diseaseGroupSet, .assessmentRun,
            .assessmentApprove,
            .appealFile, .appealReview, .appealDecide, .leadUpdate, .login, .loginRefused, .loginFailed, .passwordChangeFailed, .accountLocked,
            .passwordChange,
            .passwordReset, .credentialsDownload, .accountsCreate, .accountCreate, .accountsImport, .accountEnable, .accountDisable,
            .tokenIssue, .tokenRevoke,
        ]
}
