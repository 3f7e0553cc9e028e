import Foundation

/// The roles of the platform (docs/rules.md, "Accounts, roles and scope").
public enum Role: String, Sendable, Codable, CaseIterable {
    case provinceAdmin, provinceReviewer, cityReviewer, institutionFiller, institutionHead, manufacturer, distributor

    public var label: LocalizedText {
        switch self {
        case .provinceAdmin: LocalizedText(zh: "省级管理员", en: "province administrator")
        case .provinceReviewer: LocalizedText(zh: "省级审核员", en: "province reviewer")
        case .cityReviewer: LocalizedText(zh: "市级审核员", en: "city reviewer")
        case .institutionFiller: LocalizedText(zh: "医疗机构填报员", en: "institution filler")
        case .institutionHead: LocalizedText(zh: "医疗机构负责人", en: "institution head")
        case .manufacturer: LocalizedText(zh: "生产企业", en: "manufacturer")
        case .distributor: LocalizedText(zh: "配送企业", en: "distributor")
        }
    }

    /// Parses the role's code or its Chinese label (as an account spreadsheet has it).
    public static func parse(_ text: String) -> Role? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return Role(rawValue: trimmed) ?? allCases.first { $0.label.zh == trimmed || $0.label.en.caseInsensitiveCompare(trimmed) == .orderedSame }
    }

    public var isProvince: Bool { self == .provinceAdmin || self == .provinceReviewer }
    public var isInstitution: Bool { self == .institutionFiller || self == .institutionHead }
    /// A manufacturer's or a distributor's account.
    public var isCompany: Bool { self == .manufacturer || self == .distributor }
    /// A bureau's account: the province's or a city's.
    public var isBureau: Bool { isProvince || self == .cityReviewer }
    /// Roles bound to an organisation (institution or company); the others are bound to a region.
    public var needsOrganisation: Bool { isInstitution || self == .manufacturer || self == .distributor }
}

/// Who is acting: a role, and the organisation or region the account belongs to.
public struct Principal: Sendable, Hashable {
    public var username: String
    public var role: Role
    /// The organisation (institution, company) of institution and company accounts.
    public var organisationCode: String?
    /// The region: the province (2 digits of the code) for province roles, the city for city reviewers.
    public var regionCode: String?

    public init(username: String, role: Role, organisationCode: String? = nil, regionCode: String? = nil) {
        self.username = username
        self.role = role
        self.organisationCode = organisationCode
        self.regionCode = regionCode
    }

    /// The prefix of division codes this principal oversees: 2 digits for a province, 4 for a city; nil otherwise.
    public var regionPrefix: String? {
        guard let code = regionCode, code.count == 6 else { return nil }
        switch role {
        case .provinceAdmin, .provinceReviewer: return String(code.prefix(2))
        case .cityReviewer: return code.hasSuffix("00") ? String(code.prefix(4)) : code
        default: return nil
        }
    }
}

/// An institution as access rules see it.
public struct InstitutionRef: Sendable, Hashable {
    public var code: String
    public var regionCode: String
    public var communityLeadCode: String?

    public init(code: String, regionCode: String, communityLeadCode: String? = nil) {
        self.code = code
        self.regionCode = regionCode
        self.communityLeadCode = communityLeadCode
    }
}

/// What a principal may see and do with an institution's report. One place decides; every route asks it
/// (scope: an institution only itself, a county medical community lead also its members (001 §2(一)), a city
/// reviewer only its region, the province everything in the province).
public enum Authorizer {
    public static func canView(_ p: Principal, _ i: InstitutionRef) -> Bool {
        switch p.role {
        case .provinceAdmin, .provinceReviewer, .cityReviewer:
            guard let prefix = p.regionPrefix else { return false }
            return i.regionCode.hasPrefix(prefix)
        case .institutionFiller, .institutionHead:
            guard let own = p.organisationCode else { return false }
            return i.code == own || i.communityLeadCode == own
        case .manufacturer, .distributor:
            return false
        }
    }

