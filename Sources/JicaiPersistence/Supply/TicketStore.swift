import Foundation
import JicaiCore
import SQLKit

/// Supply-problem tickets and the credit entries verified ones leave (供). Every change is written only if the ticket
/// is still at the version it was read with.
public struct TicketStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    /// Who sees which tickets: a region's (a city or the province), an institution's own, a firm's.
    public enum Scope: Sendable, Hashable {
        case region(String)
        case institution(String)
        case firm(String)
    }

    public struct NewTicket: Sendable {
        public var kind: SupplyProblemKind
        public var productCode: String
        public var unitKey: String
        public var manufacturerCode: String
        public var distributorCode: String?
        public var institutionID: Int64?
        public var regionPrefix: String
        public var from: MonthKey
        public var through: MonthKey
        public var description: String

        public init(
            kind: SupplyProblemKind, productCode: String, unitKey: String, manufacturerCode: String, distributorCode: String?, institutionID: Int64?,
            regionPrefix: String, from: MonthKey, through: MonthKey, description: String
        ) {
            self.kind = kind
            self.productCode = productCode
            self.unitKey = unitKey
            self.manufacturerCode = manufacturerCode
            self.distributorCode = distributorCode
            self.institutionID = institutionID
            self.regionPrefix = regionPrefix
            self.from = from
            self.through = through
            self.description = description
        }
    }

    public func insert(
        batchID: Int64, _ ticket: NewTicket, by user: String, on day: CivilDate, answerDue: CivilDate, verifyDue: CivilDate
    ) async throws -> Int64 {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            INSERT INTO supply_tickets (batch_id, kind, product_code, unit_key, manufacturer_code, distributor_code, institution_id, region_prefix,
                from_month, through_month, description, filed_by, filed_date, answer_due, verify_due, status, version)
            VALUES (\(bind: batchID), \(bind: ticket.kind.rawValue), \(bind: ticket.productCode), \(bind: ticket.unitKey),
                \(bind: ticket.manufacturerCode), \(bind: ticket.distributorCode), \(bind: ticket.institutionID), \(bind: ticket.regionPrefix),
                \(bind: Int64(ticket.from.yyyymm)), \(bind: Int64(ticket.through.yyyymm)), \(bind: ticket.description), \(bind: user),
                \(bind: day.yyyymmdd), \(bind: answerDue.yyyymmdd), \(bind: verifyDue.yyyymmdd), \(bind: TicketStatus.open.rawValue), 1)
            RETURNING id
            """, as: R.self)
        guard let id = row?.id else { throw Refusal(.internalError) }
        return id
    }

    public func ticket(batchID: Int64, id: Int64) async throws -> StoredTicket? {
        try await db.first(Self.select + " WHERE t.batch_id = \(bind: batchID) AND t.id = \(bind: id)", as: Row.self)?.ticket
    }

    /// One page of the tickets in scope, newest first; optionally of one status, or only those escalated on `day`.
    public func page(batchID: Int64, scope: Scope, status: TicketStatus?, escalatedOn day: CivilDate?, page: PageRequest) async throws -> Page<
        StoredTicket
    > {
        var query = PagedQuery(from: Self.tables, where: "t.batch_id = \(bind: batchID)")
        query.add(Self.condition(scope))
        query.add(.equals("t.status", status?.rawValue))
        if let day {
            query.add(
                .sql(
                    """
                    (t.status = 'open' AND t.answer_due < \(bind: day.yyyymmdd)) OR (t.status = 'answered' AND t.verify_due < \(bind: day.yyyymmdd))
                    """))
        }
        return try await query.page(db, select: Self.columns, orderBy: "t.id DESC", page: page, as: Row.self, \.ticket)
    }

    static func condition(_ scope: Scope) -> PagedQuery.Condition {
        switch scope {
        // A region sees the tickets of areas inside it, and those of the whole province or its city that cover it.
        case .region(let prefix): .sql("t.region_prefix LIKE \(bind: prefix + "%") OR \(bind: prefix) LIKE t.region_prefix || '%'")
        case .institution(let code): .equals("i.code", .text(code))
        case .firm(let code): .sql("t.manufacturer_code = \(bind: code) OR t.distributor_code = \(bind: code)")
        }
    }

    /// Writes a firm's answer (and the status it leads to) if the ticket is still at `version`.
    public func answer(
        _ id: Int64, party: AgreementParty, text: String, by user: String, on day: CivilDate, status: TicketStatus, from version: Int64
    )
        async throws -> Bool
    {
        struct R: Decodable { var id: Int64 }
        let columns: SQLQueryString =
            party == .manufacturer
            ? "manufacturer_answer = \(bind: text), manufacturer_answered_by = \(bind: user)"
            : "distributor_answer = \(bind: text), distributor_answered_by = \(bind: user)"
        let row = try await db.first(
            "UPDATE supply_tickets SET " + columns
                + """
                , answered_date = \(bind: day.yyyymmdd), status = \(bind: status.rawValue), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: version) RETURNING id
                """, as: R.self)
        return row != nil
    }

    /// Writes the decision if the ticket is still at `version`.
    public func decide(_ id: Int64, status: TicketStatus, note: String, by user: String, on day: CivilDate, problemID: Int64?, from version: Int64)
        async throws -> Bool
    {
        struct R: Decodable { var id: Int64 }
        let row = try await db.first(
            """
            UPDATE supply_tickets SET status = \(bind: status.rawValue), decided_by = \(bind: user), decided_date = \(bind: day.yyyymmdd),
            decision_note = \(bind: note), problem_id = \(bind: problemID), version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: version) RETURNING id
            """, as: R.self)
        return row != nil
    }

    public func addCredit(
        batchID: Int64, firm: String, party: AgreementParty, ticketID: Int64, kind: SupplyProblemKind, on day: CivilDate, note: String
    )
        async throws
    {
        try await db.run(
            """
            INSERT INTO supply_credit_entries (batch_id, firm_code, party, ticket_id, kind, on_date, note)
            VALUES (\(bind: batchID), \(bind: firm), \(bind: party.rawValue), \(bind: ticketID), \(bind: kind.rawValue), \(bind: day.yyyymmdd), \(bind: note))
            """)
    }

    /// A page of credit entries, newest first: one firm's, or every firm's.
    public func credit(firm: String?, page: PageRequest) async throws -> Page<CreditEntry> {
        struct R: Decodable { var firm_code: String, name: String?, party: String, ticket_id: Int64, kind: String, on_date: Int64, note: String }
        var query = PagedQuery(from: "supply_credit_entries c LEFT JOIN organisations f ON f.code = c.firm_code")
        query.add(.equals("c.firm_code", firm))
        return try await query.page(
            db, select: "c.firm_code, f.name, c.party, c.ticket_id, c.kind, c.on_date, c.note", orderBy: "c.id DESC", page: page, as: R.self
        ) { row in
            guard let party = AgreementParty(rawValue: row.party), let kind = SupplyProblemKind(rawValue: row.kind),
                let day = CivilDate(yyyymmdd: row.on_date)
            else { return nil }
            return CreditEntry(
                firmCode: row.firm_code, firmName: row.name ?? row.firm_code, party: party, ticketID: row.ticket_id, kind: kind, onDate: day,
                note: row.note)
        }
    }

    static let columns: SQLQueryString = """
        t.id, t.kind, t.product_code, t.unit_key, t.manufacturer_code, COALESCE(m.name, t.manufacturer_code) AS manufacturer_name,
        t.distributor_code, d.name AS distributor_name, i.code AS institution_code, i.name AS institution_name, t.region_prefix, t.from_month,
        t.through_month, t.description, t.filed_by, t.filed_date, t.answer_due, t.verify_due, t.status, t.manufacturer_answer,
        t.distributor_answer, t.decided_by, t.decided_date, t.decision_note, t.version
        """
    static let tables: SQLQueryString = """
        supply_tickets t LEFT JOIN organisations m ON m.code = t.manufacturer_code LEFT JOIN organisations d ON d.code = t.distributor_code
        LEFT JOIN organisations i ON i.id = t.institution_id
        """
    static let select: SQLQueryString = "SELECT " + columns + " FROM " + tables

    struct Row: Decodable {
        var id: Int64, kind: String, product_code: String, unit_key: String, manufacturer_code: String, manufacturer_name: String
        var distributor_code: String?, distributor_name: String?, institution_code: String?, institution_name: String?, region_prefix: String
        var from_month: Int64, through_month: Int64, description: String, filed_by: String, filed_date: Int64, answer_due: Int64
        var verify_due: Int64, status: String, manufacturer_answer: String?, distributor_answer: String?, decided_by: String?
        var decided_date: Int64?, decision_note: String?, version: Int64

        var ticket: StoredTicket? {
            guard let kind = SupplyProblemKind(rawValue: kind), let status = TicketStatus(rawValue: status),
                let from = MonthKey(yyyymm: Int(from_month)), let through = MonthKey(yyyymm: Int(through_month)),
                let filed = CivilDate(yyyymmdd: filed_date), let answerDue = CivilDate(yyyymmdd: answer_due),
                let verifyDue = CivilDate(yyyymmdd: verify_due)
            else { return nil }
            return StoredTicket(
                id: id, kind: kind, productCode: product_code, unitKey: unit_key, manufacturerCode: manufacturer_code,
                manufacturerName: manufacturer_name, distributorCode: distributor_code, distributorName: distributor_name,
                institutionCode: institution_code, institutionName: institution_name, regionPrefix: region_prefix, from: from, through: through,
                description: description, filedBy: filed_by, filedDate: filed, answerDue: answerDue, verifyDue: verifyDue, status: status,
                manufacturerAnswer: manufacturer_answer, distributorAnswer: distributor_answer, decidedBy: decided_by,
                decidedDate: decided_date.flatMap(CivilDate.init(yyyymmdd:)), decisionNote: decision_note, version: version)
        }
    }
}
