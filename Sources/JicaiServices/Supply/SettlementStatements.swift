import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// A settlement run's statement: per institution (what the fund paid its firms directly, its prepayment offset, and
/// the net the fund deducts from its claims) and per firm (what the fund paid it, by institution).
public struct SettlementStatement: Sendable {
    public struct Payee: Sendable, Hashable {
        public var code: String
        public var name: String
        public var fen: Int64
    }

    public struct InstitutionPart: Sendable, Hashable {
        public var code: String
        public var name: String
        public var regionCode: String
        public var direct: [Payee]
        public var offsetFen: Int64
        public var directFen: Int64 { direct.reduce(0) { $0 + $1.fen } }
        /// What the fund deducts from the institution's claims: what it paid the firms for it directly, less what the
        /// month's prepayment offset covers (an offset above that covers what the institution paid the firms itself).
        public var netFen: Int64 { max(0, directFen - offsetFen) }
    }

    public struct FirmPart: Sendable, Hashable {
        public var code: String
        public var name: String
        public var institutions: [Payee]
        public var totalFen: Int64 { institutions.reduce(0) { $0 + $1.fen } }
    }

    public var run: SettlementRun
    public var institutions: [InstitutionPart]
    public var firms: [FirmPart]
    public var mayApprove: Bool
}

/// One institution's prepayment of one agreement year: paid, offset, recovered, and the balance (derived).
public struct PrepaymentRow: Sendable, Hashable {
    public var institutionCode: String
    public var institutionName: String
    public var regionCode: String
    public var year: AgreementYear
    public var agreedFen: Int64
    public var prepaymentFen: Int64
    public var offsetsFen: Int64
    public var recoveredFen: Int64
    public var recoveryDeadline: CivilDate?
    public var balanceFen: Int64 { prepaymentFen - offsetsFen - recoveredFen }
}

extension SupplyService {
    /// The runs the scope's principal may open: every run for the bureaus and the parties paid in them.
    public func settlements(_ scope: BatchScope) async throws -> [SettlementRun] {
        guard scope.principal.role != .manufacturer else { throw Refusal.forbidden }
        return try await SettlementStore(db).runs(batchID: scope.batch.id)
    }

