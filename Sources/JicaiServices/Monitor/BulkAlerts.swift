import Foundation
import JicaiCore
import JicaiPersistence

/// Alerts handled in bulk (#29): a city with thousands of alerts acknowledges, or resolves by hand, every alert of the
/// list it filtered (kind, area) with one note, after confirming how many; each alert keeps its own audit entry.
extension MonitorService {
    public enum BulkAlertAction: String, Sendable, CaseIterable {
        /// Open alerts → acknowledged, with the note.
        case acknowledge
        /// Open or acknowledged alerts → resolved by hand, with the note as the reason (bureaus only).
        case resolve
    }

    /// How many alerts a bulk action would handle: the principal's open ones (acknowledge) or those not resolved
    /// (resolve), of one kind and area when given.
    public func bulkCount(_ scope: BatchScope, action: BulkAlertAction, code: AlertCode?, region: String?) async throws -> Int64 {
        Int64(try await bulkTargets(scope, action: action, code: code, region: region, db: db).count)
    }

    /// Handles every alert `bulkCount` counts, with one note: NOTE_REQUIRED without one, FORBIDDEN for an
    /// institution resolving, CONCURRENT_CHANGE (nothing done) when the count is no longer the one confirmed.
    /// Returns how many were handled.
    public func handleAll(_ scope: BatchScope, action: BulkAlertAction, code: AlertCode?, region: String?, expected: Int64, note: String)
        async throws -> Int64
    {
        let access = try access(scope)
        if action == .resolve, !access.mayResolve { throw Refusal.forbidden }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        let (ctx, batchCode) = (scope.ctx, scope.code)
        return try await db.transaction { db in
            let targets = try await self.bulkTargets(scope, action: action, code: code, region: region, db: db)
            guard Int64(targets.count) == expected else {
                throw Refusal(
                    .concurrentChange, zh: "待处理预警已变为\(targets.count)条（确认时为\(expected)条），请刷新后重新确认",
                    en: "\(targets.count) alerts are in the list now (\(expected) when confirmed); reload and confirm again")
            }
            let store = AlertStore(db)
            let ids = targets.map(\.id)
            let done =
                action == .acknowledge
                ? try await store.acknowledgeMany(ids: ids, by: ctx.principal.username, note: note, at: ctx.at)
                : try await store.resolveMany(ids: ids, by: ctx.principal.username, reason: note, at: ctx.at)
            let byID = Dictionary(targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let verb = action == .acknowledge ? "批量知悉预警" : "批量人工解除预警"
            let entries = done.compactMap { id -> (key: String, summary: String)? in
                guard let a = byID[id] else { return nil }
                return ("\(batchCode)/\(id)", "\(verb) \(a.key.code.rawValue) \(a.key.institutionCode)/\(a.key.unitKey)：\(note)")
            }
            try await AuditLog(db).recordEach(
                actor: ctx.principal.username, event: action == .acknowledge ? .alertAcknowledge : .alertResolve, entries: entries, at: ctx.at)
            return Int64(done.count)
        }
    }

    func bulkTargets(_ scope: BatchScope, action: BulkAlertAction, code: AlertCode?, region: String?, db: DB) async throws -> [StoredAlert] {
        // Read through the caller's connection (inside `handleAll`'s transaction on SQLite's one writer).
        let seen = try await MonitorService(db: db, now: now).alertScope(try access(scope), region: region)
        return try await AlertStore(db).all(
            batchID: scope.batch.id, scope: seen, status: action == .acknowledge ? .open : nil, code: code)
    }
}
