import Foundation
import JicaiCore
import JicaiPersistence

/// What a check run found.
public struct CheckRunSummary: Sendable, Codable, Hashable {
    public var batch: String
    public var institutions: Int
    public var findings: Int
    public var byCode: [String: Int]
    public var seconds: Double

    public var text: LocalizedText {
        let codes = byCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let checked = counted(institutions, zh: "个机构", en: "institution")
        let found = counted(findings, zh: "条问题", en: "finding")
        let seconds = String(format: "%.2f", seconds)
        return LocalizedText(
            zh: "批次\(batch)：检查\(checked.zh)，" + (findings == 0 ? "未发现问题" : "发现\(found.zh)（\(codes)）") + "，用时\(seconds)秒",
            en: "batch \(batch): \(checked.en) checked, " + (findings == 0 ? "no findings" : "\(found.en) (\(codes))") + " in \(seconds) s")
    }
}

/// Runs every demand check of a batch (docs/rules.md) and stores the findings, replacing the previous run's.
public struct CheckService: Sendable {
    public let db: DB
    public let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    func run(batchCode: String, actor: AuditActor, progress: (any ProgressSink)? = nil) async throws -> CheckRunSummary {
        let started = Date()
        guard let batch = try await BatchStore(db).batch(code: batchCode) else { throw ServiceError.batchNotFound(batchCode) }
        guard let catalogue = try await BatchStore(db).catalogue(batchID: batch.id) else { throw ServiceError.noCatalogue(batchCode) }
        let at = now()
        // The inputs (history totals, reports: about 90 MB for 50,000 institutions) live inside `evaluate` only, so
        // they are freed before the findings are written.
        let (findings, checked) = try await evaluate(batch: batch, catalogue: catalogue, at: at, progress: progress)
        try await db.transaction { db in
            try await FindingStore(db).replace(batchID: batch.id, findings)
            try await AuditLog(db).record(
                actor: actor.name, event: .findingsCheck, key: batchCode,
                summary: "运行报量检查：\(checked)个机构，\(findings.count)条问题", at: at)
        }
        var byCode: [String: Int] = [:]
        for finding in findings { byCode[finding.code.rawValue, default: 0] += 1 }
        return CheckRunSummary(
            batch: batchCode, institutions: checked, findings: findings.count, byCode: byCode,
            seconds: Date().timeIntervalSince(started))
    }

    /// Every finding of the batch at `at`, with the number of institutions checked.
    private func evaluate(batch: BatchRecord, catalogue: Catalogue, at: Date, progress: (any ProgressSink)?) async throws
        -> (findings: [FindingStore.Row], checked: Int)
    {
        let specIDs = try await BatchStore(db).specIndex(batchID: batch.id)
        let specCodes = Dictionary(uniqueKeysWithValues: specIDs.map { ($1, $0) })
        let run = BatchCheckRun(
            organisations: try await AccountStore(db).reporters(), totals: try await HistoryStore(db).totals(batchID: batch.id),
            reports: try await DemandStore(db).reports(batchID: batch.id, specCodes: specCodes), specCodes: specCodes,
            checker: DemandChecker(catalogue: catalogue, policy: batch.policy),
            windowClosed: [.review, .closed].contains(batch.policy.window.phase(at: at)))
        let count = run.organisations.count
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let size = (count + parts - 1) / max(1, parts)
        var slices = try await withThrowingTaskGroup(of: (Int, BatchCheckRun.Slice).self) { group in
            for part in 0..<parts where part * size < count {
                group.addTask { (part, run.check(part * size..<min(count, (part + 1) * size))) }
            }
            var done: [(Int, BatchCheckRun.Slice)] = []
            for try await slice in group {
                done.append(slice)
                progress?.update(rows: done.count * size, bytesRead: Int64(done.count), totalBytes: Int64(parts))
            }
            return done.sorted { $0.0 < $1.0 }.map(\.1)
        }
        // Moved out of the slices one by one, so that no second copy of all of them is held.
        var findings: [FindingStore.Row] = []
        findings.reserveCapacity(slices.reduce(0) { $0 + $1.findings.count })
        var peers: [PeerSample] = []
        for index in slices.indices {
            findings += slices[index].findings
            slices[index].findings = []
            peers += slices[index].peers
            slices[index].peers = []
        }
        let flagged = slices.reduce(into: Set<String>()) { $0.formUnion($1.flagged) }
        for finding in PeerCapacityCheck.findings(peers, catalogue: catalogue, policy: batch.policy, skipping: flagged) {
            findings.append(FindingStore.Row(institutionID: run.idOf[finding.institutionCode]!, finding))
        }
        return (findings, slices.reduce(0) { $0 + $1.checked })
    }
}

