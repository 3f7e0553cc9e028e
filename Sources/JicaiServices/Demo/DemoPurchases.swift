import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The demo province's purchases from the execution start to the end of November 2026 (or another last day: the
/// benchmark writes a whole agreement year), written from the published
/// agreements so the dashboards show something real. Each holder follows one pattern, from a random sequence of
/// its own: most buy at the schedule's pace with a little non-winning product; some lag (40–70% of the pace); some
/// finish early (about 150%); some substitute non-winning products for a third to a half of their use; a few never
/// enter (only non-winning products). Orders arrive on a day of the month, are delivered one or two days later and
/// accepted up to two days after that; a few of November's orders are still waiting for delivery.
enum DemoPurchases {
    static let through = CivilDate(2026, 11, 30)!

    enum Pattern: CaseIterable { case steady, lagging, early, substituting, neverEntering }

    static func pattern(_ random: inout SeededRandom) -> Pattern {
        switch random.int(1...100) {
        case 1...60: .steady
        case 61...75: .lagging
        case 76...85: .early
        case 86...95: .substituting
        default: .neverEntering
        }
    }

    /// A month's winning and non-winning quantities for a pattern, from the schedule's pace.
    static func quantities(_ pattern: Pattern, pace: Int64, _ random: inout SeededRandom) -> (Int64, Int64) {
        let factor: Int64 =
            switch pattern {
            case .steady: Int64(random.int(95...115))
            case .lagging: Int64(random.int(40...70))
            case .early: Int64(random.int(140...165))
            case .substituting: Int64(random.int(55...75))
            case .neverEntering: 0
            }
        let nonWinning: Int64 =
            switch pattern {
            case .substituting: pace * Int64(random.int(35...55)) / 100
            case .neverEntering: pace * Int64(random.int(20...60)) / 100
            default: random.chance(0.3) ? pace * Int64(random.int(3...12)) / 100 : 0
            }
        return (pace * factor / 100, nonWinning)
    }

    /// Writes the purchases file; returns the number of lines.
    static func write(
        db: DB, batchID: Int64, catalogue: Catalogue, start: CivilDate, cycleEnd: CivilDate, through: CivilDate = Self.through, seed: UInt64,
        to url: URL
    ) async throws
        -> Int
    {
        guard let year = AgreementYears.years(start: start, cycleEnd: cycleEnd).first else { return 0 }
        let stored = try await AwardStore(db).results(batchID: batchID)
        let figures = try await AgreementStore(db).yearFigures(
            batchID: batchID, year: year, institutions: nil, terms: AgreementStore.ProductTerms.of(stored, catalogue: catalogue))
        let results = stored.map(\.entry)
        let winners = Set(results.filter { $0.role == .winner }.map(\.productCode))
        let resulted = Set(results.map(\.productCode))
        let codes = Dictionary(try await Organisations(db).reporting().values.map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        // A non-winning alternative per unit: the first catalogue product of the unit with no result.
        var alternative: [CheckUnit: Product] = [:]
        for product in catalogue.products where !resulted.contains(product.code) {
            guard let spec = catalogue.specByCode[product.specCode] else { continue }
            if alternative[Catalogue.unit(of: spec)] == nil { alternative[Catalogue.unit(of: spec)] = product }
        }
        let writer = try CSVWriter(path: url.path)
        try writer.write(Schemas.purchases.columns.map(\.zh))
        var lines = 0
        var byHolder: [Int64: [(product: String, quantity: Int64, amountFen: Int64)]] = [:]
        for figure in figures where winners.contains(figure.productCode) && figure.quantity > 0 {
            byHolder[figure.institutionID, default: []].append((figure.productCode, figure.quantity, figure.amountFen))
        }
        for holder in byHolder.keys.sorted() {
            guard let code = codes[holder] else { continue }
            var random = SeededRandom(seed: seed &+ UInt64(holder) &* 7919)
            let pattern = pattern(&random)
            for held in byHolder[holder]!.sorted(by: { $0.product < $1.product }) {
                guard let product = catalogue.productByCode[held.product], let spec = catalogue.specByCode[product.specCode] else { continue }
                let unitPrice = Ratio(held.amountFen, held.quantity)
                let other = alternative[Catalogue.unit(of: spec)]
                let last = MonthKey(through)
                var number = 0
                for month in MonthRange(first: MonthKey(start), last: last)?.months ?? [] {
                    let days = Int64(CivilDate.daysIn(year: month.year, month: month.month))
                    let pace = held.quantity * days / Int64(year.days)
                    let (winning, nonWinning) = quantities(pattern, pace: pace, &random)
                    let day = random.int(3...20)
                    let order = CivilDate(month, day: day)
                    let pending = month == last && random.chance(0.04)
                    let delivery = pending ? nil : order.adding(days: random.int(1...2))
                    let acceptance = delivery.flatMap { $0.adding(days: random.int(0...2)) }
                    func line(_ productCode: String, _ quantity: Int64, _ fen: Int64) throws {
                        guard quantity > 0 else { return }
                        number += 1
                        try writer.write([
                            code, productCode, order.description, delivery?.description ?? "", acceptance?.description ?? "", String(quantity),
                            Fen(fen).yuanText,
                            "D\(holder)-\(productCode)-\(month.yyyymm)-\(number)",
                        ])
                        lines += 1
                    }
                    if order >= start {
                        try line(
                            held.product, winning,
                            Int64(clamping: (Int128(winning) * Int128(unitPrice.numerator)).dividedRoundingHalfUp(by: Int128(unitPrice.denominator))))
                        if let other {
                            try line(
                                other.code, nonWinning,
                                Int64(
                                    clamping: (Int128(nonWinning) * 2 * Int128(unitPrice.numerator)).dividedRoundingHalfUp(
                                        by: Int128(unitPrice.denominator))))
                        }
                    }
                }
            }
        }
        try writer.finish()
        return lines
    }
}

extension MonitorService {
    /// The demo's purchases for a published batch, written to a file (the monitoring benchmark's input): to the end
    /// of November 2026, or of the month `through`.
    public func writeDemoPurchases(batchCode: String, to url: URL, through month: MonthKey? = nil, seed: UInt64 = 20_260_301) async throws -> Int {
        let through = month.map { CivilDate($0.year, $0.month, CivilDate.daysIn(year: $0.year, month: $0.month))! } ?? DemoPurchases.through
        let context = try await context(batchCode)
        return try await DemoPurchases.write(
            db: db, batchID: context.head.batch.id, catalogue: context.catalogue, start: context.executionStart, cycleEnd: context.cycleEnd,
            through: through, seed: seed,
            to: url)
    }
}
