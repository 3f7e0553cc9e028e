import Foundation

/// Where a batch's award stands: results imported, volumes computed, volumes published (then frozen).
public enum AwardPhase: String, Sendable, Hashable, Codable {
    case none, resultsImported, computed, published

    public var label: LocalizedText {
        switch self {
        case .none: LocalizedText(zh: "未导入中选结果", en: "no results")
        case .resultsImported: LocalizedText(zh: "已导入中选结果", en: "results imported")
        case .computed: LocalizedText(zh: "已计算约定采购量（未公布）", en: "volumes computed (not published)")
        case .published: LocalizedText(zh: "约定采购量已公布", en: "volumes published")
        }
    }
}

/// A batch's award state.
public struct AwardState: Sendable, Hashable {
    public var phase: AwardPhase
    public var resultsVersion: Int
    public var computedAt: Date?
    public var publishedAt: Date?
    public var publishedBy: String?
    public var executionStart: CivilDate?
    public var cycleEnd: CivilDate?
    /// The last day for signing the agreements (the city chases institutions that have not signed by then).
    public var signingDeadline: CivilDate?

    public init(
        phase: AwardPhase = .none, resultsVersion: Int = 0, computedAt: Date? = nil, publishedAt: Date? = nil, publishedBy: String? = nil,
        executionStart: CivilDate? = nil, cycleEnd: CivilDate? = nil, signingDeadline: CivilDate? = nil
    ) {
        self.phase = phase
        self.resultsVersion = resultsVersion
        self.computedAt = computedAt
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
        self.executionStart = executionStart
        self.cycleEnd = cycleEnd
        self.signingDeadline = signingDeadline
    }

    /// The agreement years of the cycle, once the dates are set.
    public var years: [AgreementYear] {
        guard let executionStart, let cycleEnd else { return [] }
        return AgreementYears.years(start: executionStart, cycleEnd: cycleEnd)
    }
}

/// A result row as stored: the row, its product's spec and manufacturer, and its version history.
public struct StoredResult: Sendable, Hashable {
    public var entry: ResultEntry
    public var specCode: String
    public var varietyCode: String
    public var manufacturerCode: String
    public var manufacturerName: String
    public var version: Int
    public var changedBy: String
    public var changedAt: Date
    /// Set on a row a later correction replaced.
    public var supersededAt: Date?

    public init(
        entry: ResultEntry, specCode: String, varietyCode: String, manufacturerCode: String, manufacturerName: String, version: Int,
        changedBy: String, changedAt: Date, supersededAt: Date? = nil
    ) {
        self.entry = entry
        self.specCode = specCode
        self.varietyCode = varietyCode
        self.manufacturerCode = manufacturerCode
        self.manufacturerName = manufacturerName
        self.version = version
        self.changedBy = changedBy
        self.changedAt = changedAt
        self.supersededAt = supersededAt
    }
}

/// One line's part of an agreed volume, as stored for its explanation.
public struct VolumeSource: Sendable, Hashable, Codable {
    public var reporter: String
    public var specCode: String
    public var reportedQuantity: Int64
    public var ratio: String
    public var chosenBrand: Bool

    public init(reporter: String, specCode: String, reportedQuantity: Int64, ratio: String, chosenBrand: Bool) {
        self.reporter = reporter
        self.specCode = specCode
        self.reportedQuantity = reportedQuantity
        self.ratio = ratio
        self.chosenBrand = chosenBrand
    }
}

/// An institution's agreed volume with one winning product.
public struct StoredVolume: Sendable, Hashable {
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var productCode: String
    public var specCode: String
    public var varietyCode: String
    public var manufacturerName: String
    public var quantity: Int64
    public var amountFen: Int64
    /// The exact yearly volume before rounding: `exactContent` ÷ `contentDenominator` minimal units.
    public var exactContent: String
    public var contentDenominator: String
    public var sources: [VolumeSource]
    public var version: Int
    /// Why a published figure was adjusted (empty for a computed one).
    public var reason: String
    /// Once the cycle is set: the figure of each agreement year (`AgreementYear.figure`), as the year's agreements
    /// and monitoring take it.
    public var years: [YearVolume] = []

    /// One agreement year's part of a volume.
    public struct YearVolume: Sendable, Hashable, Codable {
        public var start: CivilDate
        public var lastDay: CivilDate
        public var quantity: Int64
        public var amountFen: Int64

        public init(start: CivilDate, lastDay: CivilDate, quantity: Int64, amountFen: Int64) {
            self.start = start
            self.lastDay = lastDay
            self.quantity = quantity
            self.amountFen = amountFen
        }
    }

    /// Each agreement year's figure of this volume, with its product's pack price and size.
    public func yearFigures(_ years: [AgreementYear], packPriceFen: Int64, packSize: Int64) -> [YearVolume] {
        let exact = Int128(exactContent).flatMap { content in Int128(contentDenominator).map { (content, $0) } }
        return years.map { year in
            let figure = year.figure(quantity: quantity, exact: reason.isEmpty ? exact : nil, packPriceFen: packPriceFen, packSize: packSize)
            return YearVolume(start: year.start, lastDay: year.lastDay, quantity: figure.quantity, amountFen: figure.amountFen)
        }
    }

