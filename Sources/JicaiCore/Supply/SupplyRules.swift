import Foundation

/// The supply stage's numbers (供, `BatchPolicy.supply`), each a default the province may change: the prepayment's share of an
/// institution's agreed amount (003 §8(一): 50% for drugs, 30% for consumables) and the months after the cycle within
/// which an unused prepayment goes back to the fund (two, as Shanxi's notice 003 §8(一) sets).
public struct SupplyPolicy: Sendable, Hashable, Codable {
    public var prepaymentShareDrugs: Ratio = .percent(50)
    public var prepaymentShareConsumables: Ratio = .percent(30)
    public var recoveryMonths: Int = 2
    /// Calendar days a distributor has to confirm an order before it shows as confirmed late (design: 1; the
    /// notices ask for timely response without a number, 004 §6, §8).
    public var confirmDays: Int = 1
    /// Days the manufacturer and distributor have to answer a supply-problem ticket, and the city then to verify it
    /// (design: 3 and 5; 004 §8 asks for deadlines without numbers), counted in calendar days unless
    /// `ticketWorkingDays`.
    public var ticketAnswerDays: Int = 3
    public var ticketVerifyDays: Int = 5
    public var ticketWorkingDays: Bool = false

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case prepaymentShareDrugs, prepaymentShareConsumables, recoveryMonths, confirmDays, ticketAnswerDays, ticketVerifyDays, ticketWorkingDays
    }

    /// A stored policy that predates a field gets the field's default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SupplyPolicy()
        prepaymentShareDrugs = try container.decodeIfPresent(Ratio.self, forKey: .prepaymentShareDrugs) ?? defaults.prepaymentShareDrugs
        prepaymentShareConsumables =
            try container.decodeIfPresent(Ratio.self, forKey: .prepaymentShareConsumables) ?? defaults.prepaymentShareConsumables
        recoveryMonths = try container.decodeIfPresent(Int.self, forKey: .recoveryMonths) ?? defaults.recoveryMonths
        confirmDays = try container.decodeIfPresent(Int.self, forKey: .confirmDays) ?? defaults.confirmDays
        ticketAnswerDays = try container.decodeIfPresent(Int.self, forKey: .ticketAnswerDays) ?? defaults.ticketAnswerDays
        ticketVerifyDays = try container.decodeIfPresent(Int.self, forKey: .ticketVerifyDays) ?? defaults.ticketVerifyDays
        ticketWorkingDays = try container.decodeIfPresent(Bool.self, forKey: .ticketWorkingDays) ?? defaults.ticketWorkingDays
    }

    /// What makes the policy unusable: a share above the whole amount, a recovery period outside 0–24 months.
    public func problems() -> [LocalizedText] {
        var out: [LocalizedText] = []
        if prepaymentShareDrugs > .percent(100) || prepaymentShareConsumables > .percent(100) {
            out.append(LocalizedText(zh: "预付比例不能超过100%", en: "a prepayment share cannot exceed 100%"))
        }
        if !(0...24).contains(recoveryMonths) {
            out.append(LocalizedText(zh: "预付金回收期应为0至24个月", en: "the prepayment's recovery period must be 0 to 24 months"))
        }
        if !(1...60).contains(ticketAnswerDays) || !(1...60).contains(ticketVerifyDays) {
            out.append(LocalizedText(zh: "供应问题答复、核实时限应为1至60天", en: "the days to answer and verify a supply problem must be 1 to 60"))
        }
        if !(0...30).contains(confirmDays) {
            out.append(LocalizedText(zh: "订单确认时限应为0至30天", en: "the days to confirm an order must be 0 to 30"))
        }
        return out
    }

    /// The prepayment share of a batch of this kind.
    public func prepaymentShare(consumables: Bool) -> Ratio { consumables ? prepaymentShareConsumables : prepaymentShareDrugs }
}

/// When an accepted delivery must be paid (003 §8(一): no later than the end of the month after acceptance).
public enum PaymentTerms {
    /// The last day of the month after the acceptance month: 31 January → 28 (or 29) February, 31 December → 31
    /// January of the next year, 29 February → 31 March. Nil only for an acceptance in the last month of the
    /// platform's date range (`CivilDate.years`), whose next month is outside it.
    public static func dueDate(acceptedOn day: CivilDate) -> CivilDate? {
        MonthKey(day).next?.lastDay
    }

