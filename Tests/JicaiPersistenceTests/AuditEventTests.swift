import Foundation
import JicaiCore
import JicaiPersistence
import Testing

/// The audit log's registry of changes: each case stores a name pair of its own, and the names older entries
/// carry do not change.
@Suite("Audit events")
struct AuditEventTests {
    /// Every case; `exhaustive` does not compile when a case is added without being listed in `AuditEvent.every`.
    static let all: [AuditEvent] = AuditEvent.every

    static func exhaustive(_ event: AuditEvent) {
        switch event {
        case .report, .reportLetter, .reportEvidence, .reportCorrection, .batchCreate, .batchWindow, .batchLock, .batchUnlock,
            .batchSealedFile, .batchExport, .findingsCheck, .regionsImport, .organisationsImport, .catalogueImport, .productsImport,
            .historyImport, .demandImport, .resultsImport, .resultsCorrection, .awardPolicy, .volumesCompute, .volumesPublish,
            .volumeAdjust, .agreementsRenew, .agreementsSend, .agreementSign, .distributorAdd, .distributorRemove, .distributorsImport,
            .listingsImport, .purchasesImport, .purchasesDetach, .usageImport, .monitorRecompute, .supplyProblemCreate, .alertAcknowledge,
            .alertResolve, .cityReportSave, .cityReportSubmit, .orderPlace, .orderConfirm, .orderWithdraw, .orderClose, .deliveryShip,
            .deliveryAccept, .invoiceRecord, .paymentRecord, .codesCapture, .productPartsRegister, .ticketFile, .ticketAnswer, .ticketVerify,
            .ticketDismiss, .prepaymentPay,
            .prepaymentRecover, .settlementRun, .settlementApprove, .exemptionAdd, .exemptionRemove, .priceSet, .priceRemove, .diseaseGroupSet,
            .assessmentRun,
            .assessmentApprove, .appealFile, .appealReview, .appealDecide, .leadUpdate, .login, .loginRefused, .loginFailed, .passwordChangeFailed,
            .accountLocked,
            .passwordChange, .passwordReset, .credentialsDownload, .accountsCreate, .accountCreate, .accountsImport, .accountEnable,
            .accountDisable, .tokenIssue, .tokenRevoke:
            break
        }
    }

    @Test("Each event stores an entity and action pair of its own")
    func distinct() {
        for event in Self.all { Self.exhaustive(event) }
        let pairs = Self.all.map { "\($0.entity)/\($0.action)" }
        #expect(Set(pairs).count == pairs.count, "\(pairs.sorted())")
        #expect(Self.all.allSatisfy { !$0.entity.isEmpty && !$0.action.isEmpty })
    }

    @Test("The stored names of older entries stay as they were")
    func stable() {
        let expected: [(AuditEvent, String)] = [
            (.report(.cityApprove), "report/cityApprove"), (.reportCorrection, "report/correct"), (.batchSealedFile, "batch/sealed"),
            (.resultsCorrection, "award-results/correct"), (.volumesPublish, "agreed-volume/publish"),
            (.supplyProblemCreate, "supply_problem/create"),
            (.alertAcknowledge, "alert/acknowledge"), (.loginFailed, "user/login-failed"), (.accountLocked, "user/locked"),
            (.tokenRevoke, "user/revoke-token"),
        ]
        for (event, name) in expected { #expect("\(event.entity)/\(event.action)" == name) }
    }
}
