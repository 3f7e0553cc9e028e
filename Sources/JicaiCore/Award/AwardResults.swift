import Foundation

/// A product's place in a batch's result: a winner (中选) or a backup supplier (备供企业) in an order of precedence.
public enum AwardRole: String, Sendable, Hashable, Codable, CaseIterable {
    case winner, backup

    public var label: LocalizedText {
        switch self {
        case .winner: LocalizedText(zh: "中选", en: "winner")
        case .backup: LocalizedText(zh: "备供", en: "backup")
        }
    }

    /// 中选/备供 as written in a results file; English words accepted too.
    public static func parse(_ text: String) -> AwardRole? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "中选", "winner", "win": .winner
        case "备供", "备供企业", "backup": .backup
        default: nil
        }
    }
}

/// One row of a batch's winning results (中选结果), as imported: the product (spec × manufacturer), its role, the
/// winning price per pack in fen, the regions it supplies (division-code prefixes; none = the whole province), the
/// pre-award reference price per pack (for the savings later) and whether the variety takes the lower ratio table
/// for restricted antimicrobials.
public struct ResultEntry: Sendable, Hashable, Codable {
    public var productCode: String
    public var role: AwardRole
    /// 1, 2, … for backup suppliers; nil for winners.
    public var backupOrder: Int?
    public var packPriceFen: Int64
    public var referencePriceFen: Int64?
    public var regions: [String]
    /// The national insurance drug code of the product (国家医保药品代码), as given.
    public var insuranceCode: String
    public var restricted: Bool
    /// Minimal units in this product's pack, when it differs from its spec's: two winners of one spec may sell
    /// different packs, and each product's amounts use its own (nil: the spec's pack size).
    public var packSize: Int64?

    public init(
        productCode: String, role: AwardRole = .winner, backupOrder: Int? = nil, packPriceFen: Int64, referencePriceFen: Int64? = nil,
        regions: [String] = [], insuranceCode: String = "", restricted: Bool = false, packSize: Int64? = nil
    ) {
        self.packSize = packSize
        self.productCode = productCode
        self.role = role
        self.backupOrder = backupOrder
        self.packPriceFen = packPriceFen
        self.referencePriceFen = referencePriceFen
        self.regions = regions
        self.insuranceCode = insuranceCode
        self.restricted = restricted
    }

    /// The winning price of one minimal unit, exact: pack price ÷ pack size fen.
    public func unitPrice(packSize: Int64) -> Ratio { Ratio(packPriceFen, max(1, packSize)) }

    /// The product's pack size: its own, or its spec's.
    public func packSize(of spec: Spec?) -> Int64 { max(1, packSize ?? spec?.packSize ?? 1) }
}

extension AwardResult {
    /// The award the rules use, from a batch's result rows: winners only (backup suppliers carry no agreed volume),
    /// counted per manufacturer (its credit code, or its name when the catalogue gives no code); the restricted
    /// varieties from the rows' flag.
    public init(entries: [ResultEntry], catalogue: Catalogue) {
        var winners: [WinningProduct] = []
        var restricted = Set<String>()
        for entry in entries {
            guard let product = catalogue.productByCode[entry.productCode], let spec = catalogue.specByCode[product.specCode] else { continue }
            if entry.restricted { restricted.insert(spec.varietyCode) }
            guard entry.role == .winner else { continue }
            winners.append(
                WinningProduct(
                    productCode: product.code, specCode: spec.code, manufacturer: product.manufacturerCode?.value ?? product.manufacturerName,
                    packPriceFen: entry.packPriceFen, packSize: entry.packSize(of: spec), regions: entry.regions))
        }
        self.init(winners: winners, restrictedVarieties: restricted)
    }
}

/// An institution's report as the award counts it (docs/rules.md "Award stage", counted reports).
public struct CountedReport: Sendable, Hashable {
    public var institutionCode: String
    public var regionCode: String
    /// The lead of its county medical community, when it is a member.
    public var communityLeadCode: String?
    public var status: ReportStatus
    public var lines: [DemandLine]

    public init(institutionCode: String, regionCode: String, communityLeadCode: String? = nil, status: ReportStatus, lines: [DemandLine]) {
        self.institutionCode = institutionCode
        self.regionCode = regionCode
        self.communityLeadCode = communityLeadCode
        self.status = status
        self.lines = lines
    }
}

/// The holder of agreed volume and the lines it holds.
public struct VolumeHolder: Sendable, Hashable {
    public var institutionCode: String
    public var regionCode: String
    public var lines: [DemandLine]
    /// Who reported each line (parallel to `lines`).
    public var lineReporters: [String]
    /// The institutions whose reports it holds (itself and, for a community lead, its members), in code order.
    public var reporters: [String]
}

extension AgreedVolumeCalculator {
    /// Who holds agreed volume: every institution whose report the province approved before the lock, except that a
    /// county medical community member's lines go to its lead, which holds them in its own region (docs/rules.md "Award stage", counted
    /// reports; 001 §2(一)). Any other report counts as not reported and carries nothing.
    public static func holders(_ reports: [CountedReport]) -> [VolumeHolder] {
        let regionOf = Dictionary(reports.map { ($0.institutionCode, $0.regionCode) }, uniquingKeysWith: { first, _ in first })
        var byHolder: [String: VolumeHolder] = [:]
        for report in reports.sorted(by: { $0.institutionCode < $1.institutionCode }) where report.status == .provinceApproved {
            let holder = report.communityLeadCode ?? report.institutionCode
            let region = regionOf[holder] ?? report.regionCode
            byHolder[holder, default: VolumeHolder(institutionCode: holder, regionCode: region, lines: [], lineReporters: [], reporters: [])].lines +=
                report.lines
            byHolder[holder]!.lineReporters += Array(repeating: report.institutionCode, count: report.lines.count)
            byHolder[holder]!.reporters.append(report.institutionCode)
        }
        return byHolder.keys.sorted().map { byHolder[$0]! }
    }
}
