import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// Agreements and distributors: who sees which, sending, signing, the distributor network.
public struct AgreementService: Sendable {
    let db: DB
    let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// The agreements a principal sees: the province's or city's region, an institution's own, a firm's as
    /// manufacturer or as distributor. Nil for anyone else.
    public static func scope(of principal: Principal) -> AgreementStore.Scope? {
        switch principal.role {
        case .provinceAdmin, .provinceReviewer, .cityReviewer: principal.regionPrefix.map { .region($0) }
        case .institutionFiller, .institutionHead: principal.organisationCode.map { .institution($0) }
        case .manufacturer: principal.organisationCode.map { .manufacturer($0) }
        case .distributor: principal.organisationCode.map { .distributor($0) }
        }
    }

    func batchID(_ code: String) async throws -> Int64 {
        guard let batch = try await BatchStore(db).batch(code: code) else { throw ServiceError.batchNotFound(code) }
        return batch.id
    }

    /// One agreement, if the principal sees it (otherwise "not found": its existence is not revealed).
    func agreement(batchCode: String, id: Int64, for principal: Principal) async throws -> StoredAgreement {
        try await agreement(batchID: try await batchID(batchCode), id: id, for: principal)
    }

    func agreement(batchID batch: Int64, id: Int64, for principal: Principal) async throws -> StoredAgreement {
        guard let scope = Self.scope(of: principal) else { throw ServiceError.forbidden }
        guard let agreement = try await AgreementStore(db).agreement(batchID: batch, id: id), Self.sees(scope, agreement) else {
            throw Refusal(.agreementNotFound)
        }
        return agreement
    }

    static func sees(_ scope: AgreementStore.Scope, _ agreement: StoredAgreement) -> Bool {
        switch scope {
        case .region(let prefix): agreement.regionCode.hasPrefix(prefix)
        case .institution(let code): agreement.institutionCode == code
        case .manufacturer(let code): agreement.manufacturerCode == code
        case .distributor(let code): agreement.distributorCode == code
        }
    }

    /// Signs for the principal's party: an institution's head for the institution, a firm's account for the
    /// manufacturer or the distributor; each party once, and only while the agreement awaits signatures (003 §6).
    func sign(batchCode: String, id: Int64, by principal: Principal, actor: AuditActor) async throws -> StoredAgreement {
        let agreement = try await agreement(batchCode: batchCode, id: id, for: principal)
        guard let party = AgreementParty.of(principal.role), let organisation = principal.organisationCode else { throw Refusal(.wrongParty) }
        let at = now()
        let day = CivilDate(beijing: at)
        let next: AgreementState
        switch agreement.state.signed(as: party, by: organisation, on: day) {
        case .success(let state): next = state
        case .failure(let refusal): throw refusal
        }
        var signed = agreement
        signed.status = next.status
        signed.signatures[party] = StoredAgreement.Signature(user: principal.username, at: at)
        let written = signed
        let batchCodeCopy = batchCode
        // The status is decided by the statement that stores the signature (AgreementStore.sign), from the row as it
        // is then: two parties signing at once cannot both leave it "sent".
        signed.status = try await db.transaction { db in
            guard let stored = try await AgreementStore(db).sign(written, party: party, from: agreement.status) else {
                throw Refusal(.concurrentChange)
            }
            try await AuditLog(db).record(
                actor: actor.name, event: .agreementSign, key: "\(batchCodeCopy)/\(id)",
                summary: "\(party.label.zh)签署协议（\(written.institutionCode) \(written.productCode) 第\(written.yearIndex)年）"
                    + (stored == .inForce ? "，协议生效" : ""), at: at)
            return stored
        }
        return signed
    }

