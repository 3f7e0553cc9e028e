import Foundation
import JicaiCore
import JicaiPersistence

/// Supervision leads (001 §2(八), 004 §9): found by each run of a year, for the bureaus' supervisors only (the
/// province's staff and the city reviewers, each their region), each with its evidence and a case life.
extension AssessmentService {
    /// The year's supervision leads, found as the run assesses (001 §2(八), 004 §9): per item as each holder's
    /// result comes (far above the agreed volume, a non-winning surge, demand far from use this year and the stored
    /// previous one), then per institution from the year's payments and settled codes.
    struct ItemLeads {
        let batchID: Int64
        let year: AgreementYear
        let policy: LeadPolicy
        let cap: Ratio
        let store: AssessmentStore
        /// The previous year's agreed and used content per institution and unit.
        let before: [Int64: [String: (agreed: Int64, used: Int64)]]

        init(_ context: MonitorService.Context, year: AgreementYear, _ store: AssessmentStore) async throws {
            batchID = context.head.batch.id
            self.year = year
            policy = context.head.batch.policy.assessment.leads
            cap = context.policy.nonWinningCap
            self.store = store
            if let previous = context.years.last(where: { $0.start < year.start }) {
                before = try await store.use(batchID: context.head.batch.id, yearStart: previous.start)
            } else {
                before = [:]
            }
        }

        func items(_ r: AssessmentStore.Result) -> [Lead] {
            var out: [Lead] = []
            for a in r.assessment.items {
                out += LeadRules.item(a.item, institutionID: r.institutionID, cap: cap, policy: policy)
                let used = a.item.tally.winningContent &+ a.item.tally.nonWinningContent
                guard let last = before[r.institutionID]?[a.item.unitKey],
                    LeadRules.farFromUse(agreed: a.item.agreedContent, used: used, policy: policy),
                    LeadRules.farFromUse(agreed: last.agreed, used: last.used, policy: policy)
                else { continue }
                out.append(
                    Lead(
                        kind: .demandFarFromUse, institutionID: r.institutionID, unitKey: a.item.unitKey,
                        evidence: LocalizedText(
                            zh:
                                "本年度约定\(a.item.show(a.item.agreedContent))、实际采购\(a.item.show(used))；上一年度约定\(a.item.show(last.agreed))、实际采购\(a.item.show(last.used))",
                            en:
                                "this year \(a.item.show(used)) used against \(a.item.show(a.item.agreedContent)) agreed; last year \(a.item.show(last.used)) against \(a.item.show(last.agreed))"
                        )))
            }
            return out
        }

        func institutions() async throws -> [Lead] {
            var out: [Lead] = []
            for (institution, n) in try await store.latePayments(batchID: batchID, year: year).sorted(by: { $0.key < $1.key })
            where n >= policy.lateCount {
                out.append(
                    Lead(
                        kind: .lateRepeated, institutionID: institution, unitKey: "",
                        evidence: LocalizedText(zh: "本年度\(n)笔到期配送未按期足额回款", en: "\(n) deliveries due this year not paid in full by their due date")))
            }
            for (institution, n) in try await store.doubleSettled(batchID: batchID, year: year).sorted(by: { $0.key < $1.key }) where n > 0 {
                out.append(
                    Lead(
                        kind: .doubleSettled, institutionID: institution, unitKey: "",
                        evidence: LocalizedText(zh: "本年度结算的追溯码中\(n)个此前已结算", en: "\(n) codes settled this year had been settled before")))
            }
            return out
        }
    }

    /// The bureau's region, or FORBIDDEN: leads are for supervisors only.
    func supervisorRegion(_ scope: BatchScope) throws -> String {
        guard let prefix = try access(scope).regionPrefix else { throw Refusal.forbidden }
        return prefix
    }

    /// The year's leads the supervisor sees, open ones first.
    public func leads(_ scope: BatchScope, yearStart: CivilDate, status: LeadStatus? = nil) async throws -> [LeadRecord] {
        let prefix = try supervisorRegion(scope)
        return try await AssessmentStore(db).leads(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: prefix, status: status)
    }

    /// Moves a lead's case on (investigating, or closed with the finding, required); audited.
    public func updateLead(_ scope: BatchScope, id: Int64, status: LeadStatus, finding: String) async throws -> LeadRecord {
        let prefix = try supervisorRegion(scope)
        let finding = finding.trimmingCharacters(in: .whitespacesAndNewlines)
        guard finding.count <= InputLimits.maxNoteCharacters, status != .closed || !finding.isEmpty else {
            throw Refusal(.reasonRequired, zh: "办结线索须填写核查结论（不超过500字）", en: "closing a lead needs the finding (at most 500 characters)")
        }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        return try await db.transaction { db in
            let store = AssessmentStore(db)
            guard let lead = try await store.lead(batchID: batchID, id: id), lead.regionCode.hasPrefix(prefix) else { throw Refusal(.leadNotFound) }
            guard try await store.updateLead(batchID: batchID, id: id, status: status, finding: finding.isEmpty ? nil : finding, by: user, at: at)
            else { throw Refusal(.leadNotFound) }
            try await AuditLog(db).record(
                actor: user, event: .leadUpdate, key: "\(code)/\(id)",
                summary:
                    "监管线索（\(lead.kind.label.zh)，\(lead.institutionName)\(lead.unitKey)）：\(status.label.zh)\(finding.isEmpty ? "" : "，结论：\(finding)")",
                at: at)
            guard let updated = try await store.lead(batchID: batchID, id: id) else { throw Refusal(.leadNotFound) }
            return updated
        }
    }
}
