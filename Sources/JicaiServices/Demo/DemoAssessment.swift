import Foundation
import JicaiCore
import JicaiPersistence

/// The demo's first agreement year through the assessment (管), replayed after its end (30 June 2027) through the
/// same service doors a bureau uses, each at its day of July 2027: the province records an exemption (a variety
/// entered the key-monitored list in Datong from September) and three tertiary hospitals paid by disease group,
/// runs and publishes the year (the leads are found with it); two institutions appeal a failed item, their city
/// gives its opinion, the province upholds one and rejects the other; after the appeal period the province approves,
/// and the payment list is ready. The year's purchases come from `DemoPurchases` to the year's last day.
enum DemoAssessment {
    static let yearStart = CivilDate(2026, 3, 1) ?? .earliest
    /// The year's last day (`AgreementYears`: a start in March renews on 1 July of the next year).
    static let yearEnd = CivilDate(2027, 6, 30) ?? .earliest

    static func clock(_ month: Int, _ day: Int) -> @Sendable () -> Date { { ReportingWindow.shanghai(2027, month, day, 10) } }

    static func scope(_ db: DB, _ principal: Principal, _ month: Int, _ day: Int) async throws -> BatchScope {
        try await BatchScope.resolve(
            DemoProvince.batchCode, db: db, ctx: RequestContext(principal: principal, ip: nil, at: ReportingWindow.shanghai(2027, month, day, 10)))
    }

    static var province: Principal {
        Principal(username: "admin", role: .provinceAdmin, regionCode: DemoProvince.provinceCode)
    }

    /// Returns the approved run.
    static func load(db: DB, catalogue: Catalogue) async throws -> AssessmentRunRecord {
        let july2 = AssessmentService(db: db, now: clock(7, 2))
        let bureau = try await scope(db, province, 7, 2)
        if let unit = catalogue.varieties.first(where: { $0.flags.keyMonitored }) ?? catalogue.varieties.first {
            _ = try await july2.addExemption(
                bureau,
                Exemption(
                    kind: .keyMonitored, unitKey: unit.code, regionPrefix: "1402", from: CivilDate(2026, 9, 1) ?? yearStart, through: yearEnd,
                    evidence: "\(unit.genericName)纳入本省第二批重点监控药品目录（演示）"))
        }
        let organisations = try await AccountStore(db).organisations()
        let tertiary = organisations.filter { $0.organisation.category == .tertiaryHospital }.map(\.organisation.code).sorted()
        for code in tertiary.prefix(3) { try await july2.setDiseaseGroup(bureau, institutionCode: code, true) }
        _ = try await july2.run(bureau, yearStart: yearStart)
        try await appeals(db, organisations: organisations)
        return try await AssessmentService(db: db, now: clock(7, 16)).approve(try await scope(db, province, 7, 16), yearStart: yearStart)
    }

    /// Two hospitals appeal their first failed item; their cities review them; the province upholds the first and
    /// rejects the second.
    static func appeals(_ db: DB, organisations: [StoredOrganisation]) async throws {
        let service = AssessmentService(db: db, now: clock(7, 5))
        let rows = try await service.allResults(try await scope(db, province, 7, 5), yearStart: yearStart).rows
        let hospitals = Set(
            organisations.filter { [.tertiaryHospital, .secondaryHospital].contains($0.organisation.category) }.map(\.organisation.code))
        let candidates = rows.filter { $0.failedItems > 0 && hospitals.contains($0.institutionCode) }
            .sorted { ($0.regionCode, $0.institutionCode) < ($1.regionCode, $1.institutionCode) }
        var filed: [(id: Int64, city: String)] = []
        for row in candidates.prefix(2) {
            let head = Principal(username: "head-\(row.institutionCode)", role: .institutionHead, organisationCode: row.institutionCode)
            let own = try await scope(db, head, 7, 5)
            let sheet = try await service.sheet(own, yearStart: yearStart, institutionCode: row.institutionCode)
            guard let item = sheet.items.first(where: { !$0.passed }) else { continue }
            let id = try await service.fileAppeal(
                own, yearStart: yearStart, unitKey: item.unitKey, reason: "中选产品配送企业2027年4月至5月断供，已报告供应问题（演示）",
                evidence: "供应问题工单及配送企业情况说明")
            filed.append((id, String(row.regionCode.prefix(4))))
        }
        let reviewer = AssessmentService(db: db, now: clock(7, 8))
        for (index, appeal) in filed.enumerated() {
            let city = Principal(username: "city\(appeal.city)", role: .cityReviewer, regionCode: appeal.city + "00")
            try await reviewer.reviewAppeal(
                try await scope(db, city, 7, 8), id: appeal.id, opinion: index == 0 ? "断供情况属实，建议支持" : "断供期间有备供企业可供，建议不予支持")
        }
        let decider = AssessmentService(db: db, now: clock(7, 10))
        for (index, appeal) in filed.enumerated() {
            let upheld = index == 0
            try await decider.decideAppeal(
                try await scope(db, province, 7, 10), id: appeal.id, upheld: upheld,
                reason: upheld ? "供应问题经核实，该品种本年度不作不合格认定" : "备供企业可正常供应，维持考核结果")
        }
    }
}