    /// Sends every draft that has its three parties, for signing (province).
    func send(batchCode: String, actor: AuditActor) async throws -> Int64 {
        let id = try await batchID(batchCode)
        guard try await AwardStore(db).state(batchID: id).phase == .published else { throw Refusal(.awardNotPublished) }
        let at = now()
        return try await db.transaction { db in
            let sent = try await AgreementStore(db).sendDrafts(batchID: id)
            try await AuditLog(db).record(actor: actor.name, event: .agreementsSend, key: batchCode, summary: "发出协议 \(sent) 份", at: at)
            return sent
        }
    }

    // MARK: Distributors

    /// A manufacturer's distributors by coordination area, and the participating institutions none covers.
    public struct Network: Sendable {
        public var manufacturerCode: String
        public var network: DistributorNetwork
        public var uncovered: [String]
        /// The distributors to pick from, by name (code → name), and the province's coordination areas (its cities:
        /// four-digit code → name), so the form offers names, not codes.
        public var distributorNames: [String: String] = [:]
        public var areas: [(code: String, name: String)] = []

        /// A distributor as people read it: its name, or its code when the platform has no name for it.
        public func name(ofDistributor code: String) -> String { distributorNames[code] ?? code }
        public func name(ofArea code: String) -> String { areas.first { $0.code == code }?.name ?? code }
    }

    /// The network of one winning manufacturer; the institutions are those holding agreed volume of its products.
    func network(batchCode: String, manufacturerCode: String) async throws -> Network {
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        let network = try await DistributorStore(db).network(batchID: batch.id, manufacturerCode: manufacturerCode)
        let holders = try await VolumeStore(db).holders(batchID: batch.id, manufacturerCode: manufacturerCode)
        let accounts = AccountStore(db)
        let distributors = try await accounts.organisations(kinds: [.distributor]).map { ($0.organisation.code, $0.organisation.name) }
        let province = String(batch.provinceCode.prefix(2))
        let areas = try await accounts.regions().filter { $0.level == .city && $0.code.value.hasPrefix(province) }.map {
            (code: String($0.code.value.prefix(4)), name: $0.name)
        }
        return Network(
            manufacturerCode: manufacturerCode, network: network, uncovered: network.uncovered(holders),
            distributorNames: Dictionary(distributors, uniquingKeysWith: { a, _ in a }), areas: areas)
    }

    /// Adds a distributor to a winning manufacturer's area, within the policy's limit (003 §2, §7); drafts of the
    /// area without a distributor get this one.
    func addDistributor(batchCode: String, manufacturerCode: String, area: String, distributorCode: String, actor: AuditActor) async throws {
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        guard let distributor = try await AccountStore(db).organisation(code: distributorCode), distributor.organisation.kind == .distributor else {
            throw Refusal(.notADistributor, zh: "“\(distributorCode)”不是配送企业", en: "\"\(distributorCode)\" is not a distributor")
        }
        guard area.count == 4, area.allSatisfy(\.isNumber), area.hasPrefix(String(batch.provinceCode.prefix(2))) else { throw Refusal(.badRegion) }
        let at = now()
        let policy = batch.policy.award
        // The limit is read and checked inside the write, under the manufacturer × area's lock (PostgreSQL; SQLite's
        // one writer serialises every transaction): ten adds at once cannot put six distributors in an area.
        try await db.transaction { db in
            try await db.serialise(on: "distributors/\(batch.id)/\(manufacturerCode)/\(area)")
            let current = try await DistributorStore(db).network(batchID: batch.id, manufacturerCode: manufacturerCode)
            if case .failure(let refusal) = current.adding(distributorCode, in: area, policy: policy) { throw refusal }
            guard !(current.byArea[area] ?? []).contains(distributorCode) else { return }
            try await DistributorStore(db).addDistributor(
                batchID: batch.id, manufacturer: manufacturerCode, area: area, distributor: distributorCode, by: actor.name, at: at)
            try await AgreementStore(db).assignDistributor(
                batchID: batch.id, manufacturer: manufacturerCode, area: area, distributor: distributorCode)
            try await AuditLog(db).record(
                actor: actor.name, event: .distributorAdd, key: "\(batchCode)/\(manufacturerCode)/\(area)",
                summary: "添加配送企业 \(distributorCode)", at: at)
        }
    }

