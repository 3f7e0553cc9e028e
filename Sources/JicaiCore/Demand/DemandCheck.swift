import Foundation

/// One line of a demand report: a quantity, in minimal units, of a spec, optionally of a chosen brand (002 §2).
public struct DemandLine: Sendable, Hashable, Codable {
    public var specCode: String
    public var productCode: String?
    public var quantity: Int64

    public init(specCode: String, productCode: String? = nil, quantity: Int64) {
        self.specCode = specCode
        self.productCode = productCode
        self.quantity = quantity
    }
}

/// Volume of history the institution declares as used in special-needs or international services outside basic
/// insurance, which may be left out of reporting (002 §3(三)); given on one spec, with a reason.
public struct SpecialNeedsExclusion: Sendable, Hashable, Codable {
    public var specCode: String
    public var quantity: Int64
    public var reason: String

    public init(specCode: String, quantity: Int64, reason: String) {
        self.specCode = specCode
        self.quantity = quantity
        self.reason = reason
    }
}

/// The signed and sealed commitment letter (承诺函, 001 §2(一), 002 §2).
public struct CommitmentLetter: Sendable, Hashable, Codable {
    public var fileName: String
    public var signerName: String
    public var signerTitle: String

    public init(fileName: String, signerName: String, signerTitle: String) {
        self.fileName = fileName
        self.signerName = signerName
        self.signerTitle = signerTitle
    }

    /// Whether the batch accepts a signer with this title (the director or the party secretary by default).
    public static func accepts(title: String, policy: BatchPolicy) -> Bool {
        policy.commitmentSignerTitles.contains(title.trimmingCharacters(in: .whitespaces))
    }

    /// Why a signer cannot sign the letter under `policy` (a name is required, the title must be one the batch
    /// accepts: 001 §2(一), 002 §2), or nil. Attaching a letter and checking a report both ask this.
    public static func signerRefusal(name: String, title: String, policy: BatchPolicy) -> Refusal? {
        let name = name.trimmingCharacters(in: .whitespaces)
        let title = title.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= InputLimits.maxSignerNameCharacters else { return Refusal(.signerMissing) }
        guard accepts(title: title, policy: policy) else {
            return Refusal(
                .signerTitle, zh: "签字人须为\(policy.commitmentSignerTitles.joined(separator: "或"))",
                en: "the signer must be one of \(policy.commitmentSignerTitles.joined(separator: ", ")) (the director or the party secretary)")
        }
        return nil
    }
}

/// Everything the checks need about one institution (or one county medical community reporting as a whole).
public struct InstitutionDemand: Sendable {
    public var institutionCode: String
    /// History per spec over the reference period, in minimal units.
    public var history: [String: Int64]
    public var lines: [DemandLine]
    /// Keyed by check-unit key.
    public var exclusions: [String: SpecialNeedsExclusion]
    /// Explanations given by the institution, keyed by check-unit key.
    public var explanations: [String: String]
    public var letter: CommitmentLetter?

    public init(
        institutionCode: String, history: [String: Int64], lines: [DemandLine] = [],
        exclusions: [String: SpecialNeedsExclusion] = [:], explanations: [String: String] = [:],
        letter: CommitmentLetter? = nil
    ) {
        self.institutionCode = institutionCode
        self.history = history
        self.lines = lines
        self.exclusions = exclusions
        self.explanations = explanations
        self.letter = letter
    }
}

/// History and report of one institution on one check unit, in total effective content (base units), with the
/// display spec they are shown in. H = historyNumerator / historyDenominator (exact; the denominator is the number
/// of months when the basis is an annual average).
public struct UnitTotals: Sendable, Hashable {
    public let unit: CheckUnit
    public let historyNumerator: Int128
    public let historyDenominator: Int128
    public let reported: Int128
    public let displaySpec: Spec

