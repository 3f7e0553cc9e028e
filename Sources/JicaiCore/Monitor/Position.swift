import Foundation

/// The rules of one holder × unit's position in an agreement year as of a day (004 §1, §6–§8; docs/rules.md "What
/// is measured, and on what" and "The measures"), as pure functions over plain values: the recompute's fold calls
/// them line by line, and any other stage (supply, the assessment's what-if) asks the same questions without a
/// database.
public struct PositionAccumulator: Sendable, Hashable {
    /// Purchases accepted in the agreement year, classified (completion and the shares are taken from it).
    public var tally = Tally()
    /// A winning purchase has been accepted since the execution start (004 §1: the product has entered).
    public var entered = false
    /// Content ordered and not yet accepted that counts as supply on its way (`PositionRules.countsAsPending`).
    public var pendingContent: Int64 = 0
    /// Orders with no delivery after the policy's days, and their content.
    public var overdueOrders: Int64 = 0
    public var overdueContent: Int64 = 0
    /// The agreement year's agreed content and amount.
    public var agreedContent: Int64 = 0
    public var agreedAmountFen: Int64 = 0
    /// Whether the unit has a position at all (`PositionRules` in the docs: purchases this year, an entry, open orders
    /// or an agreement).
    public var positioned = false

    public init() {}

    /// An accepted line, already classified into `line` (a tally of that line alone): it counts in the year's tally
    /// when accepted in the year; a winning purchase of any year is an entry; either gives the unit a position.
    public mutating func accept(_ line: Tally, inYear: Bool) {
        guard inYear || line.winningContent > 0 else { return }
        positioned = true
        if inYear { tally.add(line) }
        if line.winningContent > 0 { entered = true }
    }

    /// Orders of one product placed and not yet accepted as of the day: their content is pending supply when
    /// `PositionRules.countsAsPending`; overdue ones are counted whatever the product. Returns the pending and overdue
    /// content added (the caller's batch totals).
    @discardableResult
    public mutating func order(_ product: ClassifiedProduct, quantity: Int64, overdueOrders orders: Int64, overdueQuantity: Int64, inProblem: Bool)
        -> (pending: Int64, overdue: Int64)
    {
        positioned = true
        var pending: Int64 = 0
        if PositionRules.countsAsPending(product.purchaseClass, inProblem: inProblem) {
            pending = Tally.times(quantity, product.contentPerMinimalUnit)
            Tally.plus(&pendingContent, pending)
        }
        Tally.plus(&overdueOrders, orders)
        let overdue = Tally.times(overdueQuantity, product.contentPerMinimalUnit)
        Tally.plus(&overdueContent, overdue)
        return (pending, overdue)
    }

    /// An agreement year's figure of one product (quantity in its minimal units): its content and amount count as
    /// agreed. Returns the content added.
    @discardableResult
    public mutating func agree(_ product: ClassifiedProduct, quantity: Int64, amountFen: Int64) -> Int64 {
        positioned = true
        let content = Tally.times(quantity, product.contentPerMinimalUnit)
        Tally.plus(&agreedContent, content)
        Tally.plus(&agreedAmountFen, amountFen)
        return content
    }

    /// Content valued at the position's agreed amount per agreed content (`PositionRules.valued`).
    public func valued(_ content: Int64) -> Int64 {
        PositionRules.valued(content, agreedContent: agreedContent, agreedAmountFen: agreedAmountFen)
    }
}

public enum PositionRules {
    /// Pending supply counts only orders of winning products, and of backup suppliers' products inside a verified
    /// supply problem, which is when a backup supplies in the winner's place (004 §7; docs/rules.md "The measures").
    public static func countsAsPending(_ purchaseClass: PurchaseClass, inProblem: Bool) -> Bool {
        purchaseClass == .winner || (purchaseClass == .backup && inProblem)
    }

    /// Content valued in fen at the agreed amount per agreed content, rounded half up once; 0 without agreed content
    /// (groups weigh their positions by agreed amount: docs/rules.md "The measures", groups).
    public static func valued(_ content: Int64, agreedContent: Int64, agreedAmountFen: Int64) -> Int64 {
        guard agreedContent > 0 else { return 0 }
        return Int64(clamping: (Int128(agreedAmountFen) * Int128(content)).dividedRoundingHalfUp(by: Int128(agreedContent)))
    }

    /// The institution that holds a purchaser's lines: its county medical community's lead when it is a member whose
    /// lead is known, else itself (001 §2(一): the lead reports and holds the community's agreed volume).
    public static func holder<ID>(of purchaser: ID, lead: String?, idOf: (String) -> ID?) -> ID {
        lead.flatMap(idOf) ?? purchaser
    }
}
