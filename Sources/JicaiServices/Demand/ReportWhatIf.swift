import Foundation
import JicaiCore
import JicaiPersistence

/// The demand form's what-if (docs/rules.md "What-if on the demand form"): beside each unit, what the reported
/// quantity implies for the agreed volume, the monthly purchases and the retention at each grade; the Core's
/// `WhatIfRules` over the batch's award results (or the manufacturers that may bid) and the province's pre-award
/// prices (`history_prices`, a few hundred rows).
extension ReportService {
    /// The what-if of the draft, checked as a live check is (nothing is saved), or of the saved report when `input`
    /// is nil. Scope and refusals as `form` and `preview`.
    public func whatIf(_ scope: BatchScope, institutionCode: String, input: DraftInput?) async throws -> [DemandWhatIf] {
        let c = try await context(scope)
        let result =
            if let input {
                try await preview(scope, institutionCode: institutionCode, input: input)
            } else {
                try await form(scope, institutionCode: institutionCode).result
            }
        return try await whatIf(c, result)
    }

    /// The what-if of a form already read (the form page).
    public func whatIf(_ form: ReportForm) async throws -> [DemandWhatIf] { try await whatIf(form.context, form.result) }

    func whatIf(_ c: BatchContext, _ result: DemandCheckResult) async throws -> [DemandWhatIf] {
        let reported = result.units.filter { $0.reported > 0 }
        guard !reported.isEmpty else { return [] }
        let stored = try await AwardStore(db).results(batchID: c.batch.id)
        let award = stored.isEmpty ? nil : AwardResult(entries: stored.map(\.entry), catalogue: c.catalogue)
        let facts = WhatIfAwardFacts(catalogue: c.catalogue, result: award)
        let prices = PreAwardPrice.byUnit(try await AssessmentStore(db).historyWithAmounts(batchID: c.batch.id), c.catalogue)
        let policy = c.batch.policy
        return reported.compactMap { totals in
            let key = totals.unit.key
            let unit = facts.units[key]
            let inputs = WhatIfInputs(
                unitKey: key, reportedContent: totals.reported, displaySpec: totals.displaySpec, winners: unit?.winners ?? 1,
                winnersKnown: unit?.known ?? false, restricted: unit?.restricted ?? false, price: prices[key], winningPrice: unit?.lowestPrice)
            return WhatIfRules.estimate(inputs, award: policy.award, policy: policy.assessment)
        }
    }
}
