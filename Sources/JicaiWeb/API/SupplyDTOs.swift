import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// An order in a list: its head, without lines.
struct OrderSummaryDTO: Content {
    var id: Int64
    var number: String
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var distributorCode: String
    var distributorName: String
    var orderDate: String
    var confirmedDate: String?
    var status: String
    var note: String

    init(_ order: StoredOrder) {
        id = order.id
        number = order.number
        institutionCode = order.institutionCode
        institutionName = order.institutionName
        regionCode = order.regionCode
        distributorCode = order.distributorCode
        distributorName = order.distributorName
        orderDate = order.orderDate.description
        confirmedDate = order.confirmedDate?.description
        status = order.status.rawValue
        note = order.note
    }
}

/// One order line: quantities in packs at the winning pack price.
struct OrderLineDTO: Content {
    var lineNo: Int
    var agreementId: Int64
    var productCode: String
    var manufacturerCode: String
    var packPriceFen: Int64
    var packSize: Int64
    var ordered: Int64
    var shipped: Int64
    var accepted: Int64
    var rejected: Int64
    var closed: Int64
    var outstanding: Int64
    var beyondAgreed: Bool

    init(_ line: StoredOrderLine) {
        lineNo = line.lineNo
        agreementId = line.agreementID
        productCode = line.productCode
        manufacturerCode = line.manufacturerCode
        packPriceFen = line.packPriceFen
        packSize = line.packSize
        ordered = line.figures.ordered
        shipped = line.figures.shipped
        accepted = line.figures.accepted
        rejected = line.figures.rejected
        closed = line.figures.closed
        outstanding = line.figures.outstanding
        beyondAgreed = line.beyondAgreed
    }
}

struct DeliveryLineDTO: Content {
    var lineNo: Int
    var packs: Int64
    var lot: String
    var expiry: String
    var accepted: Int64?
    var rejected: Int64?
    var reason: String
    var codes: Int

    init(_ line: StoredDeliveryLine) {
        lineNo = line.lineNo
        packs = line.packs
        lot = line.lot
        expiry = line.expiry.description
        accepted = line.accepted
        rejected = line.rejected
        reason = line.reason
        codes = line.codes
    }
}

/// A delivery: what was shipped, what was accepted, what is owed by when.
struct DeliveryDTO: Content {
    var id: Int64
    var number: String
    var orderId: Int64
    var shipDate: String
    var acceptDate: String?
    var amountFen: Int64
    var dueDate: String?
    var invoicedFen: Int64
    var paidFen: Int64
    var lines: [DeliveryLineDTO]

    init(_ delivery: StoredDelivery) {
        id = delivery.id
        number = delivery.number
        orderId = delivery.orderID
        shipDate = delivery.shipDate.description
        acceptDate = delivery.acceptDate?.description
        amountFen = delivery.amountFen
        dueDate = delivery.dueDate?.description
        invoicedFen = delivery.invoicedFen
        paidFen = delivery.paidFen
        lines = delivery.lines.map(DeliveryLineDTO.init)
    }
}

/// One order with its lines and deliveries.
struct OrderDTO: Content {
    var order: OrderSummaryDTO
    var confirmedLate: Bool
    var lines: [OrderLineDTO]
    var deliveries: [DeliveryDTO]

    init(_ detail: SupplyService.OrderDetail) {
        order = OrderSummaryDTO(detail.order)
        confirmedLate = detail.confirmedLate
        lines = detail.order.lines.map(OrderLineDTO.init)
        deliveries = detail.deliveries.map(DeliveryDTO.init)
    }
}

struct PayableDTO: Content {
    var deliveryId: Int64
    var orderId: Int64
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var distributorCode: String
    var distributorName: String
    var acceptDate: String
    var dueDate: String
    var amountFen: Int64
    var invoicedFen: Int64
    var paidFen: Int64
    var overdueDays: Int

