import Foundation
import JicaiCore
import JicaiInterchange

/// The checks of a results file against the batch: each row's product is a product of the catalogue with its
/// manufacturer's credit code (the manufacturer signs the agreements), supply regions lie in the batch's province,
/// a variety's rows agree on the restricted-antimicrobial flag, and a variety with backup suppliers has a winner.
struct ResultChecks {
    let catalogue: Catalogue
    let provinceCode: String
    let regions: Set<String>
    let file: String

    func issues(_ rows: [Located<ResultEntry>]) -> [ImportIssue] {
        var issues: [ImportIssue] = []
        func column(_ key: String) -> String { Schemas.results.column(key).zh }
        var restrictedOf: [String: (Bool, Int)] = [:]
        var winners = Set<String>()
        var backups: [String: Int] = [:]
        for row in rows {
            let entry = row.value
            guard let product = catalogue.productByCode[entry.productCode], let spec = catalogue.specByCode[product.specCode] else {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("product"), zh: "产品编码“\(entry.productCode)”不在批次产品中",
                        en: "product \"\(entry.productCode)\" is not a product of the batch"))
                continue
            }
            if product.manufacturerCode == nil {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("product"), zh: "产品“\(entry.productCode)”缺少生产企业统一社会信用代码，无法签订协议",
                        en: "product \"\(entry.productCode)\" has no manufacturer credit code, so no agreement can be signed"))
            }
            for region in entry.regions where !regionKnown(region) {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("regions"), zh: "供应地区“\(region)”不是本省的区划代码",
                        en: "supply region \"\(region)\" is not a division code of the province"))
            }
            if let (flag, at) = restrictedOf[spec.varietyCode], flag != entry.restricted {
                issues.append(
                    ImportIssue(
                        file: file, row: row.row, column: column("restricted"), zh: "同一品种的“限制使用级抗菌药物”应一致（见第\(at)行）",
                        en: "rows of one variety must agree on the restricted-antimicrobial flag (see row \(at))"))
            } else if restrictedOf[spec.varietyCode] == nil {
                restrictedOf[spec.varietyCode] = (entry.restricted, row.row)
            }
            if entry.role == .winner { winners.insert(spec.varietyCode) } else { backups[spec.varietyCode] = backups[spec.varietyCode] ?? row.row }
        }
        for (variety, row) in backups.sorted(by: { $0.value < $1.value }) where !winners.contains(variety) {
            issues.append(
                ImportIssue(
                    file: file, row: row, column: column("role"), zh: "品种“\(variety)”有备供企业但没有中选企业",
                    en: "variety \"\(variety)\" has backup suppliers but no winner"))
        }
        return issues.sorted { $0.row < $1.row }
    }

    func regionKnown(_ prefix: String) -> Bool {
        guard prefix.hasPrefix(String(provinceCode.prefix(2))) else { return false }
        return regions.contains { $0.hasPrefix(prefix) }
    }
}
