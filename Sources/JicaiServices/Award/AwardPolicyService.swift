import Foundation
import JicaiCore
import JicaiPersistence

extension AwardService {
    /// Sets the batch's award policy before publication (the province's administrator; docs/rules.md "Award stage"):
    /// the ratio tables or one flat ratio, the allocation rule, the distributor limits. The batch's kind stays as it
    /// was opened. Volumes computed under the old policy are stale: the award goes back to "results imported" and
    /// must be computed again. Refused after publication (`AWARD_PUBLISHED`) and for an unusable policy.
    /// `change` takes the current policy and gives the new one (the page, API and command line change some fields);
    /// the new one is returned.
    @discardableResult
    public func setPolicy(_ scope: BatchScope, _ change: (AwardPolicy) throws -> AwardPolicy) async throws -> AwardPolicy {
        try requireManager(scope)
        var batch = scope.batch
        let (batchCode, ctx) = (scope.code, scope.ctx)
        var policy = try change(batch.policy.award)
        policy.kind = batch.policy.award.kind
        if let problem = policy.problems().first { throw Refusal(.badPolicy, zh: problem.zh, en: problem.en) }
        let detail = "\(Self.describe(batch.policy.award)) → \(Self.describe(policy))"
        batch.policy.award = policy
        let (batchID, stored) = (batch.id, batch.policy)
        try await db.transaction { db in
            // Checked in the write: of a publication and a policy change at once, the one that claims the computed
            // phase first wins, and the other is refused.
            let phase = try await AwardStore(db).state(batchID: batchID).phase
            guard phase != .published else { throw Refusal(.awardPublished) }
            if phase == .computed, !(try await AwardStore(db).claimPhase(batchID: batchID, from: .computed, to: .resultsImported)) {
                throw Refusal(.awardPublished)
            }
            try await BatchStore(db).updatePolicy(batchID: batchID, stored)
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .awardPolicy, key: batchCode, summary: "设置约定采购量规则",
                detail: detail, ip: ctx.ip, at: ctx.at)
        }
        return policy
    }

    /// A policy in one line, for the audit log and the command line.
    public static func describe(_ policy: AwardPolicy) -> String {
        func table(_ ratios: [Ratio]) -> String {
            ratios.map { Fraction(Int128($0.numerator), Int128($0.denominator)).percentText }.joined(separator: "/")
        }
        let ratios =
            policy.flatRatio.map { "flat \(table([$0]))" }
            ?? "\(table(policy.ratiosByWinners)); restricted \(table(policy.restrictedRatiosByWinners))"
        return "\(ratios); \(policy.allocation.rawValue); distributors \(policy.distributorLimitDrugs)/\(policy.distributorLimitConsumables)"
    }
}
