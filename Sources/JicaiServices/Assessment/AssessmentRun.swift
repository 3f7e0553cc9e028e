import Foundation
import JicaiCore
import JicaiPersistence

/// The year's run: every holder × unit position of the year (the fold as of its last day), the exemptions that cover
/// it, the payments and signatures of the year and the pre-award prices, assessed by JicaiCore's rules and written
/// as one published run.
extension AssessmentService {
    /// Runs (or runs again, while published) the assessment of the agreement year starting on `yearStart`: refused
    /// before the year has ended (YEAR_NOT_ENDED) and once approved (ASSESSMENT_APPROVED). One transaction.
    public func run(_ scope: BatchScope, yearStart: CivilDate) async throws -> AssessmentRunRecord {
        try requireManager(scope)
        let context = try await monitor.context(scope.head)
        let year = try year(context, yearStart)
        let day = today
        guard year.lastDay < day else { throw Refusal(.yearNotEnded) }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        if try await AssessmentStore(db).run(batchID: batchID, yearStart: yearStart)?.status == .approved { throw Refusal(.assessmentApproved) }
        let work = WorkBox(try await prepare(scope, context, year: year, holders: nil))
        return try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            if try await store.run(batchID: batchID, yearStart: yearStart)?.status == .approved { throw Refusal(.assessmentApproved) }
            try await store.clearResults(batchID: batchID, yearStart: yearStart, institutions: nil)
            // Each holder assessed, counted, searched for leads and written in parts of 2,000: a province's items and
            // their reasons are never all in memory at once.
            let leadsOf = try await ItemLeads(context, year: year, store)
            var (institutions, items, failed, retained): (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
            var leads: [Lead] = []
            var part: [AssessmentStore.Result] = []
            for holder in work.value.holders {
                guard let result = try work.value.assess(holder) else { continue }
                let (sum, overflow) = retained.addingReportingOverflow(result.assessment.retainedFen)
                guard !overflow else { throw Refusal(.figureOutOfRange) }
                (institutions, items, retained) = (institutions + 1, items + Int64(result.assessment.items.count), sum)
                failed += Int64(result.assessment.items.filter { !$0.result.passed }.count)
                leads += leadsOf.items(result)
                part.append(result)
                if part.count == 2000 {
                    try await store.insertResults(batchID: batchID, yearStart: yearStart, part)
                    part.removeAll(keepingCapacity: true)
                }
            }
            try await store.insertResults(batchID: batchID, yearStart: yearStart, part)
            let record = AssessmentRunRecord(
                yearStart: year.start, yearEnd: year.end, status: .published, publishedOn: day, computedBy: user, computedAt: at,
                institutions: institutions, items: items, failedItems: failed, retainedFen: retained)
            try await store.putRun(batchID: batchID, record)
            try await store.replaceLeads(batchID: batchID, yearStart: yearStart, leads + (try await leadsOf.institutions()))
            try await AuditLog(db).record(
                actor: user, event: .assessmentRun, key: "\(code)/\(yearStart)",
                summary:
                    "考核协议年度\(yearStart)至\(year.lastDay)：\(record.institutions)家机构，\(record.items)个品种项，不合格\(record.failedItems)项，结余留用\(Fen(retained).yuanText)元（已发布，申诉期\(scope.batch.policy.assessment.appealDays)天）",
                at: at)
            return record
        }
    }

    /// The run's work, handed to its transaction and used there alone, one holder after another (a copy of the
    /// grouped positions would double them in memory).
    final class WorkBox: @unchecked Sendable {
        var value: Work
        init(_ value: Work) { self.value = value }
    }

    /// What assessing the holders needs, read once: their positions of the year grouped by holder (the fold's list
    /// freed once grouped; each holder's released once assessed) and the year's other inputs.
    struct Work {
        var byHolder: [Int64: [StoredPosition]]
        var holders: [Int64]
        let inputs: YearInputs
        let policy: AssessmentPolicy
        let cap: Ratio

