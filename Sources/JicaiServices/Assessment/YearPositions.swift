import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    /// Every holder × unit position of a whole agreement year, as the recompute would find it as of the year's last
    /// day, folded in memory and not written (the monitoring figures of today stay as they are): the assessment's
    /// items. The same fold and rules as the recompute (`PositionFold`, JicaiCore's `PositionAccumulator`), so the
    /// assessment and monitoring never disagree. `holders`: only these (an appeal's institution), else all.
    func yearPositions(_ context: Context, year: AgreementYear, holders: [Int64]?) async throws -> [StoredPosition] {
        let batchID = context.head.batch.id
        let day = year.lastDay
        let (_, byID, holderOf, purchasers) = try await holdings(holders)
        let (classifier, terms) = try await classification(context)
        let problems = try await MonitorStore(db).problems(batchID: batchID).map(\.problem)
        let overdueBefore = day.adding(days: -context.policy.deliveryDays) ?? CivilDate.earliest
        let award = AwardService(db: db, now: now)
        let agreed = try await award.yearFigures(batchID: batchID, year: year, holders: holders, terms: terms)
        let (fold, _) = try await foldLines(
            batchID: batchID, day: day, yearStart: year.start, overdueBefore: overdueBefore, purchasers: purchasers,
            PositionFold(
                classifier: classifier, problems: problems, byID: byID, holderOf: holderOf, units: context.catalogue.units, year: year, day: day,
                executionStart: context.executionStart, policy: context.policy, rollUp: false)
        ) { agreed }
        try fold.checkRange()
        return fold.positions
    }
}
