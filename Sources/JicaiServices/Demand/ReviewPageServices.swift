import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The province's progress by city: status counts of the reporting organisations in a region.
public struct CityProgress: Sendable {
    public struct Row: Sendable, Hashable {
        public var cityCode: String
        public var cityName: String
        /// Organisations per `ReportStatus` raw value, "none" for those without a report.
        public var counts: [String: Int64]

        public var total: Int64 { counts.values.reduce(0, +) }
        public var submitted: Int64 {
            counts.filter { ReportStatus(rawValue: $0.key)?.isSubmitted ?? false }.values.reduce(0, +)
        }
    }

    public var context: BatchContext
    public var regionPrefix: String
    public var rows: [Row]
}

extension ReportService {
    /// The region a reviewer lists: the own region, or a part of it when asked; refused outside it.
    public static func listingPrefix(_ ctx: RequestContext, requested: String?) throws -> String {
        guard let prefix = Authorizer.listingPrefix(ctx.principal, requested: requested) else { throw Refusal.forbidden }
        return prefix
    }

    /// Progress by city for the province (002 §4(三)).
    public func progressByCity(_ scope: BatchScope, region: String?) async throws -> CityProgress {
        let ctx = scope.ctx
        guard Authorizer.canSeeProvince(ctx.principal) else { throw Refusal.forbidden }
        let prefix = try Self.listingPrefix(ctx, requested: region)
        let batchContext = try await context(scope)
        let counts = try await DemandStore(db).progress(batchID: batchContext.batch.id, regionPrefix: prefix)
        let names = Dictionary(uniqueKeysWithValues: try await AccountStore(db).regions().map { ($0.code.value, $0.name) })
        var byCity: [String: [String: Int64]] = [:]
        for count in counts { byCity[count.city, default: [:]][count.status ?? "none", default: 0] += count.count }
        let rows = byCity.keys.sorted().map { city in
            CityProgress.Row(cityCode: city, cityName: names[city + "00"] ?? city, counts: byCity[city] ?? [:])
        }
        return CityProgress(context: batchContext, regionPrefix: prefix, rows: rows)
    }

    /// The offline form of an institution as XLSX: one row per reportable spec with the saved draft, the history and
    /// the columns of the demand import (docs/formats.md), so the filled file can be uploaded again.
    public func formWorkbook(_ scope: BatchScope, institutionCode: String) async throws -> Data {
        let form = try await form(scope, institutionCode: institutionCode)
        let writer = try XLSXWriter()
        let columns = Schemas.demand.columns
        let keys = ["institution", "spec", "product", "quantity", "explanation", "exclusion", "exclusionReason"]
        try writer.addSheet("需求量", columnWidths: [22, 12, 12, 12, 30, 12, 20, 14, 10, 10, 8, 16])
        try writer.addRow(keys.map { key in columns.first { $0.key == key }?.zh ?? key } + ["通用名", "规格", "剂型", "最小单位", "历史采购量"])
        let catalogue = form.context.catalogue
        let lines = Dictionary((form.report?.lines ?? []).map { ($0.specCode, $0) }, uniquingKeysWith: { first, _ in first })
        for unit in catalogue.units {
            let genericName = catalogue.varietyByCode[unit.varietyCode]?.genericName ?? ""
            for (index, spec) in catalogue.reportableSpecs(in: unit).enumerated() {
                let line = lines[spec.code]
                let exclusion = index == 0 ? form.report?.exclusions[unit.key] : nil
                let explanation = index == 0 ? form.report?.explanations[unit.key] ?? "" : ""
                try writer.addRow([
                    .text(form.institution.organisation.code), .text(spec.code), .text(line?.productCode ?? ""),
                    .number(line?.quantity ?? 0), .text(explanation), exclusion.map { .number($0.quantity) } ?? .empty,
                    .text(exclusion?.reason ?? ""), .text(genericName), .text(spec.strength), .text(spec.dosageForm),
                    .text(spec.minimalUnit), .number(form.history[spec.code] ?? 0),
                ])
            }
        }
        return try writer.data()
    }
}

extension ExportService {
    /// A reviewer's list as XLSX: every reporting organisation of the region with its status and findings.
    public func reviewListXLSX(_ scope: BatchScope, region: String?, language: Language) async throws
        -> (data: Data, regionPrefix: String)
    {
        let (batchCode, ctx) = (scope.code, scope.ctx)
        let prefix = try ReportService.listingPrefix(ctx, requested: region)
        _ = try await ReportService(db: db).context(scope)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-review-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try await summary(batchCode: batchCode, byCity: false, to: url, format: .xlsx, language: language, regionPrefix: prefix)
        return (try Data(contentsOf: url), prefix)
    }
}

extension AccountService {
    /// Generated initial passwords as CSV (UTF-8 with BOM for Excel); the download is audited.
    public func credentialsCSV(_ issued: [IssuedCredential], jobID: String, ctx: RequestContext) async throws -> Data {
        guard Authorizer.canManageAccounts(ctx.principal) else { throw Refusal.forbidden }
        let csv = CSVWriter()
        try csv.write(["账号", "名称", "机构编码", "初始密码"])
        for credential in issued {
            try csv.write([credential.username, credential.displayName, credential.organisationCode ?? "", credential.password])
        }
        try csv.finish()
        try await AuditLog(db).record(
            actor: ctx.principal.username, event: .credentialsDownload, key: jobID,
            summary: "下载\(issued.count)个初始密码", ip: ctx.ip, at: ctx.at)
        return Data(csv.output)
    }
}
