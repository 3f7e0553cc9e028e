import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension AwardService {
    /// Current volumes with their spec, variety and manufacturer filled in from the results.
    func volumes(batchCode: String, regionPrefix: String? = nil, institutionCode: String? = nil, page: PageRequest? = nil) async throws
        -> Page<StoredVolume>
    {
        let head = try await head(batchCode)
        let store = AwardStore(db)
        let results = Dictionary(try await store.results(batchID: head.batch.id).map { ($0.entry.productCode, $0) }, uniquingKeysWith: { a, _ in a })
        let years = try await store.state(batchID: head.batch.id).years
        let specs = years.isEmpty ? [:] : try await catalogue(head).specByCode
        let stored =
            if let page {
                try await VolumeStore(db).volumePage(batchID: head.batch.id, regionPrefix: regionPrefix, institutionCode: institutionCode, page: page)
            } else {
                Page.whole(try await VolumeStore(db).volumes(batchID: head.batch.id, regionPrefix: regionPrefix, institutionCode: institutionCode))
            }
        return stored.map { volume -> StoredVolume in
            var out = volume
            if let result = results[volume.productCode] {
                out.specCode = result.specCode
                out.varietyCode = result.varietyCode
                out.manufacturerName = result.manufacturerName
                out.years = volume.yearFigures(
                    years, packPriceFen: result.entry.packPriceFen, packSize: result.entry.packSize(of: specs[result.specCode]))
            }
            return out
        }
    }

    /// The agreed volumes as a workbook: by institution × product, and summed by city, by variety and by firm.
    func volumesWorkbook(batchCode: String, regionPrefix: String?, language: Language) async throws -> Data {
        let rows = try await volumes(batchCode: batchCode, regionPrefix: regionPrefix).items
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("按机构", "By institution"), columnWidths: [22, 30, 10, 10, 10, 28, 12, 14, 8, 20])
        try xlsx.addRow([
            t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("产品编码", "Product"), t("规格编码", "Spec"),
            t("生产企业", "Manufacturer"), t("约定采购量（最小单位）", "Agreed quantity (minimal units)"), t("金额（元）", "Amount (yuan)"),
            t("版本", "Version"), t("调整理由", "Reason"),
        ])
        for row in rows {
            try xlsx.addRow([
                .text(row.institutionCode), .text(row.institutionName), .text(row.regionCode), .text(row.productCode), .text(row.specCode),
                .text(row.manufacturerName), .number(row.quantity), .decimal(Fen(row.amountFen).yuanText), .number(Int64(row.version)),
                .text(row.reason),
            ])
        }
        if rows.contains(where: { !$0.years.isEmpty }) {
            try xlsx.addSheet(t("按协议年度", "By agreement year"), columnWidths: [22, 30, 10, 10, 12, 12, 14, 14])
            try xlsx.addRow([
                t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("产品编码", "Product"),
                t("年度起", "Year from"), t("年度止", "Year to"), t("约定采购量（最小单位）", "Agreed quantity (minimal units)"), t("金额（元）", "Amount (yuan)"),
            ])
            for row in rows {
                for year in row.years {
                    try xlsx.addRow([
                        .text(row.institutionCode), .text(row.institutionName), .text(row.regionCode), .text(row.productCode),
                        .text(year.start.description), .text(year.lastDay.description), .number(year.quantity),
                        .decimal(Fen(year.amountFen).yuanText),
                    ])
                }
            }
        }
        let groupings: [(String, String, (StoredVolume) -> String)] = [
            (t("按城市", "By city"), t("城市", "City"), { String($0.regionCode.prefix(4)) + "00" }),
            (t("按品种", "By variety"), t("品种", "Variety"), { $0.varietyCode }),
            (t("按企业", "By firm"), t("生产企业", "Manufacturer"), { $0.manufacturerName }),
        ]
        for (sheet, header, key) in groupings {
            try xlsx.addSheet(sheet, columnWidths: [30, 12, 14, 14])
            try xlsx.addRow([header, t("机构数", "Institutions"), t("约定采购量（最小单位）", "Agreed quantity"), t("金额（元）", "Amount (yuan)")])
            var sums: [String: (institutions: Set<String>, quantity: Int64, amount: Int64)] = [:]
            for row in rows {
                sums[key(row), default: ([], 0, 0)].institutions.insert(row.institutionCode)
                sums[key(row)]!.quantity += row.quantity
                sums[key(row)]!.amount += row.amountFen
            }
            for (name, sum) in sums.sorted(by: { $0.key < $1.key }) {
                try xlsx.addRow([.text(name), .number(Int64(sum.institutions.count)), .number(sum.quantity), .decimal(Fen(sum.amount).yuanText)])
            }
        }
        return try xlsx.data()
    }
}