    /// A run's statement as the scope's principal may see it: the province all of it, a city its region's
    /// institutions and the firms paid for them, an institution its own part, a distributor its own part.
    public func statement(_ scope: BatchScope, id: Int64) async throws -> SettlementStatement {
        let principal = scope.principal
        guard principal.role != .manufacturer else { throw Refusal.forbidden }
        let store = SettlementStore(db)
        guard let run = try await store.run(batchID: scope.batch.id, id: id) else { throw Refusal(.settlementNotFound) }
        let byID = Dictionary(try await Organisations(db).reporting().values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = try await store.lines(runID: id)
        if let prefix = principal.role.isBureau ? principal.regionPrefix : nil {
            lines = lines.filter { byID[$0.institutionID]?.regionCode.hasPrefix(prefix) == true }
        } else if principal.role.isInstitution {
            lines = lines.filter { byID[$0.institutionID]?.code == principal.organisationCode }
        } else {
            lines = lines.filter { $0.kind == .direct && $0.distributorCode == principal.organisationCode }
        }
        var firmNames: [String: String] = [:]
        for code in Set(lines.map(\.distributorCode)) where !code.isEmpty {
            firmNames[code] = try await AccountStore(db).organisation(code: code)?.organisation.name ?? code
        }
        return SettlementStatement(
            run: run, institutions: Self.institutionParts(lines, byID: byID, firmNames: firmNames),
            firms: Self.firmParts(lines, byID: byID, firmNames: firmNames),
            mayApprove: run.status == .draft && administers(scope))
    }

    static func institutionParts(
        _ lines: [SettlementStore.Line], byID: [Int64: ReportingOrganisation], firmNames: [String: String]
    ) -> [SettlementStatement.InstitutionPart] {
        Dictionary(grouping: lines, by: \.institutionID).compactMap { id, own -> SettlementStatement.InstitutionPart? in
            guard let org = byID[id] else { return nil }
            var direct: [String: Int64] = [:]
            for line in own where line.kind == .direct { direct[line.distributorCode, default: 0] += line.amountFen }
            return SettlementStatement.InstitutionPart(
                code: org.code, name: org.name, regionCode: org.regionCode,
                direct: direct.sorted { $0.key < $1.key }.map {
                    SettlementStatement.Payee(code: $0.key, name: firmNames[$0.key] ?? $0.key, fen: $0.value)
                },
                offsetFen: own.filter { $0.kind == .offset }.reduce(0) { $0 + $1.amountFen })
        }.sorted { $0.code < $1.code }
    }

    static func firmParts(
        _ lines: [SettlementStore.Line], byID: [Int64: ReportingOrganisation], firmNames: [String: String]
    ) -> [SettlementStatement.FirmPart] {
        Dictionary(grouping: lines.filter { $0.kind == .direct }, by: \.distributorCode).map { code, own in
            var byInstitution: [Int64: Int64] = [:]
            for line in own { byInstitution[line.institutionID, default: 0] += line.amountFen }
            let payees = byInstitution.compactMap { id, fen in
                byID[id].map { SettlementStatement.Payee(code: $0.code, name: $0.name, fen: fen) }
            }.sorted { $0.code < $1.code }
            return SettlementStatement.FirmPart(code: code, name: firmNames[code] ?? code, institutions: payees)
        }.sorted { $0.code < $1.code }
    }

    /// The statement as a workbook: one sheet per institution part and one per firm part (the print page shows the same).
    public func statementWorkbook(_ statement: SettlementStatement, language: Language) throws -> Data {
        func t(_ zh: String, _ en: String) -> String { language == .zh ? zh : en }
        let xlsx = try XLSXWriter()
        try xlsx.addSheet(t("医疗机构结算单", "By institution"), columnWidths: [22, 30, 10, 22, 30, 14, 14, 14])
        try xlsx.addRow([
            t("机构编码", "Institution code"), t("机构名称", "Institution"), t("区划", "Region"), t("配送企业编码", "Distributor code"),
            t("配送企业", "Distributor"), t("直接结算（元）", "Paid directly (yuan)"), t("预付金冲抵（元）", "Prepayment offset (yuan)"),
            t("从医保结算款中扣减（元）", "Deducted from claims (yuan)"),
        ])
        for part in statement.institutions {
            for payee in part.direct {
                try xlsx.addRow([
                    .text(part.code), .text(part.name), .text(part.regionCode), .text(payee.code), .text(payee.name),
                    .decimal(Fen(payee.fen).yuanText),
                    .empty, .empty,
                ])
            }
            try xlsx.addRow([
                .text(part.code), .text(part.name), .text(part.regionCode), .text(t("合计", "Total")), .empty, .decimal(Fen(part.directFen).yuanText),
                .decimal(Fen(part.offsetFen).yuanText), .decimal(Fen(part.netFen).yuanText),
            ])
        }
        try xlsx.addSheet(t("企业结算单", "By firm"), columnWidths: [22, 30, 22, 30, 14])
        try xlsx.addRow([
            t("企业编码", "Firm code"), t("企业名称", "Firm"), t("机构编码", "Institution code"), t("机构名称", "Institution"),
            t("医保基金直接支付（元）", "Paid by the fund (yuan)"),
        ])
        for firm in statement.firms {
            for payee in firm.institutions {
                try xlsx.addRow([.text(firm.code), .text(firm.name), .text(payee.code), .text(payee.name), .decimal(Fen(payee.fen).yuanText)])
            }
        }
        return try xlsx.data()
    }

    /// The prepayments the scope sees (the bureaus their region's, an institution its own), a page in institution and
    /// year order, every balance derived from the ledger.
    public func prepayments(_ scope: BatchScope, page: PageRequest) async throws -> Page<PrepaymentRow> {
        let principal = scope.principal
        let (region, institution): (String?, String?)
        if principal.role.isInstitution, let own = principal.organisationCode {
            (region, institution) = (nil, own)
        } else if principal.role.isBureau, let prefix = principal.regionPrefix {
            (region, institution) = (prefix, nil)
        } else {
            throw Refusal.forbidden
        }
        let sums = try await SettlementStore(db).prepaymentPage(batchID: scope.batch.id, regionPrefix: region, institution: institution, page: page)
        // The agreed amounts of the page's institutions only, each year as its agreements define it.
        let agreed = try await AgreementStore(db).agreedByYear(batchID: scope.batch.id, institutions: Array(Set(sums.items.map(\.institutionID))))
        let byKey = Dictionary(agreed.map { ("\($0.institutionID) \($0.year.start)", $0) }, uniquingKeysWith: { a, _ in a })
        let cycleEnd = try await AwardService(db: db, now: now).state(batchID: scope.batch.id).cycleEnd
        let months = scope.batch.policy.supply.recoveryMonths
        let rows = sums.items.compactMap { sum -> PrepaymentRow? in
            guard let entry = byKey["\(sum.institutionID) \(sum.yearStart)"] else { return nil }
            return PrepaymentRow(
                institutionCode: sum.code, institutionName: sum.name, regionCode: sum.regionCode, year: entry.year, agreedFen: entry.amountFen,
                prepaymentFen: sum.prepaymentFen, offsetsFen: sum.offsetsFen, recoveredFen: sum.recoveredFen,
                recoveryDeadline: Prepayment.recoveryDeadline(cycleEnd: min(entry.year.lastDay, cycleEnd ?? entry.year.lastDay), months: months))
        }
        return Page(items: rows, total: sums.total, request: page)
    }
}

extension SupplyService {
    /// The batch's agreement years (their first days), for the prepayment forms.
    public func agreementYears(_ scope: BatchScope) async throws -> [CivilDate] {
        try requireAdministrator(scope)
        return Array(Set(try await AwardService.agreedByYear(db, batchID: scope.batch.id).map(\.year.start))).sorted()
    }
}
