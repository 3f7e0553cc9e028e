import Foundation

/// How the history basis H is formed from the reference period (docs/rules.md; 000 "历史采购量", 002 "平均采购量").
public enum HistoryBasis: String, Sendable, Codable, CaseIterable {
    /// The sum over the reference period (12 months).
    case sum
    /// The average per year: sum × 12 / months, for periods longer than a year.
    case annualAverage
}

/// The reporting timeline of a batch (002 §4; 000 §4). Instants are stored in UTC; they are set from
/// Asia/Shanghai wall-clock times with `ReportingWindow.shanghai(...)`.
public struct ReportingWindow: Sendable, Hashable, Codable {
    /// Accounts imported and test logins possible until this instant (002 §4(一): Dec 18 24:00).
    public var accountTestUntil: Date
    /// Filling opens (002 §4(二): Dec 19).
    public var fillingOpens: Date
    /// Filling closes; after it no data is accepted (000 §4: 不再接受数据补报; 002 §4(二): Dec 29 24:00).
    public var fillingCloses: Date
    /// Review, export, print, seal and upload done by (000 §4: Nov 1; 002 §4(三): Dec 31 17:00).
    public var reviewDeadline: Date

    public init(accountTestUntil: Date, fillingOpens: Date, fillingCloses: Date, reviewDeadline: Date) {
        self.accountTestUntil = accountTestUntil
        self.fillingOpens = fillingOpens
        self.fillingCloses = fillingCloses
        self.reviewDeadline = reviewDeadline
    }

    public enum Phase: String, Sendable, Codable {
        case accountTest, notOpen, open, review, closed

        public var label: LocalizedText {
            switch self {
            case .accountTest: LocalizedText(zh: "账号测试", en: "account test")
            case .notOpen: LocalizedText(zh: "未开始填报", en: "not open yet")
            case .open: LocalizedText(zh: "填报中", en: "filling open")
            case .review: LocalizedText(zh: "审核中", en: "under review")
            case .closed: LocalizedText(zh: "已结束", en: "closed")
            }
        }
    }

    /// The phase at `now`. Opening instants are inclusive, closing instants exclusive (24:00 = next day 00:00).
    public func phase(at now: Date) -> Phase {
        if now < accountTestUntil && now < fillingOpens { return .accountTest }
        if now < fillingOpens { return .notOpen }
        if now < fillingCloses { return .open }
        if now < reviewDeadline { return .review }
        return .closed
    }

    public static let shanghaiZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    /// An instant from an Asia/Shanghai wall-clock time; hour 24 means the end of that day. China has kept UTC+8
    /// without daylight saving since 1991, so inside the platform's date range this is plain arithmetic (no calendar
    /// look-up that could fail).
    public static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        let seconds = CivilDate.dayNumber(year, month, day) * 86_400 + hour * 3600 + minute * 60 - 8 * 3600
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// "2025-12-29T24:00", "2025-12-29 08:30" or "2025-12-29" as Asia/Shanghai wall-clock time (what the admin's
    /// timeline form and the CLI's `--at` take); nil when it is not one.
    public static func shanghai(text: String) -> Date? {
        let numbers = text.split(whereSeparator: { "-T: ".contains($0) }).compactMap { part in
            part.count <= 4 && part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? Int(part) : nil
        }
        guard (3...5).contains(numbers.count), numbers.count == text.split(whereSeparator: { "-T: ".contains($0) }).count,
            CivilDate(numbers[0], numbers[1], numbers[2]) != nil, numbers.count < 4 || (0...24).contains(numbers[3]),
            numbers.count < 5 || (0...59).contains(numbers[4])
        else {
            return nil
        }
        return shanghai(numbers[0], numbers[1], numbers[2], numbers.count > 3 ? numbers[3] : 0, numbers.count > 4 ? numbers[4] : 0)
    }

    /// Beijing wall-clock text, e.g. "2025-12-30 00:00" (for messages and forms).
    public static func shanghaiText(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = shanghaiZone
        let components = cal.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", components.year ?? 0, components.month ?? 0, components.day ?? 0, components.hour ?? 0,
            components.minute ?? 0)
    }

    /// The timeline of the 2025 renewal notice (002 §4).
    public static let notice002 = ReportingWindow(
        accountTestUntil: shanghai(2025, 12, 18, 24),
        fillingOpens: shanghai(2025, 12, 19),
        fillingCloses: shanghai(2025, 12, 29, 24),
        reviewDeadline: shanghai(2025, 12, 31, 17))
}

/// Every number of the reporting stage a batch may set. Defaults are the seeds' values; none of them is a literal
/// inside a rule.
public struct BatchPolicy: Sendable, Hashable, Codable {
    /// Below this share of history a report needs an explanation (000 §3(二), 002 §3(三): 80%).
    public var floor: Ratio
    /// Rising-use varieties strive for this share of history (000 §3(二): 100%).
    public var risingTarget: Ratio
    /// Antimicrobial and restricted-indication varieties may go down to this share (000 §3(二), 002 §3(三):
    /// "适当减少"; the seeds give no number, 70% is our default).
    public var reducedFloor: Ratio
    /// A report above this multiple of history is flagged as out of line with capacity (002 §3(三)).
    public var capacityFactor: Ratio
    /// A report above this multiple of the median report of its peers (same institution category, same unit) is
    /// out of line with the institution's size (000 §5(五), 002 §3(三): "与医疗服务能力不匹配"; 500% is our default).
    public var peerCapacityFactor: Ratio
    /// The peer comparison needs at least this many peers reporting the unit.
    public var peerMinimum: Int
    public var historyBasis: HistoryBasis
    /// The history reference period (002 §2: Dec 2024 – Nov 2025).
    public var referencePeriod: MonthRange
    public var window: ReportingWindow
    /// Titles that may sign the commitment letter (001 §2(一), 002 §2: 院长 or 党委书记).
    public var commitmentSignerTitles: [String]
    /// The award stage's numbers: agreed-volume ratios, allocation, distributor limits.
    public var award: AwardPolicy
    /// The monitoring stage's thresholds: schedule tolerance, severe lag, non-winning cap, delivery days.
    public var monitor: MonitorPolicy
    /// The supply stage's numbers: the prepayment's shares and the months to recover it.
    public var supply: SupplyPolicy
    /// The assessment's and savings retention's numbers: weights, grade thresholds, retention coefficients.
    public var assessment: AssessmentPolicy

