import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The assessment stage (管) over `/api/v1`: a year's results (paged, the caller's scope), an institution's sheet, the
/// province's run and approval, appeals with the city's opinion and the province's decision.
extension APIv1 {
    func bootAssessment(_ api: any RoutesBuilder) {
        api.get(.api(.assessment(.any))) { req in try await assessmentResults(req) }
        bootLeads(api)
        api.get(.api(.assessmentSheet(.any, .any))) { req in
            let sheet = try await deps.services(req).assessment.sheet(
                try await req.scope(deps), yearStart: try Self.yearQuery(req), institutionCode: try InstitutionKey(req).code)
            return AssessmentSheetDTO(sheet)
        }
        for action in SiteURL.APIAssessmentAction.allCases {
            api.post(.api(.assessmentAction(.any, action))) { req in
                let body = try req.content.decode(AssessmentYearDTO.self)
                let service = deps.services(req).assessment
                let scope = try await req.scope(deps)
                let year = try Self.day(body.year)
                let run = action == .run ? try await service.run(scope, yearStart: year) : try await service.approve(scope, yearStart: year)
                return AssessmentRunDTO(run)
            }
        }
        api.get(.api(.assessmentReport(.any))) { req in
            let report = try await deps.services(req).assessment.report(
                try await req.scope(deps), yearStart: try Self.yearQuery(req), city: ListParams(req)["city"])
            return AssessmentReportDTO(report)
        }
        api.get(.api(.assessmentAppeals(.any))) { req in
            try await deps.services(req).assessment.appeals(try await req.scope(deps), yearStart: try Self.yearQuery(req)).map(AppealDTO.init)
        }
        api.post(.api(.assessmentAppeals(.any))) { req in
            let body = try req.content.decode(AppealRequestDTO.self)
            let service = deps.services(req).assessment
            let scope = try await req.scope(deps)
            let id = try await service.fileAppeal(
                scope, yearStart: try Self.day(body.year), unitKey: body.unit, reason: body.reason, evidence: body.evidence)
            return AppealDTO(try await service.appeal(scope, id: id))
        }
        for action in SiteURL.APIAppealAction.allCases {
            api.post(.api(.assessmentAppeal(.any, .any, action))) { req in
                let body = try req.content.decode(AppealActionDTO.self)
                let service = deps.services(req).assessment
                let scope = try await req.scope(deps)
                let id = try AppealKey(req).id
                switch action {
                case .review: try await service.reviewAppeal(scope, id: id, opinion: body.opinion ?? "")
                case .decide: try await service.decideAppeal(scope, id: id, upheld: body.upheld ?? false, reason: body.reason ?? "")
                }
                return AppealDTO(try await service.appeal(scope, id: id))
            }
        }
    }

    func bootLeads(_ api: any RoutesBuilder) {
        api.get(.api(.assessmentLeads(.any))) { req in
            let status = ListParams(req)["status"].flatMap(LeadStatus.init(rawValue:))
            return try await deps.services(req).assessment.leads(try await req.scope(deps), yearStart: try Self.yearQuery(req), status: status)
                .map(LeadDTO.init)
        }
        api.post(.api(.assessmentLead(.any, .any))) { req in
            let body = try req.content.decode(LeadActionDTO.self)
            guard let status = LeadStatus(rawValue: body.status) else { throw Refusal(.badRequest) }
            return LeadDTO(
                try await deps.services(req).assessment.updateLead(
                    try await req.scope(deps), id: try LeadKey(req).id, status: status, finding: body.finding ?? ""))
        }
    }

    static func day(_ text: String) throws -> CivilDate {
        guard let day = CivilDate(text: text) else { throw Refusal(.badDate, zh: "日期应为YYYY-MM-DD", en: "the date must be YYYY-MM-DD") }
        return day
    }

    static func yearQuery(_ req: Request) throws -> CivilDate { try day(ListParams(req)["year"] ?? "") }

