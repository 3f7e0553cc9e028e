import Foundation
import JicaiCore
import JicaiPersistence

/// Who may see and do what in monitoring, checked on the server for every call: the province sees its whole region
/// and its administrator imports and recomputes; a city bureau sees its region; an institution sees only itself.
/// Firms see nothing here. Institutions acknowledge their own alerts; resolving by hand (with a reason) is the
/// supervisors' (city or province).
extension MonitorService {
    public struct Access: Sendable, Hashable {
        public var manages: Bool
        /// The region prefix the principal oversees (province or city), nil for an institution.
        public var regionPrefix: String?
        /// The institution's own code for institution accounts.
        public var ownInstitution: String?
        public var mayResolve: Bool
        /// Doctor identities in the prescription review: the institution's head and the city bureau (004 §2).
        public var seesDoctors: Bool
        public var seesReview: Bool
    }

    public static func access(_ p: Principal, batch: BatchRecord) -> Access? {
        guard Authorizer.canSeeBatch(p, provinceCode: batch.provinceCode) else { return nil }
        if p.role.isInstitution, let own = p.organisationCode {
            return Access(
                manages: false, regionPrefix: nil, ownInstitution: own, mayResolve: false, seesDoctors: p.role == .institutionHead,
                seesReview: p.role == .institutionHead)
        }
        guard let prefix = Authorizer.listingPrefix(p, requested: nil) else { return nil }
        return Access(
            manages: Authorizer.canAdminister(p, provinceCode: batch.provinceCode), regionPrefix: prefix, ownInstitution: nil, mayResolve: true,
            seesDoctors: p.role == .cityReviewer, seesReview: true)
    }

    /// What the scope's principal may do in monitoring; FORBIDDEN for those who see nothing here (firms).
    public func access(_ scope: BatchScope) throws -> Access {
        guard let access = Self.access(scope.principal, batch: scope.batch) else { throw Refusal.forbidden }
        return access
    }

    /// The scope's access, refused unless it manages monitoring (the province's administrator).
    func requireManager(_ scope: BatchScope) throws {
        guard try access(scope).manages else { throw Refusal.forbidden }
    }

    /// The alert scope of an access.
    func alertScope(_ access: Access) async throws -> AlertStore.Scope {
        if let own = access.ownInstitution {
            guard let org = try await AccountStore(db).organisation(code: own) else { throw Refusal.forbidden }
            return .institution(org.id)
        }
        return .region(access.regionPrefix ?? "")
    }

    /// Loads a purchases file (the province's administrator), then recomputes what it touched (`importPurchases`).
    public func importPurchases(
        _ scope: BatchScope, path: String, asOf: CivilDate? = nil, replacing: PurchaseReplacement = .months,
        progress: (any ProgressSink)? = nil, recompute: Bool = true
    ) async throws -> PurchaseImportResult {
        try requireManager(scope)
        return try await importPurchases(
            path: path, batchCode: scope.code, actor: scope.actor, asOf: asOf, replacing: replacing, progress: progress, recompute: recompute)
    }

    /// The batch's purchase imports, newest first, for those who manage monitoring (the province).
    public func imports(_ scope: BatchScope, limit: Int? = nil) async throws -> [PurchaseImportEntry] {
        try requireManager(scope)
        return try await PurchaseStore(db).imports(batchID: scope.batch.id, limit: limit)
    }

    public func importUsage(_ scope: BatchScope, path: String) async throws -> ImportSummary {
        try requireManager(scope)
        return try await importUsage(path: path, batchCode: scope.code, actor: scope.actor)
    }