    public init(
        floor: Ratio = .percent(80), risingTarget: Ratio = .percent(100), reducedFloor: Ratio = .percent(70),
        capacityFactor: Ratio = .percent(150), peerCapacityFactor: Ratio = .percent(500), peerMinimum: Int = 10,
        historyBasis: HistoryBasis = .sum,
        referencePeriod: MonthRange = BatchPolicy.period002, window: ReportingWindow = .notice002,
        commitmentSignerTitles: [String] = ["院长", "党委书记"], award: AwardPolicy = AwardPolicy(),
        monitor: MonitorPolicy = MonitorPolicy(), supply: SupplyPolicy = SupplyPolicy(), assessment: AssessmentPolicy = AssessmentPolicy()
    ) {
        self.floor = floor
        self.risingTarget = risingTarget
        self.reducedFloor = reducedFloor
        self.capacityFactor = capacityFactor
        self.peerCapacityFactor = peerCapacityFactor
        self.peerMinimum = peerMinimum
        self.historyBasis = historyBasis
        self.referencePeriod = referencePeriod
        self.window = window
        self.commitmentSignerTitles = commitmentSignerTitles
        self.award = award
        self.monitor = monitor
        self.supply = supply
        self.assessment = assessment
    }

    /// The share of the year's agreed amount the fund prepays, by the batch's kind (003 §8(一)).
    public var prepaymentShare: Ratio { supply.prepaymentShare(consumables: award.kind == .consumables) }

    private enum CodingKeys: String, CodingKey {
        case floor, risingTarget, reducedFloor, capacityFactor, peerCapacityFactor, peerMinimum, historyBasis, referencePeriod
        case window, commitmentSignerTitles, award, monitor, supply, assessment
    }

    /// A stored policy that predates a field gets the field's default, so batches survive new policy fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = BatchPolicy()
        floor = try container.decodeIfPresent(Ratio.self, forKey: .floor) ?? defaults.floor
        risingTarget = try container.decodeIfPresent(Ratio.self, forKey: .risingTarget) ?? defaults.risingTarget
        reducedFloor = try container.decodeIfPresent(Ratio.self, forKey: .reducedFloor) ?? defaults.reducedFloor
        capacityFactor = try container.decodeIfPresent(Ratio.self, forKey: .capacityFactor) ?? defaults.capacityFactor
        peerCapacityFactor = try container.decodeIfPresent(Ratio.self, forKey: .peerCapacityFactor) ?? defaults.peerCapacityFactor
        peerMinimum = try container.decodeIfPresent(Int.self, forKey: .peerMinimum) ?? defaults.peerMinimum
        historyBasis = try container.decodeIfPresent(HistoryBasis.self, forKey: .historyBasis) ?? defaults.historyBasis
        referencePeriod = try container.decodeIfPresent(MonthRange.self, forKey: .referencePeriod) ?? defaults.referencePeriod
        window = try container.decodeIfPresent(ReportingWindow.self, forKey: .window) ?? defaults.window
        commitmentSignerTitles = try container.decodeIfPresent([String].self, forKey: .commitmentSignerTitles) ?? defaults.commitmentSignerTitles
        award = try container.decodeIfPresent(AwardPolicy.self, forKey: .award) ?? defaults.award
        monitor = try container.decodeIfPresent(MonitorPolicy.self, forKey: .monitor) ?? defaults.monitor
        supply = try container.decodeIfPresent(SupplyPolicy.self, forKey: .supply) ?? defaults.supply
        assessment = try container.decodeIfPresent(AssessmentPolicy.self, forKey: .assessment) ?? defaults.assessment
    }

    public static let period002 = MonthRange(first: MonthKey(year: 2024, month: 12)!, last: MonthKey(year: 2025, month: 11)!)!

    public static let `default` = BatchPolicy()

    /// A batch code: 1 to 32 ASCII letters, digits, "-" and "_" (it appears in paths and file names).
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Checks the policy makes sense before a batch uses it.
    public func validate() -> [LocalizedText] {
        var problems: [LocalizedText] = []
        if floor < reducedFloor {
            problems.append(LocalizedText(zh: "适当减少后的下限不应高于一般下限", en: "the reduced floor must not exceed the floor"))
        }
        if !(window.fillingOpens < window.fillingCloses && window.fillingCloses <= window.reviewDeadline) {
            problems.append(
                LocalizedText(
                    zh: "填报开始须早于截止，截止不晚于审核时限",
                    en: "filling must open before it closes, and close no later than the review deadline"))
        }
        if peerMinimum < 3 {
            problems.append(LocalizedText(zh: "同类机构比较至少需要3家", en: "the peer comparison needs at least 3 peers"))
        }
        if commitmentSignerTitles.isEmpty {
            problems.append(LocalizedText(zh: "承诺函签字人职务不能为空", en: "at least one commitment-letter signer title is needed"))
        }
        return problems + award.problems() + monitor.problems() + supply.problems() + assessment.problems()
    }
}
