import Foundation
import JicaiCore
import JicaiPersistence

/// Reading the results (each principal its own scope), the institutions' appeals and the province's approval.
extension AssessmentService {
    /// The year's run, or ASSESSMENT_NOT_RUN.
    func storedRun(_ scope: BatchScope, _ yearStart: CivilDate) async throws -> AssessmentRunRecord {
        guard let run = try await AssessmentStore(db).run(batchID: scope.batch.id, yearStart: yearStart) else { throw Refusal(.assessmentNotRun) }
        return run
    }

    /// The institutions' results the scope sees, lowest score first: a bureau its region, an institution itself.
    public func results(_ scope: BatchScope, yearStart: CivilDate, grade: Grade? = nil, search: String? = nil, page: PageRequest) async throws -> (
        run: AssessmentRunRecord, page: Page<ScoreRecord>
    ) {
        let access = try access(scope)
        let run = try await storedRun(scope, yearStart)
        let store = AssessmentStore(db)
        if let own = access.ownInstitution {
            guard let org = try await institution(own),
                let mine = try await store.score(batchID: scope.batch.id, yearStart: yearStart, institutionID: org.id)
            else { return (run, Page(items: [], total: 0, request: page)) }
            return (run, Page(items: [mine], total: 1, request: page))
        }
        let results = try await store.scores(
            batchID: scope.batch.id, yearStart: yearStart, regionPrefix: access.regionPrefix ?? "", grade: grade, search: search, page: page)
        return (run, results)
    }

    /// Every result of the scope's region (the export; province and cities only).
    public func allResults(_ scope: BatchScope, yearStart: CivilDate) async throws -> (run: AssessmentRunRecord, rows: [ScoreRecord]) {
        let access = try access(scope)
        guard let prefix = access.regionPrefix else { throw Refusal.forbidden }
        let run = try await storedRun(scope, yearStart)
        return (run, try await AssessmentStore(db).allScores(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: prefix))
    }

    /// The cities of the scope's region, ranked by average score (bureaus only).
    public func cities(_ scope: BatchScope, yearStart: CivilDate) async throws -> [CityAssessment] {
        let access = try access(scope)
        guard let prefix = access.regionPrefix else { throw Refusal.forbidden }
        _ = try await storedRun(scope, yearStart)
        return try await AssessmentStore(db).cities(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: prefix)
    }

    func institution(_ code: String) async throws -> StoredOrganisation? { try await AccountStore(db).organisation(code: code) }

    /// One institution's calculation sheet (004 §3: the basis explained to each institution): its score's parts,
    /// every item with its figures, exemptions, result and retention steps, and its appeals.
    public struct Sheet: Sendable {
        public var run: AssessmentRunRecord
        public var score: ScoreRecord
        public var items: [ItemRecord]
        public var appeals: [AppealRecord]
        public var policy: AssessmentPolicy
        public var cap: Ratio
        /// The institution may still appeal (its own account, the run published and inside the period).
        public var mayAppeal: Bool
        public var appealUntil: CivilDate?
        /// Each unit's effective-content dimension, to write its amounts for people.
        public var dimensions: [String: EffectiveContent.Dimension]

        /// An amount of a unit's content as people read it.
        public func show(_ base: Int64, unit: String) -> String {
            dimensions[unit].map { EffectiveContent.display(base: base, dimension: $0) } ?? String(base)
        }
    }

    /// The sheet of an institution the scope sees (INSTITUTION_NOT_FOUND otherwise: its existence is not revealed).
    public func sheet(_ scope: BatchScope, yearStart: CivilDate, institutionCode: String) async throws -> Sheet {
        let access = try access(scope)
        let run = try await storedRun(scope, yearStart)
        guard let org = try await institution(institutionCode),
            Self.sees(access, code: org.organisation.code, region: org.organisation.regionCode.value)
        else {
            throw Refusal(.institutionNotFound)
        }
        let store = AssessmentStore(db)
        guard let score = try await store.score(batchID: scope.batch.id, yearStart: yearStart, institutionID: org.id) else {
            throw Refusal(.institutionNotFound, zh: "该机构本年度无考核结果", en: "the institution has no result this year")
        }
        let policy = scope.batch.policy.assessment
        let until = run.publishedOn.adding(days: policy.appealDays)
        let open = run.status == .published && AssessmentRules.appealOpen(publishedOn: run.publishedOn, today: today, policy: policy)
        return Sheet(
            run: run, score: score, items: try await store.items(batchID: scope.batch.id, yearStart: yearStart, institutionID: org.id),
            appeals: try await store.appeals(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: "", institutionID: org.id), policy: policy,
            cap: scope.batch.policy.monitor.nonWinningCap, mayAppeal: open && access.ownInstitution == org.organisation.code, appealUntil: until,
            dimensions: Self.dimensions(try await monitor.context(scope.head).catalogue))
    }