/// The inputs of a whole-batch check, shared by the slices that run in parallel, one per core.
struct BatchCheckRun: Sendable {
    /// The checks of a slice of the institutions.
    struct Slice: Sendable {
        var findings: [FindingStore.Row] = []
        var peers: [PeerSample] = []
        var flagged = Set<String>()
        var checked = 0
    }

    let organisations: [AccountStore.Reporter]
    let totals: [Int64: [(spec: Int64, quantity: Int64)]]
    let reports: [Int64: StoredReport]
    let specCodes: [Int64: String]
    let checker: DemandChecker
    let windowClosed: Bool
    let idOf: [String: Int64]
    /// County medical communities: a lead that submitted reports for its members that did not (001 §2(一)).
    let covered: [String: [String]]
    let coveredMembers: Set<String>

    init(
        organisations: [AccountStore.Reporter], totals: [Int64: [(spec: Int64, quantity: Int64)]], reports: [Int64: StoredReport],
        specCodes: [Int64: String],
        checker: DemandChecker, windowClosed: Bool
    ) {
        self.organisations = organisations
        self.totals = totals
        self.reports = reports
        self.specCodes = specCodes
        self.checker = checker
        self.windowClosed = windowClosed
        idOf = Dictionary(uniqueKeysWithValues: organisations.map { ($0.code, $0.id) })
        let leadOf = organisations.reduce(into: [String: String]()) { map, organisation in
            if let lead = organisation.communityLeadCode { map[organisation.code] = lead }
        }
        let submittedCodes = Set(organisations.filter { reports[$0.id]?.status.isSubmitted ?? false }.map(\.code))
        covered = MedicalCommunity.coveredMembers(leadOf: leadOf, submitted: submittedCodes)
        coveredMembers = Set(covered.values.joined())
    }

    func history(_ id: Int64) -> [String: Int64] {
        (totals[id] ?? []).reduce(into: [String: Int64]()) { history, entry in
            if let code = specCodes[entry.spec] { history[code] = entry.quantity }
        }
    }

    func check(_ range: Range<Int>) -> Slice {
        var out = Slice()
        for organisation in organisations[range] where !coveredMembers.contains(organisation.code) {
            let members = covered[organisation.code]?.compactMap { idOf[$0] } ?? []
            let history = MedicalCommunity.combinedHistory(([organisation.id] + members).map(history))
            let report = reports[organisation.id]
            guard !history.isEmpty || report != nil else { continue }
            out.checked += 1
            if let report { checkReport(organisation, report, history, &out) }
            let hasHistory = history.values.contains { $0 > 0 }
            if let finding = checker.notReportedFinding(
                institutionCode: organisation.code, hasHistory: hasHistory,
                submitted: report?.status.isSubmitted ?? false, windowClosed: windowClosed)
            {
                out.findings.append(FindingStore.Row(institutionID: organisation.id, finding))
            }
        }
        return out
    }

    func checkReport(_ organisation: AccountStore.Reporter, _ report: StoredReport, _ history: [String: Int64], _ out: inout Slice) {
        let demand = InstitutionDemand(
            institutionCode: organisation.code, history: history, lines: report.lines, exclusions: report.exclusions,
            explanations: report.explanations, letter: report.letter)
        let result = checker.check(demand)
        for finding in result.findings {
            out.findings.append(FindingStore.Row(institutionID: organisation.id, finding))
            if finding.code == .capacityMismatch, let unit = finding.unitKey { out.flagged.insert("\(organisation.code) \(unit)") }
        }
        if report.status.isSubmitted {
            let group = PeerCapacityCheck.peerGroup(kind: organisation.kind, category: organisation.category)
            out.peers.append(PeerSample(institutionCode: organisation.code, peerGroup: group, units: result.units))
        }
    }
}
