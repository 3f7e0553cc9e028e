import Foundation
import JicaiCore
import JicaiPersistence

/// What a filer asks for: a kind of problem on a winning product, an area and the months it covers.
public struct TicketRequest: Sendable, Hashable {
    public var kind: SupplyProblemKind
    public var productCode: String
    /// A county (6 digits), a city (4) or empty for the filer's own area (an institution's county, a city's city,
    /// the province's whole province).
    public var region: String
    public var from: MonthKey
    public var through: MonthKey
    public var description: String

    public init(kind: SupplyProblemKind, productCode: String, region: String, from: MonthKey, through: MonthKey, description: String) {
        self.kind = kind
        self.productCode = productCode
        self.region = region
        self.from = from
        self.through = through
        self.description = description
    }
}

/// Supply-problem tickets (004 §8, 001 §2(四)): an institution or a bureau files, the manufacturer and the distributor
/// answer within the policy's days, the city (or the province, once it went up) verifies or dismisses. A verified
/// ticket ends as a verified supply problem of monitoring (one record, `SupplyProblem.covers`) and an entry in each
/// firm's credit record, in one transaction.
extension SupplyService {
    /// The tickets a principal sees: a bureau its region's, an institution those it filed, a firm those it is on.
    func ticketScope(_ scope: BatchScope) throws -> TicketStore.Scope {
        let principal = scope.principal
        switch principal.role {
        case .provinceAdmin, .provinceReviewer, .cityReviewer:
            guard let prefix = principal.regionPrefix else { throw Refusal.forbidden }
            return .region(prefix)
        case .institutionFiller, .institutionHead:
            guard let code = principal.organisationCode else { throw Refusal.forbidden }
            return .institution(code)
        case .manufacturer, .distributor:
            guard let code = principal.organisationCode else { throw Refusal.forbidden }
            return .firm(code)
        }
    }

    func visibleTicket(_ scope: BatchScope, id: Int64) async throws -> StoredTicket {
        let ticketScope = try ticketScope(scope)
        guard let ticket = try await TicketStore(db).ticket(batchID: scope.batch.id, id: id) else { throw Refusal(.ticketNotFound) }
        let sees: Bool
        switch ticketScope {
        case .region(let prefix): sees = ticket.regionPrefix.hasPrefix(prefix) || prefix.hasPrefix(ticket.regionPrefix)
        case .institution(let code): sees = ticket.institutionCode == code
        case .firm(let code): sees = ticket.manufacturerCode == code || ticket.distributorCode == code
        }
        guard sees else { throw Refusal(.ticketNotFound) }
        return ticket
    }

    /// Files a ticket. The area must be inside the filer's own (an institution: its county; a city: its city); the
    /// product a current winning product; the months in order and at most two years; a description.
    public func fileTicket(_ scope: BatchScope, _ request: TicketRequest) async throws -> Int64 {
        let principal = scope.principal
        guard !principal.role.isCompany else { throw Refusal.forbidden }
        let description = request.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty, description.count <= InputLimits.maxExplanationCharacters else {
            throw Refusal(.noteRequired, zh: "请描述问题（最多\(InputLimits.maxExplanationCharacters)字）", en: "describe the problem")
        }
        if let refusal = TicketRules.checkPeriod(from: request.from, through: request.through) { throw refusal }
        let award = AwardService(db: db, now: now)
        guard let result = try await award.resultUnit(scope.head, productCode: request.productCode) else {
            throw Refusal(.badProduct, zh: "“\(request.productCode)”不是本批次的中选产品", en: "\(request.productCode) is not a winning product of the batch")
        }
        let (region, institution, distributor) = try await ticketArea(scope, request: request)
        let day = today
        guard let due = TicketRules.deadlines(filed: day, policy: scope.batch.policy.supply) else { throw Refusal(.badDate) }
        let ticket = TicketStore.NewTicket(
            kind: request.kind, productCode: request.productCode, unitKey: result.unit.key, manufacturerCode: result.manufacturerCode,
            distributorCode: distributor, institutionID: institution, regionPrefix: region, from: request.from, through: request.through,
            description: description)
        let (batchID, user, at, code) = (scope.batch.id, principal.username, now(), scope.code)
        return try await db.transaction { db in
            let id = try await TicketStore(db).insert(batchID: batchID, ticket, by: user, on: day, answerDue: due.answer, verifyDue: due.verify)
            try await AuditLog(db).record(
                actor: user, event: .ticketFile, key: "\(code)/\(id)",
                summary: "报告供应问题：\(request.kind.label.zh) \(request.productCode) \(region)，企业答复期限\(due.answer)", at: at)
            return id
        }
    }

