import Foundation

/// How supply's documents are numbered for people: a two-letter prefix (DD order, PS delivery, GD ticket) and the
/// row's id in at least eight digits.
public enum SupplyNumber {
    public static func text(_ prefix: String, _ id: Int64) -> String {
        let digits = String(id)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The id a number names ("PS00000012" → 12 for the prefix "PS", case aside); nil for anything else.
    public static func id(_ text: String, prefix: String) -> Int64? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard upper.hasPrefix(prefix) else { return nil }
        let digits = upper.dropFirst(prefix.count)
        guard (1...18).contains(digits.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int64(digits), id > 0 else { return nil }
        return id
    }
}

/// An order an institution placed with one distributor under its agreements (供).
public struct StoredOrder: Sendable, Hashable {
    public var id: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var distributorCode: String
    public var distributorName: String
    public var orderDate: CivilDate
    public var placedBy: String
    public var confirmedDate: CivilDate?
    public var confirmedBy: String?
    public var withdrawnBy: String?
    public var note: String
    public var status: OrderStatus
    public var version: Int64
    public var lines: [StoredOrderLine]

    public init(
        id: Int64, institutionCode: String, institutionName: String, regionCode: String, distributorCode: String, distributorName: String,
        orderDate: CivilDate, placedBy: String, confirmedDate: CivilDate?, confirmedBy: String?, withdrawnBy: String?, note: String,
        status: OrderStatus, version: Int64, lines: [StoredOrderLine]
    ) {
        self.id = id
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.distributorCode = distributorCode
        self.distributorName = distributorName
        self.orderDate = orderDate
        self.placedBy = placedBy
        self.confirmedDate = confirmedDate
        self.confirmedBy = confirmedBy
        self.withdrawnBy = withdrawnBy
        self.note = note
        self.status = status
        self.version = version
        self.lines = lines
    }

    /// The order's number as people read it: "DD" and eight digits.
    public var number: String { Self.number(id) }

    public static func number(_ id: Int64) -> String {
        SupplyNumber.text("DD", id)
    }

    /// The value of what was ordered (packs × pack price), in fen.
    public var orderedFen: Int64 { lines.reduce(0) { $0 + $1.figures.ordered * $1.packPriceFen } }

    /// The status the lines and stamps give (what the stored status must equal).
    public var derivedStatus: OrderStatus {
        OrderRules.status(lines: lines.map(\.figures), confirmed: confirmedDate != nil, withdrawn: withdrawnBy != nil)
    }
}

/// One line of an order: an agreement's product, at its winning pack price.
public struct StoredOrderLine: Sendable, Hashable {
    public var lineNo: Int
    public var agreementID: Int64
    public var productCode: String
    public var manufacturerCode: String
    public var packPriceFen: Int64
    public var packSize: Int64
    public var figures: OrderLineFigures
    /// The line took the agreement beyond its agreed quantity (003 §4: still at the winning price).
    public var beyondAgreed: Bool

    public init(
        lineNo: Int, agreementID: Int64, productCode: String, manufacturerCode: String, packPriceFen: Int64, packSize: Int64,
        figures: OrderLineFigures, beyondAgreed: Bool
    ) {
        self.lineNo = lineNo
        self.agreementID = agreementID
        self.productCode = productCode
        self.manufacturerCode = manufacturerCode
        self.packPriceFen = packPriceFen
        self.packSize = packSize
        self.figures = figures
        self.beyondAgreed = beyondAgreed
    }
}

/// A shipment of an order by its distributor, and its acceptance by the institution.
public struct StoredDelivery: Sendable, Hashable {
    public var id: Int64
    public var orderID: Int64
    public var shipDate: CivilDate
    public var shippedBy: String
    public var acceptDate: CivilDate?
    public var acceptedBy: String?
    /// The accepted packs' value (fen), once accepted: what the institution owes.
    public var amountFen: Int64
    /// The last day to pay (003 §8(一)), once accepted.
    public var dueDate: CivilDate?
    public var invoicedFen: Int64
    public var paidFen: Int64
    public var lines: [StoredDeliveryLine]