    /// Days overdue on `day` (a payment's date, or today for an unpaid delivery): the days after the due date, 0 on
    /// or before it.
    public static func overdueDays(due: CivilDate, on day: CivilDate) -> Int { max(0, due.days(until: day)) }
}

/// A payment of a delivery shared out between the delivery's lines (each under its own agreement), for the contracts'
/// implementation: each line its share of the delivery's value, rounded down, the last line the rest, so the shares
/// add up exactly to the payment.
public enum PaymentShares {
    /// The shares of `amountFen` over lines worth `parts` (fen) of a delivery worth `totalFen`; empty for a delivery
    /// of no value.
    public static func apportion(_ amountFen: Int64, over parts: [Int64], totalFen: Int64) -> [Int64] {
        guard totalFen > 0, !parts.isEmpty else { return [] }
        var left = amountFen
        return parts.enumerated().map { index, part in
            let share = index == parts.count - 1 ? left : Int64(clamping: Int128(amountFen) * Int128(max(0, part)) / Int128(totalFen))
            left -= share
            return share
        }
    }
}

/// The insurance fund's prepayment to an institution for one agreement year, and how it is offset as the institution
/// buys (003 §8(一)). Amounts are exact fen, each rounded half up once; offsets are differences of rounded
/// cumulative amounts, so they sum exactly to the prepayment when the year is complete.
public enum Prepayment {
    /// round_half_up(the year's agreed amount × share).
    public static func amount(yearAgreedFen: Int64, share: Ratio) -> Int64 {
        Int64(clamping: (Int128(max(0, yearAgreedFen)) * Int128(share.numerator)).dividedRoundingHalfUp(by: Int128(share.denominator)))
    }

    /// The offset of each month from the year's cumulative completion at each month's end, in order:
    /// offset_m = round_half_up(P × C_m) − round_half_up(P × C_(m−1)), where C is capped at 100% and never taken lower
    /// than an earlier month's (goods returned after a month give no money back; the recovery settles them). The
    /// offsets are never negative and never sum above the prepayment.
    public static func offsets(prepaymentFen: Int64, cumulativeCompletion: [Fraction]) -> [Int64] {
        let prepayment = Int128(max(0, prepaymentFen))
        var previous: Int128 = 0
        var highest = Fraction(0, 1)
        return cumulativeCompletion.map { completion in
            let capped = min(max(completion, highest), Fraction(1, 1))
            highest = capped
            let cumulative = (prepayment * capped.numerator).dividedRoundingHalfUp(by: capped.denominator)
            defer { previous = cumulative }
            return Int64(clamping: cumulative - previous)
        }
    }

    /// One month's offset in a settlement run: round_half_up(P × C) less what was offset before, never below 0, where C
    /// is the year's accepted amount over its agreed amount capped at 100% (`offsets` month by month: a month whose
    /// completion fell gives nothing back, since what was offset before already counts the higher figure).
    public static func offset(prepaymentFen: Int64, acceptedFen: Int64, agreedFen: Int64, offsetSoFar: Int64) -> Int64 {
        guard prepaymentFen > 0, agreedFen > 0 else { return 0 }
        let capped = min(max(acceptedFen, 0), agreedFen)
        let target = (Int128(prepaymentFen) * Int128(capped)).dividedRoundingHalfUp(by: Int128(agreedFen))
        return max(0, Int64(clamping: target) - offsetSoFar)
    }

    /// The balance the institution still holds after the offsets (recovered into the fund after the cycle).
    public static func balance(prepaymentFen: Int64, offsets: [Int64]) -> Int64 {
        prepaymentFen - offsets.reduce(0, +)
    }

    /// The last day by which the balance goes back to the fund: the end of the `months`-th month after the month the
    /// cycle ends in (2027-12-31 and two months → 2028-02-29). Nil past the platform's date range.
    public static func recoveryDeadline(cycleEnd: CivilDate, months: Int) -> CivilDate? {
        MonthKey(cycleEnd).advanced(by: max(0, months))?.lastDay
    }
}

