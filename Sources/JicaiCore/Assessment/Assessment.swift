import Foundation

/// Why completion is not assessed over part of a year (004 §7): the product entered a key-monitored list, a public
/// health event, a change of the clinical guideline.
public enum ExemptionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case keyMonitored, publicHealthEvent, guidelineChange

    public var label: LocalizedText {
        switch self {
        case .keyMonitored: LocalizedText(zh: "纳入重点监控目录", en: "entered a key-monitored list")
        case .publicHealthEvent: LocalizedText(zh: "突发公共卫生事件", en: "public health event")
        case .guidelineChange: LocalizedText(zh: "临床指南推荐变化", en: "guideline change")
        }
    }
}

/// An exemption as the province records it: a kind, the unit (variety or non-substitutable spec) it covers, an area
/// (a division-code prefix; empty for the whole province), the days it covers (both ends included) and its evidence.
public struct Exemption: Sendable, Hashable, Codable {
    public var kind: ExemptionKind
    public var unitKey: String
    public var regionPrefix: String
    public var from: CivilDate
    public var through: CivilDate
    public var evidence: String

    public init(kind: ExemptionKind, unitKey: String, regionPrefix: String, from: CivilDate, through: CivilDate, evidence: String) {
        self.kind = kind
        self.unitKey = unitKey
        self.regionPrefix = regionPrefix
        self.from = from
        self.through = through
        self.evidence = evidence
    }

    /// Whether it covers an institution's unit (the institution's region inside the exemption's area).
    public func covers(unitKey key: String, regionCode: String) -> Bool { key == unitKey && regionCode.hasPrefix(regionPrefix) }
}

/// One item to assess: an institution × unit × agreement year, with what monitoring counted for it (the tally
/// already classifies purchases inside a verified supply problem: backups as winning, non-winning left out).
public struct AssessmentItem: Sendable, Hashable {
    public var institutionCode: String
    public var unitKey: String
    public var year: AgreementYear
    /// The year's agreed content (effective-content units).
    public var agreedContent: Int64
    public var tally: Tally
    /// The exemptions covering the item (`Exemption.covers`).
    public var exemptions: [Exemption]
    /// The item's essential spec was not carried for the institution (docs/rules.md "Award stage"): not assessed.
    public var notCarried: Bool
    /// For shortage, emergency and seasonal items: the content the winners could actually supply, which caps the
    /// agreed content (design).
    public var availableContent: Int64?
    /// The dimension of the unit's effective content, to write amounts for people (18.75g rather than 18750000000
    /// base units); nil writes the base units.
    public var dimension: EffectiveContent.Dimension?

    /// An amount of the item's content as people read it.
    public func show(_ base: Int64) -> String { dimension.map { EffectiveContent.display(base: base, dimension: $0) } ?? String(base) }

    public init(
        institutionCode: String, unitKey: String, year: AgreementYear, agreedContent: Int64, tally: Tally, exemptions: [Exemption] = [],
        notCarried: Bool = false, availableContent: Int64? = nil, dimension: EffectiveContent.Dimension? = nil
    ) {
        self.institutionCode = institutionCode
        self.unitKey = unitKey
        self.year = year
        self.agreedContent = agreedContent
        self.tally = tally
        self.exemptions = exemptions
        self.notCarried = notCarried
        self.availableContent = availableContent
        self.dimension = dimension
    }
}

/// An item's result, explaining itself: the numbers, the exemptions applied and the clause.
public struct ItemResult: Sendable {
    /// Days of the year no exemption covers; completion is required for these only.
    public var uncoveredDays: Int
    /// The content required: the (capped) agreed content × uncovered days ÷ the year's days; nil when completion is
    /// not assessed (nothing agreed, fully exempt, or not carried).
    public var required: Fraction?
    /// Passed the completion test; nil when not assessed.
    public var completionPassed: Bool?
    /// The non-winning share and whether it is within the cap (no counted purchases: within it).
    public var share: Fraction?
    public var sharePassed: Bool
    public var reasons: [LocalizedText]

    public var passed: Bool { completionPassed != false && sharePassed }
}

public enum AssessmentRules {
    /// The days of the year that no exemption covers (overlapping exemptions count once).
    public static func uncoveredDays(_ year: AgreementYear, _ exemptions: [Exemption]) -> Int {
        var covered = Set<Int>()
        for e in exemptions {
            let first = max(0, year.start.days(until: e.from))
            let last = min(year.days - 1, year.start.days(until: e.through))
            if first <= last { covered.formUnion(first...last) }
        }
        return year.days - covered.count
    }

    /// An item fails when completion is below what is required, or the non-winning share is above the cap
    /// (004 §7; 001 §2(七): the cap is the batch's). Exactly 100% completes; exactly at the cap is within it.
    public static func evaluate(_ item: AssessmentItem, cap: Ratio) -> ItemResult {
        var reasons: [LocalizedText] = []
        let uncovered = uncoveredDays(item.year, item.exemptions)
        for e in item.exemptions {
            reasons.append(
                LocalizedText(
                    zh: "\(e.kind.label.zh)（\(e.from)至\(e.through)）：期间不考核完成率（004 §7）",
                    en: "\(e.kind.label.en) (\(e.from) to \(e.through)): completion not assessed over it (004 §7)"))
        }
        let agreed = min(item.agreedContent, item.availableContent ?? item.agreedContent)
        var required: Fraction?
        var completion: Bool?
        if item.notCarried {
            reasons.append(LocalizedText(zh: "基本药物规格未配备：不考核", en: "essential spec not carried: not assessed"))
        } else if agreed > 0, uncovered > 0, item.year.days > 0 {
            let needed = Fraction(Int128(agreed) * Int128(uncovered), Int128(item.year.days))
            required = needed
            completion = !(Fraction(Int128(item.tally.winningContent), 1) < needed)
            reasons.append(
                LocalizedText(
                    zh:
                        "中选产品采购\(item.show(item.tally.winningContent))，应完成\(item.show(Int64(clamping: needed.rounded)))（约定\(item.show(agreed))×\(uncovered)/\(item.year.days)天）：\(completion == true ? "完成" : "未完成")（004 §7）",
                    en:
                        "winning purchases \(item.show(item.tally.winningContent)) against \(item.show(Int64(clamping: needed.rounded))) required (agreed \(item.show(agreed)) × \(uncovered)/\(item.year.days) days): \(completion == true ? "completed" : "not completed") (004 §7)"
                ))
        }
        let share = item.tally.nonWinningShare
        let capFraction = Fraction(Int128(cap.numerator), Int128(cap.denominator))
        let sharePassed = share.map { !(capFraction < $0) } ?? true
        if let share {
            reasons.append(
                LocalizedText(
                    zh: "非中选产品占比\(share.percentText)，上限\(capFraction.percentText)：\(sharePassed ? "合格" : "超限")（004 §7，001 §2(七)）",
                    en:
                        "non-winning share \(share.percentText), cap \(capFraction.percentText): \(sharePassed ? "within" : "above") (004 §7, 001 §2(七))"
                ))
        }
        return ItemResult(
            uncoveredDays: uncovered, required: required, completionPassed: completion, share: share, sharePassed: sharePassed, reasons: reasons)
    }
}

extension Fraction {
    /// Rounded half up to a whole number, for messages.
    public var rounded: Int128 { numerator.dividedRoundingHalfUp(by: denominator) }
}
