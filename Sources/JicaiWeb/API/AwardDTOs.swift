import Foundation
import JicaiCore
import JicaiServices
import Vapor

/// A batch's award: its phase, dates and winning results.
struct AwardDTO: Content {
    struct Result: Content {
        var productCode: String
        var specCode: String
        var varietyCode: String
        var manufacturerCode: String
        var manufacturerName: String
        var role: String
        var backupOrder: Int?
        var packPriceFen: Int64
        var regions: [String]
        var version: Int
    }

    var phase: String
    var executionStart: String?
    var cycleEnd: String?
    var volumes: Int64
    var agreements: Int64
    var results: [Result]

    init(_ overview: AwardService.Overview) {
        phase = overview.state.phase.rawValue
        executionStart = overview.state.executionStart?.description
        cycleEnd = overview.state.cycleEnd?.description
        volumes = overview.volumes
        agreements = overview.agreements
        results = overview.results.map {
            Result(
                productCode: $0.entry.productCode, specCode: $0.specCode, varietyCode: $0.varietyCode, manufacturerCode: $0.manufacturerCode,
                manufacturerName: $0.manufacturerName, role: $0.entry.role.rawValue, backupOrder: $0.entry.backupOrder,
                packPriceFen: $0.entry.packPriceFen, regions: $0.entry.regions, version: $0.version)
        }
    }
}

/// An institution's agreed volume with one product, with its sources.
struct VolumeDTO: Content {
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var productCode: String
    var specCode: String
    var manufacturerName: String
    var quantity: Int64
    var amountFen: Int64
    var version: Int
    var reason: String
    var sources: [VolumeSource]
    /// Each agreement year's figure, once the cycle is set.
    var years: [YearDTO]

    struct YearDTO: Content {
        var start: String
        var lastDay: String
        var quantity: Int64
        var amountFen: Int64
    }

    init(_ volume: StoredVolume) {
        years = volume.years.map {
            YearDTO(start: $0.start.description, lastDay: $0.lastDay.description, quantity: $0.quantity, amountFen: $0.amountFen)
        }
        institutionCode = volume.institutionCode
        institutionName = volume.institutionName
        regionCode = volume.regionCode
        productCode = volume.productCode
        specCode = volume.specCode
        manufacturerName = volume.manufacturerName
        quantity = volume.quantity
        amountFen = volume.amountFen
        version = volume.version
        reason = volume.reason
        sources = volume.sources
    }
}

/// A three-party agreement.
struct AgreementDTO: Content {
    var id: Int64
    var institutionCode: String
    var productCode: String
    var manufacturerCode: String
    var distributorCode: String?
    var yearIndex: Int
    var start: String
    var end: String
    var quantity: Int64
    var amountFen: Int64
    var status: String
    var signedBy: [String]

    init(_ agreement: StoredAgreement) {
        id = agreement.id
        institutionCode = agreement.institutionCode
        productCode = agreement.productCode
        manufacturerCode = agreement.manufacturerCode
        distributorCode = agreement.distributorCode
        yearIndex = agreement.yearIndex
        start = agreement.year.start.description
        end = agreement.year.lastDay.description
        quantity = agreement.quantity
        amountFen = agreement.amountFen
        status = agreement.status.rawValue
        signedBy = agreement.signatures.keys.map(\.rawValue).sorted()
    }
}

/// A product's listing price and payment standard.
struct PriceDTO: Content {
    var productCode: String
    var specCode: String
    var varietyCode: String
    var manufacturerName: String
    var standing: String
    var category: String?
    var listingFen: Int64?
    var paymentStandardFen: Int64?
    var suspend: Bool

    init(_ row: AwardService.PriceRow) {
        productCode = row.productCode
        specCode = row.specCode
        varietyCode = row.varietyCode
        manufacturerName = row.manufacturerName
        standing = row.standing.rawValue
        category = row.category?.rawValue
        listingFen = row.listingFen
        paymentStandardFen = row.paymentStandardFen
        suspend = row.suspend
    }
}

/// What a computation of the agreed volumes came to.
struct ComputeDTO: Content {
    var holders: Int
    var volumes: Int
    var gaps: Int
    var amountFen: Int64

    init(_ summary: AwardService.ComputeSummary) {
        holders = summary.holders
        volumes = summary.volumes
        gaps = summary.gaps
        amountFen = summary.amountFen
    }
}

/// How many agreements an action created or sent.
struct CountDTO: Content {
    var count: Int64
}

/// A change to the award policy, from the award page's form or the API's body: the fields given change
/// (`AwardPolicy.changed`).
struct AwardPolicyChange: Content {
    var allocation: String?
    /// Percent; empty or "none" for the tables.
    var flatRatio: String?
    var ratios: String?
    var restrictedRatios: String?
    var limitDrugs: Int?
    var limitConsumables: Int?

    func applied(to current: AwardPolicy) throws -> AwardPolicy {
        try current.changed(
            allocation: allocation, flatRatio: flatRatio, ratios: ratios, restrictedRatios: restrictedRatios, limitDrugs: limitDrugs,
            limitConsumables: limitConsumables)
    }
}

/// A batch's award policy: percents as text ("60"), the allocation rule, the distributor limits.
struct AwardPolicyDTO: Content {
    var kind: String
    var allocation: String
    var flatRatio: String?
    var ratios: [String]
    var restrictedRatios: [String]
    var distributorLimitDrugs: Int
    var distributorLimitConsumables: Int

    init(_ policy: AwardPolicy) {
        func percent(_ ratio: Ratio) -> String { Fraction(Int128(ratio.numerator), Int128(ratio.denominator)).percentText }
        kind = policy.kind.rawValue
        allocation = policy.allocation.rawValue
        flatRatio = policy.flatRatio.map(percent)
        ratios = policy.ratiosByWinners.map(percent)
        restrictedRatios = policy.restrictedRatiosByWinners.map(percent)
        distributorLimitDrugs = policy.distributorLimitDrugs
        distributorLimitConsumables = policy.distributorLimitConsumables
    }
}

/// A coverage gap with the unit's winners and the regions they supply.
struct GapDTO: Content {
    var institutionCode: String
    var institutionName: String
    var regionCode: String
    var unitKey: String
    var winners: [CoverageGap.Winner]

    init(_ gap: CoverageGap) {
        institutionCode = gap.institutionCode
        institutionName = gap.institutionName
        regionCode = gap.regionCode
        unitKey = gap.unitKey
        winners = gap.winners
    }
}
