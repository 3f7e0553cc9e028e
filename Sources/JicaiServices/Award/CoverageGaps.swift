import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension AwardService {
    /// One page of the coverage gaps the principal sees (the province, or a city its region; `region` narrows it),
    /// each with the unit's winners and the regions they supply.
    public func coverageGaps(_ scope: BatchScope, region: String?, page: PageRequest?) async throws -> Page<CoverageGap> {
        guard access(scope).seesProgress, let prefix = Authorizer.listingPrefix(scope.principal, requested: region) else { throw Refusal.forbidden }
        let head = scope.head
        var gaps = try await VolumeStore(db).gaps(batchID: head.batch.id, regionPrefix: prefix, page: page)
        let catalogue = try await catalogue(head)
        let results = try await AwardStore(db).results(batchID: head.batch.id).filter { $0.entry.role == .winner }
        // A gap's key is its unit's ("V01", "V01/S013"), or an essential spec's own ("V02/S022"), judged on that spec.
        var winners: [String: [CoverageGap.Winner]] = [:]
        for result in results {
            guard let spec = catalogue.specByCode[result.specCode] else { continue }
            let winner = CoverageGap.Winner(
                productCode: result.entry.productCode, manufacturerName: result.manufacturerName, regions: result.entry.regions)
            // A winner answers for its unit's gaps and for an essential spec's own.
            let keys = Set([Catalogue.unit(of: spec).key, CoverageGap.ownKey(of: spec)])
            for key in keys { winners[key, default: []].append(winner) }
        }
        gaps.items = gaps.items.map { gap in
            var out = gap
            out.winners = winners[gap.unitKey] ?? []
            return out
        }
        return gaps
    }

    /// The coverage gaps the principal sees as a workbook: one row per institution × unit × winner.
    public func coverageGapsWorkbook(_ scope: BatchScope, region: String?, language: Language) async throws -> Data {
        let gaps = try await coverageGaps(scope, region: region, page: nil).items
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("覆盖缺口", "Coverage gaps"), columnWidths: [22, 30, 10, 14, 12, 28, 30])
        try xlsx.addRow([
            t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("品种/规格", "Unit"), t("中选产品", "Winning product"),
            t("生产企业", "Manufacturer"), t("供应地区", "Supplies"),
        ])
        for gap in gaps {
            let winners: [CoverageGap.Winner?] = gap.winners.isEmpty ? [nil] : gap.winners
            for winner in winners {
                let supplies: String
                if let winner {
                    supplies = winner.regions.isEmpty ? t("全省", "whole province") : winner.regions.joined(separator: "、")
                } else {
                    supplies = ""
                }
                let cells: [XLSXWriter.Cell] = [
                    .text(gap.institutionCode), .text(gap.institutionName), .text(gap.regionCode), .text(gap.unitKey),
                    .text(winner?.productCode ?? ""), .text(winner?.manufacturerName ?? ""), .text(supplies),
                ]
                try xlsx.addRow(cells)
            }
        }
        return try xlsx.data()
    }
}