    func removeDistributor(batchCode: String, manufacturerCode: String, area: String, distributorCode: String, actor: AuditActor) async throws {
        let id = try await batchID(batchCode)
        let at = now()
        try await db.transaction { db in
            try await DistributorStore(db).removeDistributor(batchID: id, manufacturer: manufacturerCode, area: area, distributor: distributorCode)
            try await AuditLog(db).record(
                actor: actor.name, event: .distributorRemove, key: "\(batchCode)/\(manufacturerCode)/\(area)",
                summary: "移除配送企业 \(distributorCode)", at: at)
        }
    }
}

extension AgreementService {
    /// Loads a distributors file (manufacturer, coordination area, distributor): every row is checked — known
    /// winning manufacturer and distributor, an area of the province, the limit per area counted with what is
    /// already there — and a bad file adds nothing.
    func importDistributors(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        let started = Date()
        let rows = try await ParseGate.run(owner: actor.name) { try DistributorTable.read(path) }
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        let file = (path as NSString).lastPathComponent
        let winners = Set(try await AwardStore(db).results(batchID: batch.id).map(\.manufacturerCode))
        let kinds = Dictionary(
            try await AccountStore(db).organisations(kinds: [.distributor]).map { ($0.organisation.code, true) }, uniquingKeysWith: { a, _ in a })
        var networks: [String: DistributorNetwork] = [:]
        var issues: [ImportIssue] = []
        func column(_ key: String) -> String { Schemas.distributors.column(key).zh }
        for row in rows {
            let record = row.value
            guard winners.contains(record.manufacturerCode) else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("manufacturer"), zh: "“\(record.manufacturerCode)”不是本批次的中选企业",
                        en: "\"\(record.manufacturerCode)\" is not a winning manufacturer of the batch"))
                continue
            }
            guard kinds[record.distributorCode] != nil else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("distributor"), zh: "“\(record.distributorCode)”不是配送企业",
                        en: "\"\(record.distributorCode)\" is not a distributor"))
                continue
            }
            guard record.area.hasPrefix(String(batch.provinceCode.prefix(2))) else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("area"), zh: "统筹区“\(record.area)”不在本省",
                        en: "area \"\(record.area)\" is not in the province"))
                continue
            }
            if networks[record.manufacturerCode] == nil {
                networks[record.manufacturerCode] = try await network(batchCode: batchCode, manufacturerCode: record.manufacturerCode).network
            }
            switch networks[record.manufacturerCode]!.adding(
                record.distributorCode, in: record.area, policy: batch.policy.award)
            {
            case .success(let next): networks[record.manufacturerCode] = next
            case .failure(let refusal): issues.append(ImportIssue(file: file, row: row.row, column: column("distributor"), reason: refusal.message))
            }
        }
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let at = now()
        let existing = try await DistributorStore(db).distributors(batchID: batch.id)
        let have = Set(existing.map { "\($0.manufacturer) \($0.area) \($0.distributor)" })
        let new = rows.map(\.value).filter { !have.contains("\($0.manufacturerCode) \($0.area) \($0.distributorCode)") }
        try await db.transaction { db in
            for record in new {
                try await DistributorStore(db).addDistributor(
                    batchID: batch.id, manufacturer: record.manufacturerCode, area: record.area, distributor: record.distributorCode, by: actor.name,
                    at: at)
                try await AgreementStore(db).assignDistributor(
                    batchID: batch.id, manufacturer: record.manufacturerCode, area: record.area, distributor: record.distributorCode)
            }
            try await AuditLog(db).record(
                actor: actor.name, event: .distributorsImport, key: batchCode, summary: "导入配送企业 \(new.count) 条", at: at)
        }
        return ImportSummary(
            kind: "distributors", file: file, rows: rows.count, inserted: new.count, updated: 0, seconds: Date().timeIntervalSince(started))
    }
}
