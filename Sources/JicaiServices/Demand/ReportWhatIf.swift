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
        guard let input else { return try await whatIf(c, try await form(scope, institutionCode: institutionCode).result.units) }
        // A draft needs only its own reported totals (no history, no findings): the scope check, the draft's
        // validation, then the Core.
        let org = try await institution(institutionCode, for: scope.principal, allow: Authorizer.canFill)
        let clean = try validate(input, c)
        let totals = c.checker.totals(for: InstitutionDemand(institutionCode: org.organisation.code, history: [:], lines: clean.lines))
        return try await whatIf(c, totals)
    }

    /// The what-if of a form already read (the form page).
    public func whatIf(_ form: ReportForm) async throws -> [DemandWhatIf] { try await whatIf(form.context, form.result.units) }

    /// What the what-if reads of the batch besides the draft: the award's facts per unit and the pre-award prices,
    /// made once per batch stamp (`CatalogueCache.derived`).
    struct Facts: Sendable {
        var award: WhatIfAwardFacts
        var prices: [String: PreAwardPrice]
    }

    func facts(_ c: BatchContext) async throws -> Facts {
        let (db, batchID, catalogue) = (db, c.batch.id, c.catalogue)
        return try await CatalogueCache.shared.derived(stamp: c.stamp, name: "what-if") {
            let stored = try await AwardStore(db).results(batchID: batchID)
            let award = stored.isEmpty ? nil : AwardResult(entries: stored.map(\.entry), catalogue: catalogue)
            return Facts(
                award: WhatIfAwardFacts(catalogue: catalogue, result: award),
                prices: try await AssessmentService.preAwardPrices(db, batchID: batchID, catalogue))
        }
    }

    func whatIf(_ c: BatchContext, _ units: [UnitTotals]) async throws -> [DemandWhatIf] {
        let reported = units.filter { $0.reported > 0 }
        guard !reported.isEmpty else { return [] }
        let facts = try await facts(c)
        let policy = c.batch.policy
        return reported.compactMap { totals in
            let key = totals.unit.key
            let unit = facts.award.units[key]
            let inputs = WhatIfInputs(
                unitKey: key, reportedContent: totals.reported, displaySpec: totals.displaySpec, winners: unit?.winners ?? 1,
                winnersKnown: unit?.known ?? false, restricted: unit?.restricted ?? false, price: facts.prices[key], winningPrice: unit?.lowestPrice)
            return WhatIfRules.estimate(inputs, award: policy.award, policy: policy.assessment)
        }
    }
}
