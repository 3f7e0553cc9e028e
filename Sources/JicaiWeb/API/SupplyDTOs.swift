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
