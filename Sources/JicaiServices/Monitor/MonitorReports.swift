import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

extension MonitorService {
    /// The monthly execution summary (004 §6; "双通报", 001 §2(三)): quantity and amount for the region, its cities and
    /// institutions ranked with the laggards first, and each unit by quantity.
    public struct MonthlyReport: Sendable {
        public var batch: BatchRecord
        public var run: MonitorRun
        public var year: AgreementYear
        public var schedule: Fraction
        public var regionPrefix: String
        public var regionName: String
        public var total: GroupProgress
        /// Lowest completion first.
        public var areas: [GroupProgress]
        /// The institutions behind the schedule, lowest completion first (at most `limit`).
        public var laggingInstitutions: [GroupProgress]
        public var units: [GroupProgress]
        public var unitNames: [String: String]
        public var unitDimensions: [String: EffectiveContent.Dimension]

        /// A unit's content sum for people ("374g").
        public func content(_ base: Int64, unit: String) -> String { EffectiveContent.display(base: base, dimension: unitDimensions[unit] ?? .count) }
    }

    public func monthlyReport(_ scope: BatchScope, region: String?, limit: Int = 50) async throws -> MonthlyReport {
        let (batch, access) = (scope.batch, try access(scope))
        guard var prefix = access.regionPrefix else { throw Refusal.forbidden }
        if let region, !region.isEmpty {
            guard region.hasPrefix(prefix) else { throw Refusal.forbidden }
            prefix = region
        }
        guard let run = try await MonitorStore(db).run(batchID: batch.id) else { throw Refusal(.notComputed) }
        let context = try await context(scope.head)
        let year = context.year(of: run.asOf)
        let schedule = Measures.schedule(year, on: run.asOf)
        let store = MonitorStore(db)
        let areas = try await store.groups(batchID: batch.id, regionPrefix: prefix, by: .region(digits: prefix.count < 4 ? 4 : 6))
        let institutions = try await store.groups(batchID: batch.id, regionPrefix: prefix, by: .institution)
        let units = try await store.groups(batchID: batch.id, regionPrefix: prefix, by: .unit)
        func ascending(_ a: GroupProgress, _ b: GroupProgress) -> Bool {
            let (ca, cb) = (a.completion ?? Fraction(1, 1), b.completion ?? Fraction(1, 1))
            return ca < cb || (ca == cb && a.key < b.key)
        }
        let lagging = institutions.filter { ($0.completion.map { $0 < schedule }) ?? false }.sorted(by: ascending)
        var names: [String: String] = [:]
        var dimensions: [String: EffectiveContent.Dimension] = [:]
        for spec in context.catalogue.specs { dimensions[Catalogue.unit(of: spec).key] = spec.content.dimension }
        for unit in context.catalogue.units {
            let variety = context.catalogue.varietyByCode[unit.varietyCode]
            names[unit.key] = (variety?.genericName ?? unit.varietyCode) + (unit.separateSpecCode.map { "（\($0)）" } ?? "")
        }
        return MonthlyReport(
            batch: batch, run: run, year: year, schedule: schedule, regionPrefix: prefix, regionName: try await regionName(prefix),
            total: Self.sum(areas, key: prefix, name: try await regionName(prefix)), areas: areas.sorted(by: ascending),
            laggingInstitutions: Array(lagging.prefix(limit)), units: units, unitNames: names, unitDimensions: dimensions)
    }

