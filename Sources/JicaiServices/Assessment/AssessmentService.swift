import Foundation
import JicaiCore
import JicaiPersistence

/// The assessment and savings-retention stage (管; 004 §3, §7; 003 §8(三); 000 §5(二); docs/rules.md "Assessment and
/// savings retention"): after an agreement year ends the province runs its assessment (items from the same fold as
/// monitoring, as of the year's last day), publishes it to the cities and institutions, hears appeals, then approves
/// it and exports the retention payment list. Who may do what is decided here, on the server.
public struct AssessmentService: Sendable {
    let db: DB
    let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    var today: CivilDate { CivilDate(beijing: now()) }

    /// What a principal may do here: the province's administrator manages (runs, exemptions, decisions, approval);
    /// bureaus see their region, a city reviewer gives its opinion on its institutions' appeals; an institution sees
    /// and appeals its own result. Firms see nothing.
    public struct Access: Sendable, Hashable {
        public var manages: Bool
        public var regionPrefix: String?
        public var ownInstitution: String?
        public var reviews: Bool
        public var appeals: Bool { ownInstitution != nil }
    }

    public static func access(_ p: Principal, batch: BatchRecord) -> Access? {
        guard let monitor = MonitorService.access(p, batch: batch) else { return nil }
        return Access(
            manages: monitor.manages, regionPrefix: monitor.regionPrefix, ownInstitution: monitor.ownInstitution, reviews: p.role == .cityReviewer)
    }

    public func access(_ scope: BatchScope) throws -> Access {
        guard let access = Self.access(scope.principal, batch: scope.batch) else { throw Refusal.forbidden }
        return access
    }

    func requireManager(_ scope: BatchScope) throws {
        guard try access(scope).manages else { throw Refusal.forbidden }
    }

    var monitor: MonitorService { MonitorService(db: db, now: now) }

    /// The agreement year starting on `start`, or BAD_DATE.
    func year(_ context: MonitorService.Context, _ start: CivilDate) throws -> AgreementYear {
        guard let year = context.years.first(where: { $0.start == start }) else {
            throw Refusal(.badDate, zh: "没有始于\(start)的协议年度", en: "no agreement year starts on \(start)")
        }
        return year
    }

    /// What the stage's page shows first: the cycle's years with their runs, the exemptions and (for the province)
    /// the institutions paid by disease group.
    public struct Overview: Sendable {
        public var years: [AgreementYear]
        public var runs: [AssessmentRunRecord]
        public var exemptions: [AssessmentStore.StoredExemption]
        /// The pre-award prices the province set itself, and the batch's specs to set one for.
        public var prices: [AssessmentStore.StoredPrice]
        public var specs: [Spec]
        public var diseaseGroups: [String]
        public var policy: AssessmentPolicy
        public var cap: Ratio
        public var access: Access
        public var units: [CheckUnit]
        public var today: CivilDate

        public func run(_ start: CivilDate) -> AssessmentRunRecord? { runs.first { $0.yearStart == start } }
    }

    public func overview(_ scope: BatchScope) async throws -> Overview {
        let access = try access(scope)
        let context = try await monitor.context(scope.head)
        let store = AssessmentStore(db)
        var groups: [String] = []
        if access.regionPrefix != nil {
            let ids = try await store.diseaseGroups(batchID: scope.batch.id)
            let organisations = try await Organisations(db).reporting().values
            groups = organisations.filter { ids.contains($0.id) && $0.regionCode.hasPrefix(access.regionPrefix ?? "") }.map(\.code).sorted()
        }
        return Overview(
            years: context.years, runs: try await store.runs(batchID: scope.batch.id),
            exemptions: try await store.exemptions(batchID: scope.batch.id), prices: try await store.prices(batchID: scope.batch.id),
            specs: context.catalogue.specs, diseaseGroups: groups, policy: scope.batch.policy.assessment, cap: context.policy.nonWinningCap,
            access: access,
            units: context.catalogue.units, today: today)
    }

