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

    public func access(batchCode: String, ctx: RequestContext) async throws -> (BatchRecord, Access) {
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        guard let access = Self.access(ctx.principal, batch: batch) else { throw Refusal.forbidden }
        return (batch, access)
    }

    /// The alert scope of an access.
    func scope(_ access: Access) async throws -> AlertStore.Scope {
        if let own = access.ownInstitution {
            guard let org = try await AccountStore(db).organisation(code: own) else { throw Refusal.forbidden }
            return .institution(org.id)
        }
        return .region(access.regionPrefix ?? "")
    }

    public func importPurchases(
        path: String, batchCode: String, replacing: PurchaseReplacement = .months, ctx: RequestContext
    ) async throws -> PurchaseImportResult {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
        return try await importPurchases(path: path, batchCode: batchCode, actor: AuditActor(ctx.principal.username), replacing: replacing)
    }

    /// The batch's purchase imports, newest first, for those who manage monitoring (the province).
    public func imports(batchCode: String, limit: Int? = nil, ctx: RequestContext) async throws -> [PurchaseImportEntry] {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
        return try await imports(batchCode: batchCode, limit: limit)
    }

    public func importUsage(path: String, batchCode: String, ctx: RequestContext) async throws -> ImportSummary {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
        return try await importUsage(path: path, batchCode: batchCode, actor: AuditActor(ctx.principal.username))
    }

    public func recompute(batchCode: String, asOf: CivilDate?, confirmed: Bool, ctx: RequestContext) async throws -> RecomputeSummary {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
        return try await recompute(batchCode: batchCode, asOf: asOf, confirmed: confirmed, actor: AuditActor(ctx.principal.username))
    }

    /// The batch's verified supply problems (every principal who sees monitoring sees them: they explain figures).
    public func supplyProblems(batchCode: String, ctx: RequestContext) async throws -> [(problem: SupplyProblem, note: String)] {
        let (batch, _) = try await access(batchCode: batchCode, ctx: ctx)
        return try await MonitorStore(db).problems(batchID: batch.id)
    }

    /// Records a verified supply problem from the fields of a form or a request body: a unit key, a division-code
    /// prefix (2, 4 or 6 digits; empty for the whole province), the first and last month (YYYY-MM) and a note.
    public func addSupplyProblem(
        batchCode: String, unit: String, region: String, from: String, through: String, note: String, ctx: RequestContext
    ) async throws {
        let region = region.trimmingCharacters(in: .whitespaces)
        guard let unit = CheckUnit(key: unit.trimmingCharacters(in: .whitespaces)) else { throw Refusal(.unknownUnit) }
        guard let first = MonthKey(text: from), let last = MonthKey(text: through) else {
            throw Refusal(.badPeriod, zh: "月份应为YYYY-MM", en: "months must be YYYY-MM")
        }
        try await addSupplyProblem(
            batchCode: batchCode, SupplyProblem(unit: unit, regionPrefix: region, from: first, through: last), note: note, ctx: ctx)
    }

    /// Records a verified supply problem (the province's administrator); a recompute then counts it.
    public func addSupplyProblem(batchCode: String, _ problem: SupplyProblem, note: String, ctx: RequestContext) async throws {
        guard try await access(batchCode: batchCode, ctx: ctx).1.manages else { throw Refusal.forbidden }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        try await addSupplyProblem(batchCode: batchCode, problem, note: note, actor: AuditActor(ctx.principal.username))
    }

    public func alertCounts(batchCode: String, scope: AlertStore.Scope) async throws -> [AlertStatus: Int64] {
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        return try await AlertStore(db).counts(batchID: batch.id, scope: scope)
    }

    public func alertCounts(batchCode: String, ctx: RequestContext) async throws -> [AlertStatus: Int64] {
        let (batch, access) = try await access(batchCode: batchCode, ctx: ctx)
        return try await AlertStore(db).counts(batchID: batch.id, scope: try await scope(access))
    }

    /// One page of the alerts the principal sees, narrowed to a region inside its own or to one institution it
    /// oversees (the dashboard's drill-down: filtered here, not after paging).
    public func alerts(
        batchCode: String, status: AlertStatus?, code: AlertCode? = nil, unitKey: String? = nil, region: String? = nil,
        institution: String? = nil, page: PageRequest, ctx: RequestContext
    ) async throws -> Page<StoredAlert> {
        let (batch, access) = try await access(batchCode: batchCode, ctx: ctx)
        var scope = try await scope(access)
        if let region, !region.isEmpty, case .region(let own) = scope {
            guard region.hasPrefix(own) else { throw Refusal.forbidden }
            scope = .region(region)
        }
        if let institution, !institution.isEmpty {
            guard let org = try await AccountStore(db).organisation(code: institution) else { throw Refusal(.institutionNotFound) }
            switch scope {
            case .institution(let own): guard own == org.id else { throw Refusal.forbidden }
            case .region(let prefix): guard org.organisation.regionCode.value.hasPrefix(prefix) else { throw Refusal.forbidden }
            case .all: break
            }
            scope = .institution(org.id)
        }
        return try await AlertStore(db).list(batchID: batch.id, scope: scope, status: status, code: code, unitKey: unitKey, page: page)
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
    public func alert(batchCode: String, id: Int64, ctx: RequestContext) async throws -> StoredAlert {
        let (batch, access) = try await access(batchCode: batchCode, ctx: ctx)
        return try await visibleAlert(batchID: batch.id, id: id, access: access)
    }

    public func acknowledge(batchCode: String, id: Int64, note: String, ctx: RequestContext) async throws {
        let (batch, access) = try await access(batchCode: batchCode, ctx: ctx)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        let alert = try await visibleAlert(batchID: batch.id, id: id, access: access)
        try await db.transaction { db in
            guard try await AlertStore(db).acknowledge(id: alert.id, by: ctx.principal.username, note: note, at: ctx.at) else {
                throw Refusal(.alertNotOpen)
            }
            try await AuditLog(db).record(
                actor: ctx.principal.username, action: "acknowledge", entity: "alert", key: "\(batchCode)/\(alert.id)",
                summary: "知悉预警 \(alert.key.code.rawValue) \(alert.key.institutionCode)/\(alert.key.unitKey)：\(note)", ip: ctx.ip, at: ctx.at)
        }
    }

    public func resolve(batchCode: String, id: Int64, reason: String, ctx: RequestContext) async throws {
        let (batch, access) = try await access(batchCode: batchCode, ctx: ctx)
        guard access.mayResolve else { throw Refusal.forbidden }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        let alert = try await visibleAlert(batchID: batch.id, id: id, access: access)
        try await db.transaction { db in
            guard try await AlertStore(db).resolve(id: alert.id, by: ctx.principal.username, reason: reason, at: ctx.at) else {
                throw Refusal(.alertResolved)
            }
            try await AuditLog(db).record(
                actor: ctx.principal.username, action: "resolve", entity: "alert", key: "\(batchCode)/\(alert.id)",
                summary: "人工解除预警 \(alert.key.code.rawValue) \(alert.key.institutionCode)/\(alert.key.unitKey)：\(reason)", ip: ctx.ip, at: ctx.at)
        }
    }
}