    public var hasHistory: Bool { historyNumerator > 0 }
    /// History in minimal units of the display spec, rounded half up once.
    public var historyDisplay: Int128 {
        historyNumerator.dividedRoundingHalfUp(by: historyDenominator * Int128(displaySpec.content.baseAmount))
    }
    public var reportedDisplay: Int128 { ContentConversion.quantity(ofContent: reported, in: displaySpec) }
    /// R / H as a percentage with one decimal, rounded half up; nil without history.
    public var percentOfHistory: String? {
        guard historyNumerator > 0 else { return nil }
        let tenths = (reported * historyDenominator * 1000).dividedRoundingHalfUp(by: historyNumerator)
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// The result of checking one institution: the findings and the per-unit totals they were computed from.
public struct DemandCheckResult: Sendable {
    public var findings: [Finding]
    public var units: [UnitTotals]
    public var blocksSubmission: Bool { findings.contains(where: \.blocksSubmission) }
}

/// The demand checks of the reporting stage (000 §3(二), 002 §3(三); exact semantics in docs/rules.md).
/// Built once per batch; `check` is pure and cheap enough to run for every institution of a province.
public struct DemandChecker: Sendable {
    public let catalogue: Catalogue
    public let policy: BatchPolicy
    private let unitOfSpec: [String: CheckUnit]
    private let displaySpecOfUnit: [CheckUnit: Spec]
    private let units: [CheckUnit]

    public init(catalogue: Catalogue, policy: BatchPolicy) {
        self.catalogue = catalogue
        self.policy = policy
        var unitOfSpec: [String: CheckUnit] = [:]
        var display: [CheckUnit: Spec] = [:]
        for spec in catalogue.specs.sorted(by: { $0.code < $1.code }) {
            let unit = Catalogue.unit(of: spec)
            unitOfSpec[spec.code] = unit
            // Shown in the first passed-evaluation spec of the unit, the kind institutions report on.
            if let current = display[unit] {
                if !current.passedEvaluation && spec.passedEvaluation { display[unit] = spec }
            } else {
                display[unit] = spec
            }
        }
        self.unitOfSpec = unitOfSpec
        self.displaySpecOfUnit = display
        self.units = Set(unitOfSpec.values).sorted()
    }

    /// Totals per unit on which the institution has history or a report.
    public func totals(for demand: InstitutionDemand) -> [UnitTotals] {
        var history: [CheckUnit: Int128] = [:]
        var reported: [CheckUnit: Int128] = [:]
        for (specCode, q) in demand.history {
            guard let unit = unitOfSpec[specCode], let spec = catalogue.specByCode[specCode] else { continue }
            history[unit, default: 0] += ContentConversion.content(of: q, spec)
        }
        for line in demand.lines {
            guard let unit = unitOfSpec[line.specCode], let spec = catalogue.specByCode[line.specCode] else { continue }
            reported[unit, default: 0] += ContentConversion.content(of: max(0, line.quantity), spec)
        }
        let months = Int128(policy.referencePeriod.count)
        var result: [UnitTotals] = []
        for unit in Set(history.keys).union(reported.keys).sorted() {
            var hNum = history[unit] ?? 0
            var hDen: Int128 = 1
            if policy.historyBasis == .annualAverage {
                hNum *= 12
                hDen = months
            }
            if let ex = demand.exclusions[unit.key], let spec = catalogue.specByCode[ex.specCode], unitOfSpec[ex.specCode] == unit {
                // The declared special-needs volume leaves H; never more than H (checked separately).
                let excluded = ContentConversion.content(of: max(0, ex.quantity), spec) * hDen
                hNum = max(0, hNum - excluded)
            }
            result.append(
                UnitTotals(
                    unit: unit, historyNumerator: hNum, historyDenominator: hDen,
                    reported: reported[unit] ?? 0, displaySpec: displaySpecOfUnit[unit]!))
        }
        return result
    }

    /// Runs every check on one institution's (draft or submitted) report.
    public func check(_ demand: InstitutionDemand) -> DemandCheckResult {
        var findings: [Finding] = []
        let inst = demand.institutionCode
        findings += lineFindings(demand)
        let totals = totals(for: demand)
        for total in totals {
            let variety = catalogue.varietyByCode[total.unit.varietyCode]!
            let explanation = demand.explanations[total.unit.key].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            if let belowFloor = floorFinding(total, variety: variety, institution: inst, explanation: explanation) { findings.append(belowFloor) }
            if let finding = capacityFinding(total, institution: inst) { findings.append(finding) }
        }
        if let finding = letterFinding(demand) { findings.append(finding) }
        return DemandCheckResult(findings: findings, units: totals)
    }

    private func numbers(_ t: UnitTotals, threshold: Ratio? = nil) -> [String: String] {
        var numbers: [String: String] = [
            "history": String(t.historyDisplay),
            "reported": String(t.reportedDisplay),
            "unit": t.displaySpec.minimalUnit,
            "displaySpec": t.displaySpec.code,
        ]
        if let threshold { numbers["threshold"] = threshold.description }
        if let percent = t.percentOfHistory { numbers["percentOfHistory"] = percent }
        return numbers
    }

    /// First match wins: key-monitored → nothing; rising → 100% target; antimicrobial / restricted → reduced floor;
    /// otherwise the floor (docs/rules.md, "Findings"). R exactly at the threshold passes.
    func floorFinding(_ t: UnitTotals, variety v: Variety, institution: String, explanation: String?) -> Finding? {
        guard t.hasHistory else { return nil }
        let flags = v.flags
        if flags.keyMonitored { return nil }
        let code: FindingCode
        let ratio: Ratio
        let clause: String
        let why: LocalizedText
        if flags.rising {
            (code, ratio, clause) = (.risingBelowTarget, policy.risingTarget, "000 §3(二)")
            why = LocalizedText(
                zh: "使用量呈上升趋势的品种，报量应力争达到历史采购量的\(ratio)",
                en: "rising-use varieties should strive for \(ratio) of history")
        } else if flags.antimicrobial || flags.restrictedIndication {
            (code, ratio, clause) = (.reducedFloor, policy.reducedFloor, flags.antimicrobial ? "000 §3(二)" : "002 §3(三)")
            let kind = flags.antimicrobial ? ("抗微生物药物", "antimicrobial") : ("限适应症品种", "restricted-indication")
            why = LocalizedText(
                zh: "\(kind.0)允许在\(policy.floor)基础上适当减少，但不低于历史采购量的\(ratio)",
                en: "\(kind.1) varieties may go below \(policy.floor), but not below \(ratio) of history")
        } else {
            (code, ratio, clause) = (.belowFloor, policy.floor, "000 §3(二); 002 §3(三)")
            why = LocalizedText(
                zh: "报量低于历史采购量的\(ratio)时须作出说明",
                en: "a report below \(ratio) of history needs an explanation")
        }
        guard ratio.isAbove(t.reported, asShareOf: t.historyNumerator, wholeDenominator: t.historyDenominator) else { return nil }
        let unitName = t.displaySpec.minimalUnit
        let message = LocalizedText(
            zh:
                "\(v.genericName)：报量\(t.reportedDisplay)\(unitName)，历史采购量\(t.historyDisplay)\(unitName)（按规格\(t.displaySpec.strength)折算），为历史的\(t.percentOfHistory ?? "-")。\(why.zh)（\(clause)）。",
            en:
                "\(v.genericName): reported \(t.reportedDisplay) \(unitName) against a history of \(t.historyDisplay) \(unitName) (in spec \(t.displaySpec.strength)), \(t.percentOfHistory ?? "-") of history; \(why.en) (\(clause))."
        )
        return Finding(
            code: code, severity: explanation == nil ? .blocking : .review, institutionCode: institution,
            unitKey: t.unit.key, numbers: numbers(t, threshold: ratio), message: message, clause: clause,
            explanation: explanation)
    }

    /// Out of line with service capacity (002 §3(三)): R > capacityFactor × H; or a new use with no history.
    func capacityFinding(_ t: UnitTotals, institution: String) -> Finding? {
        let variety = catalogue.varietyByCode[t.unit.varietyCode]!
        let unitName = t.displaySpec.minimalUnit
        if t.hasHistory {
            guard policy.capacityFactor.isBelow(t.reported, asShareOf: t.historyNumerator, wholeDenominator: t.historyDenominator) else { return nil }
            return Finding(
                code: .capacityMismatch, severity: .review, institutionCode: institution, unitKey: t.unit.key,
                numbers: numbers(t, threshold: policy.capacityFactor),
                message: LocalizedText(
                    zh:
                        "\(variety.genericName)：报量\(t.reportedDisplay)\(unitName)超过历史采购量\(t.historyDisplay)\(unitName)的\(policy.capacityFactor)，请审核是否与医疗服务能力相符（002 §3(三)）。",
                    en:
                        "\(variety.genericName): reported \(t.reportedDisplay) \(unitName) exceeds \(policy.capacityFactor) of the history of \(t.historyDisplay) \(unitName); check it against the institution's service capacity (002 §3(三))."
                ),
                clause: "002 §3(三)")
        }
        guard t.reported > 0 else { return nil }
        return Finding(
            code: .newDemand, severity: .info, institutionCode: institution, unitKey: t.unit.key, numbers: numbers(t),
            message: LocalizedText(
                zh: "\(variety.genericName)：无历史采购量，新报量\(t.reportedDisplay)\(unitName)，请审核（002 §3(三)）。",
                en: "\(variety.genericName): no history, new demand of \(t.reportedDisplay) \(unitName); please review (002 §3(三))."),
            clause: "002 §3(三)")
    }

    /// Line-level problems: a spec outside the catalogue, a report on a non-passed spec (the institution converts
    /// those onto passed specs itself, essential-medicine specs included: 002 §2, §3(四)), a brand of another spec,
    /// a special-needs exclusion larger than the history it comes out of.
    func lineFindings(_ demand: InstitutionDemand) -> [Finding] {
        var out: [Finding] = []
        let inst = demand.institutionCode
        for line in demand.lines {
            guard let spec = catalogue.specByCode[line.specCode] else {
                out.append(
                    Finding(
                        code: .unknownSpec, severity: .blocking, institutionCode: inst, unitKey: nil,
                        numbers: ["spec": line.specCode],
                        message: LocalizedText(zh: "规格\(line.specCode)不在本批次品种清单中", en: "spec \(line.specCode) is not in this batch's catalogue"),
                        clause: "002 §2"))
                continue
            }
            let unit = Catalogue.unit(of: spec)
            if !spec.passedEvaluation && line.quantity > 0 {
                let essential = spec.essential ? ("（基本药物规格）", " (an essential-medicine spec)") : ("", "")
                out.append(
                    Finding(
                        code: .notPassedSpec, severity: .blocking, institutionCode: inst, unitKey: unit.key,
                        numbers: ["spec": spec.code, "reported": String(line.quantity)],
                        message: LocalizedText(
                            zh: "规格\(spec.code)（\(spec.strength)）未过评\(essential.0)，须由医疗机构折算至过评规格后填报（002 §2、§3(四)）",
                            en:
                                "spec \(spec.code) (\(spec.strength)) has not passed the consistency evaluation\(essential.1); convert its volume onto a passed spec (002 §2, §3(四))"
                        ),
                        clause: spec.essential ? "002 §3(四)" : "002 §2"))
            }
            if let product = line.productCode, !product.isEmpty, catalogue.productByCode[product]?.specCode != spec.code {
                out.append(
                    Finding(
                        code: .brandSpecMismatch, severity: .blocking, institutionCode: inst, unitKey: unit.key,
                        numbers: ["spec": spec.code, "product": product],
                        message: LocalizedText(
                            zh: "所选厂牌产品\(product)不属于规格\(spec.code)", en: "the chosen brand product \(product) is not of spec \(spec.code)"),
                        clause: "002 §2"))
            }
        }
        for (unitKey, ex) in demand.exclusions.sorted(by: { $0.key < $1.key }) {
            guard let spec = catalogue.specByCode[ex.specCode], Catalogue.unit(of: spec).key == unitKey else {
                out.append(
                    Finding(
                        code: .unknownSpec, severity: .blocking, institutionCode: inst, unitKey: unitKey,
                        numbers: ["spec": ex.specCode],
                        message: LocalizedText(
                            zh: "特需用量所填规格\(ex.specCode)不属于该品种", en: "the special-needs volume names spec \(ex.specCode), which is not of this unit"),
                        clause: "002 §3(三)"))
                continue
            }
            var history: Int128 = 0
            for (code, q) in demand.history where unitOfSpec[code]?.key == unitKey {
                history += ContentConversion.content(of: q, catalogue.specByCode[code]!)
            }
            let excluded = ContentConversion.content(of: ex.quantity, spec)
            if excluded > history || ex.quantity < 0 || ex.reason.trimmingCharacters(in: .whitespaces).isEmpty {
                out.append(
                    Finding(
                        code: .exclusionExceedsHistory, severity: .blocking, institutionCode: inst, unitKey: unitKey,
                        numbers: [
                            "excluded": String(ex.quantity), "history": String(ContentConversion.quantity(ofContent: history, in: spec)),
                            "unit": spec.minimalUnit,
                        ],
                        message: LocalizedText(
                            zh: "特需医疗、国际医疗用量须注明原因，且不得超过历史采购量（\(ex.quantity)\(spec.minimalUnit)）（002 §3(三)）",
                            en:
                                "special-needs / international-service volume needs a reason and cannot exceed the history (\(ex.quantity) \(spec.minimalUnit)) (002 §3(三))"
                        ),
                        clause: "002 §3(三)"))
            }
        }
        return out
    }

    /// The commitment letter must be attached with the signer's name and an allowed title (001 §2(一), 002 §2).
    func letterFinding(_ demand: InstitutionDemand) -> Finding? {
        let letter = demand.letter
        let missingFile = (letter?.fileName.trimmingCharacters(in: .whitespaces) ?? "").isEmpty
        let missingName = (letter?.signerName.trimmingCharacters(in: .whitespaces) ?? "").isEmpty
        let title = letter?.signerTitle.trimmingCharacters(in: .whitespaces) ?? ""
        let badTitle = !CommitmentLetter.accepts(title: title, policy: policy)
        guard missingFile || missingName || badTitle else { return nil }
        let titles = policy.commitmentSignerTitles.joined(separator: "或")
        let reason: LocalizedText
        if missingFile {
            reason = LocalizedText(zh: "未上传承诺函", en: "no commitment letter is attached")
        } else if missingName {
            reason = LocalizedText(zh: "承诺函缺少签字人姓名", en: "the commitment letter has no signer name")
        } else {
            reason = LocalizedText(
                zh: "承诺函签字人职务“\(title)”不符合要求（应为\(titles)）",
                en: "signer title \"\(title)\" is not allowed (must be one of \(policy.commitmentSignerTitles.joined(separator: ", ")))")
        }
        return Finding(
            code: .missingCommitmentLetter, severity: .blocking, institutionCode: demand.institutionCode, unitKey: nil,
            numbers: [:],
            message: LocalizedText(
                zh: "\(reason.zh)：须由\(titles)签字并加盖公章后上传（001 §2(一)、002 §2）",
                en: "\(reason.en): it must be signed by the director or party secretary and sealed (001 §2(一), 002 §2)"),
            clause: "001 §2(一); 002 §2")
    }

    /// Institutions with history that did not submit (000 §3(二), 002 §3(三)): listed for the city and for later
    /// monitoring. Before the window closes this is informational.
    public func notReportedFinding(institutionCode: String, hasHistory: Bool, submitted: Bool, windowClosed: Bool) -> Finding? {
        guard hasHistory, !submitted else { return nil }
        return Finding(
            code: .notReported, severity: windowClosed ? .review : .info, institutionCode: institutionCode, unitKey: nil,
            numbers: [:],
            message: LocalizedText(
                zh: windowClosed ? "有历史采购量但未报量，将在落地执行监测时重点关注（000 §3(二)、002 §3(三)）" : "有历史采购量，尚未提交报量（000 §3(二)）",
                en: windowClosed
                    ? "has history but did not report; a focus of execution monitoring (000 §3(二), 002 §3(三))"
                    : "has history and has not submitted a report yet (000 §3(二))"),
            clause: "000 §3(二); 002 §3(三)")
    }
}

/// Where an institution's report stands (002 §3: filled, submitted, reviewed by the city, then the province;
/// a reviewer may return it for correction).
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, cityApproved, provinceApproved, returned

    public var label: LocalizedText {
        switch self {
        case .draft: LocalizedText(zh: "填报中", en: "draft")
        case .submitted: LocalizedText(zh: "已提交", en: "submitted")
        case .cityApproved: LocalizedText(zh: "市级已审核", en: "approved by the city")
        case .provinceApproved: LocalizedText(zh: "省级已审核", en: "approved by the province")
        case .returned: LocalizedText(zh: "已退回修改", en: "returned for correction")
        }
    }

    /// Counts as reported for the not-reported list and the summaries.
    public var isSubmitted: Bool { self == .submitted || self == .cityApproved || self == .provinceApproved }
}
