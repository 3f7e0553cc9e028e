import Foundation
import JicaiCore
import JicaiPersistence

/// One line of a shipment as the distributor enters it: packs, lot, expiry and the packs' traceability codes.
public struct ShipmentLine: Sendable, Hashable {
    public var lineNo: Int
    public var packs: Int64
    public var lot: String
    public var expiry: CivilDate
    public var codes: [String]

    public init(lineNo: Int, packs: Int64, lot: String, expiry: CivilDate, codes: [String]) {
        self.lineNo = lineNo
        self.packs = packs
        self.lot = lot
        self.expiry = expiry
        self.codes = codes
    }
}

/// The institution's acceptance of one delivered line.
public struct AcceptanceLine: Sendable, Hashable {
    public var lineNo: Int
    public var accepted: Int64
    public var rejected: Int64
    public var reason: String

    public init(lineNo: Int, accepted: Int64, rejected: Int64, reason: String) {
        self.lineNo = lineNo
        self.accepted = accepted
        self.rejected = rejected
        self.reason = reason
    }
}

extension SupplyService {
    /// What is recorded against an accepted delivery: the distributor's invoice or the institution's payment.
    public enum MoneyKind: String, Sendable, CaseIterable {
        case invoice, payment

        var stored: DeliveryStore.PaymentKind { self == .invoice ? .invoice : .payment }
    }

    /// The distributor ships part or all of a confirmed order. Each line: whole packs no more than still to ship, a
    /// lot number, an expiry after the shipping day, and either no traceability codes or one per pack, each 20 digits,
    /// none twice and none captured at an earlier delivery (001 §2(五)). Refused whole when any line is bad.
    public func ship(_ scope: BatchScope, orderID: Int64, lines: [ShipmentLine]) async throws -> Int64 {
        let access = try access(scope)
        guard access.ships else { throw Refusal.forbidden }
        var order = try await order(scope, id: orderID, access: access)
        guard order.confirmedDate != nil, order.withdrawnBy == nil else { throw Refusal(.orderState) }
        guard !lines.isEmpty else { throw Refusal(.nothingToSubmit, zh: "请填写配送的产品", en: "enter what is shipped") }
        guard Set(lines.map(\.lineNo)).count == lines.count else { throw Refusal(.duplicateLine) }
        let day = today
        var newLines: [DeliveryStore.NewLine] = []
        for line in lines {
            guard let index = order.lines.firstIndex(where: { $0.lineNo == line.lineNo }) else { throw Refusal(.badProduct) }
            if let refusal = OrderRules.checkShipment(line.packs, on: order.lines[index].figures) { throw refusal }
            let lot = line.lot.trimmingCharacters(in: .whitespaces)
            guard !lot.isEmpty, lot.count <= InputLimits.maxReferenceCharacters else {
                throw Refusal(.formIncomplete, zh: "请填写批号（最多40字）", en: "enter the lot number (40 characters at most)")
            }
            guard line.expiry > day else { throw Refusal(.badDate, zh: "有效期应晚于配送日期", en: "the expiry must be after the shipping day") }
            let codes = try Self.traceCodes(line.codes, packs: line.packs)
            order.lines[index].figures.shipped += line.packs
            newLines.append(DeliveryStore.NewLine(lineNo: line.lineNo, packs: line.packs, lot: lot, expiry: line.expiry, codes: codes))
        }
        let all = newLines.flatMap(\.codes)
        if let twice = TraceCode.duplicates(all).first {
            throw Refusal(.duplicateTraceCode, zh: "追溯码\(twice.code)在本次配送中出现\(twice.count)次", en: "code \(twice.code) appears \(twice.count) times")
        }
        let version = order.version
        order.status = order.derivedStatus
        let (changed, batchID, user, at, key) = (order, scope.batch.id, scope.principal.username, now(), "\(scope.code)/\(order.number)")
        let newLinesCopy = newLines
        guard let institution = try await AccountStore(db).organisation(code: order.institutionCode)?.id else { throw Refusal(.internalError) }
        let products = Dictionary(order.lines.map { ($0.lineNo, $0.productCode) }, uniquingKeysWith: { a, _ in a })
        try await checkRegisteredParts(batchID: batchID, newLines, products: products)
        return try await db.transaction { db in
            let store = DeliveryStore(db)
            // Checked inside the write: two shipments with the same code at once cannot both land.
            try await db.serialise(on: "trace-codes")
            if let seen = try await store.seen(all).first {
                throw Refusal(.duplicateTraceCode, zh: "追溯码\(seen)已在此前的配送中登记", en: "code \(seen) was captured at an earlier delivery")
            }
            guard try await OrderStore(db).update(changed, from: version) else { throw Refusal(.concurrentChange) }
            let id = try await store.insert(
                batchID: batchID, orderID: changed.id, institutionID: institution, products: products, on: day, by: user, lines: newLinesCopy)
            let learned = Set(newLinesCopy.flatMap { line in line.codes.map { [products[line.lineNo] ?? "", $0.productPart] } })
            try await TraceCodeStore(db).learnPrefixes(batchID: batchID, learned)
            try await Self.project(db, batchID: batchID, order: changed, deliveries: try await store.deliveries(orderID: changed.id))
            try await AuditLog(db).record(
                actor: user, event: .deliveryShip, key: key,
                summary: "配送\(newLinesCopy.map(\.packs).reduce(0, +))包装，追溯码\(all.count)个（\(changed.number)）", at: at)
            return id
        }
    }

