import Foundation
import JicaiCore
import JicaiPersistence

/// The what-if during execution (design): "if we buy N more of the winning product by the year's end, our
/// completion, non-winning share, grade and retention become …". It runs the same Core rules as the year's run on the
/// institution's positions as of monitoring's last run, with the same exemptions, payments, signatures and prices,
/// once as they stand and once with the added purchases; it is an estimate and says on what it rests.
extension AssessmentService {
    public struct Simulation: Sendable {
        public var institutionCode: String
        public var institutionName: String
        public var asOf: CivilDate
        public var year: AgreementYear
        public var units: [String]
        public var unitKey: String?
        /// The added quantity in the winning product's minimal units, its unit's name and the content it adds.
        public var added: Int64
        public var minimalUnit: String
        public var addedContent: Int64
        public var before: InstitutionAssessment
        public var after: InstitutionAssessment
        public var assumptions: [LocalizedText]
    }

    /// Simulates `added` more minimal units of `unitKey`'s winning product for an institution the scope sees
    /// (INSTITUTION_NOT_FOUND otherwise), as of monitoring's last run (MONITOR_NOT_COMPUTED before one).
    public func simulate(_ scope: BatchScope, institutionCode: String, unitKey: String?, added: Int64) async throws -> Simulation {
        let access = try access(scope)
        guard let org = try await institution(institutionCode),
            Self.sees(access, code: org.organisation.code, region: org.organisation.regionCode.value)
        else { throw Refusal(.institutionNotFound) }
        guard (0...InputLimits.maxQuantity).contains(added) else { throw Refusal(.quantityTooLarge) }
        let context = try await monitor.context(scope.head)
        guard let last = try await MonitorStore(db).run(batchID: scope.batch.id) else { throw Refusal(.notComputed) }
        let year = context.year(of: last.asOf)
        let positions = try await MonitorStore(db).positions(batchID: scope.batch.id, institutionCode: institutionCode)
        guard unitKey == nil || positions.contains(where: { $0.unitKey == unitKey }) else { throw Refusal(.unknownUnit) }
        let (classifier, _) = try await monitor.classification(context)
        let winner = classifier.byProduct.values.filter { $0.unit.key == unitKey && $0.purchaseClass == .winner }.min {
            $0.productCode < $1.productCode
        }
        let minimal =
            winner.flatMap { context.catalogue.productByCode[$0.productCode] }.flatMap { context.catalogue.specByCode[$0.specCode]?.minimalUnit }
            ?? ""
        let (content, overflow) = added.multipliedReportingOverflow(by: winner?.contentPerMinimalUnit ?? 0)
        guard !overflow else { throw Refusal(.quantityTooLarge) }
        let inputs = try await YearInputs.load(db, context, year: year, now: now).inputs(holder: org.id, positions: positions)
        var more = inputs
        more.items = inputs.items.map { item in
            guard item.unitKey == unitKey, content > 0 else { return item }
            var changed = item
            let agreed = positions.first { $0.unitKey == item.unitKey }
            let amount = PositionRules.valued(content, agreedContent: agreed?.agreedContent ?? 0, agreedAmountFen: agreed?.agreedAmountFen ?? 0)
            Tally.plus(&changed.tally.winningContent, content)
            Tally.plus(&changed.tally.winningAmountFen, amount)
            return changed
        }
        let policy = scope.batch.policy.assessment
        let cap = context.policy.nonWinningCap
        guard let before = AssessmentRules.assess(inputs, cap: cap, policy: policy),
            let after = AssessmentRules.assess(more, cap: cap, policy: policy)
        else { throw Refusal(.figureOutOfRange) }
        return Simulation(
            institutionCode: org.organisation.code, institutionName: org.organisation.name, asOf: last.asOf, year: year,
            units: positions.map(\.unitKey), unitKey: unitKey, added: added, minimalUnit: minimal, addedContent: content, before: before,
            after: after,
            assumptions: Self.assumptions(last.asOf, year))
    }

    static func assumptions(_ asOf: CivilDate, _ year: AgreementYear) -> [LocalizedText] {
        [
            LocalizedText(
                zh: "估算，不是考核结果：以监测截至\(asOf)的采购为准，假定到协议年度结束（\(year.lastDay)）前不再有其他采购",
                en:
                    "An estimate, not a result: purchases as monitoring counted them on \(asOf), none other assumed until the year ends on \(year.lastDay)"
            ),
            LocalizedText(
                zh: "新增采购按中选产品、按约定价格计；回款和签约按目前情况计；适用已登记的豁免",
                en:
                    "Added purchases are of the winning product at the agreed price; payments and signatures as they stand; the recorded exemptions apply"
            ),
        ]
    }
}
