import Foundation
import JicaiCore
import JicaiInterchange

/// The demo province's award: winning results and distributors, written after the other files from a random
/// sequence of their own (the other files stay byte-identical for a seed).
///
/// Per variety one to four winning manufacturers (of the products of its passed specs), at 35–60% of the history's
/// unit price, as national batches cut prices; a variety with three or more winners has its last winner supply only
/// the southern cities; one other product is the backup supplier. Antimicrobial varieties are marked restricted
/// one time in four. Each winning manufacturer names one to three of the demo's distributors per city, except that
/// the first manufacturer names none for the last city, so the uncovered list has something to show.
extension DemoWriter {
    mutating func writeAward(_ catalogue: Catalogue) throws {
        var random = SeededRandom(seed: province.seed &+ 99_991)
        let specIndex = Dictionary(catalogue.specs.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        let cities = regions.filter { $0.level == .city }.map { String($0.code.value.prefix(4)) }.sorted()
        let south = Array(cities.suffix(max(1, cities.count / 2)))
        let results = try CSVWriter(path: files.results.path)
        try results.write(Schemas.results.columns.map(\.zh))
        var winningMakers = Set<Int>()
        for variety in catalogue.varieties {
            let products = catalogue.specs.filter { $0.varietyCode == variety.code }.flatMap { spec in
                (productsOfSpec[spec.code] ?? []).map { (spec: spec, product: $0) }
            }
            let makers = Array(Set(products.compactMap { makerOfProduct[$0.product] })).sorted()
            guard !makers.isEmpty else { continue }
            let winners = Array(makers.shuffled(using: &random).prefix(random.int(1...min(4, makers.count))))
            let restricted = variety.flags.antimicrobial && random.chance(0.25)
            var backupWritten = false
            for (spec, product) in products {
                guard let maker = makerOfProduct[product] else { continue }
                let unitPrice = 50 + Int64((specIndex[spec.code] ?? 0) % 40) * 37
                let cut = Int64(random.int(35...60))
                let packPrice = max(1, unitPrice * spec.packSize * cut / 100)
                let reference = unitPrice * spec.packSize
                if let rank = winners.firstIndex(of: maker) {
                    winningMakers.insert(maker)
                    let regions = winners.count >= 3 && rank == winners.count - 1 ? south.joined(separator: "、") : ""
                    try results.write([
                        product, "中选", "", Fen(packPrice).yuanText, regions, Fen(reference).yuanText, "", restricted ? "是" : "否",
                    ])
                } else if !backupWritten {
                    backupWritten = true
                    try results.write([
                        product, "备供", "1", Fen(packPrice * 11 / 10).yuanText, "", Fen(reference).yuanText, "", restricted ? "是" : "否",
                    ])
                }
            }
        }
        try results.finish()
        try writeDistributors(makers: winningMakers.sorted(), cities: cities, &random)
    }

    mutating func writeDistributors(makers: [Int], cities: [String], _ random: inout SeededRandom) throws {
        let writer = try CSVWriter(path: files.distributors.path)
        try writer.write(Schemas.distributors.columns.map(\.zh))
        for (position, maker) in makers.enumerated() {
            for city in cities where !(position == 0 && city == cities.last) {
                let count = random.int(1...distributorCodes.count)
                for distributor in distributorCodes.shuffled(using: &random).prefix(count) {
                    try writer.write([makerCodes[maker], city, distributor])
                }
            }
        }
        try writer.finish()
    }
}
