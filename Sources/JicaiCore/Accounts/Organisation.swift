/// A region of the administrative division table (docs/rules.md, "Identifiers"). Imported by the province; the national table
/// in `Resources/divisions.csv` is the default.
public struct Region: Sendable, Hashable, Codable {
    public var code: DivisionCode
    public var name: String
    public var level: DivisionCode.Level
    public var parentCode: DivisionCode?

    public init(code: DivisionCode, name: String, level: DivisionCode.Level, parentCode: DivisionCode?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

/// What an organisation is on the platform (docs/glossary.md).
public enum OrganisationKind: String, Sendable, Codable, CaseIterable {
    case institution, pharmacy, manufacturer, distributor, cityBureau, provinceBureau

    public var label: LocalizedText {
        switch self {
        case .institution: LocalizedText(zh: "医疗机构", en: "medical institution")
        case .pharmacy: LocalizedText(zh: "定点零售药店", en: "designated retail pharmacy")
        case .manufacturer: LocalizedText(zh: "生产企业", en: "manufacturer")
        case .distributor: LocalizedText(zh: "配送企业", en: "distributor")
        case .cityBureau: LocalizedText(zh: "市医保局", en: "city healthcare security bureau")
        case .provinceBureau: LocalizedText(zh: "省医保局", en: "province healthcare security bureau")
        }
    }

    /// Whether this kind reports demand (institutions and pharmacies, 000 §1, 002 §1).
    public var reportsDemand: Bool { self == .institution || self == .pharmacy }
}

/// The category of a medical institution, from tertiary hospitals to village clinics (002 §1).
public enum InstitutionCategory: String, Sendable, Codable, CaseIterable {
    case tertiaryHospital, secondaryHospital, primaryHospital, communityHealthCentre, townshipHealthCentre
    case communityHealthStation, villageClinic, other

    public var label: LocalizedText {
        switch self {
        case .tertiaryHospital: LocalizedText(zh: "三级医院", en: "tertiary hospital")
        case .secondaryHospital: LocalizedText(zh: "二级医院", en: "secondary hospital")
        case .primaryHospital: LocalizedText(zh: "一级医院", en: "primary hospital")
        case .communityHealthCentre: LocalizedText(zh: "社区卫生服务中心", en: "community health centre")
        case .townshipHealthCentre: LocalizedText(zh: "乡镇卫生院", en: "township health centre")
        case .communityHealthStation: LocalizedText(zh: "社区卫生服务站", en: "community health station")
        case .villageClinic: LocalizedText(zh: "村卫生室", en: "village clinic")
        case .other: LocalizedText(zh: "其他", en: "other")
        }
    }

    /// Primary care the notices urge to take part (002 §1).
    public var isPrimaryCare: Bool {
        switch self {
        case .communityHealthCentre, .townshipHealthCentre, .communityHealthStation, .villageClinic: true
        default: false
        }
    }
}

/// Ownership decides whether participation is required (000 §1, 002 §1).
public enum Ownership: String, Sendable, Codable, CaseIterable {
    case publicOwned = "public"
    case military
    case privateOwned = "private"

    public var label: LocalizedText {
        switch self {
        case .publicOwned: LocalizedText(zh: "公立", en: "public")
        case .military: LocalizedText(zh: "军队", en: "military")
        case .privateOwned: LocalizedText(zh: "民营", en: "private")
        }
    }
}

/// Whether an organisation must take part in reporting (000 §1, 002 §1): all public and military institutions must;
/// private designated institutions and pharmacies are encouraged; others are voluntary.
public enum Participation: String, Sendable, Codable {
    case required, urged, encouraged, voluntary

    public static func of(kind: OrganisationKind, ownership: Ownership?, category: InstitutionCategory?) -> Participation {
        switch kind {
        case .institution:
            switch ownership ?? .privateOwned {
            case .publicOwned, .military: return (category?.isPrimaryCare ?? false) ? .urged : .required
            case .privateOwned: return .encouraged
            }
        case .pharmacy: return .encouraged
        default: return .voluntary
        }
    }
}

/// An organisation known to the platform: an institution, pharmacy, firm or bureau.
public struct Organisation: Sendable, Hashable, Codable {
    /// The platform code: the unified social credit code.
    public var code: String
    public var name: String
    public var kind: OrganisationKind
    public var category: InstitutionCategory?
    public var ownership: Ownership?
    public var beds: Int?
    public var regionCode: DivisionCode
    /// For a member of a county medical community: the lead institution's code (001 §2(一), 004 §1).
    public var communityLeadCode: String?

    public init(
        code: String, name: String, kind: OrganisationKind, category: InstitutionCategory? = nil,
        ownership: Ownership? = nil, beds: Int? = nil, regionCode: DivisionCode, communityLeadCode: String? = nil
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.category = category
        self.ownership = ownership
        self.beds = beds
        self.regionCode = regionCode
        self.communityLeadCode = communityLeadCode
    }
}