    public func recompute(
        _ scope: BatchScope, asOf: CivilDate?, confirmed: Bool, progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> RecomputeSummary {
        try requireManager(scope)
        return try await recompute(batchCode: scope.code, asOf: asOf, confirmed: confirmed, actor: scope.actor, progress: progress)
    }

    /// The batch's last run, if any (whoever sees monitoring).
    public func lastRun(_ scope: BatchScope) async throws -> MonitorRun? {
        _ = try access(scope)
        return try await MonitorStore(db).run(batchID: scope.batch.id)
    }

    /// The batch's verified supply problems (every principal who sees monitoring sees them: they explain figures).
    public func supplyProblems(_ scope: BatchScope) async throws -> [(problem: SupplyProblem, note: String)] {
        _ = try access(scope)
        return try await MonitorStore(db).problems(batchID: scope.batch.id)
    }

    /// Records a verified supply problem from the fields of a form or a request body: a unit key, a division-code
    /// prefix (2, 4 or 6 digits; empty for the whole province), the first and last month (YYYY-MM) and a note.
    public func addSupplyProblem(
        _ scope: BatchScope, unit: String, region: String, from: String, through: String, note: String
    ) async throws {
        let region = region.trimmingCharacters(in: .whitespaces)
        guard let unit = CheckUnit(key: unit.trimmingCharacters(in: .whitespaces)) else { throw Refusal(.unknownUnit) }
        guard let first = MonthKey(text: from), let last = MonthKey(text: through) else {
            throw Refusal(.badPeriod, zh: "月份应为YYYY-MM", en: "months must be YYYY-MM")
        }
        try await addSupplyProblem(scope, SupplyProblem(unit: unit, regionPrefix: region, from: first, through: last), note: note)
    }

    /// Records a verified supply problem (the province's administrator); a recompute then counts it.
    public func addSupplyProblem(_ scope: BatchScope, _ problem: SupplyProblem, note: String) async throws {
        try requireManager(scope)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        try await addSupplyProblem(batchCode: scope.code, problem, note: note, actor: scope.actor)
    }

    /// The alerts the principal sees, by status.
    public func alertCounts(_ scope: BatchScope) async throws -> [AlertStatus: Int64] {
        let access = try access(scope)
        return try await AlertStore(db).counts(batchID: scope.batch.id, scope: try await alertScope(access))
    }

    /// The alerts a principal sees, narrowed to a region inside its own (FORBIDDEN outside it): the inbox's list and
    /// what a bulk action handles are the same rows.
    func alertScope(_ access: Access, region: String?) async throws -> AlertStore.Scope {
        let scope = try await alertScope(access)
        guard let region, !region.isEmpty, case .region(let own) = scope else { return scope }
        guard region.hasPrefix(own) else { throw Refusal.forbidden }
        return .region(region)
    }

    /// One page of the alerts the principal sees, narrowed to a region inside its own or to one institution it
    /// oversees (the dashboard's drill-down: filtered here, not after paging).
    public func alerts(
        _ batchScope: BatchScope, status: AlertStatus?, code: AlertCode? = nil, unitKey: String? = nil, region: String? = nil,
        institution: String? = nil, page: PageRequest
    ) async throws -> Page<StoredAlert> {
        var scope = try await alertScope(try access(batchScope), region: region)
        if let institution, !institution.isEmpty {
            guard let org = try await AccountStore(db).organisation(code: institution) else { throw Refusal(.institutionNotFound) }
            switch scope {
            case .institution(let own): guard own == org.id else { throw Refusal.forbidden }
            case .region(let prefix): guard org.organisation.regionCode.value.hasPrefix(prefix) else { throw Refusal.forbidden }
            case .all: break
            }
            scope = .institution(org.id)
        }
        return try await AlertStore(db).list(batchID: batchScope.batch.id, scope: scope, status: status, code: code, unitKey: unitKey, page: page)
    }

    /// One alert the principal may see, or a refusal (an alert outside the scope is "not found", not "forbidden",
    /// so ids do not leak).
    func visibleAlert(batchID: Int64, id: Int64, access: Access) async throws -> StoredAlert {
        guard let alert = try await AlertStore(db).alert(batchID: batchID, id: id) else { throw Refusal(.alertNotFound) }
        if let own = access.ownInstitution, alert.key.institutionCode != own { throw Refusal(.alertNotFound) }
        if let prefix = access.regionPrefix, !alert.regionCode.hasPrefix(prefix) { throw Refusal(.alertNotFound) }
        return alert
    }

    /// One alert the caller may see (else ALERT_NOT_FOUND).
    public func alert(_ scope: BatchScope, id: Int64) async throws -> StoredAlert {
        try await visibleAlert(batchID: scope.batch.id, id: id, access: try access(scope))
    }

    public func acknowledge(_ scope: BatchScope, id: Int64, note: String) async throws {
        let (batch, access, ctx) = (scope.batch, try access(scope), scope.ctx)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        let alert = try await visibleAlert(batchID: batch.id, id: id, access: access)
        try await db.transaction { db in
            guard try await AlertStore(db).acknowledge(id: alert.id, by: ctx.principal.username, note: note, at: ctx.at) else {
                throw Refusal(.alertNotOpen)
            }
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .alertAcknowledge, key: "\(batch.code)/\(alert.id)",
                summary: "知悉预警 \(alert.key.code.rawValue) \(alert.key.institutionCode)/\(alert.key.unitKey)：\(note)", ip: ctx.ip, at: ctx.at)
        }
    }

    public func resolve(_ scope: BatchScope, id: Int64, reason: String) async throws {
        let (batch, access, ctx) = (scope.batch, try access(scope), scope.ctx)
        guard access.mayResolve else { throw Refusal.forbidden }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        let alert = try await visibleAlert(batchID: batch.id, id: id, access: access)
        try await db.transaction { db in
            guard try await AlertStore(db).resolve(id: alert.id, by: ctx.principal.username, reason: reason, at: ctx.at) else {
                throw Refusal(.alertResolved)
            }
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: .alertResolve, key: "\(batch.code)/\(alert.id)",
                summary: "人工解除预警 \(alert.key.code.rawValue) \(alert.key.institutionCode)/\(alert.key.unitKey)：\(reason)", ip: ctx.ip, at: ctx.at)
        }
    }

    /// Everything the alerts inbox shows, from one scope: who may do what, one page of the alerts asked for, and the
    /// counts by status for the tabs.
    public struct AlertsPage: Sendable {
        public var access: Access
        public var page: Page<StoredAlert>
        public var counts: [AlertStatus: Int64]
    }

    public func alertsPage(
        _ scope: BatchScope, status: AlertStatus?, code: AlertCode?, region: String?, page: PageRequest
    ) async throws -> AlertsPage {
        AlertsPage(
            access: try access(scope), page: try await alerts(scope, status: status, code: code, region: region, page: page),
            counts: try await alertCounts(scope))
    }
}