    /// The year's results the caller sees, lowest score first (query: year, grade, q, page, size).
    func assessmentResults(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let found = try await deps.services(req).assessment.results(
            try await req.scope(deps), yearStart: try Self.yearQuery(req), grade: params["grade"].flatMap(Grade.init(rawValue:)), search: params["q"],
            page: page)
        return try await Response.paged(req, found.page.items.map(AssessmentScoreDTO.init), total: found.page.total, page: page, params: params)
    }
}

struct AssessmentYearDTO: Content {
    var year: String
}

struct AssessmentRunDTO: Content {
    var yearStart: String
    var yearEnd: String
    var status: String
    var publishedOn: String
    var institutions: Int64
    var items: Int64
    var failedItems: Int64
    var retainedFen: Int64
    var approvedBy: String?

    init(_ run: AssessmentRunRecord) {
        yearStart = run.yearStart.description
        yearEnd = (run.yearEnd.adding(days: -1) ?? run.yearEnd).description
        status = run.status.rawValue
        publishedOn = run.publishedOn.description
        institutions = run.institutions
        items = run.items
        failedItems = run.failedItems
        retainedFen = run.retainedFen
        approvedBy = run.approvedBy
    }
}

struct AssessmentScoreDTO: Content {
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var score: String
    var grade: String
    var completionPassed: Int64
    var completionAssessed: Int64
    var sharePassed: Int64
    var shareCounted: Int64
    var dueFen: Int64
    var paidOnTimeFen: Int64
    var agreements: Int64
    var signedOnTime: Int64
    var items: Int64
    var failedItems: Int64
    var retainedFen: Int64
    var diseaseGroup: Bool

    init(_ r: ScoreRecord) {
        institutionCode = r.institutionCode
        institutionName = r.institutionName
        regionCode = r.regionCode
        score = r.score.text
        grade = r.score.grade.rawValue
        completionPassed = r.parts.completionPassed
        completionAssessed = r.parts.completionAssessed
        sharePassed = r.parts.sharePassed
        shareCounted = r.parts.shareCounted
        dueFen = r.parts.dueFen
        paidOnTimeFen = r.parts.paidOnTimeFen
        agreements = r.parts.agreements
        signedOnTime = r.parts.signedOnTime
        items = r.items
        failedItems = r.failedItems
        retainedFen = r.retainedFen
        diseaseGroup = r.diseaseGroup
    }
}

struct AssessmentItemDTO: Content {
    var unit: String
    var agreedContent: Int64
    var winningContent: Int64
    var winningAmountFen: Int64
    var nonWinningContent: Int64
    var uncoveredDays: Int64
    var completion: String
    var sharePassed: Bool
    var passed: Bool
    var preAwardAmountFen: Int64?
    var preAwardContent: Int64?
    var baseContent: Int64
    var savingsFen: Int64
    var retainedFen: Int64
    var reasons: [String]
    var reasonsEn: [String]

    init(_ i: ItemRecord) {
        unit = i.unitKey
        agreedContent = i.agreedContent
        winningContent = i.tally.winningContent
        winningAmountFen = i.tally.winningAmountFen
        nonWinningContent = i.tally.nonWinningContent
        uncoveredDays = i.uncoveredDays
        completion = i.completionPassed.map { $0 ? "passed" : "failed" } ?? "notAssessed"
        sharePassed = i.sharePassed
        passed = i.passed
        preAwardAmountFen = i.price?.amountFen
        preAwardContent = i.price?.content
        baseContent = i.baseContent
        savingsFen = i.savingsFen
        retainedFen = i.retainedFen
        reasons = i.reasons.map(\.zh)
        reasonsEn = i.reasons.map(\.en)
    }
}

struct AssessmentSheetDTO: Content {
    var run: AssessmentRunDTO
    var result: AssessmentScoreDTO
    var items: [AssessmentItemDTO]
    var appeals: [AppealDTO]
    var mayAppeal: Bool
    var appealUntil: String?