    init(_ payable: Payable, today: CivilDate) {
        deliveryId = payable.deliveryID
        orderId = payable.orderID
        institutionCode = payable.institutionCode
        institutionName = payable.institutionName
        regionCode = payable.regionCode
        distributorCode = payable.distributorCode
        distributorName = payable.distributorName
        acceptDate = payable.acceptDate.description
        dueDate = payable.dueDate.description
        amountFen = payable.amountFen
        invoicedFen = payable.invoicedFen
        paidFen = payable.paidFen
        overdueDays = payable.overdueDays(on: today)
    }
}

struct OrderIDsDTO: Content {
    var orders: [Int64]
}

struct TraceCodesDTO: Content {
    var codes: [String]
}

/// `POST …/supply/orders`: packs per agreement.
struct OrderRequestDTO: Content {
    struct Line: Content {
        var agreementId: Int64
        var packs: Int64
    }
    var lines: [Line]
    var note: String?
}

/// `POST …/orders/{order}/ship`.
struct ShipmentDTO: Content {
    struct Line: Content {
        var lineNo: Int
        var packs: Int64
        var lot: String
        var expiry: String
        var codes: [String]?
    }
    var lines: [Line]
}

/// `POST …/deliveries/{delivery}/accept`.
struct AcceptanceDTO: Content {
    struct Line: Content {
        var lineNo: Int
        var accepted: Int64
        var rejected: Int64
        var reason: String?
    }
    var lines: [Line]
}

/// `POST …/deliveries/{delivery}/invoice` and `…/pay`.
struct MoneyDTO: Content {
    var number: String
    var amountFen: Int64
    var date: String
}

/// A supply-problem ticket with its clock.
struct TicketDTO: Content {
    var id: Int64
    var number: String
    var kind: String
    var productCode: String
    var unitKey: String
    var manufacturerCode: String
    var distributorCode: String?
    var institutionCode: String?
    var regionPrefix: String
    var from: String
    var through: String
    var description: String
    var filedBy: String
    var filedDate: String
    var answerDue: String
    var verifyDue: String
    var status: String
    var escalated: Bool
    var manufacturerAnswer: String?
    var distributorAnswer: String?
    var decidedBy: String?
    var decidedDate: String?
    var decisionNote: String?

    init(_ ticket: StoredTicket, today: CivilDate) {
        id = ticket.id
        number = ticket.number
        kind = ticket.kind.rawValue
        productCode = ticket.productCode
        unitKey = ticket.unitKey
        manufacturerCode = ticket.manufacturerCode
        distributorCode = ticket.distributorCode
        institutionCode = ticket.institutionCode
        regionPrefix = ticket.regionPrefix
        from = ticket.from.description
        through = ticket.through.description
        description = ticket.description
        filedBy = ticket.filedBy
        filedDate = ticket.filedDate.description
        answerDue = ticket.answerDue.description
        verifyDue = ticket.verifyDue.description
        status = ticket.status.rawValue
        escalated = ticket.isEscalated(on: today)
        manufacturerAnswer = ticket.manufacturerAnswer
        distributorAnswer = ticket.distributorAnswer
        decidedBy = ticket.decidedBy
        decidedDate = ticket.decidedDate?.description
        decisionNote = ticket.decisionNote
    }
}

/// `POST …/supply/tickets`.
struct TicketRequestDTO: Content {
    var kind: String
    var productCode: String
    var region: String?
    var from: String
    var through: String
    var description: String
}

/// `POST …/tickets/{ticket}/answer` (text) and `…/decide` (verify, note).
struct TicketActionDTO: Content {
    var text: String?
    var verify: Bool?
    var note: String?
}

struct SettlementRunDTO: Content {
    var id: Int64
    var number: String
    var month: String
    var status: String
    var runBy: String
    var approvedBy: String?
    var directFen: Int64
    var offsetFen: Int64

    init(_ run: SettlementRun) {
        id = run.id
        number = run.number
        month = run.month.description
        status = run.status.rawValue
        runBy = run.runBy
        approvedBy = run.approvedBy
        directFen = run.directFen
        offsetFen = run.offsetFen
    }
}

struct PayeeDTO: Content {
    var code: String
    var name: String
    var fen: Int64
}