    public init(
        id: Int64, orderID: Int64, shipDate: CivilDate, shippedBy: String, acceptDate: CivilDate?, acceptedBy: String?, amountFen: Int64,
        dueDate: CivilDate?, invoicedFen: Int64, paidFen: Int64, lines: [StoredDeliveryLine]
    ) {
        self.id = id
        self.orderID = orderID
        self.shipDate = shipDate
        self.shippedBy = shippedBy
        self.acceptDate = acceptDate
        self.acceptedBy = acceptedBy
        self.amountFen = amountFen
        self.dueDate = dueDate
        self.invoicedFen = invoicedFen
        self.paidFen = paidFen
        self.lines = lines
    }

    public var number: String { Self.number(id) }

    /// A delivery's number as people read it: "PS" and eight digits.
    public static func number(_ id: Int64) -> String {
        SupplyNumber.text("PS", id)
    }

    /// What is still unpaid of the accepted amount.
    public var unpaidFen: Int64 { amountFen - paidFen }
}

/// One order line's part of a delivery: packs, lot and expiry, and what the institution accepted and rejected.
public struct StoredDeliveryLine: Sendable, Hashable {
    public var lineNo: Int
    public var packs: Int64
    public var lot: String
    public var expiry: CivilDate
    public var accepted: Int64?
    public var rejected: Int64?
    public var reason: String
    public var codes: Int

    public init(lineNo: Int, packs: Int64, lot: String, expiry: CivilDate, accepted: Int64?, rejected: Int64?, reason: String, codes: Int) {
        self.lineNo = lineNo
        self.packs = packs
        self.lot = lot
        self.expiry = expiry
        self.accepted = accepted
        self.rejected = rejected
        self.reason = reason
        self.codes = codes
    }
}

/// An accepted delivery as a payable: who owes whom how much, by when, and how late.
public struct Payable: Sendable, Hashable {
    public var deliveryID: Int64
    public var orderID: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var distributorCode: String
    public var distributorName: String
    public var acceptDate: CivilDate
    public var dueDate: CivilDate
    public var amountFen: Int64
    public var invoicedFen: Int64
    public var paidFen: Int64
    /// The last payment's day, when paid in full.
    public var paidOn: CivilDate?

    public init(
        deliveryID: Int64, orderID: Int64, institutionCode: String, institutionName: String, regionCode: String, distributorCode: String,
        distributorName: String, acceptDate: CivilDate, dueDate: CivilDate, amountFen: Int64, invoicedFen: Int64, paidFen: Int64, paidOn: CivilDate?
    ) {
        self.deliveryID = deliveryID
        self.orderID = orderID
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.distributorCode = distributorCode
        self.distributorName = distributorName
        self.acceptDate = acceptDate
        self.dueDate = dueDate
        self.amountFen = amountFen
        self.invoicedFen = invoicedFen
        self.paidFen = paidFen
        self.paidOn = paidOn
    }

    public var unpaidFen: Int64 { amountFen - paidFen }

    /// Days overdue on `day`: of an unpaid balance counted to `day`, of a late full payment to its day (003 §8(一)).
    public func overdueDays(on day: CivilDate) -> Int {
        PaymentTerms.overdueDays(due: dueDate, on: unpaidFen > 0 ? day : (paidOn ?? dueDate))
    }
}

/// A supply-problem ticket: what was reported on which product and area, the firms' answers, the decision.
public struct StoredTicket: Sendable, Hashable {
    public var id: Int64
    public var kind: SupplyProblemKind
    public var productCode: String
    public var unitKey: String
    public var manufacturerCode: String
    public var manufacturerName: String
    public var distributorCode: String?
    public var distributorName: String?
    public var institutionCode: String?
    public var institutionName: String?
    /// The area the problem covers: a county (6 digits), a city (4) or the province (2).
    public var regionPrefix: String
    public var from: MonthKey
    public var through: MonthKey
    public var description: String
    public var filedBy: String
    public var filedDate: CivilDate
    public var answerDue: CivilDate
    public var verifyDue: CivilDate
    public var status: TicketStatus
    public var manufacturerAnswer: String?
    public var distributorAnswer: String?
    public var decidedBy: String?
    public var decidedDate: CivilDate?
    public var decisionNote: String?
    public var version: Int64

