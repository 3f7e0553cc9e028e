import Foundation

/// The three parties of a purchase agreement (三方购销协议, 003 §6).
public enum AgreementParty: String, Sendable, Hashable, Codable, CaseIterable {
    case institution, manufacturer, distributor

    public var label: LocalizedText {
        switch self {
        case .institution: LocalizedText(zh: "医疗机构", en: "institution")
        case .manufacturer: LocalizedText(zh: "生产企业", en: "manufacturer")
        case .distributor: LocalizedText(zh: "配送企业", en: "distributor")
        }
    }

    /// The party a role signs for, if any.
    public static func of(_ role: Role) -> AgreementParty? {
        switch role {
        case .institutionHead: .institution
        case .manufacturer: .manufacturer
        case .distributor: .distributor
        default: nil
        }
    }
}

/// Where an agreement stands: drafted by the platform, sent to the parties, signed by each, in force once all three
/// have signed, expired after its last day.
public enum AgreementStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, sent, inForce, expired

    public var label: LocalizedText {
        switch self {
        case .draft: LocalizedText(zh: "草稿", en: "draft")
        case .sent: LocalizedText(zh: "待签署", en: "awaiting signatures")
        case .inForce: LocalizedText(zh: "已生效", en: "in force")
        case .expired: LocalizedText(zh: "已到期", en: "expired")
        }
    }
}

/// The state of one agreement (institution × winning product × agreement year) and the one place its changes are
/// allowed or refused (003 §6): the province sends drafts; each party signs once, only for itself, only while the
/// agreement awaits signatures; the third signature puts it in force; after its last day it has expired.
public struct AgreementState: Sendable, Hashable, Codable {
    public var status: AgreementStatus
    public var signedBy: Set<AgreementParty>
    /// The organisations of the three parties (unified social credit codes).
    public var parties: [AgreementParty: String]
    public var year: AgreementYear

    public init(status: AgreementStatus = .draft, signedBy: Set<AgreementParty> = [], parties: [AgreementParty: String], year: AgreementYear) {
        self.status = status
        self.signedBy = signedBy
        self.parties = parties
        self.year = year
    }

    /// The status on `day`: an agreement past its last day has expired, whatever it was.
    public func status(on day: CivilDate) -> AgreementStatus { day < year.end ? status : .expired }

    /// The agreement after the province sends it, or why not.
    public func sent(on day: CivilDate) -> Result<AgreementState, Refusal> {
        guard status(on: day) == .draft else { return .failure(Refusal(.agreementNotDraft)) }
        guard AgreementParty.allCases.allSatisfy({ !(parties[$0] ?? "").isEmpty }) else { return .failure(Refusal(.agreementPartyMissing)) }
        var next = self
        next.status = .sent
        return .success(next)
    }

    /// The agreement after `organisation` signs as `party`, or why not: it must await signatures, be that party's
    /// organisation, and not have signed before.
    public func signed(as party: AgreementParty, by organisation: String, on day: CivilDate) -> Result<AgreementState, Refusal> {
        guard parties[party] == organisation else { return .failure(Refusal(.wrongParty)) }
        guard !signedBy.contains(party) else { return .failure(Refusal(.alreadySigned)) }
        guard status(on: day) == .sent else { return .failure(Refusal(status(on: day) == .expired ? .agreementExpired : .agreementNotSent)) }
        var next = self
        next.signedBy.insert(party)
        if next.signedBy.count == AgreementParty.allCases.count { next.status = .inForce }
        return .success(next)
    }
}

extension AgreedFigure {
    /// This figure's part in one agreement year: the exact yearly content × the year's days ÷ the days of its twelve
    /// months, converted into the product's minimal units and rounded half up once.
    public func quantity(in year: AgreementYear) -> Int64 {
        year.share(ofExact: exactContent, over: contentDenominator)
    }
}
