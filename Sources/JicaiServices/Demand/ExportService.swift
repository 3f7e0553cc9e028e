import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The formats a report can be written in.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, xlsx, json

    public static func of(path: String) -> ExportFormat? { ExportFormat(rawValue: (path as NSString).pathExtension.lowercased()) }
}

/// One city's line of the batch summary.
public struct CitySummary: Sendable, Hashable, Codable {
    public var cityCode: String
    public var cityName: String
    public var institutions: Int
    public var withHistory: Int
    public var submitted: Int
    public var notReportedWithHistory: Int
    public var blocking: Int64
    public var review: Int64
    public var historyAmountFen: Int64
}

/// Exports of the reporting stage: findings, and the per-institution and per-city summaries reviewers print.
public struct ExportService: Sendable {
    public let db: DB
    public init(db: DB) { self.db = db }

    private func batch(_ code: String) async throws -> BatchRecord {
        guard let record = try await BatchStore(db).batch(code: code) else { throw ServiceError.batchNotFound(code) }
        return record
    }

    /// Writes the findings of the last check run; `regionPrefix` limits them to a city or county.
    @discardableResult
    public func findings(
        batchCode: String, to url: URL, format: ExportFormat, language: Language = .zh,
        regionPrefix: String? = nil
    ) async throws -> Int {
        let record = try await batch(batchCode)
        let list = try await FindingStore(db).list(batchID: record.id, regionPrefix: regionPrefix)
        if format == .json {
            struct Item: Codable {
                var institutionCode: String, institutionName: String, regionCode: String, code: String, severity: String
                var unit: String?, numbers: [String: String], message: LocalizedText, clause: String, explanation: String?
            }
            let items = list.map { s in
                Item(
                    institutionCode: s.institutionCode, institutionName: s.institutionName, regionCode: s.regionCode,
                    code: s.finding.code.rawValue, severity: s.finding.severity.rawValue, unit: s.finding.unitKey,
                    numbers: s.finding.numbers, message: s.finding.message, clause: s.finding.clause, explanation: s.finding.explanation)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(items).write(to: url)
            return items.count
        }
        let zh = language == .zh
        let headers =
            zh
            ? ["机构编码", "机构名称", "区划代码", "问题代码", "严重程度", "品种/规格", "历史采购量", "报量", "占历史比例", "阈值", "单位", "说明", "依据条款", "问题描述"]
            : [
                "Institution code", "Institution", "Region", "Code", "Severity", "Unit", "History", "Reported", "% of history", "Threshold",
                "Minimal unit", "Explanation", "Clause", "Message",
            ]
        let out = try TableExport(url: url, format: format == .csv ? .csv : .xlsx, sheet: zh ? "报量问题清单" : "Findings", headers: headers)
        for stored in list {
            let finding = stored.finding
            let numbers = finding.numbers
            func number(_ key: String) -> XLSXWriter.Cell {
                guard let number = numbers[key].flatMap({ Int64($0) }) else { return .empty }
                return .number(number)
            }
            var cells: [XLSXWriter.Cell] = [
                .text(stored.institutionCode), .text(stored.institutionName), .text(stored.regionCode), .text(finding.code.rawValue),
            ]
            cells.append(.text(finding.severity.label.text(language)))
            cells.append(.text(finding.unitKey ?? ""))
            cells.append(number("history"))
            cells.append(number("reported"))
            cells.append(.text(numbers["percentOfHistory"] ?? ""))
            cells.append(.text(numbers["threshold"] ?? ""))
            cells.append(.text(numbers["unit"] ?? ""))
            cells.append(.text(finding.explanation ?? ""))
            cells.append(.text(finding.clause))
            cells.append(.text(finding.message.text(language)))
            try out.add(cells)
        }
        try out.finish()
        return list.count
    }

    public func institutionSummary(batchCode: String, regionPrefix: String? = nil) async throws -> [InstitutionSummary] {
        try await SummaryQueries(db).institutions(batchID: try await batch(batchCode).id, regionPrefix: regionPrefix)
    }

    /// Per city: institutions, how many have history, submitted, have history but did not submit, and findings.
    public func citySummary(batchCode: String, regionPrefix: String? = nil) async throws -> [CitySummary] {
        let rows = try await institutionSummary(batchCode: batchCode, regionPrefix: regionPrefix)
        let names = Dictionary(uniqueKeysWithValues: try await AccountStore(db).regions().map { ($0.code.value, $0.name) })
        var cities: [String: CitySummary] = [:]
        for row in rows {
            let city = String(row.regionCode.prefix(4)) + "00"
            var citySummary =
                cities[city]
                ?? CitySummary(
                    cityCode: city, cityName: names[city] ?? names[String(row.regionCode.prefix(2)) + "0000"] ?? city,
                    institutions: 0, withHistory: 0, submitted: 0, notReportedWithHistory: 0, blocking: 0, review: 0, historyAmountFen: 0)
            let submitted = row.status.flatMap(ReportStatus.init(rawValue:))?.isSubmitted ?? false
            citySummary.institutions += 1
            if row.specsWithHistory > 0 { citySummary.withHistory += 1 }
            if submitted { citySummary.submitted += 1 }
            if row.specsWithHistory > 0 && !submitted { citySummary.notReportedWithHistory += 1 }
            citySummary.blocking += row.blocking
            citySummary.review += row.review
            citySummary.historyAmountFen += row.historyAmountFen
            cities[city] = citySummary
        }
        return cities.values.sorted { $0.cityCode < $1.cityCode }
    }

    /// Writes the summary per institution (`byCity` false) or per city.
    @discardableResult
    public func summary(
        batchCode: String, byCity: Bool, to url: URL, format: ExportFormat, language: Language = .zh,
        regionPrefix: String? = nil
    ) async throws -> Int {
        let zh = language == .zh
        if byCity {
            let rows = try await citySummary(batchCode: batchCode, regionPrefix: regionPrefix)
            if format == .json {
                try json(rows, url)
                return rows.count
            }
            let headers =
                zh
                ? ["地市代码", "地市", "机构数", "有历史采购量机构数", "已提交", "有历史未提交", "需处理问题", "待审核问题", "历史采购金额(元)"]
                : [
                    "City code", "City", "Institutions", "With history", "Submitted", "With history, not submitted", "Blocking", "For review",
                    "History amount (yuan)",
                ]
            let out = try TableExport(url: url, format: format == .csv ? .csv : .xlsx, sheet: zh ? "地市汇总" : "By city", headers: headers)
            for row in rows {
                try out.add([
                    .text(row.cityCode), .text(row.cityName), .number(Int64(row.institutions)), .number(Int64(row.withHistory)),
                    .number(Int64(row.submitted)), .number(Int64(row.notReportedWithHistory)), .number(row.blocking), .number(row.review),
                    .decimal(Fen(row.historyAmountFen).yuanText),
                ])
            }
            try out.finish()
            return rows.count
        }
        let rows = try await institutionSummary(batchCode: batchCode, regionPrefix: regionPrefix)
        if format == .json {
            try json(rows, url)
            return rows.count
        }
        let headers =
            zh
            ? ["机构编码", "机构名称", "机构类型", "机构类别", "区划代码", "报量状态", "有历史规格数", "历史采购金额(元)", "报量行数", "需处理问题", "待审核问题", "提示"]
            : [
                "Code", "Name", "Kind", "Category", "Region", "Status", "Specs with history", "History amount (yuan)", "Lines", "Blocking",
                "For review", "Info",
            ]
        let out = try TableExport(url: url, format: format == .csv ? .csv : .xlsx, sheet: zh ? "机构汇总" : "By institution", headers: headers)
        for row in rows {
            let kind = OrganisationKind(rawValue: row.kind)?.label.text(language) ?? row.kind
            let category = row.category.flatMap(InstitutionCategory.init(rawValue:))?.label.text(language) ?? ""
            let status = row.status.flatMap(ReportStatus.init(rawValue:))?.label.text(language) ?? (zh ? "未填报" : "not started")
            try out.add([
                .text(row.code), .text(row.name), .text(kind), .text(category), .text(row.regionCode), .text(status),
                .number(row.specsWithHistory), .decimal(Fen(row.historyAmountFen).yuanText), .number(row.lines),
                .number(row.blocking), .number(row.review), .number(row.info),
            ])
        }
        try out.finish()
        return rows.count
    }

    private func json<T: Encodable>(_ value: T, _ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: url)
    }
}

