import JicaiCore

/// A holder × unit's monthly tallies as one text, the way `monitor_unit_months` keeps them: months ascending,
/// separated by ";", each "yyyymm,wc,wa,vw,nc,na,pc,ec,ea" (winning content and amount, valued winning, non-winning
/// content and amount, not passed, excluded content and amount) with trailing zeros left out. One row per holder ×
/// unit instead of one per month: a province's year is 434,000 rows instead of 5.1 million.
public enum PackedMonths {
    public static func pack(_ months: [MonthTally]) -> String {
        var packer = Packer()
        for month in months { packer.append(month) }
        return packer.take()
    }

    /// Packs months one by one into a buffer it keeps (a recompute packs 5 million months: no array per month).
    public struct Packer: Sendable {
        private var bytes: [UInt8] = []

        public init() { bytes.reserveCapacity(1024) }

        public mutating func append(_ month: MonthTally) {
            let tally = month.tally
            let fields = (
                Int64(month.month.yyyymm), tally.winningContent, tally.winningAmountFen, month.valuedWinningFen, tally.nonWinningContent,
                tally.nonWinningAmountFen,
                tally.notPassedContent, tally.excludedContent, tally.excludedAmountFen
            )
            let separator = bytes.isEmpty ? nil : UInt8(ascii: ";")
            // A month is at most 9 × 20 digits and signs plus separators: written in a scratch area, appended once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 200) { scratch in
                var at = 0
                if let separator {
                    scratch[0] = separator
                    at = 1
                }
                withUnsafeBytes(of: fields) { raw in
                    let values = raw.bindMemory(to: Int64.self)
                    let count = (values.lastIndex { $0 != 0 } ?? 0) + 1
                    for index in 0..<count {
                        if index > 0 {
                            scratch[at] = UInt8(ascii: ",")
                            at += 1
                        }
                        at += writeDecimal(values[index], to: scratch.baseAddress! + at)
                    }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<at]))
            }
        }

        /// The text so far; the buffer starts again empty.
        public mutating func take() -> String {
            defer { bytes.removeAll(keepingCapacity: true) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The months of a packed text in ascending order; nil when the text is not of this form.
    public static func unpack(_ text: String) -> [MonthTally]? {
        var out: [MonthTally] = []
        for part in text.split(separator: ";") {
            var numbers: [Int64] = []
            for field in part.split(separator: ",", omittingEmptySubsequences: false) {
                guard let number = Int64(field) else { return nil }
                numbers.append(number)
            }
            guard (1...9).contains(numbers.count), let month = MonthKey(yyyymm: Int(numbers[0])) else { return nil }
            numbers += Array(repeating: 0, count: 9 - numbers.count)
            var tally = Tally()
            tally.winningContent = numbers[1]
            tally.winningAmountFen = numbers[2]
            tally.nonWinningContent = numbers[4]
            tally.nonWinningAmountFen = numbers[5]
            tally.notPassedContent = numbers[6]
            tally.excludedContent = numbers[7]
            tally.excludedAmountFen = numbers[8]
            out.append(MonthTally(month: month, tally: tally, valuedWinningFen: numbers[3]))
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
    /// One region × unit's months: `months[i]` is the month `base + i` (months since year 0), nil when none came.
    struct Cell: Sendable {
        var regionCode: String
        var unitKey: String
        var base = 0
        var months: [MonthTally?] = []
    }

    private var cells: [Cell] = []
    private var cellIndex: [String: [String: Int]] = [:]

    public init() {}

    /// The cell of a region × unit, for `add(_:to:)` (looked up once per holder × unit, not per month).
    public mutating func slot(region: String, unitKey: String) -> Int {
        if let found = cellIndex[region]?[unitKey] { return found }
        cells.append(Cell(regionCode: region, unitKey: unitKey))
        cellIndex[region, default: [:]][unitKey] = cells.count - 1
        return cells.count - 1
    }

    public mutating func add(_ m: MonthTally, to slot: Int) {
        let ordinal = m.month.year * 12 + m.month.month - 1
        if cells[slot].months.isEmpty {
            cells[slot].base = ordinal
        } else if ordinal < cells[slot].base {
            cells[slot].months.insert(contentsOf: [MonthTally?](repeating: nil, count: cells[slot].base - ordinal), at: 0)
            cells[slot].base = ordinal
        }
        let at = ordinal - cells[slot].base
        if at >= cells[slot].months.count { cells[slot].months += [MonthTally?](repeating: nil, count: at - cells[slot].months.count + 1) }
        if cells[slot].months[at] == nil {
            cells[slot].months[at] = m
        } else {
            cells[slot].months[at]!.absorb(m)
        }
    }

    public mutating func add(region: String, unitKey: String, _ months: [MonthTally]) {
        let slot = slot(region: region, unitKey: unitKey)
        for month in months { add(month, to: slot) }
    }

    /// Adds another roll-up's sums to this one's.
    public mutating func merge(_ other: RegionRollup) {
        for cell in other.cells {
            let slot = slot(region: cell.regionCode, unitKey: cell.unitKey)
            for month in cell.months { if let month { add(month, to: slot) } }
        }
    }

    /// The sums as (region code, unit key, month).
    public var rows: [(regionCode: String, unitKey: String, month: MonthTally)] {
        cells.flatMap { cell in cell.months.compactMap { $0 }.map { (cell.regionCode, cell.unitKey, $0) } }
    }
}