        /// The holder's result, nil when it has no position; refused when its figures leave exact arithmetic.
        mutating func assess(_ holder: Int64) throws -> AssessmentStore.Result? {
            guard let units = byHolder.removeValue(forKey: holder), let first = units.first else { return nil }
            guard let assessment = AssessmentRules.assess(inputs.inputs(holder: holder, positions: units), cap: cap, policy: policy) else {
                throw Refusal(
                    .figureOutOfRange, zh: "\(first.institutionCode)的考核数值超出可精确计算的范围",
                    en: "\(first.institutionCode)'s figures are beyond exact arithmetic")
            }
            return AssessmentStore.Result(
                institutionID: holder, regionCode: first.regionCode, diseaseGroup: inputs.groups.contains(holder), assessment: assessment)
        }
    }

    func prepare(_ scope: BatchScope, _ context: MonitorService.Context, year: AgreementYear, holders: [Int64]?) async throws -> Work {
        let byHolder = Dictionary(grouping: try await monitor.yearPositions(context, year: year, holders: holders), by: \.institutionID)
        return Work(
            byHolder: byHolder, holders: byHolder.keys.sorted(), inputs: try await YearInputs.load(db, context, year: year, now: now),
            policy: scope.batch.policy.assessment, cap: context.policy.nonWinningCap)
    }

    /// The results of `holders` (all when nil) for the year, from the fold and the year's other inputs (an upheld
    /// appeal recomputes its institution with it).
    func compute(_ scope: BatchScope, _ context: MonitorService.Context, year: AgreementYear, holders: [Int64]?) async throws
        -> [AssessmentStore.Result]
    {
        var work = try await prepare(scope, context, year: year, holders: holders)
        var out: [AssessmentStore.Result] = []
        for holder in work.holders { if let result = try work.assess(holder) { out.append(result) } }
        return out
    }

    /// Each unit's effective-content dimension (its specs share one: they are converted by content).
    static func dimensions(_ catalogue: Catalogue) -> [String: EffectiveContent.Dimension] {
        var out: [String: EffectiveContent.Dimension] = [:]
        for spec in catalogue.specs { out[Catalogue.unit(of: spec).key] = spec.content.dimension }
        return out
    }
}

/// What a year's assessment reads besides the positions, read once: the exemptions, the DRG/DIP list, payments and
/// signatures per institution, the upheld appeals' waivers, the pre-award prices and the signing deadline.
struct YearInputs {
    var year: AgreementYear
    var firstYear: Bool
    var deadline: CivilDate
    var exemptions: [Exemption]
    var groups: Set<Int64>
    var payments: [Int64: (dueFen: Int64, paidOnTimeFen: Int64)]
    var signatures: [Int64: [Date?]]
    var waivers: [Int64: [String: String]]
    var prices: [String: PreAwardPrice]
    /// Each unit's effective-content dimension, to write its amounts for people.
    var dimensions: [String: EffectiveContent.Dimension]
    /// The units of each holder whose demand no winner carried (coverage gaps): not assessed.
    var gaps: [Int64: Set<String>]
    /// Per holder and unit under a shortage, emergency or seasonal designation: the content ordered from winners on
    /// the designation's days and never supplied.
    var unsupplied: [Int64: [String: Int64]]

