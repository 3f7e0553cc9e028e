import Foundation

/// What one agreement holder's platform orders and payables show on one unit as of a day: the numbers the supply
/// alerts are raised on (docs/rules.md "Supply alerts").
public struct SupplyLateness: Sendable, Hashable {
    public var institutionCode: String
    public var unitKey: String
    public var yearStart: CivilDate
    /// Orders with a line of the unit that the distributor had not confirmed within the policy's days.
    public var unconfirmedOrders: Set<Int64> = []
    public var oldestUnconfirmed: CivilDate?
    /// Accepted deliveries with a line of the unit, past their due date and not paid in full.
    public var overdueDeliveries: Set<Int64> = []
    /// What those deliveries still owe (a delivery is paid as one: its whole unpaid amount).
    public var unpaidFen: Int64 = 0
    /// The longest of their days overdue, and the earliest due date.
    public var daysOverdue: Int = 0
    public var earliestDue: CivilDate?

    public init(institutionCode: String, unitKey: String, yearStart: CivilDate) {
        self.institutionCode = institutionCode
        self.unitKey = unitKey
        self.yearStart = yearStart
    }

    /// Counts an order placed on `ordered` and still unconfirmed on `day`, when it is late by the policy
    /// (`OrderRules.confirmedLate`); once per order.
    public mutating func order(_ id: Int64, ordered: CivilDate, on day: CivilDate, policy: SupplyPolicy) {
        guard OrderRules.confirmedLate(ordered: ordered, confirmed: nil, on: day, days: policy.confirmDays) else { return }
        unconfirmedOrders.insert(id)
        oldestUnconfirmed = min(oldestUnconfirmed ?? ordered, ordered)
    }

    /// Counts a delivery due on `due` that has `unpaidFen` left on `day`, when the due date has passed (003 §8(一));
    /// once per delivery.
    public mutating func delivery(_ id: Int64, due: CivilDate, unpaidFen unpaid: Int64, on day: CivilDate) {
        let days = PaymentTerms.overdueDays(due: due, on: day)
        guard unpaid > 0, days > 0, overdueDeliveries.insert(id).inserted else { return }
        let (sum, overflow) = unpaidFen.addingReportingOverflow(unpaid)
        unpaidFen = overflow ? Int64.max : sum
        daysOverdue = max(daysOverdue, days)
        earliestDue = min(earliestDue ?? due, due)
    }
}

public enum SupplyAlerts {
    /// The alerts one holder's unit raises: UNCONFIRMED for orders confirmed late (004 §8), PAYMENT_OVERDUE for
    /// deliveries unpaid past the end of the month after acceptance (003 §8(一)). Both go to the institution and its
    /// city like every monitoring alert, and resolve themselves once confirmed or paid.
    public static func evaluate(_ l: SupplyLateness, policy: SupplyPolicy) -> [AlertFinding] {
        func key(_ code: AlertCode) -> AlertKey {
            AlertKey(code: code, institutionCode: l.institutionCode, unitKey: l.unitKey, yearStart: l.yearStart)
        }
        var out: [AlertFinding] = []
        if let oldest = l.oldestUnconfirmed, !l.unconfirmedOrders.isEmpty {
            let n = l.unconfirmedOrders.count
            out.append(
                AlertFinding(
                    key: key(.unconfirmed), severity: .normal,
                    figures: [
                        AlertFigure("orders", "\(n)"), AlertFigure("oldest", oldest.description), AlertFigure("days", "\(policy.confirmDays)"),
                    ],
                    message: LocalizedText(
                        zh: "\(n)笔订单超过\(policy.confirmDays)天未经配送企业确认，最早下单于\(oldest)（004 §8）",
                        en: "\(n) orders not confirmed by the distributor within \(policy.confirmDays) days, the oldest placed on \(oldest) (004 §8)")
                ))
        }
        if let due = l.earliestDue, !l.overdueDeliveries.isEmpty {
            let n = l.overdueDeliveries.count
            let unpaid = Fen(l.unpaidFen).yuanText
            out.append(
                AlertFinding(
                    key: key(.paymentOverdue), severity: .normal,
                    figures: [
                        AlertFigure("deliveries", "\(n)"), AlertFigure("unpaidFen", "\(l.unpaidFen)"), AlertFigure("daysOverdue", "\(l.daysOverdue)"),
                        AlertFigure("earliestDue", due.description),
                    ],
                    message: LocalizedText(
                        zh: "\(n)笔已验收配送逾期未结清货款\(unpaid)元，最早应于\(due)前付清，最长逾期\(l.daysOverdue)天（003 §8(一)）",
                        en:
                            "\(n) accepted deliveries unpaid past their due date, \(unpaid) yuan owed, the earliest due on \(due), up to \(l.daysOverdue) days overdue (003 §8(一))"
                    )))
        }
        return out
    }
}
