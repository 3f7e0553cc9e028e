import Foundation
import JicaiCore
import JicaiPersistence

/// The supply stage in the demo province (供), replayed through the same doors as the pages at fixed days of 2026:
/// three hospitals' agreements signed by their three parties, the first agreement year's prepayment paid, orders
/// confirmed, shipped with traceability codes and accepted (one with a rejected pack), invoices, one delivery left
/// unpaid past its due date, October settled and approved, a verified supply problem and an open one.
enum DemoSupply {
    /// A month and a day of the demo's 2026 (constants of this file, in range).
    static func month(_ month: Int) throws -> MonthKey {
        guard let key = MonthKey(year: 2026, month: month) else { throw Refusal(.internalError) }
        return key
    }

    static func day(_ month: Int, _ day: Int, year: Int = 2026) throws -> CivilDate {
        guard let date = CivilDate(year, month, day) else { throw Refusal(.internalError) }
        return date
    }

    static func clock(_ month: Int, _ day: Int) -> @Sendable () -> Date { { ReportingWindow.shanghai(2026, month, day, 10) } }

    static func scope(_ db: DB, _ principal: Principal, _ month: Int, _ day: Int) async throws -> BatchScope {
        try await BatchScope.resolve(
            DemoProvince.batchCode, db: db, ctx: RequestContext(principal: principal, ip: nil, at: ReportingWindow.shanghai(2026, month, day, 10)))
    }

    /// Loads the story; returns the number of orders placed.
    static func load(db: DB) async throws -> Int {
        let code = DemoProvince.batchCode
        let agreements = AgreementService(db: db, now: clock(3, 10))
        let admin = Principal(username: AuditActor.system.name, role: .provinceAdmin, regionCode: DemoProvince.provinceCode)
        guard let batch = try await BatchStore(db).batch(code: code) else { return 0 }
        let all = try await AgreementStore(db).page(
            batchID: batch.id, scope: .region(String(DemoProvince.provinceCode.prefix(2))), page: PageRequest(size: 200)
        ).items
        // Three hospitals whose agreements name a distributor, three agreements each, all in the first year.
        var chosen: [StoredAgreement] = []
        for (_, own) in Dictionary(grouping: all.filter { $0.distributorCode != nil && $0.yearIndex == 1 }, by: \.institutionCode).sorted(by: {
            $0.key < $1.key
        }).prefix(3) {
            chosen += own.prefix(3)
        }
        guard let first = chosen.first else { return 0 }
        for agreement in chosen {
            for signer in [
                Principal(username: "head-\(agreement.institutionCode)", role: .institutionHead, organisationCode: agreement.institutionCode),
                Principal(username: agreement.manufacturerCode, role: .manufacturer, organisationCode: agreement.manufacturerCode),
                Principal(username: agreement.distributorCode ?? "", role: .distributor, organisationCode: agreement.distributorCode),
            ] {
                _ = try await agreements.sign(batchCode: code, id: agreement.id, by: signer, actor: AuditActor(signer.username))
            }
        }
        let province = try await scope(db, admin, 3, 1)
        _ = try await SupplyService(db: db, now: clock(3, 1)).payPrepayment(province, yearStart: first.year.start)
        var placed = 0
        for (index, agreement) in chosen.enumerated() {
            placed += try await order(db, agreement, index: index)
        }
        let settlement = SupplyService(db: db, now: clock(11, 5))
        let run = try await settlement.runSettlement(try await scope(db, admin, 11, 5), month: try month(10))
        _ = try await settlement.approveSettlement(try await scope(db, admin, 11, 6), id: run.id)
        try await tickets(db, chosen)
        return placed
    }