/// What the province prints, signs, seals and uploads (002 §4(三)): per city, the reported totals per spec over
/// submitted and approved reports, and (for the spreadsheet) every institution.
public struct ProvinceSummary: Sendable {
    public var cities: [CitySummary]
    public var institutions: [InstitutionSummary]
    public var specs: [(spec: String, quantity: Int64, institutions: Int64)]
    public var context: BatchContext
}

extension ExportService {
    public func provinceSummary(_ scope: BatchScope, regionPrefix: String, institutions: Bool) async throws -> ProvinceSummary {
        let (batchCode, ctx) = (scope.code, scope.ctx)
        guard Authorizer.canSeeProvince(ctx.principal) else { throw ServiceError.forbidden }
        let batchContext = try await ReportService(db: db).context(scope)
        return ProvinceSummary(
            cities: try await citySummary(batchCode: batchCode, regionPrefix: regionPrefix),
            institutions: institutions ? try await institutionSummary(batchCode: batchCode, regionPrefix: regionPrefix) : [],
            specs: try await DemandStore(db).specTotals(batchID: batchContext.batch.id, regionPrefix: regionPrefix), context: batchContext)
    }

    /// The summary as one XLSX of three sheets (地市汇总, 规格汇总, 机构明细); the export is audited.
    public func provinceSummaryXLSX(_ scope: BatchScope, regionPrefix: String) async throws -> Data {
        let (batchCode, ctx) = (scope.code, scope.ctx)
        let content = try await provinceSummary(scope, regionPrefix: regionPrefix, institutions: true)
        let writer = try XLSXWriter()
        try writer.addSheet("地市汇总", columnWidths: [10, 16, 10, 12, 10, 14, 10, 10, 16])
        try writer.addRow(["地市代码", "地市", "机构数", "有历史采购量机构数", "已提交", "有历史未提交", "需处理问题", "待审核问题", "历史采购金额(元)"])
        for city in content.cities {
            try writer.addRow([
                .text(city.cityCode), .text(city.cityName), .number(Int64(city.institutions)), .number(Int64(city.withHistory)),
                .number(Int64(city.submitted)),
                .number(Int64(city.notReportedWithHistory)), .number(city.blocking), .number(city.review),
                .decimal(Fen(city.historyAmountFen).yuanText),
            ])
        }
        try writer.addSheet("规格汇总", columnWidths: [12, 16, 12, 10, 8, 14, 12])
        try writer.addRow(["规格编码", "通用名", "规格", "剂型", "最小单位", "报量合计", "报量机构数"])
        let cat = content.context.catalogue
        for total in content.specs {
            let spec = cat.specByCode[total.spec]
            try writer.addRow([
                .text(total.spec), .text(spec.flatMap { cat.varietyByCode[$0.varietyCode]?.genericName } ?? ""), .text(spec?.strength ?? ""),
                .text(spec?.dosageForm ?? ""), .text(spec?.minimalUnit ?? ""), .number(total.quantity), .number(total.institutions),
            ])
        }
        try writer.addSheet("机构明细", columnWidths: [22, 30, 10, 10, 14, 12, 16, 10])
        try writer.addRow(["机构编码", "机构名称", "区划代码", "报量状态", "有历史规格数", "报量行数", "历史采购金额(元)", "需处理问题"])
        for institution in content.institutions {
            try writer.addRow([
                .text(institution.code), .text(institution.name), .text(institution.regionCode),
                .text(institution.status.flatMap(ReportStatus.init(rawValue:))?.label.zh ?? "未填报"),
                .number(institution.specsWithHistory), .number(institution.lines), .decimal(Fen(institution.historyAmountFen).yuanText),
                .number(institution.blocking),
            ])
        }
        try await AuditLog(db).record(
            actor: ctx.principal.username, event: .batchExport, key: batchCode,
            summary: "导出汇总表（\(regionPrefix)）", ip: ctx.ip, at: ctx.at)
        return try writer.data()
    }
}