    /// The area, the filing institution and the distributor named on a ticket, from the filer's role.
    func ticketArea(_ scope: BatchScope, request: TicketRequest) async throws -> (String, Int64?, String?) {
        let principal = scope.principal
        let asked = request.region.trimmingCharacters(in: .whitespaces)
        if principal.role.isInstitution {
            guard let code = principal.organisationCode, let org = try await AccountStore(db).organisation(code: code) else {
                throw Refusal.forbidden
            }
            let county = org.organisation.regionCode.value
            guard asked.isEmpty || asked == county else {
                throw Refusal(.badRegion, zh: "医疗机构只能报告本县（区）的问题", en: "an institution reports for its own county")
            }
            let agreements = try await AwardService(db: db, now: now).agreementsInForce(batchID: scope.batch.id, institutionCode: code)
            let distributor = agreements.last(where: { $0.productCode == request.productCode })?.distributorCode
            return (county, org.id, distributor)
        }
        guard let own = principal.regionPrefix else { throw Refusal.forbidden }
        let region = asked.isEmpty ? own : asked
        guard DivisionCode.isPrefix(region), region.hasPrefix(own) else {
            throw Refusal(.badRegion, zh: "区划“\(region)”不在本辖区", en: "region \(region) is outside your area")
        }
        return (region, nil, nil)
    }

    /// A firm on the ticket answers for its party, once, while the ticket awaits answers.
    public func answerTicket(_ scope: BatchScope, id: Int64, text: String) async throws -> StoredTicket {
        let ticket = try await visibleTicket(scope, id: id)
        let principal = scope.principal
        guard let party = AgreementParty.of(principal.role), party != .institution, let own = principal.organisationCode else {
            throw Refusal.forbidden
        }
        guard party == .manufacturer ? ticket.manufacturerCode == own : ticket.distributorCode == own else { throw Refusal(.wrongParty) }
        guard ticket.status == .open else { throw Refusal(.ticketState) }
        guard (party == .manufacturer ? ticket.manufacturerAnswer : ticket.distributorAnswer) == nil else { throw Refusal(.alreadyAnswered) }
        let answer = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty, answer.count <= InputLimits.maxExplanationCharacters else { throw Refusal(.noteRequired) }
        let status = TicketRules.afterAnswer(
            manufacturerAnswered: party == .manufacturer || ticket.manufacturerAnswer != nil,
            distributorAnswered: party == .distributor || ticket.distributorAnswer != nil, hasDistributor: ticket.distributorCode != nil)
        let (day, user, at, key) = (today, principal.username, now(), "\(scope.code)/\(id)")
        try await db.transaction { db in
            guard try await TicketStore(db).answer(id, party: party, text: answer, by: user, on: day, status: status, from: ticket.version) else {
                throw Refusal(.concurrentChange)
            }
            try await AuditLog(db).record(actor: user, event: .ticketAnswer, key: key, summary: "\(party.label.zh)答复工单\(ticket.number)", at: at)
        }
        return try await visibleTicket(scope, id: id)
    }

