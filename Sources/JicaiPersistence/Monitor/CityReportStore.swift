import Foundation
import JicaiCore
import SQLKit

/// A city's half-yearly report as stored.
public struct StoredCityReport: Sendable, Hashable {
    public var cityCode: String
    public var period: HalfYear
    public var summary: String
    public var measures: String
    public var problems: String
    public var submitted: Bool
    public var updatedBy: String
    public var updatedAt: Date
    public var submittedBy: String?
    public var submittedAt: Date?

    public init(
        cityCode: String, period: HalfYear, summary: String, measures: String, problems: String, submitted: Bool, updatedBy: String, updatedAt: Date,
        submittedBy: String?, submittedAt: Date?
    ) {
        self.cityCode = cityCode
        self.period = period
        self.summary = summary
        self.measures = measures
        self.problems = problems
        self.submitted = submitted
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.submittedBy = submittedBy
        self.submittedAt = submittedAt
    }
}

/// The city bureaus' half-yearly reports and the alert figures they are assembled from.
public struct CityReportStore: Sendable {
    let db: DB
    public init(_ db: DB) { self.db = db }

    struct Row: Decodable {
        var city_code: String
        var period: String
        var summary: String
        var measures: String
        var problems: String
        var status: String
        var updated_by: String
        var updated_at: String
        var submitted_by: String?
        var submitted_at: String?

        var report: StoredCityReport? {
            guard let period = HalfYear(text: period) else { return nil }
            return StoredCityReport(
                cityCode: city_code, period: period, summary: summary, measures: measures, problems: problems, submitted: status == "submitted",
                updatedBy: updated_by, updatedAt: Timestamp.date(updated_at) ?? Date(timeIntervalSince1970: 0), submittedBy: submitted_by,
                submittedAt: submitted_at.flatMap(Timestamp.date))
        }
    }

    public func report(batchID: Int64, city: String, period: HalfYear) async throws -> StoredCityReport? {
        try await db.first(
            """
            SELECT * FROM city_reports WHERE batch_id = \(bind: batchID) AND city_code = \(bind: city) AND period = \(bind: period.description)
            """, as: Row.self)?.report
    }

    public func reports(batchID: Int64, period: HalfYear) async throws -> [StoredCityReport] {
        try await db.all(
            "SELECT * FROM city_reports WHERE batch_id = \(bind: batchID) AND period = \(bind: period.description) ORDER BY city_code", as: Row.self
        ).compactMap(\.report)
    }

    /// Saves the draft, or submits it; a submitted report is not changed again (false).
    public func save(batchID: Int64, _ r: StoredCityReport) async throws -> Bool {
        if let existing = try await report(batchID: batchID, city: r.cityCode, period: r.period) {
            guard !existing.submitted else { return false }
            try await db.run(
                """
                DELETE FROM city_reports WHERE batch_id = \(bind: batchID) AND city_code = \(bind: r.cityCode) AND period = \(bind: r.period.description)
                """)
        }
        try await db.run(
            """
            INSERT INTO city_reports (batch_id, city_code, period, summary, measures, problems, status, updated_by, updated_at, submitted_by, submitted_at)
            VALUES (\(bind: batchID), \(bind: r.cityCode), \(bind: r.period.description), \(bind: r.summary), \(bind: r.measures), \(bind: r.problems),
            \(bind: r.submitted ? "submitted" : "draft"), \(bind: r.updatedBy), \(bind: Timestamp.text(r.updatedAt)), \(bind: r.submittedBy),
            \(bind: r.submittedAt.map(Timestamp.text)))
            """)
        return true
    }

    /// Alerts of a region raised in a period, by code and by how they ended.
    public struct AlertFigures: Sendable, Hashable {
        public var raised: [AlertCode: Int64] = [:]
        public var open: Int64 = 0
        public var acknowledged: Int64 = 0
        public var resolvedAuto: Int64 = 0
        public var resolvedByHand: Int64 = 0
    }

    public func alertFigures(batchID: Int64, regionPrefix: String, from: Date, to: Date) async throws -> AlertFigures {
        struct R: Decodable {
            var code: String
            var status: String
            var resolution: String?
            var n: Int64
        }
        // Counted by distinct alert (rule, institution, unit, agreement year), each in its latest record's status: a
        // database from before alerts were kept as one record per key may hold several records of one alert.
        let rows = try await db.all(
            """
            SELECT code, status, resolution, CAST(COUNT(*) AS BIGINT) AS n FROM (
                SELECT code, status, resolution,
                ROW_NUMBER() OVER (PARTITION BY institution_id, unit_key, code, year_start ORDER BY id DESC) AS latest
                FROM monitor_alerts
                WHERE batch_id = \(bind: batchID) AND region_code LIKE \(bind: regionPrefix + "%")
                AND raised_at >= \(bind: Timestamp.text(from)) AND raised_at < \(bind: Timestamp.text(to))
            ) alerts WHERE latest = 1
            GROUP BY code, status, resolution
            """, as: R.self)
        var out = AlertFigures()
        for row in rows {
            if let code = AlertCode(rawValue: row.code) { out.raised[code, default: 0] += row.n }
            switch (row.status, row.resolution) {
            case ("open", _): out.open += row.n
            case ("acknowledged", _): out.acknowledged += row.n
            case (_, "hand"): out.resolvedByHand += row.n
            default: out.resolvedAuto += row.n
            }
        }
        return out
    }

    /// The reasons given for alerts of a region resolved by hand in a period (the report lists them).
    public func handResolutions(batchID: Int64, regionPrefix: String, from: Date, to: Date, limit: Int = 200) async throws -> [StoredAlert] {
        try await db.all(
            """
            SELECT a.*, o.code AS institution, o.name FROM monitor_alerts a JOIN organisations o ON o.id = a.institution_id
            WHERE a.batch_id = \(bind: batchID) AND a.region_code LIKE \(bind: regionPrefix + "%") AND a.resolution = 'hand'
            AND a.resolved_at >= \(bind: Timestamp.text(from)) AND a.resolved_at < \(bind: Timestamp.text(to))
            ORDER BY a.resolved_at LIMIT \(bind: limit)
            """, as: AlertStore.Row.self
        ).compactMap(\.alert)
    }
}