    // MARK: the province's inputs

    /// Records an exemption (004 §7); refused for a unit the batch lacks, days outside the cycle or reversed, no
    /// evidence, or a year already approved that it would touch.
    public func addExemption(_ scope: BatchScope, _ exemption: Exemption) async throws -> Int64 {
        try requireManager(scope)
        let context = try await monitor.context(scope.head)
        var checked = exemption
        checked.evidence = checked.evidence.trimmingCharacters(in: .whitespacesAndNewlines)
        checked.regionPrefix = checked.regionPrefix.trimmingCharacters(in: .whitespaces)
        let e = checked
        guard context.catalogue.unitKeys.contains(e.unitKey) else { throw Refusal(.unknownUnit) }
        guard e.from <= e.through, e.from <= context.cycleEnd, e.through >= context.executionStart else {
            throw Refusal(.badPeriod, zh: "豁免期间应在采购周期内且起止有序", en: "the exemption's days must lie in the cycle, in order")
        }
        guard !e.evidence.isEmpty, e.evidence.count <= InputLimits.maxNoteCharacters else {
            throw Refusal(.reasonRequired, zh: "请填写豁免依据（不超过500字）", en: "give the exemption's evidence (at most 500 characters)")
        }
        guard e.regionPrefix.count <= 12, e.regionPrefix.allSatisfy(\.isASCIIDigit) else { throw Refusal(.badRegion) }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        return try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            for run in try await store.runs(batchID: batchID) where run.status == .approved && e.from < run.yearEnd && e.through >= run.yearStart {
                throw Refusal(.assessmentApproved)
            }
            let id = try await store.addExemption(batchID: batchID, e, by: user, at: at)
            try await AuditLog(db).record(
                actor: user, event: .exemptionAdd, key: "\(code)/\(id)",
                summary:
                    "登记考核豁免：\(e.unitKey) \(e.kind.label.zh) \(e.from)至\(e.through) 区域\(e.regionPrefix.isEmpty ? "全省" : e.regionPrefix)，依据：\(e.evidence)",
                at: at)
            return id
        }
    }

    public func removeExemption(_ scope: BatchScope, id: Int64) async throws {
        try requireManager(scope)
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            guard let e = try await store.exemptions(batchID: batchID).first(where: { $0.id == id })?.exemption else {
                throw Refusal(.exemptionNotFound)
            }
            for run in try await store.runs(batchID: batchID) where run.status == .approved && e.from < run.yearEnd && e.through >= run.yearStart {
                throw Refusal(.assessmentApproved)
            }
            guard try await store.removeExemption(batchID: batchID, id: id) else { throw Refusal(.exemptionNotFound) }
            try await AuditLog(db).record(
                actor: user, event: .exemptionRemove, key: "\(code)/\(id)", summary: "撤销考核豁免：\(e.unitKey) \(e.kind.label.zh) \(e.from)至\(e.through)",
                at: at)
        }
    }

    /// Marks an institution as paid by disease group (DRG/DIP) or not (003 §8(三)).
    public func setDiseaseGroup(_ scope: BatchScope, institutionCode: String, _ on: Bool) async throws {
        try requireManager(scope)
        guard let org = try await AccountStore(db).organisation(code: institutionCode),
            org.organisation.regionCode.value.hasPrefix(String(scope.batch.provinceCode.prefix(2)))
        else {
            throw Refusal(.institutionNotFound)
        }
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        try await db.transaction { db in
            try await AssessmentStore(db).setDiseaseGroup(batchID: batchID, institutionID: org.id, on)
            try await AuditLog(db).record(
                actor: user, event: .diseaseGroupSet, key: "\(code)/\(institutionCode)",
                summary: on ? "登记\(org.organisation.name)为按病种付费（DRG/DIP）机构" : "取消\(org.organisation.name)按病种付费（DRG/DIP）登记", at: at)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