    /// The city of the ticket's area, or the province, verifies or dismisses it once the firms answered or their
    /// deadline passed. Verifying records the supply problem for monitoring and a credit entry for each firm on it.
    public func decideTicket(_ scope: BatchScope, id: Int64, verify: Bool, note: String) async throws -> StoredTicket {
        let ticket = try await visibleTicket(scope, id: id)
        let principal = scope.principal
        guard principal.role.isBureau,
            let own = principal.regionPrefix, ticket.regionPrefix.hasPrefix(own)
        else { throw Refusal.forbidden }
        let day = today
        guard TicketRules.mayDecide(status: ticket.status, answerDue: ticket.answerDue, on: day) else { throw Refusal(.ticketState) }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= InputLimits.maxNoteCharacters else { throw Refusal(.noteRequired) }
        guard let unit = CheckUnit(key: ticket.unitKey) else { throw Refusal(.unknownUnit) }
        let (batchID, user, at, key) = (scope.batch.id, principal.username, now(), "\(scope.code)/\(id)")
        try await db.transaction { db in
            var problemID: Int64?
            if verify {
                let problem = SupplyProblem(unit: unit, regionPrefix: ticket.regionPrefix, from: ticket.from, through: ticket.through)
                problemID = try await MonitorService.recordVerifiedProblem(
                    db, batchID: batchID, problem, note: "工单\(ticket.number)：\(note)", by: user, at: at)
                let store = TicketStore(db)
                try await store.addCredit(
                    batchID: batchID, firm: ticket.manufacturerCode, party: .manufacturer, ticketID: id, kind: ticket.kind, on: day, note: note)
                if let distributor = ticket.distributorCode {
                    try await store.addCredit(
                        batchID: batchID, firm: distributor, party: .distributor, ticketID: id, kind: ticket.kind, on: day, note: note)
                }
            }
            guard
                try await TicketStore(db).decide(
                    id, status: verify ? .verified : .dismissed, note: note, by: user, on: day, problemID: problemID, from: ticket.version)
            else { throw Refusal(.concurrentChange) }
            try await AuditLog(db).record(
                actor: user, event: verify ? .ticketVerify : .ticketDismiss, key: key,
                summary: (verify ? "认定供应问题" : "不予认定") + "（工单\(ticket.number)）：\(note)", at: at)
        }
        return try await visibleTicket(scope, id: id)
    }

    /// A page of the tickets the scope sees (one status, or those gone up to the province), with today for the clock.
    public func ticketsPage(_ scope: BatchScope, status: TicketStatus?, escalatedOnly: Bool, page: PageRequest) async throws -> (
        Page<StoredTicket>, CivilDate
    ) {
        let day = today
        return (
            try await TicketStore(db).page(
                batchID: scope.batch.id, scope: try ticketScope(scope), status: status, escalatedOn: escalatedOnly ? day : nil, page: page), day
        )
    }

    /// One ticket with what the principal may do with it now.
    public struct TicketDetail: Sendable {
        public var ticket: StoredTicket
        public var today: CivilDate
        public var mayAnswer: Bool
        public var mayDecide: Bool
    }

    public func ticketDetail(_ scope: BatchScope, id: Int64) async throws -> TicketDetail {
        let ticket = try await visibleTicket(scope, id: id)
        let principal = scope.principal
        let day = today
        let own = principal.organisationCode
        let mayAnswer =
            ticket.status == .open
            && ((principal.role == .manufacturer && own == ticket.manufacturerCode && ticket.manufacturerAnswer == nil)
                || (principal.role == .distributor && own != nil && own == ticket.distributorCode && ticket.distributorAnswer == nil))
        let bureau = principal.role.isBureau
        let mayDecide =
            bureau && principal.regionPrefix.map { ticket.regionPrefix.hasPrefix($0) } == true
            && TicketRules.mayDecide(status: ticket.status, answerDue: ticket.answerDue, on: day)
        return TicketDetail(ticket: ticket, today: day, mayAnswer: mayAnswer, mayDecide: mayDecide)
    }

    /// Firms' credit entries: a firm its own, the bureaus every firm's; institutions see none.
    public func credit(_ scope: BatchScope, page: PageRequest) async throws -> Page<CreditEntry> {
        let principal = scope.principal
        if principal.role.isCompany {
            guard let own = principal.organisationCode else { throw Refusal.forbidden }
            return try await TicketStore(db).credit(firm: own, page: page)
        }
        guard Authorizer.listingPrefix(principal, requested: nil) != nil, !principal.role.isInstitution else { throw Refusal.forbidden }
        return try await TicketStore(db).credit(firm: nil, page: page)
    }
}

extension SupplyService {
    /// The products a ticket may be filed on, as "code（spec）manufacturer" labels; empty for those who cannot file.
    public func ticketProducts(_ scope: BatchScope) async throws -> [(code: String, label: String)] {
        guard !scope.principal.role.isCompany else { return [] }
        return try await AwardService(db: db, now: now).winningProducts(batchID: scope.batch.id).map {
            ($0.productCode, "\($0.productCode)（\($0.specCode)）\($0.manufacturerName)")
        }
    }
}
