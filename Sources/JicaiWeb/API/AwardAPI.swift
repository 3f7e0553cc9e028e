import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// The award (采) over `/api/v1`: results and phase, volumes, coverage gaps, agreements, prices, the province's
/// actions and signing; the same service calls and scope rules as the pages.
extension APIv1 {
    func bootAward(_ api: any RoutesBuilder) {
        api.get(.api(.award(.any))) { req in try await award(req) }
        api.get(.api(.awardVolumes(.any))) { req in try await awardVolumes(req) }
        api.get(.api(.awardGaps(.any))) { req in try await awardGaps(req) }
        api.get(.api(.awardAgreements(.any))) { req in try await awardAgreements(req) }
        api.get(.api(.awardPrices(.any))) { req in try await awardPrices(req) }
        api.post(.api(.awardAction(.any, .compute))) { req in try await awardCompute(req) }
        api.post(.api(.awardAction(.any, .publish))) { req in try await awardPublish(req) }
        api.post(.api(.awardAction(.any, .send))) { req in try await awardSend(req) }
        api.post(.api(.awardAction(.any, .renew))) { req in try await awardRenew(req) }
        api.post(.api(.awardAction(.any, .adjust))) { req in try await awardAdjust(req) }
        api.post(.api(.awardAction(.any, .policy))) { req in try await awardPolicy(req) }
        api.post(.api(.signAgreement(.any, .any))) { req in try await signAgreement(req) }
        api.post(.api(.awardAction(.any, .signAll))) { req in try await signAll(req) }
    }

    func award(_ req: Request) async throws -> AwardDTO {
        AwardDTO(try await deps.services(req).award.overview(try await req.scope(deps)))
    }

    /// Paged like `statuses`; `region` and `institution` narrow the list inside the caller's scope.
    func awardVolumes(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).award.volumes(
            try await req.scope(deps), region: params["region"], institution: params["institution"], page: page)
        return try await Response.paged(req, rows.items.map(VolumeDTO.init), total: rows.total, page: page, params: params)
    }

    /// Paged like `awardVolumes`; `region` narrows the list inside the caller's scope.
    func awardGaps(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let rows = try await deps.services(req).award.coverageGaps(try await req.scope(deps), region: params["region"], page: page)
        return try await Response.paged(req, rows.items.map(GapDTO.init), total: rows.total, page: page, params: params)
    }

    /// Changes the fields given; answers the batch's award (its policy is the batch's).
    func awardPolicy(_ req: Request) async throws -> AwardPolicyDTO {
        let body = try req.content.decode(AwardPolicyChange.self)
        return AwardPolicyDTO(try await deps.services(req).award.setPolicy(try await req.scope(deps), body.applied))
    }

    func awardAgreements(_ req: Request) async throws -> Response {
        let params = ListParams(req)
        let page = params.apiPage()
        let status = try params["status"].map { text -> AgreementStatus in
            guard let status = AgreementStatus(rawValue: text) else { throw Refusal(.badQuery, zh: "未知的协议状态", en: "unknown agreement status") }
            return status
        }
        let narrowing = AgreementListView.narrowing { params[$0] }
        let rows = try await deps.services(req).agreements.agreements(try await req.scope(deps), status: status, narrowing: narrowing, page: page)
        return try await Response.paged(req, rows.items.map(AgreementDTO.init), total: rows.total, page: page, params: params)
    }

    func awardPrices(_ req: Request) async throws -> [PriceDTO] {
        try await deps.services(req).award.prices(try await req.scope(deps)).rows.map(PriceDTO.init)
    }

    func awardCompute(_ req: Request) async throws -> ComputeDTO {
        ComputeDTO(try await deps.services(req).award.compute(try await req.scope(deps)))
    }

    func awardPublish(_ req: Request) async throws -> CountDTO {
        struct Body: Content {
            var executionStart: String
            var cycleEnd: String
            var signingDeadline: String?
        }
        let body = try req.content.decode(Body.self)
        guard let start = CivilDate(text: body.executionStart), let end = CivilDate(text: body.cycleEnd) else { throw Refusal(.badDate) }
        let deadline = try body.signingDeadline.map { text -> CivilDate in
            guard let date = CivilDate(text: text) else { throw Refusal(.badDate) }
            return date
        }
        let count = try await deps.services(req).award.publish(
            try await req.scope(deps), executionStart: start, cycleEnd: end, signingDeadline: deadline)
        return CountDTO(count: Int64(count))
    }

    func awardSend(_ req: Request) async throws -> CountDTO {
        CountDTO(count: try await deps.services(req).agreements.send(try await req.scope(deps)))
    }

    func awardRenew(_ req: Request) async throws -> CountDTO {
        CountDTO(count: Int64(try await deps.services(req).award.renew(try await req.scope(deps)).count))
    }

    func awardAdjust(_ req: Request) async throws -> [VolumeDTO] {
        struct Body: Content {
            var institutionCode: String
            var productCode: String
            var quantity: Int64
            var reason: String
        }
        let body = try req.content.decode(Body.self)
        let scope = try await req.scope(deps)
        let award = deps.services(req).award
        try await award.adjustVolume(
            scope, institutionCode: body.institutionCode, productCode: body.productCode, quantity: body.quantity, reason: body.reason)
        return try await award.volumes(scope, region: nil, institution: body.institutionCode, page: PageRequest()).items.map(VolumeDTO.init)
    }

    func signAgreement(_ req: Request) async throws -> AgreementDTO {
        let key = try AgreementKey(req)
        return AgreementDTO(try await deps.services(req).agreements.sign(try await req.scope(deps), id: key.id))
    }

    /// Signs every agreement awaiting the caller's party that matches the narrowing; `expected` is the count the
    /// caller confirmed (CONCURRENT_CHANGE when the list has changed: nothing signed).
    func signAll(_ req: Request) async throws -> BulkSigningDTO {
        struct Body: Content {
            var city: String?
            var manufacturer: String?
            var product: String?
            var expected: Int64
        }
        let body = try req.content.decode(Body.self)
        let narrowing = AgreementNarrowing(
            regionPrefix: body.city ?? "", manufacturerCode: body.manufacturer ?? "", productCode: body.product ?? "")
        let done = try await deps.services(req).agreements.signAll(try await req.scope(deps), narrowing: narrowing, expected: body.expected)
        return BulkSigningDTO(signed: done.signed, inForce: done.inForce, skipped: done.skipped)
    }
}

struct BulkSigningDTO: Content {
    var signed: Int64
    var inForce: Int64
    var skipped: Int64
}