    /// A shipment's codes against the product parts their manufacturer registered (001 §2(五)); a product with none
    /// registered takes any part (its deliveries then show what its settled codes must carry).
    func checkRegisteredParts(batchID: Int64, _ lines: [DeliveryStore.NewLine], products: [Int: String]) async throws {
        let registered = try await TraceCodeStore(db).registeredParts(batchID: batchID, products: Array(Set(products.values)))
        for line in lines {
            guard let product = products[line.lineNo], let parts = registered[product] else { continue }
            try ProductParts(registered: parts, delivered: []).check(line.codes, productCode: product)
        }
    }

    /// Traceability codes of a line: none, or exactly one per pack, each 20 digits.
    static func traceCodes(_ texts: [String], packs: Int64) throws -> [TraceCode] {
        let codes = try TraceCode.parse(texts)
        guard codes.isEmpty || Int64(codes.count) == packs else {
            throw Refusal(
                .badTraceCode, zh: "追溯码\(codes.count)个，配送\(packs)包装，应一包装一码", en: "\(codes.count) codes for \(packs) packs: one code per pack")
        }
        return codes
    }

    /// The institution accepts a delivery, every line at once: accepted and rejected packs adding up to what came,
    /// a reason for any rejection. The accepted value is then owed by the end of the next month (003 §8(一)); rejected
    /// packs go back to what is still to ship.
    public func accept(_ scope: BatchScope, deliveryID: Int64, lines: [AcceptanceLine]) async throws -> StoredDelivery {
        let access = try access(scope)
        guard access.orders else { throw Refusal.forbidden }
        guard let delivery = try await DeliveryStore(db).delivery(batchID: scope.batch.id, id: deliveryID) else { throw Refusal(.deliveryNotFound) }
        var order = try await order(scope, id: delivery.orderID, access: access)
        guard delivery.acceptDate == nil else { throw Refusal(.alreadyAccepted) }
        let given = Dictionary(lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { a, _ in a })
        var amount: Int64 = 0
        var decided: [(lineNo: Int, accepted: Int64, rejected: Int64, reason: String)] = []
        for part in delivery.lines {
            let line = given[part.lineNo] ?? AcceptanceLine(lineNo: part.lineNo, accepted: part.packs, rejected: 0, reason: "")
            let reason = line.reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard reason.count <= InputLimits.maxNoteCharacters else { throw Refusal(.textTooLong) }
            if let refusal = OrderRules.checkAcceptance(accepted: line.accepted, rejected: line.rejected, delivered: part.packs, reason: reason) {
                throw refusal
            }
            guard let index = order.lines.firstIndex(where: { $0.lineNo == part.lineNo }) else { throw Refusal(.internalError) }
            order.lines[index].figures.accepted += line.accepted
            order.lines[index].figures.rejected += line.rejected
            amount += line.accepted * order.lines[index].packPriceFen
            decided.append((part.lineNo, line.accepted, line.rejected, reason))
        }
        guard Set(lines.map(\.lineNo)).isSubset(of: Set(delivery.lines.map(\.lineNo))) else { throw Refusal(.badProduct) }
        let day = today
        guard let due = PaymentTerms.dueDate(acceptedOn: day) else { throw Refusal(.badDate) }
        let version = order.version
        order.status = order.derivedStatus
        let (changed, batchID, user, at, key, total, parts) = (
            order, scope.batch.id, scope.principal.username, now(), "\(scope.code)/\(order.number)", amount, decided
        )
        try await db.transaction { db in
            let store = DeliveryStore(db)
            guard try await store.accept(deliveryID, on: day, by: user, amountFen: total, due: due, lines: parts) else {
                throw Refusal(.alreadyAccepted)
            }
            guard try await OrderStore(db).update(changed, from: version) else { throw Refusal(.concurrentChange) }
            try await Self.project(db, batchID: batchID, order: changed, deliveries: try await store.deliveries(orderID: changed.id))
            try await AuditLog(db).record(
                actor: user, event: .deliveryAccept, key: key,
                summary: "验收\(parts.map(\.accepted).reduce(0, +))包装，拒收\(parts.map(\.rejected).reduce(0, +))包装，应付\(Fen(total).yuanText)元，"
                    + "付款期限\(due)（\(changed.number)）", at: at)
        }
        guard let stored = try await DeliveryStore(db).delivery(batchID: scope.batch.id, id: deliveryID) else { throw Refusal(.deliveryNotFound) }
        return stored
    }

