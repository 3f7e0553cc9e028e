import Foundation
import JicaiCore
import JicaiPersistence

/// A list of agreements narrowed by city, manufacturer, product and institution (the web names it without the
/// storage layer).
public typealias AgreementNarrowing = AgreementStore.Narrowing

/// "Sign all awaiting my signature": a distributor may have thousands of agreements to sign, a head dozens. The
/// party signs, in one confirmed action, every agreement of its scope that awaits its signature and matches the
/// narrowing, each judged by the same rule as a single signature (`AgreementState.signed`), written by the same
/// statement (`AgreementStore.signMany`) and audited on its own (003 §6).
extension AgreementService {
    public struct BulkSigning: Sendable, Hashable {
        /// Signed now.
        public var signed: Int64
        /// Of those, now in force (the third signature).
        public var inForce: Int64
        /// Listed but not signable (expired, or signed meanwhile).
        public var skipped: Int64
    }

    /// Signs the party's awaiting agreements that match `narrowing`. `expected` is the count the user confirmed: when
    /// the list has changed since (CONCURRENT_CHANGE) nothing is signed. WRONG_PARTY for a bureau's account.
    public func signAll(_ scope: BatchScope, narrowing: AgreementStore.Narrowing, expected: Int64) async throws -> BulkSigning {
        guard let seen = Self.scope(of: scope.principal) else { throw ServiceError.forbidden }
        guard let party = AgreementParty.of(scope.principal.role), let organisation = scope.principal.organisationCode else {
            throw Refusal(.wrongParty)
        }
        let (batchID, code, actor, user, at) = (scope.batch.id, scope.code, scope.actor, scope.principal.username, now())
        let day = CivilDate(beijing: at)
        return try await db.transaction { db in
            let store = AgreementStore(db)
            let listed = try await store.awaiting(batchID: batchID, scope: seen, party: party, narrowing: narrowing)
            guard Int64(listed.count) == expected else {
                throw Refusal(
                    .concurrentChange, zh: "待签协议已变为\(listed.count)份（确认时为\(expected)份），请刷新后重新确认",
                    en: "\(listed.count) agreements await signature now (\(expected) when confirmed); reload and confirm again")
            }
            let signable = listed.filter {
                if case .success = $0.state.signed(as: party, by: organisation, on: day) { return true }
                return false
            }
            let byID = Dictionary(signable.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let written = try await store.signMany(ids: signable.map(\.id), party: party, user: user, at: at)
            let entries = written.compactMap { row -> (key: String, summary: String)? in
                guard let a = byID[row.id] else { return nil }
                return (
                    "\(code)/\(row.id)",
                    "\(party.label.zh)批量签署协议（\(a.institutionCode) \(a.productCode) 第\(a.yearIndex)年）" + (row.status == .inForce ? "，协议生效" : "")
                )
            }
            try await AuditLog(db).recordEach(actor: actor.name, event: .agreementSign, entries: entries, at: at)
            let inForce = Int64(written.filter { $0.status == .inForce }.count)
            return BulkSigning(signed: Int64(written.count), inForce: inForce, skipped: Int64(listed.count - written.count))
        }
    }

    /// The agreements `signAll` would sign, one page (the list the user confirms).
    public func awaitingMine(_ scope: BatchScope, narrowing: AgreementStore.Narrowing, page: PageRequest) async throws -> Page<StoredAgreement> {
        guard let seen = Self.scope(of: scope.principal) else { throw ServiceError.forbidden }
        guard let party = AgreementParty.of(scope.principal.role) else { return Page(items: [], total: 0, request: page) }
        return try await AgreementStore(db).page(batchID: scope.batch.id, scope: seen, awaiting: party, narrowing: narrowing, page: page)
    }
}