/// A run's statement: per institution and per firm.
struct StatementDTO: Content {
    struct Institution: Content {
        var code: String
        var name: String
        var regionCode: String
        var direct: [PayeeDTO]
        var directFen: Int64
        var offsetFen: Int64
        var netFen: Int64
    }

    struct Firm: Content {
        var code: String
        var name: String
        var institutions: [PayeeDTO]
        var totalFen: Int64
    }

    var run: SettlementRunDTO
    var institutions: [Institution]
    var firms: [Firm]

    init(_ statement: SettlementStatement) {
        run = SettlementRunDTO(statement.run)
        institutions = statement.institutions.map {
            Institution(
                code: $0.code, name: $0.name, regionCode: $0.regionCode,
                direct: $0.direct.map { PayeeDTO(code: $0.code, name: $0.name, fen: $0.fen) },
                directFen: $0.directFen, offsetFen: $0.offsetFen, netFen: $0.netFen)
        }
        firms = statement.firms.map {
            Firm(
                code: $0.code, name: $0.name, institutions: $0.institutions.map { PayeeDTO(code: $0.code, name: $0.name, fen: $0.fen) },
                totalFen: $0.totalFen)
        }
    }
}

/// `POST …/supply/settlements`.
struct SettlementRequestDTO: Content {
    var month: String
}

struct PrepaymentDTO: Content {
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var yearStart: String
    var yearLastDay: String
    var agreedFen: Int64
    var prepaymentFen: Int64
    var offsetsFen: Int64
    var recoveredFen: Int64
    var balanceFen: Int64
    var recoveryDeadline: String?

    init(_ row: PrepaymentRow) {
        institutionCode = row.institutionCode
        institutionName = row.institutionName
        regionCode = row.regionCode
        yearStart = row.year.start.description
        yearLastDay = row.year.lastDay.description
        agreedFen = row.agreedFen
        prepaymentFen = row.prepaymentFen
        offsetsFen = row.offsetsFen
        recoveredFen = row.recoveredFen
        balanceFen = row.balanceFen
        recoveryDeadline = row.recoveryDeadline?.description
    }
}

/// `POST …/supply/prepayments/pay` and `…/recover`.
struct PrepaymentRequestDTO: Content {
    var yearStart: String
}

struct PrepaymentResultDTO: Content {
    var institutions: Int
    var totalFen: Int64
}

struct CreditEntryDTO: Content {
    var firmCode: String
    var firmName: String
    var party: String
    var ticketId: Int64
    var kind: String
    var onDate: String
    var note: String

    init(_ entry: CreditEntry) {
        firmCode = entry.firmCode
        firmName = entry.firmName
        party = entry.party.rawValue
        ticketId = entry.ticketID
        kind = entry.kind.rawValue
        onDate = entry.onDate.description
        note = entry.note
    }
}

/// `POST …/supply/trace-codes`: the codes an institution settled of one product on one day.
struct CodeCaptureRequestDTO: Content {
    var productCode: String
    var date: String
    var codes: [String]
}

struct CodeCaptureDTO: Content {
    var captured: Int
    var anomalies: Int
}

struct CodeAnomalyDTO: Content {
    var code: String
    var productCode: String
    var firstInstitutionCode: String
    var firstDate: String
    var secondInstitutionCode: String
    var secondDate: String

    init(_ anomaly: CodeAnomaly) {
        code = anomaly.code
        productCode = anomaly.productCode
        firstInstitutionCode = anomaly.firstInstitutionCode
        firstDate = anomaly.firstDate.description
        secondInstitutionCode = anomaly.secondInstitutionCode
        secondDate = anomaly.secondDate.description
    }
}

struct ProductPartsDTO: Content {
    var productCode: String
    var specCode: String
    var manufacturerCode: String
    var manufacturerName: String
    var registered: [String]
    var delivered: [String]

    init(_ row: SupplyService.ProductPartsRow) {
        productCode = row.productCode
        specCode = row.specCode
        manufacturerCode = row.manufacturerCode
        manufacturerName = row.manufacturerName
        registered = row.parts.registered.sorted()
        delivered = row.parts.delivered.sorted()
    }
}

struct ProductPartsRequestDTO: Content {
    var productCode: String
    var parts: [String]
}
