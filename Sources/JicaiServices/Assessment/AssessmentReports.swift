import Foundation
import JicaiCore
import JicaiPersistence

/// The year's assessment report of a region (the province's or one city's; 003 §8(三), 004 §3, §7): the retention
/// summary, the cities ranked (and the city's place among them), the institutions with the highest and the lowest
/// scores, the appeals and the supervision leads counted. Bureaus only, within their region.
public struct AssessmentReport: Sendable {
    public var run: AssessmentRunRecord
    /// The region reported on: `""` the province, else a city's four digits.
    public var cityCode: String
    public var regionName: String
    public var totals: CityAssessment
    /// The cities ranked by average score; a city's report lists every city of the province, to show its place.
    public var cities: [CityAssessment]
    public var cityRanks: [Int]
    public var cityNames: [String: String]
    public var highest: [ScoreRecord]
    public var lowest: [ScoreRecord]
    public var appeals: [AppealStatus: Int]
    public var leads: [LeadKind: Int]
    public static let listed = 20

    /// The city's rank among the province's cities (ties share a rank), nil in the province's report.
    public var cityRank: Int? {
        guard !cityCode.isEmpty, let index = cities.firstIndex(where: { $0.cityCode == cityCode }) else { return nil }
        return cityRanks[index]
    }
}

extension AssessmentService {
    /// The cities' names by their four digits (the rankings show names).
    public func cityNames() async throws -> [String: String] { Self.cityNames(try await AccountStore(db).regions()) }

    static func cityNames(_ regions: [Region]) -> [String: String] {
        var names: [String: String] = [:]
        for r in regions where r.code.value.hasSuffix("00") { names[String(r.code.value.prefix(4))] = r.name }
        return names
    }

    /// The report of the scope's region, or of one city in it (`city`, four digits); a city reviewer gets its own.
    public func report(_ scope: BatchScope, yearStart: CivilDate, city: String?) async throws -> AssessmentReport {
        let access = try access(scope)
        guard let prefix = access.regionPrefix else { throw Refusal.forbidden }
        let run = try await storedRun(scope, yearStart)
        var cityCode = city?.trimmingCharacters(in: .whitespaces) ?? ""
        if prefix.count >= 4 { cityCode = String(prefix.prefix(4)) }
        guard
            cityCode.isEmpty
                || (cityCode.count == 4 && cityCode.allSatisfy({ $0.isASCII && $0.isNumber }) && cityCode.hasPrefix(prefix.prefix(cityCode.count)))
        else {
            throw Refusal(.badRequest, zh: "市级区划应为本辖区内的4位代码", en: "the city must be a four-digit code inside your region")
        }
        let store = AssessmentStore(db)
        let region = cityCode.isEmpty ? prefix : cityCode
        let all = try await store.cities(batchID: scope.batch.id, yearStart: yearStart, regionPrefix: String(prefix.prefix(2)))
        let mine = all.filter { $0.cityCode.hasPrefix(region) }
        let totals = mine.reduce(
            CityAssessment(cityCode: region, institutions: 0, scoreSum: 0, grades: [0, 0, 0, 0], items: 0, failedItems: 0, retainedFen: 0)
        ) {
            var t = $0
            t.institutions += $1.institutions
            t.scoreSum += $1.scoreSum
            t.grades = zip(t.grades, $1.grades).map { $0 + $1 }
            t.items += $1.items
            t.failedItems += $1.failedItems
            t.retainedFen += $1.retainedFen
            return t
        }
        let regions = try await AccountStore(db).regions()
        let names = Self.cityNames(regions)
        let provinceName = regions.first { $0.code.value == scope.batch.provinceCode }?.name ?? scope.batch.provinceCode
        let ranked = all.map(\.averageHundredths)
        let batchID = scope.batch.id
        return AssessmentReport(
            run: run, cityCode: cityCode, regionName: cityCode.isEmpty ? provinceName : names[cityCode] ?? cityCode, totals: totals,
            cities: all, cityRanks: Ranking.competition(ranked), cityNames: names,
            highest: try await store.ranked(
                batchID: batchID, yearStart: yearStart, regionPrefix: region, highestFirst: true, limit: AssessmentReport.listed),
            lowest: try await store.ranked(
                batchID: batchID, yearStart: yearStart, regionPrefix: region, highestFirst: false, limit: AssessmentReport.listed),
            appeals: Dictionary(grouping: try await appeals(scope, yearStart: yearStart).filter { $0.regionCode.hasPrefix(region) }, by: \.status)
                .mapValues(\.count),
            leads: Dictionary(grouping: try await leads(scope, yearStart: yearStart).filter { $0.regionCode.hasPrefix(region) }, by: \.kind)
                .mapValues(\.count))
    }
}