    static func sees(_ access: Access, code: String, region: String) -> Bool {
        if let own = access.ownInstitution { return own == code }
        return region.hasPrefix(access.regionPrefix ?? "\u{0}")
    }

    // MARK: appeals

    /// An institution contests a failed item of a published year within the policy's days, with its reason and
    /// evidence; one open appeal per item (APPEAL_CLOSED).
    public func fileAppeal(_ scope: BatchScope, yearStart: CivilDate, unitKey: String, reason: String, evidence: String) async throws -> Int64 {
        let access = try access(scope)
        guard let own = access.ownInstitution, let org = try await institution(own) else { throw Refusal.forbidden }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let evidence = evidence.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= InputLimits.maxNoteCharacters else { throw Refusal(.reasonRequired) }
        guard !evidence.isEmpty, evidence.count <= InputLimits.maxExplanationCharacters else {
            throw Refusal(.reasonRequired, zh: "请提供申诉证明材料说明（不超过2000字）", en: "give the appeal's evidence (at most 2,000 characters)")
        }
        let policy = scope.batch.policy.assessment
        let day = today
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        return try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            guard let run = try await store.run(batchID: batchID, yearStart: yearStart) else { throw Refusal(.assessmentNotRun) }
            guard run.status == .published, AssessmentRules.appealOpen(publishedOn: run.publishedOn, today: day, policy: policy) else {
                throw Refusal(.appealClosed)
            }
            let items = try await store.items(batchID: batchID, yearStart: yearStart, institutionID: org.id)
            guard let item = items.first(where: { $0.unitKey == unitKey }) else { throw Refusal(.unknownUnit) }
            guard !item.passed else {
                throw Refusal(.wrongStatus, zh: "该品种考核合格，无需申诉", en: "that item passed: nothing to appeal")
            }
            guard try await !store.hasOpenAppeal(batchID: batchID, yearStart: yearStart, institutionID: org.id, unitKey: unitKey) else {
                throw Refusal(.appealClosed)
            }
            let id = try await store.fileAppeal(
                batchID: batchID, yearStart: yearStart, institutionID: org.id, unitKey: unitKey, reason: reason, evidence: evidence, by: user, at: at)
            try await AuditLog(db).record(
                actor: user, event: .appealFile, key: "\(code)/\(id)",
                summary: "\(org.organisation.name)对协议年度\(yearStart)\(unitKey)考核结果提出申诉：\(reason)", at: at)
            return id
        }
    }

    /// The appeals the scope sees for the year: an institution its own, a bureau its region's.
    public func appeals(_ scope: BatchScope, yearStart: CivilDate) async throws -> [AppealRecord] {
        let access = try access(scope)
        let store = AssessmentStore(db)
        if let own = access.ownInstitution {
            guard let org = try await institution(own) else { return [] }
            return try await store.appeals(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: "", institutionID: org.id)
        }
        return try await store.appeals(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: access.regionPrefix ?? "", institutionID: nil)
    }

    /// One appeal the scope sees (APPEAL_NOT_FOUND otherwise).
    public func appeal(_ scope: BatchScope, id: Int64) async throws -> AppealRecord {
        let access = try access(scope)
        guard let appeal = try await AssessmentStore(db).appeal(batchID: scope.batch.id, id: id),
            Self.sees(access, code: appeal.institutionCode, region: appeal.regionCode)
        else { throw Refusal(.appealNotFound) }
        return appeal
    }

    /// The city's opinion on an appeal of one of its institutions.
    public func reviewAppeal(_ scope: BatchScope, id: Int64, opinion: String) async throws {
        let access = try access(scope)
        guard access.reviews else { throw Refusal.forbidden }
        let opinion = opinion.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !opinion.isEmpty, opinion.count <= InputLimits.maxNoteCharacters else { throw Refusal(.reasonRequired) }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            guard let appeal = try await store.appeal(batchID: batchID, id: id),
                Self.sees(access, code: appeal.institutionCode, region: appeal.regionCode)
            else { throw Refusal(.appealNotFound) }
            guard try await store.review(batchID: batchID, id: id, opinion: opinion, by: user, at: at) else { throw Refusal(.wrongStatus) }
            try await AuditLog(db).record(
                actor: user, event: .appealReview, key: "\(code)/\(id)", summary: "市级审核\(appeal.institutionName)的申诉（\(appeal.unitKey)）：\(opinion)",
                at: at)
        }
    }

    /// The province's decision on an appeal the city has reviewed: upheld, the item's failure is waived and the
    /// institution's results computed again (score, grade, retention) in the same transaction; rejected, nothing else
    /// changes. Refused once the year is approved.
    public func decideAppeal(_ scope: BatchScope, id: Int64, upheld: Bool, reason: String) async throws {
        try requireManager(scope)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= InputLimits.maxNoteCharacters else { throw Refusal(.reasonRequired) }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        guard let appeal = try await AssessmentStore(db).appeal(batchID: batchID, id: id) else { throw Refusal(.appealNotFound) }
        let context = try await monitor.context(scope.head)
        let year = try year(context, appeal.yearStart)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            guard try await store.run(batchID: batchID, yearStart: appeal.yearStart)?.status == .published else { throw Refusal(.assessmentApproved) }
            guard try await store.decide(batchID: batchID, id: id, upheld: upheld, reason: reason, by: user, at: at) else {
                throw Refusal(.wrongStatus)
            }
            if upheld {
                let service = AssessmentService(db: db, now: now)
                let results = try await service.compute(scope, context, year: year, holders: [appeal.institutionID])
                try await store.replaceResults(batchID: batchID, yearStart: appeal.yearStart, institutions: [appeal.institutionID], results)
                try await store.refreshTotals(batchID: batchID, yearStart: appeal.yearStart)
            }
            try await AuditLog(db).record(
                actor: user, event: .appealDecide, key: "\(code)/\(id)",
                summary: "省级决定\(appeal.institutionName)的申诉（\(appeal.unitKey)）：\(upheld ? "成立，重新计算考核结果" : "不成立")；理由：\(reason)", at: at)
        }
    }

    /// Approves the year's results once the appeal period has passed and every appeal is decided (APPEALS_OPEN);
    /// after that nothing of the year changes and the payment list may be drawn.
    public func approve(_ scope: BatchScope, yearStart: CivilDate) async throws -> AssessmentRunRecord {
        try requireManager(scope)
        let policy = scope.batch.policy.assessment
        let day = today
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            guard let run = try await store.run(batchID: batchID, yearStart: yearStart) else { throw Refusal(.assessmentNotRun) }
            guard run.status == .published else { throw Refusal(.assessmentApproved) }
            let open = try await store.openAppeals(batchID: batchID, yearStart: yearStart)
            guard open == 0, !AssessmentRules.appealOpen(publishedOn: run.publishedOn, today: day, policy: policy) else {
                throw Refusal(
                    .appealsOpen, zh: "尚有\(open)件未决申诉，或申诉期（发布后\(policy.appealDays)天）未满",
                    en: "\(open) appeals undecided, or the appeal period (\(policy.appealDays) days after publication) has not passed")
            }
            guard try await store.approve(batchID: batchID, yearStart: yearStart, by: user, at: at) else { throw Refusal(.assessmentApproved) }
            try await AuditLog(db).record(
                actor: user, event: .assessmentApprove, key: "\(code)/\(yearStart)",
                summary: "审定协议年度\(yearStart)考核结果：\(run.institutions)家机构，结余留用\(Fen(run.retainedFen).yuanText)元", at: at)
        }
        return try await storedRun(scope, yearStart)
    }

    /// The retention payment list of an approved year (the province's administrator): every institution retaining
    /// something, in code order; its total equals the run's.
    public func paymentList(_ scope: BatchScope, yearStart: CivilDate) async throws -> (run: AssessmentRunRecord, rows: [ScoreRecord]) {
        try requireManager(scope)
        let run = try await storedRun(scope, yearStart)
        guard run.status == .approved else {
            throw Refusal(.wrongStatus, zh: "考核结果审定后才能导出拨付清单", en: "the payment list is drawn from an approved year")
        }
        let rows = try await AssessmentStore(db).allScores(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: "")
        return (run, rows.filter { $0.retainedFen > 0 })
    }
}