    static func load(_ db: DB, _ context: MonitorService.Context, year: AgreementYear, now: @escaping @Sendable () -> Date) async throws -> YearInputs
    {
        let batchID = context.head.batch.id
        let store = AssessmentStore(db)
        let award = try await AwardService(db: db, now: now).state(batchID: batchID)
        let first = year.start == context.firstYear.start
        return YearInputs(
            year: year, firstYear: first,
            deadline: ScoreRules.signingDeadline(firstYear: first, published: award.signingDeadline, yearStart: year.start),
            exemptions: try await store.exemptions(batchID: batchID).map(\.exemption), groups: try await store.diseaseGroups(batchID: batchID),
            payments: try await store.payments(batchID: batchID, year: year),
            signatures: try await store.signatures(batchID: batchID, yearStart: year.start),
            waivers: try await store.waivers(batchID: batchID, yearStart: year.start),
            prices: try await AssessmentService.preAwardPrices(db, batchID: batchID, context.catalogue),
            dimensions: AssessmentService.dimensions(context.catalogue), gaps: try await store.gapUnits(batchID: batchID),
            unsupplied: try await unsupplied(
                db, context, year: year, designations: try await store.exemptions(batchID: batchID).map(\.exemption), now: now))
    }

    /// What the winners failed to supply of shortage, emergency and seasonal items (004 §7): the year's orders of
    /// winning products on days a designation covers, for the holder's unit in the designation's area, in effective
    /// content (a member's orders count at its community's lead, as its purchases do). Overlapping designations count
    /// an order once. Refused when a figure leaves `Int64`.
    static func unsupplied(
        _ db: DB, _ context: MonitorService.Context, year: AgreementYear, designations: [Exemption], now: @escaping @Sendable () -> Date
    )
        async throws -> [Int64: [String: Int64]]
    {
        let designations = designations.filter(\.kind.isSupplyAssurance)
        guard !designations.isEmpty else { return [:] }
        let catalogue = context.catalogue
        let (_, byID, holderOf, _) = try await MonitorService(db: db, now: now).holdings(nil)
        var out: [Int64: [String: Int64]] = [:]
        for line in try await AssessmentStore(db).orderLines(batchID: context.head.batch.id, from: year.start, through: year.lastDay) {
            guard let product = catalogue.productByCode[line.productCode], let spec = catalogue.specByCode[product.specCode],
                let unit = catalogue.unit(ofSpec: spec.code)
            else { continue }
            let holder = holderOf[line.institutionID] ?? line.institutionID
            guard let region = byID[holder]?.regionCode,
                designations.contains(where: { $0.covers(unitKey: unit.key, regionCode: region, on: line.day) })
            else { continue }
            let (minimal, overflow) = line.figures.unsupplied.multipliedReportingOverflow(by: line.packSize)
            let sum = Int128(out[holder]?[unit.key] ?? 0) + ContentConversion.content(of: minimal, spec)
            guard !overflow, let content = Int64(exactly: sum) else { throw Refusal(.figureOutOfRange) }
            out[holder, default: [:]][unit.key] = content
        }
        return out
    }

    /// One holder's inputs: its positions as items with the exemptions that cover them, its payments and signatures
    /// (signed on time: by the deadline, Beijing time).
    func inputs(holder: Int64, positions: [StoredPosition]) -> InstitutionInputs {
        let items = positions.map { p in
            AssessmentItem(
                institutionCode: p.institutionCode, unitKey: p.unitKey, year: year, agreedContent: p.agreedContent, tally: p.tally,
                exemptions: exemptions.filter { $0.covers(unitKey: p.unitKey, regionCode: p.regionCode) },
                notCarried: gaps[holder]?.contains(p.unitKey) ?? false,
                availableContent: unsupplied[holder]?[p.unitKey].map {
                    AssessmentRules.available(agreedContent: p.agreedContent, unsuppliedContent: $0)
                },
                dimension: dimensions[p.unitKey])
        }
        let signed = signatures[holder] ?? []
        let paid = payments[holder]
        return InstitutionInputs(
            items: items, diseaseGroup: groups.contains(holder), firstYear: firstYear, dueFen: paid?.dueFen ?? 0,
            paidOnTimeFen: paid?.paidOnTimeFen ?? 0,
            agreements: Int64(signed.count), signedOnTime: ScoreRules.signedOnTime(signed, deadline: deadline),
            prices: prices, waived: waivers[holder] ?? [:])
    }
}