    init(_ s: AssessmentService.Sheet) {
        run = AssessmentRunDTO(s.run)
        result = AssessmentScoreDTO(s.score)
        items = s.items.map(AssessmentItemDTO.init)
        appeals = s.appeals.map(AppealDTO.init)
        mayAppeal = s.mayAppeal
        appealUntil = s.appealUntil?.description
    }
}

struct AppealRequestDTO: Content {
    var year: String
    var unit: String
    var reason: String
    var evidence: String
}

struct AppealActionDTO: Content {
    var opinion: String?
    var upheld: Bool?
    var reason: String?
}

struct AppealDTO: Content {
    var id: Int64
    var yearStart: String
    var institutionCode: String
    var institutionName: String
    var unit: String
    var reason: String
    var evidence: String
    var status: String
    var opinion: String?
    var decision: String?

    init(_ a: AppealRecord) {
        id = a.id
        yearStart = a.yearStart.description
        institutionCode = a.institutionCode
        institutionName = a.institutionName
        unit = a.unitKey
        reason = a.reason
        evidence = a.evidence
        status = a.status.rawValue
        opinion = a.opinion
        decision = a.decision
    }
}

struct LeadActionDTO: Content {
    var status: String
    var finding: String?
}

struct LeadDTO: Content {
    var id: Int64
    var yearStart: String
    var institutionCode: String
    var institutionName: String
    var unit: String
    var kind: String
    var evidence: String
    var evidenceEn: String
    var status: String
    var finding: String?
    var updatedBy: String?

    init(_ l: LeadRecord) {
        id = l.id
        yearStart = l.yearStart.description
        institutionCode = l.institutionCode
        institutionName = l.institutionName
        unit = l.unitKey
        kind = l.kind.rawValue
        evidence = l.evidence.zh
        evidenceEn = l.evidence.en
        status = l.status.rawValue
        finding = l.finding
        updatedBy = l.updatedBy
    }
}

struct AssessmentCityDTO: Content {
    var rank: Int
    var city: String
    var name: String
    var institutions: Int64
    var averageScore: String
    var grades: [Int64]
    var items: Int64
    var failedItems: Int64
    var retainedFen: Int64

    init(_ c: CityAssessment, rank: Int, name: String) {
        self.rank = rank
        city = c.cityCode
        self.name = name
        institutions = c.institutions
        averageScore = Score(hundredths: c.averageHundredths, grade: .d).text
        grades = c.grades
        items = c.items
        failedItems = c.failedItems
        retainedFen = c.retainedFen
    }
}

struct AssessmentReportDTO: Content {
    var run: AssessmentRunDTO
    var city: String
    var regionName: String
    var cityRank: Int?
    var totals: AssessmentCityDTO
    var cities: [AssessmentCityDTO]
    var highest: [AssessmentScoreDTO]
    var lowest: [AssessmentScoreDTO]
    var appeals: [String: Int]
    var leads: [String: Int]

    init(_ r: AssessmentReport) {
        run = AssessmentRunDTO(r.run)
        city = r.cityCode
        regionName = r.regionName
        cityRank = r.cityRank
        totals = AssessmentCityDTO(r.totals, rank: r.cityRank ?? 0, name: r.regionName)
        cities = zip(r.cities, r.cityRanks).map { AssessmentCityDTO($0, rank: $1, name: r.cityNames[$0.cityCode] ?? $0.cityCode) }
        highest = r.highest.map(AssessmentScoreDTO.init)
        lowest = r.lowest.map(AssessmentScoreDTO.init)
        appeals = Dictionary(uniqueKeysWithValues: r.appeals.map { ($0.key.rawValue, $0.value) })
        leads = Dictionary(uniqueKeysWithValues: r.leads.map { ($0.key.rawValue, $0.value) })
    }
}