    public init(
        institutionCode: String, institutionName: String, regionCode: String, productCode: String, specCode: String, varietyCode: String,
        manufacturerName: String, quantity: Int64, amountFen: Int64, exactContent: String, contentDenominator: String, sources: [VolumeSource],
        version: Int = 1, reason: String = ""
    ) {
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.productCode = productCode
        self.specCode = specCode
        self.varietyCode = varietyCode
        self.manufacturerName = manufacturerName
        self.quantity = quantity
        self.amountFen = amountFen
        self.exactContent = exactContent
        self.contentDenominator = contentDenominator
        self.sources = sources
        self.version = version
        self.reason = reason
    }
}

/// A three-party agreement (三方购销协议) for one institution × winning product × agreement year.
public struct StoredAgreement: Sendable, Hashable {
    public var id: Int64
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var productCode: String
    public var specCode: String
    public var manufacturerCode: String
    public var manufacturerName: String
    public var distributorCode: String?
    public var distributorName: String?
    public var yearIndex: Int
    public var year: AgreementYear
    public var quantity: Int64
    public var amountFen: Int64
    public var status: AgreementStatus
    /// Who signed for each party that has signed, and when.
    public var signatures: [AgreementParty: Signature]

    public struct Signature: Sendable, Hashable {
        public var user: String
        public var at: Date
        public init(user: String, at: Date) {
            self.user = user
            self.at = at
        }
    }

    public init(
        id: Int64, institutionCode: String, institutionName: String, regionCode: String, productCode: String, specCode: String,
        manufacturerCode: String, manufacturerName: String, distributorCode: String?, distributorName: String?, yearIndex: Int,
        year: AgreementYear, quantity: Int64, amountFen: Int64, status: AgreementStatus, signatures: [AgreementParty: Signature]
    ) {
        self.id = id
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.productCode = productCode
        self.specCode = specCode
        self.manufacturerCode = manufacturerCode
        self.manufacturerName = manufacturerName
        self.distributorCode = distributorCode
        self.distributorName = distributorName
        self.yearIndex = yearIndex
        self.year = year
        self.quantity = quantity
        self.amountFen = amountFen
        self.status = status
        self.signatures = signatures
    }

    /// The state the core rules act on.
    public var state: AgreementState {
        var parties: [AgreementParty: String] = [.institution: institutionCode, .manufacturer: manufacturerCode]
        if let distributorCode { parties[.distributor] = distributorCode }
        return AgreementState(status: status, signedBy: Set(signatures.keys), parties: parties, year: year)
    }
}

/// An institution with agreements awaiting its signature.
public struct UnsignedInstitution: Sendable, Hashable {
    public var code: String
    public var name: String
    public var regionCode: String
    public var awaiting: Int64

    public init(code: String, name: String, regionCode: String, awaiting: Int64) {
        self.code = code
        self.name = name
        self.regionCode = regionCode
        self.awaiting = awaiting
    }
}

/// Signing progress of one city (or the province) for the province's watch list.
public struct SigningProgress: Sendable, Hashable {
    public var regionCode: String
    public var regionName: String
    public var agreements: Int64
    public var inForce: Int64
    public var awaitingInstitution: Int64

    public init(regionCode: String, regionName: String, agreements: Int64, inForce: Int64, awaitingInstitution: Int64) {
        self.regionCode = regionCode
        self.regionName = regionName
        self.agreements = agreements
        self.inForce = inForce
        self.awaitingInstitution = awaitingInstitution
    }
}

/// An institution × unit whose demand was not carried because the unit's winners (an essential spec's own winners)
/// all supply other regions (docs/rules.md "Award stage"), with those winners and the regions they supply.
public struct CoverageGap: Sendable, Hashable, Codable {
    public struct Winner: Sendable, Hashable, Codable {
        public var productCode: String
        public var manufacturerName: String
        /// Division-code prefixes; empty means the whole province.
        public var regions: [String]

        public init(productCode: String, manufacturerName: String, regions: [String]) {
            self.productCode = productCode
            self.manufacturerName = manufacturerName
            self.regions = regions
        }
    }

    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    /// "V01", "V01/S013" (a non-substitutable spec) or "V02/S022" (an essential spec judged on its own winners).
    public var unitKey: String
    public var winners: [Winner]

    /// The key a gap of a line on `spec` is listed under: its unit's, or an essential spec's own (judged on its own
    /// winners, 000 §5(三)).
    public static func key(of spec: Spec) -> String { spec.essential ? ownKey(of: spec) : Catalogue.unit(of: spec).key }

    /// A spec's own key, "V02/S022".
    public static func ownKey(of spec: Spec) -> String { "\(spec.varietyCode)/\(spec.code)" }

    public init(institutionCode: String, institutionName: String, regionCode: String, unitKey: String, winners: [Winner] = []) {
        self.institutionCode = institutionCode
        self.institutionName = institutionName
        self.regionCode = regionCode
        self.unitKey = unitKey
        self.winners = winners
    }
}