    /// Filling and submitting: the institution's own accounts, and its county medical community lead's.
    public static func canFill(_ p: Principal, _ i: InstitutionRef) -> Bool {
        p.role.isInstitution && canView(p, i)
    }

    /// Approving, returning and correcting at the city level: the city (or province) reviewer of the region.
    public static func canReviewAsCity(_ p: Principal, _ i: InstitutionRef) -> Bool {
        (p.role == .cityReviewer || p.role.isProvince) && canView(p, i)
    }

    public static func canReviewAsProvince(_ p: Principal, _ i: InstitutionRef) -> Bool {
        p.role.isProvince && canView(p, i)
    }

    /// Batches, accounts, imports, lock and the sealed summary.
    public static func canAdminister(_ p: Principal, provinceCode: String) -> Bool {
        p.role == .provinceAdmin && p.regionPrefix.map { provinceCode.hasPrefix($0) } == true
    }

    /// A batch of a province: seen by that province's staff and its cities' (by their region), and by every
    /// institution and firm account (one deployment serves one province).
    public static func canSeeBatch(_ p: Principal, provinceCode: String) -> Bool {
        guard let prefix = p.regionPrefix else { return true }
        return provinceCode.hasPrefix(String(prefix.prefix(2)))
    }

    /// Province-wide pages: progress by city, the summary to seal, the audit log, the sealed scan.
    public static func canSeeProvince(_ p: Principal) -> Bool {
        p.role.isProvince && p.regionPrefix != nil
    }

    /// Managing accounts (import, reset, disable): the province admin, for accounts of its own province.
    public static func canManageAccounts(_ p: Principal, accountRegion: String? = nil) -> Bool {
        guard let own = p.regionCode else { return false }
        return canAdminister(p, provinceCode: own) && (accountRegion.map { canAdminister(p, provinceCode: $0) } ?? true)
    }

    /// Region-wide lists (progress, summaries, not-reported): the province, or a city reviewer for a prefix inside
    /// its city. Returns the prefix to query with, or nil when refused.
    public static func listingPrefix(_ p: Principal, requested: String?) -> String? {
        guard p.role.isProvince || p.role == .cityReviewer, let own = p.regionPrefix else { return nil }
        guard let requested, !requested.isEmpty else { return own }
        return requested.hasPrefix(own) ? requested : nil
    }
}

/// Passwords and log-in lock-out (security baseline of the platform; numbers are settings with these defaults).
public struct LoginPolicy: Sendable, Hashable {
    public var maxFailures: Int
    public var lockout: TimeInterval
    public var minimumLength: Int

    public init(maxFailures: Int = 5, lockout: TimeInterval = 15 * 60, minimumLength: Int = 8) {
        self.maxFailures = maxFailures
        self.lockout = lockout
        self.minimumLength = minimumLength
    }

    /// After a failed attempt, given the failures now counted (this one included): the instant the lock ends when
    /// the count has reached the limit, nil otherwise.
    public func lockUntil(failures: Int, at now: Date) -> Date? {
        failures >= maxFailures ? now.addingTimeInterval(lockout) : nil
    }

    public func isLocked(until: Date?, at now: Date) -> Bool { until.map { now < $0 } ?? false }

    /// Why a new password is refused, or nil when it is acceptable: long enough, letters and digits, not the
    /// current one, not the user name.
    public func problem(newPassword: String, username: String, current: String?) -> LocalizedText? {
        if newPassword.count < minimumLength {
            return LocalizedText(zh: "密码至少\(minimumLength)位", en: "the password needs at least \(minimumLength) characters")
        }
        let letters = newPassword.contains { $0.isLetter }
        let digits = newPassword.contains { $0.isNumber }
        if !letters || !digits { return LocalizedText(zh: "密码须同时包含字母和数字", en: "the password needs both letters and digits") }
        if newPassword == current { return LocalizedText(zh: "新密码不能与原密码相同", en: "the new password must differ from the current one") }
        if newPassword.lowercased().contains(username.lowercased()) {
            return LocalizedText(zh: "密码不能包含账号", en: "the password must not contain the user name")
        }
        return nil
    }
}
