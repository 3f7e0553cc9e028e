import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence

/// The award stage (采): winning results, agreed volumes, publication and the agreements it creates.
public struct AwardService: Sendable {
    let db: DB
    let now: @Sendable () -> Date

    public init(db: DB, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    /// What the award pages show at the top.
    public struct Overview: Sendable {
        public var batch: BatchRecord
        public var locked: Bool
        public var state: AwardState
        public var results: [StoredResult]
        /// Minimal units per pack of each spec, for the prices per minimal unit.
        public var packSizes: [String: Int64]
        public var volumes: Int64
        public var agreements: Int64
        public var gaps: Int64
    }

    func overview(head: BatchStore.Head) async throws -> Overview {
        let store = AwardStore(db)
        return Overview(
            batch: head.batch, locked: head.state.lockedAt != nil, state: try await store.state(batchID: head.batch.id),
            results: try await store.results(batchID: head.batch.id),
            packSizes: (try? await BatchStore(db).cachedCatalogue(head)?.catalogue.specs).map {
                Dictionary($0.map { ($0.code, $0.packSize) }, uniquingKeysWith: { a, _ in a })
            } ?? [:],
            volumes: try await VolumeStore(db).volumeCount(batchID: head.batch.id),
            agreements: try await AgreementStore(db).count(batchID: head.batch.id, scope: .region("")),
            gaps: try await VolumeStore(db).gapCount(batchID: head.batch.id))
    }

    func head(_ code: String) async throws -> BatchStore.Head {
        guard let head = try await BatchStore(db).head(code: code) else { throw ServiceError.batchNotFound(code) }
        return head
    }

    func catalogue(_ head: BatchStore.Head) async throws -> Catalogue {
        guard let entry = try await BatchStore(db).cachedCatalogue(head) else { throw ServiceError.noCatalogue(head.batch.code) }
        return entry.catalogue
    }

    // MARK: Results

    /// Loads a winning-results file. Before publication it replaces the batch's results; after, each row that
    /// differs from the current one of its product is a correction: the old row is kept, marked superseded, with
    /// who changed it. Every row is checked against the catalogue first; a bad file writes nothing.
    func importResults(path: String, batchCode: String, actor: AuditActor) async throws -> ImportSummary {
        let started = Date()
        let rows = try await ParseGate.run(owner: actor.name) { try ResultTable.read(path) }
        let head = try await head(batchCode)
        let catalogue = try await catalogue(head)
        let regions = Set(try await AccountStore(db).regions().map(\.code.value))
        let file = (path as NSString).lastPathComponent
        let issues = ResultChecks(catalogue: catalogue, provinceCode: head.batch.provinceCode, regions: regions, file: file).issues(rows)
        guard issues.isEmpty else { throw ImportFailure(issues: issues) }
        let at = now()
        let store = AwardStore(db)
        var state = try await store.state(batchID: head.batch.id)
        let current = Dictionary(try await store.results(batchID: head.batch.id).map { ($0.entry.productCode, $0) }, uniquingKeysWith: { a, _ in a })
        let published = state.phase == .published
        let stored = rows.map(\.value).compactMap { entry -> StoredResult? in
            guard let product = catalogue.productByCode[entry.productCode], let spec = catalogue.specByCode[product.specCode] else { return nil }
            if published, current[entry.productCode]?.entry == entry { return nil }
            return StoredResult(
                entry: entry, specCode: spec.code, varietyCode: spec.varietyCode, manufacturerCode: product.manufacturerCode?.value ?? "",
                manufacturerName: product.manufacturerName, version: published ? (current[entry.productCode]?.version ?? 0) + 1 : 1,
                changedBy: actor.name, changedAt: at)
        }
        state.resultsVersion += 1
        if !published { state.phase = .resultsImported }
        let newState = state
        try await db.transaction { db in
            let store = AwardStore(db)
            if published {
                try await store.correctResults(batchID: head.batch.id, stored, at: at)
            } else {
                try await store.replaceResults(batchID: head.batch.id, stored)
                try await VolumeStore(db).replaceVolumes(batchID: head.batch.id, [], gaps: [], by: actor.name, at: at)
            }
            try await store.setState(batchID: head.batch.id, newState)
            try await AuditLog(db).record(
                actor: actor.name, event: published ? .resultsCorrection : .resultsImport, key: batchCode,
                summary: published ? "更正中选结果 \(stored.count) 条" : "导入中选结果 \(stored.count) 条", at: at)
        }
        return ImportSummary(
            kind: "results", file: file, rows: rows.count, inserted: published ? 0 : stored.count, updated: published ? stored.count : 0,
            seconds: Date().timeIntervalSince(started))
    }

    // MARK: Agreed volume

    /// What a computation came to.
    public struct ComputeSummary: Sendable, Hashable, Codable {
        public var holders: Int
        public var volumes: Int
        public var gaps: Int
        public var amountFen: Int64
        public var seconds: Double
    }

    /// Computes every institution's agreed volume from the province-approved reports of the locked batch
    /// (docs/rules.md "Award stage") and replaces the unpublished figures: running it twice gives the same rows.
    func compute(batchCode: String, actor: AuditActor) async throws -> ComputeSummary {
        let started = Date()
        let head = try await head(batchCode)
        guard head.state.lockedAt != nil else {
            throw Refusal(
                .notLocked, zh: "报量审核完成后须先锁定批次，才能计算约定采购量", en: "lock the batch after the review before computing the agreed volumes")
        }
        let store = AwardStore(db)
        var state = try await store.state(batchID: head.batch.id)
        guard state.phase != .published else { throw Refusal(.awardPublished) }
        let results = try await store.results(batchID: head.batch.id)
        guard !results.isEmpty else { throw Refusal(.noAwardResults) }
        let catalogue = try await catalogue(head)
        var phases = PhaseClock()
        let computed = try await computeRows(head: head, catalogue: catalogue, results: results, phases: &phases)
        let at = now()
        state.phase = .computed
        state.computedAt = at
        let newState = state
        try await db.transaction { db in
            let store = AwardStore(db)
            try await VolumeStore(db).replaceVolumes(batchID: head.batch.id, computed.rows, gaps: computed.gaps, by: actor.name, at: at)
            try await store.setState(batchID: head.batch.id, newState)
            try await AuditLog(db).record(
                actor: actor.name, event: .volumesCompute, key: batchCode,
                summary: "计算约定采购量：\(computed.holders) 个机构，\(computed.rows.count) 条", at: at)
        }
        phases.mark("write")
        db.logger.notice("award compute \(batchCode): \(phases.text)")
        return ComputeSummary(
            holders: computed.holders, volumes: computed.rows.count, gaps: computed.gaps.count,
            amountFen: computed.rows.reduce(0) { $0 + $1.volume.amountFen }, seconds: Date().timeIntervalSince(started))
    }

    struct Computed {
        var rows: [VolumeStore.VolumeRow]
        var gaps: [(Int64, String)]
        var holders: Int
    }

    func computeRows(head: BatchStore.Head, catalogue: Catalogue, results: [StoredResult], phases: inout PhaseClock) async throws -> Computed {
        let organisations = try await Organisations(db).reporting()
        let byID = Dictionary(organisations.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let specCodes = Dictionary(
            try await BatchStore(db).specIndex(batchID: head.batch.id).map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        let reports = try await ReportService(db: db).reports(batchID: head.batch.id, specCodes: specCodes)
        let counted = reports.values.compactMap { report -> CountedReport? in
            guard let org = byID[report.institutionID] else { return nil }
            return CountedReport(
                institutionCode: org.code, regionCode: org.regionCode, communityLeadCode: org.communityLeadCode, status: report.status,
                lines: report.lines)
        }
        phases.mark("read")
        let award = AwardResult(entries: results.map(\.entry), catalogue: catalogue)
        let calculator = AgreedVolumeCalculator(catalogue: catalogue, result: award, policy: head.batch.policy.award)
        let makers = Dictionary(results.map { ($0.entry.productCode, $0.manufacturerName) }, uniquingKeysWith: { a, _ in a })
        var out = Computed(rows: [], gaps: [], holders: 0)
        for holder in AgreedVolumeCalculator.holders(counted) {
            guard let org = organisations[holder.institutionCode] else { continue }
            let outcome = calculator.agreedVolume(regionCode: org.regionCode, lines: holder.lines)
            out.holders += 1
            out.gaps += outcome.coverageGaps.map { (org.id, $0) }
            for figure in outcome.figures {
                let volume = StoredVolume(
                    institutionCode: org.code, institutionName: org.name, regionCode: org.regionCode, productCode: figure.productCode,
                    specCode: figure.specCode, varietyCode: catalogue.specByCode[figure.specCode]?.varietyCode ?? "",
                    manufacturerName: makers[figure.productCode] ?? "", quantity: figure.quantity, amountFen: figure.amountFen,
                    exactContent: String(figure.exactContent), contentDenominator: String(figure.contentDenominator),
                    sources: figure.sources.map {
                        VolumeSource(
                            reporter: holder.lineReporters[$0.line], specCode: $0.specCode, reportedQuantity: $0.reportedQuantity,
                            ratio: $0.ratio.description, chosenBrand: $0.chosenBrand)
                    })
                out.rows.append(VolumeStore.VolumeRow(institutionID: org.id, volume: volume))
            }
        }
        phases.mark("compute")
        return out
    }

    // MARK: Publication

    /// Publishes the computed volumes: they are frozen from now on, and the first agreement year's three-party
    /// agreements are created, each with the manufacturer's first distributor of the institution's coordination area.
    func publish(
        batchCode: String, executionStart: CivilDate, cycleEnd: CivilDate, signingDeadline: CivilDate? = nil, actor: AuditActor
    ) async throws -> Int {
        let head = try await head(batchCode)
        let store = AwardStore(db)
        var state = try await store.state(batchID: head.batch.id)
        guard state.phase != .published else { throw Refusal(.awardPublished) }
        guard state.phase == .computed else { throw Refusal(.awardNotComputed) }
        let first: AgreementYear
        switch AgreementYears.publishable(start: executionStart, cycleEnd: cycleEnd, referencePeriod: head.batch.policy.referencePeriod) {
        case .success(let year): first = year
        case .failure(let refusal): throw refusal
        }
        if let signingDeadline, signingDeadline > cycleEnd {
            throw Refusal(.badCycle, zh: "签署截止日应在采购周期内", en: "the signing deadline must fall within the cycle")
        }
        var phases = PhaseClock()
        let agreements = try await yearAgreements(head: head, year: first, index: 1)
        phases.mark("read and build")
        let at = now()
        state.phase = .published
        state.publishedAt = at
        state.publishedBy = actor.name
        state.executionStart = executionStart
        state.cycleEnd = cycleEnd
        state.signingDeadline = signingDeadline
        let newState = state
        try await db.transaction { db in
            // Checked where it is written: of two publications at once, the second finds the phase changed.
            guard try await AwardStore(db).claimPhase(batchID: head.batch.id, from: .computed, to: .published) else {
                throw Refusal(.awardPublished)
            }
            try await AgreementStore(db).deleteAll(batchID: head.batch.id)
            try await AgreementStore(db).insert(batchID: head.batch.id, agreements)
            try await AwardStore(db).setState(batchID: head.batch.id, newState)
            try await AuditLog(db).record(
                actor: actor.name, event: .volumesPublish, key: batchCode,
                summary: "公布约定采购量，执行期 \(executionStart)–\(cycleEnd)，生成协议 \(agreements.count) 份", at: at)
        }
        phases.mark("write")
        db.logger.notice("award publish \(batchCode): \(phases.text)")
        return agreements.count
    }

    /// The next agreement year's agreements (003 §4: agreements are signed every year of the cycle), from the
    /// published volumes and the current distributors; refused when the cycle has no further year.
    func renew(batchCode: String, actor: AuditActor) async throws -> (year: AgreementYear, count: Int) {
        let head = try await head(batchCode)
        let state = try await AwardStore(db).state(batchID: head.batch.id)
        guard state.phase == .published else { throw Refusal(.awardNotPublished) }
        let next = try await AgreementStore(db).lastYear(batchID: head.batch.id) + 1
        let years = state.years
        guard next >= 1, next <= years.count else {
            throw Refusal(.badCycle, zh: "采购周期内已没有下一协议年度", en: "the cycle has no further agreement year")
        }
        let year = years[next - 1]
        let agreements = try await yearAgreements(head: head, year: year, index: next)
        let at = now()
        try await db.transaction { db in
            try await AgreementStore(db).insert(batchID: head.batch.id, agreements)
            try await AuditLog(db).record(
                actor: actor.name, event: .agreementsRenew, key: batchCode,
                summary: "生成第\(next)协议年度（\(year.start)–\(year.lastDay)）协议 \(agreements.count) 份", at: at)
        }
        return (year, agreements.count)
    }

    func yearAgreements(head: BatchStore.Head, year: AgreementYear, index: Int) async throws -> [AgreementStore.NewAgreement] {
        let store = AwardStore(db)
        let results = Dictionary(try await store.results(batchID: head.batch.id).map { ($0.entry.productCode, $0) }, uniquingKeysWith: { a, _ in a })
        let catalogue = try await catalogue(head)
        var network: [String: [String: [String]]] = [:]
        for row in try await DistributorStore(db).distributors(batchID: head.batch.id) {
            network[row.manufacturer, default: [:]][row.area, default: []].append(row.distributor)
        }
        let frozenNetwork = network
        let out = RowSink<[AgreementStore.NewAgreement]>([])
        try await VolumeStore(db).forEachVolume(batchID: head.batch.id) { volume in
            guard let result = results[volume.productCode], let exact = Int128(volume.exactContent),
                let denominator = Int128(volume.contentDenominator)
            else { return }
            let (quantity, amount) = year.figure(
                quantity: volume.quantity, exact: volume.adjusted ? nil : (exact, denominator), packPriceFen: result.entry.packPriceFen,
                packSize: result.entry.packSize(of: catalogue.specByCode[result.specCode]))
            let area = DistributorNetwork.area(ofRegion: volume.regionCode)
            out.value.append(
                AgreementStore.NewAgreement(
                    institutionID: volume.institutionID, productCode: volume.productCode, manufacturerCode: result.manufacturerCode,
                    distributorCode: frozenNetwork[result.manufacturerCode]?[area]?.first, yearIndex: index, year: year, quantity: quantity,
                    amountFen: amount))
        }
        return out.value
    }

    /// After publication a figure changes only by a versioned adjustment with a reason (the old one is kept).
    func adjustVolume(
        batchCode: String, institutionCode: String, productCode: String, quantity: Int64, reason: String, actor: AuditActor
    ) async throws {
        let head = try await head(batchCode)
        let store = AwardStore(db)
        guard try await store.state(batchID: head.batch.id).phase == .published else { throw Refusal(.awardNotPublished) }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw Refusal(.reasonRequired) }
        guard reason.count <= InputLimits.maxExplanationCharacters else {
            throw Refusal(
                .textTooLong, zh: "调整原因最多\(InputLimits.maxExplanationCharacters)字",
                en: "a reason has at most \(InputLimits.maxExplanationCharacters) characters")
        }
        guard quantity >= 0, quantity <= InputLimits.maxQuantity else { throw Refusal(.badQuantity) }
        guard let org = try await Organisations(db).reporting()[institutionCode],
            let result = try await store.results(batchID: head.batch.id).first(where: { $0.entry.productCode == productCode })
        else { throw Refusal(.notFound) }
        let packSize = result.entry.packSize(of: try await catalogue(head).specByCode[result.specCode])
        let at = now()
        let price = result.entry.packPriceFen
        try await db.transaction { db in
            // The current version is read inside the write, under the figure's lock: adjustments at once are numbered
            // one after the other, each superseding the one before.
            try await db.serialise(on: "volume/\(head.batch.id)/\(institutionCode)/\(productCode)")
            guard
                var volume = try await VolumeStore(db).volumes(batchID: head.batch.id, institutionCode: institutionCode).first(where: {
                    $0.productCode == productCode
                })
            else { throw Refusal(.notFound) }
            let previous = volume.quantity
            volume.quantity = quantity
            volume.amountFen = (Int128(quantity) * Int128(price)).dividedRoundingHalfUp(by: Int128(max(1, packSize))).clampedInt64
            volume.version += 1
            volume.reason = reason
            try await VolumeStore(db).adjustVolume(batchID: head.batch.id, institutionID: org.id, volume, by: actor.name, at: at)
            // Agreements no party has signed take the new figure (each year its share, rounded once); a signed one
            // stands as signed.
            let open = try await AgreementStore(db).unsigned(batchID: head.batch.id, institutionID: org.id, productCode: productCode)
            for agreement in open {
                let (share, amount) = agreement.year.figure(quantity: quantity, exact: nil, packPriceFen: price, packSize: packSize)
                try await AgreementStore(db).setFigures(id: agreement.id, quantity: share, amountFen: amount)
            }
            try await AuditLog(db).record(
                actor: actor.name, event: .volumeAdjust, key: "\(batchCode)/\(institutionCode)/\(productCode)",
                summary: "调整约定采购量 \(previous) → \(quantity)：\(reason)（未签署的协议\(open.count)份随之调整）", at: at)
        }
    }
}

extension Int128 {
    var clampedInt64: Int64 { Int64(clamping: self) }
}

/// Wall time of a use case's phases, for the log (the benchmark reads it).
struct PhaseClock {
    var last = ContinuousClock.now
    var parts: [(String, Duration)] = []

    mutating func mark(_ name: String) {
        let now = ContinuousClock.now
        parts.append((name, now - last))
        last = now
    }

    var text: String {
        parts.map { name, duration in
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return "\(name) \(String(format: "%.2f", seconds)) s"
        }.joined(separator: ", ")
    }
}