    /// Records an invoice (the distributor) or a payment (the institution) of an accepted delivery: a number, an amount
    /// above 0 that takes the invoiced total no higher than the accepted value, or the paid total no higher than the
    /// invoiced, and a day no later than today.
    public func record(
        _ scope: BatchScope, deliveryID: Int64, kind: MoneyKind, number: String, amountFen: Int64, on day: CivilDate
    ) async throws -> StoredDelivery {
        let entry = try await checkMoney(scope, deliveryID: deliveryID, kind: kind, number: number, amountFen: amountFen, on: day)
        try await db.transaction { db in try await Self.write(db, entry) }
        guard let stored = try await DeliveryStore(db).delivery(batchID: scope.batch.id, id: deliveryID) else { throw Refusal(.deliveryNotFound) }
        return stored
    }

    /// An invoice or payment checked against what it names, ready to write (the sums are checked in the write).
    struct MoneyEntry: Sendable {
        var batchID: Int64
        var key: String
        var deliveryID: Int64
        var deliveryNumber: String
        var kind: MoneyKind
        var number: String
        var amountFen: Int64
        var day: CivilDate
        var user: String
        var at: Date
        /// The delivery's sums when checked: the limit a file's rows are counted against before the write.
        var limitFen: Int64
    }

    /// The checks of `record` before the write: who may, an accepted delivery in scope, the number, amount and day.
    func checkMoney(_ scope: BatchScope, deliveryID: Int64, kind: MoneyKind, number: String, amountFen: Int64, on day: CivilDate) async throws
        -> MoneyEntry
    {
        let access = try access(scope)
        guard access.records == kind else { throw Refusal.forbidden }
        guard let delivery = try await DeliveryStore(db).delivery(batchID: scope.batch.id, id: deliveryID) else { throw Refusal(.deliveryNotFound) }
        let order = try await order(scope, id: delivery.orderID, access: access)
        guard let accepted = delivery.acceptDate else { throw Refusal(.orderState, zh: "配送单尚未验收", en: "the delivery has not been accepted") }
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= InputLimits.maxReferenceCharacters else {
            throw Refusal(.formIncomplete, zh: "请填写发票号或付款凭证号（最多40字）", en: "enter the invoice or payment reference (40 characters at most)")
        }
        guard amountFen > 0, amountFen <= InputLimits.maxAmountFen else {
            throw Refusal(.badQuantity, zh: "金额应大于0", en: "the amount must be above 0")
        }
        guard day >= accepted, day <= today else {
            throw Refusal(.badDate, zh: "日期应在验收日\(accepted)至今天之间", en: "the day must be between the acceptance (\(accepted)) and today")
        }
        return MoneyEntry(
            batchID: scope.batch.id, key: "\(scope.code)/\(order.number)", deliveryID: deliveryID, deliveryNumber: delivery.number, kind: kind,
            number: trimmed, amountFen: amountFen, day: day, user: scope.principal.username, at: now(),
            limitFen: kind == .invoice ? delivery.amountFen - delivery.invoicedFen : delivery.invoicedFen - delivery.paidFen)
    }

    /// Writes an invoice or payment (inside the caller's transaction), checked against the delivery's sums as they are
    /// then: two payments at once cannot both pass.
    static func write(_ db: DB, _ e: MoneyEntry) async throws {
        try await db.serialise(on: "payments-\(e.deliveryID)")
        guard let current = try await DeliveryStore(db).delivery(batchID: e.batchID, id: e.deliveryID) else { throw Refusal(.deliveryNotFound) }
        let limit = e.kind == .invoice ? current.amountFen - current.invoicedFen : current.invoicedFen - current.paidFen
        guard e.amountFen <= limit else { throw payTooMuch(e.kind, limit: limit) }
        try await DeliveryStore(db).record(
            batchID: e.batchID, deliveryID: e.deliveryID, kind: e.kind.stored, number: e.number, amountFen: e.amountFen, on: e.day, by: e.user,
            at: e.at)
        try await AuditLog(db).record(
            actor: e.user, event: e.kind == .invoice ? .invoiceRecord : .paymentRecord, key: e.key,
            summary: (e.kind == .invoice ? "开票" : "付款") + "\(e.number) \(Fen(e.amountFen).yuanText)元，\(e.day)（配送单\(e.deliveryNumber)）", at: e.at)
    }

    static func payTooMuch(_ kind: MoneyKind, limit: Int64) -> Refusal {
        Refusal(
            .payTooMuch,
            zh: kind == .invoice ? "开票金额超过未开票金额\(Fen(limit).yuanText)元" : "付款金额超过已开票未付金额\(Fen(limit).yuanText)元",
            en: kind == .invoice
                ? "more than the \(Fen(limit).yuanText) yuan not yet invoiced" : "more than the \(Fen(limit).yuanText) yuan invoiced and unpaid")
    }
}