    public init(
        id: Int64, kind: SupplyProblemKind, productCode: String, unitKey: String, manufacturerCode: String, manufacturerName: String,
        distributorCode: String?, distributorName: String?, institutionCode: String?, institutionName: String?, regionPrefix: String,
        from: MonthKey, through: MonthKey, description: String, filedBy: String, filedDate: CivilDate, answerDue: CivilDate,
        verifyDue: CivilDate, status: TicketStatus, manufacturerAnswer: String?, distributorAnswer: String?, decidedBy: String?,
        decidedDate: CivilDate?, decisionNote: String?, version: Int64
    ) {
        self.id = id
        self.kind = kind
        self.productCode = productCode
        self.unitKey = unitKey
        self.manufacturerCode = manufacturerCode
        self.manufacturerName = manufacturerName
        self.distributorCode = distributorCode
        self.distributorName = distributorName
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionPrefix = regionPrefix
        self.from = from
        self.through = through
        self.description = description
        self.filedBy = filedBy
        self.filedDate = filedDate
        self.answerDue = answerDue
        self.verifyDue = verifyDue
        self.status = status
        self.manufacturerAnswer = manufacturerAnswer
        self.distributorAnswer = distributorAnswer
        self.decidedBy = decidedBy
        self.decidedDate = decidedDate
        self.decisionNote = decisionNote
        self.version = version
    }

    public var number: String { Self.number(id) }

    /// A ticket's number as people read it: "GD" and eight digits.
    public static func number(_ id: Int64) -> String {
        SupplyNumber.text("GD", id)
    }

    /// Whether it has gone up to the province on `day` (a deadline passed with its step not done).
    public func isEscalated(on day: CivilDate) -> Bool {
        TicketRules.isEscalated(status: status, answerDue: answerDue, verifyDue: verifyDue, on: day)
    }
}

/// An entry of a firm's credit record: a verified supply problem it was party to.
public struct CreditEntry: Sendable, Hashable {
    public var firmCode: String
    public var firmName: String
    public var party: AgreementParty
    public var ticketID: Int64
    public var kind: SupplyProblemKind
    public var onDate: CivilDate
    public var note: String

    public init(firmCode: String, firmName: String, party: AgreementParty, ticketID: Int64, kind: SupplyProblemKind, onDate: CivilDate, note: String)
    {
        self.firmCode = firmCode
        self.firmName = firmName
        self.party = party
        self.ticketID = ticketID
        self.kind = kind
        self.onDate = onDate
        self.note = note
    }
}

/// A monthly direct-settlement run (004 §6): a draft until the province approves it; approved, it never changes.
public struct SettlementRun: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case draft, approved
    }

    public var id: Int64
    public var month: MonthKey
    public var status: Status
    public var runBy: String
    public var runAt: Date
    public var approvedBy: String?
    /// What the fund pays the firms directly in this run.
    public var directFen: Int64
    /// The institutions' prepayment offsets of the month.
    public var offsetFen: Int64

    public init(
        id: Int64, month: MonthKey, status: Status, runBy: String, runAt: Date, approvedBy: String?, directFen: Int64, offsetFen: Int64
    ) {
        self.id = id
        self.month = month
        self.status = status
        self.runBy = runBy
        self.runAt = runAt
        self.approvedBy = approvedBy
        self.directFen = directFen
        self.offsetFen = offsetFen
    }

    public var number: String { "JS\(id)" }
}

/// A traceability code settled twice (001 §2(五)): both occurrences, raised to the cities of both institutions.
public struct CodeAnomaly: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var productCode: String
    public var firstInstitutionCode: String
    public var firstInstitutionName: String
    public var firstDate: CivilDate
    public var secondInstitutionCode: String
    public var secondInstitutionName: String
    public var secondDate: CivilDate

    public init(
        id: Int64, code: String, productCode: String, firstInstitutionCode: String, firstInstitutionName: String, firstDate: CivilDate,
        secondInstitutionCode: String, secondInstitutionName: String, secondDate: CivilDate
    ) {
        self.id = id
        self.code = code
        self.productCode = productCode
        self.firstInstitutionCode = firstInstitutionCode
        self.firstInstitutionName = firstInstitutionName
        self.firstDate = firstDate
        self.secondInstitutionCode = secondInstitutionCode
        self.secondInstitutionName = secondInstitutionName
        self.secondDate = secondDate
    }
}