    /// One agreement's orders: in September (accepted, the last one left unpaid), in October (one pack rejected,
    /// invoiced, settled by the fund in November) and at the end of November (placed, not yet confirmed).
    static func order(_ db: DB, _ agreement: StoredAgreement, index: Int) async throws -> Int {
        guard let distributor = agreement.distributorCode else { return 0 }
        let head = Principal(username: "head-\(agreement.institutionCode)", role: .institutionHead, organisationCode: agreement.institutionCode)
        let carrier = Principal(username: distributor, role: .distributor, organisationCode: distributor)
        var placed = 0
        for (month, packs) in [(9, 20), (10, 30)] {
            let ids = try await SupplyService(db: db, now: clock(month, 3)).placeOrder(
                try await scope(db, head, month, 3), lines: [OrderRequestLine(agreementID: agreement.id, packs: Int64(packs))], note: "")
            guard let id = ids.first else { continue }
            placed += 1
            _ = try await SupplyService(db: db, now: clock(month, 4)).confirm(try await scope(db, carrier, month, 4), id: id)
            let codes = (0..<packs).map { "8\(String(format: "%06d", 100 + index))\(String(format: "%013d", month * 1000 + $0))" }
            let delivery = try await SupplyService(db: db, now: clock(month, 5)).ship(
                try await scope(db, carrier, month, 5), orderID: id,
                lines: [ShipmentLine(lineNo: 1, packs: Int64(packs), lot: "L2026\(month)", expiry: try day(6, 30, year: 2028), codes: codes)])
            let rejected: Int64 = month == 10 ? 1 : 0
            let accepted = try await SupplyService(db: db, now: clock(month, 6)).accept(
                try await scope(db, head, month, 6), deliveryID: delivery,
                lines: [AcceptanceLine(lineNo: 1, accepted: Int64(packs) - rejected, rejected: rejected, reason: rejected > 0 ? "外包装破损" : "")])
            // The first hospital's September delivery is never invoiced: unpaid, overdue since 31 October.
            if month == 9, index == 0 { continue }
            let supply = SupplyService(db: db, now: clock(month, 8))
            _ = try await supply.record(
                try await scope(db, carrier, month, 8), deliveryID: delivery, kind: .invoice, number: "FP\(month)\(index)",
                amountFen: accepted.amountFen, on: try day(month, 8))
            if month == 9, index % 3 != 0 {
                _ = try await supply.record(
                    try await scope(db, head, month, 8), deliveryID: delivery, kind: .payment, number: "ZF\(month)\(index)",
                    amountFen: accepted.amountFen, on: try day(month, 8))
            }
        }
        if index % 2 == 0 {
            placed += try await SupplyService(db: db, now: clock(11, 28)).placeOrder(
                try await scope(db, head, 11, 28), lines: [OrderRequestLine(agreementID: agreement.id, packs: 10)], note: "月底补货"
            ).count
        }
        return placed
    }

    /// A verified late-delivery problem (October) and an open insufficient-supply one (late November).
    static func tickets(_ db: DB, _ chosen: [StoredAgreement]) async throws {
        guard let first = chosen.first, let last = chosen.last, let distributor = first.distributorCode else { return }
        let head = Principal(username: "head-\(first.institutionCode)", role: .institutionHead, organisationCode: first.institutionCode)
        let october = try month(10)
        let verified = try await SupplyService(db: db, now: clock(10, 12)).fileTicket(
            try await scope(db, head, 10, 12),
            TicketRequest(
                kind: .lateDelivery, productCode: first.productCode, region: "", from: october, through: october, description: "10月订单多次超过3天送达"))
        let maker = Principal(username: first.manufacturerCode, role: .manufacturer, organisationCode: first.manufacturerCode)
        _ = try await SupplyService(db: db, now: clock(10, 13)).answerTicket(try await scope(db, maker, 10, 13), id: verified, text: "产能调整，已恢复供货")
        let carrier = Principal(username: distributor, role: .distributor, organisationCode: distributor)
        _ = try await SupplyService(db: db, now: clock(10, 13)).answerTicket(try await scope(db, carrier, 10, 13), id: verified, text: "运力不足，已增加车辆")
        let city = Principal(username: AuditActor.system.name, role: .cityReviewer, regionCode: String(first.regionCode.prefix(4)) + "00")
        _ = try await SupplyService(db: db, now: clock(10, 16)).decideTicket(
            try await scope(db, city, 10, 16), id: verified, verify: true, note: "经核实，10月配送不及时属实")
        let other = Principal(username: "head-\(last.institutionCode)", role: .institutionHead, organisationCode: last.institutionCode)
        _ = try await SupplyService(db: db, now: clock(11, 25)).fileTicket(
            try await scope(db, other, 11, 25),
            TicketRequest(
                kind: .insufficientSupply, productCode: last.productCode, region: "", from: try month(11),
                through: try month(11), description: "11月下旬起供应不足"))
    }
}
