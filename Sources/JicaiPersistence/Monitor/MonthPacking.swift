import JicaiCore

/// A holder × unit's monthly tallies as one text, the way `monitor_unit_months` keeps them: months ascending,
/// separated by ";", each "yyyymm,wc,wa,vw,nc,na,pc,ec,ea" (winning content and amount, valued winning, non-winning
/// content and amount, not passed, excluded content and amount) with trailing zeros left out. One row per holder ×
/// unit instead of one per month: a province's year is 434,000 rows instead of 5.1 million.
public enum PackedMonths {
    public static func pack(_ months: [MonthTally]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(months.count * 48)
        for (index, m) in months.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ";")) }
            append(Int64(m.month.yyyymm), to: &out)
            let t = m.tally
            let fields = [
                t.winningContent, t.winningAmountFen, m.valuedWinningFen, t.nonWinningContent, t.nonWinningAmountFen, t.notPassedContent,
                t.excludedContent, t.excludedAmountFen,
            ]
            let last = fields.lastIndex { $0 != 0 } ?? -1
            for field in fields.prefix(last + 1) {
                out.append(UInt8(ascii: ","))
                append(field, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 { return out.append(UInt8(ascii: "0")) }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = out.count
        while magnitude > 0 {
            out.append(UInt8(truncatingIfNeeded: magnitude % 10) + 48)
            magnitude /= 10
        }
        out[start...].reverse()
    }

    /// The months of a packed text in ascending order; nil when the text is not of this form.
    public static func unpack(_ text: String) -> [MonthTally]? {
        var out: [MonthTally] = []
        for part in text.split(separator: ";") {
            var numbers: [Int64] = []
            for field in part.split(separator: ",", omittingEmptySubsequences: false) {
                guard let n = Int64(field) else { return nil }
                numbers.append(n)
            }
            guard (1...9).contains(numbers.count), let month = MonthKey(yyyymm: Int(numbers[0])) else { return nil }
            numbers += Array(repeating: 0, count: 9 - numbers.count)
            var t = Tally()
            t.winningContent = numbers[1]
            t.winningAmountFen = numbers[2]
            t.nonWinningContent = numbers[4]
            t.nonWinningAmountFen = numbers[5]
            t.notPassedContent = numbers[6]
            t.excludedContent = numbers[7]
            t.excludedAmountFen = numbers[8]
            out.append(MonthTally(month: month, tally: t, valuedWinningFen: numbers[3]))
        }
        return out.sorted { $0.month < $1.month }
    }
}

/// One holder × unit's months as a recompute writes them; `unit` indexes the batch's sorted unit keys.
public struct UnitMonthsRow: Sendable, Hashable {
    public var institutionID: Int64
    public var regionCode: String
    public var unit: Int32
    /// `PackedMonths.pack` of the months.
    public var months: String

    public init(institutionID: Int64, regionCode: String, unit: Int32, months: String) {
        self.institutionID = institutionID
        self.regionCode = regionCode
        self.unit = unit
        self.months = months
    }
}

/// Monthly tallies summed per region (the holder's region code) × unit × month: what the trend charts of a
/// province, city or county read, so that they sum a few thousand rows instead of every holder's months.
public struct RegionRollup: Sendable {
    struct Key: Hashable, Sendable {
        var region: Int32
        var unit: Int32
        var month: MonthKey
    }

    private var regions: [String] = []
    private var regionIndex: [String: Int32] = [:]
    private var units: [String] = []
    private var unitIndex: [String: Int32] = [:]
    private var sums: [Key: MonthTally] = [:]

    public init() {}

    private static func index(of name: String, in names: inout [String], _ index: inout [String: Int32]) -> Int32 {
        if let found = index[name] { return found }
        names.append(name)
        index[name] = Int32(names.count - 1)
        return Int32(names.count - 1)
    }

    public mutating func add(region: String, unitKey: String, _ months: [MonthTally]) {
        let r = Self.index(of: region, in: &regions, &regionIndex)
        let u = Self.index(of: unitKey, in: &units, &unitIndex)
        for m in months {
            let key = Key(region: r, unit: u, month: m.month)
            if var sum = sums[key] {
                sum.tally.add(m.tally)
                sum.valuedWinningFen += m.valuedWinningFen
                sums[key] = sum
            } else {
                sums[key] = m
            }
        }
    }

    /// The sums as (region code, unit key, month), in that order.
    public var rows: [(regionCode: String, unitKey: String, month: MonthTally)] {
        sums.map { (regions[Int($0.key.region)], units[Int($0.key.unit)], $0.value) }.sorted {
            ($0.regionCode, $0.unitKey, $0.month.month) < ($1.regionCode, $1.unitKey, $1.month.month)
        }
    }
}