    /// The monthly summary as a workbook: one sheet per table of the printed page.
    public func monthlyWorkbook(_ report: MonthlyReport, language: Language) throws -> Data {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        let headers = [
            t("编码", "Code"), t("名称", "Name"), t("机构品种数", "Positions"), t("约定金额（元）", "Agreed amount (yuan)"),
            t("采购进度", "Completion"), t("序时进度", "Schedule"), t("中选金额（元）", "Winning amount (yuan)"),
            t("非中选金额（元）", "Non-winning amount (yuan)"), t("非中选金额占比", "Non-winning amount share"), t("集采金额占比", "VBP amount share"),
            t("未进院", "Not entered"),
        ]
        func row(_ g: GroupProgress) -> [XLSXWriter.Cell] {
            [
                .text(g.key), .text(g.name), .number(g.positions), .decimal(Fen(g.agreedAmountFen).yuanText), .text(g.completion?.percentText ?? "—"),
                .text(report.schedule.percentText), .decimal(Fen(g.winningAmountFen).yuanText), .decimal(Fen(g.nonWinningAmountFen).yuanText),
                .text(g.nonWinningAmountShare?.percentText ?? "—"), .text(g.vbpAmountShare?.percentText ?? "—"), .number(g.notEntered),
            ]
        }
        try xlsx.addSheet(t("地区", "Areas"), columnWidths: [10, 20, 10, 16, 10, 10, 16, 16, 12, 12, 8])
        try xlsx.addRow([t("截至", "As of"), report.run.asOf.description, t("协议年度", "Agreement year"), "\(report.year.start)–\(report.year.lastDay)"])
        try xlsx.addRow(headers)
        try xlsx.addRow(row(report.total))
        for group in report.areas { try xlsx.addRow(row(group)) }
        try xlsx.addSheet(t("进度滞后机构", "Lagging institutions"), columnWidths: [22, 30, 10, 16, 10, 10, 16, 16, 12, 12, 8])
        try xlsx.addRow(headers)
        for group in report.laggingInstitutions { try xlsx.addRow(row(group)) }
        try xlsx.addSheet(t("品种（数量）", "Units (quantity)"), columnWidths: [12, 24, 10, 18, 18, 18, 10, 12])
        try xlsx.addRow([
            t("品种", "Unit"), t("通用名", "Generic name"), t("机构数", "Institutions"), t("约定量（有效含量）", "Agreed (content)"),
            t("中选采购量（有效含量）", "Winning (content)"), t("非中选采购量（有效含量）", "Non-winning (content)"), t("采购进度", "Completion"),
            t("非中选数量占比", "Non-winning share"),
        ])
        for group in report.units {
            let completion = Measures.completion(winningContent: Int128(group.winningContent), agreedContent: Int128(group.agreedContent))
            try xlsx.addRow([
                .text(group.key), .text(report.unitNames[group.key] ?? ""), .number(group.positions),
                .text(report.content(group.agreedContent, unit: group.key)),
                .text(report.content(group.winningContent, unit: group.key)), .text(report.content(group.nonWinningContent, unit: group.key)),
                .text(completion?.percentText ?? "—"), .text(group.nonWinningShare?.percentText ?? "—"),
            ])
        }
        return try xlsx.data()
    }
}

/// The dashboard's tables as a workbook.
extension MonitorService {
    public func dashboardWorkbook(_ b: Dashboard, language: Language) throws -> Data {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("明细", "Rows"), columnWidths: [22, 30, 10, 16, 10, 12, 12, 12, 12, 12, 8])
        try xlsx.addRow([t("截至", "As of"), b.run.asOf.description, t("序时进度", "Schedule"), b.schedule.percentText])
        try xlsx.addRow([
            t("编码", "Code"), t("名称", "Name"), t("机构品种数", "Positions"), t("约定金额（元）", "Agreed (yuan)"),
            t("采购进度", "Completion"), t("拉低（百分点）", "Pull (points)"), t("供应侧", "Supply side"), t("需求侧", "Demand side"),
            t("非中选金额占比", "Non-winning share"), t("集采金额占比", "VBP share"), t("未进院", "Not entered"),
        ])
        for row in b.byPull {
            let group = row.group
            try xlsx.addRow([
                .text(group.key), .text(group.name), .number(group.positions), .decimal(Fen(group.agreedAmountFen).yuanText),
                .text(group.completion?.percentText ?? "—"),
                .text(ScheduleGap.pointsText(row.pull)), .text(ScheduleGap.pointsText(row.supplyPull)), .text(ScheduleGap.pointsText(row.demandPull)),
                .text(group.nonWinningAmountShare?.percentText ?? "—"), .text(group.vbpAmountShare?.percentText ?? "—"), .number(group.notEntered),
            ])
        }
        try xlsx.addSheet(t("月度", "Months"), columnWidths: [10, 12, 12, 16, 16])
        try xlsx.addRow([
            t("月份", "Month"), t("累计采购进度", "Completion"), t("序时进度", "Schedule"), t("中选金额（元）", "Winning (yuan)"),
            t("非中选金额（元）", "Non-winning (yuan)"),
        ])
        for point in b.trend {
            try xlsx.addRow([
                .text(point.month.description), .text(point.completion?.percentText ?? "—"), .text(point.schedule.percentText),
                .decimal(Fen(point.tally.winningAmountFen).yuanText), .decimal(Fen(point.tally.nonWinningAmountFen).yuanText),
            ])
        }
        return try xlsx.data()
    }
}
