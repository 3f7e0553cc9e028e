import Foundation
import JicaiCore
import JicaiPersistence

extension MonitorService {
    /// One city's half-yearly report on handling execution problems (001 §4), assembled from the alerts of the half
    /// and their resolutions, with the city's own text.
    public struct CityReport: Sendable {
        public var cityCode: String
        public var cityName: String
        public var period: HalfYear
        public var figures: CityReportStore.AlertFigures
        public var handResolutions: [StoredAlert]
        public var stored: StoredCityReport?
        /// The city may still edit (a city reviewer of this city, not yet submitted).
        public var editable: Bool
    }

    /// Where each city stands for a half-year (the province's list).
    public struct CityReportStatus: Sendable, Hashable {
        public var cityCode: String
        public var cityName: String
        public var submittedAt: Date?
        public var submittedBy: String?
        public var drafted: Bool
    }

    func halfYearBounds(_ period: HalfYear) -> (Date, Date) {
        (
            ReportingWindow.shanghai(period.first.year, period.first.month, period.first.day),
            ReportingWindow.shanghai(period.last.year, period.last.month, period.last.day, 24)
        )
    }

    /// The city of a city reviewer, or the city asked for by the province.
    func reportCity(_ access: Access, requested: String?) throws -> String {
        guard let prefix = access.regionPrefix else { throw Refusal.forbidden }
        if prefix.count >= 4 { return String(prefix.prefix(4)) }
        guard let requested, requested.count == 4, requested.hasPrefix(prefix) else { throw Refusal(.badRegion) }
        return requested
    }

    public func cityReport(_ scope: BatchScope, period: HalfYear, city: String?) async throws -> CityReport {
        let (batch, access, ctx) = (scope.batch, try access(scope), scope.ctx)
        let cityCode = try reportCity(access, requested: city)
        let (from, to) = halfYearBounds(period)
        let store = CityReportStore(db)
        let stored = try await store.report(batchID: batch.id, city: cityCode, period: period)
        return CityReport(
            cityCode: cityCode, cityName: try await regionName(cityCode), period: period,
            figures: try await store.alertFigures(batchID: batch.id, regionPrefix: cityCode, from: from, to: to),
            handResolutions: try await store.handResolutions(batchID: batch.id, regionPrefix: cityCode, from: from, to: to), stored: stored,
            editable: ctx.principal.role == .cityReviewer && stored?.submitted != true)
    }

    /// Saves the city's draft or submits it to the province; only the city's own reviewer, and not after submission.
    public func saveCityReport(_ scope: BatchScope, period: HalfYear, measures: String, problems: String, submit: Bool) async throws {
        let (batch, access, ctx) = (scope.batch, try access(scope), scope.ctx)
        guard ctx.principal.role == .cityReviewer else { throw Refusal.forbidden }
        let cityCode = try reportCity(access, requested: nil)
        let measures = measures.trimmingCharacters(in: .whitespacesAndNewlines)
        let problems = problems.trimmingCharacters(in: .whitespacesAndNewlines)
        guard measures.count <= InputLimits.maxReportTextCharacters, problems.count <= InputLimits.maxReportTextCharacters else {
            throw Refusal(.textTooLong)
        }
        if submit && measures.isEmpty { throw Refusal(.noteRequired) }
        let (from, to) = halfYearBounds(period)
        let figures = try await CityReportStore(db).alertFigures(batchID: batch.id, regionPrefix: cityCode, from: from, to: to)
        let summary =
            "预警\(figures.raised.values.reduce(0, +))条：待处理\(figures.open)、已知悉\(figures.acknowledged)、自动解除\(figures.resolvedAuto)、人工解除\(figures.resolvedByHand)"
        let report = StoredCityReport(
            cityCode: cityCode, period: period, summary: summary, measures: measures, problems: problems, submitted: submit,
            updatedBy: ctx.principal.username, updatedAt: ctx.at, submittedBy: submit ? ctx.principal.username : nil,
            submittedAt: submit ? ctx.at : nil)
        try await db.transaction { db in
            guard try await CityReportStore(db).save(batchID: batch.id, report) else { throw Refusal(.wrongStatus) }
            try await AuditLog(db).record(
                actor: ctx.principal.username, event: submit ? .cityReportSubmit : .cityReportSave, key: "\(batch.code)/\(cityCode)/\(period)",
                summary: "\(submit ? "报送" : "保存")\(period.label.zh)集采执行问题处置情况报告（\(cityCode)）", ip: ctx.ip, at: ctx.at)
        }
    }

    /// Every city of the province with its report for the half-year (the province's view).
    public func cityReportStatuses(_ scope: BatchScope, period: HalfYear) async throws -> [CityReportStatus] {
        let (batch, access) = (scope.batch, try access(scope))
        guard let prefix = access.regionPrefix else { throw Refusal.forbidden }
        let reports = Dictionary(
            try await CityReportStore(db).reports(batchID: batch.id, period: period).map { ($0.cityCode, $0) }, uniquingKeysWith: { a, _ in a })
        let cities = try await AccountStore(db).regions().filter { $0.level == .city && $0.code.value.hasPrefix(prefix) }
        return cities.map { region in
            let code = String(region.code.value.prefix(4))
            let report = reports[code]
            return CityReportStatus(
                cityCode: code, cityName: region.name, submittedAt: report?.submittedAt, submittedBy: report?.submittedBy, drafted: report != nil)
        }
        .sorted { $0.cityCode < $1.cityCode }
    }
}
