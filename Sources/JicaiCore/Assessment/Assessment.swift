import Foundation

/// Why an item's completion is not assessed as agreed (004 §7). The first three stop completion from being assessed
/// over the days they cover: the product entered a key-monitored list, a public health event, a change of the
/// clinical guideline. The last three mark a shortage, emergency or seasonal medicine, whose supply weighs in: over
/// the days they cover, what the winners failed to supply of what the institution ordered comes off the agreed
/// content (`isSupplyAssurance`; the cap is design).
public enum ExemptionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case keyMonitored, publicHealthEvent, guidelineChange, shortage, emergency, seasonal

    public var label: LocalizedText {
        switch self {
        case .keyMonitored: LocalizedText(zh: "纳入重点监控目录", en: "entered a key-monitored list")
        case .publicHealthEvent: LocalizedText(zh: "突发公共卫生事件", en: "public health event")
        case .guidelineChange: LocalizedText(zh: "临床指南推荐变化", en: "guideline change")
        case .shortage: LocalizedText(zh: "短缺药品", en: "shortage medicine")
        case .emergency: LocalizedText(zh: "急抢救药品", en: "emergency medicine")
        case .seasonal: LocalizedText(zh: "季节性用药", en: "seasonal medicine")
        }
    }

    /// A shortage, emergency or seasonal medicine: completion is assessed against what the winners could supply,
    /// not waived for the days covered.
    public var isSupplyAssurance: Bool {
        switch self {
        case .shortage, .emergency, .seasonal: true
        case .keyMonitored, .publicHealthEvent, .guidelineChange: false
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

    /// Whether it covers an institution's unit on a day (both ends of its days included).
    public func covers(unitKey key: String, regionCode: String, on day: CivilDate) -> Bool {
        covers(unitKey: key, regionCode: regionCode) && from <= day && day <= through
    }
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
    /// Nothing of the institution's demand for the unit was carried into agreed volume, because no winner supplies
    /// its region (a coverage gap, docs/rules.md "Award stage"): not assessed at all.
    public var notCarried: Bool
    /// For shortage, emergency and seasonal items (`ExemptionKind.isSupplyAssurance`): the content the winners could
    /// actually supply, which caps the agreed content (design: `AssessmentRules.available`).
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
    /// The days of the year that no exemption covers (overlapping exemptions count once; a shortage, emergency or
    /// seasonal designation waives no day).
    public static func uncoveredDays(_ year: AgreementYear, _ exemptions: [Exemption]) -> Int {
        var covered = Set<Int>()
        for e in exemptions where !e.kind.isSupplyAssurance {
            let first = max(0, year.start.days(until: e.from))
            let last = min(year.days - 1, year.start.days(until: e.through))
            if first <= last { covered.formUnion(first...last) }
        }
        return year.days - covered.count
    }

    /// An item fails when completion is below what is required, or the non-winning share is above the cap
    /// (004 §7; 001 §2(七): the cap is the batch's). Exactly 100% completes; exactly at the cap is within it.
    public static func evaluate(_ item: AssessmentItem, cap: Ratio) -> ItemResult {
        if item.notCarried {
            let reason = LocalizedText(
                zh: "所在地区无中选产品供应，需求未结转为约定采购量：不考核（000 §5(三)）",
                en: "no winner supplies the region, so no demand was carried into agreed volume: not assessed (000 §5(三))")
            return ItemResult(uncoveredDays: 0, required: nil, completionPassed: nil, share: nil, sharePassed: true, reasons: [reason])
        }
        var reasons: [LocalizedText] = []
        let uncovered = uncoveredDays(item.year, item.exemptions)
        for e in item.exemptions where !e.kind.isSupplyAssurance {
            reasons.append(
                LocalizedText(
                    zh: "\(e.kind.label.zh)（\(e.from)至\(e.through)）：期间不考核完成率（004 §7）",
                    en: "\(e.kind.label.en) (\(e.from) to \(e.through)): completion not assessed over it (004 §7)"))
        }
        let agreed = min(item.agreedContent, item.availableContent ?? item.agreedContent)
        if let e = item.exemptions.first(where: \.kind.isSupplyAssurance) {
            let short = item.agreedContent - agreed
            reasons.append(
                short > 0
                    ? LocalizedText(
                        zh: "\(e.kind.label.zh)：中选企业未能供应已订购的\(item.show(short))，按可供应量\(item.show(agreed))考核完成率（004 §7）",
                        en:
                            "\(e.kind.label.en): the winners failed to supply \(item.show(short)) ordered, completion assessed against the \(item.show(agreed)) they could supply (004 §7)"
                    )
                    : LocalizedText(
                        zh: "\(e.kind.label.zh)：中选企业足量供应，按约定采购量考核完成率（004 §7）",
                        en: "\(e.kind.label.en): the winners supplied what was ordered, completion assessed against the agreed volume (004 §7)"))
        }
        var required: Fraction?
        var completion: Bool?
        if agreed > 0, uncovered > 0, item.year.days > 0 {
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

extension AssessmentRules {
    /// What the winners could supply of a shortage, emergency or seasonal item (004 §7: supply weighs in; the cap is
    /// design): the agreed content less the content the institution ordered from winning products within the
    /// designation's days and the winners did not supply (`OrderLineFigures.unsupplied`), never below zero. An
    /// institution that ordered nothing is held to its agreed content.
    public static func available(agreedContent: Int64, unsuppliedContent: Int64) -> Int64 {
        max(0, agreedContent - min(agreedContent, max(0, unsuppliedContent)))
    }
}

extension Fraction {
    /// Rounded half up to a whole number, for messages.
    public var rounded: Int128 { numerator.dividedRoundingHalfUp(by: denominator) }
}
