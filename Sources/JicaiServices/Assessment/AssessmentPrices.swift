import Foundation
import JicaiCore
import JicaiPersistence

/// The pre-award prices the province enters itself (docs/rules.md "Assessment"): where the history has no amounts, or
/// the bureau has a better figure (another province's average, its own survey), it sets a unit's price as yuan per
/// minimal unit of one of the unit's specs; the assessment and the demand form's what-if use it instead of the
/// history's average. Refused once a year the price would change is approved.
extension AssessmentService {
    public func prices(_ scope: BatchScope) async throws -> [AssessmentStore.StoredPrice] {
        _ = try access(scope)
        return try await AssessmentStore(db).prices(batchID: scope.batch.id)
    }

    /// Sets (or replaces) the price of the unit of `specCode`: UNKNOWN_SPEC for a spec the batch lacks, BAD_PRICE, a
    /// basis required (at most 500 characters), ASSESSMENT_APPROVED when a year is approved.
    public func setPrice(_ scope: BatchScope, specCode: String, yuanPerMinimalUnit: String, basis: String) async throws -> AssessmentStore.StoredPrice
    {
        try requireManager(scope)
        let catalogue = try await monitor.context(scope.head).catalogue
        guard let spec = catalogue.specByCode[specCode.trimmingCharacters(in: .whitespaces)], let unit = catalogue.unit(ofSpec: spec.code) else {
            throw Refusal(.unknownSpec)
        }
        let basis = basis.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !basis.isEmpty, basis.count <= InputLimits.maxNoteCharacters else {
            throw Refusal(.reasonRequired, zh: "请填写价格依据（不超过500字）", en: "give the price's basis (at most 500 characters)")
        }
        let price = try PreAwardPrice.provincial(yuanPerMinimalUnit: yuanPerMinimalUnit, spec: spec, basis: basis).get()
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        let stored = AssessmentStore.StoredPrice(
            unitKey: unit.key, specCode: spec.code, priceText: yuanPerMinimalUnit.trimmingCharacters(in: .whitespaces), price: price, setBy: user,
            setAt: at)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            try await Self.refuseWhenApproved(store, batchID: batchID)
            try await store.putPrice(batchID: batchID, stored)
            try await AuditLog(db).record(
                actor: user, event: .priceSet, key: "\(code)/\(unit.key)",
                summary: "核定采购前价格：\(unit.key) 按\(spec.code)每\(spec.minimalUnit)\(stored.priceText)元，依据：\(basis)", at: at)
        }
        return stored
    }

    /// Removes a unit's price (the history's average applies again): PRICE_NOT_FOUND when it has none.
    public func removePrice(_ scope: BatchScope, unitKey: String) async throws {
        try requireManager(scope)
        let (batchID, user, at, code) = (scope.batch.id, scope.principal.username, now(), scope.code)
        try await db.transaction { db in
            try await db.serialise(on: "assessment-\(batchID)")
            let store = AssessmentStore(db)
            try await Self.refuseWhenApproved(store, batchID: batchID)
            guard try await store.removePrice(batchID: batchID, unitKey: unitKey) else { throw Refusal(.priceNotFound) }
            try await AuditLog(db).record(
                actor: user, event: .priceRemove, key: "\(code)/\(unitKey)", summary: "撤销核定采购前价格：\(unitKey)（恢复按历史采购均价）", at: at)
        }
    }

    /// Each unit's pre-award price: the province's where it set one, else the history's weighted average.
    static func preAwardPrices(_ db: DB, batchID: Int64, _ catalogue: Catalogue) async throws -> [String: PreAwardPrice] {
        let store = AssessmentStore(db)
        var prices = PreAwardPrice.byUnit(try await store.historyWithAmounts(batchID: batchID), catalogue)
        for set in try await store.prices(batchID: batchID) { prices[set.unitKey] = set.price }
        return prices
    }

    /// A price reaches every year of the cycle: once any year is approved, its figures stand.
    static func refuseWhenApproved(_ store: AssessmentStore, batchID: Int64) async throws {
        if try await store.runs(batchID: batchID).contains(where: { $0.status == .approved }) { throw Refusal(.assessmentApproved) }
    }
}