/// A drug traceability code (药品追溯码, 001 §2(五)): 20 digits, of which the first 7 name the product and its
/// packaging level and the rest a serial and check part. The same code settled twice is an anomaly.
/// What a product's codes must start with (001 §2(五)): the product parts its manufacturer registered, or, while
/// it has registered none, the parts the product's delivered codes showed; with neither, any part.
public struct ProductParts: Sendable, Hashable {
    public var registered: Set<String>
    public var delivered: Set<String>

    public init(registered: Set<String>, delivered: Set<String>) {
        self.registered = registered
        self.delivered = delivered
    }

    /// The parts codes are checked against: the registered ones when there are any.
    public var expected: Set<String> { registered.isEmpty ? delivered : registered }

    public func fits(_ code: TraceCode) -> Bool { expected.isEmpty || expected.contains(code.productPart) }

    /// The first of `codes` that does not fit, refused with its part and the product's expected ones.
    public func check(_ codes: [TraceCode], productCode: String) throws {
        guard let wrong = codes.first(where: { !fits($0) }) else { return }
        let parts = expected.sorted()
        throw Refusal(
            .badTraceCode, zh: "追溯码\(wrong)的产品标识\(wrong.productPart)不属于\(productCode)（应为\(parts.joined(separator: "、"))）",
            en: "code \(wrong) has product part \(wrong.productPart), not one of \(productCode)'s (\(parts.joined(separator: ", ")))")
    }

    /// At most this many product parts registered for one product.
    public static let maxParts = 20

    /// A product part as a manufacturer registers it: 7 digits. The parts of one entry, separated by commas, spaces
    /// or 、; BAD_TRACE_CODE names the first that is not 7 digits. At most `maxParts` for a product.
    public static func parse(_ text: String) throws -> Set<String> {
        let parts = text.split(whereSeparator: { ",，、;； \n\t".contains($0) }).map(String.init)
        for part in parts where part.utf8.count != 7 || !part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            throw Refusal(.badTraceCode, zh: "产品标识应为7位数字：“\(part.prefix(20))”", en: "a product part is 7 digits: \"\(part.prefix(20))\"")
        }
        guard Set(parts).count <= maxParts else {
            throw Refusal(.tooLarge, zh: "一个产品最多登记\(maxParts)个产品标识", en: "at most \(maxParts) product parts a product")
        }
        return Set(parts)
    }
}

public struct TraceCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let text: String

    /// A code of exactly 20 ASCII digits (spaces around it ignored); nil otherwise.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count == 20, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        self.text = trimmed
    }

    /// The first seven digits: the product and packaging level.
    public var productPart: String { String(text.prefix(7)) }

    /// Whether the code belongs to a product whose codes start with `prefix` (the product's registered 7 digits).
    public func isOf(productPrefix prefix: String) -> Bool { productPart == prefix }

    public var description: String { text }
    public static func < (lhs: TraceCode, rhs: TraceCode) -> Bool { lhs.text < rhs.text }

    /// The codes of one submission: blanks ignored, each 20 digits (BAD_TRACE_CODE names the first that is not).
    public static func parse(_ texts: [String]) throws -> [TraceCode] {
        var codes: [TraceCode] = []
        for (index, text) in texts.map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }).enumerated() {
            guard let code = TraceCode(text: text) else {
                throw Refusal(
                    .badTraceCode, zh: "第\(index + 1)个追溯码“\(text.prefix(30))”不是20位数字", en: "code \(index + 1) (\(text.prefix(30))) is not 20 digits")
            }
            codes.append(code)
        }
        return codes
    }

    /// The codes seen more than once, with how many times, in code order.
    public static func duplicates(_ codes: [TraceCode]) -> [(code: TraceCode, count: Int)] {
        var counts: [TraceCode: Int] = [:]
        for code in codes { counts[code, default: 0] += 1 }
        return counts.filter { $0.value > 1 }.map { ($0.key, $0.value) }.sorted { $0.code < $1.code }
    }
}
