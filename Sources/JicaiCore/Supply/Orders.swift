import Foundation

/// Where an order stands, derived from its lines and two stamps (never stored apart from them).
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Placed by the institution, not yet confirmed by the distributor.
    case placed
    /// Confirmed; something is still to be shipped.
    case confirmed
    /// Goods on the way or delivered, awaiting the institution's acceptance.
    case delivered
    /// Everything ordered has been accepted (or the rest closed by the institution).
    case completed
    /// Withdrawn before confirmation, or closed with nothing accepted.
    case cancelled

    public var label: LocalizedText {
        switch self {
        case .placed: LocalizedText(zh: "待确认", en: "awaiting confirmation")
        case .confirmed: LocalizedText(zh: "待配送", en: "awaiting delivery")
        case .delivered: LocalizedText(zh: "待验收", en: "awaiting acceptance")
        case .completed: LocalizedText(zh: "已完成", en: "completed")
        case .cancelled: LocalizedText(zh: "已取消", en: "cancelled")
        }
    }
}

/// One order line's quantities in packs (盒/瓶/袋, the unit the winning price is quoted in). Goods rejected at
/// acceptance go back to what is still to ship, unless the institution closes the line.
public struct OrderLineFigures: Sendable, Hashable, Codable {
    public var ordered: Int64
    public var shipped: Int64
    public var accepted: Int64
    public var rejected: Int64
    /// Packs the institution no longer wants (closing the order).
    public var closed: Int64

    public init(ordered: Int64, shipped: Int64 = 0, accepted: Int64 = 0, rejected: Int64 = 0, closed: Int64 = 0) {
        self.ordered = ordered
        self.shipped = shipped
        self.accepted = accepted
        self.rejected = rejected
        self.closed = closed
    }

    /// Shipped and neither accepted nor rejected yet.
    public var inTransit: Int64 { shipped - accepted - rejected }
    /// Still to ship: ordered, less what was shipped and not rejected, less what was closed.
    public var outstanding: Int64 { max(0, ordered - (shipped - rejected) - closed) }
    /// Ordered and never supplied: still to ship, or closed by the institution unsupplied (ordered, less what was
    /// shipped and not rejected). What a shortage item's assessment takes off its agreed volume.
    public var unsupplied: Int64 { max(0, ordered - (shipped - rejected)) }
}

/// The rules of an order's life (003 §4, §6; 004 §6): who may do what, and what a step may carry.
public enum OrderRules {
    /// An order's status from its lines and whether the distributor confirmed it or the institution withdrew it.
    public static func status(lines: [OrderLineFigures], confirmed: Bool, withdrawn: Bool) -> OrderStatus {
        if withdrawn { return .cancelled }
        if !confirmed { return .placed }
        if lines.contains(where: { $0.inTransit > 0 }) { return .delivered }
        if lines.contains(where: { $0.outstanding > 0 }) { return .confirmed }
        return lines.contains(where: { $0.accepted > 0 }) ? .completed : .cancelled
    }

    /// A new line's quantity: whole packs, at least one, at most the platform's bound.
    public static func checkOrdered(_ packs: Int64) -> Refusal? {
        guard packs >= 1 else { return Refusal(.badQuantity, zh: "订购数量应为正整数（包装）", en: "order a whole number of packs above 0") }
        guard packs <= InputLimits.maxQuantity else { return Refusal(.quantityTooLarge) }
        return nil
    }

    /// A shipment of `packs` on a line: at least one, and no more than is still to ship.
    public static func checkShipment(_ packs: Int64, on line: OrderLineFigures) -> Refusal? {
        guard packs >= 1 else { return Refusal(.badQuantity, zh: "配送数量应为正整数（包装）", en: "ship a whole number of packs above 0") }
        guard packs <= line.outstanding else {
            return Refusal(
                .shipTooMany, zh: "配送数量\(packs)超过待配送数量\(line.outstanding)", en: "shipping \(packs) packs, only \(line.outstanding) are still to ship")
        }
        return nil
    }

    /// The institution's acceptance of one delivered line: accepted + rejected is what was delivered, neither below 0,
    /// and a rejection carries a reason.
    public static func checkAcceptance(accepted: Int64, rejected: Int64, delivered: Int64, reason: String) -> Refusal? {
        guard accepted >= 0, rejected >= 0 else { return Refusal(.badQuantity, zh: "验收数量不能为负", en: "accepted and rejected packs cannot be negative") }
        guard accepted + rejected == delivered else {
            return Refusal(
                .acceptTooMany, zh: "验收\(accepted)＋拒收\(rejected)应等于送达数量\(delivered)",
                en: "accepted \(accepted) + rejected \(rejected) must equal the \(delivered) packs delivered")
        }
        if rejected > 0, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return Refusal(.reasonRequired, zh: "拒收须说明原因", en: "give the reason for rejecting packs")
        }
        return nil
    }

    /// Whether a line takes the agreement beyond its agreed quantity (in minimal units): allowed at the winning price
    /// until the cycle ends (003 §4) and shown as such. `before` is what the institution ordered under the
    /// agreement before this line (minimal units, withdrawn and closed packs left out).
    public static func beyondAgreed(before: Int64, adding: Int64, agreed: Int64) -> Bool { before + adding > agreed }

    /// An order may be placed on `day` only inside the agreement's year and the procurement cycle (003 §4: beyond the
    /// agreed volume the winning price holds until the cycle ends).
    public static func checkOrderDay(_ day: CivilDate, year: AgreementYear, cycleEnd: CivilDate?) -> Refusal? {
        if let cycleEnd, day > cycleEnd {
            return Refusal(.orderOutsideCycle, zh: "采购周期已于\(cycleEnd)结束", en: "the procurement cycle ended on \(cycleEnd)")
        }
        guard day >= year.start, day <= year.lastDay else {
            return Refusal(
                .orderOutsideCycle, zh: "该协议年度为\(year.start)至\(year.lastDay)", en: "the agreement's year runs from \(year.start) to \(year.lastDay)")
        }
        return nil
    }

    /// Whether the distributor confirmed late: not confirmed within `days` calendar days of the order (the policy's
    /// `SupplyPolicy.confirmDays`), judged on `day` for an unconfirmed order or on the confirmation day.
    public static func confirmedLate(ordered: CivilDate, confirmed: CivilDate?, on day: CivilDate, days: Int) -> Bool {
        ordered.days(until: confirmed ?? day) > max(0, days)
    }
}
